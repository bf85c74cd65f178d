"""``avzoo score PRED.npz``: the paper's metrics for heatmaps a user brings."""
from __future__ import annotations

import os
from typing import Dict

import numpy as np
import torch

from avzoo.errors import AvzooError
from avzoo.evaluation.functional import localization_summary, per_sample_ious
from avzoo.evaluation.metrics import group_ids
from avzoo.models.localizer import minmax_normalize, upsample_maps


def load_predictions(path: str) -> Dict[str, np.ndarray]:
    """Read and validate an ``.npz`` with ``heatmaps`` ``[N, H, W]``, ``gt_maps`` ``[N, 224, 224]``
    and optional ``pair_ids`` ``[N]``."""
    if not os.path.isfile(path):
        raise AvzooError(f'{path}: file not found')
    try:
        data = dict(np.load(path, allow_pickle=False))
    except Exception as exc:  # not a zip, pickled objects, truncated
        raise AvzooError(f'{path}: not a readable .npz ({exc})') from None
    for key in ('heatmaps', 'gt_maps'):
        if key not in data:
            raise AvzooError(f'{path}: missing array {key!r} (expected heatmaps [N,H,W] and gt_maps [N,224,224])')
    heat, gt = data['heatmaps'], data['gt_maps']
    if heat.ndim != 3 or not np.issubdtype(heat.dtype, np.number):
        raise AvzooError(f'{path}: heatmaps must be numeric [N, H, W], got shape {heat.shape} {heat.dtype}')
    if gt.ndim != 3 or gt.shape[0] != heat.shape[0]:
        raise AvzooError(f'{path}: gt_maps must be [N, H, W] with N = {heat.shape[0]} (heatmaps), got {gt.shape}')
    if gt.shape[1] != gt.shape[2]:
        raise AvzooError(f'{path}: gt_maps must be square (224x224), got {gt.shape[1:]}')
    bad = ~np.isin(gt, (0.0, 0.5, 1.0))
    if bad.any():
        raise AvzooError(f'{path}: gt_maps values must be 0/1 (or 0.5 for Flickr consensus); found '
                         f'{np.unique(gt[bad])[:5].tolist()}')
    if not np.isfinite(heat).all():
        raise AvzooError(f'{path}: heatmaps contain NaN or inf in {int((~np.isfinite(heat)).any(axis=(1, 2)).sum())} samples')
    if 'pair_ids' in data and data['pair_ids'].shape != (heat.shape[0],):
        raise AvzooError(f'{path}: pair_ids must be [N] with N = {heat.shape[0]}, got {data["pair_ids"].shape}')
    return data


def score_predictions(data: Dict[str, np.ndarray], chunk: int = 512) -> Dict[str, float]:
    """Per METRICS.md: heatmaps are resized to the GT size (bilinear, align_corners=True) when they
    differ, min-max normalised per sample, then scored in chunks."""
    gt = torch.from_numpy(np.ascontiguousarray(data['gt_maps'])).float()
    heat = torch.from_numpy(np.ascontiguousarray(data['heatmaps'])).float()
    size = gt.shape[-1]
    parts = []
    for s in range(0, heat.shape[0], chunk):
        h = heat[s:s + chunk]
        if h.shape[-2:] != gt.shape[-2:]:
            h = upsample_maps(h, size)
        parts.append(per_sample_ious(minmax_normalize(h), gt[s:s + chunk], chunk=chunk))
    ious = {k: torch.cat([p[k] for p in parts]) for k in parts[0]}
    groups = group_ids(data['pair_ids'].tolist()) if 'pair_ids' in data else None
    return localization_summary(ious, groups)
