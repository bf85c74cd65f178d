"""The baselines' losses (EZ-VSL, MarginNCE, FNAC, LVS) on hand-checkable tiny batches."""
import math

import pytest
import torch

from avzoo.models.methods.ezvsl import FNAC, location_logits, mil_logits, row_softmax_l1, two_way_ce
from avzoo.models.methods.lvs import LVS, lvs_logits


def two_samples():
    """Unit maps [2, C=2, 1, 2] and unit audio [2, 2]: sample 0 sees [1,0] and [0,1], sample 1
    sees [0,1] twice; audio 0 = [1,0], audio 1 = [0,1]."""
    v = torch.tensor([[[[1.0, 0.0]], [[0.0, 1.0]]], [[[0.0, 0.0]], [[1.0, 1.0]]]])
    return v, torch.eye(2)


def test_mil_logits_take_the_best_location():
    v, a = two_samples()
    s = location_logits(v, a, tau=0.5)
    assert s.shape == (2, 2, 1, 2)
    assert mil_logits(s).tolist() == [[2.0, 2.0], [0.0, 2.0]]      # max over locations / 0.5


def test_ezvsl_loss_sums_both_directions():
    logits = torch.tensor([[1.0, 1.0], [0.0, 1.0]])
    # rows: -log(e/(e+e)) = log 2 and -log(e/(1+e)); columns: the same two values swapped
    expected = math.log(2) + math.log(1 + math.exp(-1))
    assert two_way_ce(logits).item() == pytest.approx(expected)


def test_marginnce_lowers_only_the_positive_logits():
    logits = torch.tensor([[1.0, 1.0], [0.0, 1.0]])
    m = 0.5                                                          # already divided by tau
    row = (-math.log(math.exp(1 - m) / (math.exp(1 - m) + math.e))
           - math.log(math.exp(1 - m) / (1 + math.exp(1 - m)))) / 2
    col = (-math.log(math.exp(1 - m) / (math.exp(1 - m) + 1))
           - math.log(math.exp(1 - m) / (math.e + math.exp(1 - m)))) / 2
    assert two_way_ce(logits, m).item() == pytest.approx(row + col)
    assert two_way_ce(logits, m).item() > two_way_ce(logits).item()


def test_row_softmax_l1():
    x = torch.zeros(2, 2)                                            # softmax rows: [.5, .5]
    y = torch.tensor([[math.log(3), 0.0], [0.0, math.log(3)]])      # softmax rows: [.75, .25]
    assert row_softmax_l1(x, y).item() == pytest.approx(0.25)
    assert row_softmax_l1(y, y).item() == 0.0


def test_fnac_warm_up_then_weighted_regularisers():
    torch.manual_seed(0)
    method = FNAC(embed_dim=4, dim=4, tau=0.1, weights=(100.0, 10.0, 1.0), warmup_epochs=2)
    v_maps, a_embs = {'': torch.randn(3, 4, 2, 2)}, {'': torch.randn(3, 4)}
    with pytest.raises(RuntimeError, match='MethodEpochHook'):
        method.loss(v_maps, a_embs)
    method.set_epoch(1)
    warm = method.loss(v_maps, a_embs)
    assert set(warm) == {'loss_mil', 'fns1', 'fns2', 'tns'} and not warm['fns1'].requires_grad
    method.set_epoch(2)
    full = method.loss(v_maps, a_embs)
    assert set(full) == {'loss_mil', 'fns1', 'fns2', 'tns', 'loss_fns1', 'loss_fns2', 'loss_tns'}
    for key, w in (('fns1', 100.0), ('fns2', 10.0), ('tns', 1.0)):
        assert full[f'loss_{key}'].item() == pytest.approx(w * warm[key].item())


def test_fnac_foreground_keeps_locations_above_the_threshold():
    method = FNAC(embed_dim=2, dim=2, tau=1.0)
    v = torch.tensor([[[[1.0, 0.0, 0.6]], [[0.0, 1.0, 0.8]]]])          # [1, 2, 1, 3], unit columns
    a = torch.tensor([[1.0, 0.0]])
    s = location_logits(v, a, 1.0)                                     # own map [1, 0, 0.6]
    logits = mil_logits(s)
    terms = method.regularisers(v, a, s, logits)
    # normalised own map [1, 0, 0.6]: only the first location is > 0.6, f = [1, 0] / 3
    # a single sample: every row softmax is [1], so all three terms are 0
    assert all(t.item() == 0.0 for t in terms.values())
    two = torch.cat([v, v.flip(3)])                                     # sample 1: flipped map
    s2 = location_logits(two, torch.eye(2), 1.0)
    assert method.regularisers(two, torch.eye(2), s2, mil_logits(s2))['tns'].item() > 0


def test_lvs_logits_trimap_regions():
    # sample 0: locations [1,0] and [-1,0]; sample 1: [0,1] and [0,-1]; audio 0 = [1,0], audio 1 = [0,1]
    v = torch.tensor([[[[1.0, -1.0]], [[0.0, 0.0]]], [[[0.0, 0.0]], [[1.0, -1.0]]]])
    a = torch.eye(2)
    logits = lvs_logits(v, a) * 0.07
    # positive: the +1 location (trimap weight ~1), hard negative: the -1 location; easy negative:
    # the other audio is orthogonal everywhere -> 0
    assert logits.shape == (2, 3)
    assert torch.allclose(logits, torch.tensor([[1.0, 0.0, -1.0], [1.0, 0.0, -1.0]]), atol=1e-4)
    loss = LVS(logit_tau=1.0).loss({'': v}, {'': a})['loss_lvs']     # CE target 0 on ~[1, 0, -1]
    expected = -math.log(math.e / (math.e + 1 + math.exp(-1)))
    assert loss.item() == pytest.approx(expected, abs=1e-4)
