"""avzoo: a zoo of visual sound source localisation methods on MMEngine registries.

Importing avzoo registers every built-in part (models, datasets, metrics, miners, hooks).
"""
__version__ = '0.1.0'

from avzoo import datasets, embed, engine, evaluation, miners, models, postprocess  # noqa: F401,E402  (registration)
from avzoo.errors import AvzooError  # noqa: E402

__all__ = ['AvzooError', '__version__']
