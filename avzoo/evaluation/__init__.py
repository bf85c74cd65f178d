from . import functional
from .metrics import LocalizationMetric, group_ids

__all__ = ['LocalizationMetric', 'functional', 'group_ids']
