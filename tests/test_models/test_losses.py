"""The pure loss functions every method is made of (avzoo/models/losses.py), on hand-checkable
tiny tensors."""
import math

import pytest
import torch

from avzoo.models.losses import (
    cosine_map,
    info_nce,
    location_logits,
    mean_location_similarity,
    mil_max,
    row_softmax_l1,
    two_way_ce,
)


def two_samples():
    """Unit maps [2, C=2, 1, 2] and unit audio [2, 2]: sample 0 sees [1,0] and [0,1], sample 1
    sees [0,1] twice; audio 0 = [1,0], audio 1 = [0,1]."""
    v = torch.tensor([[[[1.0, 0.0]], [[0.0, 1.0]]], [[[0.0, 0.0]], [[1.0, 1.0]]]])
    return v, torch.eye(2)


def test_mean_location_similarity_is_mean_of_location_cosines():
    # sample 0: locations [1, 0] and [0, 1]; sample 1: both [0, 2] (normalised per location)
    v = torch.tensor([[[[1.0, 0.0]], [[0.0, 1.0]]], [[[0.0, 0.0]], [[2.0, 2.0]]]])  # [2, C=2, 1, 2]
    a = torch.tensor([[3.0, 0.0], [0.0, 1.0]])
    s = mean_location_similarity(v, a)
    assert torch.allclose(s, torch.tensor([[0.5, 0.5], [0.0, 1.0]]))


def test_info_nce_on_identity_logits():
    expected = math.log(1 + math.exp(-1))          # -log(e / (e + 1))
    assert info_nce(torch.eye(2)).item() == pytest.approx(expected)
    logits = torch.tensor([[1.0, 0.0], [1.0, 0.0]])   # asymmetric: directions differ
    v2a = (math.log(1 + math.exp(-1)) + math.log(1 + math.exp(1))) / 2
    a2v = (math.log(1 + math.exp(0)) + math.log(1 + math.exp(0))) / 2
    assert info_nce(logits, 'v2a').item() == pytest.approx(v2a)
    assert info_nce(logits, 'a2v').item() == pytest.approx(a2v)
    assert info_nce(logits, 'both').item() == pytest.approx((v2a + a2v) / 2)
    with pytest.raises(ValueError, match='direction'):
        info_nce(logits, 'sym')


def test_mil_max_takes_the_best_location():
    v, a = two_samples()
    s = location_logits(v, a, tau=0.5)
    assert s.shape == (2, 2, 1, 2)
    assert mil_max(s).tolist() == [[2.0, 2.0], [0.0, 2.0]]      # max over locations / 0.5


def test_ezvsl_loss_sums_both_directions():
    logits = torch.tensor([[1.0, 1.0], [0.0, 1.0]])
    # rows: -log(e/(e+e)) = log 2 and -log(e/(1+e)); columns: the same two values swapped
    expected = math.log(2) + math.log(1 + math.exp(-1))
    assert two_way_ce(logits).item() == pytest.approx(expected)


def test_row_softmax_l1():
    x = torch.zeros(2, 2)                                            # softmax rows: [.5, .5]
    y = torch.tensor([[math.log(3), 0.0], [0.0, math.log(3)]])      # softmax rows: [.75, .25]
    assert row_softmax_l1(x, y).item() == pytest.approx(0.25)
    assert row_softmax_l1(y, y).item() == 0.0


def test_two_way_ce_sums_both_directions():
    logits = torch.tensor([[1.0, 1.0], [0.0, 1.0]])
    # rows: -log(e/(e+e)) = log 2 and -log(e/(1+e)); columns: the same two values swapped
    expected = math.log(2) + math.log(1 + math.exp(-1))
    assert two_way_ce(logits).item() == pytest.approx(expected)
    assert two_way_ce(logits).item() == pytest.approx(2 * info_nce(logits, 'both').item())


def test_cosine_map_is_the_own_diagonal_of_the_location_logits():
    torch.manual_seed(0)
    v, a = torch.randn(3, 4, 2, 5), torch.randn(3, 4)
    own = location_logits(torch.nn.functional.normalize(v, dim=1), torch.nn.functional.normalize(a, dim=1))
    assert torch.allclose(cosine_map(v, a), own[torch.arange(3), torch.arange(3)], atol=1e-6)
    assert cosine_map(v, a).abs().max() <= 1 + 1e-6
    # s_L is the spatial mean of the same cosines, for every pair
    assert torch.allclose(mean_location_similarity(v, a), own.mean(dim=(2, 3)), atol=1e-6)
