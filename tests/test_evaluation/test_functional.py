"""Metric functions against hand-computed cases (4x4 maps: H*W = 16, median index 8)."""
import numpy as np
import pytest
import torch

from avzoo.datasets.gt_maps import boxes_to_gt_map, consensus_gt_map, normalized_boxes_to_gt_map
from avzoo.evaluation import functional as F


def ramp():
    return (torch.arange(16, dtype=torch.float32) / 15).view(1, 4, 4)  # distinct values, sorted[8] = 8/15


def bottom_half():
    gt = torch.zeros(1, 4, 4)
    gt[0, 2:] = 1
    return gt


def test_median_threshold_is_sorted_index_hw_over_2_with_strict_greater():
    ious = F.per_sample_ious(ramp(), bottom_half())
    # infer = values > 8/15 -> 7 pixels (9..15), all inside the 8-pixel GT: 7 / (8 + 0)
    assert ious['ciou'].item() == pytest.approx(7 / 8)
    # adaptive: n = 8 -> sorted[16 - 8] = the same threshold
    assert ious['ciou_adap'].item() == pytest.approx(7 / 8)


def test_false_positives_enter_the_denominator():
    gt = torch.zeros(1, 4, 4)
    gt[0, 3] = 1                      # pixels 12..15
    ious = F.per_sample_ious(ramp(), gt)
    assert ious['ciou'].item() == pytest.approx(4 / (4 + 3))   # 9,10,11 predicted outside GT
    # adaptive: n = 4 -> thr = sorted[12] = 12/15 -> 13,14,15 predicted: 3 / 4
    assert ious['ciou_adap'].item() == pytest.approx(3 / 4)


def test_ties_at_the_threshold_are_not_selected():
    pred = torch.zeros(1, 4, 4)
    pred[0, :2, :2] = 1.0             # a plateau of 4 ones, 12 zeros
    gt = torch.zeros(1, 4, 4)
    gt[0, :2, :2] = 1
    ious = F.per_sample_ious(pred, gt)
    assert ious['ciou'].item() == 1.0          # thr = sorted[8] = 0 -> the 4 ones
    assert ious['ciou_adap'].item() == 0.0     # thr = sorted[12] = 1 -> nothing is > 1


def test_empty_gt_falls_back_to_median_and_is_counted():
    gt = torch.zeros(1, 4, 4)
    ious = F.per_sample_ious(ramp(), gt)
    assert ious['empty_gt'].tolist() == [True]
    assert ious['ciou'].item() == 0.0 and ious['ciou_adap'].item() == 0.0   # 0 / (0 + 7)
    summary = F.localization_summary(ious)
    assert summary['n_empty_gt'] == 1 and summary['n_undefined'] == 0


def test_empty_gt_and_empty_prediction_is_nan_and_fails_every_threshold():
    ious = F.per_sample_ious(torch.full((1, 4, 4), 0.3), torch.zeros(1, 4, 4))
    assert torch.isnan(ious['ciou']).all()
    assert F.success_curve(ious['ciou'])[0] == 0.0         # NaN >= 0 is False, as in the reference
    assert F.localization_summary(ious)['n_undefined'] == 2


def test_consensus_gt_weights_half_pixels():
    gt = torch.zeros(1, 4, 4)
    gt[0, 2] = 0.5
    gt[0, 3] = 1.0
    ious = F.per_sample_ious(ramp(), gt)
    # infer 9..15: 3 pixels at 0.5 and 4 at 1 -> 5.5 / (sum(gt) = 6 + 0 false positives)
    assert ious['ciou'].item() == pytest.approx(5.5 / 6)
    # adaptive counts 0.5-pixels as GT pixels: n = 8 -> same threshold
    assert ious['ciou_adap'].item() == pytest.approx(5.5 / 6)


def test_success_and_auc_trapezoid():
    ious = torch.tensor([0.0, 0.5, 1.0], dtype=torch.float64)
    curve = F.success_curve(ious)
    assert curve[0] == 1.0 and curve[10] == pytest.approx(2 / 3) and curve[11] == pytest.approx(1 / 3)
    expected = 0.05 * ((1 + 2 / 3) / 2 + 9 * 2 / 3 + (2 / 3 + 1 / 3) / 2 + 9 * 1 / 3)
    assert F.auc(curve) == pytest.approx(expected)
    assert F.auc(curve) == pytest.approx(np.trapezoid(curve.numpy(), [0.05 * i for i in range(21)]))


def test_thresholds_are_the_reference_floats():
    # 0.05 * 3 = 0.15000000000000002 > 0.15: an IoU of exactly 0.15 fails threshold 3, as in the reference
    curve = F.success_curve(torch.tensor([0.15], dtype=torch.float64))
    assert curve[2] == 1.0 and curve[3] == 0.0


def test_interactive_min_over_group():
    ious = torch.tensor([0.6, 0.4, 0.7, 0.9, 0.2], dtype=torch.float64)
    groups = torch.tensor([0, 0, 1, 1, 2])
    curve = F.group_success_curve(ious, groups)
    assert curve[10] == pytest.approx(1 / 3)         # only group 1 has both >= 0.5
    assert curve[8] == pytest.approx(2 / 3)          # t = 0.4: groups 0 and 1
    summary = F.localization_summary(dict(ciou=ious, ciou_adap=ious, empty_gt=torch.zeros(5, dtype=torch.bool)),
                                     groups)
    assert summary['iiou'] == pytest.approx(100 / 3) and summary['n_groups'] == 3


def test_chunking_does_not_change_results():
    g = torch.Generator().manual_seed(0)
    pred = torch.rand(37, 16, 16, generator=g)
    gt = (torch.rand(37, 16, 16, generator=g) > 0.7).float()
    a, b = F.per_sample_ious(pred, gt, chunk=5), F.per_sample_ious(pred, gt, chunk=512)
    assert torch.equal(a['ciou'], b['ciou']) and torch.equal(a['ciou_adap'], b['ciou_adap'])


def test_224_median_index_is_25088():
    pred = (torch.arange(224 * 224, dtype=torch.float32) / (224 * 224)).view(1, 224, 224)
    assert F.median_thresholds(F.sorted_maps(pred)).item() == pytest.approx(25088 / (224 * 224))


def test_gt_maps_from_boxes():
    gt = boxes_to_gt_map([[1, 2, 3, 4]], size=8)
    assert gt.sum() == 4 and gt[2:4, 1:3].all()          # end-exclusive
    vgg = normalized_boxes_to_gt_map([[0.0, 0.0, 0.5, 0.5], [-3e16, 0.0, 0.25, 1.0]], size=8)
    assert vgg.max() == 1 and vgg.sum() == 16 + 16 - 8   # union; corrupt coordinate clipped to 0
    flickr = consensus_gt_map([[0, 0, 128, 128], [0, 0, 64, 64]], size=8, canvas=256)
    assert flickr[0, 0] == 1.0 and flickr[3, 3] == 0.5 and flickr[5, 5] == 0.0


def test_selected_thresholds_equal_the_sorted_ones_with_ties_and_empty_gt():
    g = torch.Generator().manual_seed(3)
    pred = (torch.rand(9, 224, 224, generator=g) * 20).round() / 20       # many ties
    gt = (torch.rand(9, 224, 224, generator=g) > torch.rand(9, 1, 1, generator=g)).float()
    gt[0] = 0                                                              # empty GT
    gt[1] = 1                                                              # full GT: index 0
    median, adaptive, empty = F.map_thresholds(pred, gt)
    sp = F.sorted_maps(pred)
    ref_adaptive, ref_empty = F.adaptive_thresholds(sp, gt)
    assert torch.equal(median, F.median_thresholds(sp)) and torch.equal(adaptive, ref_adaptive)
    assert empty.tolist() == ref_empty.tolist() == [True] + [False] * 8
    idx = torch.tensor([[0, 50175, 7]] * 9)
    assert torch.equal(F.order_statistics(pred.flatten(1), idx), sp.gather(1, idx))
