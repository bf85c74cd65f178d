"""The clips each real benchmark tests on, read from its shipped annotation files alone (no
media): one :data:`~avzoo.protocol.clips.Sample` per scored sample."""
from __future__ import annotations

import functools
from typing import List, Optional, Sequence

from avzoo.datasets.annotations import annotation_path, read_extended_csv, read_id_list, read_json_records
from avzoo.protocol.clips import Sample, avsbench_clip, flickr_clip, vggsound_clip


@functools.lru_cache(maxsize=None)
def vggss_files(id_list: Optional[str] = None, exclude: Sequence[str] = ()) -> List[str]:
    """The ``vggss.json`` files a VGG-SS variant scores (all 5,158, or those of ``id_list``)."""
    files = [r['file'] for r in read_json_records(annotation_path('vggss.json'), ('file',))]
    if id_list is not None:
        keep = {_vggss_name(i) for i in read_id_list(annotation_path(id_list))}
        files = [f for f in files if f in keep]
    drop = {_vggss_name(e) for e in exclude}
    return [f for f in files if f not in drop]


def _vggss_name(clip_id: str) -> str:
    clip = vggsound_clip(clip_id)
    return clip.video[3:] if clip.start is None else f'{clip.video[3:]}_{clip.start:06d}'


def vggss_samples(id_list: Optional[str] = None, exclude: Sequence[str] = ()) -> List[Sample]:
    return [frozenset((vggsound_clip(f),)) for f in vggss_files(id_list, tuple(exclude))]


def flickr_samples(id_list: str = 'flickr_test.csv') -> List[Sample]:
    return [frozenset((flickr_clip(i),)) for i in read_id_list(annotation_path(id_list), column=0, strip_ext=True)]


def avsbench_samples(ann_file: str) -> List[Sample]:
    return [frozenset((avsbench_clip(r['audio']),)) for r in read_json_records(annotation_path(ann_file), ('audio',))]


def extended_samples(base: List[Sample], csv: str, parse) -> List[Sample]:
    """A localisation set plus its off-screen pairs (frame of one clip, audio of another)."""
    rows = read_extended_csv(annotation_path(csv))
    return base + [frozenset((parse(r['video']), parse(r['audio']))) for r in rows]
