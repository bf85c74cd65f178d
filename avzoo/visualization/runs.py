"""One method's predictions over one benchmark, kept per sample for figures: the per-sample cIoUs
(standard and adaptive), the ground-truth area, and the heatmaps of the samples a figure shows.
Scored with the same functions as ``avzoo eval`` (a run's mean cIoU equals the evaluator's)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Union

import numpy as np
import torch

from avzoo.errors import AvzooError

DataRoots = Union[None, str, Sequence[str]]    # `--data-root` values: DIR or NAME=DIR


@dataclass
class BenchmarkRun:
    """``ciou`` / ``ciou_adap``: per-sample IoU at the standard / adaptive threshold ``[N]``;
    ``gt_area``: ground-truth share of the image ``[N]``; ``heatmaps`` / ``gt_maps``: ``[224, 224]``
    of the kept sample indices (dataset indices); ``frames``, ``kept_ids``, ``kept_ciou``: their
    frame paths, ids and IoUs."""
    label: str
    bench: str
    ids: List[str]
    groups: List[str]
    ciou: np.ndarray
    ciou_adap: np.ndarray
    gt_area: np.ndarray
    heatmaps: Dict[int, np.ndarray] = field(default_factory=dict)
    gt_maps: Dict[int, np.ndarray] = field(default_factory=dict)
    frames: Dict[int, str] = field(default_factory=dict)
    kept_ids: Dict[int, str] = field(default_factory=dict)
    kept_ciou: Dict[int, float] = field(default_factory=dict)


def method_config(method: str, bench: str, data_root: DataRoots = None):
    """``(config, benchmark media folder)`` as ``avzoo eval --method`` uses them for ``bench``
    (the method's synth or real config; ``data_root``: ``--data-root`` values)."""
    from avzoo.datasets.benchmarks import benchmark_info
    from avzoo.engine.config import benchmark_config
    from avzoo.zoo import get_method
    spec = get_method(method)
    return benchmark_config(spec.config(benchmark_info(bench).domain), bench, data_root)


def benchmark_runner(method: str, checkpoint: Optional[str], bench: str, data_root: DataRoots = None,
                     ogl: bool = False, dataset: Optional[Callable[[dict], dict]] = None):
    """A quiet test runner of ``method`` on ``bench`` with its weights loaded (``checkpoint``; None for
    the floors, and a trained method without one is one error); ``dataset`` maps the benchmark's
    test dataset config to another one (a folder gallery)."""
    from avzoo.engine.api import test_config
    from avzoo.engine.checkpoint import read_checkpoint
    from avzoo.engine.config import build_runner
    from avzoo.zoo import get_method
    if get_method(method).trains and checkpoint is None:
        raise AvzooError(f'{method}: a trained method needs its checkpoint (--checkpoint, or --run {method}=CHECKPOINT)')
    if checkpoint is not None:
        read_checkpoint(checkpoint)               # a bad file fails here, before the runner is built
    cfg, folder = method_config(method, bench, data_root)
    tcfg = test_config(cfg, bench, checkpoint, folder, ogl=ogl, check_media=dataset is None)
    if dataset is not None:
        tcfg.test_dataloader.dataset = dataset(tcfg.test_dataloader.dataset)
    tcfg.log_level = 'WARNING'
    runner = build_runner(tcfg)
    if checkpoint is not None:
        runner.load_checkpoint(checkpoint)
    return runner


@torch.no_grad()
def run_benchmark(method: str, checkpoint: Optional[str], bench: str, data_root: DataRoots = None,
                  keep: Sequence[int] = (), keep_spaced: int = 0, keep_group: Optional[str] = None,
                  ogl: bool = False, label: Optional[str] = None) -> BenchmarkRun:
    """Predict ``bench`` with ``method`` (weights from ``checkpoint``; None for the floors) and keep
    the heatmaps of the sample indices ``keep``, of ``keep_spaced`` indices spread evenly over the
    test set, and of every sample of the interactive group ``keep_group`` (``'first'``: the first
    group with two or more sounds)."""
    from avzoo.evaluation.functional import per_sample_ious
    from avzoo.utils.terminal import track
    from avzoo.zoo import label as method_label
    runner = benchmark_runner(method, checkpoint, bench, data_root, ogl=ogl)
    model, dataset = runner.model.eval(), runner.test_dataloader.dataset
    keep = set(int(k) for k in keep) | spread_indices(len(dataset), keep_spaced)
    if keep_group is not None:
        keep |= set(group_indices(dataset.items, keep_group))
    ids, groups, ciou, ciou_adap, area = [], [], [], [], []
    run = BenchmarkRun(label or (method_label(method) + (' + OGL' if ogl else '')), bench, ids, groups,
                       np.zeros(0), np.zeros(0), np.zeros(0))
    for batch in track(runner.test_dataloader, f'{run.label} on {bench}'):
        preds = model.test_step(batch)
        valid = [p for p in preds if bool(p.get('valid', True))]
        if valid:
            heat = torch.stack([torch.as_tensor(p['heatmap']).float() for p in valid])
            gt = torch.stack([torch.as_tensor(p['gt_map']).float() for p in valid])
            scores = per_sample_ious(heat, gt)
            batch_ciou = scores['ciou'].nan_to_num(0.0).tolist()
            ciou += batch_ciou
            ciou_adap += scores['ciou_adap'].nan_to_num(0.0).tolist()
            area += (gt > 0).flatten(1).double().mean(dim=1).tolist()
            for p, h, g, c in zip(valid, heat, gt, batch_ciou):
                index = int(p['index'])
                ids.append(str(p['id']))
                groups.append(str(p.get('group', p['id'])))
                if index in keep:
                    run.heatmaps[index], run.gt_maps[index] = h.numpy(), g.numpy()
                    run.frames[index], run.kept_ids[index], run.kept_ciou[index] = \
                        dataset.items[index]['frame'], str(p['id']), c
    run.ciou, run.ciou_adap, run.gt_area = np.array(ciou), np.array(ciou_adap), np.array(area)
    return run


def spread_indices(n: int, k: int) -> set:
    """``k`` sample indices spread evenly over ``n`` (the same ones for every method)."""
    return set(np.linspace(0, n - 1, k).round().astype(int).tolist()) if k > 0 and n > 0 else set()


def group_indices(items: List[dict], group: str) -> List[int]:
    """Indices of the items of interactive ``group`` (``'first'``: the first with >= 2 items)."""
    by_group: Dict[str, List[int]] = {}
    for i, item in enumerate(items):
        by_group.setdefault(item.get('group', item['id']), []).append(i)
    if group == 'first':
        multi = [idx for idx in by_group.values() if len(idx) >= 2]
        if not multi:
            raise AvzooError('no image with two or more sounds in this benchmark (an interactive one has them)')
        return multi[0]
    if group not in by_group:
        raise AvzooError(f'no image (group) {group!r} in this benchmark; e.g. {next(iter(by_group))!r}')
    return by_group[group]
