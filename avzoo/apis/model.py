"""The public Python entry points for users and converted checkpoints.

    from avzoo.apis import init_model
    model = init_model('ezvsl', 'ezvsl_release.safetensors')          # a zoo method (real config) ...
    model = init_model('configs/ours_sup_nn.py', 'epoch_50.pth')       # ... or any config
    raw = model(dict(image=images, audio=spectrograms), mode='tensor')  # [B, h, w]

``images`` are normalised frames ``[B, 3, 224, 224]`` and ``spectrograms`` log spectrograms
``[B, 1, F, T]`` (what ``model.data_preprocessor`` makes from uint8 frames and waveforms).
"""
from __future__ import annotations

from typing import Optional, Union

import torch


def model_config(method_or_config: str, domain: str = 'real'):
    """A zoo method's config for ``domain`` (``'real'`` / ``'synth'``) or a config path / name."""
    from avzoo.engine.config import load_config
    from avzoo.zoo import get_method, methods
    if method_or_config in methods():
        return load_config(get_method(method_or_config).config(domain))
    return load_config(method_or_config)


def init_model(method_or_config: str, checkpoint: Optional[str] = None, device: Union[str, torch.device] = 'cpu',
               domain: str = 'real'):
    """Build the model of a zoo method (its ``domain`` config) or of a config, load ``checkpoint``
    strictly (``.pth`` with ``weights_only`` or ``.safetensors``) and return it in eval mode."""
    from mmengine.registry import init_default_scope

    import avzoo  # noqa: F401  (registration)
    from avzoo.engine.checkpoint import load_strictly
    from avzoo.registry import MODELS
    from avzoo.utils.checkpoint import read_checkpoint
    init_default_scope('avzoo')
    cfg = model_config(method_or_config, domain)
    model = MODELS.build(cfg.model)
    if checkpoint is not None:
        load_strictly(model, read_checkpoint(checkpoint), checkpoint, cfg.filename)
    return model.to(device).eval()
