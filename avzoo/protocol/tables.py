"""Rich tables of the protocol commands (``avzoo audit``, ``avzoo data check``), 80 columns wide."""
from __future__ import annotations

from typing import List, Optional

from rich import box
from rich.table import Table


def _count(n: Optional[int]) -> str:
    return '-' if n is None else f'{n:,}'


def audit_rich(rows: List[dict]) -> Table:
    """One row per (training list, benchmark); a rule between training lists."""
    table = Table(title='test samples inside a training list', title_justify='left', box=box.SIMPLE_HEAD,
                  padding=(0, 1), pad_edge=False)
    for col in ('training list', 'benchmark', 'train', 'test', 'clips', 'videos'):
        table.add_column(col, justify='left' if col in ('training list', 'benchmark') else 'right', no_wrap=True)
    for n, r in enumerate(rows):
        last_of_list = n + 1 == len(rows) or rows[n + 1]['train'] != r['train']
        table.add_row(r['train'], r['bench'], _count(r['n_train']), _count(r['n_bench']), _count(r['clips']),
                      _count(r['videos']), end_section=last_of_list)
    return table


def data_check_rich(report: dict) -> Table:
    """Counts, then one row per named subset of the same media: reproducible or not."""
    table = Table(title=f"{report['bench']} under {report['data_root']}: {report['n_present']:,} present, "
                        f"{report['n_missing']:,} missing, {report['n_undecodable']:,} undecodable of "
                        f"{report['n_ids']:,}", title_justify='left', box=box.SIMPLE_HEAD, padding=(0, 1),
                  pad_edge=False)
    for col, justify in (('subset', 'left'), ('ids', 'right'), ('present', 'right'), ('exact', 'left'),
                         ('comparable with', 'left')):
        table.add_column(col, justify=justify, no_wrap=col != 'comparable with', overflow='fold')
    if not report['subsets']:
        table.add_row('-', '-', '-', '-', 'no named subsets of these media (docs/protocol.md)')
    for s in report['subsets']:
        table.add_row(s['name'], _count(s['n_ids']), _count(s['n_present']), 'yes' if s['reproducible'] else 'no',
                      s['rows'] if s['reproducible'] else '-')
    return table
