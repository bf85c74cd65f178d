"""Negative-audio metrics on hand-computed cases, the dataset's negative sounds, the metric and
`avzoo score` giving the same numbers for the same maps, and an end-to-end run with a floor."""
import json

import numpy as np
import pytest
import torch

from avzoo.evaluation.negatives import (
    aoc,
    binary_iou,
    max_separation,
    negative_summary,
    per_sample_negative_scores,
    pia,
    positive_thresholds,
)


def test_pia_counts_pixels_strictly_above_the_threshold():
    maps = torch.tensor([[[0.1, 0.5], [0.6, 0.9]], [[0.5, 0.5], [0.5, 0.5]]])
    assert pia(maps, 0.5).tolist() == [0.5, 0.0]                 # 0.5 itself is not activated
    assert pia(maps, torch.tensor([0.05, 0.4])).tolist() == [1.0, 1.0]   # one threshold per map


def test_aoc_is_the_area_under_the_fraction_of_quiet_maps():
    # pIA 0 and 1: P(pIA <= t) = 0.5 for t < 1 and 1 at t = 1 -> 19 * 0.5 * 0.05 + 0.75 * 0.05
    assert aoc(torch.tensor([0.0, 1.0])) == pytest.approx(0.5125)
    assert aoc(torch.zeros(4)) == pytest.approx(1.0)             # never activated: the whole area
    assert aoc(torch.ones(4)) == pytest.approx(0.025)            # always fully activated: only t = 1 counts


def test_binary_iou_of_two_masks():
    a = torch.tensor([[[1, 1], [0, 0]], [[0, 0], [0, 0]], [[1, 0], [0, 0]]], dtype=torch.bool)
    b = torch.tensor([[[1, 0], [1, 0]], [[0, 0], [0, 0]], [[0, 0], [0, 0]]], dtype=torch.bool)
    assert binary_iou(a, b).tolist() == [pytest.approx(1 / 3), 1.0, 0.0]   # both empty -> 1 (release rule)


def test_positive_thresholds_follow_the_ciou_ranks():
    pos = torch.arange(16, dtype=torch.float32).view(1, 4, 4) / 16
    gt = torch.zeros(1, 4, 4)
    gt[0, :1] = 1                                                 # 4 GT pixels
    median, adaptive = positive_thresholds(pos, gt)
    assert float(median) == pytest.approx(8 / 16)                # sorted[16 // 2]
    assert float(adaptive) == pytest.approx(12 / 16)             # sorted[16 - 4]
    _, empty = positive_thresholds(pos, torch.zeros(1, 4, 4))
    assert float(empty) == pytest.approx(8 / 16)                 # an empty GT takes the median


def test_per_sample_scores_on_a_hand_case():
    pos = torch.tensor([[[0.9, 0.8], [0.2, 0.1]]])               # median sorted[2] = 0.8, adaptive (1 GT px) sorted[3] = 0.9
    gt = torch.tensor([[[1.0, 0.0], [0.0, 0.0]]])
    neg = torch.tensor([[[0.85, 0.3], [0.6, 0.95]]])
    s = per_sample_negative_scores(pos, {'noise': neg}, gt, threshold=0.5)
    assert float(s['pia_noise']) == 0.75                          # 0.85, 0.6, 0.95 > 0.5
    assert float(s['pia_noise_std']) == 0.5                       # 0.85, 0.95 > 0.8
    assert float(s['pia_noise_adap']) == 0.25                     # 0.95 > 0.9
    # pos > 0.5: {(0,0), (0,1)}; neg > 0.5: {(0,0), (1,0), (1,1)} -> 1 / 4
    assert float(s['iou_pos_noise']) == pytest.approx(0.25)
    # pos > 0.9: {} ; neg > 0.9: {(1,1)} -> 0
    assert float(s['iou_pos_noise_adap']) == 0.0


def test_max_separation():
    t, acc = max_separation(torch.tensor([0.7, 0.8, 0.9]), torch.tensor([0.1, 0.2]))
    assert acc == 1.0 and 0.2 <= t < 0.7
    t, acc = max_separation(torch.tensor([0.5, 0.5]), torch.tensor([0.5, 0.5]))
    assert acc == 0.5                                             # identical: no threshold helps
    t, acc = max_separation(torch.tensor([0.2, 0.9]), torch.tensor([0.1, 0.8]))
    assert acc == 0.75 and t == pytest.approx(0.1)                # one of four misplaced at best


def test_summary_is_in_percent_and_pools_the_kinds():
    scores = {'pia_noise': torch.tensor([0.2, 0.4])}
    extremes = {'max_pos': torch.tensor([0.9, 0.8]), 'min_pos': torch.tensor([0.1, 0.2]),
                'max_noise': torch.tensor([0.3, 0.4]), 'min_noise': torch.tensor([0.0, 0.1])}
    out = negative_summary(scores, extremes)
    assert out['pia_noise'] == pytest.approx(30.0) and out['max_pos_mean'] == pytest.approx(0.85)
    assert out['aoc_noise'] == pytest.approx(100 * aoc(torch.tensor([0.2, 0.4])))
    assert out['sep_acc_noise'] == 100.0 and out['sep_acc_all'] == 100.0


def test_negative_audio_dataset_sounds(tiny_synth):
    from avzoo.datasets.negatives import NegativeAudioDataset, item_class
    base = dict(type='InteractiveDataset', data_root=f'{tiny_synth}/test_interactive',
                ann_file='synth_interactive_bbox.json', image_size=128,
                audio=dict(sample_rate=8000, clip_seconds=2.0, window_seconds=1.0))
    ds = NegativeAudioDataset(base, seed=3)
    assert ds.labelled and ds.metainfo['offscreen_rule'] == 'another class'
    s = ds[5]
    audio = s['inputs']
    assert torch.equal(audio['audio_silence'], torch.zeros_like(audio['audio']))
    assert torch.equal(audio['audio_noise'], ds[5]['inputs']['audio_noise'])              # seeded per sample
    assert not torch.equal(audio['audio_noise'], NegativeAudioDataset(base, seed=4)[5]['inputs']['audio_noise'])
    items = ds.dataset.items
    j = next(i for i, it in enumerate(items) if it['id'] == s['data_samples']['offscreen_id'])
    group = items[5]['group']
    assert items[j]['group'] != group                                                       # another image
    present = {item_class(it) for it in items if it['group'] == group}
    assert item_class(items[j]) not in present                                              # of a class absent here
    assert torch.equal(audio['audio_offscreen'], ds.dataset.audio.load(items[j]['audio']))


def test_metric_and_score_give_the_same_numbers(tmp_path):
    """The maps a model would hand the metric, and the same maps in a `.npz` for `avzoo score`."""
    from avzoo.evaluation.metrics import NegativeAudioMetric
    from avzoo.evaluation.score import load_predictions, score_predictions
    from avzoo.models.ops import upsample_maps
    g = torch.Generator().manual_seed(0)
    n, kinds = 12, ('silence', 'noise', 'offscreen')
    low = {k: torch.rand(n, 7, 7, generator=g) for k in ('pos',) + kinds}
    gt = torch.zeros(n, 224, 224)
    gt[:, 50:150, 60:120] = 1
    up = {k: upsample_maps(v, 224, 'bilinear_align_corners') for k, v in low.items()}
    metric = NegativeAudioMetric(kinds=kinds)
    samples = []
    for i in range(n):
        s = dict(gt_map=gt[i], sim_map=up['pos'][i], sim_max=float(low['pos'][i].max()), sim_min=float(low['pos'][i].min()))
        for k in kinds:
            s.update({f'sim_map_{k}': up[k][i], f'sim_max_{k}': float(low[k][i].max()), f'sim_min_{k}': float(low[k][i].min())})
        samples.append(s)
    metric.process(None, samples[:5])
    metric.process(None, samples[5:])
    from_metric = metric.compute_metrics(metric.results)
    path = tmp_path / 'pred.npz'
    np.savez(path, heatmaps=up['pos'].numpy(), gt_maps=gt.numpy(), sim_maps=low['pos'].numpy(),
             **{f'sim_maps_{k}': low[k].numpy() for k in kinds})
    from_score = score_predictions(load_predictions(str(path)))
    for key, value in from_metric.items():
        if not key.startswith('n'):
            assert from_score[key] == pytest.approx(value, abs=1e-9), key


def test_score_refuses_incomplete_negative_maps(tmp_path):
    from avzoo.evaluation.score import load_predictions
    from avzoo.utils.errors import AvzooError
    path = tmp_path / 'bad.npz'
    np.savez(path, heatmaps=np.zeros((2, 7, 7)), gt_maps=np.zeros((2, 224, 224)), sim_maps=np.zeros((2, 7, 7)))
    with pytest.raises(AvzooError, match='sim_maps_<kind>'):
        load_predictions(str(path))
    np.savez(path, heatmaps=np.zeros((2, 7, 7)), gt_maps=np.zeros((2, 224, 224)), sim_maps=np.zeros((2, 7, 7)),
             sim_maps_rain=np.zeros((2, 7, 7)))
    with pytest.raises(AvzooError, match='unknown negative kind'):
        load_predictions(str(path))


def test_eval_negatives_of_an_audio_agnostic_floor(tiny_synth, tmp_path):
    """The centre prior ignores the sound: every negative map is the positive one, so IoU(pos, neg)
    is 100, pIA at the positive map's median is that map's own share above its median, and no
    threshold on the maximum separates positives from negatives."""
    from typer.testing import CliRunner

    from avzoo.cli import app
    out = tmp_path / 'centre.json'
    res = CliRunner().invoke(app, ['eval', '--method', 'centre_prior', '--bench', 'synth_single', '--data-root',
                                   f'{tiny_synth}', '--negatives', '--out', str(out), '--json'])
    assert res.exit_code == 0, res.output
    m = json.loads(res.output.strip().splitlines()[-1])
    for kind in ('silence', 'noise', 'offscreen'):
        assert m[f'iou_pos_{kind}'] == 100.0 and m[f'iou_pos_{kind}_adap'] == 100.0
        assert m[f'sep_acc_{kind}'] == 50.0
        assert m[f'max_{kind}_mean'] == pytest.approx(m['max_pos_mean'])
    assert m['ciou'] >= 0 and (tmp_path / 'centre_negatives.png').is_file()
    dist = np.load(tmp_path / 'centre_negatives.npz')
    assert set(dist.files) >= {'max_pos', 'max_noise', 'min_offscreen'}
    assert 'negative audio' in (tmp_path / 'centre.md').read_text()


def test_an_unreadable_offscreen_clip_is_replaced_and_counted(synth_copy):
    from avzoo.datasets.negatives import NegativeAudioDataset
    base = dict(type='VGGSSDataset', data_root=f'{synth_copy}/test_single', ann_file='synth_single.json',
                image_size=128, audio=dict(sample_rate=8000, clip_seconds=2.0, window_seconds=1.0))
    ds = NegativeAudioDataset(base, kinds=('offscreen',), seed=0)
    first, second = ds.offscreen_candidates(2)[:2]
    with open(ds.dataset.items[first]['audio'], 'wb') as f:
        f.write(b'not a wav')
    s = ds[2]['data_samples']
    assert s['offscreen_id'] == ds.dataset.items[second]['id'] and s['offscreen_retries'] == 1
