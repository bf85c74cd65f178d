"""``avzoo localize IMAGE AUDIO``: one frame and one sound -> the heatmap (``.npy``) and an overlay
figure with a title and a colour scale. What a user of a converted release tries first."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional

import numpy as np
import torch

from avzoo.datasets.media import MediaError, load_frame
from avzoo.utils.errors import AvzooError
from avzoo.utils.paths import output_file


@dataclass
class Localization:
    """What :func:`localize` wrote and measured: the overlay PNG, the map (``.npy``, min-max
    normalised ``[224, 224]``), the map's peak on the method's absolute scale (``(cos + 1) / 2``:
    a map that does not respond to the sound peaks low even though its min-max image spans the
    colour scale), the sound's duration and the method's window (``short``: the window holds the
    sound tiled, as ``n_short`` counts in eval)."""
    png: str
    npy: str
    peak_similarity: float
    sound_seconds: float
    window_seconds: float
    short: bool


@torch.no_grad()
def localize(method_or_config: str, checkpoint: str, image_path: str, audio_path: str,
             out: Optional[str] = None, domain: str = 'real') -> Localization:
    """Write the overlay (``out``: a PNG path, or a folder for ``<image>_<method>.png``; default the
    current folder) and the min-max normalised 224x224
    map beside it (``.npy``); the overlay's title gives the map's absolute peak similarity and says
    when the sound was shorter than the method's window."""
    from avzoo.apis.runs import load_run
    from avzoo.visualization import Panel, heatmap_figure, save_figure
    for path in (image_path, audio_path, checkpoint):
        if not os.path.isfile(path):
            raise AvzooError(f'file not found: {path}')
    run = load_run(method_or_config, checkpoint, domain)
    window = run.file_window                                             # centred in the sound, as the recipe cuts it
    try:
        image = load_frame(image_path)                                   # uint8 [3, H, W]
        clip = window.load_clip(audio_path)                              # any rate, resampled
    except MediaError as exc:
        raise AvzooError(str(exc)) from None
    _, heat, peak = run.maps(image[None], window.crop(clip)[None])
    frame, heat, peak = image.permute(1, 2, 0).numpy(), heat[0].numpy(), float(peak[0])
    seconds, window_seconds = clip.numel() / window.sample_rate, window.length / window.sample_rate
    short = window.is_short(clip)          # the rule eval's n_short counts with
    out = output_file(out, f'{os.path.splitext(os.path.basename(image_path))[0]}_{os.path.basename(method_or_config)}.png')
    npy = os.path.splitext(out)[0] + '.npy'
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    np.save(npy, heat.astype(np.float32))
    tiled = f'\nthe sound ({seconds:.2f} s) is shorter than the {window_seconds:g} s window: tiled to fill it' if short else ''
    fig = heatmap_figure([[Panel(frame, 'frame'),
                           Panel(frame, f'sound: {os.path.basename(audio_path)} (peak similarity {peak:.2f})', heat)]],
                         f'{run.name}: where the sound comes from', f'{os.path.basename(image_path)} + '
                         f'{os.path.basename(audio_path)}, checkpoint {os.path.basename(checkpoint)}\ncolours are '
                         f'min-max scaled; the peak similarity is on the (cos+1)/2 scale{tiled}')
    save_figure(fig, out)
    return Localization(out, npy, peak, seconds, window_seconds, short)
