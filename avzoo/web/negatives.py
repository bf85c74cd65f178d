"""One frame heard with a sound and with sounds that have no source in it (silence, white noise,
another sound): every run's map for each, drawn as one figure (the page's image view)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch

from avzoo.apis.runs import Run
from avzoo.datasets.media import load_frame
from avzoo.visualization import Panel, heatmap_figure, save_figure

NOISE_STD = 1.0   # as the negative-audio evaluation (avzoo/datasets/negatives.py)


@dataclass
class SoundCase:
    """A sound the frame is heard with: ``kind`` (``sound`` / ``silence`` / ``noise`` / ``another
    sound``) and its file (None for the generated ones)."""
    kind: str
    path: Optional[str] = None


def _waveform(case: SoundCase, run: Run) -> torch.Tensor:
    """The run's window of the case's sound ``[L]``: a file's window is cut as ``avzoo localize
    IMAGE AUDIO`` cuts it (``Run.file_window``)."""
    w = run.window
    if case.kind == 'silence':
        return torch.zeros(w.length)
    if case.kind == 'noise':
        return NOISE_STD * torch.randn(w.length, generator=torch.Generator().manual_seed(0))
    return run.file_window.crop(run.file_window.load_clip(case.path))


def frame_maps(runs: Sequence[Run], frame: torch.Tensor, cases: Sequence[SoundCase]) -> Dict[str, Dict[str, tuple]]:
    """uint8 frame ``[3, H, W]`` -> per run and case: (min-max map ``[S, S]``, peak on the (cos + 1) / 2 scale)."""
    out: Dict[str, Dict[str, tuple]] = {}
    for run in runs:
        waves = torch.stack([_waveform(c, run) for c in cases])
        _, heat, peak = run.maps(frame[None].expand(len(cases), -1, -1, -1), waves)
        out[run.name] = {c.kind: (heat[i].numpy(), float(peak[i])) for i, c in enumerate(cases)}
    return out


def negatives_figure(runs: Sequence[Run], image: str, cases: Sequence[SoundCase], path: str) -> List[str]:
    """Rows: the runs; columns: the cases. Writes the PNG and returns one line per run and case."""
    frame = load_frame(image)
    maps = frame_maps(runs, frame, cases)
    frame = np.ascontiguousarray(frame.permute(1, 2, 0).numpy())
    rows, lines = [], []
    for run in runs:
        row = []
        for c in cases:
            heat, peak = maps[run.name][c.kind]
            row.append(Panel(frame, f'{run.name}: {c.kind} (peak {peak:.2f})', heat))
            lines.append(f'{run.name} | {c.kind} | {peak:.3f}')
        rows.append(row)
    fig = heatmap_figure(rows, 'Each method hears the sound, and sounds with no source in the frame',
                         'colours: min-max per map; peak: the (cos+1)/2 similarity\n(a map that does not respond '
                         'to a sound still spans the colours; its peak stays low)')
    save_figure(fig, path)
    return lines
