"""Localisation metrics as pure, batched tensor functions (docs/metrics.md, the releases' rules).

Per-sample functions take ``pred`` ``[N, H, W]`` (min-max normalised maps) and ``gt``
``[N, H, W]`` (0/1, or 0/0.5/1 Flickr consensus). Aggregates return fractions in [0, 1]; tables
multiply by 100. Thresholds are order statistics of each map (:func:`order_statistics`: a
selection, not a full sort, on CPU); nothing loops over pixels.

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

from typing import Dict, Optional, Sequence, Tuple

import numpy as np
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


def order_statistics(flat: Tensor, index: Tensor) -> Tensor:
    """``sorted(flat[i])[index[i, j]]`` without a full sort: ``[N, M]``, int ``[N, J]`` -> ``[N, J]``.

    On CPU each row is partitioned around its J indices (NumPy's introselect, linear time: about
    3x faster than ``torch.sort`` of a 224x224 map and the reason the chunked metrics beat a
    per-sample loop, ``tools/bench_metrics.py``); on an accelerator the batched ``torch.sort``
    is used. Both give exactly the sorted values."""
    if flat.device.type != 'cpu':
        return torch.sort(flat, dim=1).values.gather(1, index)
    values = flat.detach().contiguous().numpy()
    idx = index.cpu().numpy()
    out = np.empty(idx.shape, dtype=values.dtype)
    for i in range(values.shape[0]):
        out[i] = np.partition(values[i], idx[i])[idx[i]]
    return torch.from_numpy(out)


Thresholds = Tuple[Tensor, Tensor, Tensor]   # (median [N], adaptive [N], empty GT [N] bool)


def map_thresholds(pred: Tensor, gt: Tensor) -> Thresholds:
    """Both thresholds of every map at once: ``[N, H, W]`` x2 -> (median ``[N]``, adaptive ``[N]``,
    empty GT ``[N]`` bool); the same values as :func:`median_thresholds` and
    :func:`adaptive_thresholds` on :func:`sorted_maps` (maps scored in float32, as everywhere)."""
    flat = pred.flatten(1).float()
    hw = flat.shape[1]
    n = (gt.flatten(1) != 0).sum(dim=1)
    empty = n == 0
    median = torch.full_like(n, hw // 2)
    stats = order_statistics(flat, torch.stack([median, torch.where(empty, median, hw - n)], dim=1))
    return stats[:, 0], stats[:, 1], empty


def _block_thresholds(p: Tensor, g: Tensor, thresholds: Optional[Thresholds], start: int) -> Thresholds:
    """Thresholds of the block ``p`` starting at sample ``start``: sliced from ``thresholds`` (computed
    once by the caller for several metric families) or selected now."""
    if thresholds is None:
        return map_thresholds(p, g)
    return tuple(t[start:start + p.shape[0]] for t in thresholds)


def ciou(pred: Tensor, gt: Tensor, thr: Tensor, strict: bool = True) -> Tensor:
    """Consensus IoU per sample ``[N]`` (float64; NaN when the denominator is 0).
    ``strict``: ``pred > thr`` (standard); ``False``: ``pred >= thr`` (extended benchmarks).
    GT sums are taken in float32, which is exact for 0 / 0.5 / 1 maps (multiples of 0.5 below 2^23)."""
    if pred.device.type == 'cpu':
        return _ciou_numpy(pred, gt, thr, strict)
    t = thr.view(-1, *([1] * (pred.dim() - 1)))
    infer = ((pred > t) if strict else (pred >= t)).flatten(1)
    g = gt.flatten(1)
    gf = g.float()
    inter = (gf * infer).sum(dim=1).double()
    denom = gf.sum(dim=1).double() + (infer & (g == 0)).sum(dim=1)
    return inter / denom  # 0 / 0 -> NaN, as in the reference


def _ciou_numpy(pred: Tensor, gt: Tensor, thr: Tensor, strict: bool) -> Tensor:
    """:func:`ciou` on the CPU in NumPy, one single-threaded SIMD pass per map: the same numbers
    (float32 sums of 0 / 0.5 / 1 are exact), and no intra-op thread pool to collapse when another
    process keeps a core busy (tools/bench_metrics.py --busy)."""
    n = pred.shape[0]
    p = pred.detach().reshape(n, -1).numpy()
    g = gt.detach().reshape(n, -1).numpy()
    t = thr.detach().reshape(n, 1).numpy()
    infer = (p > t) if strict else (p >= t)
    gf = g.astype(np.float32, copy=False)
    inter = np.einsum('ij,ij->i', gf, infer.astype(np.float32)).astype(np.float64)
    denom = gf.sum(axis=1, dtype=np.float32).astype(np.float64) + np.count_nonzero(infer & (g == 0), axis=1)
    with np.errstate(invalid='ignore', divide='ignore'):
        return torch.from_numpy(inter / denom)  # 0 / 0 -> NaN, as in the reference


def per_sample_ious(pred: Tensor, gt: Tensor, chunk: int = 16,
                    thresholds: Optional[Thresholds] = None) -> Dict[str, Tensor]:
    """Standard and adaptive cIoU of every sample, in blocks of ``chunk`` samples (16 maps of
    224x224 stay in the CPU cache; memory stays bounded for any N); ``thresholds``: the
    :func:`map_thresholds` of ``pred`` if the caller already has them.
    -> ``{'ciou': [N], 'ciou_adap': [N], 'empty_gt': [N] bool}``."""
    out = {'ciou': [], 'ciou_adap': [], 'empty_gt': []}
    for s in range(0, pred.shape[0], chunk):
        p, g = pred[s:s + chunk].float(), gt[s:s + chunk]
        thr, thr_adap, empty = _block_thresholds(p, g, thresholds, s)
        out['ciou'].append(ciou(p, g, thr))
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


# -- extended benchmarks (Extended Flickr / VGG-SS: AP, max-F1, LocAcc; SLAVC's rules) -------------
def extended_ious(pred: Tensor, gt: Tensor, chunk: int = 16, thresholds: Optional[Thresholds] = None) -> Tensor:
    """Extended per-sample cIoU: median threshold ``sorted[int(HW/2)]`` with ``pred >= thr``
    (note ``>=``, unlike the standard rule) -> ``[N]``."""
    out = [ciou(p := pred[s:s + chunk].float(), g := gt[s:s + chunk], _block_thresholds(p, g, thresholds, s)[0],
                strict=False)
           for s in range(0, pred.shape[0], chunk)]
    return torch.cat(out) if out else torch.zeros(0, dtype=torch.float64)


def _count_at_least(values: Tensor, thresholds: Tensor) -> Tensor:
    """For each threshold t: #{values >= t}: ``[M]``, ``[K]`` -> ``[K]``."""
    v = torch.sort(values.to(torch.float64)).values
    return v.numel() - torch.searchsorted(v, thresholds.to(torch.float64).contiguous(), side='left')


def precision_recall(confidence: Tensor, n_sources: Tensor, ious: Tensor, thresholds: Tensor,
                     iou_threshold: float = 0.5):
    """Detection-style precision / recall at each confidence threshold ``[K]``: a sample with
    ``n_sources == 0`` and ``c >= t`` is a FP; with sources and ``c >= t`` a TP if its IoU
    >= ``iou_threshold`` else a FP; with sources and ``c < t`` a FN. P = 1 when nothing is
    detected, R = 1 when there is nothing to find. -> (``[K]``, ``[K]``) float64."""
    pos = n_sources > 0
    hit = pos & (ious.to(torch.float64) >= iou_threshold)
    detected = _count_at_least(confidence, thresholds)
    tp = _count_at_least(confidence[hit], thresholds)
    fn = int(pos.sum()) - _count_at_least(confidence[pos], thresholds)
    fp = detected - tp
    precision = torch.where(tp + fp == 0, torch.ones(()), tp / (tp + fp).clamp_min(1)).to(torch.float64)
    recall = torch.where(tp + fn == 0, torch.ones(()), tp / (tp + fn).clamp_min(1)).to(torch.float64)
    return precision, recall


def average_precision(confidence: Tensor, n_sources: Tensor, ious: Tensor) -> float:
    """AP per docs/metrics.md: T = ascending confidences without the last, read backwards in steps of
    ``max(1, N // 200)``; AP = sum_j max(P_j..P_last) * (R_{j+1} - R_j). In [0, 1]."""
    n = confidence.numel()
    if n < 2:
        return 0.0
    t = torch.sort(confidence.to(torch.float64)).values[:-1].flip(0)[::max(1, n // 200)]
    p, r = precision_recall(confidence, n_sources, ious, t)
    p_max = torch.flip(torch.cummax(torch.flip(p, [0]), 0).values, [0])
    return float((p_max[:-1] * (r[1:] - r[:-1])).sum())


def max_f1(confidence: Tensor, n_sources: Tensor, ious: Tensor) -> float:
    """Largest F1 = 2PR / (P + R) (0 when P + R = 0) over every ``max(1, N // 10)``-th ascending
    confidence, from the first. In [0, 1]."""
    n = confidence.numel()
    if n == 0:
        return 0.0
    t = torch.sort(confidence.to(torch.float64)).values[::max(1, n // 10)]
    p, r = precision_recall(confidence, n_sources, ious, t)
    f1 = torch.where(p + r > 0, 2 * p * r / (p + r).clamp_min(1e-300), torch.zeros_like(p))
    return float(f1.max())


def extended_summary(ext_ious: Tensor, std_ious: Tensor, confidence: Tensor, n_sources: Tensor) -> Dict[str, float]:
    """``ap``, ``max_f1`` (extended IoUs) and ``loc_acc`` (standard cIoU success rate on the
    samples with sources), in percent, plus counts."""
    pos = n_sources > 0
    return dict(ap=100.0 * average_precision(confidence, n_sources, ext_ious),
                max_f1=100.0 * max_f1(confidence, n_sources, ext_ious),
                loc_acc=100.0 * success_rate(std_ious[pos]) if bool(pos.any()) else 0.0,
                n=int(n_sources.numel()), n_sounding=int(pos.sum()), n_silent=int((~pos).sum()))


# -- cross-modal retrieval ------------------------------------------------------------------------
RECALL_KS = (1, 5, 10)


def paired_ranks(queries: Tensor, items: Tensor, chunk: int = 1024) -> Tensor:
    """Rank (0 = first) of each query's paired item (same index) among all items by cosine
    similarity: ``[N, C]``, ``[N, C]`` -> ``[N]``. Ties are resolved against the query: an item
    scoring exactly as high as the pair is ranked ahead of it (a constant embedding never
    retrieves anything). Computed in query chunks: memory ``chunk x N``."""
    q = torch.nn.functional.normalize(queries.double(), dim=1)
    it = torch.nn.functional.normalize(items.double(), dim=1)
    ranks = []
    for s in range(0, q.shape[0], chunk):
        sim = q[s:s + chunk] @ it.T                                   # [c, N]
        idx = torch.arange(s, s + sim.shape[0])
        own = sim[torch.arange(sim.shape[0]), idx].unsqueeze(1)
        ahead = (sim >= own).sum(dim=1) - 1                           # everything tied or better, but itself
        ranks.append(ahead)
    return torch.cat(ranks) if ranks else torch.zeros(0, dtype=torch.long)


def retrieval_recalls(audio: Tensor, visual: Tensor, ks: Sequence[int] = RECALL_KS) -> Dict[str, float]:
    """R@K in percent both ways: ``a2i_r1`` (audio queries, images ranked), ``i2a_r1``, ..."""
    out: Dict[str, float] = {}
    for name, q, it in (('a2i', audio, visual), ('i2a', visual, audio)):
        ranks = paired_ranks(q, it)
        for k in ks:
            out[f'{name}_r{k}'] = 100.0 * float((ranks < k).double().mean()) if ranks.numel() else 0.0
    return out


# -- audio-visual segmentation (AVSBench mIoU / F-score) ------------------------------------------
F_BETA2 = 0.3


def segmentation_scores(pred: Tensor, gt: Tensor, adaptive: bool = False, chunk: int = 16,
                        thresholds: Optional[Thresholds] = None) -> Dict[str, Tensor]:
    """Per-sample AVS Jaccard and F-score (beta^2 = 0.3) of the thresholded map ``pred > thr``
    (median threshold, or adaptive ``sorted[HW - n_gt]``; empty GT -> median, as for cIoU).
    -> ``{'iou': [N], 'f': [N], 'f_all': [N], 'empty_gt': [N]}``.

    Empty GT (avzoo's documented rule): IoU = true-negative rate ``sum((1-P)(1-G)) / HW`` (the
    AVSBench release's) - with the median fallback that is about 0.5, never the ~1 that the
    release's adaptive fallback bug produced; the F-score skips empty-GT samples (NaN here).
    ``f_all`` is the F-score of predicting every pixel, which the release's 255-threshold sweep
    includes (its threshold 0)."""
    out = {'iou': [], 'f': [], 'f_all': [], 'empty_gt': []}
    for s in range(0, pred.shape[0], chunk):
        p, g = pred[s:s + chunk].float(), (gt[s:s + chunk] > 0).flatten(1).double()
        thr_median, thr_adap, empty = _block_thresholds(p, g, thresholds, s)
        thr = thr_adap if adaptive else thr_median
        m = (p.flatten(1) > thr.unsqueeze(1)).double()
        inter, union = (m * g).sum(1), torch.maximum(m, g).sum(1)
        tn_rate = ((1 - m) * (1 - g)).sum(1) / g.shape[1]
        iou = torch.where(empty, tn_rate, inter / (union + 1e-7))
        out['iou'].append(iou)
        out['f'].append(torch.where(empty, torch.full_like(iou, float('nan')), _f_beta(inter, m.sum(1), g.sum(1))))
        out['f_all'].append(torch.where(empty, torch.full_like(iou, float('nan')),
                                        _f_beta(g.sum(1), torch.full_like(iou, g.shape[1]), g.sum(1))))
        out['empty_gt'].append(empty)
    return {k: torch.cat(v) for k, v in out.items()} if out['iou'] else {k: torch.zeros(0) for k in out}


def _f_beta(tp: Tensor, n_pred: Tensor, n_gt: Tensor) -> Tensor:
    prec, rec = tp / (n_pred + 1e-20), tp / (n_gt + 1e-20)
    f = (1 + F_BETA2) * prec * rec / (F_BETA2 * prec + rec)
    return torch.nan_to_num(f, nan=0.0)


def segmentation_summary(scores: Dict[str, Tensor], suffix: str = '') -> Dict[str, float]:
    """``miou`` = mean per-sample IoU; ``fscore`` = the release's max over its sweep of the mean
    F, i.e. max(mean F(P), mean F(all pixels)) over non-empty GT; percent."""
    keep = ~scores['empty_gt']
    f = max(float(scores['f'][keep].mean()), float(scores['f_all'][keep].mean())) if bool(keep.any()) else 0.0
    return {f'miou{suffix}': 100.0 * float(scores['iou'].mean()) if scores['iou'].numel() else 0.0,
            f'fscore{suffix}': 100.0 * f}


# -- alignment analysis (modality gap) ------------------------------------------------------------
def alignment_analysis(audio: Tensor, visual: Tensor) -> Dict[str, float]:
    """On L2-normalised global embeddings ``[N, C]`` of paired clips: ``alignment`` = mean cosine of
    the positive pairs (``alignment_std`` its std) and ``magnitude`` = the modality gap, the
    distance between the two modality means (``pair_distance`` / ``_std``: mean / std of
    ``||a_i - v_i||``)."""
    a = torch.nn.functional.normalize(audio.double(), dim=1)
    v = torch.nn.functional.normalize(visual.double(), dim=1)
    cos = (a * v).sum(1)
    dist = (a - v).norm(dim=1)
    return dict(alignment=float(cos.mean()), alignment_std=float(cos.std()) if cos.numel() > 1 else 0.0,
                magnitude=float((a.mean(0) - v.mean(0)).norm()),
                pair_distance=float(dist.mean()), pair_distance_std=float(dist.std()) if dist.numel() > 1 else 0.0)
