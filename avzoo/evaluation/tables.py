"""Result tables in the shapes of the paper's tables, chosen by which metrics a run produced:
localisation (cIoU / AUC, + adaptive), interactive (IIoU / IAUC), segmentation (mIoU / F),
extended (AP / max-F1 / LocAcc, the paper's Table IV), retrieval (R@1/5/10 both ways, backbone
and projected) with the alignment analysis."""
from __future__ import annotations

from typing import Dict, List, Sequence, Tuple

Columns = Sequence[Tuple[str, str]]

LOCALIZATION: Columns = (('ciou', 'cIoU'), ('auc', 'AUC'), ('ciou_adap', 'cIoU adap.'), ('auc_adap', 'AUC adap.'))
INTERACTIVE: Columns = (('iiou', 'IIoU'), ('iauc', 'IAUC'), ('iiou_adap', 'IIoU adap.'), ('iauc_adap', 'IAUC adap.'))
SEGMENTATION: Columns = (('miou', 'mIoU'), ('fscore', 'F'), ('miou_adap', 'mIoU adap.'), ('fscore_adap', 'F adap.'))
EXTENDED: Columns = (('ap', 'AP'), ('max_f1', 'max-F1'), ('loc_acc', 'LocAcc'))
RETRIEVAL: Columns = tuple((f'{d}_r{k}', f'{"A→I" if d == "a2i" else "I→A"} R@{k}') for d in ('a2i', 'i2a')
                           for k in (1, 5, 10))
ALIGNMENT: Columns = (('alignment', 'Alignment'), ('alignment_std', '± std'), ('magnitude', 'Magnitude (gap)'))


def table_columns(metrics: Dict[str, float]) -> Columns:
    """The columns a metrics dict has, in table order."""
    cols: List[Tuple[str, str]] = []
    for group in (LOCALIZATION, INTERACTIVE, SEGMENTATION, EXTENDED, RETRIEVAL, ALIGNMENT):
        cols += [c for c in group if c[0] in metrics]
    return cols


def _fmt(v) -> str:
    return f'{v:.2f}' if isinstance(v, float) else str(v)


def results_markdown(rows: Dict[str, Dict[str, float]], title: str = '') -> str:
    """``{row label: metrics}`` -> a Markdown table (percent, two decimals); retrieval metrics
    with projected embeddings (``proj_*``) get their own row."""
    first = next(iter(rows.values()))
    cols = table_columns(first)
    lines = ([f'**{title}**', ''] if title else []) + \
        ['| Method | ' + ' | '.join(label for _, label in cols) + ' |', '|---|' + '---:|' * len(cols)]
    for label, m in rows.items():
        lines.append(f'| {label} | ' + ' | '.join(_fmt(m.get(k, '')) for k, _ in cols) + ' |')
        if any(k.startswith('proj_') for k in m):
            lines.append(f'| {label} (projected) | ' + ' | '.join(_fmt(m.get('proj_' + k, '')) for k, _ in cols) + ' |')
    counts = {k: v for k, v in first.items() if k.startswith('n')}
    if counts:
        lines += ['', 'counts: ' + ', '.join(f'{k} {v}' for k, v in counts.items())]
    return '\n'.join(lines)


def results_rich(rows: Dict[str, Dict[str, float]], title: str = ''):
    """The same table for the terminal (rich)."""
    from rich.table import Table
    first = next(iter(rows.values()))
    cols = table_columns(first)
    table = Table(title=title or None)
    table.add_column('Method')
    for _, label in cols:
        table.add_column(label, justify='right')
    for label, m in rows.items():
        table.add_row(label, *[_fmt(m.get(k, '')) for k, _ in cols])
        if any(k.startswith('proj_') for k in m):
            table.add_row(f'{label} (projected)', *[_fmt(m.get('proj_' + k, '')) for k, _ in cols])
    return table


def metrics_rich(metrics: Dict[str, float], title: str = ''):
    """One result as a two-column table (metric, value) that fits an 80-column terminal however
    many metric families it has; counts (``n*``) follow the metrics."""
    from rich.table import Table
    table = Table(title=title or None)
    table.add_column('metric')
    table.add_column('value', justify='right')
    for key, label in table_columns(metrics):
        table.add_row(label, _fmt(metrics[key]))
        if 'proj_' + key in metrics:
            table.add_row(f'{label} (projected)', _fmt(metrics['proj_' + key]))
    for key, value in metrics.items():
        if key.startswith('n'):
            table.add_row(key, _fmt(value))
    return table
