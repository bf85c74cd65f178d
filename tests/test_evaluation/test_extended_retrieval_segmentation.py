"""Hand-computed cases for the extended (AP / max-F1 / LocAcc), retrieval, AVS and alignment metrics."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from avzoo.evaluation import functional as F
from avzoo.evaluation.score import load_predictions, score_predictions


def maps(*rows):
    """Each row is a 2x2 map written flat."""
    return torch.tensor(rows, dtype=torch.float32).view(len(rows), 2, 2)


def test_extended_iou_uses_greater_or_equal():
    pred, gt = maps([0, 0, 1, 1]), maps([0, 0, 1, 1])
    # sorted [0, 0, 1, 1], thr = sorted[2] = 1: `>=` keeps both ones, the standard `>` keeps none
    assert F.extended_ious(pred, gt).tolist() == [1.0]
    assert F.per_sample_ious(pred, gt)['ciou'].tolist() == [0.0]


# Four samples: (confidence, n_sources, extended IoU, standard IoU)
CONF = torch.tensor([0.9, 0.8, 0.3, 0.1], dtype=torch.float64)
K = torch.tensor([1, 0, 1, 1])
IOU = torch.tensor([0.6, 0.0, 0.2, 0.7], dtype=torch.float64)


def test_precision_recall_rules():
    p, r = F.precision_recall(CONF, K, IOU, torch.tensor([0.8, 0.3, 0.1, 0.95], dtype=torch.float64))
    # t=.8: TP {0}, FP {1}, FN {2,3}; t=.3: TP {0}, FP {1,2}, FN {3}; t=.1: TP {0,3}, FP {1,2};
    # t=.95: nothing detected -> P = 1, R = 0
    assert p.tolist() == pytest.approx([1 / 2, 1 / 3, 1 / 2, 1.0])
    assert r.tolist() == pytest.approx([1 / 3, 1 / 2, 1.0, 0.0])
    # nothing to find -> R = 1
    _, r0 = F.precision_recall(CONF, torch.zeros(4, dtype=torch.long), IOU, torch.tensor([0.5], dtype=torch.float64))
    assert r0.tolist() == [1.0]


def test_average_precision_hand_computed():
    # T = [.1, .3, .8] read backwards: [.8, .3, .1]; P = [1/2, 1/3, 1/2], R = [1/3, 1/2, 1]
    # Pmax = [1/2, 1/2, 1/2]; AP = 1/2 (1/2 - 1/3) + 1/2 (1 - 1/2) = 1/3
    assert F.average_precision(CONF, K, IOU) == pytest.approx(1 / 3)


def test_average_precision_step_follows_n():
    # N = 400 -> step 2: only every other threshold is visited (thresholds from the top)
    n = 400
    conf = torch.linspace(0, 1, n, dtype=torch.float64)
    k = torch.ones(n, dtype=torch.long)
    iou = (torch.arange(n) % 2).double()          # every other sample localised
    t = torch.sort(conf).values[:-1].flip(0)[::2]
    p, r = F.precision_recall(conf, k, iou, t)
    pmax = torch.stack([p[j:].max() for j in range(len(p))])
    expected = float((pmax[:-1] * (r[1:] - r[:-1])).sum())
    assert F.average_precision(conf, k, iou) == pytest.approx(expected)
    assert len(t) == 200


def test_max_f1_hand_computed():
    # thresholds every max(1, 4 // 10) = 1: [.1, .3, .8, .9] -> F1 = [2/3, .4, .4, .5]
    assert F.max_f1(CONF, K, IOU) == pytest.approx(2 / 3)


def test_extended_summary_loc_acc_on_sounding_only():
    std = torch.tensor([0.6, float('nan'), 0.2, 0.7], dtype=torch.float64)
    out = F.extended_summary(IOU, std, CONF, K)
    assert out['loc_acc'] == pytest.approx(200 / 3)
    assert out['ap'] == pytest.approx(100 / 3) and out['max_f1'] == pytest.approx(200 / 3)
    assert (out['n_sounding'], out['n_silent']) == (3, 1)


def test_retrieval_ties_count_against_the_query():
    a = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    v = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])
    # audio 0 ties with images 0 and 2 -> rank 1; audio 1 -> rank 0; audio 2 -> rank 1
    assert F.paired_ranks(a, v).tolist() == [1, 0, 1]
    out = F.retrieval_recalls(a, v)
    assert out['a2i_r1'] == pytest.approx(100 / 3) and out['a2i_r5'] == 100.0
    assert out['i2a_r1'] == pytest.approx(100 / 3)


def test_retrieval_matches_argsort_without_ties_and_chunks():
    g = torch.Generator().manual_seed(0)
    a, v = torch.randn(50, 8, generator=g), torch.randn(50, 8, generator=g)
    sim = torch.nn.functional.normalize(a, dim=1) @ torch.nn.functional.normalize(v, dim=1).T
    order = sim.argsort(dim=1, descending=True)
    expected = [int((order[i] == i).nonzero()) for i in range(50)]
    assert F.paired_ranks(a, v, chunk=7).tolist() == expected
    assert F.retrieval_recalls(a, v)['a2i_r10'] == pytest.approx(100 * np.mean([r < 10 for r in expected]))


def test_segmentation_iou_and_f_on_known_masks():
    pred, gt = maps([0.1, 0.2, 0.3, 0.4]), maps([0, 0, 1, 1])
    s = F.segmentation_scores(pred, gt)
    # thr = sorted[2] = 0.3, P = [0, 0, 0, 1]: IoU = 1/2; precision 1, recall 1/2
    assert s['iou'].item() == pytest.approx(0.5)
    assert s['f'].item() == pytest.approx(1.3 * 0.5 / (0.3 + 0.5))
    assert s['f_all'].item() == pytest.approx(1.3 * 0.5 / (0.3 * 0.5 + 1))
    summary = F.segmentation_summary(s)
    assert summary == pytest.approx({'miou': 50.0, 'fscore': 100 * 1.3 * 0.5 / 0.8})
    # adaptive: n = 2 -> thr = sorted[4 - 2]: the same mask here
    assert F.segmentation_scores(pred, gt, adaptive=True)['iou'].item() == pytest.approx(0.5)


def test_segmentation_empty_gt_is_defined_not_one():
    pred, gt = maps([0.1, 0.2, 0.3, 0.4]), maps([0, 0, 0, 0])
    for adaptive in (False, True):
        s = F.segmentation_scores(pred, gt, adaptive=adaptive)
        # median threshold (the adaptive one falls back to it): P = [0, 0, 0, 1] -> TN rate 3/4
        assert s['iou'].item() == pytest.approx(0.75) and bool(s['empty_gt'].item())
        assert math.isnan(s['f'].item())
    both = F.segmentation_summary(F.segmentation_scores(torch.cat([pred, pred]),
                                                        torch.cat([gt, maps([0, 0, 1, 1])])))
    assert both['fscore'] == pytest.approx(100 * 1.3 * 0.5 / 0.8)   # the empty-GT sample is skipped


def test_alignment_analysis():
    a = torch.tensor([[2.0, 0.0], [0.0, 1.0]])
    v = torch.tensor([[1.0, 0.0], [3.0, 0.0]])
    out = F.alignment_analysis(a, v)
    assert out['alignment'] == pytest.approx(0.5)
    assert out['magnitude'] == pytest.approx(math.sqrt(0.5))
    assert out['pair_distance'] == pytest.approx((0 + math.sqrt(2)) / 2)


def test_score_npz_extended_and_retrieval(tmp_path):
    heat = np.zeros((4, 224, 224), np.float32)
    gt = np.zeros((4, 224, 224), np.float32)
    for i in (0, 2, 3):
        gt[i, :112] = 1                 # top half sounds
    heat[0, :112] = 1                   # localised (ties at 0: `>=` picks the top half)
    heat[3, :112] = 1
    heat[2, 112:] = 1                   # wrong half
    path = tmp_path / 'pred.npz'
    emb = np.eye(4, dtype=np.float32)
    np.savez(path, heatmaps=heat, gt_maps=gt, n_sources=np.array([1, 0, 1, 1]),
             confidence=np.array([0.9, 0.8, 0.3, 0.1]), audio_emb=emb, visual_emb=emb)
    out = score_predictions(load_predictions(str(path)))
    # extended IoUs = [1, -, 0, 1] as in the hand case above (IoU >= .5 <=> localised)
    assert out['ap'] == pytest.approx(100 * (0.5 * (0.5 - 1 / 3) + 0.5 * 0.5))
    assert out['max_f1'] == pytest.approx(200 / 3)
    assert out['a2i_r1'] == 100.0 and out['alignment'] == pytest.approx(1.0)
    assert 'miou' in out and 'fscore_adap' in out
    bad = tmp_path / 'bad.npz'
    np.savez(bad, heatmaps=heat, gt_maps=gt, n_sources=np.array([0, 0, 1, 1]), confidence=np.ones(4))
    with pytest.raises(Exception, match='n_sources = 0 but a non-zero gt_map'):
        load_predictions(str(bad))
