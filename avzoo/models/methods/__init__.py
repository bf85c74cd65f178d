from .alignment import CrossModalAlignment, alignment_loss, info_nce, localization_similarity
from .base import SSLMethod, cosine_map
from .floors import CentrePrior, Objectness

__all__ = ['CentrePrior', 'CrossModalAlignment', 'Objectness', 'SSLMethod', 'alignment_loss', 'cosine_map', 'info_nce',
           'localization_similarity']
