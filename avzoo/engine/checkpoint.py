"""Checkpoints in the engine: MMEngine loads through avzoo's safe reader, a checkpoint says which
config made it, and a checkpoint that does not fit a model is one error saying why."""
from __future__ import annotations

import os
import re
from typing import Any, Dict, List, Optional

import torch

# rebuild_history_buffer lived here before the tree moved it: pickles that name this module find it
from avzoo.utils.checkpoint import rebuild_history_buffer, safe_torch_load  # noqa: F401
from avzoo.utils.errors import AvzooError


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
