"""Sound source localisation through time: every frame of a video (or of a frame sequence in
memory) with the audio window centred on it, mapped by one or more runs.

    from avzoo.apis.runs import load_runs
    from avzoo.apis.video import localize_sequence, localize_video
    runs = load_runs(['alignment=epoch_20.pth', 'centre_prior'], domain='synth')
    localize_video('clip.mkv', runs, out='clip_overlay.mp4', maps='clip_maps.npz')
    seq = localize_sequence(runs, frames, waveform, sample_rate=16000, fps=8)   # no files

Each method hears its own window (its recipe's sample rate and length, ``Run.window``) centred on
the frame's time; near the ends the window is moved inside the sound, and a sound shorter than the
window is filled as the method's release fills a short clip. Frames go through the runs in batches,
so memory does not grow with the video's length (the raw maps kept for ``maps=`` are ``h x w``).
"""
from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy as np
import torch

from avzoo.apis.runs import Run
from avzoo.datasets.media import MediaError
from avzoo.datasets.video import AudioStream, WaveformAudio, frame_batches, n_frames, output_size, probe
from avzoo.utils.errors import AvzooError
from avzoo.utils.heap import map_large_blocks

DEFAULT_FPS = 8.0    # the zoo's methods train on one frame per clip: no training frame rate to follow


@dataclass
class SequenceMaps:
    """Per run name: raw maps ``[N, h, w]``, min-max normalised maps ``[N, S, S]`` (what the overlay
    draws; kept only when asked) and peaks on the (cos + 1) / 2 scale ``[N]``; ``times`` ``[N]`` in
    seconds; ``short``: runs whose window was longer than the whole sound (filled)."""
    times: np.ndarray
    raw: Dict[str, np.ndarray]
    peak: Dict[str, np.ndarray]
    heat: Dict[str, np.ndarray] = field(default_factory=dict)
    short: List[str] = field(default_factory=list)


def _audio_sources(runs: Sequence[Run], make) -> Dict[Tuple[int, str], WaveformAudio]:
    return {(r.window.sample_rate, r.window.channel): make(r.window.sample_rate, r.window.channel) for r in runs}


def map_batches(runs: Sequence[Run], batches: Iterable[Tuple[np.ndarray, np.ndarray]],
                audio: Dict[Tuple[int, str], WaveformAudio]) -> Iterator[Tuple[np.ndarray, np.ndarray, list, set]]:
    """(times ``[B]``, uint8 frames ``[B, H, W, 3]``) batches -> the same with, per run, ``(raw, heat,
    peak)`` of :meth:`Run.maps`, and the names of the runs whose window held a filled short sound."""
    longest: Dict[Tuple[int, str], int] = {}              # per source, the longest window of the runs reading it
    for run in runs:
        key = (run.window.sample_rate, run.window.channel)
        longest[key] = max(longest.get(key, 0), run.window.length)
    for times, frames in batches:
        chw = torch.from_numpy(np.ascontiguousarray(frames)).permute(0, 3, 1, 2)
        results, short = [], set()
        for run in runs:
            source = audio[(run.window.sample_rate, run.window.channel)]
            cut = [source.window_at(float(t), run.window) for t in times]
            if any(s for _, s in cut):
                short.add(run.name)
            results.append(run.maps(chw, torch.stack([c for c, _ in cut])))
        for (rate, channel), source in audio.items():   # every run sharing it has cut this batch's windows
            keep = longest[(rate, channel)]
            source.release(float(times[-1]) - keep / rate, keep)
        yield times, frames, results, short


class _KeptMaps:
    """Per run name, the raw maps and peaks of every batch (and the min-max maps when ``heat``),
    copied: a map that views a larger batch tensor must not keep it alive."""

    def __init__(self, runs: Sequence[Run], heat: bool = False) -> None:
        self.runs = list(runs)
        self.parts = {k: {r.name: [] for r in runs} for k in ('raw', 'peak') + (('heat',) if heat else ())}

    def add(self, results: list) -> None:
        for run, (raw, heat, peak) in zip(self.runs, results):
            for key, t in (('raw', raw), ('peak', peak), ('heat', heat)):
                if key in self.parts:
                    self.parts[key][run.name].append(t.numpy().copy())

    def arrays(self, key: str) -> Dict[str, np.ndarray]:
        return {name: np.concatenate(v) for name, v in self.parts.get(key, {}).items() if v}


def localize_sequence(runs: Sequence[Run], frames, waveform, sample_rate: int, fps: float,
                      start: float = 0.0, batch_size: int = 16, keep_heat: bool = True) -> SequenceMaps:
    """Frames in memory (uint8 ``[N, H, W, 3]``, array or tensor, or a sequence of ``[H, W, 3]``),
    shown at ``start + i / fps`` seconds, and the mono ``waveform`` ``[T]`` at ``sample_rate``
    (its sample 0 at 0 s) -> :class:`SequenceMaps`. Each run hears the waveform at its own rate."""
    from avzoo.utils.imports import import_torchaudio
    wave = torch.as_tensor(np.asarray(waveform), dtype=torch.float32)
    if wave.dim() == 2 and wave.shape[0] == 1:
        wave = wave[0]
    if wave.dim() != 1 or wave.numel() == 0:
        raise AvzooError(f'waveform: expected mono samples [T], got shape {list(wave.shape)} '
                         f'(several channels: average them first, waveform.mean(0))')
    stack = np.asarray(frames)
    if stack.ndim != 4 or stack.shape[-1] != 3 or stack.dtype != np.uint8:
        raise AvzooError(f'frames: expected uint8 [N, H, W, 3], got {stack.dtype} {list(stack.shape)}')
    resample = import_torchaudio('functional').resample

    def make(rate: int, channel: str) -> WaveformAudio:
        return WaveformAudio(wave if rate == sample_rate else resample(wave, sample_rate, rate), rate)

    times = start + np.arange(len(stack)) / fps
    batches = ((times[i:i + batch_size], stack[i:i + batch_size]) for i in range(0, len(stack), batch_size))
    kept, short = _KeptMaps(runs, heat=keep_heat), set()
    for _, _, results, s in map_batches(runs, batches, _audio_sources(runs, make)):
        short |= s
        kept.add(results)
    return SequenceMaps(times, kept.arrays('raw'), kept.arrays('peak'), kept.arrays('heat'), sorted(short))


@dataclass
class VideoLocalization:
    """What :func:`localize_video` wrote and measured."""
    video: Optional[str]
    maps: Optional[str]
    n_frames: int
    fps: float
    start: float
    seconds: float
    names: List[str]
    short: List[str]
    frames_per_second: float


def localize_video(video: str, runs: Sequence[Run], out: Optional[str] = None, maps: Optional[str] = None,
                   fps: Optional[float] = None, start: float = 0.0, duration: Optional[float] = None,
                   height: int = 360, batch_size: int = 16, progress: bool = True) -> VideoLocalization:
    """Map every frame of ``video`` (sampled at ``fps``, default 8, from ``start`` for ``duration``
    seconds) with every run; write the overlay video ``out`` (one named column per run, a colour
    bar, the sound muxed back) and/or the raw maps with their times ``maps`` (``.npz``); ``progress``:
    a bar with frames/s on stderr."""
    from avzoo.utils.terminal import LineProgress, make_progress
    from avzoo.visualization.video import BAND, BAR, OverlayVideoWriter, column_titles, overlay_batch, side_by_side
    if not runs:
        raise AvzooError('give at least one run')
    fps = DEFAULT_FPS if fps is None else fps
    if fps <= 0 or start < 0 or (duration is not None and duration <= 0) or batch_size < 1:
        raise AvzooError(f'--fps {fps}, --start {start}, --duration {duration}, --batch-size {batch_size}: '
                         f'expected fps > 0, start >= 0, duration > 0, batch size >= 1')
    try:
        info = probe(video)
    except MediaError as exc:
        raise AvzooError(str(exc)) from None
    if info.audio_codec is None:
        raise AvzooError(f'{video} has no audio track: a sound source needs a sound (for a silent video, '
                         f'give a frame and a sound file: avzoo localize IMAGE AUDIO)')
    if start >= info.duration:
        raise AvzooError(f'--start {start:g} s is past the end of {video} ({info.duration:.2f} s)')
    map_large_blocks()                     # batch buffers go back to the system: flat memory (avzoo/utils/heap.py)
    reach = max(r.window.length / r.window.sample_rate for r in runs)   # the longest window, seconds
    origin = max(0.0, start - reach / 2)
    span = None if duration is None else duration + start - origin + reach / 2
    streams = _audio_sources(runs, lambda rate, ch: AudioStream(video, rate, origin, span, ch))
    width, rows = output_size(info, height)
    writer = None if out is None else OverlayVideoWriter(out, len(runs) * width + BAR, rows + BAND, fps, video, start)
    kept = _KeptMaps(runs)
    all_times, short, total, done, t0 = [], set(), n_frames(info, fps, start, duration), 0, time.time()
    try:
        with make_progress() if progress else LineProgress(stream=io.StringIO()) as bar:
            task = bar.add_task(f'localize {os.path.basename(video)}', total=total)
            batches = frame_batches(info, fps, start, duration, height, batch_size)
            for times, frames, results, s in map_batches(runs, batches, streams):
                short |= s
                all_times.append(times)
                kept.add(results)
                if writer is not None:
                    columns = [overlay_batch(frames, h) for _, h, _ in results]
                    titles = [column_titles(run.name, p.tolist(), times, i == 0) for i, (run, (_, _, p)) in
                              enumerate(zip(runs, results))]
                    writer.write(side_by_side(columns, titles))
                done += len(times)
                rate = done / max(time.time() - t0, 1e-6)
                bar.update(task, advance=len(times), total=max(total, done),
                           description=f'localize {os.path.basename(video)} ({rate:.1f} frames/s)')
        if done == 0:
            raise AvzooError(f'no frames decoded from {video} between {start:g} s and '
                             f'{"the end" if duration is None else f"{start + duration:g} s"}')
        if writer is not None:
            writer.close()
    except BaseException as exc:
        if writer is not None:
            writer.abort()
        if isinstance(exc, MediaError):
            raise AvzooError(str(exc)) from None
        raise
    finally:
        for stream in streams.values():
            stream.close()
    times = np.concatenate(all_times)
    if maps is not None:
        _save_maps(maps, runs, times, kept, video, fps)
    return VideoLocalization(out, maps, done, fps, start, done / fps, [r.name for r in runs], sorted(short),
                             done / max(time.time() - t0, 1e-6))


def _save_maps(path: str, runs: Sequence[Run], times: np.ndarray, kept: _KeptMaps, video: str, fps: float) -> None:
    """``times`` ``[N]``, ``names``, and per run ``i`` ``raw_<i>`` ``[N, h, w]`` and ``peak_<i>`` ``[N]``
    (runs numbered in the order given; ``names[i]`` and ``methods[i]`` / ``checkpoints[i]`` say which)."""
    os.makedirs(os.path.dirname(os.path.abspath(path)) or '.', exist_ok=True)
    arrays = {'times': times, 'names': np.array([r.name for r in runs]), 'methods': np.array([r.method for r in runs]),
              'checkpoints': np.array([r.checkpoint or '' for r in runs]), 'video': np.array(video), 'fps': np.array(fps)}
    raw, peak = kept.arrays('raw'), kept.arrays('peak')
    for i, run in enumerate(runs):
        arrays[f'raw_{i}'], arrays[f'peak_{i}'] = raw[run.name], peak[run.name]
    tmp = path + '.partial.npz'
    np.savez_compressed(tmp, **arrays)
    os.replace(tmp, path)
