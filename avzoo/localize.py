"""``avzoo localize IMAGE AUDIO``: one frame and one sound -> the heatmap (``.npy``) and an overlay
figure with a title and a colour scale. What a user of a converted release tries first."""
from __future__ import annotations

import os
from typing import Optional, Tuple

import numpy as np
import torch

from avzoo.datasets.base import AudioWindow
from avzoo.datasets.media import MediaError, load_frame
from avzoo.datasets.transforms import build_image_pipeline
from avzoo.errors import AvzooError
from avzoo.ops import minmax_normalize, upsample_maps


def prepare_inputs(cfg, image_path: str, audio_path: str) -> Tuple[dict, np.ndarray]:
    """The model's batch of one (uint8 frame through the config's test resize, the audio window
    centred in the sound as the recipe cuts it, any rate resampled) and the original RGB frame."""
    try:
        frame = load_frame(image_path)                                  # uint8 [3, H, W]
        size = cfg.get('image_size', 224)
        pipeline = cfg.get('test_pipeline') or [dict(type='tv/Resize', size=(size, size), antialias=True)]
        image = build_image_pipeline(pipeline)(frame)
        window = AudioWindow(**dict(cfg.get('audio') or {}, window_start=None, fill='window'))
        clip = window.load_clip(audio_path)
        audio = window.crop(clip)
    except MediaError as exc:
        raise AvzooError(str(exc)) from None
    return dict(inputs=dict(image=image[None], audio=audio[None])), frame.permute(1, 2, 0).numpy()


@torch.no_grad()
def localize(method_or_config: str, checkpoint: str, image_path: str, audio_path: str,
             out: Optional[str] = None, domain: str = 'real') -> Tuple[str, str]:
    """Write ``out`` (overlay PNG) and the min-max normalised 224x224 map beside it (``.npy``)."""
    from avzoo.apis import init_model, model_config
    from avzoo.visualization import Panel, heatmap_figure, save_figure
    from avzoo.zoo import label
    for path in (image_path, audio_path, checkpoint):
        if not os.path.isfile(path):
            raise AvzooError(f'file not found: {path}')
    cfg = model_config(method_or_config, domain)
    model = init_model(method_or_config, checkpoint, domain=domain)
    inputs, frame = prepare_inputs(cfg, image_path, audio_path)
    raw = model(model.data_preprocessor(inputs)['inputs'], mode='tensor')   # [1, h, w]
    heat = minmax_normalize(upsample_maps(raw, model.map_size, model.upsample))[0].numpy()
    out = out or f'{os.path.splitext(os.path.basename(image_path))[0]}_{os.path.basename(method_or_config)}.png'
    npy = os.path.splitext(out)[0] + '.npy'
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    np.save(npy, heat.astype(np.float32))
    name = label(method_or_config)
    fig = heatmap_figure([[Panel(frame, 'frame'), Panel(frame, f'sound: {os.path.basename(audio_path)}', heat)]],
                         f'{name}: where the sound comes from', f'{os.path.basename(image_path)} + '
                         f'{os.path.basename(audio_path)}, checkpoint {os.path.basename(checkpoint)}')
    save_figure(fig, out)
    return out, npy
