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
from rich.progress import Progress
from rich.table import Table

from avzoo.datasets.media import load_frame
from avzoo.datasets.synth import SynthConfig, generate
from avzoo.engine.api import evaluate, last_checkpoint, train
from avzoo.engine.config import build_runner, load_config, set_epochs
from avzoo.errors import AvzooError
from avzoo.zoo import METHODS, method_config

BENCHES = ('synth_single', 'synth_interactive')
COLUMNS = (('synth_single', 'ciou', 'cIoU'), ('synth_single', 'auc', 'AUC'),
           ('synth_single', 'ciou_adap', 'cIoU adap'), ('synth_single', 'auc_adap', 'AUC adap'),
           ('synth_interactive', 'iiou', 'IIoU'), ('synth_interactive', 'iauc', 'IAUC'),
           ('synth_interactive', 'iiou_adap', 'IIoU adap'), ('synth_interactive', 'iauc_adap', 'IAUC adap'))
LABELS = {'ours': 'Ours (sup. NN)', 'ours_previs': 'Ours (sup. NN, Pre. Vis.)',
          'lvs': 'LVS', 'ezvsl': 'EZ-VSL', 'marginnce': 'MarginNCE', 'slavc': 'SLAVC', 'fnac': 'FNAC',
          'centre_prior': 'Floor: centre', 'objectness': 'Floor: objectness'}


def results_table(results: Dict[str, Dict[str, Dict[str, float]]]) -> Table:
    table = Table(title='avzoo-synth: single (cIoU/AUC) and interactive (IIoU/IAUC), %')
    table.add_column('Method', no_wrap=True)
    for _, _, label in COLUMNS:
        table.add_column(label, justify='right', min_width=4)
    for name, per_bench in results.items():
        table.add_row(LABELS.get(name, name), *[f'{per_bench[b][k]:.1f}' for b, k, _ in COLUMNS])
    return table


def results_markdown(results: Dict[str, Dict[str, Dict[str, float]]]) -> str:
    lines = ['| Method | ' + ' | '.join(label for _, _, label in COLUMNS) + ' |',
             '|---|' + '---:|' * len(COLUMNS)]
    for name, per_bench in results.items():
        lines.append(f'| {LABELS.get(name, name)} | ' + ' | '.join(f'{per_bench[b][k]:.1f}' for b, k, _ in COLUMNS) + ' |')
    return '\n'.join(lines)


@torch.no_grad()
def interactive_figure(cfg, checkpoint: str, data_root: str, path: str, n_images: int = 6) -> str:
    """Rows: frame with both GT boxes | map for sound A (+ A's box) | map for sound B (+ B's box)."""
    from avzoo.engine.api import test_config
    from avzoo.visualization import captioned, overlay, save_grid
    tcfg = test_config(cfg, 'synth_interactive', checkpoint, data_root)
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
        frame = load_frame(dataset.items[idxs[0]]['frame']).permute(1, 2, 0).numpy()
        frame = np.ascontiguousarray(frame)
        boxes = [dataset.items[i]['box'] for i in idxs]
        both = frame.copy()
        for box in boxes:
            both = overlay(both, np.zeros((2, 2)), alpha=0.0, box=box)
        row = [captioned(both, group)]
        for i, pred in zip(idxs, preds):
            sound = dataset.items[i]['id'].split('_')[-1]
            row.append(captioned(overlay(frame, pred['heatmap'].numpy(), box=dataset.items[i]['box']),
                                 f'sound: {sound}'))
        rows.append(row)
    save_grid(rows, path)
    return path


def ensure_supervised_encoders(data_root: str) -> None:
    """The objectness floor uses the supervised synth encoders that the alignment config's mining
    hook trains on the labelled `pretrain` split; train them (cached) when the demo's method does
    not mine."""
    from mmengine.registry import init_default_scope

    from avzoo.registry import MINERS
    ours = load_config(METHODS['ours']['config'], data_root=data_root)
    hook = next(h for h in ours.custom_hooks if h['type'] == 'PositiveMiningHook')
    init_default_scope('avzoo')
    MINERS.build(hook['features']).train()


def run_demo(data_root: str = 'data/avzoo-synth', work_dir: str = 'work_dirs/demo', size: str = 'default',
             epochs: Optional[int] = None, options: Sequence[str] = (), console: Optional[Console] = None,
             method: str = 'ours') -> dict:
    console = console or Console()
    if not method_config(method)['trained']:
        trained = ', '.join(n for n, spec in METHODS.items() if spec['trained'])
        raise AvzooError(f'the demo trains a method; {method!r} is a floor with nothing to train (choose one of: {trained})')
    t0 = time.time()
    with Progress(console=console, transient=True) as progress:
        meta = generate(data_root, SynthConfig.preset(size), progress=progress)
    console.print(f'[bold]avzoo-synth[/] at {data_root}: {meta["counts"]} ({time.time() - t0:.0f} s)')

    cfg = load_config(method_config(method)['config'], options, data_root=data_root,
                      work_dir=os.path.join(work_dir, method))
    if epochs is not None:
        set_epochs(cfg, epochs)
    t1 = time.time()
    train(cfg)
    ckpt = last_checkpoint(cfg.work_dir)
    console.print(f'[bold]trained[/] {method} in {time.time() - t1:.0f} s -> {ckpt}')

    ensure_supervised_encoders(data_root)
    results: Dict[str, Dict[str, Dict[str, float]]] = {}
    for name in (method, 'centre_prior', 'objectness'):
        mcfg = cfg if name == method else load_config(METHODS[name]['config'], data_root=data_root,
                                                      work_dir=os.path.join(work_dir, name))
        results[name] = {b: evaluate(mcfg, b, ckpt if name == method else None, data_root) for b in BENCHES}
    figure = interactive_figure(cfg, ckpt, data_root, os.path.join(work_dir, 'heatmaps_interactive.png'))

    console.print(results_table(results))
    with open(os.path.join(work_dir, 'results.json'), 'w') as f:
        json.dump(dict(results=results, checkpoint=ckpt, synth=meta['config'],
                       seconds=round(time.time() - t0, 1)), f, indent=1)
    with open(os.path.join(work_dir, 'results.md'), 'w') as f:
        f.write(results_markdown(results) + '\n')
    console.print(f'figure: {figure}\nresults: {os.path.join(work_dir, "results.json")} '
                  f'(total {time.time() - t0:.0f} s)')
    return results
