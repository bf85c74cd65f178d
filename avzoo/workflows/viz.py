"""``avzoo viz``: the paper's figures for a set of trained methods, written as PNG files and, with
the ``tensorboard`` backend, logged through MMEngine's ``TensorboardVisBackend``."""
from __future__ import annotations

import os
from typing import Dict, Optional, Sequence, Tuple

from avzoo.utils.errors import AvzooError

FIGURES = ('thresholds', 'grid', 'interactive', 'curves')
# Image grids as JPEG (photographs compress ~10x better), plots as PNG.
FILE_NAMES = {'thresholds': 'thresholds_by_size.png', 'grid': 'qualitative_grid.jpg',
              'interactive': 'interactive_grid.jpg', 'curves': 'success_curves.png'}


def parse_run(text: str) -> Tuple[str, Optional[str]]:
    """``METHOD`` or ``METHOD=CHECKPOINT`` -> (method, checkpoint or None)."""
    from avzoo.zoo import get_method
    method, _, checkpoint = text.partition('=')
    spec = get_method(method)                      # an unknown method is one clear error
    if spec.trains and not checkpoint:
        raise AvzooError(f'--run {text}: {method} is trained; give its weights as {method}=CHECKPOINT')
    if checkpoint and not os.path.isfile(checkpoint):
        raise AvzooError(f'--run {text}: checkpoint not found: {checkpoint}')
    return method, checkpoint or None


def log_to_tensorboard(paths: Dict[str, str], log_dir: str) -> None:
    """Every written figure as an image in a TensorBoard log (MMEngine's TensorboardVisBackend)."""
    try:
        import tensorboard  # noqa: F401
    except ImportError:
        raise AvzooError("--backend tensorboard needs the tensorboard package (pip install 'avzoo[tensorboard]')") from None
    import numpy as np
    from mmengine.visualization import TensorboardVisBackend
    from PIL import Image
    backend = TensorboardVisBackend(save_dir=log_dir)
    for name, path in paths.items():
        backend.add_image(name, np.asarray(Image.open(path).convert('RGB')), step=0)
    backend.close()


def make_figures(runs: Sequence[Tuple[str, Optional[str]]], figures: Sequence[str], bench: str, out_dir: str,
                 interactive_bench: Optional[str] = None, data_root=None, samples: int = 5,
                 image: str = 'first', ogl: bool = False, backends: Sequence[str] = ('local',),
                 log_dir: Optional[str] = None) -> Dict[str, str]:
    """Predict ``bench`` (and ``interactive_bench`` for the interactive grid) with every run and
    write ``figures`` under ``out_dir``; returns {figure: path}."""
    from avzoo.visualization import save_figure
    from avzoo.visualization import zoo_figures as zf
    from avzoo.workflows.runs import run_benchmark
    unknown = set(figures) - set(FIGURES)
    if unknown:
        raise AvzooError(f'unknown figure(s) {sorted(unknown)}; choose from {FIGURES}')
    if not runs:
        raise AvzooError('give at least one --run METHOD[=CHECKPOINT]')
    os.makedirs(out_dir, exist_ok=True)
    written: Dict[str, str] = {}
    single = [f for f in figures if f != 'interactive']
    if single:
        predicted = [run_benchmark(m, c, bench, data_root, keep_spaced=samples if 'grid' in single else 0, ogl=ogl)
                     for m, c in runs]
        indices = sorted(predicted[0].heatmaps)
        makers = dict(thresholds=lambda: zf.thresholds_figure(predicted),
                      grid=lambda: zf.qualitative_figure(predicted, indices),
                      curves=lambda: zf.curves_figure(predicted))
        for name in single:
            written[name] = save_figure(makers[name](), os.path.join(out_dir, FILE_NAMES[name]),
                                        dpi=80 if name == 'grid' else 110)
    if 'interactive' in figures:
        ibench = interactive_bench or bench
        predicted = [run_benchmark(m, c, ibench, data_root, keep_group=image, ogl=ogl) for m, c in runs]
        indices = sorted(predicted[0].heatmaps)
        sounds = [predicted[0].kept_ids[i].split('_')[-1] for i in indices]
        written['interactive'] = save_figure(zf.interactive_figure(predicted, indices, sounds),
                                             os.path.join(out_dir, FILE_NAMES['interactive']), dpi=90)
    written['protocol'] = write_protocols(runs, [b for b in (bench if single else None,
                                                             interactive_bench or bench if 'interactive' in figures
                                                             else None) if b], out_dir)
    if 'tensorboard' in backends:
        log_to_tensorboard({k: v for k, v in written.items() if k != 'protocol'},
                           log_dir or os.path.join(out_dir, 'tensorboard'))
    return written


def write_protocols(runs: Sequence[Tuple[str, Optional[str]]], benches: Sequence[str], out_dir: str) -> str:
    """``protocol.json`` beside the figures: for every run and benchmark drawn, what its checkpoint
    was trained on (and its overlap with the benchmark) and selected by."""
    import json

    from avzoo.utils.io import write_atomic
    from avzoo.workflows.evaluate import result_protocol
    path = os.path.join(out_dir, 'protocol.json')
    blocks = {f'{m}={c}' if c else m: {b: result_protocol(b, {}, c) for b in dict.fromkeys(benches)} for m, c in runs}
    write_atomic(path, json.dumps(blocks, indent=1))
    return path
