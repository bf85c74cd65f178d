"""Train and evaluate from configs (what the CLI and the demo call)."""
from __future__ import annotations

import copy
import itertools
import json
import os
import shutil
from typing import Dict, List, Optional, Tuple

from mmengine.config import Config
from mmengine.dist import is_main_process

from avzoo.datasets.benchmarks import SYNTH_ROOT, benchmark_info, synth_media
from avzoo.engine.checkpoint import read_checkpoint
from avzoo.engine.config import build_runner, config_errors, root_hints
from avzoo.engine.safety import write_atomic
from avzoo.errors import AvzooError
from avzoo.registry import BENCHMARKS


def train(cfg: Config):
    """Train with the config; returns the runner (its ``work_dir`` holds the checkpoints)."""
    import avzoo  # noqa: F401  (registration)
    from avzoo.engine.config import check_trainable
    from avzoo.registry import MODELS
    method_cls = MODELS.get(cfg.model.method['type']) if 'method' in (cfg.get('model') or {}) else None
    if method_cls is not None and not getattr(method_cls, 'trains', True):
        raise AvzooError(f'{cfg.filename}: {method_cls.__name__} is training-free (trains=False); '
                         f'score it with `avzoo eval` instead')
    check_trainable(cfg)
    runner = build_runner(cfg)          # takes the work dir's lock before it writes there (AvzooRunner)
    with config_errors(), root_hints(cfg):
        runner.train()
    return runner


def last_checkpoint(work_dir: str) -> str:
    """The checkpoint ``work_dir/last_checkpoint`` names (see :func:`avzoo.engine.safety.read_marker`)."""
    from avzoo.engine.safety import read_marker
    path = read_marker(work_dir)
    if path is None:
        raise AvzooError(f'no checkpoint in {work_dir} (train first)')
    return path


def bench_names():
    return sorted(BENCHMARKS.module_dict)


def check_bench(bench: str) -> None:
    """One clear error for a benchmark name that is not registered."""
    benchmark_info(bench)


def test_config(cfg: Config, bench: str, checkpoint: Optional[str], data_root: Optional[str] = None,
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


def scratch_dir() -> str:
    """A private temporary folder, removed when the process ends (the log folder of a test run)."""
    import atexit
    import tempfile
    path = tempfile.mkdtemp(prefix='avzoo-run-')
    atexit.register(shutil.rmtree, path, True)
    return path


def evaluate(cfg: Config, bench: str, checkpoint: Optional[str] = None, data_root: Optional[str] = None,
             out: Optional[str] = None, strict: bool = False, ogl: bool = False,
             label: Optional[str] = None, verbose: bool = False, negatives: Optional[dict] = None,
             keep_runner: bool = False):
    """Score ``cfg``'s model (weights from ``checkpoint``) on ``bench`` (media under ``data_root``,
    None: the benchmark's default). With ``out`` (a path ending in ``.json``) the results are
    written as :func:`write_results` says. Returns the metrics, or ``(metrics, runner)`` with
    ``keep_runner`` (to write them later with :func:`write_results`).
    Unless ``verbose``, the runner logs warnings only (skips stay visible; no config dump)."""
    tcfg = test_config(cfg, bench, checkpoint, data_root, strict, ogl, negatives)
    if not verbose:
        tcfg.log_level = 'WARNING'
    if checkpoint is not None:
        read_checkpoint(checkpoint)           # a bad file fails here, before a runner is built
    runner = build_runner(tcfg)
    with config_errors():
        metrics = runner.test()
    metrics = {k.split('/')[-1]: (round(v, 6) if isinstance(v, float) else v) for k, v in metrics.items()}
    if out is not None:
        write_results(runner, metrics, out, bench, checkpoint, ogl, label, negatives,
                      protocol=result_protocol(bench, metrics, checkpoint, runner))
    return (metrics, runner) if keep_runner else metrics


def result_protocol(bench: str, metrics: Dict[str, float], checkpoint: Optional[str] = None, runner=None) -> dict:
    """The ``protocol`` block of a result (:func:`avzoo.protocol.provenance.protocol_block`): what
    was tested, scored and skipped, what the checkpoint was trained on and selected by."""
    from avzoo.protocol.provenance import protocol_block
    n_ids = None
    if runner is not None:
        dataset = runner.test_dataloader.dataset
        n_ids = len(getattr(dataset, 'dataset', dataset))      # a negative-audio wrapper: its images
    return protocol_block(bench, metrics, checkpoint, n_ids=n_ids, trains=checkpoint is not None)


def write_results(runner, metrics: Dict[str, float], out: str, bench: str, checkpoint: Optional[str] = None,
                  ogl: bool = False, label: Optional[str] = None, negatives: Optional[dict] = None,
                  protocol: Optional[dict] = None) -> List[str]:
    """Write ``metrics`` and their ``protocol`` block to ``out`` (JSON) and a Markdown table
    beside it (``.md``, the protocol as a line under it); with
    ``negatives`` also the histogram of the maps' maxima and minima (``<out>_negatives.png``) and
    those per-image values (``<out>_negatives.npz``). Only rank 0 writes (under torchrun it holds
    the gathered metrics). A folder that cannot be written is one :class:`AvzooError`. Returns the
    paths written."""
    if not is_main_process():
        return []
    from avzoo.evaluation.tables import results_markdown
    stem = os.path.splitext(out)[0]
    written = [out, stem + '.md']
    try:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        from avzoo.protocol.provenance import protocol_line
        write_atomic(out, json.dumps(dict(bench=bench, checkpoint=checkpoint, ogl=ogl, metrics=metrics,
                                          protocol=protocol), indent=1))
        title = f'{bench}' + (' (+OGL)' if ogl else '') + (f' - {checkpoint}' if checkpoint else '')
        table = results_markdown({label or 'model': metrics}, title) + '\n'
        if protocol is not None:
            table += f'\nProtocol: {protocol_line(protocol)}\n'
        if negatives is not None:
            from avzoo.evaluation.tables import negatives_markdown
            table += '\n' + negatives_markdown(metrics, f'{title}: negative audio') + '\n'
        write_atomic(stem + '.md', table)
        if negatives is not None:
            _write_negative_figure(runner, metrics, stem + '_negatives', f"{label or 'model'}: {title}")
            written += [stem + '_negatives.png', stem + '_negatives.npz']
    except OSError as exc:
        raise AvzooError(f'could not write the results to {out} ({exc.strerror or exc}); the metrics were '
                         f'computed (printed above); choose a writable --out') from None
    return written


def _write_negative_figure(runner, metrics: Dict[str, float], stem: str, title: str) -> None:
    """The per-image maxima / minima of the negative-audio metric as ``.npz`` and a histogram."""
    import numpy as np

    from avzoo.evaluation.metrics import NegativeAudioMetric
    from avzoo.visualization import save_figure
    from avzoo.visualization.plots import negative_histograms
    metric = next(m for m in runner.test_loop.evaluator.metrics if isinstance(m, NegativeAudioMetric))
    dist = {k: v.numpy() for k, v in metric.distributions.items()}
    np.savez(stem + '.npz', **dist)
    save_figure(negative_histograms(dist, title, metrics.get('threshold'), metrics.get('sep_thr_all')), stem + '.png')
