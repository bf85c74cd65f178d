"""FNAC ("Learning Audio-Visual Source Localization via False Negative Aware Contrastive
Learning", CVPR 2023): the EZ-VSL loss plus three L1 consistency terms, following the release
(OpenNLPLab/FNAC_AVL)."""
from __future__ import annotations

from typing import Dict, Optional, Tuple

import torch
from torch import Tensor

from avzoo.models.losses import location_logits, mil_max, row_softmax_l1, two_way_ce
from avzoo.models.methods.base import ANCHOR
from avzoo.models.methods.ezvsl import EZVSL
from avzoo.registry import MODELS


@MODELS.register_module()
class FNAC(EZVSL):
    """Three L1 terms between row-softmaxed ``[B, B]`` similarity matrices (all divided by tau):

    - FNS-1: ``softmax(a a^T)`` vs ``softmax(l)`` (the MIL logits);
    - FNS-2: ``softmax(vbar vbar^T)`` vs ``softmax(l)``, ``vbar`` = spatial mean of the unit map;
    - TNS:   ``softmax(a a^T)`` vs ``softmax(f f^T)``, ``f`` = the unit map kept where the
      min-max-normalised ``S_nn`` exceeds ``fg_threshold`` (0.6), averaged over ALL h*w locations
      as the release does (masked locations count as zeros).

    The terms are always logged unweighted (``fns1``, ``fns2``, ``tns``) and trained, weighted
    (release: 100 each, ``loss_fns1`` ...), from epoch ``warmup_epochs`` (release: 3) on. The
    epoch comes through ``on_epoch`` (``MethodEpochHook``, in every config's runtime base).
    """

    def __init__(self, weights: Tuple[float, float, float] = (100.0, 100.0, 100.0), warmup_epochs: int = 3,
                 fg_threshold: float = 0.6, **kwargs) -> None:
        super().__init__(**kwargs)
        self.weights, self.warmup_epochs, self.fg_threshold = tuple(weights), warmup_epochs, fg_threshold
        self.epoch: Optional[int] = None

    def on_epoch(self, epoch: int) -> None:
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
            raise RuntimeError('FNAC needs the training epoch for its warm-up: keep '
                               "dict(type='MethodEpochHook') in custom_hooks")
        v, a = self.project(v_maps[ANCHOR], a_embs[ANCHOR])
        s = location_logits(v, a, self.tau)
        logits = mil_max(s)
        out = dict(loss_mil=two_way_ce(logits))
        terms = self.regularisers(v, a, s, logits)
        out.update({k: t.detach() for k, t in terms.items()})      # always logged, unweighted
        if self.epoch >= self.warmup_epochs:
            out.update({f'loss_{k}': w * t for (k, t), w in zip(terms.items(), self.weights)})
        return out
