"""The two audio-agnostic reference floors every table prints beside the methods.

Both ignore the audio, so on an interactive benchmark (one image, two sounds) they give the same
map for both sounds and cannot localise both.
"""
from __future__ import annotations

from typing import Optional, Tuple

import torch
from torch import Tensor

from avzoo.models.methods.base import LocalizationMethod
from avzoo.models.ops import minmax_normalize
from avzoo.registry import MODELS


@MODELS.register_module()
class CentrePrior(LocalizationMethod):
    """A centred isotropic Gaussian (``sigma`` as a fraction of the side) on a ``grid`` of
    ``(h, w)`` cells, upsampled like any map; no encoder is run."""

    trains = False
    encoders = ()

    def __init__(self, sigma: float = 0.25, grid: Tuple[int, int] = (7, 7)) -> None:
        super().__init__()
        self.sigma, self.grid = sigma, tuple(grid)
        h, w = self.grid
        ys = (torch.arange(h) + 0.5) / h - 0.5
        xs = (torch.arange(w) + 0.5) / w - 0.5
        prior = torch.exp(-(ys[:, None] ** 2 + xs[None, :] ** 2) / (2 * sigma ** 2))
        self.register_buffer('prior', prior[None], persistent=False)    # [1, h, w], not in checkpoints

    def localization_map(self, v_map: Optional[Tensor], a_emb: Optional[Tensor]) -> Tensor:
        """-> ``[1, h, w]``, shared by the whole batch."""
        return self.prior

    def similarity_map(self, raw_map: Tensor) -> Tensor:
        """The prior is already in ``(0, 1]`` (and ignores the sound)."""
        return raw_map


@MODELS.register_module()
class Objectness(LocalizationMethod):
    """OGL's objectness: mean over channels of |x| of a frozen visual encoder's map
    (ImageNet ResNet-18 in the releases; on avzoo-synth, the supervised encoder of the miner)."""

    trains = False
    encoders = ('visual',)

    def localization_map(self, v_map: Tensor, a_emb: Optional[Tensor]) -> Tensor:
        return v_map.abs().mean(dim=1)

    def similarity_map(self, raw_map: Tensor) -> Tensor:
        """Feature norms have no absolute scale: min-max per map (it ignores the sound)."""
        return minmax_normalize(raw_map)
