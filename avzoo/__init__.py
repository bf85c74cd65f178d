"""avzoo: a zoo of visual sound source localisation methods on MMEngine registries.

Importing avzoo registers every built-in part (models, datasets, metrics, miners, hooks).
"""
from avzoo.utils.logs import route_mmengine_logs_to_stderr  # noqa: E402
from avzoo.version import __version__  # noqa: E402

route_mmengine_logs_to_stderr()      # stdout carries results only

from avzoo import datasets, embed, engine, evaluation, miners, models  # noqa: F401,E402  (registration)
from avzoo.utils.errors import AvzooError  # noqa: E402

__all__ = ['AvzooError', '__version__']
