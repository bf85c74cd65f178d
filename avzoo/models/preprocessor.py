"""Batch preparation on the model's device: image normalisation and the audio front end."""
from __future__ import annotations

from typing import Optional, Sequence

import torch
from mmengine.model import BaseDataPreprocessor

from avzoo.datasets.transforms import LogSpectrogram
from avzoo.registry import MODELS


@MODELS.register_module()
class AVDataPreprocessor(BaseDataPreprocessor):
    """``inputs`` keys starting with ``image`` (uint8 ``[B, 3, H, W]``) -> float, ImageNet-normalised;
    keys starting with ``audio`` (waveforms ``[B, T]``) -> ``[B, 1, F, frames]`` log spectrograms."""

    def __init__(self, spectrogram: Optional[dict] = None,
                 mean: Sequence[float] = (0.485, 0.456, 0.406),
                 std: Sequence[float] = (0.229, 0.224, 0.225)) -> None:
        super().__init__()
        self.spectrogram = LogSpectrogram(**(spectrogram or {}))
        self.register_buffer('mean', torch.tensor(mean).view(1, 3, 1, 1), persistent=False)
        self.register_buffer('std', torch.tensor(std).view(1, 3, 1, 1), persistent=False)

    def forward(self, data: dict, training: bool = False) -> dict:
        data = self.cast_data(data)
        out = {}
        for key, value in data['inputs'].items():
            if key.startswith('image'):
                out[key] = (value.float() / 255.0 - self.mean) / self.std
            elif key.startswith('audio'):
                out[key] = self.spectrogram(value)
            else:
                out[key] = value
        return dict(inputs=out, data_samples=data.get('data_samples'))
