"""Negative-audio evaluation: does a map go quiet when the sound has no visible source?

After Juanola, Haro and Fuentes, "A Critical Assessment of Visual Sound Source Localization
Models Including Negative Audio" (ICASSP 2025; release xavijuanola/vssl_eval, ``eval.py`` and
``utils_dir/eval_utils.py``). Each test image is scored with its own sound (positive) and with
three sounds that have no source in it: silence, noise and an off-screen clip (another clip's
sound, of another class). The maps are *similarity maps* on one absolute scale for every method,
``(cos + 1) / 2`` in ``[0, 1]`` (``LocalizationMethod.similarity_map``; the release's scale), not min-max
normalised per map, since min-max would make every map fire somewhere whatever the sound.

Pure, batched functions; :class:`avzoo.evaluation.metrics.NegativeAudioMetric` wraps them.

- ``pIA`` (proportion of image area activated): the fraction of a negative map's pixels ``>``
  a threshold: the universal one (0.5, the release's default ``--threshold``), or the two
  thresholds taken from the image's *positive* map: the median (``_std``, the cIoU rule) and the
  adaptive one (``_adap``, the positive map's value at rank ``HW - |GT|``). Lower is better.
- ``AOC``: the area under the curve ``t -> fraction of samples with pIA <= t``, t = 0, 0.05, ..., 1
  (21-point trapezoid, the release's ``compute_AUC_pIA``). Higher is better.
- ``IoU(pos, neg)``: IoU of the binarised positive and negative maps at the same threshold (1 when
  both are empty, the release's ``compute_IOU_maps``). A map that ignores the sound scores 1.
- The distributions of each raw map's maximum and minimum (positive vs each negative) and the one
  threshold on the maximum that best separates positive from negative sounds (balanced
  accuracy; 0.5 = no threshold separates them). The release prints the distributions' means and
  medians and leaves the separating threshold to its figures; avzoo computes it.
"""
from __future__ import annotations

from typing import Dict, Optional, Tuple

import torch
from torch import Tensor

from avzoo.evaluation.functional import map_thresholds

NEGATIVE_KINDS = ('silence', 'noise', 'offscreen')
UNIVERSAL_THRESHOLD = 0.5          # xavijuanola/vssl_eval eval.py, --threshold default
PIA_THRESHOLDS = tuple(0.05 * i for i in range(21))


def pia(maps: Tensor, thresholds) -> Tensor:
    """Fraction of pixels ``> threshold`` per map: ``[N, H, W]``, float or ``[N]`` -> ``[N]`` float64."""
    t = torch.as_tensor(thresholds, dtype=maps.dtype, device=maps.device)
    t = t.view(-1, *([1] * (maps.dim() - 1))) if t.dim() else t
    return (maps > t).flatten(1).double().mean(dim=1)


def aoc(pia_values: Tensor) -> float:
    """Area under ``t -> P(pIA <= t)`` over t = 0, 0.05, ..., 1 (trapezoid), in ``[0, 1]``."""
    v = pia_values.double()
    curve = torch.stack([(v <= t).double().mean() for t in PIA_THRESHOLDS])
    return float(torch.trapezoid(curve, torch.tensor(PIA_THRESHOLDS, dtype=torch.float64)))


def binary_iou(a: Tensor, b: Tensor) -> Tensor:
    """IoU of two binary maps per sample: ``[N, H, W]`` bool x2 -> ``[N]`` float64; 1 when both are empty."""
    a, b = a.flatten(1), b.flatten(1)
    inter = (a & b).sum(dim=1).double()
    union = (a | b).sum(dim=1).double()
    return torch.where(union == 0, torch.ones_like(union), inter / union.clamp_min(1))


def positive_thresholds(pos: Tensor, gt: Tensor) -> Tuple[Tensor, Tensor]:
    """The thresholds the cIoU rules take from each positive map: median (``sorted[HW // 2]``) and
    adaptive (``sorted[HW - |GT|]``, the median for an empty GT), ``[N]`` each."""
    median, adaptive, _ = map_thresholds(pos, gt)
    return median, adaptive


def per_sample_negative_scores(pos: Tensor, negs: Dict[str, Tensor], gt: Tensor,
                               threshold: float = UNIVERSAL_THRESHOLD) -> Dict[str, Tensor]:
    """Per-sample pIA and IoU for every negative kind: ``pos`` ``[N, H, W]``, ``negs[kind]``
    ``[N, H, W]``, ``gt`` ``[N, H, W]`` -> ``{pia_<kind>, pia_<kind>_std, pia_<kind>_adap,
    iou_pos_<kind>, iou_pos_<kind>_adap: [N]}`` (fractions)."""
    std, adap = positive_thresholds(pos, gt)
    pos_univ = pos > threshold
    pos_adap = pos > adap.view(-1, 1, 1)
    out: Dict[str, Tensor] = {}
    for kind, neg in negs.items():
        out[f'pia_{kind}'] = pia(neg, threshold)
        out[f'pia_{kind}_std'] = pia(neg, std)
        out[f'pia_{kind}_adap'] = pia(neg, adap)
        out[f'iou_pos_{kind}'] = binary_iou(pos_univ, neg > threshold)
        out[f'iou_pos_{kind}_adap'] = binary_iou(pos_adap, neg > adap.view(-1, 1, 1))
    return out


def max_separation(pos: Tensor, neg: Tensor) -> Tuple[Optional[float], float]:
    """The threshold ``t`` on a score (a map's maximum) that best separates positives (``> t``)
    from negatives (``<= t``), and its balanced accuracy ``(P(pos > t) + P(neg <= t)) / 2``.
    ``pos`` ``[N]``, ``neg`` ``[M]``; ``t`` is taken among the observed values (and below all of
    them); ties keep the lowest ``t``. 1.0 = one threshold separates them; 0.5 = none helps, and
    then ``t`` is None (the "threshold" below every value calls everything positive: no threshold)."""
    pos, neg = pos.double().flatten().sort().values, neg.double().flatten().sort().values
    values = torch.cat([pos, neg])
    candidates = torch.cat([values.min().view(1) - 1, values.unique()])        # sorted
    tpr = 1 - torch.searchsorted(pos, candidates, right=True).double() / pos.numel()
    tnr = torch.searchsorted(neg, candidates, right=True).double() / neg.numel()
    acc = (tpr + tnr) / 2
    best = int(torch.argmax(acc))
    return (None if best == 0 else float(candidates[best])), float(acc[best])


def negative_summary(scores: Dict[str, Tensor], extremes: Dict[str, Tensor]) -> Dict[str, float]:
    """Table numbers (percent for pIA / AOC / IoU / accuracy; map units for max, min and the
    separating threshold) from the per-sample ``scores`` and the raw maps' ``extremes``
    (``max_pos``, ``min_pos``, ``max_<kind>``, ``min_<kind>``: ``[N]``)."""
    out: Dict[str, float] = {}
    for key, v in scores.items():
        out[key] = 100.0 * float(v.double().mean())
        if key.startswith('pia_'):
            out['aoc' + key[3:]] = 100.0 * aoc(v)
    for key, v in extremes.items():
        out[f'{key}_mean'] = float(v.double().mean())
        out[f'{key}_median'] = float(v.double().median())
    kinds = [k[4:] for k in extremes if k.startswith('max_') and k != 'max_pos']
    for kind in kinds:
        t, acc = max_separation(extremes['max_pos'], extremes[f'max_{kind}'])
        out[f'sep_thr_{kind}'], out[f'sep_acc_{kind}'] = t, 100.0 * acc
    if kinds:
        t, acc = max_separation(extremes['max_pos'], torch.cat([extremes[f'max_{k}'] for k in kinds]))
        out['sep_thr_all'], out['sep_acc_all'] = t, 100.0 * acc
    return out
