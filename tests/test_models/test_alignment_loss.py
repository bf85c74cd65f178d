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
    single = alignment_loss({'': v}, {'': a}, identity_head(2), identity_head(2), tau=1.0)
    assert single['loss_loc'].item() == pytest.approx(one)
    assert single['loss_align'].item() == pytest.approx(one)   # identity heads: s_A = s_L here
    views = ('', 'aug', 'nn')
    nine = alignment_loss({k: v for k in views}, {k: a for k in views}, identity_head(2), identity_head(2), tau=1.0)
    assert nine['loss_loc'].item() == pytest.approx(9 * one)
    assert nine['loss_align'].item() == pytest.approx(9 * one)
    no_align = alignment_loss({'': v}, {'': a}, identity_head(2), identity_head(2), tau=1.0, use_alignment=False)
    assert set(no_align) == {'loss_loc'}


def test_temperature_scales_logits():
    v, a = torch.eye(2).view(2, 2, 1, 1), torch.eye(2)
    out = alignment_loss({'': v}, {'': a}, identity_head(2), identity_head(2), tau=0.5, use_alignment=False)
    assert out['loss_loc'].item() == pytest.approx(math.log(1 + math.exp(-1 / 0.5)))


def test_intra_modal_term_pairs_views_of_one_modality():
    v, a = torch.eye(2).view(2, 2, 1, 1), torch.eye(2)
    out = alignment_loss({'': v, 'aug': v}, {'': a, 'aug': a}, identity_head(2), identity_head(2),
                         tau=1.0, intra_modal=True)
    assert out['loss_intra'].item() == pytest.approx(2 * math.log(1 + math.exp(-1)))
