"""LVS ("Localizing Visual Sounds the Hard Way", CVPR 2021); docs/methods.md has the math.

With unit features, ``A_nm(x, y) = <v_n(x, y), a_m>`` (cosine). A soft trimap of the own map
``A_n = A_nn`` gives a positive region ``Pos = sigmoid((A - eps_pos) / t)`` and a negative region
``Neg = 1 - sigmoid((A - eps_neg) / t)`` (eps_pos 0.65, eps_neg 0.4, t 0.03). Logits per sample:
the Pos-weighted mean of ``A_n`` (positive), the Pos_nm-weighted means of ``A_nm`` for every other
audio m (easy negatives) and the Neg-weighted mean of ``A_n`` (hard negative from the same image),
all divided by 0.07; cross-entropy with the positive as target. The test map is ``A_nn``.

One deliberate difference from the release: it multiplies the easy-negative matrix by
``1 - eye`` and so keeps a constant logit 0 in place of the positive pair; here the positive pair
is left out of the easy negatives, as the definition says.
"""
from __future__ import annotations

from typing import Dict

import torch
import torch.nn.functional as F
from torch import Tensor

from avzoo.models.losses import location_logits
from avzoo.models.methods.base import ANCHOR, LocalizationMethod
from avzoo.registry import MODELS


def weighted_mean(values: Tensor, weights: Tensor) -> Tensor:
    """Weighted mean over the last two (spatial) dims: ``[..., h, w]`` x2 -> ``[...]``."""
    w = weights.flatten(-2)
    return (values.flatten(-2) * w).sum(-1) / w.sum(-1).clamp_min(torch.finfo(w.dtype).tiny)


def lvs_logits(v: Tensor, a: Tensor, eps_pos: float = 0.65, eps_neg: float = 0.4, trimap_tau: float = 0.03,
               logit_tau: float = 0.07) -> Tensor:
    """Unit maps ``[B, C, h, w]``, unit audio ``[B, C]`` -> logits ``[B, B + 1]``:
    column 0 positive, 1..B-1 easy negatives (other audios, in order), B the hard negative."""
    b = v.shape[0]
    a_all = location_logits(v, a)                                                 # [B, B, h, w]
    own = a_all[torch.arange(b), torch.arange(b)]                                 # [B, h, w]
    pos = torch.sigmoid((own - eps_pos) / trimap_tau)
    neg = 1 - torch.sigmoid((own - eps_neg) / trimap_tau)
    easy = weighted_mean(a_all, torch.sigmoid((a_all - eps_pos) / trimap_tau))    # [B, B]
    off_diagonal = ~torch.eye(b, dtype=torch.bool, device=v.device)
    easy = easy[off_diagonal].view(b, b - 1)
    logits = torch.cat([weighted_mean(own, pos)[:, None], easy, weighted_mean(own, neg)[:, None]], dim=1)
    return logits / logit_tau


@MODELS.register_module()
class LVS(LocalizationMethod):
    """LVS's objective on the shared encoders (cosine maps, no projection heads)."""

    def __init__(self, eps_pos: float = 0.65, eps_neg: float = 0.4, trimap_tau: float = 0.03,
                 logit_tau: float = 0.07) -> None:
        super().__init__()
        self.eps_pos, self.eps_neg, self.trimap_tau, self.logit_tau = eps_pos, eps_neg, trimap_tau, logit_tau

    def loss(self, v_maps: Dict[str, Tensor], a_embs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        v, a = F.normalize(v_maps[ANCHOR], dim=1), F.normalize(a_embs[ANCHOR], dim=1)
        logits = lvs_logits(v, a, self.eps_pos, self.eps_neg, self.trimap_tau, self.logit_tau)
        target = torch.zeros(v.shape[0], dtype=torch.long, device=v.device)
        return dict(loss_lvs=F.cross_entropy(logits, target))
