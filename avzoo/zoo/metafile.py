"""The method zoo: one ``metafile.yml`` per method folder, gathered into one index.

A metafile (``avzoo/configs/<method>/metafile.yml``, or ``projects/<name>/metafile.yml`` for a
method outside the package) names each method a user can type (``--method``), its label in
tables, its paper, the registered ``type`` it builds, whether it trains, its synth and real
configs and its measured results with the command that produced them. ``avzoo list``, the
``--method`` lookup, the demo's labels, the README tables and the tests all read this index.
"""
from __future__ import annotations

import copy
import functools
import glob
import importlib
import os
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import yaml

from avzoo.utils.errors import AvzooError

PACKAGE_CONFIGS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'configs')
PROJECTS_ENV = 'AVZOO_PROJECTS'   # extra folders holding <project>/metafile.yml (os.pathsep-separated)


@dataclass(frozen=True)
class MethodSpec:
    """One method of the zoo, as its metafile declares it."""
    name: str
    label: str
    type: str
    about: str
    trains: bool
    configs: Dict[str, str]                  # 'synth' / 'real' -> config path (absolute)
    paper: Dict[str, str]
    metafile: str
    results: Dict[str, dict] = field(default_factory=dict)
    imports: Tuple[str, ...] = ()            # modules that register ``type`` (projects)
    aliases: Tuple[str, ...] = ()            # other names ``--method`` accepts

    @property
    def card(self) -> str:
        """The method's card: the README.md of its folder (next to its metafile)."""
        return os.path.join(os.path.dirname(self.metafile), 'README.md')

    def config(self, domain: str = 'synth') -> str:
        """The config for a benchmark domain (``'synth'`` or ``'real'``)."""
        if domain not in self.configs:
            raise AvzooError(f'method {self.name!r} has no {domain}-data config (it has: '
                             f'{", ".join(self.configs)}); score it with a CONFIG argument instead of --method')
        return self.configs[domain]

    def import_modules(self) -> None:
        """Import the modules that register ``type``; a project's package (``projects.<name>``
        next to its metafile) is importable from any working directory and console script."""
        for module in self.imports:
            parts = module.split('.')
            folder = os.path.dirname(os.path.abspath(self.metafile))
            tail = folder.split(os.sep)[-len(parts):]
            if tail == parts:
                root = os.sep.join(folder.split(os.sep)[:-len(parts)]) or os.sep
                if root not in sys.path:
                    sys.path.insert(0, root)
            importlib.import_module(module)


_REQUIRED = ('name', 'label', 'type', 'about', 'trains', 'configs')
RESULT_KEYS = ('metrics', 'command', 'date', 'protocol')
PROTOCOL_KEYS = ('test', 'train', 'overlap', 'selection')


def load_metafile(path: str) -> dict:
    """The parsed ``metafile.yml`` (a fresh copy), read once per version of the file; a file that is
    not valid YAML is one error naming it. Every reader of a metafile goes through here."""
    stat = os.stat(path)
    return copy.deepcopy(_parse(os.path.realpath(path), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=64)
def _parse(path: str, mtime_ns: int, size: int) -> dict:
    try:
        with open(path) as f:
            return yaml.safe_load(f) or {}
    except yaml.YAMLError as exc:
        raise AvzooError(f'{path}: not valid YAML ({exc})') from None


def read_metafile(path: str) -> List[MethodSpec]:
    """The methods of one metafile; a malformed file is one error naming it and the key."""
    data = load_metafile(path)
    base = os.path.dirname(path)
    config_root = PACKAGE_CONFIGS if os.path.abspath(base).startswith(PACKAGE_CONFIGS) else base
    specs = []
    for i, entry in enumerate(data.get('methods') or []):
        missing = [k for k in _REQUIRED if k not in entry]
        if missing:
            raise AvzooError(f'{path}: methods[{i}] lacks {missing} (each method needs {list(_REQUIRED)})')
        unknown = set(entry['configs']) - {'synth', 'real'}
        if unknown or not entry['configs']:
            raise AvzooError(f'{path}: methods[{i}].configs takes synth and/or real, got {sorted(entry["configs"] or [])}')
        for domain, result in (entry.get('results') or {}).items():
            lacking = [k for k in RESULT_KEYS if k not in (result or {})]
            lacking += [f'protocol.{k}' for k in PROTOCOL_KEYS if 'protocol' in (result or {})
                        and k not in (result['protocol'] or {})]
            if lacking:
                raise AvzooError(f'{path}: methods[{i}].results.{domain} lacks {lacking} (a result names its '
                                 f'command and its protocol: {list(PROTOCOL_KEYS)}, docs/protocol.md)')
        specs.append(MethodSpec(
            name=entry['name'], label=entry['label'], type=entry['type'], about=entry['about'],
            trains=bool(entry['trains']),
            configs={k: os.path.normpath(os.path.join(config_root, v)) for k, v in entry['configs'].items()},
            paper=dict(data.get('paper') or {}), metafile=path,
            results=dict(entry.get('results') or {}), imports=tuple(data.get('imports') or ()),
            aliases=tuple(entry.get('aliases') or ())))
    return specs


def metafiles() -> List[str]:
    """The package's metafiles, then those of ``./projects/*/`` and of ``$AVZOO_PROJECTS``."""
    folders = [os.path.join(os.getcwd(), 'projects')]
    folders += [p for p in os.environ.get(PROJECTS_ENV, '').split(os.pathsep) if p]
    files = glob.glob(os.path.join(PACKAGE_CONFIGS, '*', 'metafile.yml'))
    files = sorted(files, key=lambda p: (_order(p), p))
    for folder in folders:
        files += sorted(glob.glob(os.path.join(folder, '*', 'metafile.yml')))
    unique: Dict[str, str] = {}
    for path in files:                      # a folder reached twice (./projects and the variable)
        unique.setdefault(os.path.realpath(path), path)
    return list(unique.values())


def _order(path: str) -> int:
    return int(load_metafile(path).get('order', 1000))


@functools.lru_cache(maxsize=None)
def _index(files: Tuple[str, ...]) -> Dict[str, MethodSpec]:
    index: Dict[str, MethodSpec] = {}
    for path in files:
        for spec in read_metafile(path):
            if spec.name in index:
                raise AvzooError(f'method name {spec.name!r} is declared twice: {index[spec.name].metafile} and {path}')
            index[spec.name] = spec
    return index


def methods() -> Dict[str, MethodSpec]:
    """Every method of the zoo by name (package first, then projects), in metafile order."""
    return dict(_index(tuple(metafiles())))


def aliases() -> Dict[str, str]:
    """Other names of methods (``ours`` -> ``alignment``), as their metafiles declare them."""
    return {alias: spec.name for spec in methods().values() for alias in spec.aliases}


def layout_entries() -> Dict[str, dict]:
    """The released checkpoint layouts of every metafile (``layouts:``), by name; ``method``
    defaults to the metafile's first method."""
    return dict(_layouts(tuple(metafiles())))


@functools.lru_cache(maxsize=None)
def _layouts(files: Tuple[str, ...]) -> Dict[str, dict]:
    index: Dict[str, dict] = {}
    for path in files:
        data = load_metafile(path)
        first = ((data.get('methods') or [{}])[0]).get('name')
        for i, entry in enumerate(data.get('layouts') or []):
            if not entry.get('name') or not (entry.get('rules') or entry.get('like')):
                raise AvzooError(f'{path}: layouts[{i}] needs a name and rules (or like: another layout)')
            if entry['name'] in index:
                raise AvzooError(f'checkpoint layout {entry["name"]!r} is declared twice: {index[entry["name"]]["metafile"]} '
                                 f'and {path}')
            index[entry['name']] = dict(entry, method=entry.get('method', first), metafile=path)
    for name, entry in index.items():
        if entry.get('like') and entry['like'] not in index:
            raise AvzooError(f'{entry["metafile"]}: layout {name} is like {entry["like"]!r}, which no metafile declares')
    return index


def get_method(name: str) -> MethodSpec:
    index = methods()
    name = aliases().get(name, name)
    if name not in index:
        raise AvzooError(f"unknown method {name!r}; available: {', '.join(sorted(index))} (see `avzoo list`)")
    return index[name]


def config_origin(config: str) -> Optional[Tuple[str, str]]:
    """``(method, domain)`` of a config name or path (``alignment_small_1xb32-sup-nn-5e_synth``): the
    method whose metafile lists it, else the first method of its folder; the domain is ``synth``
    for configs named ``*_synth`` and ``real`` otherwise. None for a config outside the zoo."""
    stem = os.path.splitext(os.path.basename(config))[0]
    domain = 'synth' if stem.endswith('_synth') else 'real'
    folder = None
    for spec in methods().values():
        for path in spec.configs.values():
            if os.path.splitext(os.path.basename(path))[0] == stem:
                return spec.name, domain
    for path in glob.glob(os.path.join(PACKAGE_CONFIGS, '*', stem + '.py')):
        folder = os.path.dirname(path)
    for spec in methods().values():
        if folder and any(os.path.dirname(p) == folder for p in spec.configs.values()):
            return spec.name, domain
    return None


def label(name: str) -> str:
    """The method's label in tables (the name itself for anything outside the zoo)."""
    spec = methods().get(name)
    return spec.label if spec is not None else name
