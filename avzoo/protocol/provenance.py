"""What a checkpoint was trained on and how it was chosen (recorded at training time, in
``meta['avzoo']['protocol']``), and the ``protocol`` block every avzoo result carries.

The block names the test subset (benchmark name, id count, origin), what was scored and skipped
by kind, the training list and its overlap with the benchmark (from the checkpoint's own record;
``unknown`` for a checkpoint that says nothing), the selection rule, the checkpoint's sha256 and
the avzoo version and git commit that produced the number.
"""
from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import subprocess
from typing import Dict, List, Optional, Tuple

from avzoo.datasets.benchmarks import benchmark_info
from avzoo.datasets.clips import Clip, flickr_clip, vggsound_clip
from avzoo.datasets.train_lists import TRAIN_LISTS, list_name_of
from avzoo.protocol.audit import count_overlap, overlap, real_benchmarks
from avzoo.protocol.selection import selection_rule
from avzoo.registry import BENCHMARKS

UNKNOWN = 'unknown'
SKIP_KINDS = ('n_missing', 'n_corrupt', 'n_empty_gt', 'n_undefined', 'n_short')


def _sha256_text(lines: List[str]) -> str:
    h = hashlib.sha256()
    for line in lines:
        h.update(line.encode() + b'\n')
    return h.hexdigest()


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def git_commit() -> Optional[str]:
    """The commit of the avzoo source tree (``+dirty`` with local changes); None for an
    installed wheel (no git checkout around the package)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if not os.path.exists(os.path.join(root, '.git')):
        return None
    try:
        head = subprocess.run(['git', '-C', root, 'rev-parse', 'HEAD'], capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(['git', '-C', root, 'status', '--porcelain', '--untracked-files=no'],
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if head.returncode != 0:
        return None
    return head.stdout.strip() + ('+dirty' if dirty.stdout.strip() else '')


def _media_identity(items: List[dict]) -> List[frozenset]:
    """Samples identified by their media files (avzoo-synth: every clip is its own source)."""
    return [frozenset(Clip('file:' + os.path.realpath(p), 0) for p in (it.get('frame'), it.get('audio')) if p)
            for it in items]


def _synth_overlaps(cfg, train_items: List[dict]) -> Dict[str, dict]:
    from avzoo.registry import DATASETS
    train = frozenset(c for s in _media_identity(train_items) for c in s)
    out = {}
    root = cfg.get('synth_root')
    for name in sorted(BENCHMARKS.module_dict):
        if benchmark_info(name).domain != 'synth':
            continue
        try:
            spec = BENCHMARKS.get(name)(root, image_size=cfg.get('image_size', 128), audio=cfg.get('audio'))
            items = DATASETS.build(spec['dataset']).items
        except Exception as exc:          # a split this avzoo-synth lacks: said, not guessed
            out[name] = dict(n_bench=None, clips=None, videos=None, reason=f'not readable at train time ({exc})')
            continue
        out[name] = dict(n_bench=len(items), **count_overlap(_media_identity(items), train))
    return out


def _id_overlaps(ids: List[str], parse=None) -> Dict[str, dict]:
    """Real training ids (parsed as VGGSound or Flickr names) against every real benchmark."""
    parse = parse or (flickr_clip if ids and all(i.isdigit() for i in ids[:100]) else vggsound_clip)
    train = frozenset(parse(i) for i in ids)
    out = {}
    for name in real_benchmarks():
        info = benchmark_info(name)
        if info.samples is not None:
            samples = info.samples()
            out[name] = dict(n_bench=len(samples), **count_overlap(samples, train))
    return out


def training_record(cfg, dataset) -> dict:
    """What a training run records in its checkpoints: the list (a shipped name, else the file),
    the clips it really trains on (present media; ``n_train``) with their checksum, the clips it
    adds (``extra_lists``) or drops (``drop_last_n``), their overlap with every benchmark of the
    run's domain (counted on the clips present, so a partly downloaded list is not over-counted),
    the selection rule and the epoch budget."""
    ds_cfg = (cfg.get('train_dataloader') or {}).get('dataset') or {}
    items = list(getattr(dataset, 'items', []))
    ids = [str(it.get('id')) for it in items]
    extra = [dict(e) for e in ds_cfg.get('extra_lists') or ()]
    dropped = int(ds_cfg.get('drop_last_n') or 0)
    name = list_name_of(ds_cfg.get('id_list'))
    synth = bool(cfg.get('synth_root')) and str(ds_cfg.get('data_root', '')).startswith(str(cfg.get('synth_root')))
    label = 'avzoo-synth train' if synth else (name or str(ds_cfg.get('id_list') or ds_cfg.get('type') or UNKNOWN))
    if dropped:
        label += f' without its last {dropped}'
    if extra:
        label += ' + ' + ' + '.join(f"{e.get('id_list')} ({e.get('data_root')})" for e in extra)
    if synth:
        overlaps = _synth_overlaps(cfg, items)
    else:
        overlaps = _id_overlaps(ids, TRAIN_LISTS[name].parse if name and not extra else None) if ids else {}
    return dict(train_list=label, shipped=name is not None and not (extra or dropped or synth), n_train=len(ids),
                train_ids_sha256=_sha256_text(ids), extra_lists=extra, overlaps=overlaps,
                selection=selection_rule(cfg), max_epochs=(cfg.get('train_cfg') or {}).get('max_epochs'))


def checkpoint_record(ckpt: Optional[dict]) -> Optional[dict]:
    """``meta['avzoo']['protocol']`` of a read checkpoint (a converted file's is its metadata)."""
    meta = (ckpt or {}).get('meta') or {}
    record = (meta.get('avzoo') or {}).get('protocol') if isinstance(meta.get('avzoo'), dict) else None
    if isinstance(record, str):
        record = json.loads(record)
    if isinstance(record, dict):
        record = dict(record, epoch=meta.get('epoch'))
    return record


def _training(record: Optional[dict], bench: str) -> dict:
    if record is None:
        return dict(list=UNKNOWN, overlap=UNKNOWN, source='the checkpoint records no training list '
                    '(an older avzoo checkpoint, a converted release without --train-list, or a plain state dict)')
    listed = record.get('train_list') or UNKNOWN
    found = (record.get('overlaps') or {}).get(bench)
    if found is None and listed in TRAIN_LISTS and benchmark_info(bench).domain == 'real':
        found = {k: v for k, v in overlap(listed, bench).items() if k not in ('train', 'bench', 'n_train')}
    source = record.get('source', 'recorded by avzoo train')
    if listed == UNKNOWN:
        return dict(list=UNKNOWN, overlap=UNKNOWN, source=source)
    return dict(list=listed, n_train=record.get('n_train'), overlap=found if found is not None else UNKNOWN,
                source=source)


def _selection(record: Optional[dict]) -> dict:
    if record is None or not record.get('selection'):
        return dict(rule=UNKNOWN, about='the checkpoint records no selection rule')
    sel = dict(record['selection'])
    epoch, last = record.get('epoch'), record.get('max_epochs')
    if epoch is not None:
        sel['epoch'] = epoch
        sel['max_epochs'] = last
        if sel.get('rule') == 'last' and last is not None and epoch != last:
            sel['about'] += f' - but this checkpoint is epoch {epoch} of {last}, not the selected one'
        if sel.get('rule') == 'best' and not record.get('best_file'):
            sel['about'] += f' - but this checkpoint is epoch {epoch}, not the best one the rule kept'
    return sel


def checkpoint_facts(path: str) -> Tuple[Optional[dict], str]:
    """``(record, sha256)`` of a checkpoint file (:func:`checkpoint_record`), read and hashed once
    per version of the file in a process: a comparison scores one checkpoint on many benchmarks."""
    stat = os.stat(path)
    record, digest = _checkpoint_facts(os.path.realpath(path), stat.st_size, stat.st_mtime_ns)
    return copy.deepcopy(record), digest


@functools.lru_cache(maxsize=32)
def _checkpoint_facts(path: str, size: int, mtime_ns: int) -> Tuple[Optional[dict], str]:
    from avzoo.utils.checkpoint import read_checkpoint
    return checkpoint_record(read_checkpoint(path)), file_sha256(path)


def protocol_block(bench: str, metrics: Dict[str, float], checkpoint: Optional[str] = None,
                   ckpt: Optional[dict] = None, n_ids: Optional[int] = None, trains: bool = True) -> dict:
    """The ``protocol`` block of one result (see the module docstring). ``checkpoint``: its path
    (its record and hash come from :func:`checkpoint_facts`), or ``ckpt``: a checkpoint already
    read; ``n_ids``: the benchmark's sample count when it cannot be read from its annotation files
    alone; ``trains=False``: a training-free method."""
    from avzoo.version import __version__
    info = benchmark_info(bench)
    if info.samples is not None:
        n_ids = len(info.samples())
    elif n_ids is None and metrics.get('n') is not None:
        n_ids = int(metrics['n']) + int(metrics.get('n_skipped', 0))
    record, digest = checkpoint_facts(checkpoint) if checkpoint and os.path.isfile(checkpoint) else (None, None)
    if ckpt is not None:
        record = checkpoint_record(ckpt)
    block = dict(
        test_subset=dict(name=bench, n_ids=n_ids, protocol=info.protocol, origin=info.origin),
        samples=dict(n_scored=metrics.get('n'), n_skipped=metrics.get('n_skipped', 0),
                     **{k: metrics[k] for k in SKIP_KINDS if k in metrics}),
        training=_training(record, bench) if trains else dict(list=None, overlap=None, source='training-free method'),
        selection=_selection(record) if trains else dict(rule=None, about='training-free method'),
        checkpoint=dict(path=checkpoint, sha256=digest),
        avzoo=dict(version=__version__, git_commit=git_commit()),
    )
    return block


def protocol_line(block: dict) -> str:
    """One line for a terminal or a table caption."""
    t, s, tr, sel = block['test_subset'], block['samples'], block['training'], block['selection']
    n_ids = '?' if t['n_ids'] is None else f"{t['n_ids']:,}"
    ov = tr.get('overlap')
    if isinstance(ov, dict):
        clips = '-' if ov.get('clips') is None else ov['clips']
        videos = '-' if ov.get('videos') is None else ov['videos']
        ov_text = f'{clips} clips / {videos} videos of the test set in training'
    else:
        ov_text = f'test overlap {ov}'
    train = 'training-free' if tr.get('list') is None else f"trained on {tr['list']} ({ov_text})"
    return (f"{t['name']} ({n_ids} ids): {s['n_scored']} scored, {s['n_skipped']} skipped; {train}; "
            f"selection: {sel.get('about', sel.get('rule'))}")
