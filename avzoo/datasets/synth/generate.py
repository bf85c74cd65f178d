"""Write avzoo-synth to disk in the layouts of the real benchmarks (see docs/synth.md).

``<out>/``
  ``meta.json``                               generator config, categories, split counts
  ``pretrain/{frames,audio}/``, ``labels.csv``  labelled single-object clips (the disjoint split the
                                              "pre-trained encoders" of the miner learn from)
  ``train/{frames,audio}/``, ``synth_train.txt``  unlabelled training clips (vggss_144k.txt style)
  ``test_single/{frames,audio}/``, ``synth_single.json``  VGG-SS style (normalised boxes)
  ``test_single/synth_single_plus_silent.csv``   Extended-VGG-SS style negatives (off-screen, silence)
  ``test_interactive/{visual_frames,audio_wav,gt_masks}/``, ``synth_interactive_{bbox,seg}.json``
                                              IS3 style: one record per (image, sounding object)
  ``retrieval/{frames,audio}/``, ``synth_retrieval.txt``  paired audio/image clips
"""
from __future__ import annotations

import csv
import dataclasses
import json
import os
import shutil
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np
import soundfile as sf

from avzoo.datasets.synth import world
from avzoo.utils.errors import AvzooError

GENERATOR_VERSION = 3  # bump whenever the same config would write different files
SPLIT_CODES = {'pretrain': 1, 'train': 2, 'test_single': 3, 'test_interactive': 4,
               'extended': 5, 'retrieval': 6}


@dataclass
class SynthConfig:
    """Everything that determines the benchmark; identical configs give identical files."""
    seed: int = 0
    n_classes: int = 16
    image_size: int = 224
    sample_rate: int = 8000
    clip_seconds: float = 2.0
    n_pretrain: int = 1600
    n_train: int = 4000
    n_test_single: int = 500
    n_test_interactive: int = 250     # images; two records (sounding objects) each
    n_extended_negatives: int = 250
    n_retrieval: int = 300
    max_distractors: int = 3
    snr_db: Tuple[float, float] = (5.0, 20.0)
    # sounding object's box side / image side, uniform. Box-area quantiles 10/25/50/75/90 % are
    # then 0.04/0.10/0.22/0.30/0.39 with 3 % below 0.03 (VGG-SS test: 0.05/0.12/0.25/0.46/0.68,
    # 4.5 % below 0.03); 75 % of scenes have a silent distractor larger than the sounding object,
    # 62 % of those whose sounding box covers >= 25 % of the frame (300 scenes, seeds 0..299).
    side_range: Tuple[float, float] = (0.15, 0.85)
    min_distractors: int = 1
    interactive_side_range: Tuple[float, float] = (0.5, 0.62)  # IS3's boxes: median area 0.30
    distractor_scale: Tuple[float, float] = (1.0, 1.6)  # distractor side / sounding side
    larger_distractor_p: float = 0.6    # chance that a distractor is drawn at distractor_scale
    # A larger distractor is drawn first and the sounding object may hide up to this fraction of it
    # (partial occlusion): without it a large sounding object leaves no room for a larger distractor,
    # and the large objects - the only ones the standard cIoU can count - would be the ones an
    # objectness prior finds alone.
    occlusion: float = 0.35

    @classmethod
    def preset(cls, name: str, **overrides) -> 'SynthConfig':
        sizes: Dict[str, dict] = {
            'tiny': dict(n_pretrain=64, n_train=64, n_test_single=24, n_test_interactive=12,
                         n_extended_negatives=12, n_retrieval=24),
            'small': dict(n_pretrain=600, n_train=1200, n_test_single=200, n_test_interactive=100,
                          n_extended_negatives=100, n_retrieval=120),
            'default': {},
            'large': dict(n_pretrain=6000, n_train=20000, n_test_single=2000, n_test_interactive=1000,
                          n_extended_negatives=1000, n_retrieval=1000),
        }
        if name not in sizes:
            raise AvzooError(f"unknown avzoo-synth size {name!r}; expected one of {', '.join(PRESETS)}")
        return cls(**{**sizes[name], **overrides})


@dataclass
class _Object:
    cat: world.Category
    mask: np.ndarray
    sounding: bool
    area: int = 0


@dataclass
class _Scene:
    image: np.ndarray
    objects: List[_Object] = field(default_factory=list)


def _place(scene: _Scene, cat: world.Category, side: float, cfg: SynthConfig, rng: np.random.Generator,
           sounding: bool, centre: Optional[Tuple[float, float]] = None, tries: int = 30,
           aspect_range: Tuple[float, float] = (0.8, 1.25), occlusion: float = 0.0) -> bool:
    """Draw one object at a free spot (<= 10 % overlap with any sounding object); False if none.
    ``aspect`` = width / height of the object's ellipse of radii. ``occlusion``: a sounding object
    may also hide up to this fraction of each silent object drawn before it."""
    s = cfg.image_size
    r = side * s / 2
    for _ in range(tries):
        aspect = rng.uniform(*aspect_range)
        rx, ry = min(r * np.sqrt(aspect), s / 2), min(r / np.sqrt(aspect), s / 2)
        if centre is None:
            cx, cy = rng.uniform(rx, s - rx), rng.uniform(ry, s - ry)
        else:
            cx = float(np.clip(centre[0] + rng.uniform(-0.03, 0.03) * s, rx, s - rx))
            cy = float(np.clip(centre[1] + rng.uniform(-0.05, 0.05) * s, ry, s - ry))
        mask = world.object_mask(cat.shape, s, cx, cy, rx, ry, rng.uniform(0, np.pi))
        area = int(np.count_nonzero(mask))
        if area < 16:
            continue
        x, y, w, h = cv2.boundingRect(mask)
        clash = any(np.count_nonzero(o.mask[y:y + h, x:x + w] & mask[y:y + h, x:x + w])
                    > max(0.1 * min(area, o.area), occlusion * o.area if sounding and not o.sounding else 0.0)
                    for o in scene.objects if o.sounding or sounding)
        if clash:
            continue
        inside = mask[y:y + h, x:x + w].astype(bool)
        scene.image[y:y + h, x:x + w][inside] = world.texture_image(cat, h, w, rng)[inside]
        for other in scene.objects:            # later objects occlude earlier ones
            other.mask[y:y + h, x:x + w][inside] = 0
            other.area = int(np.count_nonzero(other.mask))
        scene.objects.append(_Object(cat, mask, sounding, area))
        return True
    return False


def _other_classes(cats: Sequence[world.Category], exclude: Sequence[int], rng, n: int) -> List[world.Category]:
    pool = [c for c in cats if c.index not in exclude]
    return [pool[i] for i in rng.choice(len(pool), size=min(n, len(pool)), replace=False)]


def single_scene(cats, cfg: SynthConfig, rng, n_distractors: Optional[int] = None,
                 side: Optional[float] = None) -> _Scene:
    """One sounding object (log-uniform size) and silent distractors, often larger than it."""
    scene = _Scene(world.background(cfg.image_size, rng))
    target = cats[rng.integers(len(cats))]
    lo, hi = cfg.side_range
    side = side if side is not None else float(rng.uniform(lo, hi))
    n_d = rng.integers(cfg.min_distractors, cfg.max_distractors + 1) if n_distractors is None else n_distractors
    distractors = _other_classes(cats, [target.index], rng, n_d)
    larger = [bool(rng.uniform() < cfg.larger_distractor_p) for _ in distractors]
    sides = [min(side * rng.uniform(*cfg.distractor_scale), 0.9) if big else float(rng.uniform(lo, hi))
             for big in larger]
    # larger distractors first (the sounding object may partly cover them), the others in random order
    rest = [int(i) for i in rng.permutation(len(distractors) + 1) if i == len(distractors) or not larger[i]]
    for i in [i for i in range(len(distractors)) if larger[i]] + rest:
        if i == len(distractors):
            if not _place(scene, target, side, cfg, rng, sounding=True, tries=200, occlusion=cfg.occlusion):
                _place(scene, target, side * 0.7, cfg, rng, sounding=True, tries=200, occlusion=cfg.occlusion)
        else:
            d_side = sides[i]
            for _ in range(4):       # shrink a distractor that does not fit rather than drop it
                if _place(scene, distractors[i], d_side, cfg, rng, sounding=False):
                    break
                d_side *= 0.75
    if not any(o.sounding for o in scene.objects):      # pathological crowding: start again
        return single_scene(cats, cfg, rng, 0, side * 0.7)
    return scene


def interactive_scene(cats, cfg: SynthConfig, rng) -> _Scene:
    """Two large sounding objects (left / right halves) and at most one small silent distractor."""
    s = cfg.image_size
    for _ in range(20):
        scene = _Scene(world.background(s, rng))
        a, b = _other_classes(cats, [], rng, 2)
        flip = rng.uniform() < 0.5
        tall = (0.6, 0.9)      # narrower than high: two large objects side by side
        ok = _place(scene, a, rng.uniform(*cfg.interactive_side_range), cfg, rng, True,
                    (s * (0.75 if flip else 0.25), s * 0.5), aspect_range=tall)
        ok = ok and _place(scene, b, rng.uniform(*cfg.interactive_side_range), cfg, rng, True,
                           (s * (0.25 if flip else 0.75), s * 0.5), aspect_range=tall)
        if ok:
            if rng.uniform() < 0.5:
                _place(scene, _other_classes(cats, [a.index, b.index], rng, 1)[0],
                       rng.uniform(0.1, 0.2), cfg, rng, sounding=False)
            return scene
    raise RuntimeError('could not place two sounding objects')


def _write_frame(path: str, rgb: np.ndarray) -> None:
    cv2.imwrite(path, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 92])


def _write_audio(path: str, cats: Sequence[world.Category], cfg: SynthConfig, rng) -> None:
    n = int(cfg.sample_rate * cfg.clip_seconds)
    srcs = [world.category_sound(c, n, cfg.sample_rate, rng) * rng.uniform(0.7, 1.0) for c in cats]
    sf.write(path, world.mix_with_noise(srcs, n, rng.uniform(*cfg.snr_db), rng), cfg.sample_rate,
             subtype='PCM_16')


def _norm_box(box: Sequence[int], size: int) -> List[float]:
    # +0.25 px so that the VGG-SS rule int(v * 224) gives back the exact pixel edge.
    return [min(round((v + 0.25) / size, 6), 1.0) for v in box]


def _make_sample(args) -> dict:
    """Generate and write sample ``index`` of ``split``; returns its annotation record."""
    split, index, cfg_dict, out = args
    cfg = SynthConfig(**cfg_dict)
    cats = world.make_categories(cfg.n_classes, cfg.sample_rate)
    rng = np.random.default_rng([cfg.seed, SPLIT_CODES[split], index])
    s = cfg.image_size
    if split == 'test_interactive':
        scene = interactive_scene(cats, cfg, rng)
        a, b = [o for o in scene.objects if o.sounding]
        records = []
        for target, other in ((a, b), (b, a)):
            stem = f'{a.cat.name}_{b.cat.name}_{index:05d}_{target.cat.name}'
            _write_frame(os.path.join(out, 'visual_frames', stem + '.jpg'), scene.image)
            _write_audio(os.path.join(out, 'audio_wav', stem + '.wav'), [target.cat], cfg, rng)
            cv2.imwrite(os.path.join(out, 'gt_masks', stem + '.jpg'), target.mask * 255)
            records.append(dict(stem=stem, box=world.mask_box(target.mask), cls=target.cat.name))
        return dict(records=records)
    sid = f'{split}{index:06d}'
    if split == 'pretrain':
        scene = _Scene(world.background(s, rng))
        target = cats[rng.integers(len(cats))]
        _place(scene, target, rng.uniform(0.35, 0.75), cfg, rng, sounding=True, tries=200)
        if rng.uniform() < 0.5:
            _place(scene, _other_classes(cats, [target.index], rng, 1)[0], rng.uniform(0.1, 0.25),
                   cfg, rng, sounding=False)
    else:
        scene = single_scene(cats, cfg, rng)
    sounding = [o for o in scene.objects if o.sounding]
    _write_frame(os.path.join(out, 'frames', sid + '.jpg'), scene.image)
    _write_audio(os.path.join(out, 'audio', sid + '.wav'), [o.cat for o in sounding], cfg, rng)
    rec = dict(id=sid, cls=sounding[0].cat.name, label=sounding[0].cat.index,
               box=world.mask_box(sounding[0].mask))
    if split == 'test_single' and index < cfg.n_extended_negatives:
        present = {o.cat.index for o in scene.objects}
        neg = f'{sid}_neg'
        if index % 2 == 0:      # off-screen: a category that is not in the picture
            _write_audio(os.path.join(out, 'audio', neg + '.wav'),
                         _other_classes(cats, sorted(present), rng, 1), cfg, rng)
        else:                   # silence / noise
            n = int(cfg.sample_rate * cfg.clip_seconds)
            sf.write(os.path.join(out, 'audio', neg + '.wav'),
                     world.mix_with_noise([], n, 0.0, rng) * rng.uniform(0.0, 0.1), cfg.sample_rate,
                     subtype='PCM_16')
        rec['negative'] = neg
    return rec


def _run(split: str, n: int, cfg: SynthConfig, out: str, dirs: Sequence[str], workers: int,
         progress=None) -> List[dict]:
    for d in dirs:
        os.makedirs(os.path.join(out, d), exist_ok=True)
    jobs = [(split, i, dataclasses.asdict(cfg), out) for i in range(n)]
    task = progress.add_task(f'synth {split}', total=n) if progress is not None else None
    results = []
    if workers > 1:
        with get_context('fork').Pool(workers) as pool:
            for r in pool.imap(_make_sample, jobs, chunksize=16):
                results.append(r)
                if progress is not None:
                    progress.advance(task)
    else:
        for job in jobs:
            results.append(_make_sample(job))
            if progress is not None:
                progress.advance(task)
    return results


MARKER = '.avzoo-synth'
PRESETS = ('tiny', 'small', 'default', 'large')


def config_json(cfg: SynthConfig) -> dict:
    """``cfg`` as ``meta.json`` stores it (tuples as lists), for comparing with a stored config."""
    return json.loads(json.dumps(dataclasses.asdict(cfg)))


def describe(config: dict) -> str:
    """``config`` (a ``SynthConfig`` as a dict) in words: its preset size, seed and classes."""
    extra = {k: config.get(k) for k in ('seed', 'n_classes')}
    size = next((name for name in PRESETS
                 if config_json(SynthConfig.preset(name, **extra)) == config),
                'a custom size')
    return f"size {size!r} (seed {config.get('seed')}, {config.get('n_classes')} classes)" if size in PRESETS \
        else f"{size} (seed {config.get('seed')}, {config.get('n_classes')} classes, {config.get('n_train')} training clips)"


def read_meta(out: str) -> Optional[dict]:
    """The ``meta.json`` of a finished avzoo-synth under ``out``, or None."""
    path = os.path.join(out, 'meta.json')
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding='utf-8') as f:
            meta = json.load(f)
    except (OSError, ValueError) as exc:
        raise AvzooError(f'{path}: unreadable avzoo-synth metadata ({exc}); pass --force to regenerate '
                         f'the folder, or choose another one') from None
    return meta if isinstance(meta, dict) else None


def _claim(out: str, force: bool) -> None:
    """Make ``out`` an empty avzoo-synth folder. Wiped whole (derived caches included: miner
    encoders, neighbour files, so nothing computed from old clips survives) only when an earlier
    generation was interrupted there (the marker without ``meta.json``) or with ``force`` on a
    folder avzoo wrote; a finished avzoo-synth is refused by :func:`generate` before this, and
    any other non-empty folder is refused always."""
    if os.path.isdir(out) and os.listdir(out):
        ours = os.path.isfile(os.path.join(out, MARKER)) or os.path.isfile(os.path.join(out, 'meta.json'))
        if not ours:
            raise AvzooError(f'{out} is not empty and was not written by avzoo synth; choose another folder')
        if not force and os.path.isfile(os.path.join(out, 'meta.json')):
            raise AvzooError(f'{out} holds a finished avzoo-synth; pass --force to regenerate it')
        shutil.rmtree(out)
    os.makedirs(out, exist_ok=True)


def generate(out: str, cfg: SynthConfig, workers: int = 2, force: bool = False, progress=None) -> dict:
    """Write the benchmark under ``out``; an avzoo-synth already there with the same config is
    kept as it is. A finished avzoo-synth of another config (size, seed, classes) or generator
    version is never overwritten unless ``force``: one error names both. ``force`` regenerates."""
    meta_path = os.path.join(out, 'meta.json')
    cfg_dict = config_json(cfg)
    meta = read_meta(out)
    if meta is not None and not force:
        if meta.get('config') == cfg_dict and meta.get('version') == GENERATOR_VERSION:
            return meta
        have = (describe(meta['config']) if isinstance(meta.get('config'), dict) else 'an unknown config') + \
            ('' if meta.get('version') == GENERATOR_VERSION else
             f", generator version {meta.get('version')} (this avzoo writes version {GENERATOR_VERSION})")
        raise AvzooError(f'{out} holds avzoo-synth {have}; asked for {describe(cfg_dict)}. Use its size '
                         f'(--size), choose another folder, or pass --force to regenerate it (its caches go too)')
    _claim(out, force)
    open(os.path.join(out, MARKER), 'w').close()
    cats = world.make_categories(cfg.n_classes, cfg.sample_rate)
    s = cfg.image_size

    pre = _run('pretrain', cfg.n_pretrain, cfg, os.path.join(out, 'pretrain'), ['frames', 'audio'], workers, progress)
    with open(os.path.join(out, 'pretrain', 'labels.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['id', 'label', 'class'])
        w.writerows([r['id'], r['label'], r['cls']] for r in pre)

    train = _run('train', cfg.n_train, cfg, os.path.join(out, 'train'), ['frames', 'audio'], workers, progress)
    with open(os.path.join(out, 'train', 'synth_train.txt'), 'w') as f:
        f.write(''.join(r['id'] + '\n' for r in train))

    single = _run('test_single', max(cfg.n_test_single, cfg.n_extended_negatives), cfg,
                  os.path.join(out, 'test_single'), ['frames', 'audio'], workers, progress)
    with open(os.path.join(out, 'test_single', 'synth_single.json'), 'w') as f:
        json.dump([dict(file=r['id'], **{'class': r['cls']}, bbox=[_norm_box(r['box'], s)])
                   for r in single[:cfg.n_test_single]], f)
    with open(os.path.join(out, 'test_single', 'synth_single_plus_silent.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['video', 'audio', 'label'])
        w.writerows([r['id'], r['negative'], 'non-sounding'] for r in single if 'negative' in r)

    inter_dir = os.path.join(out, 'test_interactive')
    inter = _run('test_interactive', cfg.n_test_interactive, cfg, inter_dir,
                 ['visual_frames', 'audio_wav', 'gt_masks'], workers, progress)
    recs = [r for item in inter for r in item['records']]
    bbox = [dict(image=f'visual_frames/{r["stem"]}.jpg', audio=f'audio_wav/{r["stem"]}.wav',
                 gt_box=r['box']) for r in recs]
    seg = [dict(image=b['image'], audio=b['audio'], gt_box=f'gt_masks/{r["stem"]}.jpg', offset=1)
           for b, r in zip(bbox, recs)]
    for name, data in (('synth_interactive_bbox.json', bbox), ('synth_interactive_seg.json', seg)):
        with open(os.path.join(inter_dir, name), 'w') as f:
            json.dump(data, f)

    ret = _run('retrieval', cfg.n_retrieval, cfg, os.path.join(out, 'retrieval'), ['frames', 'audio'], workers, progress)
    with open(os.path.join(out, 'retrieval', 'synth_retrieval.txt'), 'w') as f:
        f.write(''.join(r['id'] + '\n' for r in ret))

    meta = dict(version=GENERATOR_VERSION, config=cfg_dict,
                classes=[c.name for c in cats],
                counts=dict(pretrain=len(pre), train=len(train), test_single=cfg.n_test_single,
                            extended_negatives=cfg.n_extended_negatives,
                            test_interactive_images=len(inter), test_interactive_records=len(recs),
                            retrieval=len(ret)))
    tmp = meta_path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(meta, f, indent=1)
    os.replace(tmp, meta_path)
    return meta


def ensure(out: str, size: str = 'default', force: bool = False, workers: int = 2) -> dict:
    """:func:`generate` the preset ``size`` under ``out`` (kept when already there), showing
    progress on stderr (a bar on a terminal, a line per 10 % through a pipe)."""
    from avzoo.utils.terminal import make_progress
    cfg = SynthConfig.preset(size)
    with make_progress() as progress:
        return generate(out, cfg, workers=workers, force=force, progress=progress)
