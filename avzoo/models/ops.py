"""Map operations shared by the models, the post-processing and the evaluators.

The lowest floor of avzoo: it imports nothing of avzoo except the error type, so every layer
above (models, postprocess, evaluation) can use it without importing each other."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from avzoo.utils.errors import AvzooError

UPSAMPLE_MODES = ('bilinear_align_corners', 'bilinear')


def minmax_normalize(maps: Tensor) -> Tensor:
    """Per-sample min-max to [0, 1]: ``[B, H, W]`` -> ``[B, H, W]``. A constant map becomes all
    zeros (the releases return it unchanged; either way no pixel passes a strict threshold); a map
    with NaN stays NaN, so evaluation can refuse it instead of scoring an empty map."""
    flat = maps.flatten(1)
    lo, hi = flat.min(dim=1, keepdim=True).values, flat.max(dim=1, keepdim=True).values
    span = hi - lo
    out = torch.where(span == 0, torch.zeros_like(flat), (flat - lo) / span.clamp_min(torch.finfo(maps.dtype).tiny))
    return out.view_as(maps)


def check_upsample_mode(mode: str) -> str:
    if mode not in UPSAMPLE_MODES:
        raise AvzooError(f"upsample mode must be one of {UPSAMPLE_MODES}, got {mode!r}")
    return mode


def upsample_maps(maps: Tensor, size: int = 224, mode: str = 'bilinear_align_corners') -> Tensor:
    """``[B, h, w]`` -> ``[B, size, size]``. ``'bilinear_align_corners'``: the releases' default
    (F.interpolate, align_corners=True); ``'bilinear'``: half-pixel centres, as cv2.INTER_LINEAR,
    which the alignment release used for VGG-SS."""
    check_upsample_mode(mode)
    return F.interpolate(maps.unsqueeze(1).float(), size=(size, size), mode='bilinear',
                         align_corners=mode == 'bilinear_align_corners').squeeze(1)
