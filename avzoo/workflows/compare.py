"""``avzoo compare``: every trainable method of the zoo trained on the same avzoo-synth data with the
same budget, then scored on every synth benchmark, with and without OGL, beside the floors.

Resumable: a method whose final checkpoint exists is not retrained (a partial run resumes), and a
scored (method, OGL) pair keeps its ``scores*.json`` (keyed by its checkpoint). One table is printed
and written as ``<work_dir>/compare.md`` / ``.json``; ``--readme`` / ``--cards`` write it between
``<!-- compare:start -->`` and ``<!-- compare:end -->`` in the README and in every method's card
(the README of its folder), and ``--figures DIR`` draws the figures of ``avzoo viz`` and each
method's negative-audio histogram there.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from rich.console import Console
from rich.table import Table

from avzoo.utils.errors import AvzooError
from avzoo.utils.io import write_atomic, write_marked_block

# (benchmark, key, column label); the negative-audio columns come from synth_single --negatives.
COLUMNS: Tuple[Tuple[str, str, str], ...] = (
    ('synth_single', 'ciou', 'cIoU'), ('synth_single', 'auc', 'AUC'),
    ('synth_single', 'ciou_adap', 'cIoU adap.'), ('synth_single', 'auc_adap', 'AUC adap.'),
    ('synth_interactive', 'iiou', 'IIoU'), ('synth_interactive', 'iauc', 'IAUC'),
    ('synth_ext', 'ap', 'AP'), ('synth_ext', 'max_f1', 'max-F1'),
    ('synth_retrieval', 'a2i_r1', 'A→I R@1'), ('synth_retrieval', 'a2i_r5', 'R@5'), ('synth_retrieval', 'a2i_r10', 'R@10'),
    ('synth_single', 'pia_offscreen', 'pIA off-screen @0.5'), ('synth_single', 'pia_offscreen_adap', 'pIA off-screen adap.'),
    ('synth_single', 'sep_acc_all', 'max separates neg. (%)'))
BENCHES = ('synth_single', 'synth_interactive', 'synth_ext', 'synth_retrieval')
OGL_BENCHES = ('synth_single', 'synth_interactive', 'synth_ext')     # OGL changes maps, not embeddings
FLOORS = ('centre_prior', 'objectness')


def trainable_methods() -> List[str]:
    from avzoo.zoo import methods
    return [name for name, spec in methods().items() if spec.trains and 'synth' in spec.configs]


def train_method(name: str, data_root: str, work_dir: str, epochs: int, console: Console,
                 options: Sequence[str] = ()) -> Tuple[str, float]:
    """Train (or resume, or skip when finished) -> (final checkpoint, seconds spent now)."""
    from avzoo.engine.config import load_config, set_epochs
    from avzoo.workflows.train import train
    from avzoo.zoo import get_method
    spec = get_method(name)
    spec.import_modules()
    work = os.path.join(work_dir, name)
    final = os.path.join(work, f'epoch_{epochs}.pth')
    if os.path.isfile(final):
        console.print(f'{name}: trained ({final})')
        return final, 0.0
    cfg = load_config(spec.config('synth'), options, data_root=data_root, work_dir=work)
    set_epochs(cfg, epochs)
    cfg.resume = os.path.isfile(os.path.join(work, 'last_checkpoint'))
    t = time.time()
    console.print(f'{name}: training {epochs} epochs' + (' (resuming)' if cfg.resume else ''))
    train(cfg)
    if not os.path.isfile(final):
        raise AvzooError(f'{name}: training ended without {final}')
    return final, time.time() - t


def score_method(name: str, checkpoint: Optional[str], data_root: str, work_dir: str, ogl: bool,
                 options: Sequence[str] = ()) -> Dict[str, dict]:
    """``{bench: metrics}`` for one (method, OGL) pair; cached in ``scores[_ogl].json``."""
    from avzoo.engine.config import load_config
    from avzoo.workflows.evaluate import evaluate
    from avzoo.zoo import get_method
    work = os.path.join(work_dir, name)
    os.makedirs(work, exist_ok=True)
    cache = os.path.join(work, 'scores_ogl.json' if ogl else 'scores.json')
    if os.path.isfile(cache):
        with open(cache) as f:
            cached = json.load(f)
        if cached.get('checkpoint') == checkpoint:
            return cached['scores']
    cfg = load_config(get_method(name).config('synth'), options, data_root=data_root, work_dir=work)
    scores = {}
    for bench in (OGL_BENCHES if ogl else BENCHES):
        out = os.path.join(work, 'eval', f'{bench}{"_ogl" if ogl else ""}.json')
        negatives = dict(seed=0) if bench == 'synth_single' else None
        scores[bench] = evaluate(cfg, bench, checkpoint, data_root, out, ogl=ogl, label=name, negatives=negatives)
    write_atomic(cache, json.dumps(dict(checkpoint=checkpoint, scores=scores), indent=1))
    return scores


def compare_protocols(results: Dict[str, Dict[str, dict]], checkpoints: Dict[str, Optional[str]]) -> Dict[str, dict]:
    """The protocol block of every (row, benchmark) of the table."""
    from avzoo.workflows.evaluate import result_protocol
    return {key: {bench: result_protocol(bench, metrics, checkpoints.get(key.partition('+')[0]))
                  for bench, metrics in scores.items()} for key, scores in results.items()}


def protocol_notes(protocols: Dict[str, Dict[str, dict]]) -> List[str]:
    """The table's protocol in a few lines: each benchmark's subset and counts, then each distinct
    (training list, overlap, selection) with the rows it holds for."""
    from avzoo.zoo import label
    tests, trainings = {}, {}
    for key, per_bench in protocols.items():
        for bench, block in per_bench.items():
            t, s = block['test_subset'], block['samples']
            tests.setdefault(bench, set()).add(f"{bench}: {t['n_ids']} ids, {s['n_scored']} scored, "
                                               f"{s['n_skipped']} skipped")
            tr, sel = block['training'], block['selection']
            if tr.get('list') is None:
                continue
            ov = tr['overlap']
            ov = f"{ov.get('clips')} clips / {ov.get('videos')} videos" if isinstance(ov, dict) else ov
            what = f"trained on {tr['list']} ({tr.get('n_train')} clips); test clips in training on {bench}: {ov}; " \
                   f"selection: {sel.get('about')}"
            trainings.setdefault(what, []).append(label(key.partition('+')[0]))
    lines = ['Tested on ' + '; '.join(sorted(x for v in tests.values() for x in v)) + '.']
    for what, rows in sorted(trainings.items()):
        rows = sorted(set(rows))
        lines.append(f"{', '.join(rows) if len(rows) < 4 else 'every trained row'}: {what}.")
    return lines


def _cell(scores: Dict[str, dict], bench: str, key: str) -> str:
    value = scores.get(bench, {}).get(key)
    return '-' if value is None else f'{value:.1f}'


def compare_rows(results: Dict[str, Dict[str, dict]]) -> List[Tuple[str, List[str]]]:
    """(row label, cells) in table order: each method, then the method + OGL, then the floors."""
    from avzoo.zoo import label
    rows = []
    for key, scores in results.items():
        name, _, ogl = key.partition('+')
        rows.append((label(name) + (' + OGL' if ogl else ''), [_cell(scores, b, k) for b, k, _ in COLUMNS]))
    return rows


def compare_markdown(results: Dict[str, Dict[str, dict]], names: Optional[Sequence[str]] = None) -> str:
    """The table (only the rows of ``names`` and the floors when given)."""
    keep = {k: v for k, v in results.items() if names is None or k.partition('+')[0] in set(names) | set(FLOORS)}
    lines = ['| Method | ' + ' | '.join(c for _, _, c in COLUMNS) + ' |', '|---|' + '---:|' * len(COLUMNS)]
    lines += [f'| {lab} | ' + ' | '.join(cells) + ' |' for lab, cells in compare_rows(keep)]
    return '\n'.join(lines)


TERMINAL_PARTS = ((0, 6, 'localisation'), (6, 11, 'extended and retrieval'), (11, len(COLUMNS), 'negative audio'))


def compare_tables(results: Dict[str, Dict[str, dict]]) -> List[Table]:
    """The table for an 80-column terminal, in three parts (localisation; extended and retrieval;
    negative audio)."""
    rows = compare_rows(results)
    tables = []
    for lo, hi, what in TERMINAL_PARTS:
        table = Table(title=f'avzoo compare, {what} (%): avzoo-synth, same data, encoders and budget')
        table.add_column('Method', no_wrap=True)
        for _, _, c in COLUMNS[lo:hi]:
            table.add_column(c, justify='right')
        for lab, cells in rows:
            table.add_row(lab, *cells[lo:hi])
        tables.append(table)
    return tables


def write_cards(results: Dict[str, Dict[str, dict]], names: Sequence[str], console: Console,
                card_of: Optional[Callable[[str], str]] = None) -> List[str]:
    """Each method's rows (and the floors') into its card, the README of its folder, between
    ``<!-- compare:start/end -->``; a card without that block is named and left alone. Returns the
    cards written."""
    from avzoo.zoo import get_method
    card_of = card_of or (lambda name: get_method(name).card)
    by_card: Dict[str, List[str]] = {}
    for name in names:
        card = card_of(name)
        text = open(card).read() if os.path.isfile(card) else ''
        if '<!-- compare:start -->' in text:
            by_card.setdefault(card, []).append(name)
        else:
            console.print(f'card of {name}: no <!-- compare:start --> block in {card}, not written', highlight=False)
    for card, card_names in by_card.items():
        write_marked_block(card, 'compare', compare_markdown(results, card_names), 'comparison')
    return list(by_card)


def run_compare(data_root: str = 'data/avzoo-synth', work_dir: str = 'work_dirs/compare', epochs: int = 5,
                only: Sequence[str] = (), readme: Optional[str] = None, cards: bool = False,
                figures: Optional[str] = None, console: Optional[Console] = None, size: str = 'default',
                options: Sequence[str] = (), force: bool = False) -> Dict[str, Dict[str, dict]]:
    """Generate avzoo-synth (``size``, cached), train and score every method (``only``: a subset),
    print and write the table; ``options``: config overrides for every method's training
    (``--cfg-options``; scoring uses the configs as shipped)."""
    from avzoo.datasets.synth import ensure as ensure_synth
    from avzoo.utils.terminal import make_console
    from avzoo.workflows.demo import ensure_supervised_encoders
    console = console or make_console()
    names = list(only) or trainable_methods()
    unknown = [n for n in names if n not in trainable_methods()]
    if unknown:
        raise AvzooError(f'--only {unknown}: not trainable methods with a synth config ({", ".join(trainable_methods())})')
    t0 = time.time()
    ensure_synth(data_root, size, force)
    checkpoints, train_seconds = {}, {}
    for name in names:
        checkpoints[name], train_seconds[name] = train_method(name, data_root, work_dir, epochs, console, options)
    ensure_supervised_encoders(data_root)
    results: Dict[str, Dict[str, dict]] = {}
    for name in names:
        results[name] = score_method(name, checkpoints[name], data_root, work_dir, False)
        results[f'{name}+ogl'] = score_method(name, checkpoints[name], data_root, work_dir, True)
    for name in FLOORS:
        results[name] = score_method(name, None, data_root, work_dir, False)
    for table in compare_tables(results):
        console.print(table)
    protocols = compare_protocols(results, checkpoints)
    notes = protocol_notes(protocols)
    console.print('protocol: ' + ' '.join(notes), highlight=False)
    markdown = compare_markdown(results) + '\n\nProtocol (avzoo compare, from each result\'s protocol block):\n' + \
        '\n'.join(f'- {n}' for n in notes)
    write_atomic(os.path.join(work_dir, 'compare.md'), markdown + '\n')
    if readme:
        write_marked_block(readme, 'compare', markdown, 'comparison')
    if cards:
        write_cards(results, list(names) + list(FLOORS), console)
    if figures:
        from avzoo.workflows.viz import FIGURES, make_figures
        runs = [(n, checkpoints[n]) for n in names] + [(f, None) for f in FLOORS]
        make_figures(runs, FIGURES, 'synth_single', figures, 'synth_interactive', data_root)
        for name in names:
            src = os.path.join(work_dir, name, 'eval', 'synth_single_negatives.png')
            if os.path.isfile(src):
                shutil.copyfile(src, os.path.join(figures, f'negatives_{name}.png'))
    seconds = time.time() - t0
    write_atomic(os.path.join(work_dir, 'compare.json'),
                 json.dumps(dict(epochs=epochs, checkpoints=checkpoints, train_seconds=train_seconds,
                                 seconds=round(seconds, 1), results=results, protocols=protocols), indent=1))
    console.print(f'compare: {len(names)} methods, {epochs} epochs each; this run {seconds / 60:.1f} min, of which '
                  f'training {sum(train_seconds.values()) / 60:.1f} min (finished methods are not retrained) '
                  f'-> {work_dir}/compare.md')
    return results
