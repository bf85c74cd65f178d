"""The clips each real benchmark tests on, read from its shipped annotation files alone (no
media): one :data:`~avzoo.protocol.clips.Sample` per scored sample. The files never change in a
process, so each set is read once (an audit asks every benchmark once per training list)."""
from __future__ import annotations

import functools
from typing import Callable, Optional, Tuple

from avzoo.datasets.annotated import vggss_file
from avzoo.datasets.annotations import annotation_path, read_extended_csv, read_id_list, read_json_records
from avzoo.datasets.clips import Clip, Sample, avsbench_clip, flickr_clip, vggsound_clip

Samples = Tuple[Sample, ...]


@functools.lru_cache(maxsize=None)
def vggss_files(id_list: Optional[str] = None, exclude: Tuple[str, ...] = ()) -> Tuple[str, ...]:
    """The ``vggss.json`` files a VGG-SS variant scores (all 5,158, or those of ``id_list``), named
    as :class:`~avzoo.datasets.annotated.VGGSSDataset` matches them."""
    files = [r['file'] for r in read_json_records(annotation_path('vggss.json'), ('file',))]
    if id_list is not None:
        keep = {vggss_file(i) for i in read_id_list(annotation_path(id_list))}
        files = [f for f in files if f in keep]
    drop = {vggss_file(e) for e in exclude}
    return tuple(f for f in files if f not in drop)


@functools.lru_cache(maxsize=None)
def vggss_samples(id_list: Optional[str] = None, exclude: Tuple[str, ...] = ()) -> Samples:
    return tuple(frozenset((vggsound_clip(f),)) for f in vggss_files(id_list, tuple(exclude)))


@functools.lru_cache(maxsize=None)
def flickr_samples(id_list: str = 'flickr_test.csv') -> Samples:
    return tuple(frozenset((flickr_clip(i),)) for i in read_id_list(annotation_path(id_list), column=0, strip_ext=True))


@functools.lru_cache(maxsize=None)
def avsbench_samples(ann_file: str) -> Samples:
    return tuple(frozenset((avsbench_clip(r['audio']),)) for r in read_json_records(annotation_path(ann_file), ('audio',)))


@functools.lru_cache(maxsize=None)
def extended_samples(base: Samples, csv: str, parse: Callable[[str], Clip]) -> Samples:
    """A localisation set plus its off-screen pairs (frame of one clip, audio of another)."""
    rows = read_extended_csv(annotation_path(csv))
    return base + tuple(frozenset((parse(r['video']), parse(r['audio']))) for r in rows)
