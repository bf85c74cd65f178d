"""``avzoo demo``: avzoo-synth -> train the alignment method -> score it beside the two floors ->
print the table -> write heatmap figures (the same image with two different sounds)."""
from __future__ import annotations

import json
import os
import time
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from rich.console import Console
from rich.table import Table

from avzoo.datasets.media import load_frame
from avzoo.datasets.synth import ensure as ensure_synth
from avzoo.engine.config import load_config, set_epochs
from avzoo.engine.runner import build_runner
from avzoo.utils.errors import AvzooError
from avzoo.utils.terminal import make_console
from avzoo.workflows.evaluate import evaluate
from avzoo.workflows.train import last_checkpoint, train
from avzoo.zoo import get_method, methods
from avzoo.zoo import label as method_label

BENCHES = ('synth_single', 'synth_interactive')
COLUMNS = (('synth_single', 'ciou', 'cIoU'), ('synth_single', 'auc', 'AUC'),
           ('synth_single', 'ciou_adap', 'cIoU adap'), ('synth_single', 'auc_adap', 'AUC adap'),
           ('synth_interactive', 'iiou', 'IIoU'), ('synth_interactive', 'iauc', 'IAUC'),
           ('synth_interactive', 'iiou_adap', 'IIoU adap'), ('synth_interactive', 'iauc_adap', 'IAUC adap'))


def results_table(results: Dict[str, Dict[str, Dict[str, float]]]) -> Table:
    table = Table(title='avzoo-synth: single (cIoU/AUC) and interactive (IIoU/IAUC), %')
    table.add_column('Method', no_wrap=True)
    for _, _, label in COLUMNS:
        table.add_column(label, justify='right', min_width=4)
    for name, per_bench in results.items():
        table.add_row(method_label(name), *[f'{per_bench[b][k]:.1f}' for b, k, _ in COLUMNS])
    return table


def results_markdown(results: Dict[str, Dict[str, Dict[str, float]]]) -> str:
    lines = ['| Method | ' + ' | '.join(label for _, _, label in COLUMNS) + ' |',
             '|---|' + '---:|' * len(COLUMNS)]
    for name, per_bench in results.items():
        lines.append(f'| {method_label(name)} | ' + ' | '.join(f'{per_bench[b][k]:.1f}' for b, k, _ in COLUMNS) + ' |')
    return '\n'.join(lines)


@torch.no_grad()
def interactive_figure(cfg, checkpoint: str, data_root: str, path: str, title_label: str, n_images: int = 6) -> str:
    """Rows: the frame with both GT boxes | the map for sound A (+ A's box) | the map for sound B
    (+ B's box); titled with the method, with a colour scale and a legend for the boxes."""
    from avzoo.engine.benchmark_config import eval_config
    from avzoo.visualization import Panel, heatmap_figure, save_figure
    tcfg = eval_config(cfg, 'synth_interactive', checkpoint, data_root)
    tcfg.log_level = 'WARNING'
    runner = build_runner(tcfg)
    runner.load_checkpoint(checkpoint)
    model, dataset = runner.model.eval(), runner.test_dataloader.dataset
    by_group: Dict[str, List[int]] = {}
    for i, item in enumerate(dataset.items):
        by_group.setdefault(item['group'], []).append(i)
    rows = []
    for group, idxs in list(by_group.items())[:n_images]:
        batch = [dataset[i] for i in idxs]
        data = dict(inputs={k: torch.stack([b['inputs'][k] for b in batch]) for k in ('image', 'audio')},
                    data_samples={})
        preds = model.test_step(data)
        frame = np.ascontiguousarray(load_frame(dataset.items[idxs[0]]['frame']).permute(1, 2, 0).numpy())
        row = [Panel(frame, f'{group}: both sources', boxes=[dataset.items[i]['box'] for i in idxs])]
        for i, pred in zip(idxs, preds):
            sound = dataset.items[i]['id'].split('_')[-1]
            row.append(Panel(frame, f'map for sound: {sound}', pred['heatmap'].numpy(), [dataset.items[i]['box']]))
        rows.append(row)
    fig = heatmap_figure(rows, f'{title_label}: where each sound comes from (avzoo-synth, interactive split)',
                         'each row: one image played with two different sounds; a good map follows the sound')
    return save_figure(fig, path)


def ensure_supervised_encoders(data_root: str) -> None:
    """The objectness floor uses the supervised synth encoders that the alignment config's mining
    hook trains on the labelled `pretrain` split; train them (cached) when the demo's method does
    not mine."""
    from mmengine.registry import init_default_scope

    from avzoo.registry import FEATURE_SOURCES
    ours = load_config(get_method('alignment').config('synth'), data_root=data_root)
    hook = next(h for h in ours.custom_hooks if h['type'] == 'PositiveMiningHook')
    init_default_scope('avzoo')
    FEATURE_SOURCES.build(hook['features']).train()


def run_demo(data_root: str = 'data/avzoo-synth', work_dir: str = 'work_dirs/demo', size: str = 'default',
             epochs: Optional[int] = None, options: Sequence[str] = (), console: Optional[Console] = None,
             method: str = 'alignment', force: bool = False) -> dict:
    console = console or make_console()
    spec = get_method(method)
    if not spec.trains:
        trained = ', '.join(n for n, m in methods().items() if m.trains)
        raise AvzooError(f'the demo trains a method; {method!r} is a floor with nothing to train (choose one of: {trained})')
    t0 = time.time()
    meta = ensure_synth(data_root, size, force)
    console.print(f'avzoo-synth at {data_root}: {meta["counts"]} ({time.time() - t0:.0f} s)')

    spec.import_modules()
    cfg = load_config(spec.config('synth'), options, data_root=data_root,
                      work_dir=os.path.join(work_dir, method))
    if epochs is not None:
        set_epochs(cfg, epochs)
    t1 = time.time()
    train(cfg)
    ckpt = last_checkpoint(cfg.work_dir)
    console.print(f'trained {method} in {time.time() - t1:.0f} s -> {ckpt}')

    ensure_supervised_encoders(data_root)
    results: Dict[str, Dict[str, Dict[str, float]]] = {}
    for name in (method, 'centre_prior', 'objectness'):
        mcfg = cfg if name == method else load_config(get_method(name).config('synth'), data_root=data_root,
                                                      work_dir=os.path.join(work_dir, name))
        results[name] = {b: evaluate(mcfg, b, ckpt if name == method else None, data_root) for b in BENCHES}
    figure = interactive_figure(cfg, ckpt, data_root, os.path.join(work_dir, 'heatmaps_interactive.png'), method_label(method))

    console.print(results_table(results))
    from avzoo.protocol.provenance import protocol_line
    from avzoo.workflows.evaluate import result_protocol
    protocols = {b: result_protocol(b, results[method][b], ckpt) for b in BENCHES}
    lines = [f'{method_label(method)} - {protocol_line(p)}' for p in protocols.values()]
    console.print('protocol:\n' + '\n'.join(lines), highlight=False)
    with open(os.path.join(work_dir, 'results.json'), 'w') as f:
        json.dump(dict(results=results, checkpoint=ckpt, synth=meta['config'], protocols=protocols,
                       seconds=round(time.time() - t0, 1)), f, indent=1)
    with open(os.path.join(work_dir, 'results.md'), 'w') as f:
        f.write(results_markdown(results) + '\n\nProtocol:\n' + ''.join(f'- {line}\n' for line in lines))
    console.print(f'figure: {figure}\nresults: {os.path.join(work_dir, "results.json")} '
                  f'(total {time.time() - t0:.0f} s)')
    return results
