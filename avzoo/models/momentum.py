"""Momentum (exponential moving average) copies of modules, as SLAVC's targets use them."""
from __future__ import annotations

import copy

import torch
from torch import nn


def momentum_copy(module: nn.Module) -> nn.Module:
    """A frozen copy of ``module`` (same weights, ``requires_grad=False``)."""
    target = copy.deepcopy(module)
    for p in target.parameters():
        p.requires_grad_(False)
    return target


@torch.no_grad()
def momentum_update(online: nn.Module, target: nn.Module, m: float) -> None:
    """``target <- m * target + (1 - m) * online`` for every parameter (buffers such as BatchNorm
    statistics are the target's own, as in the releases)."""
    for p_online, p_target in zip(online.parameters(), target.parameters()):
        p_target.mul_(m).add_(p_online.detach(), alpha=1.0 - m)


@torch.no_grad()
def copy_weights(online: nn.Module, target: nn.Module) -> None:
    """``target <- online`` (parameters), e.g. after ``online`` was initialised from a checkpoint."""
    for p_online, p_target in zip(online.parameters(), target.parameters()):
        p_target.copy_(p_online.detach())
