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


NEGATIVE_COLUMNS: Columns = (
    ('pia_{k}', 'pIA@thr'), ('pia_{k}_std', 'pIA median'), ('pia_{k}_adap', 'pIA adap.'),
    ('aoc_{k}', 'AOC@thr'), ('aoc_{k}_adap', 'AOC adap.'), ('iou_pos_{k}', 'IoU(pos,neg)@thr'),
    ('iou_pos_{k}_adap', 'IoU(pos,neg) adap.'), ('max_{k}_mean', 'mean max'), ('sep_acc_{k}', 'max separates (bal. acc.)'))


def negative_rows(metrics: Dict[str, float]) -> List[Tuple[str, List[str]]]:
    """(negative kind, cells) for every kind a negative-audio result has."""
    kinds = [k[len('pia_'):] for k in metrics if k.startswith('pia_') and k.count('_') == 1]
    return [(kind, [_fmt(metrics.get(key.format(k=kind), '')) for key, _ in NEGATIVE_COLUMNS]) for kind in kinds]


def negatives_markdown(metrics: Dict[str, float], title: str = '') -> str:
    """The negative-audio table: one row per negative sound, pIA / AOC / IoU in percent (pIA and
    IoU: lower is better; AOC and the separation accuracy: higher is better)."""
    thr = metrics.get('threshold', 0.5)
    lines = ([f'**{title}**', ''] if title else []) + [
        '| negative audio | ' + ' | '.join(label.replace('thr', f'{thr:g}') for _, label in NEGATIVE_COLUMNS) + ' |',
        '|---|' + '---:|' * len(NEGATIVE_COLUMNS)]
    lines += [f'| {kind} | ' + ' | '.join(cells) + ' |' for kind, cells in negative_rows(metrics)]
    if 'max_pos_mean' in metrics:
        thr_all = metrics.get('sep_thr_all')
        pooled = (f"the best threshold on the max ({thr_all:.3f}) separates them with balanced accuracy "
                  f"{metrics.get('sep_acc_all', float('nan')):.1f} % (50 = chance)" if thr_all is not None else
                  'no threshold on the max separates them better than chance')
        lines += ['', f"positive sound: mean max {metrics['max_pos_mean']:.3f}, mean min {metrics['min_pos_mean']:.3f}; "
                  f"all negatives pooled: {pooled}"]
    return '\n'.join(lines)


def negatives_rich(metrics: Dict[str, float], title: str = ''):
    """The negative-audio table for the terminal: one row per metric, one column per negative
    sound (fits 80 columns)."""
    from rich.table import Table
    thr = metrics.get('threshold', 0.5)
    rows = negative_rows(metrics)
    table = Table(title=title or None, caption='pIA, IoU: lower is better; AOC, separation: higher is better')
    table.add_column('metric')
    for kind, _ in rows:
        table.add_column(kind, justify='right')
    for j, (_, label) in enumerate(NEGATIVE_COLUMNS):
        table.add_row(label.replace('thr', f'{thr:g}'), *[cells[j] for _, cells in rows])
    return table
