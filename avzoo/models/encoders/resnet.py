"""ResNet encoders for images and spectrograms, with torchvision's ResNet-18 key names.

The default widths ``(64, 128, 256, 512)`` and blocks ``(2, 2, 2, 2)`` are ResNet-18: a local
torchvision checkpoint (``pretrained='path/resnet18.pth'``) loads into it. Smaller widths give the
quick CPU variants used on avzoo-synth. ``strides[3] = 1`` keeps layer4 at stride 16, the LVS /
alignment-method layout (224 px -> 14x14); ``strides[3] = 2`` is torchvision's (224 px -> 7x7).
"""
from __future__ import annotations

import os
from typing import Optional, Sequence

import torch
from mmengine.model import BaseModule
from torch import Tensor, nn
from torchvision.models.resnet import BasicBlock

from avzoo.registry import MODELS
from avzoo.utils.errors import AvzooError


def _make_stage(in_ch: int, out_ch: int, blocks: int, stride: int, signed_output: bool = False) -> nn.Sequential:
    downsample = None
    if stride != 1 or in_ch != out_ch:
        downsample = nn.Sequential(nn.Conv2d(in_ch, out_ch, 1, stride, bias=False), nn.BatchNorm2d(out_ch))
    layers = [BasicBlock(in_ch, out_ch, stride, downsample)]
    layers += [BasicBlock(out_ch, out_ch) for _ in range(blocks - 1)]
    if signed_output:
        last = layers[-1]
        layers[-1] = SignedOutputBlock(last.conv1.in_channels, out_ch, last.stride, last.downsample)
    return nn.Sequential(*layers)


class SignedOutputBlock(BasicBlock):
    """A BasicBlock without the ReLU after the residual sum (same parameters and key names)."""

    def forward(self, x: Tensor) -> Tensor:
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return out + (self.downsample(x) if self.downsample is not None else x)


@MODELS.register_module()
class ResNetEncoder(BaseModule):
    """ResNet trunk returning the layer4 map, or a pooled vector.

    Args:
        in_channels: 3 for RGB frames, 1 for spectrograms (the audio stem of the releases).
        widths / blocks / strides: per-stage channels, BasicBlocks and strides.
        pool: ``None`` -> map ``[B, C, h, w]``; ``'max'`` / ``'avg'`` -> vector ``[B, C]``.
        final_relu: keep the ReLU that ends the last block (torchvision and the releases do);
            ``False`` returns signed features.
        center: end with a BatchNorm without affine parameters, so the output has zero mean per
            channel (over the batch; running statistics at test time).
        pretrained: local path of a torchvision-layout state dict (never downloaded).
    """

    def __init__(self, in_channels: int = 3, widths: Sequence[int] = (64, 128, 256, 512),
                 blocks: Sequence[int] = (2, 2, 2, 2), strides: Sequence[int] = (1, 2, 2, 1),
                 pool: Optional[str] = None, final_relu: bool = True, center: bool = False,
                 pretrained: Optional[str] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg)
        if pool not in (None, 'max', 'avg'):
            raise AvzooError(f"ResNetEncoder.pool must be None, 'max' or 'avg', got {pool!r}")
        self.conv1 = nn.Conv2d(in_channels, widths[0], 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        in_ch = widths[0]
        for i, (w, b, s) in enumerate(zip(widths, blocks, strides)):
            last = i == len(widths) - 1
            setattr(self, f'layer{i + 1}', _make_stage(in_ch, w, b, s, signed_output=last and not final_relu))
            in_ch = w
        self.out_channels = in_ch
        self.pool = pool
        self.center = None
        if center:
            self.center = nn.BatchNorm1d(in_ch, affine=False) if pool else nn.BatchNorm2d(in_ch, affine=False)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
        if pretrained is not None:
            self.load_torchvision_weights(pretrained)

    def load_torchvision_weights(self, path: str) -> None:
        """Load a local torchvision ResNet state dict (``fc.*`` ignored; a 3-channel ``conv1`` is
        averaged to 1 channel for spectrogram stems)."""
        if not os.path.isfile(path):
            raise AvzooError(f'pretrained weights not found: {path} (place a torchvision '
                             f'resnet18 state dict there; avzoo never downloads weights)')
        state = torch.load(path, map_location='cpu', weights_only=True)
        state = state.get('state_dict', state)
        state = {k: v for k, v in state.items() if not k.startswith('fc.')}
        w = state.get('conv1.weight')
        if w is not None and w.shape[1] != self.conv1.in_channels and self.conv1.in_channels == 1:
            state['conv1.weight'] = w.mean(dim=1, keepdim=True)
        missing, unexpected = self.load_state_dict(state, strict=False)
        if missing or unexpected:
            raise AvzooError(f'{path}: does not match ResNetEncoder (missing {missing[:3]}..., '
                             f'unexpected {unexpected[:3]}...)')

    def forward(self, x: Tensor) -> Tensor:
        """x: ``[B, in_channels, H, W]`` -> ``[B, C, H/16, W/16]`` (strides (1,2,2,1)) or ``[B, C]``."""
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        if self.pool == 'max':
            x = x.amax(dim=(2, 3))
        elif self.pool == 'avg':
            x = x.mean(dim=(2, 3))
        return self.center(x) if self.center is not None else x
