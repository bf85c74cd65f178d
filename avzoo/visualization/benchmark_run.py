"""One method's per-sample results over one benchmark, what the comparison figures draw."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List

import numpy as np


@dataclass
class BenchmarkRun:
    """``ciou`` / ``ciou_adap``: per-sample IoU at the standard / adaptive threshold ``[N]``;
    ``gt_area``: ground-truth share of the image ``[N]``; ``heatmaps`` / ``gt_maps``: ``[224, 224]``
    of the kept sample indices (dataset indices); ``frames``, ``kept_ids``, ``kept_ciou``: their
    frame paths, ids and IoUs."""
    label: str
    bench: str
    ids: List[str]
    groups: List[str]
    ciou: np.ndarray
    ciou_adap: np.ndarray
    gt_area: np.ndarray
    heatmaps: Dict[int, np.ndarray] = field(default_factory=dict)
    gt_maps: Dict[int, np.ndarray] = field(default_factory=dict)
    frames: Dict[int, str] = field(default_factory=dict)
    kept_ids: Dict[int, str] = field(default_factory=dict)
    kept_ciou: Dict[int, float] = field(default_factory=dict)
