"""A user's own method: InfoNCE on the max-pooled audio-visual map (EZ-VSL's multiple-instance
idea), registered into avzoo's MODELS from outside the package."""
from typing import Dict

import torch
import torch.nn.functional as F
from torch import Tensor

from avzoo.models.methods import SSLMethod
from avzoo.registry import MODELS


@MODELS.register_module()
class MaxPoolNCE(SSLMethod):
    """``l_nm = max_xy cos(v_n(x, y), a_m) / tau``; loss = symmetric cross-entropy on ``l``."""

    def __init__(self, tau: float = 0.07) -> None:
        super().__init__()
        self.tau = tau

    def loss(self, v_maps: Dict[str, Tensor], a_embs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        v = F.normalize(v_maps[''], dim=1)                         # [B, C, h, w]
        a = F.normalize(a_embs[''], dim=1)                         # [B, C]
        logits = torch.einsum('nchw,mc->nmhw', v, a).flatten(2).amax(dim=2) / self.tau  # [B, B]
        target = torch.arange(logits.shape[0], device=logits.device)
        return dict(loss_mil=0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target)))
