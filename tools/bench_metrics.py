"""Benchmark: avzoo's batched, chunked metric path against a per-sample NumPy loop.

Scores N heatmaps (default 5,158, the size of VGG-SS) with all standard metrics: cIoU and AUC at
the standard and adaptive thresholds and the interactive aggregates (IIoU / IAUC, pairs of
samples grouped as in IS3). Both paths see identical inputs, produced chunk by chunk from a seed
(smooth 14x14 maps upsampled to 224, boxes of random size, a few empty GTs), so memory stays
bounded; only the scoring is timed. The two results must agree exactly. Last line: one JSON object.

    python tools/bench_metrics.py [--n 5158] [--chunk 256] [--threads 2] [--busy]

``--busy`` keeps another process spinning on one core while both paths run (2-core machines are
shared): the CPU metric path is NumPy, single-threaded per map, so it does not depend on torch's
intra-op threads, which collapse under contention.
"""
from __future__ import annotations

import argparse
import json
import resource
import time
from typing import Dict, Iterator, List, Tuple

import numpy as np
import torch

from avzoo.evaluation.functional import IOU_THRESHOLDS, localization_summary, per_sample_ious


def make_chunks(n: int, chunk: int, seed: int = 0) -> Iterator[Tuple[np.ndarray, np.ndarray]]:
    """Deterministic inputs: (heatmaps float32 ``[c, 224, 224]`` in [0, 1], GT uint8 ``[c, 224, 224]``)."""
    for start in range(0, n, chunk):
        rng = np.random.default_rng(seed + start)
        c = min(chunk, n - start)
        low = torch.from_numpy(rng.random((c, 1, 14, 14), dtype=np.float32))
        heat = torch.nn.functional.interpolate(low, size=(224, 224), mode='bilinear', align_corners=True)[:, 0]
        heat = (heat - heat.amin(dim=(1, 2), keepdim=True)) / (heat.amax(dim=(1, 2), keepdim=True)
                                                             - heat.amin(dim=(1, 2), keepdim=True))
        gt = np.zeros((c, 224, 224), np.uint8)
        for i in range(c):
            if rng.random() < 0.01:
                continue                                      # empty GT (AVSBench-MS3 style)
            w, h = rng.integers(8, 224, size=2)
            x, y = rng.integers(0, 224 - w + 1), rng.integers(0, 224 - h + 1)
            gt[i, y:y + h, x:x + w] = 1
        yield heat.numpy(), gt


def avzoo_path(n: int, chunk: int) -> Tuple[Dict[str, float], float]:
    seconds, parts = 0.0, []
    for heat, gt in make_chunks(n, chunk):
        t = time.perf_counter()
        parts.append(per_sample_ious(torch.from_numpy(heat), torch.from_numpy(gt)))
        seconds += time.perf_counter() - t
    t = time.perf_counter()
    ious = {k: torch.cat([p[k] for p in parts]) for k in parts[0]}
    summary = localization_summary(ious, torch.arange(n) // 2)
    return summary, seconds + time.perf_counter() - t


def numpy_loop_path(n: int, chunk: int) -> Tuple[Dict[str, float], float]:
    """The definitions of docs/metrics.md written sample by sample."""
    seconds = 0.0
    std: List[float] = []
    adap: List[float] = []
    empty = 0
    for heat, gt in make_chunks(n, chunk):
        t = time.perf_counter()
        for p, g in zip(heat, gt):
            flat = np.sort(p.ravel())
            hw = flat.size
            n_gt = int(np.count_nonzero(g))
            empty += n_gt == 0
            g64 = g.astype(np.float64)
            for thr, out in ((flat[hw // 2], std), (flat[hw - n_gt] if n_gt else flat[hw // 2], adap)):
                infer = p > thr
                denom = g64.sum() + np.logical_and(infer, g == 0).sum()
                out.append(float((g64 * infer).sum() / denom) if denom else float('nan'))
        seconds += time.perf_counter() - t
    t = time.perf_counter()
    res: Dict[str, float] = {}
    x = np.array(IOU_THRESHOLDS)
    for key, vals in (('ciou', np.array(std)), ('ciou_adap', np.array(adap))):
        with np.errstate(invalid='ignore'):
            curve = np.array([np.mean(vals >= th) for th in IOU_THRESHOLDS])
            gcurve = []
            for th in IOU_THRESHOLDS:
                ok_per_group: Dict[int, bool] = {}
                for i, ok in enumerate(vals >= th):          # pairs: group = i // 2
                    ok_per_group[i // 2] = ok_per_group.get(i // 2, True) and bool(ok)
                gcurve.append(np.mean(list(ok_per_group.values())))
            gcurve = np.array(gcurve)
        suffix = key[4:]
        res[key] = 100 * curve[10]
        res['auc' + suffix] = 100 * float(np.trapezoid(curve, x))
        res['iiou' + suffix] = 100 * gcurve[10]
        res['iauc' + suffix] = 100 * float(np.trapezoid(gcurve, x))
    res['n_empty_gt'] = empty
    return res, seconds + time.perf_counter() - t


def _spin() -> None:
    while True:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--n', type=int, default=5158)
    parser.add_argument('--chunk', type=int, default=256)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--busy', action='store_true', help='keep one core busy meanwhile')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    import multiprocessing
    spinner = multiprocessing.Process(target=_spin, daemon=True) if args.busy else None
    if spinner:
        spinner.start()
    try:
        ours, t_ours = avzoo_path(args.n, args.chunk)
        ref, t_ref = numpy_loop_path(args.n, args.chunk)
    finally:
        if spinner:
            spinner.terminate()
    for k, v in ref.items():
        if abs(ours[k] - v) > 1e-9:
            raise SystemExit(f'MISMATCH {k}: avzoo {ours[k]} vs numpy loop {v}')
    print(f'results agree: cIoU {ours["ciou"]:.2f} AUC {ours["auc"]:.2f} cIoU adap {ours["ciou_adap"]:.2f} '
          f'IIoU {ours["iiou"]:.2f} IAUC {ours["iauc"]:.2f} (n_empty_gt {ours["n_empty_gt"]})')
    print(f'avzoo (inputs in chunks of {args.chunk}): {t_ours:.2f} s   numpy per-sample loop: {t_ref:.2f} s')
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20      # KiB -> GiB
    print(json.dumps(dict(n=args.n, busy=args.busy, avzoo_s=round(t_ours, 3), numpy_loop_s=round(t_ref, 3),
                          speedup=round(t_ref / t_ours, 2), peak_rss_gb=round(peak, 3))))


if __name__ == '__main__':
    main()
