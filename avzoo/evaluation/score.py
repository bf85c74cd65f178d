"""``avzoo score PRED.npz``: the paper's metrics for heatmaps a user brings."""
from __future__ import annotations

import os
import zipfile
from typing import Dict

import numpy as np
import torch

from avzoo.evaluation import functional as F
from avzoo.evaluation.functional import localization_summary, per_sample_ious
from avzoo.evaluation.metrics import group_ids
from avzoo.models.ops import minmax_normalize, upsample_maps
from avzoo.utils.errors import AvzooError

GT_SIZE = 224   # every benchmark scores maps at 224x224


def load_predictions(path: str) -> Dict[str, np.ndarray]:
    """Read and validate an ``.npz`` with ``heatmaps`` ``[N, H, W]``, ``gt_maps`` ``[N, 224, 224]``
    and optional ``pair_ids`` ``[N]``."""
    if not os.path.isfile(path):
        raise AvzooError(f'{path}: file not found')
    if not zipfile.is_zipfile(path):
        raise AvzooError(f'{path}: not an .npz archive (expected the zip of arrays numpy.savez writes: '
                         f'heatmaps [N,H,W], gt_maps [N,224,224], ...)')
    try:
        with np.load(path, allow_pickle=False) as npz:
            data = {k: npz[k] for k in npz.files}
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:   # object arrays, truncated members
        reason = 'it holds object (pickled) arrays' if 'pickle' in str(exc) else f'{type(exc).__name__}'
        raise AvzooError(f'{path}: not a readable .npz of numeric arrays ({reason})') from None
    for key in ('heatmaps', 'gt_maps'):
        if key not in data:
            raise AvzooError(f'{path}: missing array {key!r} (expected heatmaps [N,H,W] and gt_maps [N,224,224])')
    heat, gt = data['heatmaps'], data['gt_maps']
    if heat.ndim != 3 or not np.issubdtype(heat.dtype, np.number):
        raise AvzooError(f'{path}: heatmaps must be numeric [N, H, W], got shape {heat.shape} {heat.dtype}')
    if gt.ndim != 3 or gt.shape[0] != heat.shape[0]:
        raise AvzooError(f'{path}: gt_maps must be [N, H, W] with N = {heat.shape[0]} (heatmaps), got {gt.shape}')
    if heat.shape[0] == 0 or min(heat.shape[1:]) == 0:
        raise AvzooError(f'{path}: holds no maps to score (heatmaps {heat.shape}; expected N >= 1 maps of H, W >= 1)')
    if gt.shape[1:] != (GT_SIZE, GT_SIZE):
        raise AvzooError(f'{path}: gt_maps must be [N, {GT_SIZE}, {GT_SIZE}] (the benchmarks\' resolution), '
                         f'got {gt.shape}')
    bad = ~np.isin(gt, (0.0, 0.5, 1.0))
    if bad.any():
        raise AvzooError(f'{path}: gt_maps values must be 0/1 (or 0.5 for Flickr consensus); found '
                         f'{np.unique(gt[bad])[:5].tolist()}')
    if not np.isfinite(heat).all():
        raise AvzooError(f'{path}: heatmaps contain NaN or inf in {int((~np.isfinite(heat)).any(axis=(1, 2)).sum())} samples')
    n = heat.shape[0]
    for key in ('pair_ids', 'n_sources', 'confidence'):
        if key in data and data[key].shape != (n,):
            raise AvzooError(f'{path}: {key} must be [N] with N = {n}, got {data[key].shape}')
    if ('n_sources' in data) != ('confidence' in data):
        raise AvzooError(f'{path}: the extended metrics need both n_sources [N] and confidence [N]')
    if 'n_sources' in data:
        k = data['n_sources']
        if not np.issubdtype(k.dtype, np.integer) or (k < 0).any():
            raise AvzooError(f'{path}: n_sources must be non-negative integers, got {k.dtype}')
        silent_with_gt = int(((k == 0) & (gt.reshape(n, -1) != 0).any(axis=1)).sum())
        if silent_with_gt:
            raise AvzooError(f'{path}: {silent_with_gt} samples have n_sources = 0 but a non-zero gt_map '
                             f'(non-sounding samples must have all-zero GT)')
        if not np.isfinite(data['confidence']).all():
            raise AvzooError(f'{path}: confidence contains NaN or inf')
    for key in ('audio_emb', 'visual_emb'):
        if key in data and (data[key].ndim != 2 or data[key].shape[0] != n):
            raise AvzooError(f'{path}: {key} must be [N, C] with N = {n}, got {data[key].shape}')
    if ('audio_emb' in data) != ('visual_emb' in data):
        raise AvzooError(f'{path}: retrieval needs both audio_emb [N, C] and visual_emb [N, C]')
    if 'audio_emb' in data and data['audio_emb'].shape[1] != data['visual_emb'].shape[1]:
        raise AvzooError(f'{path}: audio_emb {data["audio_emb"].shape} and visual_emb {data["visual_emb"].shape} '
                         f'must have the same width C (embeddings of one shared space)')
    for key in ('audio_emb', 'visual_emb'):
        if key in data and not np.isfinite(data[key]).all():
            raise AvzooError(f'{path}: {key} contains NaN or inf')
    neg_keys = [k for k in data if k.startswith('sim_maps_')]
    if neg_keys or 'sim_maps' in data:
        from avzoo.evaluation.negatives import NEGATIVE_KINDS
        if 'sim_maps' not in data or not neg_keys:
            raise AvzooError(f'{path}: negative audio needs sim_maps [N, H, W] (the positive sound) and at least one '
                             f'sim_maps_<kind> [N, H, W] (kind: {", ".join(NEGATIVE_KINDS)})')
        unknown = [k for k in neg_keys if k[len('sim_maps_'):] not in NEGATIVE_KINDS]
        if unknown:
            raise AvzooError(f'{path}: unknown negative kind(s) {unknown}; expected sim_maps_<kind> with kind in {NEGATIVE_KINDS}')
        shape = data['sim_maps'].shape
        for key in ['sim_maps'] + neg_keys:
            if data[key].ndim != 3 or data[key].shape != shape or data[key].shape[0] != n:
                raise AvzooError(f'{path}: {key} must be [N, H, W] with N = {n}, all sim_maps* of one shape; '
                                 f'got {data[key].shape} (sim_maps {shape})')
            if not np.isfinite(data[key]).all():
                raise AvzooError(f'{path}: {key} contains NaN or inf')
    return data


def score_negatives(data: Dict[str, np.ndarray], threshold: float = 0.5) -> Dict[str, float]:
    """Negative-audio metrics of ``sim_maps`` / ``sim_maps_<kind>`` (absolute-scale similarity maps,
    ``(cos + 1) / 2``, never min-max normalised): the maxima and minima are taken from the maps as
    given; pIA and IoU on the maps resized to the GT size (bilinear, align_corners=True) when they
    differ, exactly as ``avzoo eval --negatives`` scores a model's maps."""
    from avzoo.evaluation.negatives import negative_summary, per_sample_negative_scores
    gt = torch.from_numpy(np.ascontiguousarray(data['gt_maps'])).float()
    maps = {k[len('sim_maps'):].lstrip('_') or 'pos': torch.from_numpy(np.ascontiguousarray(v)).float()
            for k, v in data.items() if k == 'sim_maps' or k.startswith('sim_maps_')}
    extremes = {}
    for kind, m in maps.items():
        extremes[f'max_{kind}'] = m.flatten(1).max(dim=1).values.double()
        extremes[f'min_{kind}'] = m.flatten(1).min(dim=1).values.double()
    size = gt.shape[-1]
    up = {k: (upsample_maps(m, size) if m.shape[-2:] != gt.shape[-2:] else m) for k, m in maps.items()}
    pos = up.pop('pos')
    scores = per_sample_negative_scores(pos, up, gt, threshold)
    out = negative_summary(scores, extremes)
    out['threshold'] = threshold
    return out


def score_predictions(data: Dict[str, np.ndarray], chunk: int = 512, threshold: float = 0.5) -> Dict[str, float]:
    """Per docs/metrics.md: heatmaps are resized to the GT size (bilinear, align_corners=True) when they
    differ, min-max normalised per sample, then scored in chunks: cIoU / AUC (+ adaptive), AVS
    mIoU / F-score (+ adaptive); IIoU / IAUC with ``pair_ids``; AP / max-F1 / LocAcc with
    ``n_sources`` and ``confidence``; R@K and the alignment analysis with ``audio_emb`` and
    ``visual_emb``; the negative-audio metrics with ``sim_maps`` and ``sim_maps_<kind>``
    (:func:`score_negatives`, universal ``threshold``)."""
    gt = torch.from_numpy(np.ascontiguousarray(data['gt_maps'])).float()
    heat = torch.from_numpy(np.ascontiguousarray(data['heatmaps'])).float()
    size = gt.shape[-1]
    parts = []
    for s in range(0, heat.shape[0], chunk):
        h = heat[s:s + chunk]
        if h.shape[-2:] != gt.shape[-2:]:
            h = upsample_maps(h, size)
        h, g = minmax_normalize(h), gt[s:s + chunk]
        thr = F.map_thresholds(h, g)                   # selected once, shared by every family
        part = per_sample_ious(h, g, thresholds=thr)
        part['ext_iou'] = F.extended_ious(h, g, thresholds=thr) if 'n_sources' in data else torch.zeros(0)
        for suffix, adaptive in (('', False), ('_adap', True)):
            part.update({f'seg_{k}{suffix}': v
                         for k, v in F.segmentation_scores(h, g, adaptive, thresholds=thr).items()})
        parts.append(part)
    col = {k: torch.cat([p[k] for p in parts]) for k in parts[0]}
    groups = group_ids(data['pair_ids'].tolist()) if 'pair_ids' in data else None
    out = localization_summary(col, groups)
    for suffix in ('', '_adap'):
        out.update(F.segmentation_summary({k: col[f'seg_{k}{suffix}'] for k in ('iou', 'f', 'f_all', 'empty_gt')},
                                          suffix))
    if 'n_sources' in data:
        ext = F.extended_summary(col['ext_iou'], col['ciou'], torch.from_numpy(data['confidence']).double(),
                                 torch.from_numpy(data['n_sources']).long())
        out.update({k: v for k, v in ext.items() if k != 'n'})
    if 'audio_emb' in data:
        a, v = torch.from_numpy(data['audio_emb']).double(), torch.from_numpy(data['visual_emb']).double()
        out.update(F.retrieval_recalls(a, v))
        out.update(F.alignment_analysis(a, v))
    if 'sim_maps' in data:
        out.update({k: v for k, v in score_negatives(data, threshold).items()})
    return out
