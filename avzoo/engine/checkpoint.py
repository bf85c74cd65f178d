"""Reading checkpoints safely: ``torch.load(weights_only=True)`` and one clear error for a file
that is not a checkpoint (random bytes, text, a truncated file, a bare tensor)."""
from __future__ import annotations

import copyreg
import os
import pickle
import re
import zipfile
from typing import Any, Dict

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

from avzoo.errors import AvzooError

EXPECTED = ("a checkpoint written by `avzoo train` (torch.save of a dict with 'state_dict') or a "
            "state dict (parameter name -> tensor)")


def rebuild_history_buffer(log_history: list, count_history: list, max_length: int) -> HistoryBuffer:
    """Unpickling target of :class:`HistoryBuffer` (see :func:`allow_mmengine_checkpoint_globals`)."""
    return HistoryBuffer(log_history, count_history, max_length)


def _reduce_history_buffer(buf: HistoryBuffer):
    return rebuild_history_buffer, (buf._log_history.tolist(), buf._count_history.tolist(), buf.max_length)


def allow_mmengine_checkpoint_globals() -> None:
    """Make MMEngine checkpoints load with ``torch.load(weights_only=True)`` (torch >= 2.6).

    MMEngine pickles the message hub's HistoryBuffers with their bound statistics methods, which
    needs ``builtins.getattr`` on load: allowlisting that would defeat ``weights_only``. Instead a
    copyreg reducer pickles a buffer as plain lists rebuilt by :func:`rebuild_history_buffer`,
    and only that function and the numpy reconstruction helpers are allowlisted.
    """
    copyreg.pickle(HistoryBuffer, _reduce_history_buffer)
    try:
        from numpy._core.multiarray import _reconstruct, scalar
    except ImportError:  # numpy < 2
        from numpy.core.multiarray import _reconstruct, scalar
    dtypes = [type(np.dtype(t)) for t in ('float64', 'float32', 'int64', 'int32', 'bool')]
    torch.serialization.add_safe_globals([rebuild_history_buffer, np.ndarray, np.dtype, _reconstruct, scalar, *dtypes])


allow_mmengine_checkpoint_globals()


def safe_torch_load(path: str, map_location: Any = 'cpu') -> Any:
    """``torch.load(path, weights_only=True)``, explicitly, so no environment variable
    (``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD``) can turn it into a full unpickler; a refused or broken
    file is one :class:`AvzooError` naming it."""
    try:
        return torch.load(path, map_location=map_location, weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, zipfile.BadZipFile, ValueError, KeyError,
            AttributeError, IndexError, UnicodeDecodeError) as exc:
        text = str(exc).strip()
        glob = re.search(r'(?:Unsupported global: GLOBAL|unsupported GLOBAL) ([\w.]+)', text)
        if glob:
            raise AvzooError(f'{path}: refused: it is not plain weights (its pickle calls {glob.group(1)}); '
                             f'avzoo loads weights only') from None
        reason = text.splitlines()[0][:160] if text else type(exc).__name__
        raise AvzooError(f'{path}: not a readable checkpoint ({reason}); expected {EXPECTED}') from None


def _mmengine_local_loader(filename: str, map_location: Any = None) -> Any:
    """MMEngine's loader for local files (``init_cfg=dict(type='Pretrained')``, ``load_from``),
    replaced by the weights-only one."""
    filename = os.path.expanduser(filename)
    if not os.path.isfile(filename):
        raise AvzooError(f'checkpoint not found: {filename}')
    return safe_torch_load(filename, map_location)


def install_safe_mmengine_loader() -> None:
    from mmengine.runner.checkpoint import CheckpointLoader
    CheckpointLoader.register_scheme(prefixes='', loader=_mmengine_local_loader, force=True)


install_safe_mmengine_loader()


def read_checkpoint(path: str, map_location: Any = 'cpu', state_key: str = 'state_dict') -> Dict[str, Any]:
    """The checkpoint dict in ``path`` (a ``.safetensors`` file comes back as
    ``{'state_dict': tensors}``); an :class:`AvzooError` naming the file and what was expected
    when it cannot be one. ``state_key``: where the state dict sits (the releases use ``model`` or
    ``model_state_dict``)."""
    if not os.path.isfile(path):
        raise AvzooError(f'checkpoint not found: {path}')
    if path.endswith('.safetensors'):
        from safetensors import SafetensorError
        from safetensors.torch import load_file
        try:
            return {'state_dict': load_file(path, device=str(map_location) if isinstance(map_location, str) else 'cpu')}
        except (SafetensorError, OSError, ValueError) as exc:
            raise AvzooError(f'{path}: not a readable .safetensors file ({str(exc)[:160]})') from None
    ckpt = safe_torch_load(path, map_location)
    if not isinstance(ckpt, dict):
        raise AvzooError(f'{path}: holds a {type(ckpt).__name__}, not a checkpoint; expected {EXPECTED}')
    state = ckpt.get(state_key, ckpt)
    if not isinstance(state, dict) or not state or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise AvzooError(f'{path}: has no state dict of tensors under {state_key!r} (keys: {sorted(ckpt)[:5]}); '
                         f'expected {EXPECTED}')
    return ckpt
