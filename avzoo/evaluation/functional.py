"""Localisation metrics as pure, batched tensor functions (METRICS.md, the releases' rules).

Per-sample functions take ``pred`` ``[N, H, W]`` (min-max normalised maps) and ``gt``
``[N, H, W]`` (0/1, or 0/0.5/1 Flickr consensus). Aggregates return fractions in [0, 1]; tables
multiply by 100. Everything sorts per sample once (``torch.sort``) and never loops over pixels.

Reference rules kept on purpose:
- thresholds are sorted values: ``sorted[int(H*W/2)]`` (standard) and ``sorted[H*W - n_gt]``
  (adaptive) with a STRICT ``pred > thr``, so ties at the threshold are not selected;
- an empty GT (``n_gt == 0``) has no adaptive index in the reference code: avzoo falls back to
  the standard threshold for that sample and counts it (``n_empty_gt``);
- cIoU = sum(I*G) / (sum(G) + sum(I*[G==0])); when the denominator is 0 (empty GT and empty
  prediction) the reference divides 0 by 0: the value is NaN, which fails every ``>=`` test,
  and is counted (``n_undefined``);
- success thresholds are the Python floats ``0.05 * i`` (i = 0..20) and AUC is the trapezoid
  over them (sklearn.metrics.auc), so results match the reference bit for bit.
"""
from __future__ import annotations

from typing import Dict, Optional, Sequence

import torch
from torch import Tensor

IOU_THRESHOLDS = [0.05 * i for i in range(21)]  # exactly the reference's floats


def sorted_maps(pred: Tensor) -> Tensor:
    """``[N, H, W]`` -> ascending per-sample values ``[N, H*W]``."""
    return torch.sort(pred.flatten(1), dim=1).values


def median_thresholds(sorted_pred: Tensor) -> Tensor:
    """Standard ("top 50 %") threshold ``sorted[int(H*W/2)]``: ``[N, HW]`` -> ``[N]``."""
    return sorted_pred[:, sorted_pred.shape[1] // 2]


def adaptive_thresholds(sorted_pred: Tensor, gt: Tensor):
    """Adaptive threshold ``sorted[H*W - n]``, n = non-zero GT pixels: -> (``[N]``, empty ``[N]`` bool).
    Empty GT falls back to the median threshold."""
    hw = sorted_pred.shape[1]
    n = (gt.flatten(1) != 0).sum(dim=1)
    empty = n == 0
    idx = torch.where(empty, torch.full_like(n, hw // 2), hw - n)
    return sorted_pred.gather(1, idx.unsqueeze(1)).squeeze(1), empty


def ciou(pred: Tensor, gt: Tensor, thr: Tensor, strict: bool = True) -> Tensor:
    """Consensus IoU per sample ``[N]`` (float64; NaN when the denominator is 0).
    ``strict``: ``pred > thr`` (standard); ``False``: ``pred >= thr`` (extended benchmarks)."""
    t = thr.view(-1, *([1] * (pred.dim() - 1)))
    infer = (pred > t) if strict else (pred >= t)
    g = gt.to(torch.float64).flatten(1)
    infer = infer.flatten(1)
    inter = (g * infer).sum(dim=1)
    denom = g.sum(dim=1) + (infer & (g == 0)).sum(dim=1)
    return inter / denom  # 0 / 0 -> NaN, as in the reference


def per_sample_ious(pred: Tensor, gt: Tensor, chunk: int = 512) -> Dict[str, Tensor]:
    """Standard and adaptive cIoU of every sample, in chunks of ``chunk`` samples so memory stays
    bounded: -> ``{'ciou': [N], 'ciou_adap': [N], 'empty_gt': [N] bool}``."""
    out = {'ciou': [], 'ciou_adap': [], 'empty_gt': []}
    for s in range(0, pred.shape[0], chunk):
        p, g = pred[s:s + chunk].float(), gt[s:s + chunk]
        sp = sorted_maps(p)
        thr_adap, empty = adaptive_thresholds(sp, g)
        out['ciou'].append(ciou(p, g, median_thresholds(sp)))
        out['ciou_adap'].append(ciou(p, g, thr_adap))
        out['empty_gt'].append(empty)
    return {k: torch.cat(v) if v else torch.zeros(0) for k, v in out.items()}


def success_curve(ious: Tensor, thresholds: Sequence[float] = IOU_THRESHOLDS) -> Tensor:
    """Fraction of samples with IoU >= t for each t: ``[N]`` -> ``[T]`` (NaN counts as failure)."""
    if ious.numel() == 0:
        return torch.zeros(len(thresholds), dtype=torch.float64)
    t = torch.tensor(thresholds, dtype=torch.float64)
    return (ious.to(torch.float64).unsqueeze(0) >= t.unsqueeze(1)).to(torch.float64).mean(dim=1)


def success_rate(ious: Tensor, threshold: float = 0.5) -> float:
    """The "cIoU" column: fraction of samples with IoU >= 0.5."""
    return float(success_curve(ious, [threshold])[0])


def auc(curve: Tensor, thresholds: Sequence[float] = IOU_THRESHOLDS) -> float:
    """Trapezoidal area under a success curve (sklearn.metrics.auc semantics)."""
    return float(torch.trapezoid(curve, torch.tensor(thresholds, dtype=torch.float64)))


def group_success_curve(ious: Tensor, groups: Tensor,
                        thresholds: Sequence[float] = IOU_THRESHOLDS) -> Tensor:
    """Interactive curve: for each t, mean over groups of min over the group's samples of
    [IoU >= t]. ``ious`` ``[N]``, ``groups`` ``[N]`` int ids -> ``[T]``."""
    _, inverse = torch.unique(groups, return_inverse=True)
    n_groups = int(inverse.max()) + 1 if inverse.numel() else 0
    if n_groups == 0:
        return torch.zeros(len(thresholds), dtype=torch.float64)
    t = torch.tensor(thresholds, dtype=torch.float64)
    ok = (ious.to(torch.float64).unsqueeze(0) >= t.unsqueeze(1)).to(torch.float64)  # [T, N]
    per_group = torch.ones(len(thresholds), n_groups, dtype=torch.float64)
    per_group.scatter_reduce_(1, inverse.unsqueeze(0).expand_as(ok), ok, reduce='amin')
    return per_group.mean(dim=1)


def localization_summary(ious: Dict[str, Tensor], groups: Optional[Tensor] = None) -> Dict[str, float]:
    """Table numbers in percent from :func:`per_sample_ious` output (and optional group ids):
    ``ciou, ciou_adap, auc, auc_adap`` (+ ``iiou, iiou_adap, iauc, iauc_adap``) and counts."""
    res: Dict[str, float] = {}
    for key in ('ciou', 'ciou_adap'):
        curve = success_curve(ious[key])
        res[key] = 100.0 * float(curve[10])
        res['auc' + key[4:]] = 100.0 * auc(curve)
        if groups is not None:
            gcurve = group_success_curve(ious[key], groups)
            res['iiou' + key[4:]] = 100.0 * float(gcurve[10])
            res['iauc' + key[4:]] = 100.0 * auc(gcurve)
    res['n'] = int(ious['ciou'].numel())
    res['n_empty_gt'] = int(ious['empty_gt'].sum())
    res['n_undefined'] = int(torch.isnan(ious['ciou']).sum() + torch.isnan(ious['ciou_adap']).sum())
    if groups is not None:
        res['n_groups'] = int(torch.unique(groups).numel())
    return res
