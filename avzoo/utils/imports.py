"""Imports that can fail on a user's machine for reasons outside avzoo, turned into one error.

torchaudio ships a compiled library built against one torch release: torchaudio 2.11.1 beside
torch 2.11.0 fails with ``libtorchaudio.so: undefined symbol``. avzoo pins the triple that works
together (pyproject.toml), and imports torchaudio only where audio is processed, through
:func:`import_torchaudio`, so a mismatched install never breaks ``avzoo --help``, ``--version``
or ``avzoo list``, and a command that needs it says what to install.
"""
from __future__ import annotations

import importlib
from types import ModuleType

from avzoo.utils.errors import AvzooError


def import_torchaudio(submodule: str = '') -> ModuleType:
    """``torchaudio`` (or ``torchaudio.<submodule>``), or an :class:`AvzooError` naming the
    torchaudio release that matches the installed torch."""
    name = 'torchaudio' + (f'.{submodule}' if submodule else '')
    try:
        return importlib.import_module(name)
    except (ImportError, OSError, RuntimeError) as exc:
        import torch
        want = torch.__version__.split('+')[0]
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise AvzooError(f'torchaudio does not load beside torch {torch.__version__} ({first}); install the '
                         f'torchaudio built for it: pip install "torchaudio=={want}"') from None
