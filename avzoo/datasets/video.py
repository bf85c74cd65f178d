"""Reading a user's video (``avzoo localize VIDEO``): its streams (:func:`probe`), its frames at a
chosen rate in batches (:func:`frame_batches`) and its sound as a stream from which each frame's
audio window is cut (:class:`AudioStream`); and writing one from frames and a sound
(:func:`write_video`: generated test videos). Frames and sound are read through pipes from ffmpeg
(``imageio-ffmpeg``'s binary: mp4, mkv, webm, mov, variable frame rate), so memory stays bounded
whatever the video's length. A frame/waveform pair already in memory uses :class:`WaveformAudio`."""
from __future__ import annotations

import logging
import math
import os
import re
import subprocess
from dataclasses import dataclass
from typing import Iterator, Optional, Tuple

import numpy as np
import torch
from torch import Tensor

from avzoo.datasets.base import AudioWindow
from avzoo.datasets.media import MediaError
from avzoo.utils.ffmpeg import ffmpeg_exe, last_line


@dataclass
class VideoInfo:
    """What ffmpeg reports of a file: duration (s), displayed size, nominal frame rate and the
    first audio stream's codec (None: no audio track)."""
    path: str
    duration: float
    width: int
    height: int
    fps: Optional[float]
    audio_codec: Optional[str]


def probe(path: str) -> VideoInfo:
    """Read a video's streams; a missing, corrupt or non-video file raises :class:`MediaError`."""
    if not os.path.isfile(path):
        raise MediaError(f'missing video: {path}', path)
    run = subprocess.run([ffmpeg_exe(), '-hide_banner', '-nostdin', '-i', path], capture_output=True, text=True,
                         errors='replace')
    streams = [line for line in run.stderr.splitlines() if re.search(r'Stream #\S+.*: (Video|Audio): ', line)]
    video = next((s for s in streams if ': Video: ' in s and 'attached pic' not in s), None)
    if video is None:
        why = last_line(run.stderr) if not streams else 'it has no video stream'
        raise MediaError(f'not a readable video: {path} ({why})', path)
    size = re.search(r', (\d{1,5})x(\d{1,5})\b', video)
    duration = re.search(r'Duration: (\d+):(\d+):(\d+(?:\.\d+)?)', run.stderr)
    if size is None or duration is None:
        raise MediaError(f'not a readable video: {path} (ffmpeg reports no {"size" if size is None else "duration"})', path)
    width, height = int(size.group(1)), int(size.group(2))
    rotation = re.search(r'rotation of (-?[\d.]+) degrees', run.stderr)
    if rotation and round(abs(float(rotation.group(1)))) % 180 == 90:      # ffmpeg turns the frames upright
        width, height = height, width
    fps = re.search(r'([\d.]+) fps', video)
    audio = next((re.search(r': Audio: (\w+)', s).group(1) for s in streams if ': Audio: ' in s), None)
    seconds = int(duration.group(1)) * 3600 + int(duration.group(2)) * 60 + float(duration.group(3))
    return VideoInfo(path, seconds, width, height, float(fps.group(1)) if fps else None, audio)


def output_size(info: VideoInfo, height: int) -> Tuple[int, int]:
    """(width, height) of decoded frames: ``height`` rows (at most the video's), the aspect kept,
    both even (H.264 with 4:2:0 colour needs even sides)."""
    h = min(height, info.height) // 2 * 2
    return max(2, int(round(info.width * h / info.height / 2)) * 2), max(2, h)


def frame_batches(info: VideoInfo, fps: float, start: float = 0.0, duration: Optional[float] = None,
                  height: int = 360, batch_size: int = 16) -> Iterator[Tuple[np.ndarray, np.ndarray]]:
    """Frames sampled at ``fps`` from ``start`` for ``duration`` seconds (default: to the end),
    scaled to ``height`` rows -> batches of (times in seconds ``[B]``, uint8 RGB ``[B, H, W, 3]``).
    Frame ``i`` is the picture shown at ``start + i / fps`` (ffmpeg's fps filter, which also makes
    a variable frame rate constant)."""
    import imageio_ffmpeg
    width, rows = output_size(info, height)
    out = ['-an', '-vf', f'fps={fps},scale={width}:{rows}:flags=area']
    if duration is not None:
        out = ['-t', f'{duration:.6f}'] + out
    reader = imageio_ffmpeg.read_frames(info.path, input_params=['-nostdin', '-ss', f'{start:.6f}'] if start else ['-nostdin'],
                                        output_params=out)
    logging.getLogger('imageio_ffmpeg').setLevel(logging.ERROR)   # "size for reading differs": scaled on purpose
    try:
        next(reader)                                               # the metadata
        times, frames, i = [], [], 0
        for raw in reader:
            frames.append(np.frombuffer(raw, np.uint8).reshape(rows, width, 3))
            times.append(start + i / fps)
            i += 1
            if len(frames) == batch_size:
                yield np.asarray(times), np.stack(frames)
                times, frames = [], []
        if frames:
            yield np.asarray(times), np.stack(frames)
    except (OSError, RuntimeError, StopIteration) as exc:
        raise MediaError(f'cannot decode the frames of {info.path}: {last_line(str(exc))}', info.path) from None
    finally:
        reader.close()


class WaveformAudio:
    """A mono waveform in memory ``[T]`` at ``sample_rate``, its sample 0 at ``origin`` seconds; cuts
    each frame's audio window (:meth:`window_at`). :class:`AudioStream` reads the same from a file."""

    def __init__(self, waveform: Tensor, sample_rate: int, origin: float = 0.0) -> None:
        self.sample_rate, self.origin = sample_rate, origin
        self.buffer, self.offset, self.eof = waveform.float().reshape(-1), 0, True

    def _fill(self, until: int) -> None:
        """Read until the buffer reaches sample ``until`` (or the end)."""

    def close(self) -> None:
        """Release what the source holds (nothing in memory)."""

    def window_at(self, centre: float, window: AudioWindow) -> Tuple[Tensor, bool]:
        """The ``window.length`` samples centred on ``centre`` seconds -> (``[L]``, short). A window
        reaching past either end of the sound is moved inside it (the first and last frames hear
        the sound's first and last window); a sound shorter than the window is filled as the method's
        release fills a short clip (``window.crop``) and reported ``short``."""
        length = window.length
        s = int(round((centre - self.origin) * self.sample_rate)) - length // 2
        self._fill(max(s, 0) + length)
        total = self.offset + self.buffer.numel()
        if self.eof and total < length:
            if self.buffer.numel() == 0:
                raise MediaError('the audio track holds no samples')
            return window.crop(self.buffer), True
        if self.eof:
            s = min(s, total - length)
        s = max(s, 0)
        if s < self.offset:
            raise RuntimeError(f'audio window at {centre:.3f} s asked for after release() dropped it')
        return self.buffer[s - self.offset:s - self.offset + length].clone(), False

    def release(self, before: float, keep: int) -> None:
        """Drop the samples before ``before`` seconds, keeping at least the last ``keep`` read (the
        window a frame past the sound's end is moved back to); later windows start there or after."""
        have = self.offset + self.buffer.numel()
        cut = max(self.offset, min(int(round((before - self.origin) * self.sample_rate)), have - keep))
        if cut > self.offset:
            self.buffer, self.offset = self.buffer[cut - self.offset:].clone(), cut


class AudioStream(WaveformAudio):
    """A file's first audio track decoded by ffmpeg to mono float at ``sample_rate`` (``channel``:
    ``'mean'`` of the channels or the ``'first'``, as the method's loader reads), from ``origin``
    seconds for ``duration`` seconds, read as windows are asked for and dropped once behind them."""

    CHUNK_SECONDS = 2.0

    def __init__(self, path: str, sample_rate: int, origin: float = 0.0, duration: Optional[float] = None,
                 channel: str = 'mean') -> None:
        super().__init__(torch.zeros(0), sample_rate, origin)
        self.path, self.eof = path, False
        mix = ['-ac', '1'] if channel == 'mean' else ['-af', 'pan=mono|c0=c0']
        cmd = [ffmpeg_exe(), '-nostdin', '-v', 'error', '-ss', f'{origin:.6f}', '-i', path]
        cmd += (['-t', f'{duration:.6f}'] if duration is not None else []) + ['-map', '0:a:0', '-vn', *mix,
                                                                               '-ar', str(sample_rate), '-f', 'f32le', '-']
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def _fill(self, until: int) -> None:
        chunk = 4 * int(self.CHUNK_SECONDS * self.sample_rate)
        parts = [self.buffer]
        have = self.offset + self.buffer.numel()
        while not self.eof and have < until:
            data = self.proc.stdout.read(max(chunk, 4 * (until - have)))
            if not data:
                self._finish()
                break
            part = torch.from_numpy(np.frombuffer(data[:len(data) // 4 * 4], np.float32).copy()).clamp_(-1.0, 1.0)
            parts.append(part)
            have += part.numel()
        self.buffer = torch.cat(parts) if len(parts) > 1 else self.buffer

    def _finish(self) -> None:
        """The stream ended: wait for ffmpeg; a failed decode raises :class:`MediaError` with its message."""
        self.eof = True
        self.proc.stdout.close()
        err = self.proc.stderr.read().decode(errors='replace')
        self.proc.stderr.close()
        if self.proc.wait() != 0:
            raise MediaError(f'cannot decode the audio of {self.path}: {last_line(err)}', self.path)

    def close(self) -> None:
        """Stop reading (the rest of the sound is not needed)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdout, self.proc.stderr):
            pipe.close()

    def __del__(self) -> None:
        if getattr(self, 'proc', None) is not None and self.proc.poll() is None:
            self.proc.kill()


def write_video(path: str, frames: np.ndarray, fps: float, audio: Optional[np.ndarray] = None, sample_rate: int = 16000,
                audio_codec: Optional[str] = None) -> str:
    """uint8 frames ``[N, H, W, 3]`` at ``fps`` and an optional mono float sound -> ``path`` (H.264 +
    AAC; VP9 + Opus for ``.webm``; ``audio_codec`` overrides: ``pcm_f32le`` in ``.mkv`` is lossless)."""
    import tempfile

    import imageio_ffmpeg
    import soundfile as sf
    webm = path.endswith('.webm')
    with tempfile.TemporaryDirectory() as tmp:
        wav = None
        if audio is not None:
            wav = os.path.join(tmp, 'sound.wav')
            sf.write(wav, np.asarray(audio, np.float32), sample_rate, subtype='FLOAT')
        writer = imageio_ffmpeg.write_frames(path, (frames.shape[2], frames.shape[1]), fps=fps,
                                             codec='libvpx-vp9' if webm else 'libx264', macro_block_size=2,
                                             ffmpeg_log_level='error', audio_path=wav,
                                             audio_codec=audio_codec or ('libopus' if webm else 'aac'))
        writer.send(None)
        for frame in frames:
            writer.send(np.ascontiguousarray(frame))
        writer.close()
    return path


def n_frames(info: VideoInfo, fps: float, start: float, duration: Optional[float]) -> int:
    """How many frames :func:`frame_batches` gives (for the progress bar; ffmpeg decides the last)."""
    span = max(0.0, (info.duration - start) if duration is None else min(duration, info.duration - start))
    return max(1, int(math.floor(span * fps + 0.5)))
