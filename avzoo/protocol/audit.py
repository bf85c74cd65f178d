"""``avzoo audit``: how many test samples of a benchmark a training list contains.

A sample counts under ``clips`` when one of its clips (video and start second) is in the list,
and under ``videos`` when one of its source videos is (any start time of the same upload).
Benchmarks whose names carry no source video have ``None`` counts and a ``reason``.
"""
from __future__ import annotations

from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence

from avzoo.datasets.benchmarks import benchmark_info
from avzoo.datasets.clips import Clip, Sample, videos
from avzoo.datasets.train_lists import TRAIN_LISTS, train_clips, train_ids, train_list
from avzoo.registry import BENCHMARKS


def count_overlap(samples: Sequence[Sample], clips: FrozenSet[Clip]) -> Dict[str, Optional[int]]:
    """``clips`` / ``videos``: samples with a clip / a source video in ``clips`` (``clips`` is
    None when the samples' names carry no start time)."""
    seen_videos = videos(clips)
    timed = all(c.start is not None for s in samples for c in s)
    return dict(clips=sum(1 for s in samples if s & clips) if timed else None,
                videos=sum(1 for s in samples if any(c.video in seen_videos for c in s)))


def overlap(train: str, bench: str) -> dict:
    """One row of the audit: ``{train, bench, n_train, n_bench, clips, videos[, reason]}``."""
    info = benchmark_info(bench)
    row = dict(train=train_list(train).name, bench=bench, n_train=len(train_ids(train)))
    if info.samples is None:
        return dict(row, n_bench=None, clips=None, videos=None, reason=info.no_clips)
    samples = info.samples()
    row.update(n_bench=len(samples), **count_overlap(samples, train_clips(train)))
    if row['clips'] is None:
        row['reason'] = 'its names carry the source video but no start time: counted by video only'
    return row


def real_benchmarks() -> List[str]:
    return sorted(n for n in BENCHMARKS.module_dict if benchmark_info(n).domain == 'real')


def audit(trains: Iterable[str] = (), benches: Iterable[str] = ()) -> List[dict]:
    """Every (training list, benchmark) pair asked for (default: all shipped lists x all real
    benchmarks)."""
    trains = list(trains) or list(TRAIN_LISTS)
    benches = list(benches) or real_benchmarks()
    for name in benches:
        benchmark_info(name)                     # one clear error for an unknown name, before any work
    return [overlap(t, b) for t in trains for b in benches]
