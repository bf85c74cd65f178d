"""The pieces every method's objective is made of, as pure functions (no state, no modules).

Conventions: ``v`` are visual maps ``[B, C, h, w]``, ``a`` audio vectors ``[B, C]``; a logit
matrix ``[B, B]`` has visual samples in rows and audio samples in columns, with the positive
pairs on the diagonal. Functions that say "unit" expect L2-normalised channels.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

DIRECTIONS = ('v2a', 'a2v', 'both')


def _diagonal_targets(logits: Tensor) -> Tensor:
    return torch.arange(logits.shape[0], device=logits.device)


def info_nce(logits: Tensor, direction: str = 'both') -> Tensor:
    """InfoNCE with the diagonal as positives: ``logits`` ``[B, B]`` -> scalar.

    ``'v2a'``: each visual row against all audios, ``-log exp(l_ii) / sum_j exp(l_ij)``;
    ``'a2v'``: each audio column against all visuals; ``'both'``: the mean of the two."""
    target = _diagonal_targets(logits)
    if direction == 'v2a':
        return F.cross_entropy(logits, target)
    if direction == 'a2v':
        return F.cross_entropy(logits.t(), target)
    if direction == 'both':
        return 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target))
    raise ValueError(f'info_nce direction must be one of {DIRECTIONS}, got {direction!r}')


def two_way_ce(logits: Tensor, positive_offset: float = 0.0) -> Tensor:
    """``CE(l) + CE(l^T)`` with diagonal targets (the EZ-VSL family sums both directions):
    ``[B, B]`` -> scalar. ``positive_offset`` is subtracted from the diagonal logits first."""
    if positive_offset:
        eye = torch.eye(logits.shape[0], device=logits.device, dtype=logits.dtype)
        logits = logits - positive_offset * eye
    target = _diagonal_targets(logits)
    return F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target)


def cosine_map(v: Tensor, a: Tensor) -> Tensor:
    """Cosine of every location with its own audio: ``[B, C, h, w]``, ``[B, C]`` -> ``[B, h, w]``
    in [-1, 1] (inputs need not be unit)."""
    return torch.einsum('bchw,bc->bhw', F.normalize(v, dim=1), F.normalize(a, dim=1))


def location_logits(v: Tensor, a: Tensor, tau: float = 1.0) -> Tensor:
    """All-pairs location scores ``S_nm(x, y) = <v_n(x, y), a_m> / tau``: ``[B, C, h, w]``,
    ``[B, C]`` -> ``[B, B, h, w]`` (cosines when both are unit)."""
    return torch.einsum('nchw,mc->nmhw', v, a) / tau


def mil_max(s: Tensor) -> Tensor:
    """Multiple-instance max pooling over locations: ``[B, B, h, w]`` -> ``[B, B]``."""
    return s.flatten(2).amax(dim=2)


def mean_location_similarity(v: Tensor, a: Tensor) -> Tensor:
    """``s_L(v_n, a_m) = mean_xy cos(v_n(x, y), a_m)`` for every pair: ``[B, C, h, w]``,
    ``[B, C]`` -> ``[B, B]``. The mean of per-location cosines equals the dot product of the mean
    unit vector with the unit audio, so no ``[B, B, h, w]`` tensor is formed."""
    return F.normalize(v, dim=1).mean(dim=(2, 3)) @ F.normalize(a, dim=1).t()


def row_softmax_l1(x: Tensor, y: Tensor) -> Tensor:
    """Mean absolute difference of row-softmaxed matrices: ``[B, B]`` x2 -> scalar."""
    return F.l1_loss(torch.softmax(x, dim=1), torch.softmax(y, dim=1))
