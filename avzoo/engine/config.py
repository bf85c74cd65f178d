"""Loading configs for the CLI: key checking, data-root rebasing, runner building with one-line errors."""
from __future__ import annotations

import copy
import difflib
import glob
import inspect
import os
import re
import sys
from contextlib import contextmanager
from typing import Any, Dict, Optional, Sequence, Union

from mmengine.config import Config, DictAction
from mmengine.logging import print_log

from avzoo.datasets.benchmarks import SYNTH_ROOT
from avzoo.utils.errors import AvzooError
from avzoo.zoo import PACKAGE_CONFIGS as CONFIG_ROOT

# Top-level config variables that name a root folder: `--data-root NAME=DIR` (or `--cfg-options
# NAME=DIR`) moves every path string of the config that starts with the old value, so paths
# derived from a root when the config was parsed move with it. `weights_root` holds local
# pre-trained weights; the environment variable AVZOO_WEIGHTS sets it for every command.
ROOT_KEYS = ('data_root', 'synth_root', 'vggss_root', 'flickr_root', 'weights_root')


WEIGHTS_ENV = 'AVZOO_WEIGHTS'


def parse_data_roots(data_root: Union[None, str, Sequence[str]]) -> Dict[str, str]:
    """``--data-root`` values (every command takes the same grammar, repeatable) -> ``{root name:
    folder}``: ``NAME=DIR`` names a root (:data:`ROOT_KEYS`), a bare ``DIR`` is the command's main
    folder (key ``''``: the config's main root for train / mine, the benchmark's media for eval,
    viz and retrieve, avzoo-synth for demo, compare and ablate)."""
    items = [data_root] if isinstance(data_root, str) else list(data_root or [])
    roots: Dict[str, str] = {}
    for item in items:
        name, sep, folder = item.partition('=')
        if sep and name in ROOT_KEYS:
            roots[name] = folder
        elif sep and '/' not in name:
            raise AvzooError(f'--data-root {item}: unknown root {name!r} (give DIR, or NAME=DIR with NAME one of '
                             f'{", ".join(ROOT_KEYS)})')
        else:
            roots[''] = item
    return roots


def rebase_root(cfg: Config, name: str, folder: str) -> Config:
    """Move every path under the config's root variable ``name`` to ``folder``."""
    if not isinstance(cfg.get(name), str):
        have = [k for k in ROOT_KEYS if isinstance(cfg.get(k), str)]
        raise AvzooError(f'{cfg.filename}: has no root {name!r} to set (its roots: {", ".join(have) or "none"})')
    cfg = Config(rebase_paths(cfg.to_dict(), cfg[name], folder), filename=cfg.filename)
    cfg[name] = folder
    return cfg


def find_config(path: str) -> str:
    """A config by path (as given, or relative to the configs shipped in the package, with or
    without a leading ``configs/``) or by name (``ours_sup_nn`` finds ``ours_sup_nn.py`` anywhere
    under the shipped configs)."""
    rel = path[len('configs/'):] if path.startswith('configs/') else path
    for cand in (path, os.path.join(CONFIG_ROOT, rel)):
        if os.path.isfile(cand):
            return os.path.realpath(cand)
    name = os.path.basename(rel)
    name = name if name.endswith('.py') else name + '.py'
    found = sorted(p for p in glob.glob(os.path.join(CONFIG_ROOT, '**', name), recursive=True) if '_base_' not in p)
    if len(found) == 1:
        return os.path.realpath(found[0])
    if len(found) > 1:
        raise AvzooError(f'config name {path!r} is ambiguous: {[os.path.relpath(p, CONFIG_ROOT) for p in found]}')
    shipped = [os.path.basename(p)[:-3] for p in glob.glob(os.path.join(CONFIG_ROOT, '**', '*.py'), recursive=True)
               if '_base_' not in p]
    near = difflib.get_close_matches(name[:-3], shipped, n=3, cutoff=0.75)
    hint = f'; did you mean {" or ".join(near)}? (names say {{method}}_{{encoders}}_{{N}}xb{{B}}-{{tricks}}-{{schedule}}_{{data}})' if near else ''
    raise AvzooError(f'config not found: {path} (a path, or a name under {CONFIG_ROOT}; `avzoo list` shows the '
                     f'methods\' configs){hint}')


def parse_options(options: Sequence[str]) -> Dict[str, Any]:
    """``['a.b=1', 'c=[1,2]']`` -> ``{'a.b': 1, 'c': [1, 2]}`` (MMEngine's DictAction parsing)."""
    out: Dict[str, Any] = {}
    for opt in options:
        if '=' not in opt:
            raise AvzooError(f'--cfg-options expects KEY=VALUE, got {opt!r}')
        key, value = opt.split('=', 1)
        out[key] = DictAction._parse_iterable(value)
    return out


# MMEngine's documented Runner settings (mmengine.runner.Runner arguments): settable with
# --cfg-options even where a config leaves them at MMEngine's default.
RUNNER_KEYS = {
    'randomness': ('seed', 'deterministic', 'diff_rank_seed'),
    'env_cfg': ('cudnn_benchmark', 'mp_cfg', 'dist_cfg'),
    'launcher': (), 'auto_scale_lr': ('base_batch_size', 'enable'), 'compile': (), 'experiment_name': (),
    'load_from': (), 'resume': (), 'log_level': (), 'default_scope': (), 'model_wrapper_cfg': (),
}


_NEW = object()          # what _check_key returns for a key the config does not have yet


def _check_key(cfg: Config, dotted: str) -> Any:
    """A ``--cfg-options`` key must exist, except a new argument of a registry-built dict (one
    with ``type``), which its constructor will check, and MMEngine's documented Runner settings
    (:data:`RUNNER_KEYS`); a near-miss of an existing key is an error either way (``max_epoch``
    for ``max_epochs``). Returns the value the option replaces (``_NEW`` for a new key)."""
    node: Any = cfg
    parts = dotted.split('.')
    runner_key = parts[0] in RUNNER_KEYS and (len(parts) == 1 or (len(parts) == 2 and parts[1] in RUNNER_KEYS[parts[0]])
                                              or parts[0] in ('env_cfg', 'model_wrapper_cfg') or not RUNNER_KEYS[parts[0]])
    for depth, part in enumerate(parts):
        if isinstance(node, (list, tuple)) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
            continue
        if not hasattr(node, 'keys') or part not in node:
            if runner_key:
                return _NEW
            where = '.'.join(parts[:depth]) or 'the config'
            keys = list(node.keys()) if hasattr(node, 'keys') else []
            close = difflib.get_close_matches(part, keys, n=1, cutoff=0.8)
            if not close and depth == len(parts) - 1 and 'type' in keys:
                return _NEW          # a new constructor argument
            hint = f"; did you mean '{close[0]}'?" if close else ''
            raise AvzooError(f"unknown config key '{dotted}': {where} has no '{part}'{hint}")
        node = node[part]
    return node


def _check_type(dotted: str, old: Any, value: Any) -> None:
    """A ``--cfg-options`` value must be a number where the config has a number and a flag where
    it has a flag (``batch_size=abc`` is one error here, not a crash inside a DataLoader). An int
    may become a float and back (``weight_decay=0`` -> ``1e-4``): the config's type is no contract."""
    kinds = ((bool, 'true or false', (bool,)), (int, 'a number', (int, float)), (float, 'a number', (int, float)))
    for kind, words, accepted in kinds:
        if old is not _NEW and isinstance(old, kind):
            if not isinstance(value, accepted) or (kind is not bool and isinstance(value, bool)):
                raise AvzooError(f'--cfg-options {dotted}={value}: expected {words} (the config has {old!r})')
            return


def rebase_paths(node: Any, old: str, new: str) -> Any:
    """Replace the leading ``old`` of every path string under ``node`` with ``new``."""
    if isinstance(node, dict):
        return type(node)({k: rebase_paths(v, old, new) for k, v in node.items()})
    if isinstance(node, list):
        return [rebase_paths(v, old, new) for v in node]
    if isinstance(node, tuple):
        return tuple(rebase_paths(v, old, new) for v in node)
    if isinstance(node, str) and (node == old or node.startswith(old.rstrip('/') + '/')):
        return new.rstrip('/') + node[len(old.rstrip('/')):]
    return node


def load_config(path: str, options: Optional[Sequence[str]] = None,
                data_root: Union[None, str, Sequence[str], Dict[str, str]] = None, work_dir: Optional[str] = None,
                optional_roots: Sequence[str] = ()) -> Config:
    """Read a config. ``data_root`` (``--data-root`` values, or their :func:`parse_data_roots`
    dict): ``DIR`` rebases every path under its main root (``synth_root`` or ``data_root``),
    ``NAME=DIR`` the root ``NAME`` (``ROOT_KEYS``); ``$AVZOO_WEIGHTS`` sets
    ``weights_root``. ``options`` (``KEY=VALUE``) must name existing keys (typos are errors); one
    that sets a root variable rebases every path under that root too. A root of ``optional_roots``
    that the config does not have is ignored (a benchmark's root given to a config that reads none)."""
    try:
        cfg = Config.fromfile(find_config(path))
    except AvzooError:
        raise
    except Exception as exc:  # syntax errors, missing _base_ files
        raise AvzooError(f'cannot read config {path}: {exc}') from None
    if cfg.get('custom_imports') and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())   # a user's package next to the command, as `python -m` does
    roots = parse_data_roots(data_root) if not isinstance(data_root, dict) else dict(data_root)
    if os.environ.get(WEIGHTS_ENV) and isinstance(cfg.get('weights_root'), str):
        roots.setdefault('weights_root', os.environ[WEIGHTS_ENV])
    if '' in roots:
        main = 'synth_root' if 'synth_root' in cfg else 'data_root'
        if main in cfg:
            cfg = rebase_root(cfg, main, roots.pop(''))
        else:
            cfg = Config(rebase_paths(cfg.to_dict(), SYNTH_ROOT, roots.pop('')), filename=cfg.filename)
    for name, folder in roots.items():
        if name in optional_roots and not isinstance(cfg.get(name), str):
            continue
        cfg = rebase_root(cfg, name, folder)
    opts = parse_options(options or [])
    for key in opts:
        _check_type(key, _check_key(cfg, key), opts[key])
    for key in ROOT_KEYS:
        if key in opts and isinstance(opts[key], str):
            cfg = rebase_root(cfg, key, opts[key])
    cfg.merge_from_dict(opts)
    compose(cfg, opts)
    cfg.work_dir = work_dir or cfg.get('work_dir') or os.path.join(
        'work_dirs', os.path.splitext(os.path.basename(path))[0])
    return cfg


# What the training dataset takes from the method: the views it loads and the modalities that get
# extra positives. The method is their one source; a dataset value given apart is an error.
METHOD_OWNED = ('views', 'positive_modalities')


def _method_default(method: dict, key: str) -> Any:
    """``method[key]`` as the config sets it, else the registered class's default (None if none)."""
    if key in method:
        return method[key]
    from avzoo.registry import MODELS
    cls = MODELS.get(method.get('type')) if isinstance(method.get('type'), str) else method.get('type')
    if cls is None:
        return None
    param = inspect.signature(cls.__init__).parameters.get(key)
    if param is not None and param.default is not inspect.Parameter.empty:
        return param.default
    return getattr(cls, key, None)


def _merged(base: dict, own: Optional[dict]) -> dict:
    """``base`` with ``own``'s values merged over it, recursively (MMEngine's rule)."""
    merged = Config(dict(x=copy.deepcopy(dict(base))))
    merged.merge_from_dict({'x': dict(own or {})})
    return merged.x


def _reads_audio(dataset: dict) -> bool:
    """Whether a dataset config takes an ``audio`` front end (it names one, or its class has the argument)."""
    if 'audio' in dataset:
        return True
    from avzoo.registry import DATASETS
    cls = DATASETS.get(dataset.get('type')) if isinstance(dataset.get('type'), str) else None
    return cls is not None and any('audio' in inspect.signature(c.__init__).parameters for c in cls.__mro__
                                   if '__init__' in vars(c))


def compose(cfg: Config, options: Optional[Dict[str, Any]] = None) -> Config:
    """Give each value one source, the MMEngine way. The audio front end (a base of
    ``configs/_base_/audio/``) declares ``audio`` and ``data_preprocessor`` at top level: ``audio``
    is merged under every dataloader's dataset that reads audio and ``data_preprocessor`` under
    ``model.data_preprocessor`` (values set there win). The training dataset takes ``views`` /
    ``positive_modalities`` from ``model.method`` (:data:`METHOD_OWNED`)."""
    if isinstance(cfg.get('audio'), dict):
        for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
            dataset = (cfg.get(name) or {}).get('dataset')
            if isinstance(dataset, dict) and _reads_audio(dataset):
                dataset['audio'] = _merged(cfg.audio, dataset.get('audio'))
    if cfg.get('custom_hooks') is None:
        cfg.custom_hooks = []              # a config adds hooks as a list (the runtime base declares none)
    model = cfg.get('model')
    if not isinstance(model, dict):
        return cfg
    if isinstance(cfg.get('data_preprocessor'), dict):
        model['data_preprocessor'] = _merged(cfg.data_preprocessor, model.get('data_preprocessor'))
    dataset = ((cfg.get('train_dataloader') or {}).get('dataset') or {})
    method = model.get('method')
    if not isinstance(method, dict) or dataset.get('type') not in ('AVPairDataset', None) or not dataset:
        return cfg
    for key in METHOD_OWNED:
        given = f'train_dataloader.dataset.{key}'
        value = _method_default(method, key)
        if options and given in options and (value is None or tuple(options[given]) != tuple(value)):
            raise AvzooError(f'--cfg-options {given}: the training dataset follows the method; set '
                             f'model.method.{key} instead')
        if value is not None:
            dataset[key] = tuple(value)
    return cfg


def set_epochs(cfg: Config, epochs: int) -> Config:
    """Train for ``epochs`` instead of the config's ``train_cfg.max_epochs``, moving every
    epoch-based scheduler boundary that sat at the old end (and a cosine ``T_max`` spanning to it)
    so a shortened or lengthened run still warms up and decays as the config intends. A scheduler
    that would only begin after the new end is dropped (logged)."""
    if epochs < 1:
        raise AvzooError(f'epochs must be >= 1, got {epochs}')
    check_trainable(cfg)
    old = cfg.train_cfg.get('max_epochs')
    if old is None:
        raise AvzooError(f'{cfg.filename}: train_cfg has no max_epochs to override (iteration-based config)')
    schedulers = cfg.get('param_scheduler') or []
    kept = []
    for sched in schedulers if isinstance(schedulers, list) else [schedulers]:
        begin = sched.get('begin', 0)
        if sched.get('by_epoch', True) and begin >= epochs:
            print_log(f'--epochs {epochs}: dropping the {sched["type"]} scheduler that begins at epoch {begin}',
                      logger='current', level=30)
            continue
        if sched.get('by_epoch', True) and sched.get('end') == old:
            if sched.get('T_max') == old - begin:
                sched['T_max'] = epochs - begin
            sched['end'] = epochs
        kept.append(sched)
    if schedulers:
        cfg.param_scheduler = kept
    cfg.train_cfg.max_epochs = epochs
    if cfg.train_cfg.get('val_interval', 1) == old:
        cfg.train_cfg.val_interval = epochs
    return cfg


_BUILD_PATTERNS = (r'class `\w+` in [\w.]+', r'is not in the [\w:]+ registry',
                   r'unexpected keyword argument', r'missing \d+ required positional argument')


@contextmanager
def config_errors():
    """Turn registry build failures (unknown ``type``, misspelt or missing keys: MMEngine
    re-raises them as ``class `X` in module: ...``) into one :class:`AvzooError` line; any other
    exception is a bug and keeps its traceback."""
    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        msg = re.sub(r'\s+', ' ', str(exc).strip().strip('"')).strip()
        if any(re.search(p, msg) for p in _BUILD_PATTERNS):
            raise AvzooError(f'config error: {msg[:400]}') from None
        raise


TRAINING_KEYS = ('model', 'train_dataloader', 'train_cfg', 'optim_wrapper')


def check_trainable(cfg: Config) -> None:
    """A config ``avzoo train`` can run defines every part MMEngine's training needs; else one
    error naming the missing keys (MMEngine would fail later, deep in the runner)."""
    missing = [k for k in TRAINING_KEYS if not cfg.get(k)]
    if missing:
        raise AvzooError(f'{cfg.filename}: cannot train: no {", ".join(missing)} (a training config defines '
                         f'{", ".join(TRAINING_KEYS)}; the shipped configs get them from configs/_base_/)')
