"""EZ-VSL ("Localizing Visual Sounds the Easy Way", ECCV 2022) and the two methods built on its
architecture: MarginNCE (ICASSP 2023) and FNAC (CVPR 2023). METHODS.md has the math.

All three project the encoder outputs (1x1 conv on the visual map, linear on the audio vector,
to ``dim`` channels; optional dropout on the backbone features first), L2-normalise them, and
score every location against every audio: ``S_nm(x, y) = <v_n(x, y), a_m> / tau``. Multiple-
instance max pooling gives the clip logits ``l_nm = max_xy S_nm(x, y)``; the loss is the
cross-entropy with the diagonal as targets in both directions, summed (the releases sum them).
The test map is ``S_nn``.
"""
from __future__ import annotations

from typing import Dict, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from avzoo.models.methods.base import SSLMethod
from avzoo.registry import MODELS


def location_logits(v: Tensor, a: Tensor, tau: float) -> Tensor:
    """``S_nm(x, y)``: unit maps ``[B, C, h, w]`` x unit audio ``[B, C]`` -> ``[B, B, h, w]``."""
    return torch.einsum('nchw,mc->nmhw', v, a) / tau


def mil_logits(s: Tensor) -> Tensor:
    """Multiple-instance max pooling: ``[B, B, h, w]`` -> ``[B, B]``."""
    return s.flatten(2).amax(dim=2)


def two_way_ce(logits: Tensor, positive_offset: float = 0.0) -> Tensor:
    """CE(l) + CE(l^T) with the diagonal as targets; ``positive_offset`` is subtracted from the
    diagonal (positive) logits first (MarginNCE)."""
    b = logits.shape[0]
    target = torch.arange(b, device=logits.device)
    if positive_offset:
        logits = logits - positive_offset * torch.eye(b, device=logits.device, dtype=logits.dtype)
    return F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target)


@MODELS.register_module()
class EZVSL(SSLMethod):
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
        return two_way_ce(logits)

    def loss(self, v_maps: Dict[str, Tensor], a_embs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        v, a = self.project(v_maps[''], a_embs[''])
        return dict(loss_mil=self.contrastive_loss(mil_logits(location_logits(v, a, self.tau))))

    def localization_map(self, v_map: Tensor, a_emb: Tensor) -> Tensor:
        v, a = self.project(v_map, a_emb)
        return torch.einsum('bchw,bc->bhw', v, a) / self.tau

    def embeddings(self, v_map: Tensor, a_emb: Tensor) -> Dict[str, Tensor]:
        out = super().embeddings(v_map, a_emb)
        v, a = self.project(v_map, a_emb)
        out['visual_proj'] = F.normalize(v.mean(dim=(2, 3)), dim=1)
        out['audio_proj'] = a
        return out


@MODELS.register_module()
class MarginNCE(EZVSL):
    """MarginNCE: EZ-VSL with a negative margin on the positive: ``l_nn <- l_nn - margin / tau``
    (a "less confident" positive; the margin is on the cosine scale, hence ``/ tau``).

    ``margin`` has no default on purpose: the paper sweeps it and avzoo could not check its chosen
    value against the paper here; configs state the value they use and where it comes from."""

    def __init__(self, margin: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.margin = margin

    def contrastive_loss(self, logits: Tensor) -> Tensor:
        return two_way_ce(logits, self.margin / self.tau)


def row_softmax_l1(x: Tensor, y: Tensor) -> Tensor:
    """Mean absolute difference of row-softmaxed ``[B, B]`` matrices."""
    return F.l1_loss(torch.softmax(x, dim=1), torch.softmax(y, dim=1))


@MODELS.register_module()
class FNAC(EZVSL):
    """FNAC: the EZ-VSL loss plus three L1 consistency terms between row-softmaxed ``[B, B]``
    similarity matrices (all divided by tau), following the release (OpenNLPLab/FNAC_AVL):

    - FNS-1: ``softmax(a a^T)`` vs ``softmax(l)`` (the MIL logits);
    - FNS-2: ``softmax(vbar vbar^T)`` vs ``softmax(l)``, ``vbar`` = spatial mean of the unit map;
    - TNS:   ``softmax(a a^T)`` vs ``softmax(f f^T)``, ``f`` = the unit map kept where the
      min-max-normalised ``S_nn`` exceeds ``fg_threshold`` (0.6), averaged over ALL h*w locations
      as the release does (masked locations count as zeros).

    The terms are always logged unweighted (``fns1``, ``fns2``, ``tns``) and trained, weighted
    (release: 100 each, ``loss_fns1`` ...), from epoch ``warmup_epochs`` (release: 3) on. The current epoch
    comes from ``MethodEpochHook`` (``custom_hooks``).
    """

    def __init__(self, weights: Tuple[float, float, float] = (100.0, 100.0, 100.0), warmup_epochs: int = 3,
                 fg_threshold: float = 0.6, **kwargs) -> None:
        super().__init__(**kwargs)
        self.weights, self.warmup_epochs, self.fg_threshold = tuple(weights), warmup_epochs, fg_threshold
        self.epoch: Optional[int] = None

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def regularisers(self, v: Tensor, a: Tensor, s: Tensor, logits: Tensor) -> Dict[str, Tensor]:
        """``v`` ``[B, C, h, w]`` and ``a`` ``[B, C]`` unit; ``s`` ``[B, B, h, w]``; ``logits`` ``[B, B]``."""
        b = v.shape[0]
        aud = a @ a.t() / self.tau
        v_mean = v.mean(dim=(2, 3))
        img = v_mean @ v_mean.t() / self.tau
        own = s[torch.arange(b), torch.arange(b)]                                    # [B, h, w]
        lo, hi = own.amin(dim=(1, 2), keepdim=True), own.amax(dim=(1, 2), keepdim=True)
        fg_mask = ((own - lo) / (hi - lo + 1e-5)) > self.fg_threshold
        fg = (v * fg_mask.unsqueeze(1)).flatten(2).mean(dim=2)
        frg = fg @ fg.t() / self.tau
        return dict(fns1=row_softmax_l1(aud, logits), fns2=row_softmax_l1(img, logits),
                    tns=row_softmax_l1(aud, frg))

    def loss(self, v_maps: Dict[str, Tensor], a_embs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        if self.epoch is None:
            raise RuntimeError('FNAC needs the training epoch for its warm-up: add '
                               "dict(type='MethodEpochHook') to custom_hooks")
        v, a = self.project(v_maps[''], a_embs[''])
        s = location_logits(v, a, self.tau)
        logits = mil_logits(s)
        out = dict(loss_mil=two_way_ce(logits))
        terms = self.regularisers(v, a, s, logits)
        out.update({k: t.detach() for k, t in terms.items()})      # always logged, unweighted
        if self.epoch >= self.warmup_epochs:
            out.update({f'loss_{k}': w * t for (k, t), w in zip(terms.items(), self.weights)})
        return out
