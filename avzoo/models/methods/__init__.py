from .alignment import CrossModalAlignment, alignment_loss, info_nce, localization_similarity
from .base import SSLMethod, cosine_map
from .ezvsl import EZVSL, FNAC, MarginNCE, location_logits, mil_logits, two_way_ce
from .floors import CentrePrior, Objectness
from .lvs import LVS, lvs_logits
from .slavc import SLAVC, dual_softmax_logits

__all__ = ['CentrePrior', 'CrossModalAlignment', 'EZVSL', 'FNAC', 'LVS', 'MarginNCE', 'Objectness', 'SLAVC', 'SSLMethod',
           'alignment_loss', 'cosine_map', 'dual_softmax_logits', 'info_nce', 'localization_similarity', 'location_logits',
           'lvs_logits', 'mil_logits', 'two_way_ce']
