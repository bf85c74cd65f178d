"""Ground-truth maps from annotations, exactly as docs/metrics.md defines them (all 224x224)."""
from __future__ import annotations

import math
from typing import List, Sequence, Tuple

import numpy as np
import torch
from torch import Tensor

from avzoo.utils.errors import AvzooError


def check_box(box, limit: float, where: str) -> Tuple[List[float], bool]:
    """Validate one ``[x0, y0, x1, y1]`` box of an annotation file: four finite numbers, and a
    box inside ``[0, limit]`` must have ``x1 >= x0`` and ``y1 >= y0`` (else an :class:`AvzooError`
    naming ``where``). Returns it clipped to ``[0, limit]`` and whether clipping changed it (the
    caller counts those). A box reaching outside is clipped as the official evaluators clip it,
    even when that leaves it empty (VGG-SS has 12 records with -2.9e16 coordinates)."""
    if not (isinstance(box, (list, tuple)) and len(box) == 4):
        raise AvzooError(f'{where}: box {box!r}; expected [x0, y0, x1, y1]')
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in box):
        raise AvzooError(f'{where}: box {box!r} has non-numeric coordinates')
    if not all(math.isfinite(v) for v in box):
        raise AvzooError(f'{where}: box {box!r} has NaN or infinite coordinates')
    clipped = [min(max(float(v), 0.0), float(limit)) for v in box]
    inside = clipped == [float(v) for v in box]
    x0, y0, x1, y1 = box
    if inside and (x1 < x0 or y1 < y0):
        raise AvzooError(f'{where}: box {box!r} has a negative size (x1 < x0 or y1 < y0)')
    return clipped, not inside


def boxes_to_gt_map(boxes: Sequence[Sequence[float]], size: int = 224) -> Tensor:
    """Pixel boxes ``[[xmin, ymin, xmax, ymax], ...]`` (already in ``size`` space) -> binary map
    ``[size, size]``: rows ymin:ymax, cols xmin:xmax (end-exclusive, int-truncated), union."""
    gt = torch.zeros(size, size)
    for x0, y0, x1, y1 in boxes:           # clipped at 0: a negative coordinate never wraps around
        gt[max(int(y0), 0):max(int(y1), 0), max(int(x0), 0):max(int(x1), 0)] = 1.0
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
        x0, y0, x1, y1 = (max(int(size * v / canvas), 0) for v in box)
        count[y0:y1, x0:x1] += 1.0
    return (count / 2).clamp_(max=1.0)
