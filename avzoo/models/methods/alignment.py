"""The cross-modal alignment method ("Aligning Sight and Sound", TPAMI 2025 / ICCV 2023).

Localisation similarity  s_L(v, a) = mean_xy cos(v(x, y), a)                         (Eq. 3)
Alignment similarity     s_A(v, a) = cos(p_v(avgpool(v)), p_a(a))
Positive sets V = {v, v_aug, v_nn}, A = {a, a_aug, a_nn}; for each of the 9 pairs (v_i, a_j) an
InfoNCE on s_L and an InfoNCE on s_A with the other samples of the batch as negatives, tau = 0.07,
summed. ``direction`` picks the InfoNCE direction (``'v2a'``, ``'a2v'`` or ``'both'``, the mean
of the two); the configs state which one they use. The public release has no training code, so
the training recipe is written from the paper.
"""
from __future__ import annotations

from typing import Dict, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from avzoo.models.heads import MLPProjection
from avzoo.models.losses import info_nce, mean_location_similarity
from avzoo.models.methods.base import LocalizationMethod
from avzoo.registry import MODELS


def alignment_loss(v_maps: Dict[str, Tensor], a_embs: Dict[str, Tensor], p_v: nn.Module, p_a: nn.Module,
                   tau: float = 0.07, use_alignment: bool = True, direction: str = 'both',
                   intra_modal: bool = False) -> Dict[str, Tensor]:
    """Sum over the positive pairs V x A of InfoNCE(s_L / tau) (+ InfoNCE(s_A / tau)).

    ``v_maps`` / ``a_embs`` map view names to ``[B, C, h, w]`` / ``[B, C]``; every visual view is
    paired with every audio view. ``intra_modal`` adds InfoNCE(s_A) between the views of one
    modality (an ablation of the paper).
    """
    loc = sum(info_nce(mean_location_similarity(v, a) / tau, direction)
              for v in v_maps.values() for a in a_embs.values())
    out = dict(loss_loc=loc)
    if use_alignment:
        zv = {k: F.normalize(p_v(v.mean(dim=(2, 3))), dim=1) for k, v in v_maps.items()}
        za = {k: F.normalize(p_a(a), dim=1) for k, a in a_embs.items()}
        out['loss_align'] = sum(info_nce(v @ a.t() / tau, direction) for v in zv.values() for a in za.values())
        if intra_modal:
            intra = [info_nce(z[i] @ z[j].t() / tau, direction)
                     for z in (zv, za) for i in z for j in z if i < j]
            if intra:
                out['loss_intra'] = sum(intra)
    return out


@MODELS.register_module()
class CrossModalAlignment(LocalizationMethod):
    """The alignment method's objective and heads.

    Args:
        embed_dim: encoder output channels. proj_dim / proj_hidden / proj_batch_norm: the projection
            MLPs p_v, p_a (``proj_hidden=0``: linear projections).
        tau: temperature of both InfoNCE terms (paper: 0.07).
        views: extra positives: ``'aug'`` (multi-view) and/or ``'nn'`` (semantic, mined).
        positive_modalities: the modalities whose extra positives are used (the paper's per-modality
            ablation); the other contributes its anchor alone, so the loss has |V| x |A| pairs.
        use_alignment: keep the s_A term. intra_modal: add the intra-modal term.
        direction: ``'v2a'``, ``'a2v'`` or ``'both'`` (see module docstring).
    """

    def __init__(self, embed_dim: int = 512, proj_dim: int = 128, proj_hidden: int = 512,
                 proj_batch_norm: bool = False, tau: float = 0.07, views: Sequence[str] = ('aug', 'nn'),
                 use_alignment: bool = True, intra_modal: bool = False, direction: str = 'both',
                 positive_modalities: Sequence[str] = ('image', 'audio')) -> None:
        super().__init__()
        self.p_v = MLPProjection(embed_dim, proj_dim, proj_hidden, proj_batch_norm)
        self.p_a = MLPProjection(embed_dim, proj_dim, proj_hidden, proj_batch_norm)
        self.tau, self.views = tau, tuple(views)
        self.use_alignment, self.intra_modal = use_alignment, intra_modal
        if set(positive_modalities) - {'image', 'audio'}:
            raise ValueError(f"positive_modalities must hold 'image' and/or 'audio', got {positive_modalities!r}")
        self.positive_modalities = tuple(positive_modalities)
        info_nce(torch.eye(2), direction)           # validate the direction at build time
        self.direction = direction

    def views_of(self, modality: str) -> Tuple[str, ...]:
        return self.views if modality in self.positive_modalities else ()

    def loss(self, v_maps: Dict[str, Tensor], a_embs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        return alignment_loss(v_maps, a_embs, self.p_v, self.p_a, self.tau, self.use_alignment,
                              self.direction, self.intra_modal)

    def embeddings(self, v_map: Tensor, a_emb: Tensor) -> Dict[str, Tensor]:
        out = super().embeddings(v_map, a_emb)
        if v_map is not None:
            out['visual_proj'] = F.normalize(self.p_v(v_map.mean(dim=(2, 3))), dim=1)
        if a_emb is not None:
            out['audio_proj'] = F.normalize(self.p_a(a_emb), dim=1)
        return out
