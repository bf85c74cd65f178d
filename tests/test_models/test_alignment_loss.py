"""The alignment method's loss on hand-checkable tiny batches."""
import math

import pytest
import torch
from torch import nn

from avzoo.models.methods.alignment import alignment_loss


def identity_head(dim):
    lin = nn.Linear(dim, dim)
    with torch.no_grad():
        lin.weight.copy_(torch.eye(dim))
        lin.bias.zero_()
    return lin


def test_nine_pairs_and_alignment_term():
    v = torch.eye(2).view(2, 2, 1, 1)               # orthogonal one-location maps
    a = torch.eye(2)
    one = math.log(1 + math.exp(-1))                # s = I, tau = 1
    single = alignment_loss({'anchor': v}, {'anchor': a}, identity_head(2), identity_head(2), tau=1.0)
    assert single['loss_loc'].item() == pytest.approx(one)
    assert single['loss_align'].item() == pytest.approx(one)   # identity heads: s_A = s_L here
    views = ('', 'aug', 'nn')
    nine = alignment_loss({k: v for k in views}, {k: a for k in views}, identity_head(2), identity_head(2), tau=1.0)
    assert nine['loss_loc'].item() == pytest.approx(9 * one)
    assert nine['loss_align'].item() == pytest.approx(9 * one)
    no_align = alignment_loss({'anchor': v}, {'anchor': a}, identity_head(2), identity_head(2), tau=1.0, use_alignment=False)
    assert set(no_align) == {'loss_loc'}


def test_temperature_scales_logits():
    v, a = torch.eye(2).view(2, 2, 1, 1), torch.eye(2)
    out = alignment_loss({'anchor': v}, {'anchor': a}, identity_head(2), identity_head(2), tau=0.5, use_alignment=False)
    assert out['loss_loc'].item() == pytest.approx(math.log(1 + math.exp(-1 / 0.5)))


def test_intra_modal_term_pairs_views_of_one_modality():
    v, a = torch.eye(2).view(2, 2, 1, 1), torch.eye(2)
    out = alignment_loss({'anchor': v, 'aug': v}, {'anchor': a, 'aug': a}, identity_head(2), identity_head(2),
                         tau=1.0, intra_modal=True)
    assert out['loss_intra'].item() == pytest.approx(2 * math.log(1 + math.exp(-1)))


def test_a_modality_without_positives_feeds_its_anchor_once(tmp_path):
    """The paper's per-modality ablation: with image positives off, V = {v} and A = {a, a_aug, a_nn}
    (3 pairs per term), and the visual encoder sees the anchors once — no duplicated anchors
    in its batch-norm batch."""
    from mmengine.registry import init_default_scope

    from avzoo.engine.config import load_config
    from avzoo.registry import MODELS
    init_default_scope('avzoo')
    cfg = load_config('alignment_small_1xb32-sup-nn-5e_synth', ["model.method.positive_modalities=['audio']"],
                      data_root=str(tmp_path))
    model = MODELS.build(cfg.model).train()
    seen = {}
    model.visual_encoder.register_forward_hook(lambda m, i, o: seen.__setitem__('visual', i[0].shape[0]))
    model.audio_encoder.register_forward_hook(lambda m, i, o: seen.__setitem__('audio', i[0].shape[0]))
    g = torch.Generator().manual_seed(0)
    inputs = {f'{m}{s}': (torch.randint(0, 255, (4, 3, 128, 128), dtype=torch.uint8, generator=g) if m == 'image'
                          else 0.1 * torch.randn(4, 8000, generator=g))
              for m in ('image', 'audio') for s in ('', '_aug', '_nn')}
    batch = model.data_preprocessor(dict(inputs=inputs), training=True)['inputs']
    v_maps, a_embs = model._encode_views(batch)
    assert seen == {'visual': 4, 'audio': 12} and set(v_maps) == {'anchor'} and set(a_embs) == {'anchor', 'aug', 'nn'}
    losses = model(batch, mode='loss')
    three = alignment_loss(v_maps, a_embs, model.method.p_v, model.method.p_a, tau=0.07, direction='v2a')
    assert losses['loss_loc'].item() == pytest.approx(three['loss_loc'].item(), rel=1e-4)
