"""Reading checkpoints safely: ``torch.load(weights_only=True)`` and one clear error for a file
that is not a checkpoint (random bytes, text, a truncated file, a bare tensor)."""
from __future__ import annotations

import copyreg
import os
import pickle
import re
import zipfile
from typing import Any, Dict, List, Optional

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


_TIMESTAMP = re.compile(r'_\d{8}_\d{6}$')     # MMEngine's experiment_name = <config>_<YYYYMMDD_HHMMSS>


def checkpoint_origin(ckpt: Dict[str, Any]) -> Optional[Dict[str, str]]:
    """What a checkpoint says it is: ``{'config', 'method', 'domain'}`` (as far as known) from
    avzoo's own metadata (``meta['avzoo']``, written by :class:`~avzoo.engine.runner.AvzooRunner`
    and by ``avzoo convert``), else from MMEngine's ``experiment_name``; None when it says nothing."""
    from avzoo.zoo import config_origin
    meta = ckpt.get('meta') if isinstance(ckpt.get('meta'), dict) else {}
    info = dict(meta.get('avzoo')) if isinstance(meta.get('avzoo'), dict) else {}
    config = info.get('config')
    if not config and isinstance(meta.get('experiment_name'), str):
        config = _TIMESTAMP.sub('', meta['experiment_name'])
    if not config:
        return None
    config = os.path.splitext(os.path.basename(str(config)))[0]
    found = config_origin(config)
    out = dict(config=config)
    if found:
        out.update(method=found[0], domain=found[1])
    if info.get('method'):
        out['method'] = info['method']
    if info.get('layout'):
        out['domain'] = 'real'
    return out


def _examples(keys: List[str], n: int = 3) -> str:
    return ', '.join(keys[:n]) + (f' ... ({len(keys)} in all)' if len(keys) > n else '')


def mismatch_message(path: str, target: str, model_state: Dict[str, Any], state: Dict[str, Any],
                     origin: Optional[Dict[str, str]]) -> Optional[str]:
    """None when ``state`` fits ``model_state`` (the model of the config ``target``) exactly, names
    and shapes; else one line saying what the checkpoint was trained with, what to do instead
    (another ``--method``, ``--synth`` or not), and the first missing, unexpected and misshapen keys."""
    from avzoo.zoo import config_origin
    method, domain = config_origin(target) or (None, None)
    missing = [k for k in model_state if k not in state]
    unexpected = [k for k in state if k not in model_state]
    shapes = [f'{k} {tuple(state[k].shape)} vs {tuple(v.shape)}' for k, v in model_state.items()
              if k in state and hasattr(state[k], 'shape') and tuple(state[k].shape) != tuple(v.shape)]
    if not (missing or unexpected or shapes):
        return None
    parts = [f'{path} does not fit {os.path.basename(target)}' + (f' (method {method}, {domain} data)' if method else '')]
    if origin:
        what = f"it was trained with {origin['config']}"
        if origin.get('method'):
            what += f" (method {origin['method']}" + (f", {origin['domain']} data" if origin.get('domain') else '') + ')'
        parts.append(what)
        if method and origin.get('method') and origin['method'] != method:
            parts.append(f"use --method {origin['method']}")
        elif domain and origin.get('domain') and origin['domain'] != domain:
            parts.append('it is an avzoo-synth model: use --synth / a synth_* benchmark' if origin['domain'] == 'synth'
                         else 'it is a real-data model: drop --synth / use a real benchmark')
    detail = []
    if missing:
        detail.append(f'missing {_examples(missing)}')
    if unexpected:
        detail.append(f'unexpected {_examples(unexpected)}')
    if shapes:
        detail.append(f'other shape {_examples(shapes)}')
    return '; '.join(parts) + ' (' + '; '.join(detail) + ')'


def load_strictly(model: torch.nn.Module, ckpt: Dict[str, Any], path: str, target: str) -> Dict[str, Any]:
    """Load ``ckpt``'s state dict into ``model`` (built from the config ``target``) only if every
    name and shape fits (``module.`` prefixes dropped); otherwise one :class:`AvzooError` from
    :func:`mismatch_message`."""
    from mmengine.runner.checkpoint import _load_checkpoint_to_model
    state = {re.sub(r'^module\.', '', k): v for k, v in ckpt.get('state_dict', ckpt).items()}
    message = mismatch_message(path, target, model.state_dict(), state, checkpoint_origin(ckpt))
    if message:
        raise AvzooError(message)
    return _load_checkpoint_to_model(model, ckpt, True, revise_keys=[(r'^module\.', '')])
