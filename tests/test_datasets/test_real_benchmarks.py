"""Every shipped annotation file of the real benchmarks parses, with the published counts and
grouping; GT maps follow docs/metrics.md; media problems are counted skips or one clear error."""
from __future__ import annotations

import collections
import hashlib
import os

import numpy as np
import pytest
import soundfile as sf
import torch
from PIL import Image

from avzoo.datasets import annotations as ann
from avzoo.datasets.annotated import ExtendedDataset, FlickrDataset, InteractiveDataset, VGGSSDataset
from avzoo.registry import BENCHMARKS
from avzoo.utils.errors import AvzooError
from tests.utils import ANNOTATIONS

SHARED = os.path.join(os.path.dirname(os.path.dirname(ANNOTATIONS)), '..', 'shared', 'benchmarks', 'annotations')


def test_shipped_files_are_the_public_ones():
    with open(os.path.join(ANNOTATIONS, 'SHA256SUMS')) as f:
        sums = dict(reversed(line.split()) for line in f if line.strip())
    assert len(sums) == 38     # 26 public annotation files, 4 lists fetched from releases, 8 built (docs/protocol.md)
    for name, digest in sums.items():
        with open(os.path.join(ANNOTATIONS, name), 'rb') as f:
            assert hashlib.sha256(f.read()).hexdigest() == digest, name


def _records(root, cls=InteractiveDataset, **kw):
    return cls(str(root), check_files=False, **kw)


def test_vggss_counts_and_gt_maps(tmp_path):
    ds = _records(tmp_path, VGGSSDataset, ann_file='vggss.json')
    assert len(ds) == 5158
    assert collections.Counter(it['n_sources'] for it in ds.items)[1] == 4619
    item = ds.items[0]
    assert item['id'] == 'zpWuikVorYg_000032' and item['frame'].endswith('frames/zpWuikVorYg_000032.jpg')
    x0, y0, x1, y1 = (int(v * 224) for v in (0.403125, 0.253125, 0.6, 0.75))
    expected = torch.zeros(224, 224)
    expected[y0:y1, x0:x1] = 1
    assert torch.equal(ds.gt_map(item), expected)
    # the corrupt -2.88e16 coordinates are clipped to 0, never a crash or a negative index
    corrupt = [it for it in ds.items if any(v < -1 for b in it['bbox'] for v in b)]
    assert len(corrupt) == 12
    for it in corrupt:
        g = ds.gt_map(it)
        assert set(torch.unique(g).tolist()) <= {0.0, 1.0}
    heard = _records(tmp_path, VGGSSDataset, id_list='vggss_heard_test.csv')
    unheard = _records(tmp_path, VGGSSDataset, id_list='vggss_unheard_test.csv')
    assert (len(heard), len(unheard)) == (2564, 2575)


def test_is3_two_records_per_image_box_and_seg(tmp_path):
    box = _records(tmp_path, ann_file='synthetic3240_bbox.json', gt='box')
    seg = _records(tmp_path, ann_file='synthetic3240_seg.json', gt='seg')
    assert len(box) == len(seg) == 6480
    sizes = collections.Counter(collections.Counter(it['group'] for it in box.items).values())
    assert sizes == {2: 3240}
    assert [it['id'] for it in box.items] == [it['id'] for it in seg.items]
    first = box.items[0]
    assert first['frame'] == os.path.join(str(tmp_path), 'visual_frames', first['id'] + '.jpg')
    assert first['audio'] == os.path.join(str(tmp_path), 'audio_wav', first['id'] + '.wav')
    assert seg.items[0]['mask'].startswith(os.path.join(str(tmp_path), 'gt_masks'))
    g = box.gt_map(first)
    x0, y0, x1, y1 = (int(v) for v in first['box'])
    assert g.sum() == (x1 - x0) * (y1 - y0)


def test_vpo_counts_and_grouping(tmp_path):
    ss = _records(tmp_path, ann_file='vpo_ss_bbox.json')
    ms = _records(tmp_path, ann_file='vpo_ms_bbox.json')
    assert len(ss) == 890 and len(_records(tmp_path, ann_file='vpo_ss_seg.json', gt='seg')) == 890
    assert len(ms) == 2157 and len(_records(tmp_path, ann_file='vpo_ms_seg.json', gt='seg')) == 2157
    per_image = collections.Counter(it['group'] for it in ms.items)
    assert len(per_image) == 1432
    assert collections.Counter(per_image.values()) == {1: 759, 2: 623, 3: 49, 5: 1}
    assert sum(1 for it in ms.items if it['box'] == [0.0, 0.0, 0.0, 0.0]) == 2


def test_avsbench_counts_empty_boxes_and_clip_window(tmp_path):
    s4 = _records(tmp_path, ann_file='s4_box.json')
    ms3 = _records(tmp_path, ann_file='ms3_box.json')
    assert len(s4) == 3700 and len(_records(tmp_path, ann_file='s4_seg.json', gt='seg')) == 3700
    assert len(ms3) == 320 and len(_records(tmp_path, ann_file='ms3_seg.json', gt='seg')) == 320
    assert collections.Counter(collections.Counter(it['group'] for it in s4.items).values()) == {5: 740}
    assert collections.Counter(collections.Counter(it['group'] for it in ms3.items).values()) == {5: 64}
    empty = [it for it in ms3.items if ms3.gt_map(it).sum() == 0]
    assert len(empty) == 29
    # AVSBench clips are 5 s and the model hears 1-4 s
    spec = BENCHMARKS.get('s4')(str(tmp_path), audio=dict(sample_rate=16000, window_seconds=3.0))
    assert spec['dataset']['audio']['clip_seconds'] == 5.0 and spec['dataset']['audio']['window_start'] == 1.0


def test_training_and_test_lists():
    counts = {name: len(ann.read_id_list(ann.annotation_path(name))) for name in
              ('vggss_144k.txt', 'vggss_10k.txt', 'flickr_144k.txt', 'flickr_10k.txt', 'vggss_heard.txt',
               'flickr_test.csv', 'flickr_test_249.csv', 'ours_vggss.txt', 'test_flickr_250.txt')}
    assert counts == {'vggss_144k.txt': 144000, 'vggss_10k.txt': 10000, 'flickr_144k.txt': 144000,
                      'flickr_10k.txt': 10000, 'vggss_heard.txt': 59468, 'flickr_test.csv': 250,
                      'flickr_test_249.csv': 249, 'ours_vggss.txt': 4655, 'test_flickr_250.txt': 250}
    assert ann.read_id_list(ann.annotation_path('flickr_test.csv'))[0] == '10000130166'


def _xml(path, boxes):
    objects = ''.join(f'<object><bbox><label>x</label><xmin>{b[0]}</xmin><ymin>{b[1]}</ymin>'
                      f'<xmax>{b[2]}</xmax><ymax>{b[3]}</ymax></bbox></object>' for b in boxes)
    with open(path, 'w') as f:
        f.write(f'<annotation>{objects}</annotation>')


def _media(root, frame_rel, audio_rel, seconds=10.0, sr=16000, fmt='JPEG'):
    for rel in (frame_rel, audio_rel):
        os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
    Image.fromarray(np.full((32, 40, 3), 128, np.uint8)).save(os.path.join(root, frame_rel), fmt)
    sf.write(os.path.join(root, audio_rel), np.zeros(int(seconds * sr), np.float32), sr)


def test_flickr_consensus_from_xml_and_counted_missing_media(tmp_path):
    root = str(tmp_path)
    ids = ann.read_id_list(ann.annotation_path('flickr_test.csv'))
    os.makedirs(os.path.join(root, 'Annotations'))
    for i in ids[:3]:
        _media(root, f'frames/{i}.jpg', f'audio/{i}.wav')
        # two annotators: one box each, overlapping in the 256-px space
        _xml(os.path.join(root, 'Annotations', f'{i}.xml'), [[0, 0, 128, 128], [64, 64, 256, 256]])
    ds = FlickrDataset(root, audio=dict(sample_rate=16000, clip_seconds=10.0, window_seconds=3.0))
    assert len(ds) == 3 and ds.n_missing == 247
    g = ds[0]['data_samples']['gt_map']
    assert g[0, 0] == 0.5 and g[100, 100] == 1.0 and g[200, 200] == 0.5 and g[10, 200] == 0.0
    assert g[int(224 * 128 / 256) - 1, 0] == 0.5 and g[int(224 * 128 / 256), 0] == 0.0
    with pytest.raises(AvzooError, match='strict'):
        FlickrDataset(root, strict=True)


def test_extended_sets_add_non_sounding_pairs(tmp_path):
    ext = ExtendedDataset(str(tmp_path), base=dict(type='VGGSSDataset', ann_file='vggss.json'),
                          extended_csv='vggss_test_plus_silent.csv', check_files=False)
    assert len(ext) == 2 * 5158
    neg = ext.items[-1]
    assert neg['n_sources'] == 0 and ext.gt_map(neg).sum() == 0
    assert neg['frame'].startswith(os.path.join(str(tmp_path), 'extend_frames'))
    assert ext.gt_map(ext.items[0]).sum() > 0 and ext.items[0]['n_sources'] >= 1
    fl = ExtendedDataset(str(tmp_path), base=dict(type='FlickrDataset'), extended_csv='flickr_test_plus_silent.csv',
                         check_files=False)
    assert len(fl) == 500 and sum(it['n_sources'] == 0 for it in fl.items) == 250


def test_media_under_the_real_names_and_missing_root_message(tmp_path):
    root = str(tmp_path / 'is3')
    records = ann.read_json_records(ann.annotation_path('synthetic3240_bbox.json'))[:4]
    for r in records:
        stem = os.path.splitext(os.path.basename(r['image']))[0]
        _media(root, f'visual_frames/{stem}.jpg', f'audio_wav/{stem}.wav')
    spec = BENCHMARKS.get('is3')(root, image_size=64, audio=dict(sample_rate=16000, window_seconds=3.0))
    cfg = dict(spec['dataset'])
    ds = InteractiveDataset(**{k: v for k, v in cfg.items() if k != 'type'})
    assert len(ds) == 4 and ds.n_missing == 6476
    sample = ds[0]
    assert sample['inputs']['image'].shape == (3, 64, 64) and sample['inputs']['audio'].shape == (48000,)
    with pytest.raises(AvzooError, match=r"media folder .* not found\. Put visual_frames/"):
        BENCHMARKS.get('is3')(str(tmp_path / 'nowhere'))
    with pytest.raises(AvzooError, match='extend_frames'):
        BENCHMARKS.get('vggss_ext')(str(tmp_path / 'nowhere'))
