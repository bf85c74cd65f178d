"""Published checkpoints -> avzoo models (``avzoo convert SRC --from LAYOUT --out DST.safetensors``).

A released layout is data in its method's metafile (``layouts:``): where the release keeps its state
dict, how its parameter names map onto avzoo's, which release keys carry nothing the test-time model
uses, and how the release chose its checkpoint. :func:`convert` checks the result against the avzoo
model of the method's config: a missing, unexpected or misshapen key is one error listing them, never
a half-random model.
"""
from .base import Layout, convert, get_layout, layouts, save_safetensors

__all__ = ['Layout', 'convert', 'get_layout', 'layouts', 'save_safetensors']
