"""Image pipelines (torchvision v2, built from configs) and the audio front end.

Every ``torchvision.transforms.v2`` class is registered in ``TRANSFORMS`` as ``'tv/<Name>'``, so a
config writes ``dict(type='tv/RandomResizedCrop', size=128, scale=(0.2, 1.0))``.
"""
from __future__ import annotations

import inspect
import math
from typing import Callable, Optional, Sequence

import torch
from einops import rearrange
from torch import Tensor, nn
from torchvision.transforms import v2

from avzoo.registry import TRANSFORMS

for _name, _cls in inspect.getmembers(v2, inspect.isclass):
    if issubclass(_cls, v2.Transform) and f'tv/{_name}' not in TRANSFORMS:
        TRANSFORMS.register_module(name=f'tv/{_name}', module=_cls)


def build_transform(cfg: dict) -> Callable:
    """One transform config; nested ``transforms=[...]`` (RandomApply, RandomChoice) are built too,
    and ``interpolation='bicubic'`` (a name) becomes torchvision's ``InterpolationMode``."""
    cfg = dict(cfg)
    if isinstance(cfg.get('interpolation'), str):
        cfg['interpolation'] = v2.InterpolationMode(cfg['interpolation'])
    if isinstance(cfg.get('transforms'), (list, tuple)):
        cfg['transforms'] = [build_transform(c) if isinstance(c, dict) else c for c in cfg['transforms']]
    return TRANSFORMS.build(cfg)


def build_image_pipeline(cfgs: Optional[Sequence[dict]]) -> Callable[[Tensor], Tensor]:
    """List of transform configs -> ``v2.Compose`` on uint8 ``[3, H, W]`` tensors."""
    return v2.Compose([build_transform(c) for c in (cfgs or [])])


def periodic_tukey(n: int, alpha: float = 0.25) -> Tensor:
    """scipy's ``get_window(('tukey', alpha), n)`` (periodic): ``tukey(n + 1, sym=True)[:-1]``."""
    m = n + 1
    k = torch.arange(m, dtype=torch.float64)
    width = int(math.floor(alpha * (m - 1) / 2.0))
    w = torch.ones(m, dtype=torch.float64)
    left, right = k[:width + 1], k[m - width - 1:]
    w[:width + 1] = 0.5 * (1 + torch.cos(math.pi * (-1 + 2.0 * left / alpha / (m - 1))))
    w[m - width - 1:] = 0.5 * (1 + torch.cos(math.pi * (-2.0 / alpha + 1 + 2.0 * right / alpha / (m - 1))))
    return w[:-1].float()


@TRANSFORMS.register_module()
class LogSpectrogram(nn.Module):
    """Waveform ``[B, T]`` -> ``[B, 1, n_fft // 2 + 1, frames]``: ``(log(S + eps) - mean) / std``.

    ``S`` is the one-sided power spectral density of ``scipy.signal.spectrogram`` (constant
    detrend per frame, Tukey(0.25) window, ``scaling='density'``), which the SSL releases feed
    their ResNets (16 kHz, n_fft 512, hop 159, mean 0, std 12 -> 257x299 for 3 s). Framing,
    detrending and density scaling are torch ops here because torchaudio's ``Spectrogram`` has
    no per-frame detrend; the FFT is ``torch.fft.rfft``.
    """

    def __init__(self, sample_rate: int = 16000, n_fft: int = 512, hop_length: int = 159,
                 window: str = 'tukey', eps: float = 1e-7, mean: float = 0.0, std: float = 12.0,
                 detrend: bool = True) -> None:
        super().__init__()
        if window == 'tukey':
            win = periodic_tukey(n_fft)
        elif window == 'hann':
            win = torch.hann_window(n_fft)
        else:
            raise ValueError(f"LogSpectrogram.window must be 'tukey' or 'hann', got {window!r}")
        self.register_buffer('window', win, persistent=False)
        self.sample_rate, self.n_fft, self.hop_length = sample_rate, n_fft, hop_length
        self.eps, self.mean, self.std, self.detrend = eps, mean, std, detrend

    def n_frames(self, n_samples: int) -> int:
        return (n_samples - self.n_fft) // self.hop_length + 1

    def forward(self, wav: Tensor) -> Tensor:
        frames = wav.float().unfold(-1, self.n_fft, self.hop_length)  # [B, F, n_fft]
        if self.detrend:
            frames = frames - frames.mean(dim=-1, keepdim=True)
        spec = torch.fft.rfft(frames * self.window, dim=-1).abs().pow(2)  # [B, F, K]
        spec = spec / (self.sample_rate * self.window.pow(2).sum())
        spec[..., 1:(-1 if self.n_fft % 2 == 0 else None)] *= 2.0  # one-sided: all but DC/Nyquist
        logspec = (torch.log(spec + self.eps) - self.mean) / self.std
        return rearrange(logspec, 'b frames k -> b 1 k frames')
