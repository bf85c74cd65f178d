from . import functional
from .metrics import LocalizationMetric, NegativeAudioMetric, group_ids

__all__ = ['LocalizationMetric', 'NegativeAudioMetric', 'functional', 'group_ids']
