"""Projection heads."""
from __future__ import annotations

from torch import Tensor, nn

from avzoo.registry import MODELS


@MODELS.register_module()
class MLPProjection(nn.Module):
    """SimCLR-style head ``[B, in] -> [B, out]``: Linear-BN-ReLU-Linear (``hidden=0``: one Linear)."""

    def __init__(self, in_dim: int, out_dim: int = 128, hidden: int = 512) -> None:
        super().__init__()
        if hidden:
            self.net = nn.Sequential(nn.Linear(in_dim, hidden), nn.BatchNorm1d(hidden),
                                     nn.ReLU(inplace=True), nn.Linear(hidden, out_dim))
        else:
            self.net = nn.Linear(in_dim, out_dim)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)
