"""`avzoo score PRED.npz --json` against hand-computed values."""
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from avzoo.cli import app


def box_map(x0, y0, x1, y1):
    gt = np.zeros((224, 224), np.float32)
    gt[y0:y1, x0:x1] = 1
    return gt


def score(tmp_path, **arrays):
    path = tmp_path / 'pred.npz'
    np.savez(path, **arrays)
    res = CliRunner().invoke(app, ['score', str(path), '--json'])
    assert res.exit_code == 0, res.output
    return json.loads(res.output.strip().splitlines()[-1])


def test_perfect_and_wrong_maps(tmp_path):
    left, right = box_map(0, 0, 112, 224), box_map(112, 0, 224, 224)      # halves: 25,088 px each
    heat = np.stack([left + 0.01 * np.random.RandomState(0).rand(224, 224),   # top half = left box
                     left + 0.01 * np.random.RandomState(1).rand(224, 224)])  # points at the wrong half
    out = score(tmp_path, heatmaps=heat.astype(np.float32), gt_maps=np.stack([left, right]))
    # sample 0: strict > sorted[25088] selects 25,087 of the 25,088 box pixels -> IoU = 25087/25088
    assert out['ciou'] == pytest.approx(50.0) and out['ciou_adap'] == pytest.approx(50.0)
    assert out['n'] == 2 and out['n_empty_gt'] == 0
    # AUC: sample 0 succeeds at every threshold but 1.0, sample 1 only at 0 -> trapezoid by hand
    y = [1.0] + [0.5] * 19 + [0.0]
    assert out['auc'] == pytest.approx(100 * sum(0.05 * (a + b) / 2 for a, b in zip(y, y[1:])))


def test_small_heatmaps_are_upsampled_and_pairs_grouped(tmp_path):
    coarse = np.zeros((4, 7, 7), np.float32)
    coarse[0, :, :3] = 1      # left
    coarse[1, :, 4:] = 1      # right
    coarse[2, :, :3] = 1      # left for both sounds of image 2: one of them must fail
    coarse[3, :, :3] = 1
    gts = np.stack([box_map(0, 0, 96, 224), box_map(128, 0, 224, 224),
                    box_map(0, 0, 96, 224), box_map(128, 0, 224, 224)])
    out = score(tmp_path, heatmaps=coarse, gt_maps=gts, pair_ids=np.array(['a', 'a', 'b', 'b']))
    assert out['n_groups'] == 2
    assert out['iiou'] == pytest.approx(50.0)           # pair a succeeds, pair b does not
    assert out['ciou'] == pytest.approx(75.0)
