"""One file per method; each registers its class in ``MODELS``."""
from .alignment import CrossModalAlignment, alignment_loss
from .base import EncoderMomentum, MomentumPair, SSLMethod
from .ezvsl import EZVSL
from .floors import CentrePrior, Objectness
from .fnac import FNAC
from .lvs import LVS, lvs_logits
from .marginnce import MarginNCE
from .slavc import SLAVC, dual_softmax_logits

__all__ = ['CentrePrior', 'CrossModalAlignment', 'EZVSL', 'EncoderMomentum', 'FNAC', 'LVS', 'MarginNCE',
           'MomentumPair', 'Objectness', 'SLAVC', 'SSLMethod', 'alignment_loss', 'dual_softmax_logits', 'lvs_logits']
