"""The conversion machinery shared by every released layout."""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from torch import Tensor

from avzoo.utils.errors import AvzooError


@dataclass(frozen=True)
class Layout:
    """A released checkpoint layout.

    ``state_key``: where the state dict sits in the saved dict (``'model'``...); ``rules``: ordered
    ``(regex, replacement)`` renames from release names (after stripping ``module.``) to avzoo
    names; a key that no rule renames is an error unless ``ignore`` matches it (weights the
    test-time model does not use); ``absent``: avzoo keys the release does not have and the test
    map does not use (kept at their fresh initialisation, listed in the report); ``method``: the
    zoo method whose real config it fits."""
    name: str
    method: str
    state_key: str
    rules: Sequence[Tuple[str, str]]
    ignore: Sequence[str] = ()
    absent: Sequence[str] = ()
    about: str = ''
    selection: Dict[str, str] = field(default_factory=dict)   # how the release chose its checkpoint
    aliases: Tuple[str, ...] = ()


def _layout(entry: dict, index: Dict[str, dict]) -> Layout:
    """A metafile's ``layouts`` entry as a :class:`Layout`; ``like: NAME`` starts from that layout's
    state key, rules and ignored / absent keys (``ignore`` and ``absent`` are added to them)."""
    base = _layout(index[entry['like']], index) if entry.get('like') else None
    return Layout(entry['name'], entry['method'], entry.get('state_key') or base.state_key,
                  tuple(tuple(r) for r in entry.get('rules') or base.rules),
                  tuple(base.ignore if base else ()) + tuple(entry.get('ignore') or ()),
                  tuple(base.absent if base else ()) + tuple(entry.get('absent') or ()),
                  entry.get('about', ''), dict(entry.get('selection') or {}), tuple(entry.get('aliases') or ()))


def layouts() -> Dict[str, Layout]:
    """Every released checkpoint layout the method folders declare (``layouts:`` in a metafile)."""
    from avzoo.zoo import layout_entries
    index = layout_entries()
    return {name: _layout(entry, index) for name, entry in index.items()}


def get_layout(name: str) -> Layout:
    """A layout by its name or an alias (``sslalignment`` -> ``alignment``); one error listing them."""
    known = layouts()
    aliases = {a: layout.name for layout in known.values() for a in layout.aliases}
    if aliases.get(name, name) not in known:
        raise AvzooError(f'unknown checkpoint layout {name!r}; layouts: {", ".join(sorted(known))}')
    return known[aliases.get(name, name)]


def release_selection(layout: str) -> dict:
    """How the release a converted layout comes from chose its checkpoint (the layout's
    ``selection``: the test metric it kept the best of and where, or why that is unknown)."""
    from avzoo.protocol.provenance import UNKNOWN
    sel = get_layout(layout).selection
    if sel.get('best_on_test'):
        return dict(rule='release', test_set=True,
                    about=f"the release's rule: the best {sel['best_on_test']} on the VGG-SS or Flickr test set "
                          f"({sel['source']})")
    why = sel.get('unknown')
    return dict(rule=UNKNOWN, test_set=False, about=f'{UNKNOWN} ({why})' if why else UNKNOWN)


def _release_state(path: str, layout: Layout) -> Tuple[Dict[str, Tensor], List[str]]:
    """The release's state dict renamed to avzoo's names (``module.`` dropped) and the release keys
    ignored (:func:`rename`); a file of another layout is one error naming the layout(s) it fits
    (:func:`sniff_layouts`)."""
    from avzoo.utils.checkpoint import read_checkpoint, safe_torch_load
    if not os.path.isfile(path):
        raise AvzooError(f'checkpoint not found: {path}')
    ckpt = read_checkpoint(path) if path.endswith('.safetensors') else safe_torch_load(path)
    if not isinstance(ckpt, dict):
        raise AvzooError(f'{path}: holds a {type(ckpt).__name__}, not a released checkpoint (a dict with '
                         f'{layout.state_key!r} for --from {layout.name})')
    state = _state(ckpt, layout)
    if state is None:
        raise AvzooError(f'{path} is not a {layout.name} checkpoint (no state dict under {layout.state_key!r}; '
                         f'its keys: {sorted(ckpt)[:5]}); {_sniff_hint(ckpt)}')
    renamed, ignored, unknown = rename(state, layout)
    if unknown:
        other = [n for n in sniff_layouts(ckpt) if n != layout.name]
        raise AvzooError(f'{path}: {len(unknown)} keys are not in the {layout.name} layout: {_summary(unknown)}'
                         + (f'; it fits --from {" / ".join(other)}' if other else ''))
    return renamed, ignored


def _state(ckpt: dict, layout: Layout) -> Optional[Dict[str, Tensor]]:
    state = ckpt.get(layout.state_key)
    if not isinstance(state, dict) or not state or not all(isinstance(v, Tensor) for v in state.values()):
        return None
    return {re.sub(r'^module\.', '', k): v for k, v in state.items()}


def sniff_layouts(ckpt: dict) -> List[str]:
    """The registered layouts whose state key and parameter names fit the loaded checkpoint."""
    return [name for name, layout in layouts().items()
            if (state := _state(ckpt, layout)) is not None and not rename(state, layout)[2]]


def _sniff_hint(ckpt: dict) -> str:
    fits = sniff_layouts(ckpt)
    if fits:
        return f'it fits --from {" / ".join(fits)}'
    meta = ckpt.get('meta')
    if isinstance(ckpt.get('state_dict'), dict) and isinstance(meta, dict) and ('avzoo' in meta or 'experiment_name' in meta):
        return 'it is a checkpoint written by `avzoo train`: give it to --checkpoint as it is (no conversion)'
    return f'it fits none of the known layouts ({", ".join(sorted(layouts()))})'


def rename(state: Dict[str, Tensor], layout: Layout) -> Tuple[Dict[str, Tensor], List[str], List[str]]:
    """Release names -> avzoo names; returns (renamed, ignored keys, keys no rule knows)."""
    out: Dict[str, Tensor] = {}
    ignored, unknown = [], []
    for key, value in state.items():
        if any(re.fullmatch(p, key) for p in layout.ignore):
            ignored.append(key)
            continue
        for pattern, repl in layout.rules:
            if re.fullmatch(pattern, key):
                out[re.sub(pattern, repl, key)] = value
                break
        else:
            unknown.append(key)
    return out, ignored, unknown


def release_record(layout_name: str, train_list: Optional[str]) -> dict:
    """What a converted release says about its protocol: the training list only when the user
    names it (``avzoo convert --train-list``), and the release's own selection rule."""
    from avzoo.datasets.train_lists import train_list as shipped_list
    from avzoo.protocol.provenance import UNKNOWN
    if train_list is not None:
        shipped_list(train_list)            # one clear error for a name that is not a shipped list
    return dict(train_list=train_list or UNKNOWN,
                source=('named at conversion (avzoo convert --train-list)' if train_list else
                        'a converted release: its training list is unknown unless given with --train-list'),
                selection=release_selection(layout_name))


def _summary(keys: Sequence[str], n: int = 8) -> str:
    keys = sorted(keys)
    return ', '.join(keys[:n]) + (f' ... ({len(keys)} in all)' if len(keys) > n else '')


def convert(path: str, layout_name: str, config: Optional[str] = None,
            train_list: Optional[str] = None) -> Tuple[Dict[str, Tensor], dict]:
    """A released checkpoint -> the state dict of the avzoo model of ``config`` (default: the real
    config of the layout's method) and a report (layout, config, ignored keys, source hash, and the
    ``protocol`` record: ``train_list``, the shipped list the release trained on, or unknown)."""
    from mmengine.registry import init_default_scope

    import avzoo  # noqa: F401  (registration)
    from avzoo.engine.config import load_config
    from avzoo.registry import MODELS
    from avzoo.zoo import get_method
    layout = get_layout(layout_name)
    state, ignored = _release_state(path, layout)
    init_default_scope('avzoo')
    config = config or get_method(layout.method).config('real')
    model_state = MODELS.build(load_config(config).model).state_dict()
    fresh = [k for k in model_state if k not in state and any(re.fullmatch(p, k) for p in layout.absent)]
    state.update({k: model_state[k] for k in fresh})
    missing = [k for k in model_state if k not in state]
    extra = [k for k in state if k not in model_state]
    shapes = [f'{k} {tuple(state[k].shape)} != {tuple(v.shape)}' for k, v in model_state.items()
              if k in state and state[k].shape != v.shape]
    problems = ([f'missing {_summary(missing)}'] if missing else []) + \
               ([f'not in the model {_summary(extra)}'] if extra else []) + \
               ([f'shape {"; ".join(shapes[:5])}'] if shapes else [])
    if problems:
        raise AvzooError(f'{path} ({layout_name}) does not fit {os.path.basename(config)}: ' + ' | '.join(problems))
    with open(path, 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    report = dict(layout=layout.name, method=layout.method, config=os.path.relpath(config) if os.path.isabs(config)
                  else config, source=os.path.basename(path), source_sha256=digest, ignored=sorted(ignored),
                  initialised=sorted(fresh), protocol=release_record(layout.name, train_list))
    return {k: state[k].contiguous() for k in model_state}, report


def save_safetensors(state: Dict[str, Tensor], report: dict, out: str) -> str:
    """Write ``state`` with the conversion report as metadata, atomically."""
    from safetensors.torch import save_file
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = out + '.partial'
    save_file(state, tmp, metadata={k: json.dumps(v) if not isinstance(v, str) else v for k, v in report.items()})
    os.replace(tmp, out)
    return out
