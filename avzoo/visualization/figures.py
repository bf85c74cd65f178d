"""Figures a reader understands without the README: titled, with a colour scale and a legend
(matplotlib, headless Agg backend)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence

import numpy as np

BOX_LEGEND = 'white box: ground-truth box of the sounding object'
GT_LEGEND = 'white outline: ground truth (box or mask) of the sounding object'
SCALE_LABEL = 'localisation map (min-max normalised per map)'


@dataclass
class Panel:
    """One image of a figure: an RGB frame ``[H, W, 3]`` uint8, an optional map in [0, 1] (any
    size, resized to the frame), white boxes ``(x0, y0, x1, y1)`` in frame pixels, an optional
    ground-truth map (any size, drawn as a white outline), a caption."""
    frame: np.ndarray
    caption: str
    heatmap: Optional[np.ndarray] = None
    boxes: Sequence[Sequence[float]] = ()
    gt: Optional[np.ndarray] = None


def heatmap_figure(rows: List[List[Panel]], title: str, subtitle: str = '', alpha: float = 0.5,
                   scale_label: str = SCALE_LABEL):
    """A grid of panels -> a matplotlib Figure with a title, a shared colour scale (jet, 0..1) and
    a legend for the boxes. The caller saves it (``fig.savefig``) and closes it."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    n_rows, n_cols = len(rows), max(len(r) for r in rows)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(2.6 * n_cols + 1.2, 2.5 * n_rows + 1.0), squeeze=False,
                             layout='constrained')
    mappable = None
    for r, row in enumerate(rows):
        for c in range(n_cols):
            ax = axes[r][c]
            ax.set_xticks([])
            ax.set_yticks([])
            if c >= len(row):
                ax.axis('off')
                continue
            p = row[c]
            h, w = p.frame.shape[:2]
            ax.imshow(p.frame, extent=(0, w, h, 0))
            if p.heatmap is not None:
                mappable = ax.imshow(p.heatmap, cmap='jet', vmin=0.0, vmax=1.0, alpha=alpha,
                                     extent=(0, w, h, 0), interpolation='bilinear')
            if p.gt is not None and p.gt.max() > 0:
                gh, gw = p.gt.shape
                ax.contour((np.arange(gw) + 0.5) * w / gw, (np.arange(gh) + 0.5) * h / gh, p.gt, levels=[0.25],
                           colors='white', linewidths=1.5)
            for x0, y0, x1, y1 in p.boxes:
                ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor='white', linewidth=1.5))
            ax.set_title(p.caption, fontsize=7)
    fig.suptitle(title + (f'\n{subtitle}' if subtitle else ''), fontsize=10)
    if mappable is not None:
        cbar = fig.colorbar(mappable, ax=axes.ravel().tolist(), fraction=0.03, pad=0.02)
        cbar.set_label(scale_label, fontsize=8)
        cbar.solids.set_alpha(1.0)               # the scale itself is drawn opaque
    has_gt, has_boxes = (any(p.gt is not None for row in rows for p in row),
                         any(len(p.boxes) for row in rows for p in row))
    if has_gt or has_boxes:
        fig.legend(handles=[Patch(facecolor='0.25', edgecolor='white', linewidth=1.5,
                                  label=GT_LEGEND if has_gt else BOX_LEGEND)],
                   loc='outside lower center', fontsize=8, frameon=False)
    return fig


def save_figure(fig, path: str, dpi: int = 110) -> str:
    """Write ``fig`` (PNG, or JPEG quality 85 for a ``.jpg`` path: image grids stay small) and close it."""
    import matplotlib.pyplot as plt
    extra = dict(pil_kwargs=dict(quality=85)) if path.lower().endswith(('.jpg', '.jpeg')) else {}
    fig.savefig(path, dpi=dpi, **extra)
    plt.close(fig)
    return path
