"""The two audio-agnostic reference floors every table prints beside the methods.

Both ignore the audio, so on an interactive benchmark (one image, two sounds) they give the same
map for both sounds and cannot localise both.
"""
from __future__ import annotations

import torch
from torch import Tensor

from avzoo.models.methods.base import SSLMethod
from avzoo.registry import MODELS


@MODELS.register_module()
class CentrePrior(SSLMethod):
    """A centred isotropic Gaussian on the feature grid (``sigma`` as a fraction of the side)."""

    trains = False

    def __init__(self, sigma: float = 0.25) -> None:
        super().__init__()
        self.sigma = sigma

    def localization_map(self, v_map: Tensor, a_emb: Tensor) -> Tensor:
        b, _, h, w = v_map.shape
        ys = (torch.arange(h, device=v_map.device) + 0.5) / h - 0.5
        xs = (torch.arange(w, device=v_map.device) + 0.5) / w - 0.5
        g = torch.exp(-(ys[:, None] ** 2 + xs[None, :] ** 2) / (2 * self.sigma ** 2))
        return g.expand(b, h, w)


@MODELS.register_module()
class Objectness(SSLMethod):
    """OGL's objectness: mean over channels of |x| of a frozen visual encoder's map
    (ImageNet ResNet-18 in the releases; on avzoo-synth, the supervised encoder of the miner)."""

    trains = False

    def localization_map(self, v_map: Tensor, a_emb: Tensor) -> Tensor:
        return v_map.abs().mean(dim=1)
