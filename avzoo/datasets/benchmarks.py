"""Named benchmarks (``--bench NAME``): the test dataset and metric for a media root.

Each entry is a function ``(data_root, image_size, audio) -> dict(dataset=..., metric=...)``
returning configs, so ``avzoo eval --bench NAME`` scores every method on identical data, and
carries a :class:`BenchmarkInfo` (``fn.info``): its domain (``synth`` or ``real``), its metric
family and the media layout it reads.
``data_root=None`` means the benchmark's default folder (``data/<name>``, see ``MEDIA_LAYOUT``).
Annotation files are the shipped public ones (``avzoo/annotations/``); only media come from the
data root, in the layout ``avzoo prepare`` writes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import partial
from typing import Callable, Optional, Sequence

from avzoo.datasets import test_sets
from avzoo.datasets.clips import Sample, flickr_clip, vggsound_clip
from avzoo.registry import BENCHMARKS
from avzoo.utils.errors import AvzooError

DOMAINS = ('synth', 'real')
FAMILIES = ('localization', 'interactive', 'segmentation', 'extended', 'retrieval')


@dataclass(frozen=True)
class BenchmarkInfo:
    """What a benchmark is: ``domain`` (``synth`` | ``real``: which of a method's configs scores
    it), ``family`` (the metrics and table shape, ``FAMILIES``), the media ``layout`` it reads
    under its data root, the ``protocol`` it follows (whose evaluator, which clips) and, where the
    protocol fixes it, the ``upsample`` mode of the maps (else the method config's), the
    ``origin`` of its sample list, and how to know its clips without media: ``samples`` returns
    one set of clips per scored sample (for ``avzoo audit``), or ``no_clips`` says why it cannot
    (generated images, names without a source video)."""
    name: str
    domain: str
    family: str
    layout: str
    protocol: str = "every annotated sample, the releases' metric rules (docs/metrics.md)"
    upsample: Optional[str] = None
    origin: Optional[str] = None
    samples: Optional[Callable[[], Sequence[Sample]]] = None
    no_clips: Optional[str] = None

    def __post_init__(self) -> None:
        assert self.domain in DOMAINS and self.family in FAMILIES, self


def register_benchmark(name: str, domain: str, family: str, layout: str, fn: Optional[Callable] = None,
                       protocol: Optional[str] = None, upsample: Optional[str] = None, origin: Optional[str] = None,
                       samples: Optional[Callable[[], Sequence[Sample]]] = None, no_clips: Optional[str] = None):
    """Register ``fn`` (or decorate it) as benchmark ``name`` with its :class:`BenchmarkInfo`."""
    def register(f: Callable) -> Callable:
        f.info = BenchmarkInfo(name, domain, family, layout, upsample=upsample, origin=origin, samples=samples,
                               no_clips=no_clips, **({} if protocol is None else dict(protocol=protocol)))
        BENCHMARKS.register_module(name, module=f)
        return f
    return register(fn) if fn is not None else register


def benchmark_info(name: str) -> BenchmarkInfo:
    """The :class:`BenchmarkInfo` of a registered benchmark (one clear error for an unknown name)."""
    if name not in BENCHMARKS.module_dict:
        raise AvzooError(f"unknown benchmark {name!r}; available: {', '.join(sorted(BENCHMARKS.module_dict))}")
    return BENCHMARKS.get(name).info

SYNTH_ROOT = 'data/avzoo-synth'

# What each real benchmark reads under its data root (printed when the root is missing).
MEDIA_LAYOUT = {
    'vggss': ('data/vggss', 'frames/<file>.jpg and audio/<file>.wav for the 5,158 files of vggss.json'),
    'vggss_retrieval': ('data/vggss', 'frames/<file>.jpg and audio/<file>.wav (VGG-SS media)'),
    'vggss_heard': ('data/vggss', 'frames/<file>.jpg and audio/<file>.wav (VGG-SS media)'),
    'vggss_unheard': ('data/vggss', 'frames/<file>.jpg and audio/<file>.wav (VGG-SS media)'),
    'flickr': ('data/flickr', 'frames/<id>.jpg, audio/<id>.wav and Annotations/<id>.xml for flickr_test.csv'),
    'is3': ('data/is3', 'visual_frames/<stem>.jpg, audio_wav/<stem>.wav (and gt_masks/<stem>.jpg for is3_seg)'),
    'vpo_ss': ('data/vpo_ss', 'visual_frames/<stem>.jpg, audio_wav/<stem>.wav (and gray_masks/ for seg)'),
    'vpo_ms': ('data/vpo_ms', 'visual_frames/<stem>.jpg, audio_wav/<stem>.wav (and gray_masks/ for seg)'),
    's4': ('data/avsbench/s4', 'visual_frames/test/<class>/<vid>/<vid>_<k>.png, audio_wav/test/<class>/<vid>.wav, '
                               'gt_masks/test/... for s4_seg'),
    'ms3': ('data/avsbench/ms3', 'visual_frames/<vid>/<vid>.mp4_<k>.png, audio_wav/test/<vid>.wav, '
                                 'gt_masks/test/<vid>/<vid>_<k>.png for ms3_seg'),
    'vggss_ext': ('data/vggss', 'the VGG-SS media plus extend_frames/<video>.jpg and extend_audio/<audio>.wav '
                                'for vggss_test_plus_silent.csv'),
    'flickr_ext': ('data/flickr', 'the Flickr media plus extend_frames/<video>.jpg and extend_audio/<audio>.wav '
                                  'for flickr_test_plus_silent.csv'),
}


def synth_media(data_root: Optional[str]) -> str:
    """The avzoo-synth folder (default ``data/avzoo-synth``); one that holds no finished avzoo-synth
    is one error saying how to make it (checked by :func:`avzoo.engine.benchmark_config.eval_config`)."""
    root = data_root or SYNTH_ROOT
    if not os.path.isfile(os.path.join(root, 'meta.json')):
        raise AvzooError(f'no avzoo-synth at {root}: run `avzoo synth --out {root}` (or pass --data-root DIR '
                         f'with the folder that holds it)')
    return root


def media_root(name: str, data_root: Optional[str]) -> str:
    """The benchmark's media folder; a missing one is one clear error saying what goes where."""
    default, layout = MEDIA_LAYOUT[name.replace('_seg', '')]
    root = data_root or default
    if not os.path.isdir(root):
        raise AvzooError(f"benchmark {name!r}: media folder {root!r} not found. Put {layout} there "
                         f"(`avzoo prepare` writes this layout), or pass --data-root DIR")
    return root


def _real_audio(audio: Optional[dict], clip_seconds: float = 10.0, window_start: Optional[float] = None) -> dict:
    """The model's audio front end on a benchmark's clips (10 s clips, centred window; AVSBench:
    5 s clips, window from 1 s)."""
    out = dict(audio or {}, clip_seconds=clip_seconds)
    out.setdefault('window_seconds', 3.0)
    out['window_start'] = window_start
    return out


def _loc(dataset: dict, interactive: bool = False, **metric) -> dict:
    return dict(dataset=dataset, metric=dict(type='LocalizationMetric', interactive=interactive, **metric))


SYNTH_NO_CLIPS = ('avzoo-synth is generated; its splits share no clip by construction (a run records its own '
                  'overlap in its checkpoint)')


# -- avzoo-synth ----------------------------------------------------------------------------------
@register_benchmark('synth_single', 'synth', 'localization', 'test_single/: frames/<file>.jpg, audio/<file>.wav, synth_single.json',
                    no_clips=SYNTH_NO_CLIPS)
def synth_single(data_root: Optional[str] = None, image_size: int = 128, audio: Optional[dict] = None) -> dict:
    """avzoo-synth single-source test split (VGG-SS layout)."""
    root = data_root or SYNTH_ROOT
    return _loc(dict(type='VGGSSDataset', data_root=f'{root}/test_single', ann_file='synth_single.json',
                     image_size=image_size, audio=audio))


@register_benchmark('synth_interactive', 'synth', 'interactive', 'test_interactive/: visual_frames/, audio_wav/, synth_interactive_bbox.json',
                    no_clips=SYNTH_NO_CLIPS)
def synth_interactive(data_root: Optional[str] = None, image_size: int = 128, audio: Optional[dict] = None) -> dict:
    """avzoo-synth interactive split (IS3 layout, boxes): IIoU groups the two sounds of an image."""
    root = data_root or SYNTH_ROOT
    return _loc(dict(type='InteractiveDataset', data_root=f'{root}/test_interactive',
                     ann_file='synth_interactive_bbox.json', gt='box', image_size=image_size, audio=audio),
                interactive=True)


@register_benchmark('synth_interactive_seg', 'synth', 'segmentation', 'test_interactive/: visual_frames/, audio_wav/, gt_masks/, synth_interactive_seg.json',
                    no_clips=SYNTH_NO_CLIPS)
def synth_interactive_seg(data_root: Optional[str] = None, image_size: int = 128, audio: Optional[dict] = None) -> dict:
    """avzoo-synth interactive split with mask ground truth (IS3 ``_seg.json`` layout): + AVS mIoU / F."""
    cfg = synth_interactive(data_root, image_size, audio)
    cfg['dataset'].update(ann_file='synth_interactive_seg.json', gt='seg')
    cfg['metric']['segmentation'] = True
    return cfg


@register_benchmark('synth_ext', 'synth', 'extended', 'test_single/ plus extend_frames/, extend_audio/, synth_single_plus_silent.csv',
                    no_clips=SYNTH_NO_CLIPS)
def synth_ext(data_root: Optional[str] = None, image_size: int = 128, audio: Optional[dict] = None) -> dict:
    """avzoo-synth single split + its off-screen / silent pairs (Extended VGG-SS layout): AP, max-F1, LocAcc."""
    root = data_root or SYNTH_ROOT
    base = synth_single(root, image_size, audio)['dataset']
    return dict(dataset=dict(type='ExtendedDataset', data_root=f'{root}/test_single', base=base,
                             extended_csv='synth_single_plus_silent.csv', frame_tpl='frames/{id}.jpg',
                             audio_tpl='audio/{id}.wav', image_size=image_size, audio=audio),
                metric=dict(type='ExtendedMetric'))


@register_benchmark('synth_retrieval', 'synth', 'retrieval', 'retrieval/: frames/<id>.jpg, audio/<id>.wav, synth_retrieval.txt',
                    no_clips=SYNTH_NO_CLIPS)
def synth_retrieval(data_root: Optional[str] = None, image_size: int = 128, audio: Optional[dict] = None) -> dict:
    """avzoo-synth retrieval split: R@1/5/10 audio->image and image->audio, alignment analysis."""
    root = data_root or SYNTH_ROOT
    return dict(dataset=dict(type='AVPairTestDataset', data_root=f'{root}/retrieval', id_list='synth_retrieval.txt',
                             image_size=image_size, audio=audio),
                metric=dict(type='RetrievalMetric'))


# -- real benchmarks ------------------------------------------------------------------------------
VGGSS_ORIGIN = 'kaistmm/SSLalignment @e7ae3c5 metadata/vggss.json (= stoneMo/EZ-VSL metadata/vggss.json)'


@register_benchmark('vggss', 'real', 'localization', MEDIA_LAYOUT['vggss'][1],
                    protocol='VGG-SS full: all 5,158 clips of vggss.json (the EZ-VSL, SLAVC, FNAC and ACL papers)',
                    origin=VGGSS_ORIGIN, samples=test_sets.vggss_samples)
def vggss(data_root: Optional[str] = None, image_size: int = 224, audio: Optional[dict] = None) -> dict:
    """VGG-SS: 5,158 clips, union of normalised boxes."""
    return _loc(dict(type='VGGSSDataset', data_root=media_root('vggss', data_root), ann_file='vggss.json',
                     image_size=image_size, audio=_real_audio(audio)))


@register_benchmark('vggss_retrieval', 'real', 'retrieval', MEDIA_LAYOUT['vggss_retrieval'][1],
                    protocol='retrieval over the 5,158 VGG-SS clips (avzoo)', origin=VGGSS_ORIGIN,
                    samples=test_sets.vggss_samples)
def vggss_retrieval(data_root: Optional[str] = None, image_size: int = 224, audio: Optional[dict] = None) -> dict:
    """Cross-modal retrieval on the VGG-SS test clips R@K both ways, backbone
    and projected embeddings, alignment / modality gap."""
    cfg = vggss(data_root, image_size, audio)
    return dict(dataset=cfg['dataset'], metric=dict(type='RetrievalMetric'))


def _vggss_subset(name: str, id_list: str, about: str):
    def build(data_root: Optional[str] = None, image_size: int = 224, audio: Optional[dict] = None) -> dict:
        return _loc(dict(type='VGGSSDataset', data_root=media_root('vggss', data_root), ann_file='vggss.json',
                         id_list=id_list, image_size=image_size, audio=_real_audio(audio)))
    build.__doc__ = f'VGG-SS restricted to {id_list}: {about}.'
    return build


# VGG-SS subsets under the same name in the literature; each id list is shipped as its release wrote
# it (checksums in avzoo/annotations/SHA256SUMS) and scored with the releases' metric rules.
for _name, _list, _protocol, _origin in (
        ('vggss_heard', 'vggss_heard_test.csv', "EZ-VSL's open-set split: 2,564 clips of heard classes",
         'kaistmm/SSLalignment @e7ae3c5 metadata/vggss_heard_test.csv (= stoneMo/EZ-VSL)'),
        ('vggss_unheard', 'vggss_unheard_test.csv', "EZ-VSL's open-set split: 2,575 clips of unheard classes",
         'kaistmm/SSLalignment @e7ae3c5 metadata/vggss_unheard_test.csv (= stoneMo/EZ-VSL)'),
        ('vggss_ssltie', 'vggss_test_4911_ssltie.txt', "SSL-TIE's VGG-SS: 4,911 clips",
         'jinxiang-liu/SSL-TIE @c49e6a9 metadata/test_vggss_4911.txt'),
        ('vggss_sspl', 'vggss_test_4692_sspl.csv', "SSPL's and SACL's VGG-SS: 4,692 clips",
         'zjsong/SSPL @d1af4c7 metadata/vggss_test_4692.csv'),
        ('vggss_heartheflow', 'vggss_test_4670_heartheflow.csv', "HearTheFlow's VGG-SS: 4,670 clips",
         'denfed/heartheflow @60ed54d metadata/vggss_test_trimmed.csv'),
        ('vggss_common', 'vggss_common.txt', 'the 4,142 VGG-SS clips in every named subset (5,158, 4,655, 4,911, '
         '4,692, 4,670): numbers on it compare across papers', 'avzoo: tools/build_clean_lists.py')):
    register_benchmark(_name, 'real', 'localization', MEDIA_LAYOUT['vggss'][1], _vggss_subset(_name, _list, _protocol),
                       protocol=_protocol, origin=_origin, samples=partial(test_sets.vggss_samples, _list))

VGGSS_OURS_EXCLUDE = ('7XQN9XDnRm4_80000_90000',)


@register_benchmark('vggss_ours', 'real', 'localization', MEDIA_LAYOUT['vggss'][1], upsample='bilinear',
                    protocol="the alignment release's VGG-SS: 4,655 clips, half-pixel (cv2) upsampling",
                    origin='kaistmm/SSLalignment @e7ae3c5 metadata/ours_vggss.txt',
                    samples=partial(test_sets.vggss_samples, 'ours_vggss.txt', VGGSS_OURS_EXCLUDE))
def vggss_ours(data_root: Optional[str] = None, image_size: int = 224, audio: Optional[dict] = None) -> dict:
    """VGG-SS as the alignment release scores ours and LVS: the clips of ``ours_vggss.txt``, minus
    7XQN9XDnRm4_80000_90000 as its loader drops it (kaistmm/SSLalignment test.py L195-200; that id
    is not in the shipped list, so all 4,655 remain), maps upsampled like cv2.INTER_LINEAR
    (L366-371)."""
    return _loc(dict(type='VGGSSDataset', data_root=media_root('vggss', data_root), ann_file='vggss.json',
                     id_list='ours_vggss.txt', exclude=VGGSS_OURS_EXCLUDE, image_size=image_size,
                     audio=_real_audio(audio)))


def _flickr(id_list: str, about: str):
    def build(data_root: Optional[str] = None, image_size: int = 224, audio: Optional[dict] = None) -> dict:
        return _loc(dict(type='FlickrDataset', data_root=media_root('flickr', data_root), id_list=id_list,
                         image_size=image_size, audio=_real_audio(audio)))
    build.__doc__ = f'Flickr-SoundNet test ({about}): annotator-consensus maps from per-sample XML.'
    return build


for _name, _list, _protocol, _origin in (
        ('flickr', 'flickr_test.csv', 'Flickr-SoundNet test: 250 clips (LVS, EZ-VSL, SLAVC, FNAC, the alignment '
         'release)', 'kaistmm/SSLalignment @e7ae3c5 metadata/flickr_test.csv'),
        ('flickr_249', 'flickr_test_249.csv', 'Flickr-SoundNet test without 3908875350: 249 clips (SSL-TIE, SSPL)',
         'kaistmm/SSLalignment @e7ae3c5 metadata/flickr_test_249.csv (= zjsong/SSPL metadata/flickr_test249_in5k.csv)')):
    register_benchmark(_name, 'real', 'localization', MEDIA_LAYOUT['flickr'][1], _flickr(_list, _protocol),
                       protocol=_protocol, origin=_origin, samples=partial(test_sets.flickr_samples, _list))


def _records(name: str, ann: str, gt: str, interactive: bool, clip_seconds: float = 10.0,
             window_start: Optional[float] = None, doc: str = ''):
    def build(data_root: Optional[str] = None, image_size: int = 224, audio: Optional[dict] = None) -> dict:
        return _loc(dict(type='InteractiveDataset', data_root=media_root(name, data_root), ann_file=ann, gt=gt,
                         image_size=image_size, audio=_real_audio(audio, clip_seconds, window_start)),
                    interactive=interactive, segmentation=gt == 'seg')
    build.__doc__ = doc
    return build


_IS3_NO_CLIPS = 'IS3 images are generated: no source video to compare'
_VPO_NO_CLIPS = 'VPO pairs COCO images with class audio; its file names carry no source video'
for _name, _box, _seg, _inter, _clip, _start, _doc, _origin, _no_clips in (
        ('is3', 'synthetic3240_bbox.json', 'synthetic3240_seg.json', True, 10.0, None,
         'IS3: 6,480 records in 3,240 images, two sounding objects each (IIoU)',
         'kaistmm/SSLalignment @e7ae3c5 metadata/synthetic3240_*.json', _IS3_NO_CLIPS),
        ('vpo_ss', 'vpo_ss_bbox.json', 'vpo_ss_seg.json', False, 10.0, None, 'VPO-SS: 890 single-source records',
         'kaistmm/SSLalignment @e7ae3c5 metadata/vpo_ss_*.json', _VPO_NO_CLIPS),
        ('vpo_ms', 'vpo_ms_bbox.json', 'vpo_ms_seg.json', True, 10.0, None,
         'VPO-MS: 2,157 records in 1,432 COCO images (IIoU)', 'kaistmm/SSLalignment @e7ae3c5 metadata/vpo_ms_*.json',
         _VPO_NO_CLIPS),
        ('s4', 's4_box.json', 's4_seg.json', False, 5.0, 1.0, 'AVSBench S4: 3,700 frames of 740 videos',
         'kaistmm/SSLalignment @e7ae3c5 metadata/s4_*.json', None),
        ('ms3', 'ms3_box.json', 'ms3_seg.json', False, 5.0, 1.0,
         'AVSBench MS3: 320 frames of 64 videos, 29 with an empty box',
         'kaistmm/SSLalignment @e7ae3c5 metadata/ms3_*.json', None)):
    for _suffix, _ann, _gt in (('', _box, 'box'), ('_seg', _seg, 'seg')):
        register_benchmark(
            _name + _suffix, 'real', 'segmentation' if _gt == 'seg' else 'interactive' if _inter else 'localization',
            MEDIA_LAYOUT[_name][1],
            _records(_name, _ann, _gt, _inter, _clip, _start,
                     _doc + (' (masks: + AVS mIoU / F-score).' if _gt == 'seg' else ' (boxes).')),
            protocol=_doc, origin=_origin, no_clips=_no_clips,
            samples=None if _no_clips else partial(test_sets.avsbench_samples, _ann))


def _extended(name: str, base_fn, csv: str):
    def build(data_root: Optional[str] = None, image_size: int = 224, audio: Optional[dict] = None) -> dict:
        base = base_fn(media_root(name, data_root), image_size, audio)['dataset']
        return dict(dataset=dict(type='ExtendedDataset', data_root=base['data_root'], base=base, extended_csv=csv,
                                 image_size=image_size, audio=base['audio']),
                    metric=dict(type='ExtendedMetric'))
    build.__doc__ = f'{base_fn.__name__} + the non-sounding pairs of {csv}: AP, max-F1, LocAcc (Table IV).'
    return build


def _extended_samples(base_fn, csv: str, parse) -> Sequence[Sample]:
    return test_sets.extended_samples(base_fn.info.samples(), csv, parse)


for _name, _base, _csv, _parse in (('vggss_ext', vggss, 'vggss_test_plus_silent.csv', vggsound_clip),
                                   ('flickr_ext', BENCHMARKS.get('flickr'), 'flickr_test_plus_silent.csv', flickr_clip)):
    register_benchmark(_name, 'real', 'extended', MEDIA_LAYOUT[_name][1], _extended(_name, _base, _csv),
                       protocol="SLAVC's extended benchmark: + non-sounding pairs, AP / max-F1 / LocAcc",
                       origin=f'kaistmm/SSLalignment @e7ae3c5 metadata/{_csv}', samples=partial(_extended_samples, _base, _csv, _parse))
