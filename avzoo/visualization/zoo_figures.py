"""The paper's figures for any set of methods (``avzoo viz``, ``avzoo compare``), each readable on
its own: a title saying what is compared on which data, method names, a colour scale, the ground
truth drawn and named.

- :func:`thresholds_figure` (Fig. 5 style): cIoU with the standard vs the adaptive threshold per
  ground-truth size bin;
- :func:`qualitative_figure` (Fig. 6 style): rows = samples, columns = methods, the same images;
- :func:`interactive_figure` (Fig. 8 style): one image, each of its sounds, every method;
- :func:`curves_figure`: success curves (AUC) of several methods in one plot.
"""
from __future__ import annotations

from typing import Callable, List, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from avzoo.visualization.benchmark_run import BenchmarkRun
from avzoo.visualization.figures import Panel, heatmap_figure
from avzoo.visualization.plots import success_curves, threshold_by_box_size

SIZE_BINS = (0.0, 0.05, 0.15, 0.3, 0.5, 1.01)      # ground-truth share of the image (avzoo's bins)


def display_frame(path: str, size: int = 224) -> np.ndarray:
    """A frame resized to the maps' ``size`` (as the benchmarks score it) -> ``[size, size, 3]`` uint8."""
    from avzoo.datasets.media import load_frame
    frame = load_frame(path).float()[None]
    frame = F.interpolate(frame, size=(size, size), mode='bilinear', antialias=True, align_corners=False)
    return frame[0].clamp(0, 255).byte().permute(1, 2, 0).numpy()


def thresholds_figure(runs: Sequence[BenchmarkRun], bins: Sequence[float] = SIZE_BINS):
    """cIoU (% of samples with IoU > 0.5) at the standard (median) and the adaptive (GT-size)
    threshold, per ground-truth size bin, for every run (Fig. 5 style). Empty bins are dropped."""
    edges = list(bins)
    labels, rows = [], {r.label: dict(ciou=[], ciou_adap=[], n=[]) for r in runs}
    for lo, hi in zip(edges[:-1], edges[1:]):
        masks = [(r.gt_area >= lo) & (r.gt_area < hi) for r in runs]
        if not masks[0].any():
            continue
        labels.append(f'{100 * lo:.0f}-{min(100, 100 * hi):.0f} %')
        for r, m in zip(runs, masks):
            rows[r.label]['ciou'].append(100.0 * float((r.ciou[m] > 0.5).mean()))
            rows[r.label]['ciou_adap'].append(100.0 * float((r.ciou_adap[m] > 0.5).mean()))
            rows[r.label]['n'].append(int(m.sum()))
    return threshold_by_box_size(rows, labels, f'cIoU by object size on {runs[0].bench}: the standard (median) '
                                                'vs the adaptive (GT-size) threshold')


def _method_rows(runs: Sequence[BenchmarkRun], indices: Sequence[int], first: Callable[[int], str],
                 caption: Callable[[BenchmarkRun, int], str]) -> List[List[Panel]]:
    """One row per sample index: its frame with the ground truth (``first(i)``), then each run's map
    over the same frame (``caption(run, i)``)."""
    rows: List[List[Panel]] = []
    for i in indices:
        frame, gt = display_frame(runs[0].frames[i]), runs[0].gt_maps[i]
        rows.append([Panel(frame, first(i), gt=gt)] +
                    [Panel(frame, caption(r, i), r.heatmaps[i], gt=gt) for r in runs])
    return rows


def qualitative_figure(runs: Sequence[BenchmarkRun], indices: Sequence[int]):
    """Rows: the samples ``indices`` (kept by every run); columns: the frame with its ground truth,
    then each run's map over the same frame (Fig. 6 style)."""
    rows = _method_rows(runs, indices, lambda i: f'{runs[0].kept_ids[i]}: frame',
                        lambda r, i: f'{r.label} (IoU {r.kept_ciou[i]:.2f})')
    return heatmap_figure(rows, f'Where each method hears the sound ({runs[0].bench}): same images, one column per method',
                          'IoU: of the map binarised at its median with the ground truth')


def interactive_figure(runs: Sequence[BenchmarkRun], indices: Sequence[int], sounds: Sequence[str]):
    """One image played with each of its sounds (rows, ``indices`` / ``sounds``), every method
    (columns) (Fig. 8 style): a method that listens moves its map with the sound."""
    sound = dict(zip(indices, sounds))
    rows = _method_rows(runs, indices, lambda i: f'sound: {sound[i]}', lambda r, i: f'{r.label}, sound {sound[i]}')
    return heatmap_figure(rows, f'One image, several sounds, every method ({runs[0].bench})',
                          'each row plays one sound; its ground truth is the outlined object')


def curves_figure(runs: Sequence[BenchmarkRun], adaptive: bool = False):
    """Success curves (share of samples with IoU >= t, t = 0..1) of every run in one plot; the
    legend's AUC is the benchmark's AUC."""
    from avzoo.evaluation.functional import success_curve
    key = 'ciou_adap' if adaptive else 'ciou'
    curves = {r.label: success_curve(torch.from_numpy(getattr(r, key))).numpy() for r in runs}
    kind = 'adaptive' if adaptive else 'standard (median)'
    return success_curves(curves, f'Success curves on {runs[0].bench}, {kind} threshold',
                          xlabel='IoU threshold t', ylabel='share of samples with IoU >= t')
