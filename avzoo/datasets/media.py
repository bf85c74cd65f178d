"""Reading frames and audio clips; decode failures raise :class:`MediaError` naming the file."""
from __future__ import annotations

import os
import warnings
from typing import Optional

import numpy as np
import soundfile as sf
import torch
from PIL import Image, UnidentifiedImageError
from torch import Tensor

from avzoo.utils.imports import import_torchaudio


class MediaError(Exception):
    """A media file that is missing or cannot be decoded (the message names it; ``path`` is it)."""

    def __init__(self, message: str, path: Optional[str] = None) -> None:
        super().__init__(message)
        self.path = path


# What PIL raises for files it cannot decode: unknown or broken formats, truncated data, and a
# "decompression bomb" (a small file declaring a huge image; its warning is made an error too,
# so such a frame never allocates gigabytes). Every one is undecodable media: counted, skipped.
DECODE_ERRORS = (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, MemoryError,
                 Image.DecompressionBombError, Image.DecompressionBombWarning)


def _open_image(path: str, mode: str, what: str, resize: Optional[int] = None) -> np.ndarray:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('error', Image.DecompressionBombWarning)
            with Image.open(path) as img:
                img = img.convert(mode)
                return np.asarray(img.resize((resize, resize)) if resize else img)
    except DECODE_ERRORS as exc:
        raise MediaError(f'corrupt {what}: {path} ({type(exc).__name__}: {str(exc)[:120]})', path) from None


def load_frame(path: str) -> Tensor:
    """Decode an image file -> uint8 ``[3, H, W]``."""
    if not os.path.isfile(path):
        raise MediaError(f'missing frame: {path}', path)
    arr = _open_image(path, 'RGB', 'frame')
    return torch.from_numpy(arr.copy()).permute(2, 0, 1).contiguous()


def load_mask(path: str, size: int = 224) -> Tensor:
    """Segmentation mask -> float ``[size, size]`` in {0, 1} (resize with PIL's default filter,
    then ``>= 128``, as the AVSBench/IS3 evaluation did)."""
    if not os.path.isfile(path):
        raise MediaError(f'missing mask: {path}', path)
    arr = _open_image(path, 'L', 'mask', resize=size)
    return torch.from_numpy((arr >= 128).astype(np.float32))


def load_audio(path: str, sample_rate: int, clip_seconds: float, channel: str = 'mean') -> Tensor:
    """Read a wav clip -> float32 mono ``[T]``, ``T <= round(sample_rate * clip_seconds)``.

    Stereo is averaged (``channel='mean'``, EZ-VSL) or its first channel kept (``'first'``, the
    alignment release); other rates are resampled; long clips are cut to ``clip_seconds`` and the
    signal is clipped to [-1, 1] as in the releases. A short clip keeps its length: the window
    (``AudioWindow``) decides how to fill it. Samples that are NaN or infinite (a float file written
    from a diverged process) make the clip corrupt media, never a NaN spectrogram that would be
    blamed on the model.
    """
    if not os.path.isfile(path):
        raise MediaError(f'missing audio: {path}', path)
    try:
        data, sr = sf.read(path, dtype='float32', always_2d=True)
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        raise MediaError(f'corrupt audio: {path} ({exc})', path) from None
    if data.shape[0] == 0:
        raise MediaError(f'corrupt audio: {path} (no samples)', path)
    if not np.isfinite(data).all():
        raise MediaError(f'corrupt audio: {path} ({int((~np.isfinite(data)).sum())} samples are NaN or infinite)', path)
    mono = data.mean(axis=1) if channel == 'mean' else data[:, 0]
    wav = torch.from_numpy(np.ascontiguousarray(mono))
    if sr != sample_rate:
        wav = import_torchaudio('functional').resample(wav, sr, sample_rate)
    return wav[:int(round(sample_rate * clip_seconds))].clamp_(-1.0, 1.0)
