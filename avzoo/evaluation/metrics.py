"""MMEngine metric wrappers over :mod:`avzoo.evaluation.functional`.

Each wrapper turns per-sample predictions (the shared test-time contract: ``heatmap``,
``confidence``, embeddings) into per-sample numbers batch by batch, so no heatmap is kept, and
computes the table numbers at the end. Samples whose media could not be read (``valid=False``)
are left out and counted (``n_skipped`` = ``n_missing`` + ``n_corrupt``; ``n_short`` counts tiled audio).
"""
from __future__ import annotations

from typing import Dict, List, Sequence

import torch
from mmengine.evaluator import BaseMetric

from avzoo.evaluation import functional as F
from avzoo.registry import METRICS
from avzoo.utils.errors import AvzooError


def group_ids(names: Sequence) -> torch.Tensor:
    """Group names (str or int) -> int ids ``[N]`` in order of first appearance."""
    index: Dict = {}
    return torch.tensor([index.setdefault(n, len(index)) for n in names], dtype=torch.long)


class _SkipAwareMetric(BaseMetric):
    """Counts what a result leaves out or alters, by kind: ``n_missing`` (media absent when the
    dataset was built, from ``dataset_meta``), ``n_corrupt`` (undecodable when read, the samples
    with ``valid=False``), ``n_skipped`` (their sum) and ``n_short`` (scored samples whose audio
    was shorter than the window and was tiled)."""

    # One result record per sample (MMEngine keeps the first len(dataset) records).
    def _valid(self, data_samples: Sequence[dict]) -> List[dict]:
        self.results.extend(dict(corrupt=True) for s in data_samples if not bool(s.get('valid', True)))
        return [s for s in data_samples if bool(s.get('valid', True))]

    @staticmethod
    def _record(sample: dict, **fields) -> dict:
        return dict(fields, short=bool(sample.get('short', False)))

    def _kept(self, results: List[dict]):
        """The scored records and the counts of every kind."""
        kept = [r for r in results if not r.get('corrupt')]
        n_missing = int((self.dataset_meta or {}).get('n_missing', 0))
        n_corrupt = len(results) - len(kept)
        counts = dict(n_skipped=n_missing + n_corrupt, n_missing=n_missing, n_corrupt=n_corrupt,
                      n_short=sum(r['short'] for r in kept))
        return kept, counts

    @staticmethod
    def _finite_maps(valid: Sequence[dict], key: str = 'heatmap') -> torch.Tensor:
        """The samples' ``key`` maps stacked ``[N, H, W]``; a non-finite map (a diverged model) is
        refused rather than scored as an empty map."""
        maps = torch.stack([torch.as_tensor(s[key]).float().cpu() for s in valid])
        bad = ~torch.isfinite(maps).flatten(1).all(dim=1)
        if bad.any():
            first = valid[int(bad.nonzero()[0])].get('id', '?')
            raise AvzooError(f'{int(bad.sum())} of {len(valid)} {key}s in a batch are not finite (NaN or inf; first: '
                             f'{first}): the model\'s weights are probably NaN (a diverged run); refusing to score')
        return maps

    @classmethod
    def _stack(cls, valid: Sequence[dict]):
        """Heatmaps (finite, see :meth:`_finite_maps`) and GT maps of the valid samples."""
        return cls._finite_maps(valid), torch.stack([torch.as_tensor(s['gt_map']).float().cpu() for s in valid])


@METRICS.register_module()
class LocalizationMetric(_SkipAwareMetric):
    """cIoU / AUC (standard and adaptive); with ``interactive=True`` IIoU / IAUC over the samples'
    ``group``; with ``segmentation=True`` (mask GT) AVS mIoU / F-score, standard and adaptive."""

    default_prefix = 'loc'

    def __init__(self, interactive: bool = False, segmentation: bool = False, collect_device: str = 'cpu',
                 prefix=None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.interactive, self.segmentation = interactive, segmentation

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        valid = self._valid(data_samples)
        if not valid:
            return
        heat, gt = self._stack(valid)
        thr = F.map_thresholds(heat, gt)               # selected once, shared by both families
        ious = F.per_sample_ious(heat, gt, thresholds=thr)
        seg = {}
        if self.segmentation:
            for suffix, adaptive in (('', False), ('_adap', True)):
                for k, v in F.segmentation_scores(heat, gt, adaptive, thresholds=thr).items():
                    seg[f'seg_{k}{suffix}'] = v
        for i, s in enumerate(valid):
            rec = self._record(s, ciou=float(ious['ciou'][i]), ciou_adap=float(ious['ciou_adap'][i]),
                               empty_gt=bool(ious['empty_gt'][i]), group=s.get('group', s.get('id')))
            rec.update({k: float(v[i]) if v.dtype != torch.bool else bool(v[i]) for k, v in seg.items()})
            self.results.append(rec)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        kept, counts = self._kept(results)
        ious = {k: torch.tensor([r[k] for r in kept], dtype=torch.float64) for k in ('ciou', 'ciou_adap')}
        ious['empty_gt'] = torch.tensor([r['empty_gt'] for r in kept], dtype=torch.bool)
        groups = group_ids([r['group'] for r in kept]) if self.interactive else None
        summary = F.localization_summary(ious, groups)
        if self.segmentation:
            for suffix in ('', '_adap'):
                scores = {k: torch.tensor([r[f'seg_{k}{suffix}'] for r in kept], dtype=torch.float64)
                          for k in ('iou', 'f', 'f_all')}
                scores['empty_gt'] = torch.tensor([r[f'seg_empty_gt{suffix}'] for r in kept], dtype=torch.bool)
                summary.update(F.segmentation_summary(scores, suffix))
        summary.update(counts)
        return summary


@METRICS.register_module()
class ExtendedMetric(_SkipAwareMetric):
    """Extended Flickr / VGG-SS (SLAVC's rules): AP, max-F1 over the method's ``confidence`` and
    LocAcc on the sounding samples; each sample needs ``n_sources`` (0 = non-sounding)."""

    default_prefix = 'ext'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        valid = self._valid(data_samples)
        if not valid:
            return
        heat, gt = self._stack(valid)
        thr = F.map_thresholds(heat, gt)
        ext = F.extended_ious(heat, gt, thresholds=thr)
        std = F.per_sample_ious(heat, gt, thresholds=thr)['ciou']
        for i, s in enumerate(valid):
            self.results.append(self._record(s, ext_iou=float(ext[i]), ciou=float(std[i]),
                                             confidence=float(s['confidence']), n_sources=int(s.get('n_sources', 1))))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        kept, counts = self._kept(results)
        col = {k: torch.tensor([r[k] for r in kept], dtype=torch.float64)
               for k in ('ext_iou', 'ciou', 'confidence')}
        n_sources = torch.tensor([r['n_sources'] for r in kept], dtype=torch.long)
        summary = F.extended_summary(col['ext_iou'], col['ciou'], col['confidence'], n_sources)
        summary.update(counts)
        return summary


@METRICS.register_module()
class RetrievalMetric(_SkipAwareMetric):
    """Cross-modal retrieval R@1/5/10 both ways on backbone embeddings (``audio`` / ``visual``)
    and, where the method has them, projected ones (``audio_proj`` / ``visual_proj``: keys
    ``proj_a2i_r1``...); plus the alignment / modality-gap analysis of the backbone embeddings."""

    default_prefix = 'ret'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for s in self._valid(data_samples):
            self.results.append(self._record(s, **{k: torch.as_tensor(s[k]).float().cpu() for k in
                                                   ('audio', 'visual', 'audio_proj', 'visual_proj') if k in s}))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        kept, counts = self._kept(results)
        out: Dict[str, float] = {}
        for prefix, a_key, v_key in (('', 'audio', 'visual'), ('proj_', 'audio_proj', 'visual_proj')):
            if kept and all(a_key in r and v_key in r for r in kept):
                a, v = torch.stack([r[a_key] for r in kept]), torch.stack([r[v_key] for r in kept])
                out.update({prefix + k: x for k, x in F.retrieval_recalls(a, v).items()})
                out.update({prefix + k: x for k, x in F.alignment_analysis(a, v).items()})
        out.update(n=len(kept), **counts)
        return out


@METRICS.register_module()
class NegativeAudioMetric(_SkipAwareMetric):
    """Negative audio (:mod:`avzoo.evaluation.negatives`): pIA (universal / from the positive map's
    median / adaptive threshold), AOC, IoU(positive, negative), the raw maps' max / min
    distributions and the best separating threshold, per negative kind. Needs the samples'
    ``sim_map`` / ``sim_map_<kind>`` (``NegativeAudioDataset`` + ``AVLocalizer``). After
    :meth:`compute_metrics`, ``distributions`` holds the per-sample maxima and minima (figures)."""

    default_prefix = 'neg'

    def __init__(self, kinds: Sequence[str] = ('silence', 'noise', 'offscreen'), threshold: float = 0.5,
                 collect_device: str = 'cpu', prefix=None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.kinds, self.threshold = tuple(kinds), threshold
        self.distributions: Dict[str, torch.Tensor] = {}

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        from avzoo.evaluation.negatives import per_sample_negative_scores
        valid = self._valid(data_samples)
        if not valid:
            return
        missing = [f'sim_map_{k}' for k in self.kinds if f'sim_map_{k}' not in valid[0]]
        if missing:
            raise AvzooError(f'NegativeAudioMetric: predictions lack {missing}; wrap the test dataset in '
                             f'NegativeAudioDataset (avzoo eval --negatives)')
        pos, gt = self._finite_maps(valid, 'sim_map'), torch.stack([torch.as_tensor(s['gt_map']).float() for s in valid])
        negs = {k: self._finite_maps(valid, f'sim_map_{k}') for k in self.kinds}
        scores = per_sample_negative_scores(pos, negs, gt, self.threshold)
        for i, s in enumerate(valid):
            rec = self._record(s, **{k: float(v[i]) for k, v in scores.items()})
            rec.update(max_pos=s['sim_max'], min_pos=s['sim_min'], offscreen_retries=int(s.get('offscreen_retries', 0)),
                       **{f'{e}_{k}': s[f'sim_{e}_{k}'] for k in self.kinds for e in ('max', 'min')})
            self.results.append(rec)

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        from avzoo.evaluation.negatives import negative_summary
        kept, counts = self._kept(results)
        if not kept:
            raise AvzooError('NegativeAudioMetric: no sample could be scored')
        skip = {'short', 'corrupt', 'offscreen_retries'}
        keys = [k for k in kept[0] if k not in skip]
        col = {k: torch.tensor([r[k] for r in kept], dtype=torch.float64) for k in keys}
        extremes = {k: v for k, v in col.items() if k.startswith(('max_', 'min_'))}
        scores = {k: v for k, v in col.items() if k not in extremes}
        self.distributions = extremes
        out = negative_summary(scores, extremes)
        out.update(n=len(kept), threshold=self.threshold, n_offscreen_retries=sum(r['offscreen_retries'] for r in kept),
                   **counts)
        return out
