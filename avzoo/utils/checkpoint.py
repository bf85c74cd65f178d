"""Reading checkpoint files safely: `torch.load(weights_only=True)` with the few MMEngine globals
its own checkpoints need allowlisted, `.safetensors`, and one error naming a file that is not one."""
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

from avzoo.utils.errors import AvzooError

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
    # checkpoints written before avzoo 0.1's tree moved the function here name its former module
    former = (rebuild_history_buffer, 'avzoo.engine.checkpoint.rebuild_history_buffer')
    torch.serialization.add_safe_globals([rebuild_history_buffer, former, np.ndarray, np.dtype, _reconstruct, scalar,
                                          *dtypes])


allow_mmengine_checkpoint_globals()


class RefusedCheckpoint(AvzooError):
    """A file whose pickle would call code: never loaded, never skipped silently."""


class UnreadableCheckpoint(AvzooError):
    """A file that is not a readable checkpoint (truncated, damaged, another kind of file):
    ``--resume`` falls back to the newest readable one."""


def describe_unreadable(path: str) -> str:
    """What a file that ``torch.load`` cannot read is, from its size and first bytes."""
    try:
        size = os.path.getsize(path)
        with open(path, 'rb') as f:
            head = f.read(512)
    except OSError as exc:
        return f'it cannot be read ({exc.strerror or exc})'
    if size == 0:
        return 'it is empty'
    if head.startswith(b'PK\x03\x04'):
        return (f'a damaged or truncated torch zip archive ({size:,} bytes; an interrupted copy or save?)'
                if not zipfile.is_zipfile(path) else f'a zip archive ({size:,} bytes) that is not a torch checkpoint')
    if head[:1] == b'\x80':
        return f'a damaged pickle ({size:,} bytes)'
    try:
        head.decode('utf-8')
        return f'a text file ({size:,} bytes), not a checkpoint'
    except UnicodeDecodeError:
        return f'not a torch checkpoint ({size:,} bytes of other data)'


def safe_torch_load(path: str, map_location: Any = 'cpu') -> Any:
    """``torch.load(path, weights_only=True)``, explicitly, so no environment variable
    (``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD``) can turn it into a full unpickler; a refused or broken
    file is one :class:`AvzooError` naming it and saying what it is (:func:`describe_unreadable`)."""
    try:
        return torch.load(path, map_location=map_location, weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, zipfile.BadZipFile, ValueError, KeyError,
            AttributeError, IndexError, UnicodeDecodeError, OSError, TypeError) as exc:
        glob = re.search(r'(?:Unsupported global: GLOBAL|unsupported GLOBAL) ([\w.]+)', str(exc))
        if glob:
            raise RefusedCheckpoint(f'{path}: refused: it is not plain weights (its pickle calls {glob.group(1)}); '
                             f'avzoo loads weights only') from None
        raise UnreadableCheckpoint(f'{path}: not a readable checkpoint: {describe_unreadable(path)}; expected {EXPECTED}') from None


def read_checkpoint(path: str, map_location: Any = 'cpu', state_key: str = 'state_dict') -> Dict[str, Any]:
    """The checkpoint dict in ``path`` (a ``.safetensors`` file comes back as
    ``{'state_dict': tensors}``); an :class:`AvzooError` naming the file and what was expected
    when it cannot be one. ``state_key``: where the state dict sits (the releases use ``model`` or
    ``model_state_dict``)."""
    if not os.path.isfile(path):
        raise AvzooError(f'checkpoint not found: {path}')
    if path.endswith('.safetensors'):
        from safetensors import SafetensorError, safe_open
        try:
            with safe_open(path, 'pt', device=str(map_location) if isinstance(map_location, str) else 'cpu') as f:
                state = {k: f.get_tensor(k) for k in f.keys()}
                info = dict(f.metadata() or {})
        except (SafetensorError, OSError, ValueError) as exc:
            raise UnreadableCheckpoint(f'{path}: not a readable .safetensors file ({str(exc)[:160]})') from None
        origin = {k: info[k] for k in ('config', 'method', 'layout', 'protocol') if k in info}
        return {'state_dict': state, 'meta': {'avzoo': origin} if origin else {}}
    ckpt = safe_torch_load(path, map_location)
    if not isinstance(ckpt, dict):
        raise UnreadableCheckpoint(f'{path}: holds a {type(ckpt).__name__}, not a checkpoint; expected {EXPECTED}')
    state = ckpt.get(state_key, ckpt)
    if not isinstance(state, dict) or not state or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise UnreadableCheckpoint(f'{path}: has no state dict of tensors under {state_key!r} (keys: {sorted(ckpt)[:5]}); '
                         f'expected {EXPECTED}')
    return ckpt
