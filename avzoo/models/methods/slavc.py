"""SLAVC ("A Closer Look at Weakly-Supervised Audio-Visual Source Localization", NeurIPS 2022),
docs/methods.md; checked against the SLAVC module that the alignment release ships.

Two projection heads per modality (1x1 conv on the visual map, linear on the audio vector; unit
outputs), dropout on the backbone features (0.9 for both modalities in the paper's training; the
module is in train mode for the targets too, as in the release), and momentum copies of the
encoders and of the heads as targets (declared by ``encoder_momentum`` and ``momentum_pairs``;
``AVLocalizer`` builds the encoder copies and updates every pair before each step):

    i2a_nm = log sum_xy softmax_m(<v1_n(xy), a1'_m> / tau) * softmax_xy(<v2_n(xy), a2'_m> / tau)
    a2i_nm = the same with momentum visual targets v1', v2' and online audio a1, a2
    loss   = CE(i2a) + CE(a2i), diagonal targets

Test map: the mean of the two heads' ``<v_k, a_k> / tau`` (online encoders and heads, or the
momentum ones with ``use_momentum_eval``); confidence: the map's maximum.
"""
from __future__ import annotations

from typing import Dict, List, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from avzoo.models.losses import location_logits
from avzoo.models.methods.base import ANCHOR, EncoderMomentum, LocalizationMethod, MomentumPair
from avzoo.models.momentum import momentum_copy
from avzoo.registry import MODELS


def dual_softmax_logits(v1: Tensor, v2: Tensor, a1: Tensor, a2: Tensor, tau: float) -> Tensor:
    """``log sum_xy softmax_m(<v1_n, a1_m>/tau) * softmax_xy(<v2_n, a2_m>/tau)``: unit maps
    ``[B, C, h, w]`` x2, unit audio ``[B, C]`` x2 -> ``[B, B]`` (rows: images, columns: audios)."""
    s1 = location_logits(v1, a1, tau).flatten(2)
    s2 = location_logits(v2, a2, tau).flatten(2)
    return torch.log((torch.softmax(s1, dim=1) * torch.softmax(s2, dim=2)).sum(dim=2))


class _Heads(nn.Module):
    def __init__(self, embed_dim: int, dim: int) -> None:
        super().__init__()
        self.v1, self.v2 = nn.Conv2d(embed_dim, dim, 1), nn.Conv2d(embed_dim, dim, 1)
        self.a1, self.a2 = nn.Linear(embed_dim, dim), nn.Linear(embed_dim, dim)


@MODELS.register_module()
class SLAVC(LocalizationMethod):
    """SLAVC.

    Args:
        embed_dim / dim: encoder channels / projected channels (release: 512 / 512).
        tau: temperature (0.03). visual_dropout / audio_dropout: on backbone features (0.9 / 0.9).
        momentum_visual / momentum_audio: EMA rates of the visual / audio targets (encoders and heads).
        use_momentum_eval: test maps from the momentum encoders and heads.
    """

    def __init__(self, embed_dim: int = 512, dim: int = 512, tau: float = 0.03, visual_dropout: float = 0.9,
                 audio_dropout: float = 0.9, momentum_visual: float = 0.9, momentum_audio: float = 0.9,
                 use_momentum_eval: bool = False) -> None:
        super().__init__()
        self.heads = _Heads(embed_dim, dim)
        self.heads_momentum = momentum_copy(self.heads)
        self.v_drop, self.a_drop = nn.Dropout(visual_dropout), nn.Dropout(audio_dropout)
        self.tau, self.use_momentum_eval = tau, use_momentum_eval
        self.encoder_momentum = EncoderMomentum(momentum_visual, momentum_audio)

    def momentum_pairs(self) -> List[MomentumPair]:
        m = self.encoder_momentum
        return [MomentumPair(f'heads.{n}', f'heads_momentum.{n}', m.visual if n[0] == 'v' else m.audio)
                for n in ('v1', 'v2', 'a1', 'a2')]

    def features(self, v_map: Tensor, a_emb: Tensor, heads: _Heads) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
        """Backbone ``[B, C, h, w]``, ``[B, C]`` -> unit ``v1, v2`` ``[B, dim, h, w]``, ``a1, a2`` ``[B, dim]``."""
        v, a = self.v_drop(v_map), self.a_drop(a_emb)
        return (F.normalize(heads.v1(v), dim=1), F.normalize(heads.v2(v), dim=1),
                F.normalize(heads.a1(a), dim=1), F.normalize(heads.a2(a), dim=1))

    def loss(self, v_maps: Dict[str, Tensor], a_embs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        v1, v2, a1, a2 = self.features(v_maps[ANCHOR], a_embs[ANCHOR], self.heads)
        with torch.no_grad():
            tv1, tv2, ta1, ta2 = self.features(v_maps['momentum'], a_embs['momentum'], self.heads_momentum)
        i2a = dual_softmax_logits(v1, v2, ta1, ta2, self.tau)
        a2i = dual_softmax_logits(tv1, tv2, a1, a2, self.tau)
        target = torch.arange(v1.shape[0], device=v1.device)
        return dict(loss_i2a=F.cross_entropy(i2a, target), loss_a2i=F.cross_entropy(a2i, target))

    def localization_map(self, v_map: Tensor, a_emb: Tensor) -> Tensor:
        v1, v2, a1, a2 = self.features(v_map, a_emb, self.heads_momentum if self.use_momentum_eval else self.heads)
        return 0.5 * (torch.einsum('bchw,bc->bhw', v1, a1) + torch.einsum('bchw,bc->bhw', v2, a2)) / self.tau

    def similarity_map(self, raw_map: Tensor) -> Tensor:
        """The map is the mean of two heads' ``cos / tau``: ``(cos + 1) / 2`` of that mean."""
        return (raw_map * self.tau + 1) / 2

    def confidence(self, raw_map: Tensor) -> Tensor:
        return raw_map.flatten(1).amax(dim=1)

    def embeddings(self, v_map: Tensor, a_emb: Tensor) -> Dict[str, Tensor]:
        out = super().embeddings(v_map, a_emb)
        v1, _, a1, _ = self.features(v_map, a_emb, self.heads)
        out['visual_proj'], out['audio_proj'] = F.normalize(v1.mean(dim=(2, 3)), dim=1), a1
        return out
