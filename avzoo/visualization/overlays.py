"""Heatmap overlays of a few validation samples (what ``HeatmapVisHook`` logs)."""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F

SIZE = 224


def overlay(image: torch.Tensor, heatmap: torch.Tensor, gt: Optional[torch.Tensor] = None, alpha: float = 0.5) -> np.ndarray:
    """uint8 ``[3, H, W]`` frame, ``[S, S]`` map in [0, 1], optional ``[S, S]`` GT -> ``[S, S, 3]``
    uint8: the map in the jet colour scale over the frame, the GT outlined in white."""
    from matplotlib import colormaps
    s = heatmap.shape[-1]
    frame = F.interpolate(image[None].float(), size=(s, s), mode='bilinear', align_corners=False)[0]
    frame = frame.clamp(0, 255).permute(1, 2, 0).numpy() / 255.0
    colour = colormaps['jet'](heatmap.clamp(0, 1).numpy())[..., :3]
    out = (1 - alpha) * frame + alpha * colour
    if gt is not None:
        g = (gt > 0).numpy()
        edge = np.zeros_like(g)
        edge[1:, :] |= g[1:, :] != g[:-1, :]
        edge[:, 1:] |= g[:, 1:] != g[:, :-1]
        out[edge] = 1.0
    return (out * 255).round().astype(np.uint8)


def heatmap_strip(images: Sequence[torch.Tensor], heatmaps: Sequence[torch.Tensor], gts: Sequence[torch.Tensor],
                  title: str) -> np.ndarray:
    """Samples side by side under a title line, with a jet colour bar labelled 0 and 1 at the right."""
    from matplotlib import colormaps
    from PIL import Image, ImageDraw
    tiles = [overlay(i, h, g) for i, h, g in zip(images, heatmaps, gts)]
    row = np.concatenate(tiles, axis=1)
    bar = (colormaps['jet'](np.linspace(1, 0, row.shape[0]))[:, :3] * 255).astype(np.uint8)
    bar = np.repeat(bar[:, None, :], 14, axis=1)
    body = np.concatenate([row, np.full((row.shape[0], 6, 3), 255, np.uint8), bar,
                           np.full((row.shape[0], 22, 3), 255, np.uint8)], axis=1)
    canvas = Image.new('RGB', (body.shape[1], body.shape[0] + 34), 'white')
    canvas.paste(Image.fromarray(body), (0, 34))
    draw = ImageDraw.Draw(canvas)
    draw.text((4, 2), title, fill='black')
    draw.text((4, 17), 'map: jet colour scale, min-max per map (bar: 1 top, 0 bottom); white outline: ground truth',
              fill='black')
    x = row.shape[1] + 6 + 14 + 3
    draw.text((x, 34), '1', fill='black')
    draw.text((x, canvas.height - 12), '0', fill='black')
    return np.asarray(canvas)
