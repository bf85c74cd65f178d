"""A user's own method: InfoNCE on the max-pooled audio-visual map (EZ-VSL's multiple-instance
idea), registered into avzoo's MODELS from outside the package."""
from typing import Dict

import torch.nn.functional as F
from torch import Tensor

from avzoo.models.losses import info_nce, location_logits, mil_max
from avzoo.models.methods import ANCHOR, LocalizationMethod
from avzoo.registry import MODELS


@MODELS.register_module()
class MaxPoolNCE(LocalizationMethod):
    """``l_nm = max_xy cos(v_n(x, y), a_m) / tau``; loss = InfoNCE on ``l``, both directions."""

    def __init__(self, tau: float = 0.07) -> None:
        super().__init__()
        self.tau = tau

    def loss(self, v_maps: Dict[str, Tensor], a_embs: Dict[str, Tensor]) -> Dict[str, Tensor]:
        v = F.normalize(v_maps[ANCHOR], dim=1)                         # [B, C, h, w]
        a = F.normalize(a_embs[ANCHOR], dim=1)                         # [B, C]
        return dict(loss_mil=info_nce(mil_max(location_logits(v, a, self.tau)), 'both'))
