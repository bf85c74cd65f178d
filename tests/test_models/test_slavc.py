"""SLAVC: the dual-softmax logits on hand-checkable cases and the momentum targets' updates."""
import torch
import torch.nn.functional as F

import avzoo  # noqa: F401
from avzoo.models.methods.slavc import dual_softmax_logits
from avzoo.registry import MODELS


def test_one_location_reduces_to_log_softmax_over_audios():
    g = torch.Generator().manual_seed(0)
    v1 = F.normalize(torch.randn(3, 4, 1, 1, generator=g), dim=1)
    a1 = F.normalize(torch.randn(3, 4, generator=g), dim=1)
    v2, a2 = v1.clone(), a1.clone()
    logits = dual_softmax_logits(v1, v2, a1, a2, tau=0.5)
    expected = torch.log_softmax((v1.flatten(1) @ a1.t()) / 0.5, dim=1)
    assert torch.allclose(logits, expected, atol=1e-6)


def test_audio_agnostic_head_one_gives_log_one_over_b():
    v = F.normalize(torch.randn(4, 3, 2, 2), dim=1)
    a_same = F.normalize(torch.ones(4, 3), dim=1)                 # every audio identical for head 1
    logits = dual_softmax_logits(v, v, a_same, F.normalize(torch.randn(4, 3), dim=1), tau=0.1)
    assert torch.allclose(logits, torch.full((4, 4), -torch.log(torch.tensor(4.0))), atol=1e-5)


def small_slavc():
    from mmengine.registry import init_default_scope
    init_default_scope('avzoo')
    enc = dict(type='ResNetEncoder', widths=(8, 8, 8, 8), blocks=(1, 1, 1, 1))
    return MODELS.build(dict(type='AVLocalizer', visual_encoder=dict(enc, in_channels=3),
                             audio_encoder=dict(enc, in_channels=1, pool='max'),
                             method=dict(type='SLAVC', embed_dim=8, dim=8, tau=0.1, visual_dropout=0.0,
                                         audio_dropout=0.0, momentum_visual=0.9, momentum_audio=0.5)))


def test_momentum_encoders_and_heads_follow_the_online_ones():
    torch.manual_seed(0)
    model = small_slavc()
    model.init_weights()
    inputs = dict(image=torch.randn(4, 3, 32, 32), audio=torch.randn(4, 1, 32, 32))
    v_on, v_mom = model.visual_encoder.conv1.weight, model.visual_encoder_momentum.conv1.weight
    a_on, a_mom = model.audio_encoder.conv1.weight, model.audio_encoder_momentum.conv1.weight
    h_on, h_mom = model.method.heads.a1.weight, model.method.heads_momentum.a1.weight
    assert torch.equal(v_on, v_mom) and not v_mom.requires_grad
    opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.5)
    losses = model(inputs, mode='loss')
    assert set(losses) == {'loss_i2a', 'loss_a2i'} and all(torch.isfinite(v) for v in losses.values())
    sum(losses.values()).backward()
    before = [t.detach().clone() for t in (v_on, v_mom, a_on, a_mom, h_on, h_mom)]
    opt.step()
    assert not torch.equal(v_on, before[0])                            # the online encoder moved
    assert torch.equal(v_mom, before[1]) and v_mom.grad is None        # the target did not (no grad)
    model(inputs, mode='loss')                                         # next step: EMA update
    assert torch.allclose(v_mom, 0.9 * before[1] + 0.1 * v_on.detach(), atol=1e-7)
    assert torch.allclose(a_mom, 0.5 * before[3] + 0.5 * a_on.detach(), atol=1e-7)
    assert torch.allclose(h_mom, 0.5 * before[5] + 0.5 * h_on.detach(), atol=1e-7)
    state = model.state_dict()                                         # saved, so resume is exact
    assert 'visual_encoder_momentum.conv1.weight' in state and 'method.heads_momentum.v1.weight' in state


def test_test_maps_and_confidence():
    torch.manual_seed(0)
    model = small_slavc().eval()
    v_map, a_emb = torch.randn(2, 8, 3, 3), torch.randn(2, 8)
    raw = model.method.localization_map(v_map, a_emb)
    assert raw.shape == (2, 3, 3)
    assert torch.equal(model.method.confidence(raw), raw.flatten(1).amax(dim=1))


def test_momentum_eval_uses_the_momentum_encoders_and_heads():
    torch.manual_seed(0)
    model = small_slavc()
    model.init_weights()
    with torch.no_grad():                                   # make the targets differ from the online nets
        for p in list(model.visual_encoder_momentum.parameters()) + list(model.method.heads_momentum.parameters()):
            p.add_(0.05 * torch.randn_like(p))
    model.eval()
    inputs = dict(image=torch.randn(2, 3, 32, 32), audio=torch.randn(2, 1, 32, 32))
    online = model(inputs, mode='tensor')
    model.method.use_momentum_eval = True
    momentum = model(inputs, mode='tensor')
    v, a = model.encode(inputs['image'], inputs['audio'], momentum=True)
    assert torch.allclose(momentum, model.method.localization_map(v, a)) and not torch.allclose(momentum, online)
