"""``avzoo ablate``: the alignment method's ablations (the paper's Tables VIII-XII) trained on
avzoo-synth with one budget and scored on the single and interactive splits, as one table.

Every variant is the synth config of ``ours`` with a few keys changed (:data:`VARIANTS`); runs
live in ``<work_dir>/<variant>/`` and a finished run (``result.json``) is never trained again, so
an interrupted ablation resumes where it stopped. The paper's VGG-SS numbers for a row, when
transcribed with their table reference in ``avzoo/configs/alignment/ablations.yml``, are printed beside
it and labelled as the paper's.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import yaml
from mmengine.config import Config
from rich.console import Console
from rich.table import Table

from avzoo.utils.errors import AvzooError

BENCH_COLUMNS = (('synth_single', 'ciou', 'cIoU'), ('synth_single', 'auc', 'AUC'),
                 ('synth_interactive', 'iiou', 'IIoU'), ('synth_interactive', 'iauc', 'IAUC'))
PAPER_FILE = os.path.join(os.path.dirname(__file__), 'configs', 'alignment', 'ablations.yml')


@dataclass(frozen=True)
class Variant:
    """One row: ``table`` (the paper's table it ablates), ``name`` (its folder), ``label`` and the
    config keys it changes (dotted, ``custom_hooks.0.miner.k`` style)."""
    table: str
    name: str
    label: str
    changes: Dict[str, object] = field(default_factory=dict)
    config: Optional[str] = None     # another synth config than ours' (a variant beyond the paper)


def _views(views: Sequence[str]) -> Dict[str, object]:
    return {'model.method.views': tuple(views)}          # the dataset follows the method


def _modalities(mods: Sequence[str]) -> Dict[str, object]:
    return {'model.method.positive_modalities': tuple(mods)}


# The full method (multi-view + semantic positives, both modalities, alignment term, random pick in
# the top-k, k scaled from the paper's 1000 @ 144K) is the reference row of every table.
FULL = Variant('VIII', 'full', 'full (multi-view + semantic, s_A, random top-k)')
VARIANTS: List[Variant] = [
    Variant('VIII', 'anchor_only', 'no extra positives', _views(())),
    Variant('VIII', 'multiview_only', 'multi-view positives only', _views(('aug',))),
    Variant('VIII', 'semantic_only', 'semantic positives only', _views(('nn',))),
    FULL,
    Variant('VIII', 'no_alignment', 'full without the alignment term s_A', {'model.method.use_alignment': False}),
    Variant('IX', 'image_positives', 'extra positives for the image only', _modalities(('image',))),
    Variant('IX', 'audio_positives', 'extra positives for the audio only', _modalities(('audio',))),
    Variant('X', 'k_3', 'k = 3', {'custom_hooks.0.miner.k': 3}),
    Variant('X', 'k_100', 'k = 100', {'custom_hooks.0.miner.k': 100}),
    Variant('XI', 'fixed_nearest', 'fixed nearest neighbour (k = 1)', {'train_dataloader.dataset.nn_sampling': 'fixed'}),
    Variant('XI', 'anchor_itself', 'anchor itself as the "semantic" positive',
            {'train_dataloader.dataset.nn_sampling': 'self'}),
    Variant('XII', 'intra_modal', 'full + intra-modal alignment term', {'model.method.intra_modal': True}),
    Variant('avzoo', 'online_nn', 'online positives from the model itself (no pre-trained encoders)',
            config='alignment/alignment_small_1xb32-online-nn-5e_synth.py'),
]
TABLES = {'VIII': 'semantic / multi-view positives, alignment term', 'IX': 'positives per modality',
          'X': 'number of neighbours k', 'XI': 'sampling among the neighbours', 'XII': 'intra-modal term',
          'avzoo': "beyond the paper: avzoo's online neighbour refresh"}


def variant_config(base: str, variant: Variant, data_root: str, work_dir: str, epochs: int,
                   options: Sequence[str] = ()) -> Config:
    """The alignment method's synth config with ``variant``'s changes, trained for ``epochs``; neighbour
    caches are shared between variants through one cache folder (their keys tell them apart)."""
    from avzoo.engine.config import compose, load_config, set_epochs
    cfg = load_config(base, options, data_root=data_root, work_dir=os.path.join(work_dir, variant.name))
    for key in variant.changes:
        node = cfg
        for part in key.split('.')[:-1]:
            node = node[int(part)] if isinstance(node, list) else node.get(part)
            if node is None:
                raise AvzooError(f'ablation {variant.name}: {base} has no key {key}')
    cfg.merge_from_dict(dict(variant.changes), allow_list_keys=True)
    compose(cfg)                          # the dataset follows the changed method
    for hook in cfg.get('custom_hooks', []):
        if hook.get('type') == 'PositiveMiningHook' and not hook.get('cache'):
            hook['cache_root'] = work_dir
    set_epochs(cfg, epochs)
    return cfg


def paper_numbers(path: str = PAPER_FILE) -> Dict[str, dict]:
    """``{variant: {'ciou': .., 'auc': .., 'source': 'Table VIII, row ..'}}`` from the transcribed
    file; rows without numbers are absent."""
    if not os.path.isfile(path):
        return {}
    with open(path) as f:
        rows = yaml.safe_load(f) or {}
    return {k: v for k, v in (rows.get('paper_vggss') or {}).items() if v and v.get('ciou') is not None}


def run_variant(cfg: Config, variant: Variant, data_root: str) -> dict:
    """Train (unless finished) and score one variant; returns and stores its result."""
    from avzoo.workflows.evaluate import evaluate
    from avzoo.workflows.train import last_checkpoint, train
    out = os.path.join(cfg.work_dir, 'result.json')
    if os.path.isfile(out):
        with open(out) as f:
            return json.load(f)
    t0 = time.time()
    train(cfg)
    ckpt = last_checkpoint(cfg.work_dir)
    seconds = time.time() - t0
    metrics = {bench: evaluate(cfg, bench, ckpt, data_root) for bench in dict.fromkeys(b for b, _, _ in BENCH_COLUMNS)}
    from avzoo.workflows.evaluate import result_protocol
    protocols = {bench: result_protocol(bench, m, ckpt) for bench, m in metrics.items()}
    result = dict(variant=variant.name, table=variant.table, changes={k: list(v) if isinstance(v, tuple) else v
                                                                      for k, v in variant.changes.items()},
                  epochs=cfg.train_cfg.max_epochs, checkpoint=ckpt, train_seconds=round(seconds, 1), metrics=metrics,
                  protocols=protocols)
    from avzoo.utils.io import write_atomic
    write_atomic(out, json.dumps(result, indent=1))
    return result


def ablation_markdown(results: Dict[str, dict], paper: Dict[str, dict]) -> str:
    """One Markdown table, grouped by the paper's table; avzoo-synth columns, then the paper's."""
    head = ['Table', 'Variant'] + [label for _, _, label in BENCH_COLUMNS] + ["paper VGG-SS cIoU / AUC (paper's)"]
    lines = ['| ' + ' | '.join(head) + ' |', '|---|---|' + '---:|' * len(BENCH_COLUMNS) + '---|']
    for v in [FULL] + [v for v in VARIANTS if v is not FULL]:
        if v.name not in results:
            continue
        m = results[v.name]['metrics']
        p = paper.get(v.name)
        ref = f"{p['ciou']:.2f} / {p['auc']:.2f} ({p['source']})" if p else 'not transcribed'
        lines.append(f'| {v.table} | {v.label} | ' + ' | '.join(f'{m[b][k]:.1f}' for b, k, _ in BENCH_COLUMNS)
                     + f' | {ref} |')
    return '\n'.join(lines)


def ablation_table(results: Dict[str, dict], paper: Dict[str, dict]) -> Table:
    table = Table(title='Ours on avzoo-synth: ablations (single cIoU/AUC, interactive IIoU/IAUC, %)')
    for col in ('Table', 'Variant'):
        table.add_column(col)
    for _, _, label in BENCH_COLUMNS:
        table.add_column(label, justify='right')
    table.add_column("paper VGG-SS (paper's)")
    for v in [FULL] + [v for v in VARIANTS if v is not FULL]:
        if v.name in results:
            m, p = results[v.name]['metrics'], paper.get(v.name)
            table.add_row(v.table, v.label, *[f'{m[b][k]:.1f}' for b, k, _ in BENCH_COLUMNS],
                          f"{p['ciou']:.2f}/{p['auc']:.2f}" if p else '-')
    return table


def write_card_section(card: str, markdown: str, command: str, epochs: int, seconds: float) -> None:
    """Replace the text between ``<!-- ablate:start -->`` and ``<!-- ablate:end -->`` in ``card``."""
    from avzoo.utils.io import write_marked_block
    body = (f'`{command}` ({epochs} epoch{"s" if epochs != 1 else ""} per variant, {seconds / 60:.0f} min '
            f'of training in all on this 2-core CPU, scoring not counted):\n\n{markdown}')
    write_marked_block(card, 'ablate', body, 'ablation table')


def run_ablation(data_root: str = 'data/avzoo-synth', work_dir: str = 'work_dirs/ablate', epochs: int = 2,
                 only: Optional[Sequence[str]] = None, options: Sequence[str] = (), card: Optional[str] = None,
                 console: Optional[Console] = None, size: str = 'default', force: bool = False) -> Dict[str, dict]:
    from avzoo.datasets.synth import ensure as ensure_synth
    from avzoo.utils.terminal import make_console
    from avzoo.zoo import get_method
    console = console or make_console()
    names = [v.name for v in VARIANTS]
    unknown = sorted(set(only or ()) - set(names))
    if unknown:
        raise AvzooError(f'unknown ablation variant(s) {unknown}; choose from {names}')
    ensure_synth(data_root, size, force)
    spec = get_method('alignment')
    base = spec.config('synth')
    t0 = time.time()
    results = {}
    for v in VARIANTS:
        if only and v.name not in only:
            continue
        cfg = variant_config(v.config or base, v, data_root, work_dir, epochs, options)
        console.print(f'{v.table} {v.name}: {v.label}')
        results[v.name] = run_variant(cfg, v, data_root)
    paper = paper_numbers()
    console.print(ablation_table(results, paper))
    from avzoo.protocol.provenance import protocol_line
    notes = sorted({protocol_line(p) for r in results.values() for p in (r.get('protocols') or {}).values()})
    console.print('protocol:\n' + '\n'.join(notes), highlight=False)
    markdown = ablation_markdown(results, paper) + ('\n\nProtocol of every variant:\n' +
                                                    ''.join(f'- {n}\n' for n in notes) if notes else '')
    with open(os.path.join(work_dir, 'ablation.md'), 'w') as f:
        f.write(markdown + '\n')
    if card:
        seconds = sum(r['train_seconds'] for r in results.values())
        write_card_section(card, markdown, f'avzoo ablate --epochs {epochs}', epochs, seconds)
    console.print(f'table: {os.path.join(work_dir, "ablation.md")} ({time.time() - t0:.0f} s this call)')
    return results
