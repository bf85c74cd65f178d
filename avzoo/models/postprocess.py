"""Post-processing of localisation maps at test time (``avzoo eval --ogl``)."""
from __future__ import annotations

from typing import Optional

import torch
from torch import Tensor

from avzoo.models.ops import minmax_normalize, upsample_maps
from avzoo.registry import MODELS, POSTPROCESSORS


@POSTPROCESSORS.register_module()
class OGL:
    """Object-guided localisation (EZ-VSL): objectness = mean over channels of ``|x|`` of a frozen
    visual encoder's map (ImageNet ResNet-18 layer4 in the releases; on avzoo-synth the supervised
    encoder of the miner), upsampled like the AV map and min-max normalised;
    ``final = minmax(alpha * av + (1 - alpha) * objectness)``, ``alpha = 0.4``.

    The encoder is not part of the model's state dict, so checkpoints load with or without OGL.
    """

    def __init__(self, encoder: dict, alpha: float = 0.4, upsample: Optional[str] = None) -> None:
        self.encoder = MODELS.build(encoder).eval()
        for p in self.encoder.parameters():
            p.requires_grad_(False)
        self.alpha, self.upsample = alpha, upsample

    @torch.no_grad()
    def objectness(self, image: Tensor, size: int, upsample: str) -> Tensor:
        """Normalised frames ``[B, 3, H, W]`` -> min-max objectness ``[B, size, size]``."""
        self.encoder.to(image.device)
        feat = self.encoder(image)                                       # [B, C, h, w]
        return minmax_normalize(upsample_maps(feat.abs().mean(dim=1), size, upsample))

    def __call__(self, heatmap: Tensor, image: Tensor, upsample: str = 'bilinear_align_corners') -> Tensor:
        """``heatmap`` ``[B, S, S]`` (min-max AV maps), ``image`` ``[B, 3, H, W]`` -> ``[B, S, S]``."""
        return self.combine(heatmap, self.objectness(image, heatmap.shape[-1], self.upsample or upsample))

    def combine(self, heatmap: Tensor, objectness: Tensor) -> Tensor:
        """OGL's map from min-max AV maps and an already computed :meth:`objectness` ``[B, S, S]``."""
        return minmax_normalize(self.blend(heatmap, objectness.to(heatmap.device)))

    def blend(self, maps: Tensor, objectness: Tensor) -> Tensor:
        """``alpha * maps + (1 - alpha) * objectness`` without re-normalising (absolute-scale maps
        of the negative-audio protocol keep their scale; the release blends its raw maps the same way)."""
        return self.alpha * maps + (1 - self.alpha) * objectness
