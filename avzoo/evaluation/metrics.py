"""MMEngine metric wrappers over :mod:`avzoo.evaluation.functional`."""
from __future__ import annotations

from typing import Dict, List, Sequence

import torch
from mmengine.evaluator import BaseMetric

from avzoo.evaluation.functional import localization_summary, per_sample_ious
from avzoo.registry import METRICS


def group_ids(names: Sequence) -> torch.Tensor:
    """Group names (str or int) -> int ids ``[N]`` in order of first appearance."""
    index: Dict = {}
    return torch.tensor([index.setdefault(n, len(index)) for n in names], dtype=torch.long)


@METRICS.register_module()
class LocalizationMetric(BaseMetric):
    """cIoU / AUC (standard and adaptive) and, with ``interactive=True``, IIoU / IAUC over the
    samples' ``group``. Per-sample IoUs are computed batch by batch, so no heatmap is kept.
    Samples whose media could not be read (``valid=False``) are left out and counted."""

    default_prefix = 'loc'

    def __init__(self, interactive: bool = False, collect_device: str = 'cpu', prefix=None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.interactive = interactive

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        valid = [s for s in data_samples if bool(s.get('valid', True))]
        self.results.extend(dict(skipped=True) for s in data_samples if not bool(s.get('valid', True)))
        if not valid:
            return
        ious = per_sample_ious(torch.stack([s['heatmap'] for s in valid]),
                               torch.stack([torch.as_tensor(s['gt_map']).cpu() for s in valid]))
        for i, s in enumerate(valid):
            self.results.append(dict(ciou=float(ious['ciou'][i]), ciou_adap=float(ious['ciou_adap'][i]),
                                     empty_gt=bool(ious['empty_gt'][i]), group=s.get('group', s.get('id'))))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        kept = [r for r in results if not r.get('skipped')]
        ious = {k: torch.tensor([r[k] for r in kept], dtype=torch.float64) for k in ('ciou', 'ciou_adap')}
        ious['empty_gt'] = torch.tensor([r['empty_gt'] for r in kept], dtype=torch.bool)
        groups = group_ids([r['group'] for r in kept]) if self.interactive else None
        summary = localization_summary(ious, groups)
        summary['n_skipped'] = len(results) - len(kept)
        return summary
