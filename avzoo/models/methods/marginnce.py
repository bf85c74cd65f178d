"""MarginNCE (Park, Senocak, Chung, "MarginNCE: Robust Sound Localization with a Negative Margin",
ICASSP 2023, arXiv 2211.01966): EZ-VSL trained with a *negative* margin on the positive logit.

The paper's claim (abstract) is that a *less strict* decision boundary makes the contrastive loss
robust to noisy audio-visual correspondences, obtained "by slightly modifying the contrastive loss
with a negative margin". In the usual margin convention of contrastive and softmax losses, the
positive logit ``s_p`` becomes ``(s_p - m) / tau``: a positive margin ``m > 0`` asks the positive
to beat the negatives by ``m`` (stricter), a negative margin ``m < 0`` raises the positive logit,
so the loss is satisfied earlier (less strict). avzoo follows that convention: ``margin`` is the
paper's ``m`` on the cosine scale, and the configs use a negative value. The paper's text with
its exact equation and chosen value could not be read where avzoo was written (only its abstract
is available), so the value in the configs is avzoo's choice and says so.
"""
from __future__ import annotations

from torch import Tensor

from avzoo.models.losses import two_way_ce
from avzoo.models.methods.ezvsl import EZVSL
from avzoo.registry import MODELS


@MODELS.register_module()
class MarginNCE(EZVSL):
    """EZ-VSL whose positive logits become ``(s_nn - margin) / tau`` before the two-way
    cross-entropy (``margin < 0``: the paper's less strict boundary, the positive logit rises).

    ``margin`` has no default on purpose: the configs state the value they use and its source."""

    def __init__(self, margin: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.margin = margin

    def contrastive_loss(self, logits: Tensor) -> Tensor:
        return two_way_ce(logits, self.margin / self.tau)
