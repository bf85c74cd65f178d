"""EZ-VSL ("Localizing Visual Sounds the Easy Way", ECCV 2022); MarginNCE and FNAC build on it.

The encoder outputs are projected (1x1 conv on the visual map, linear on the audio vector, to
``dim`` channels; optional dropout on the backbone features first) and L2-normalised; every
location is scored against every audio, ``S_nm(x, y) = <v_n(x, y), a_m> / tau``; multiple-
instance max pooling gives the clip logits ``l_nm = max_xy S_nm(x, y)``; the loss is the
cross-entropy with the diagonal as targets in both directions, summed (as the releases do).
The test map is ``S_nn``. docs/methods.md has the math.
"""
from __future__ import annotations

from typing import Dict, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from avzoo.models.losses import location_logits, mil_max, two_way_ce
from avzoo.models.methods.base import ANCHOR, LocalizationMethod
from avzoo.registry import MODELS


@MODELS.register_module()
class EZVSL(LocalizationMethod):
    """EZ-VSL.

    Args:
        embed_dim: encoder output channels. dim: projected channels (release: 512).
        tau: temperature (release: 0.03).
        visual_dropout / audio_dropout: dropout on the backbone features before the projections
            (0 in EZ-VSL; FNAC's release trains with 0.9 / 0).
    """

    def __init__(self, embed_dim: int = 512, dim: int = 512, tau: float = 0.03,
                 visual_dropout: float = 0.0, audio_dropout: float = 0.0) -> None:
        super().__init__()
        self.v_proj = nn.Conv2d(embed_dim, dim, kernel_size=1)
        self.a_proj = nn.Linear(embed_dim, dim)
        self.v_drop, self.a_drop = nn.Dropout(visual_dropout), nn.Dropout(audio_dropout)
        self.tau = tau

    def project(self, v_map: Tensor, a_emb: Tensor) -> Tuple[Tensor, Tensor]:
        """Backbone ``[B, C, h, w]``, ``[B, C]`` -> unit projected ``[B, dim, h, w]``, ``[B, dim]``."""
        v = F.normalize(self.v_proj(self.v_drop(v_map)), dim=1)
        a = F.normalize(self.a_proj(self.a_drop(a_emb)), dim=1)
        return v, a

    def contrastive_loss(self, logits: Tensor) -> Tensor:
        """The clip-level objective on the MIL logits ``[B, B]``."""
        return two_way_ce(logits)

    def loss(self, v_maps: Dict[str, Tensor], a_embs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        v, a = self.project(v_maps[ANCHOR], a_embs[ANCHOR])
        return dict(loss_mil=self.contrastive_loss(mil_max(location_logits(v, a, self.tau))))

    def localization_map(self, v_map: Tensor, a_emb: Tensor) -> Tensor:
        v, a = self.project(v_map, a_emb)
        return torch.einsum('bchw,bc->bhw', v, a) / self.tau

    def similarity_map(self, raw_map: Tensor) -> Tensor:
        """The map is ``cos / tau``: ``(cos + 1) / 2`` (the scale of the negative-audio release,
        xavijuanola/vssl_eval models/model.py, ``Savl * tau`` then ``(Savl + 1) / 2``)."""
        return (raw_map * self.tau + 1) / 2

    def embeddings(self, v_map: Tensor, a_emb: Tensor) -> Dict[str, Tensor]:
        out = super().embeddings(v_map, a_emb)
        v, a = self.project(v_map, a_emb)
        out['visual_proj'] = F.normalize(v.mean(dim=(2, 3)), dim=1)
        out['audio_proj'] = a
        return out
