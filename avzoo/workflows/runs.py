"""One method's predictions over one benchmark, kept per sample for figures: the per-sample cIoUs
(standard and adaptive), the ground-truth area, and the heatmaps of the samples a figure shows.
Scored with the same functions as ``avzoo eval`` (a run's mean cIoU equals the evaluator's)."""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence

import numpy as np
import torch

from avzoo.engine.benchmark_config import DataRoots, benchmark_runner
from avzoo.utils.errors import AvzooError
from avzoo.visualization.benchmark_run import BenchmarkRun


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
