"""One file per method, each registering its class in ``MODELS``. Every module of this folder is
imported here (discovered, not listed): adding a method is adding its file (and its config folder)."""
import importlib
import pkgutil

from .base import ANCHOR, EncoderMomentum, LocalizationMethod, MomentumPair, SSLMethod

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f'{__name__}.{_module.name}')

__all__ = ['ANCHOR', 'EncoderMomentum', 'LocalizationMethod', 'MomentumPair', 'SSLMethod']
