"""Evaluation behind ``avzoo eval``, the demo and the comparison: score a config on a benchmark,
attach the protocol block, write the results as JSON and Markdown."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from mmengine.config import Config
from mmengine.dist import is_main_process

from avzoo.engine.benchmark_config import eval_config
from avzoo.engine.config import config_errors
from avzoo.engine.runner import build_runner
from avzoo.utils.checkpoint import read_checkpoint
from avzoo.utils.errors import AvzooError
from avzoo.utils.io import write_atomic


def evaluate(cfg: Config, bench: str, checkpoint: Optional[str] = None, data_root: Optional[str] = None,
             out: Optional[str] = None, strict: bool = False, ogl: bool = False,
             label: Optional[str] = None, verbose: bool = False, negatives: Optional[dict] = None,
             keep_runner: bool = False):
    """Score ``cfg``'s model (weights from ``checkpoint``) on ``bench`` (media under ``data_root``,
    None: the benchmark's default). With ``out`` (a path ending in ``.json``) the results are
    written as :func:`write_results` says. Returns the metrics, or ``(metrics, runner)`` with
    ``keep_runner`` (to write them later with :func:`write_results`).
    Unless ``verbose``, the runner logs warnings only (skips stay visible; no config dump)."""
    tcfg = eval_config(cfg, bench, checkpoint, data_root, strict, ogl, negatives)
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


EVAL_DIR = os.path.join('work_dirs', 'eval')


def method_or_config(config: Optional[str], method: Optional[str], bench: str, checkpoint: Optional[str]) -> Tuple[str, str]:
    """``(config path, result name)`` of ``avzoo eval``: a CONFIG, or ``--method``'s synth or real
    config for the benchmark's domain (a trained method needs its checkpoint)."""
    from avzoo.engine.benchmark_config import method_config_path
    from avzoo.zoo import get_method
    if (config is None) == (method is None):
        raise AvzooError('give either a CONFIG or --method NAME')
    if method is not None:
        if get_method(method).trains and checkpoint is None:
            raise AvzooError(f'--method {method} needs --checkpoint PATH (weights of a trained model)')
        config = method_config_path(method, bench)
    return config, method or os.path.splitext(os.path.basename(config))[0]


@dataclass
class Evaluation:
    """One scored run of ``avzoo eval``: what it prints (``label``, ``metrics``, ``protocol``) and
    what :meth:`write` writes to ``out`` afterwards (so a failed write never loses the table)."""
    label: str
    bench: str
    metrics: Dict[str, float]
    protocol: dict
    out: str
    checkpoint: Optional[str]
    ogl: bool
    negatives: Optional[dict]
    runner: object = field(repr=False)

    def write(self) -> List[str]:
        return write_results(self.runner, self.metrics, self.out, self.bench, self.checkpoint, self.ogl, self.label,
                             self.negatives, protocol=self.protocol)


def evaluate_benchmark(config: Optional[str], method: Optional[str], bench: str, checkpoint: Optional[str] = None,
                       data_root=None, out: Optional[str] = None, options: Sequence[str] = (), strict: bool = False,
                       verbose: bool = False, ogl: bool = False, negatives: Optional[dict] = None) -> Optional[Evaluation]:
    """``avzoo eval``: score a config or a zoo method on ``bench`` and attach the result's protocol
    block; the results file defaults to ``work_dirs/eval/<name>[_<checkpoint>]_<bench>.json``.
    None on the ranks other than 0 under torchrun (rank 0 reports the gathered metrics)."""
    import avzoo  # noqa: F401  (registration)
    from avzoo.engine.benchmark_config import benchmark_config
    from avzoo.utils.paths import output_file
    config, name = method_or_config(config, method, bench, checkpoint)
    cfg, folder = benchmark_config(config, bench, data_root, list(options))
    suffix = f'_{bench}' + ('_ogl' if ogl else '') + ('_neg' if negatives else '')
    default = name + (f'_{os.path.splitext(os.path.basename(checkpoint))[0]}' if checkpoint else '') + suffix + '.json'
    label = name + (' + OGL' if ogl else '')
    metrics, runner = evaluate(cfg, bench, checkpoint, folder, None, strict, ogl, label, verbose, negatives=negatives,
                               keep_runner=True)
    if not is_main_process():
        return None
    return Evaluation(label, bench, metrics, result_protocol(bench, metrics, checkpoint, runner),
                      output_file(out, default, EVAL_DIR), checkpoint, ogl, negatives, runner)
