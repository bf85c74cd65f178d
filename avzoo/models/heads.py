"""Projection heads."""
from __future__ import annotations

from torch import Tensor, nn

from avzoo.registry import MODELS


@MODELS.register_module()
class MLPProjection(nn.Module):
    """SimCLR (v1) head ``[B, in] -> [B, out]``: Linear-ReLU-Linear; ``batch_norm`` adds BN after the
    first Linear (SimCLR v2 style), ``hidden=0`` makes it one Linear."""

    def __init__(self, in_dim: int, out_dim: int = 128, hidden: int = 512, batch_norm: bool = False) -> None:
        super().__init__()
        if hidden:
            norm = [nn.BatchNorm1d(hidden)] if batch_norm else []
            self.net = nn.Sequential(nn.Linear(in_dim, hidden), *norm, nn.ReLU(inplace=True),
                                     nn.Linear(hidden, out_dim))
        else:
            self.net = nn.Linear(in_dim, out_dim)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)
