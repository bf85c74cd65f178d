"""``avzoo data check BENCH --data-root DIR``: which of a benchmark's clips a media folder holds,
and which named test subsets (and so which published rows) they reproduce exactly.

A clip is *present* when every file the benchmark reads for it exists and its frame and audio
decode, *missing* when a file is absent, *undecodable* when one is there but does not decode. A
named subset of the same media (``vggss``, ``vggss_ours``, ``vggss_ssltie``, ...) is reproducible
when every one of its clips is present; only then do numbers on it compare with the rows
published on it.
"""
from __future__ import annotations

import os
from typing import List, Optional

import numpy as np
import soundfile as sf

from avzoo.datasets.benchmarks import MEDIA_LAYOUT, benchmark_info
from avzoo.datasets.media import MediaError, load_frame
from avzoo.registry import BENCHMARKS, DATASETS


def _decodes(path: str) -> Optional[str]:
    """None when the frame / audio decodes, else why not."""
    try:
        if path.endswith('.wav'):
            data, _ = sf.read(path, dtype='float32', always_2d=True)
            if data.shape[0] == 0:
                return 'no samples'
            if not np.isfinite(data).all():
                return 'NaN or infinite samples'
        elif path.lower().endswith(('.jpg', '.jpeg', '.png')):
            load_frame(path)
    except (MediaError, sf.LibsndfileError, RuntimeError, ValueError, OSError) as exc:
        return str(exc)
    return None


def _layout_key(bench: str) -> str:
    info = benchmark_info(bench)
    if info.domain == 'synth':
        return info.layout
    return next((k for k in MEDIA_LAYOUT if MEDIA_LAYOUT[k][1] == info.layout), bench)


def _siblings(bench: str) -> List[str]:
    """The benchmarks that read the same media (the named subsets of one test set)."""
    key = _layout_key(bench)
    return sorted(n for n in BENCHMARKS.module_dict if _layout_key(n) == key and benchmark_info(n).samples)


def check(bench: str, data_root: str, progress=None) -> dict:
    """Present / missing / undecodable clips of ``bench`` under ``data_root``, and the named subsets
    the present clips reproduce."""
    info = benchmark_info(bench)
    spec = BENCHMARKS.get(bench)(data_root, image_size=224, audio=None)
    ds_cfg = dict(spec['dataset'], check_files=False)          # every annotated clip, present or not
    if isinstance(ds_cfg.get('base'), dict):
        ds_cfg['base'] = dict(ds_cfg['base'], check_files=False)
    dataset = DATASETS.build(ds_cfg)
    items = dataset.items
    missing, undecodable, present = [], {}, []
    task = progress.add_task(f'check {bench}', total=len(items)) if progress is not None else None
    for item in items:
        paths = dataset.media_paths(item)
        absent = [p for p in paths if not os.path.isfile(p)]
        if absent:
            missing.append(item['id'])
        else:
            why = next((w for w in map(_decodes, paths) if w), None)
            if why:
                undecodable[item['id']] = why
            else:
                present.append(item)
        if task is not None:
            progress.advance(task)
    subsets = []
    samples = info.samples() if info.samples is not None else None
    if samples is not None and len(samples) == len(items):      # the benchmark's samples, in its items' order
        ok = {id(item) for item in present}
        have = {c for s, item in zip(samples, items) if id(item) in ok for c in s}
        for name in _siblings(bench):
            need = benchmark_info(name).samples()
            got = sum(1 for s in need if s <= have)
            subsets.append(dict(name=name, n_ids=len(need), n_present=got, reproducible=got == len(need),
                                rows=benchmark_info(name).protocol))
    return dict(bench=bench, data_root=data_root, n_ids=len(items), n_present=len(present), n_missing=len(missing),
                n_undecodable=len(undecodable), missing=missing, undecodable=undecodable, subsets=subsets)
