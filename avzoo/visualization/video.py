"""Overlay videos (``avzoo localize VIDEO``): batches of frames with each run's map in the jet
colour scale, one named column per run, a colour bar, encoded to H.264 mp4 with the source's
sound muxed back (:class:`OverlayVideoWriter`)."""
from __future__ import annotations

import os
import subprocess
from functools import lru_cache
from typing import List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F

from avzoo.utils.errors import AvzooError
from avzoo.utils.ffmpeg import ffmpeg_exe, last_line

BAND = 22          # rows of the title band above each column
BAR = 34           # columns of the colour bar at the right (bar + labels)


@lru_cache(maxsize=1)
def jet_lut() -> np.ndarray:
    """matplotlib's jet as a ``[256, 3]`` float table in [0, 1]."""
    from matplotlib import colormaps
    return colormaps['jet'](np.linspace(0, 1, 256))[:, :3].astype(np.float32)


def overlay_batch(frames: np.ndarray, heat: torch.Tensor, alpha: float = 0.5) -> np.ndarray:
    """uint8 frames ``[B, H, W, 3]`` + maps ``[B, S, S]`` in [0, 1] -> uint8 ``[B, H, W, 3]``: each
    map resized to its frame (bilinear) in the jet colour scale, blended with weight ``alpha``, as
    ``avzoo localize`` draws one frame."""
    h, w = frames.shape[1:3]
    up = F.interpolate(heat[:, None].float(), size=(h, w), mode='bilinear', align_corners=False)[:, 0]
    colour = jet_lut()[(up.clamp(0, 1) * 255).round().long().numpy()]
    blend = (1 - alpha) * frames.astype(np.float32) / 255 + alpha * colour
    return (blend * 255).round().astype(np.uint8)


def title_band(width: int, text: str) -> np.ndarray:
    """A black ``[BAND, width, 3]`` band with ``text`` in white (cv2's Hershey font)."""
    import cv2
    band = np.zeros((BAND, width, 3), np.uint8)
    cv2.putText(band, text, (4, BAND - 7), cv2.FONT_HERSHEY_SIMPLEX, 0.42, (255, 255, 255), 1, cv2.LINE_AA)
    return band


@lru_cache(maxsize=4)
def colour_bar(height: int) -> np.ndarray:
    """``[height, BAR, 3]``: the jet scale (1 at the top, 0 at the bottom) with its two labels."""
    import cv2
    bar = np.full((height, BAR, 3), 255, np.uint8)
    rows = height - BAND
    bar[BAND:, 4:16] = (jet_lut()[np.linspace(255, 0, rows).round().astype(int)] * 255).round().astype(np.uint8)[:, None]
    for text, y in (('1', BAND + 10), ('0', height - 3)):
        cv2.putText(bar, text, (19, y), cv2.FONT_HERSHEY_SIMPLEX, 0.38, (0, 0, 0), 1, cv2.LINE_AA)
    return bar


def side_by_side(columns: Sequence[np.ndarray], titles: Sequence[Sequence[str]]) -> np.ndarray:
    """Per run an overlay batch ``[B, H, W, 3]`` and per run and frame a title -> ``[B, BAND + H,
    n * W + BAR, 3]``: the runs' columns under their titles, then the colour bar."""
    b, h = columns[0].shape[:2]
    out = []
    for i in range(b):
        cols = [np.concatenate([title_band(c.shape[2], t[i]), c[i]]) for c, t in zip(columns, titles)]
        out.append(np.concatenate(cols + [colour_bar(h + BAND)], axis=1))
    return np.stack(out)


class OverlayVideoWriter:
    """Frames -> ``out`` (H.264, yuv420p, ``fps``), then the sound of ``audio_from`` between
    ``audio_start`` and ``audio_start + duration`` muxed back (AAC). Written beside ``out`` under
    temporary names and renamed at the end: an interrupted run leaves no half video at ``out``."""

    def __init__(self, out: str, width: int, height: int, fps: float, audio_from: Optional[str] = None,
                 audio_start: float = 0.0) -> None:
        import imageio_ffmpeg
        self.out, self.fps, self.audio_from, self.audio_start, self.n = out, fps, audio_from, audio_start, 0
        os.makedirs(os.path.dirname(os.path.abspath(out)) or '.', exist_ok=True)
        self.silent = out + '.frames.partial.mp4'
        self.writer = imageio_ffmpeg.write_frames(self.silent, (width, height), fps=fps, codec='libx264', quality=7,
                                                  macro_block_size=2, ffmpeg_log_level='error',
                                                  output_params=['-movflags', '+faststart'])
        self.writer.send(None)

    def write(self, frames: np.ndarray) -> None:
        """uint8 ``[B, H, W, 3]``."""
        for frame in frames:
            self.writer.send(np.ascontiguousarray(frame))
        self.n += len(frames)

    def close(self) -> str:
        """Finish the video stream and mux the sound; returns ``out``."""
        self.writer.close()
        if self.audio_from is None:
            os.replace(self.silent, self.out)
            return self.out
        partial = self.out + '.partial.mp4'
        cmd = [ffmpeg_exe(), '-nostdin', '-v', 'error', '-y', '-i', self.silent, '-ss', f'{self.audio_start:.6f}',
               '-t', f'{self.n / self.fps:.6f}', '-i', self.audio_from, '-map', '0:v:0', '-map', '1:a:0', '-c:v', 'copy',
               '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', partial]
        run = subprocess.run(cmd, capture_output=True, text=True, errors='replace')
        os.remove(self.silent)
        if run.returncode != 0:
            if os.path.exists(partial):
                os.remove(partial)
            raise AvzooError(f'could not mux the sound of {self.audio_from} into {self.out}: {last_line(run.stderr)}')
        os.replace(partial, self.out)
        return self.out

    def abort(self) -> None:
        """Drop what was written (after an error)."""
        try:
            self.writer.close()
        except Exception:   # the encoder may already be gone
            pass
        for path in (self.silent, self.out + '.partial.mp4'):
            if os.path.exists(path):
                os.remove(path)


def column_titles(name: str, peaks: Sequence[float], times: Sequence[float], with_time: bool) -> List[str]:
    """``'EZ-VSL  peak 0.71  3.25 s'`` per frame (the peak on the (cos + 1) / 2 scale)."""
    return [f'{name}  peak {p:.2f}' + (f'  {t:.2f} s' if with_time else '') for p, t in zip(peaks, times)]
