"""Ground-truth maps from annotations, exactly as docs/metrics.md defines them (all 224x224)."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import torch
from torch import Tensor


def boxes_to_gt_map(boxes: Sequence[Sequence[float]], size: int = 224) -> Tensor:
    """Pixel boxes ``[[xmin, ymin, xmax, ymax], ...]`` (already in ``size`` space) -> binary map
    ``[size, size]``: rows ymin:ymax, cols xmin:xmax (end-exclusive, int-truncated), union."""
    gt = torch.zeros(size, size)
    for x0, y0, x1, y1 in boxes:
        gt[int(y0):int(y1), int(x0):int(x1)] = 1.0
    return gt


def normalized_boxes_to_gt_map(boxes: Sequence[Sequence[float]], size: int = 224) -> Tensor:
    """VGG-SS boxes normalised to [0, 1] -> ``(clip(b, 0, 1) * size).astype(int)`` -> binary map."""
    px = (np.clip(np.asarray(boxes, dtype=np.float64).reshape(-1, 4), 0, 1) * size).astype(int)
    return boxes_to_gt_map(px.tolist(), size)


def consensus_gt_map(boxes: Sequence[Sequence[float]], size: int = 224, canvas: int = 256) -> Tensor:
    """Flickr-SoundNet consensus: boxes in ``canvas`` px -> ``int(size * v / canvas)``; the map
    counts boxes (of all annotators) and is ``min(count / 2, 1)`` -> values in {0, 0.5, 1}."""
    count = torch.zeros(size, size)
    for box in boxes:
        x0, y0, x1, y1 = (int(size * v / canvas) for v in box)
        count[y0:y1, x0:x1] += 1.0
    return (count / 2).clamp_(max=1.0)
