"""Heatmap overlays and figure grids (OpenCV)."""
from __future__ import annotations

from typing import List, Optional, Sequence

import cv2
import numpy as np


def overlay(image_rgb: np.ndarray, heatmap: np.ndarray, alpha: float = 0.5,
            box: Optional[Sequence[int]] = None) -> np.ndarray:
    """RGB uint8 ``[H, W, 3]`` + map in [0, 1] (any size) -> RGB overlay (JET), optional GT box."""
    h, w = image_rgb.shape[:2]
    heat = cv2.resize(heatmap.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    colour = cv2.cvtColor(cv2.applyColorMap(np.uint8(255 * np.clip(heat, 0, 1)), cv2.COLORMAP_JET),
                          cv2.COLOR_BGR2RGB)
    out = cv2.addWeighted(image_rgb, 1 - alpha, colour, alpha, 0)
    if box is not None:
        x0, y0, x1, y1 = (int(v) for v in box)
        cv2.rectangle(out, (x0, y0), (x1 - 1, y1 - 1), (255, 255, 255), 2)
    return out


def captioned(image_rgb: np.ndarray, text: str) -> np.ndarray:
    bar = np.full((18, image_rgb.shape[1], 3), 255, np.uint8)
    cv2.putText(bar, text[:40], (3, 13), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1, cv2.LINE_AA)
    return np.vstack([bar, image_rgb])


def save_grid(rows: List[List[np.ndarray]], path: str, pad: int = 4) -> None:
    """Write rows of equally sized RGB tiles as one PNG."""
    h, w = rows[0][0].shape[:2]
    n_cols = max(len(r) for r in rows)
    canvas = np.full((len(rows) * (h + pad) + pad, n_cols * (w + pad) + pad, 3), 255, np.uint8)
    for i, row in enumerate(rows):
        for j, tile in enumerate(row):
            y, x = pad + i * (h + pad), pad + j * (w + pad)
            canvas[y:y + h, x:x + w] = tile
    cv2.imwrite(path, cv2.cvtColor(canvas, cv2.COLOR_RGB2BGR))
