"""Published checkpoints -> avzoo models (``avzoo convert SRC --from LAYOUT --out DST.safetensors``).

One module per released layout; each knows where the release keeps its state dict, how its
parameter names map onto avzoo's, which avzoo method config it fits and which release keys carry
nothing the test-time model uses. :func:`convert` checks the result against the avzoo model of that
config: a missing, unexpected or misshapen key is one error listing them, never a half-random model.
"""
from . import ezvsl, lvs, slavc  # noqa: F401,E402  (registration of the layouts)
from .base import LAYOUTS, Layout, convert, save_safetensors

__all__ = ['LAYOUTS', 'Layout', 'convert', 'save_safetensors']
