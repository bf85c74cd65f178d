"""The baselines' losses (EZ-VSL, MarginNCE, FNAC, LVS) on hand-checkable tiny batches."""
import math

import pytest
import torch

from avzoo.models.losses import location_logits, mil_max, two_way_ce
from avzoo.models.methods.fnac import FNAC
from avzoo.models.methods.lvs import LVS, lvs_logits


def two_samples():
    """Unit maps [2, C=2, 1, 2] and unit audio [2, 2]: sample 0 sees [1,0] and [0,1], sample 1
    sees [0,1] twice; audio 0 = [1,0], audio 1 = [0,1]."""
    v = torch.tensor([[[[1.0, 0.0]], [[0.0, 1.0]]], [[[0.0, 0.0]], [[1.0, 1.0]]]])
    return v, torch.eye(2)


def test_marginnce_lowers_only_the_positive_logits():
    logits = torch.tensor([[1.0, 1.0], [0.0, 1.0]])
    m = 0.5                                                          # already divided by tau
    row = (-math.log(math.exp(1 - m) / (math.exp(1 - m) + math.e))
           - math.log(math.exp(1 - m) / (1 + math.exp(1 - m)))) / 2
    col = (-math.log(math.exp(1 - m) / (math.exp(1 - m) + 1))
           - math.log(math.exp(1 - m) / (math.e + math.exp(1 - m)))) / 2
    assert two_way_ce(logits, m).item() == pytest.approx(row + col)
    assert two_way_ce(logits, m).item() > two_way_ce(logits).item()


def test_fnac_warm_up_then_weighted_regularisers():
    torch.manual_seed(0)
    method = FNAC(embed_dim=4, dim=4, tau=0.1, weights=(100.0, 10.0, 1.0), warmup_epochs=2)
    v_maps, a_embs = {'anchor': torch.randn(3, 4, 2, 2)}, {'anchor': torch.randn(3, 4)}
    with pytest.raises(RuntimeError, match='MethodEpochHook'):
        method.loss(v_maps, a_embs)
    method.on_epoch(1)
    warm = method.loss(v_maps, a_embs)
    assert set(warm) == {'loss_mil', 'fns1', 'fns2', 'tns'} and not warm['fns1'].requires_grad
    method.on_epoch(2)
    full = method.loss(v_maps, a_embs)
    assert set(full) == {'loss_mil', 'fns1', 'fns2', 'tns', 'loss_fns1', 'loss_fns2', 'loss_tns'}
    for key, w in (('fns1', 100.0), ('fns2', 10.0), ('tns', 1.0)):
        assert full[f'loss_{key}'].item() == pytest.approx(w * warm[key].item())


def test_fnac_foreground_keeps_locations_above_the_threshold():
    method = FNAC(embed_dim=2, dim=2, tau=1.0)
    v = torch.tensor([[[[1.0, 0.0, 0.6]], [[0.0, 1.0, 0.8]]]])          # [1, 2, 1, 3], unit columns
    a = torch.tensor([[1.0, 0.0]])
    s = location_logits(v, a, 1.0)                                     # own map [1, 0, 0.6]
    logits = mil_max(s)
    terms = method.regularisers(v, a, s, logits)
    # normalised own map [1, 0, 0.6]: only the first location is > 0.6, f = [1, 0] / 3
    # a single sample: every row softmax is [1], so all three terms are 0
    assert all(t.item() == 0.0 for t in terms.values())
    two = torch.cat([v, v.flip(3)])                                     # sample 1: flipped map
    s2 = location_logits(two, torch.eye(2), 1.0)
    assert method.regularisers(two, torch.eye(2), s2, mil_max(s2))['tns'].item() > 0


def test_lvs_logits_trimap_regions():
    # sample 0: locations [1,0] and [-1,0]; sample 1: [0,1] and [0,-1]; audio 0 = [1,0], audio 1 = [0,1]
    v = torch.tensor([[[[1.0, -1.0]], [[0.0, 0.0]]], [[[0.0, 0.0]], [[1.0, -1.0]]]])
    a = torch.eye(2)
    logits = lvs_logits(v, a) * 0.07
    # positive: the +1 location (trimap weight ~1), hard negative: the -1 location; easy negative:
    # the other audio is orthogonal everywhere -> 0
    assert logits.shape == (2, 3)
    assert torch.allclose(logits, torch.tensor([[1.0, 0.0, -1.0], [1.0, 0.0, -1.0]]), atol=1e-4)
    loss = LVS(logit_tau=1.0).loss({'anchor': v}, {'anchor': a})['loss_lvs']     # CE target 0 on ~[1, 0, -1]
    expected = -math.log(math.e / (math.e + 1 + math.exp(-1)))
    assert loss.item() == pytest.approx(expected, abs=1e-4)


def test_marginnce_negative_margin_raises_the_positive_logit_and_relaxes_the_loss():
    """The paper's convention: a negative margin gives a less strict boundary, so the positive
    logit goes up by |m| / tau and the loss falls below EZ-VSL's on the same logits."""
    import torch.nn.functional as F

    from avzoo.models.methods.marginnce import MarginNCE
    method = MarginNCE(margin=-0.2, embed_dim=4, dim=4, tau=0.5)
    logits = torch.tensor([[1.0, 0.5], [0.2, 0.8]])
    shifted = logits + 0.4 * torch.eye(2)                 # -(-0.2) / 0.5 on the diagonal only
    target = torch.arange(2)
    expected = F.cross_entropy(shifted, target) + F.cross_entropy(shifted.t(), target)
    assert method.contrastive_loss(logits).item() == pytest.approx(expected.item())
    assert method.contrastive_loss(logits) < two_way_ce(logits)              # less strict than EZ-VSL
    assert MarginNCE(margin=0.2, embed_dim=4, dim=4, tau=0.5).contrastive_loss(logits) > two_way_ce(logits)
