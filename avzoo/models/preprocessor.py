"""Batch preparation on the model's device: image normalisation and the audio front end."""
from __future__ import annotations

from typing import Dict, Optional, Sequence

import torch
from mmengine.model import BaseDataPreprocessor
from torch import nn

from avzoo.datasets.transforms import LogSpectrogram
from avzoo.registry import MODELS
from avzoo.utils.imports import import_torchaudio


@MODELS.register_module()
class AVDataPreprocessor(BaseDataPreprocessor):
    """``inputs`` keys starting with ``image`` (uint8 ``[B, 3, H, W]``) -> float, ImageNet-normalised;
    keys starting with ``audio`` (waveforms ``[B, T]``) -> ``[B, 1, F, frames]`` log spectrograms.

    ``spectrogram``: the audio front end, :class:`LogSpectrogram`'s arguments, or a registered front
    end by ``type`` (a module ``[B, T]`` -> ``[B, 1, F, frames]``, e.g. ``MelSpectrogramDB``).

    ``batch_augment``: in training only, ``{input key: transform config}`` applied to that key's
    whole batch on the device, on ``[0, 1]`` floats before normalisation (e.g. ``image_aug=dict(
    type='BatchedSimCLR')``: the SimCLR view drawn on the GPU instead of per sample in the loader
    workers; the dataset then delivers the un-augmented frame for that key).

    ``spec_masks``: in training only, SpecAugment-style masks on the normalised log spectrogram,
    ``dict(freq=W, time=W)``: one band of width ``U[0, W)`` per sample and axis set to 0 (FNAC's
    release, W = 10; torchaudio's FrequencyMasking / TimeMasking)."""

    def __init__(self, spectrogram: Optional[dict] = None,
                 mean: Sequence[float] = (0.485, 0.456, 0.406),
                 std: Sequence[float] = (0.229, 0.224, 0.225), spec_masks: Optional[dict] = None,
                 batch_augment: Optional[Dict[str, dict]] = None) -> None:
        super().__init__()
        spectrogram = dict(spectrogram or {})
        self.spectrogram = MODELS.build(spectrogram) if 'type' in spectrogram else LogSpectrogram(**spectrogram)
        masks = dict(spec_masks or {})
        unknown = set(masks) - {'freq', 'time'}
        if unknown:
            raise ValueError(f'spec_masks takes freq and time widths, got {sorted(unknown)}')
        T = import_torchaudio('transforms') if masks else None
        self.masks = nn.Sequential(*(
            [T.FrequencyMasking(masks['freq'], iid_masks=True)] if masks.get('freq') else []) + (
            [T.TimeMasking(masks['time'], iid_masks=True)] if masks.get('time') else []))
        self.batch_augment = nn.ModuleDict({key: MODELS.build(cfg) for key, cfg in (batch_augment or {}).items()})
        self.register_buffer('mean', torch.tensor(mean).view(1, 3, 1, 1), persistent=False)
        self.register_buffer('std', torch.tensor(std).view(1, 3, 1, 1), persistent=False)

    def forward(self, data: dict, training: bool = False) -> dict:
        data = self.cast_data(data)
        out = {}
        for key, value in data['inputs'].items():
            if key.startswith('image'):
                image = value.float() / 255.0
                if training and key in self.batch_augment:
                    image = self.batch_augment[key](image)
                out[key] = (image - self.mean) / self.std
            elif key.startswith('audio'):
                out[key] = self.spectrogram(value)
                if training and len(self.masks):
                    out[key] = self.masks(out[key])
            else:
                out[key] = value
        return dict(inputs=out, data_samples=data.get('data_samples'))
