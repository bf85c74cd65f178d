"""Clip identity: the source video (YouTube id, Flickr id) and start second behind a sample.

Two samples are the same *clip* when video and start second agree, and share a *source video*
when the video agrees (another start time of the same upload). The parsers read names exactly
as the shipped files spell them:

- VGGSound / VGG-SS: ``<11-char ytid>_<start s, 6 digits>`` (``--0PQM4-hqg_000030``), or the
  alignment release's ``<ytid>_<start ms>_<end ms>`` (``ours_vggss.txt``); a ``.jpg`` / ``.wav``
  suffix (SSL-TIE's ``test_vggss_4911.txt``) is dropped.
- Flickr-SoundNet: a numeric Flickr video id; each video is one clip (start 0).
- AVSBench S4 / MS3: the audio path's file name starts with the YouTube id (``0d9u2CymIxc.wav``,
  MS3 ``rq5RDUm2Hnk_1.wav``); the names carry no start time, so only videos are compared.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import FrozenSet, Iterable, List, Optional

YTID_LENGTH = 11


@dataclass(frozen=True)
class Clip:
    """``video``: a source-video id with its namespace (``yt:<id>`` or ``flickr:<id>``, so a
    Flickr number never equals a YouTube id); ``start``: start second, None where unknown."""
    video: str
    start: Optional[int]


Sample = FrozenSet[Clip]          # the clips one test sample reads (two for an off-screen pair)


def vggsound_clip(name: str) -> Clip:
    """``--0PQM4-hqg_000030``, ``gklbB7TYoK4_30000_40000`` or ``nqd6uO6hDSo_000030.jpg`` -> Clip."""
    stem, ext = os.path.splitext(name.strip())
    name = stem if ext in ('.jpg', '.png', '.wav', '.mp4') else name.strip()
    parts = name.rsplit('_', 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit() and len(parts[0]) >= YTID_LENGTH:
        return Clip('yt:' + parts[0], int(parts[1]) // 1000)
    video, _, start = name.rpartition('_')
    if video and start.isdigit():
        return Clip('yt:' + video, int(start))
    return Clip('yt:' + name, None)


def flickr_clip(name: str) -> Clip:
    """A Flickr-SoundNet id (``10000130166`` or ``10000130166.jpg``): one clip per video."""
    return Clip('flickr:' + os.path.splitext(name.strip())[0], 0)


def avsbench_clip(audio_path: str) -> Clip:
    """An AVSBench record's audio path -> its YouTube video (no start time in the names)."""
    return Clip('yt:' + os.path.basename(audio_path)[:YTID_LENGTH], None)


def clip_keys(samples: Iterable[Sample]) -> FrozenSet[Clip]:
    return frozenset(c for s in samples for c in s)


def videos(clips: Iterable[Clip]) -> FrozenSet[str]:
    return frozenset(c.video for c in clips)


def singletons(clips: Iterable[Clip]) -> List[Sample]:
    return [frozenset((c,)) for c in clips]
