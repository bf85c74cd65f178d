"""MarginNCE (Park, Senocak, Chung, ICASSP 2023): EZ-VSL with a margin on the positive logit."""
from __future__ import annotations

from torch import Tensor

from avzoo.models.losses import two_way_ce
from avzoo.models.methods.ezvsl import EZVSL
from avzoo.registry import MODELS


@MODELS.register_module()
class MarginNCE(EZVSL):
    """EZ-VSL whose positive logits are lowered by ``margin / tau`` before the two-way
    cross-entropy (the margin is on the cosine scale, hence ``/ tau``).

    ``margin`` has no default on purpose: the configs state the value they use and its source."""

    def __init__(self, margin: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.margin = margin

    def contrastive_loss(self, logits: Tensor) -> Tensor:
        return two_way_ce(logits, self.margin / self.tau)
