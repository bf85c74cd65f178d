"""avzoo-synth: determinism, layouts of the real benchmarks, and the dataset classes reading it."""
import csv
import json
import os

import numpy as np
import pytest
import torch

from avzoo.datasets import AVPairDataset, InteractiveDataset, LabelledAVDataset, VGGSSDataset, resolve_media_path
from avzoo.datasets.synth import SynthConfig, generate, make_categories
from avzoo.datasets.synth.world import MAX_CLASSES

AUDIO = dict(sample_rate=8000, clip_seconds=2.0, window_seconds=1.0)


def test_layout_and_counts(tiny_synth):
    meta = json.load(open(os.path.join(tiny_synth, 'meta.json')))
    cfg = SynthConfig.preset('tiny')
    assert meta['counts']['train'] == cfg.n_train
    assert meta['counts']['test_interactive_records'] == 2 * cfg.n_test_interactive
    single = json.load(open(os.path.join(tiny_synth, 'test_single', 'synth_single.json')))
    assert len(single) == cfg.n_test_single and set(single[0]) == {'file', 'class', 'bbox'}
    assert all(0 <= v <= 1 for rec in single for box in rec['bbox'] for v in box)
    rows = list(csv.reader(open(os.path.join(tiny_synth, 'test_single', 'synth_single_plus_silent.csv'))))
    assert rows[0] == ['video', 'audio', 'label'] and len(rows) == cfg.n_extended_negatives + 1
    seg = json.load(open(os.path.join(tiny_synth, 'test_interactive', 'synth_interactive_seg.json')))
    assert all(r['gt_box'].startswith('gt_masks/') for r in seg)
    ids = open(os.path.join(tiny_synth, 'train', 'synth_train.txt')).read().split()
    assert len(ids) == cfg.n_train and os.path.isfile(os.path.join(tiny_synth, 'train', 'frames', ids[0] + '.jpg'))


def test_deterministic_and_cached(tmp_path):
    cfg = SynthConfig.preset('tiny', n_pretrain=4, n_train=6, n_test_single=4, n_test_interactive=2,
                             n_extended_negatives=2, n_retrieval=2)
    a, b = str(tmp_path / 'a'), str(tmp_path / 'b')
    generate(a, cfg, workers=1)
    generate(b, cfg, workers=2)
    for rel in ('test_single/synth_single.json', 'test_interactive/synth_interactive_bbox.json',
                'train/frames/train000003.jpg', 'train/audio/train000003.wav'):
        assert open(os.path.join(a, rel), 'rb').read() == open(os.path.join(b, rel), 'rb').read(), rel
    stamp = os.path.getmtime(os.path.join(a, 'meta.json'))
    generate(a, cfg, workers=1)                       # same config: cached, nothing rewritten
    assert os.path.getmtime(os.path.join(a, 'meta.json')) == stamp


def test_categories_are_distinct_and_underscore_free():
    cats = make_categories(MAX_CLASSES, 8000)
    assert len({c.name for c in cats}) == MAX_CLASSES
    assert all('_' not in c.name for c in cats)
    assert len({(c.shape, c.hsv, c.texture) for c in cats}) == MAX_CLASSES
    with pytest.raises(ValueError):
        make_categories(MAX_CLASSES + 1, 8000)


def test_single_split_reads_through_the_vggss_loader(tiny_synth):
    ds = VGGSSDataset(os.path.join(tiny_synth, 'test_single'), 'synth_single.json', image_size=64, audio=AUDIO)
    sample = ds[0]
    assert sample['inputs']['image'].shape == (3, 64, 64) and sample['inputs']['image'].dtype == torch.uint8
    assert sample['inputs']['audio'].shape == (8000,)
    gt = sample['data_samples']['gt_map']
    assert gt.shape == (224, 224) and set(gt.unique().tolist()) <= {0.0, 1.0} and gt.sum() > 0


def test_interactive_split_groups_pairs_and_seg_masks(tiny_synth):
    root = os.path.join(tiny_synth, 'test_interactive')
    box = InteractiveDataset(root, 'synth_interactive_bbox.json', image_size=64, audio=AUDIO)
    seg = InteractiveDataset(root, 'synth_interactive_seg.json', gt='seg', image_size=64, audio=AUDIO)
    groups = [it['group'] for it in box.items]
    assert all(groups.count(g) == 2 for g in groups)
    b, s = box[0]['data_samples']['gt_map'], seg[0]['data_samples']['gt_map']
    inter = (b * s).sum() / s.sum()
    assert inter > 0.95        # the mask lies inside its box


def test_labelled_and_training_views(tiny_synth):
    lab = LabelledAVDataset(os.path.join(tiny_synth, 'pretrain'), image_size=64, audio=AUDIO)
    assert 0 <= lab[0]['data_samples']['label'] < 16
    ds = AVPairDataset(os.path.join(tiny_synth, 'train'), 'synth_train.txt', image_size=64, audio=AUDIO,
                       views=('aug', 'nn'))
    n = len(ds)
    ds.set_neighbours(np.roll(np.arange(n), 1)[:, None], np.roll(np.arange(n), 2)[:, None])
    x = ds[0]['inputs']
    assert set(x) == {'image', 'audio', 'image_aug', 'audio_aug', 'image_nn', 'audio_nn'}
    assert x['audio_aug'].shape == x['audio'].shape == (8000,)
    assert ds._pick(0, ds.image_nn) == n - 1       # 'random' over a single neighbour


def test_nn_view_without_neighbours_is_a_clear_error(tiny_synth):
    from avzoo.utils.errors import AvzooError
    ds = AVPairDataset(os.path.join(tiny_synth, 'train'), 'synth_train.txt', image_size=64, audio=AUDIO,
                       views=('nn',))
    with pytest.raises(AvzooError, match='avzoo mine'):
        ds[0]


def test_absolute_author_paths_map_onto_the_data_root():
    p = '/mnt/lynx2/users/arda/synthetic3241/visual_frames/accordion_female_10438_accordion.jpg'
    assert resolve_media_path(p, '/data/is3') == '/data/is3/visual_frames/accordion_female_10438_accordion.jpg'
    assert resolve_media_path('gt_masks/x.jpg', '/r') == '/r/gt_masks/x.jpg'
    assert resolve_media_path('/elsewhere/x.wav', '/r') == '/r/x.wav'


def test_box_sizes_follow_the_real_benchmarks():
    """Sounding boxes span small to large like VGG-SS (median area 0.25; 4.5 % below 0.03), and
    most scenes have a silent distractor larger than the sounding object."""
    from avzoo.datasets.synth.generate import interactive_scene, single_scene
    from avzoo.datasets.synth.world import mask_box
    cfg = SynthConfig()
    cats = make_categories(cfg.n_classes, cfg.sample_rate)

    def area(mask):
        x0, y0, x1, y1 = mask_box(mask)
        return (x1 - x0) * (y1 - y0) / cfg.image_size ** 2

    scenes = [single_scene(cats, cfg, np.random.default_rng(i)) for i in range(150)]
    single = np.array([area(next(o.mask for o in sc.objects if o.sounding)) for sc in scenes])
    assert 0.12 < np.median(single) < 0.3 and single.min() < 0.05 and single.max() > 0.4
    larger = [any(o.mask.sum() > s.mask.sum() for o in sc.objects if not o.sounding)
              for sc in scenes for s in sc.objects if s.sounding]
    assert np.mean(larger) > 0.5
    inter = np.array([area(o.mask) for i in range(40)
                      for o in interactive_scene(cats, cfg, np.random.default_rng(i)).objects if o.sounding])
    assert 0.2 < np.median(inter) < 0.4


def test_positives_can_be_switched_off_per_modality(tiny_synth):
    ds = AVPairDataset(os.path.join(tiny_synth, 'train'), 'synth_train.txt', image_size=64, audio=AUDIO,
                       views=('aug', 'nn'), positive_modalities=('image',))
    n = len(ds)
    ds.set_neighbours(np.roll(np.arange(n), 1)[:, None], np.roll(np.arange(n), 1)[:, None])
    x = ds[3]['inputs']
    assert torch.equal(x['audio_nn'], x['audio']) and torch.equal(x['audio_aug'], x['audio'])
    assert not torch.equal(x['image_nn'], x['image'])


def test_regeneration_wipes_derived_caches_and_refuses_foreign_folders(tmp_path):
    import dataclasses

    from avzoo.utils.errors import AvzooError
    cfg = SynthConfig.preset('tiny', n_pretrain=4, n_train=4, n_test_single=2, n_test_interactive=1,
                             n_extended_negatives=2, n_retrieval=2)
    out = tmp_path / 'synth'
    generate(str(out), cfg, workers=1)
    (out / 'encoders').mkdir()
    (out / 'encoders' / 'visual_encoder.pth').write_bytes(b'stale')     # computed from the old clips
    with pytest.raises(AvzooError, match=r"holds avzoo-synth a custom size \(seed 0.*asked for .*seed 1.*--force"):
        generate(str(out), dataclasses.replace(cfg, seed=1), workers=1)   # never overwritten unasked
    assert (out / 'encoders' / 'visual_encoder.pth').exists()
    generate(str(out), dataclasses.replace(cfg, seed=1), workers=1, force=True)
    assert not (out / 'encoders').exists() and json.load(open(out / 'meta.json'))['config']['seed'] == 1
    foreign = tmp_path / 'mine'
    foreign.mkdir()
    (foreign / 'notes.txt').write_text('not synth')
    with pytest.raises(AvzooError, match='not empty'):
        generate(str(foreign), cfg, workers=1)
    assert (foreign / 'notes.txt').exists()
