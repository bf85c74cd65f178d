"""Reading frames and audio clips; decode failures raise :class:`MediaError` naming the file."""
from __future__ import annotations

import os

import numpy as np
import soundfile as sf
import torch
import torchaudio.functional as AF
from PIL import Image, UnidentifiedImageError
from torch import Tensor


class MediaError(Exception):
    """A media file that is missing or cannot be decoded (the message names it)."""


def load_frame(path: str) -> Tensor:
    """Decode an image file -> uint8 ``[3, H, W]``."""
    if not os.path.isfile(path):
        raise MediaError(f'missing frame: {path}')
    try:
        with Image.open(path) as img:
            arr = np.asarray(img.convert('RGB'))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise MediaError(f'corrupt frame: {path} ({exc})') from None
    return torch.from_numpy(arr.copy()).permute(2, 0, 1).contiguous()


def load_mask(path: str, size: int = 224) -> Tensor:
    """Segmentation mask -> float ``[size, size]`` in {0, 1} (resize with PIL's default filter,
    then ``>= 128``, as the AVSBench/IS3 evaluation did)."""
    if not os.path.isfile(path):
        raise MediaError(f'missing mask: {path}')
    try:
        with Image.open(path) as img:
            arr = np.asarray(img.convert('L').resize((size, size)))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise MediaError(f'corrupt mask: {path} ({exc})') from None
    return torch.from_numpy((arr >= 128).astype(np.float32))


def load_audio(path: str, sample_rate: int, clip_seconds: float, channel: str = 'mean') -> Tensor:
    """Read a wav clip -> float32 mono ``[T]``, ``T <= round(sample_rate * clip_seconds)``.

    Stereo is averaged (``channel='mean'``, EZ-VSL) or its first channel kept (``'first'``, the
    alignment release); other rates are resampled; long clips are cut to ``clip_seconds`` and the
    signal is clipped to [-1, 1] as in the releases. A short clip keeps its length: the window
    (``AudioWindow``) decides how to fill it.
    """
    if not os.path.isfile(path):
        raise MediaError(f'missing audio: {path}')
    try:
        data, sr = sf.read(path, dtype='float32', always_2d=True)
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        raise MediaError(f'corrupt audio: {path} ({exc})') from None
    if data.shape[0] == 0:
        raise MediaError(f'corrupt audio: {path} (no samples)')
    mono = data.mean(axis=1) if channel == 'mean' else data[:, 0]
    wav = torch.from_numpy(np.ascontiguousarray(mono))
    if sr != sample_rate:
        wav = AF.resample(wav, sr, sample_rate)
    return wav[:int(round(sample_rate * clip_seconds))].clamp_(-1.0, 1.0)
