"""A config for one benchmark: where its media lie (``--data-root``), the test loader and
evaluator it gets, and a quiet test runner of a method on it."""
from __future__ import annotations

import copy
import itertools
import os
from typing import Callable, Dict, Optional, Sequence, Tuple, Union

from mmengine.config import Config

from avzoo.datasets.benchmarks import SYNTH_ROOT, benchmark_info, synth_media
from avzoo.engine.config import load_config, parse_data_roots
from avzoo.registry import BENCHMARKS
from avzoo.utils.errors import AvzooError
from avzoo.utils.paths import scratch_dir
from avzoo.zoo import get_method

# Which config root holds a benchmark's media (``--data-root vggss_root=DIR`` also moves the
# benchmark of ``avzoo eval --bench vggss``); benchmarks not listed read only a bare DIR.
BENCH_ROOT_KEYS = (('synth_', 'synth_root'), ('vggss', 'vggss_root'), ('flickr', 'flickr_root'))


def bench_root_key(bench: str) -> Optional[str]:
    """The config root that holds ``bench``'s media (:data:`BENCH_ROOT_KEYS`), or None."""
    return next((k for prefix, k in BENCH_ROOT_KEYS if bench.startswith(prefix)), None)


def benchmark_roots(bench: str, data_root: Union[None, str, Sequence[str]]) -> Tuple[Optional[str], Dict[str, str]]:
    """Split ``--data-root`` values for a command that scores ``bench``: ``(the benchmark's media
    folder or None for its default, the roots for its config)``. The media folder is a bare ``DIR``
    or the benchmark's own root (:data:`BENCH_ROOT_KEYS`); on avzoo-synth it also moves the
    config's main root (the miner's encoders for OGL and the objectness floor live there)."""
    roots = parse_data_roots(data_root)
    key = bench_root_key(bench)
    folder = roots.pop('', None) or (roots.get(key) if key else None)
    if folder is not None and key == 'synth_root':
        roots.pop('synth_root', None)
        roots[''] = folder
    return folder, roots


def benchmark_config(path: str, bench: str, data_root: Union[None, str, Sequence[str]] = None,
                     options: Optional[Sequence[str]] = None, work_dir: Optional[str] = None) -> Tuple[Config, Optional[str]]:
    """``(config, benchmark media folder)`` for a command that scores ``bench`` with the config at
    ``path`` (see :func:`benchmark_roots`)."""
    folder, roots = benchmark_roots(bench, data_root)
    key = bench_root_key(bench)
    cfg = load_config(path, options, data_root=roots, work_dir=work_dir, optional_roots=(key,) if key else ())
    return cfg, folder


def synth_root(data_root: Union[None, str, Sequence[str]], command: str) -> str:
    """The avzoo-synth folder of ``demo`` / ``compare`` / ``ablate`` (``DIR`` or ``synth_root=DIR``)."""
    roots = parse_data_roots(data_root)
    other = sorted(set(roots) - {'', 'synth_root'})
    if other:
        raise AvzooError(f'avzoo {command} reads avzoo-synth only: give --data-root DIR or --data-root '
                         f'synth_root=DIR (not {other[0]}=...)')
    return roots.get('synth_root') or roots.get('') or SYNTH_ROOT


def bench_names():
    return sorted(BENCHMARKS.module_dict)


def check_bench(bench: str) -> None:
    """One clear error for a benchmark name that is not registered."""
    benchmark_info(bench)


def eval_config(cfg: Config, bench: str, checkpoint: Optional[str], data_root: Optional[str] = None,
                strict: bool = False, ogl: bool = False, negatives: Optional[dict] = None,
                check_media: bool = True) -> Config:
    """``cfg`` turned into a pure test run of ``bench`` (no training parts, no mining hook);
    ``strict``: missing or undecodable media is an error instead of a counted skip; ``ogl``:
    post-process the maps with the config's ``ogl`` entry (object-guided localisation);
    ``negatives`` (``dict(kinds=..., seed=..., threshold=...)``, any of them optional): also score
    every image with negative audio (``NegativeAudioDataset`` + ``NegativeAudioMetric``);
    ``check_media=False``: the caller replaces the dataset (a folder gallery), so a missing
    benchmark folder is no error."""
    check_bench(bench)
    if data_root is None and benchmark_info(bench).domain == 'synth':
        data_root = cfg.get('synth_root', SYNTH_ROOT)
    if check_media and benchmark_info(bench).domain == 'synth':
        synth_media(data_root)
    loader, metric = benchmark_loader(cfg, bench, data_root, cfg.get('test_dataloader'))
    cfg = copy.deepcopy(cfg)
    if benchmark_info(bench).upsample is not None:   # the benchmark's protocol fixes the upsampling
        cfg.model.upsample = benchmark_info(bench).upsample
    if ogl:
        if not cfg.get('ogl'):
            raise AvzooError("--ogl: this config has no `ogl` entry (dict(type='OGL', encoder=...), see "
                             "configs/_base_/models/alignment_r18.py)")
        cfg.model.postprocessor = cfg.ogl
    dataset = dict(loader['dataset'], strict=strict)
    if negatives is not None:
        neg = dict(negatives)
        kinds = tuple(neg.pop('kinds', ('silence', 'noise', 'offscreen')))
        threshold = neg.pop('threshold', 0.5)
        dataset = dict(type='NegativeAudioDataset', dataset=dataset, kinds=kinds, **neg)
        metric = [metric, dict(type='NegativeAudioMetric', kinds=kinds, threshold=threshold)]
    loader['dataset'] = dataset
    cfg.test_dataloader, cfg.test_evaluator, cfg.test_cfg = loader, metric, dict(type='TestLoop')
    for key in ('train_dataloader', 'train_cfg', 'optim_wrapper', 'val_dataloader', 'val_cfg',
                'val_evaluator', 'param_scheduler'):
        cfg[key] = None
    cfg.custom_hooks = [h for h in cfg.get('custom_hooks', []) if h['type'] != 'PositiveMiningHook']
    cfg.default_hooks = dict(cfg.get('default_hooks', {}), checkpoint=None)
    cfg.load_from, cfg.resume = checkpoint, False
    cfg.work_dir = scratch_dir()          # a test run keeps no files of its own: outputs go where the caller says
    # one name per run: MMEngine names its logger, visualizer and scope after the experiment, and two
    # runs of one config in the same second would share (and warn about) them
    cfg.experiment_name = f'{os.path.splitext(os.path.basename(cfg.filename or "run"))[0]}_{bench}_{next(_RUNS)}'
    return cfg


_RUNS = itertools.count()


def benchmark_loader(cfg: Config, bench: str, data_root: Optional[str], base: Optional[dict]) -> Tuple[dict, dict]:
    """``(dataloader, metric)`` configs that score ``bench`` (media under ``data_root``) with
    ``cfg``'s model: the benchmark's dataset, the method's recipe for test frames (e.g. bicubic
    224), in the loader settings of ``base`` (batch size, workers) with a sequential sampler."""
    spec = BENCHMARKS.get(bench)(data_root, image_size=cfg.get('image_size', 224), audio=cfg.get('audio'))
    if cfg.get('test_pipeline') is not None:
        spec['dataset']['image_pipeline'] = copy.deepcopy(cfg.test_pipeline)
    loader = copy.deepcopy(base or {})
    loader.pop('dataset', None)           # replace, never merge (ConfigDict.update merges nested dicts)
    loader.update(dataset=spec['dataset'], persistent_workers=False)
    loader.setdefault('batch_size', 50)
    loader.setdefault('sampler', dict(type='DefaultSampler', shuffle=False))
    loader.setdefault('collate_fn', dict(type='default_collate'))
    return loader, spec['metric']


DataRoots = Union[None, str, Sequence[str]]    # `--data-root` values: DIR or NAME=DIR


def method_config_path(method: str, bench: str) -> str:
    """The config ``--method`` scores ``bench`` with: the method's synth or real config, by the
    benchmark's domain (a method without one for that domain is one error)."""
    return get_method(method).config(benchmark_info(bench).domain)


def method_config(method: str, bench: str, data_root: DataRoots = None):
    """``(config, benchmark media folder)`` as ``avzoo eval --method`` uses them for ``bench``
    (``data_root``: ``--data-root`` values)."""
    return benchmark_config(method_config_path(method, bench), bench, data_root)


def benchmark_runner(method: str, checkpoint: Optional[str], bench: str, data_root: DataRoots = None,
                     ogl: bool = False, dataset: Optional[Callable[[dict], dict]] = None):
    """A quiet test runner of ``method`` on ``bench`` with its weights loaded (``checkpoint``; None for
    the floors, and a trained method without one is one error); ``dataset`` maps the benchmark's
    test dataset config to another one (a folder gallery)."""
    from avzoo.engine.runner import build_runner
    from avzoo.utils.checkpoint import read_checkpoint
    if get_method(method).trains and checkpoint is None:
        raise AvzooError(f'{method}: a trained method needs its checkpoint (--checkpoint, or --run {method}=CHECKPOINT)')
    if checkpoint is not None:
        read_checkpoint(checkpoint)               # a bad file fails here, before the runner is built
    cfg, folder = method_config(method, bench, data_root)
    tcfg = eval_config(cfg, bench, checkpoint, folder, ogl=ogl, check_media=dataset is None)
    if dataset is not None:
        tcfg.test_dataloader.dataset = dataset(tcfg.test_dataloader.dataset)
    tcfg.log_level = 'WARNING'
    runner = build_runner(tcfg)
    if checkpoint is not None:
        runner.load_checkpoint(checkpoint)
    return runner
