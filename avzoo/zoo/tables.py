"""Markdown rendered from the metafiles: the README's methods and results tables and the generated
blocks of each method's card (its recipe and its results). ``tools/update_readme.py`` writes them
between ``<!-- zoo:NAME -->`` and ``<!-- /zoo:NAME -->``; a test checks the files hold exactly these."""
from __future__ import annotations

import functools
import os
import re
from typing import Any, Callable, Dict, List, Optional

import yaml

from avzoo.utils.errors import AvzooError
from avzoo.zoo.metafile import PACKAGE_CONFIGS, PROTOCOL_KEYS, MethodSpec, load_metafile, methods

REPO_ROOT = os.path.dirname(os.path.dirname(PACKAGE_CONFIGS))   # where README.md is, in a checkout
RESULT_COLUMNS = (('ciou', 'cIoU'), ('auc', 'AUC'), ('iiou', 'IIoU'), ('iauc', 'IAUC'))
METRIC_ORDER = ('ciou', 'auc', 'ciou_adap', 'auc_adap', 'iiou', 'iauc', 'iiou_adap', 'iauc_adap')
METRIC_LABELS = ('cIoU', 'AUC', 'cIoU adap', 'AUC adap', 'IIoU', 'IAUC', 'IIoU adap', 'IAUC adap')


def package_methods() -> List[MethodSpec]:
    return [s for s in methods().values() if s.metafile.startswith(PACKAGE_CONFIGS)]


def row_label(spec: MethodSpec, domain: str = 'synth') -> str:
    """The label of a method's result row: its label, with the result's note in brackets."""
    note = (spec.results.get(domain) or {}).get('note')
    return f'{spec.label} ({note})' if note else spec.label


def _card_link(spec: MethodSpec, start: str) -> str:
    return os.path.relpath(spec.card, start).replace(os.sep, '/')


def methods_markdown(start: str = REPO_ROOT) -> str:
    """The README's methods table (links relative to ``start``, the README's folder)."""
    def rel(path: Optional[str]) -> str:
        return f'`{os.path.relpath(path, PACKAGE_CONFIGS)}`' if path else '-'
    lines = ['| `--method` | paper | objective | configs (`avzoo/configs/`): synth / real |', '|---|---|---|---|']
    for s in package_methods():
        paper = f'{s.paper.get("title", "")} ({s.paper.get("venue")})' if s.paper.get('venue', '-') != '-' else 'floor'
        name = f'[`{s.name}`]({_card_link(s, start)})'
        lines.append(f'| {name} | {paper} | {s.about} | {rel(s.configs.get("synth"))} / {rel(s.configs.get("real"))} |')
    return '\n'.join(lines)


def results_markdown(domain: str = 'synth', start: str = REPO_ROOT) -> str:
    """The README's results table: every method's recorded result, with its card."""
    lines = ['| Method | ' + ' | '.join(label for _, label in RESULT_COLUMNS) + ' | card |',
             '|---|' + '---:|' * len(RESULT_COLUMNS) + '---|']
    for s in package_methods():
        result = s.results.get(domain)
        if not result:
            continue
        cells = ' | '.join(f'{result["metrics"][k]:.1f}' for k, _ in RESULT_COLUMNS)
        lines.append(f'| {row_label(s, domain)} | {cells} | [{s.name}]({_card_link(s, start)}) |')
    protocols = {tuple(s.results[domain]['protocol'][k] for k in PROTOCOL_KEYS)
                 for s in package_methods() if s.results.get(domain) and s.trains}
    for test, train, overlap, selection in sorted(protocols):
        lines.append(f'\nProtocol of the trained rows: tested on {test}; trained on {train}; test clips in training: '
                     f'{overlap}; selection: {selection}.')
    return '\n'.join(lines)


def folder_methods(folder: str) -> List[MethodSpec]:
    """The methods declared by the metafile of ``folder``."""
    meta = os.path.join(folder, 'metafile.yml')
    return [s for s in methods().values() if os.path.samefile(s.metafile, meta)]


def card_results_markdown(folder: str) -> str:
    """A card's results block: each method's recorded results with the command and protocol."""
    lines = ['| Method | data | ' + ' | '.join(METRIC_LABELS) + ' |', '|---|---|' + '---:|' * len(METRIC_ORDER)]
    notes = []
    for s in folder_methods(folder):
        for domain, result in s.results.items():
            cells = ' | '.join(f'{result["metrics"][k]:.1f}' for k in METRIC_ORDER)
            lines.append(f'| {row_label(s, domain)} | {domain} | {cells} |')
            p = result['protocol']
            notes.append(f'- {row_label(s, domain)}, {result["date"]}: `{result["command"]}`. Tested on {p["test"]}; '
                         f'trained on {p["train"]}; test clips in training: {p["overlap"]}; selection: {p["selection"]}.')
    if not notes:
        return 'No recorded results: this method is not trained on avzoo-synth here.'
    return '\n'.join(lines + [''] + notes)


def _cell(value: Any) -> str:
    return '`' + yaml.safe_dump(value, default_flow_style=True, width=1000).strip().removesuffix('...').strip() + '`'


def recipe_markdown(folder: str) -> str:
    """A card's recipe block: every pinned constant of its real-data configs with its source."""
    recipes: Dict[str, list] = load_metafile(os.path.join(folder, 'metafile.yml')).get('recipes') or {}
    if not recipes:
        return 'No real-data recipe is pinned for this method.'
    lines = []
    for config, rows in recipes.items():
        lines += [f'`avzoo/configs/{config}`', '', '| key | value | source |', '|---|---|---|']
        lines += [f'| `{r["key"]}` | {_cell(r["value"])} | {r["source"]} |' for r in rows] + ['']
    return '\n'.join(lines).rstrip()


def render_blocks(text: str, blocks: Dict[str, Callable[[], str]], where: str) -> str:
    """``text`` with every ``<!-- zoo:NAME -->`` ... ``<!-- /zoo:NAME -->`` block of ``blocks``
    rendered anew; a missing block is one error naming the file (``where``) and the block."""
    for name, render in blocks.items():
        pattern = re.compile(rf'(<!-- zoo:{name} -->\n)(?:.*?\n)?(<!-- /zoo:{name} -->)', re.S)
        if not pattern.search(text):
            raise AvzooError(f'{where} has no <!-- zoo:{name} --> ... <!-- /zoo:{name} --> block')
        text = pattern.sub(lambda m: m.group(1) + render() + '\n' + m.group(2), text)
    return text


def generated_files(repo: str = REPO_ROOT) -> Dict[str, Dict[str, Callable[[], str]]]:
    """Every file with generated blocks and how to render them: the README's tables and each
    package method folder's card (its recipe and results)."""
    files: Dict[str, Dict[str, Callable[[], str]]] = {
        os.path.join(repo, 'README.md'): {'methods': methods_markdown, 'results': results_markdown}}
    for folder in sorted({os.path.dirname(s.metafile) for s in package_methods()}):
        blocks: Dict[str, Callable[[], str]] = {'results': functools.partial(card_results_markdown, folder)}
        if load_metafile(os.path.join(folder, 'metafile.yml')).get('recipes'):
            blocks['recipe'] = functools.partial(recipe_markdown, folder)
        files[os.path.join(folder, 'README.md')] = blocks
    return files
