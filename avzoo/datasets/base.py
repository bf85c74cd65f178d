"""Shared machinery of every audio-visual dataset: media paths, clip windows, counted skips.

Missing media is found when the dataset is built (dropped with a logged count, or an error with
``strict=True``). Corrupt media is found when a sample is read: training datasets substitute the
next readable sample, test datasets return the sample with ``valid=False`` so that evaluators
skip it without shifting any other sample; both count it in ``skipped``: the distinct files that
failed (a bad file read by several views or substitutions counts once), kept in memory shared
with the dataloader workers, which :class:`avzoo.engine.hooks.SkipReportHook` reports and resets
each epoch.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import random
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.logging import print_log
from torch import Tensor
from torch.utils.data import Dataset

from avzoo.datasets.media import MediaError, load_audio, load_frame
from avzoo.datasets.transforms import build_image_pipeline
from avzoo.utils.errors import AvzooError

MEDIA_ANCHORS = ('visual_frames', 'audio_wav', 'gt_masks', 'gray_masks', 'frames', 'audio')


def resolve_media_path(path: str, data_root: str, anchors: Sequence[str] = MEDIA_ANCHORS) -> str:
    """Map an annotation's path onto ``data_root``. Relative paths are joined; the authors'
    absolute paths (``/mnt/lynx2/.../synthetic3241/visual_frames/x.jpg``) keep their tail from the
    last anchor folder on (``visual_frames/x.jpg``), or the file name if none is present."""
    if not os.path.isabs(path):
        return os.path.join(data_root, path)
    parts = path.replace('\\', '/').split('/')
    idx = max((i for i, p in enumerate(parts) if p in anchors), default=len(parts) - 1)
    return os.path.join(data_root, *parts[idx:])


class AudioWindow:
    """The audio window of a clip: ``window_seconds`` starting at ``window_start`` (default:
    centred); ``shift`` draws a random start (time-shift view).

    A clip shorter than needed is tiled; ``fill`` says how, after the two releases:

    - ``'clip'`` (default): the clip is tiled to ``clip_seconds`` and the window taken at its fixed
      place (centred in ``clip_seconds``), as the alignment release's evaluation loader does
      (kaistmm/SSLalignment, datasets.py L271-288: tile ``int(sr * L / len) + 1`` times, keep
      ``sr * L`` samples, slice 3.5-6.5 s);
    - ``'window'``: the window is centred in the clip's actual duration and only the window is
      tiled, as EZ-VSL's release does (stoneMo/EZ-VSL, datasets.py L18-32, ``load_spectrogram``:
      start ``max(dur / 2 - 1.5, 0)``, ``np.tile`` when shorter than 3 s).

    ``max_shift`` bounds the time-shift view: its window starts within ``max_shift`` seconds of the
    unshifted one (None: anywhere in the clip).

    :meth:`is_short` tells the datasets when a window holds repeated audio, so that results count
    those samples (``n_short``)."""

    FILLS = ('clip', 'window')

    def __init__(self, sample_rate: int = 16000, clip_seconds: float = 10.0,
                 window_seconds: float = 3.0, window_start: Optional[float] = None,
                 channel: str = 'mean', fill: str = 'clip', max_shift: Optional[float] = None) -> None:
        if window_seconds > clip_seconds:
            raise AvzooError(f'audio window_seconds={window_seconds} exceeds clip_seconds={clip_seconds}')
        if fill not in self.FILLS:
            raise AvzooError(f'audio fill must be one of {self.FILLS}, got {fill!r}')
        self.sample_rate, self.clip_seconds, self.channel, self.fill = sample_rate, clip_seconds, channel, fill
        self.length = int(round(sample_rate * window_seconds))
        self.clip_length = int(round(sample_rate * clip_seconds))
        self.fixed_start = None if window_start is None else int(round(sample_rate * window_start))
        self.max_shift = None if max_shift is None else int(round(sample_rate * max_shift))

    def load_clip(self, path: str) -> Tensor:
        """The clip as read (at most ``clip_seconds``) ``[T_clip]``."""
        return load_audio(path, self.sample_rate, self.clip_seconds, self.channel)

    def _start(self, clip: Tensor, shift: bool) -> int:
        span = self.clip_length if self.fill == 'clip' else clip.numel()
        room = max(span - self.length, 0)
        start = self.fixed_start if self.fixed_start is not None else room // 2
        if shift:
            lo, hi = (0, room) if self.max_shift is None else (max(0, start - self.max_shift),
                                                              min(room, start + self.max_shift))
            return random.randint(lo, max(lo, hi))
        return start

    def is_short(self, clip: Tensor) -> bool:
        """Whether the (unshifted) window reaches past the clip's end, i.e. holds tiled audio."""
        return clip.numel() < self._start(clip, False) + self.length

    def crop(self, clip: Tensor, shift: bool = False) -> Tensor:
        """The window of a loaded clip ``[T_clip]`` -> ``[T]``; ``shift``: a random start."""
        start = self._start(clip, shift)
        need = self.clip_length if self.fill == 'clip' else start + self.length
        if clip.numel() < need:                      # short clip: tile, then cut
            clip = clip.repeat(need // clip.numel() + 1)[:need]
        return clip[start:start + self.length]

    def load(self, path: str, shift: bool = False) -> Tensor:
        return self.crop(self.load_clip(path), shift)


class AVDataset(Dataset):
    """Base: ``self.items`` is a list of dicts with at least ``id``, ``frame``, ``audio``."""

    def __init__(self, data_root: str, image_size: int = 224, audio: Optional[dict] = None,
                 image_pipeline: Optional[Sequence[dict]] = None, strict: bool = False,
                 check_files: bool = True) -> None:
        if not os.path.isdir(data_root):
            raise AvzooError(f'{type(self).__name__}: data root {data_root!r} does not exist '
                             f'(set the root variable of the config with --data-root NAME=DIR)')
        self.data_root, self.image_size, self.strict = data_root, image_size, strict
        self.audio = AudioWindow(**(audio or {}))
        default = [dict(type='tv/Resize', size=(image_size, image_size), antialias=True)]
        self.image_pipeline = build_image_pipeline(image_pipeline if image_pipeline is not None else default)
        self.items: List[dict] = self.load_items()
        self.n_missing = 0
        self.n_duplicates = self._drop_duplicates()
        if check_files:
            self._drop_missing()
        if not self.items:
            raise AvzooError(f'{type(self).__name__}: no usable samples under {data_root!r}')
        self._reset_skip_memory()

    # -- to override ------------------------------------------------------------------------
    def load_items(self) -> List[dict]:
        raise NotImplementedError

    def media_paths(self, item: dict) -> List[str]:
        return [item['frame'], item['audio']]

    # -- skips --------------------------------------------------------------------------------
    def _reset_skip_memory(self) -> None:
        # one flag per media file of every item (shared with workers), plus a counter of failed
        # files that belong to no item (a wrapper's extra sounds)
        self._slots: Optional[Dict[str, int]] = None
        self._bad_files = multiprocessing.Array('b', max(1, self.files_per_item * len(self.items)), lock=False)
        self._bad_other = multiprocessing.Value('i', 0)
        self._bad_reads = multiprocessing.Value('i', 0)

    files_per_item = 3           # frame, audio and (for segmentation sets) a mask

    @property
    def skipped(self) -> int:
        """Distinct media files that could not be decoded since the last :meth:`reset_skips`
        (all workers)."""
        return int(np.frombuffer(self._bad_files, dtype=np.int8).sum()) + self._bad_other.value

    @property
    def skipped_reads(self) -> int:
        """Failed reads since the last :meth:`reset_skips` (a file read twice counts twice)."""
        return self._bad_reads.value

    def reset_skips(self) -> None:
        """Forget the failures counted so far (the hook calls it at the start of every epoch)."""
        np.frombuffer(self._bad_files, dtype=np.int8)[:] = 0
        self._bad_other.value = 0
        self._bad_reads.value = 0

    def _slot(self, path: Optional[str]) -> Optional[int]:
        if path is None:
            return None
        if self._slots is None:
            self._slots = {}
            for i, item in enumerate(self.items):
                for k, p in enumerate(self.media_paths(item)[:self.files_per_item]):
                    self._slots.setdefault(p, self.files_per_item * i + k)
        return self._slots.get(path)

    def _drop_duplicates(self) -> int:
        """Drop items that repeat an earlier one exactly (same id, media and annotation: a record
        written twice would be scored or trained on twice); logged and counted."""
        seen, keep, first = set(), [], None
        for item in self.items:
            key = json.dumps(item, sort_keys=True, default=str)
            if key in seen:
                first = first or item.get('id')
                continue
            seen.add(key)
            keep.append(item)
        dropped = len(self.items) - len(keep)
        if dropped:
            print_log(f'{type(self).__name__}: {dropped} duplicate record(s) dropped (first: {first}); each sample '
                      f'is used once', logger='current', level=30)
            self.items = keep
        return dropped

    def _drop_missing(self) -> None:
        keep, missing = [], []
        for item in self.items:
            absent = [p for p in self.media_paths(item) if not os.path.isfile(p)]
            (missing if absent else keep).append(absent or item)
        if missing:
            if self.strict:
                raise AvzooError(f'{type(self).__name__}: {len(missing)} samples have missing media, '
                                 f'first: {missing[0][0]} (strict mode)')
            print_log(f'{type(self).__name__}: skipped {len(missing)} of {len(self.items)} samples '
                      f'with missing media (first: {missing[0][0]})', logger='current', level=30)
        self.items, self.n_missing = keep, len(missing)

    def _count_skip(self, err: MediaError) -> None:
        if self.strict:
            raise AvzooError(str(err))
        slot = self._slot(getattr(err, 'path', None))
        with self._bad_reads.get_lock():
            self._bad_reads.value += 1
            if slot is not None:
                self._bad_files[slot] = 1
            else:
                self._bad_other.value += 1
        print_log(f'{type(self).__name__}: skipped sample: {err}', logger='current', level=30)

    # -- loading ------------------------------------------------------------------------------
    def load_image(self, path: str, pipeline=None) -> Tensor:
        return (pipeline or self.image_pipeline)(load_frame(path))

    def __len__(self) -> int:
        return len(self.items)

    @property
    def metainfo(self) -> dict:
        """What MMEngine's evaluators and visualisers read as ``dataset_meta``."""
        return dict(dataset=type(self).__name__, data_root=self.data_root, n_samples=len(self.items),
                    n_missing=self.n_missing, n_duplicates=self.n_duplicates)


class AVTestDataset(AVDataset):
    """Test-time sample: ``inputs = {image, audio}``, ``data_samples = {id, gt_map, group, valid,
    n_sources}``; an undecodable sample comes back with zeros and ``valid=False``."""

    def gt_map(self, item: dict) -> Tensor:
        raise NotImplementedError

    def __getitem__(self, idx: int) -> Dict[str, dict]:
        item = self.items[idx]
        sample = dict(id=item['id'], group=item.get('group', item['id']), index=idx,
                      n_sources=item.get('n_sources', 1), valid=True, short=False)
        try:
            clip = self.audio.load_clip(item['audio'])
            image, audio, gt = self.load_image(item['frame']), self.audio.crop(clip), self.gt_map(item)
            sample['short'] = self.audio.is_short(clip)
        except MediaError as err:
            self._count_skip(err)
            s = self.image_size
            image, audio = torch.zeros(3, s, s, dtype=torch.uint8), torch.zeros(self.audio.length)
            gt, sample['valid'] = torch.zeros(224, 224), False
        sample['gt_map'] = gt
        return dict(inputs=dict(image=image, audio=audio), data_samples=sample)
