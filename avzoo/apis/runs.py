"""A run: a method with its weights, ready to map frames and sounds (``--run M=C`` of ``avzoo
localize`` and ``avzoo serve``). A floor (``centre_prior``) runs with no checkpoint; a trained
method must have one."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, Tuple

import torch
from torch import Tensor

from avzoo.datasets.base import AudioWindow
from avzoo.utils.errors import AvzooError


def parse_run(spec: str) -> Tuple[str, Optional[str]]:
    """``'M=CHECKPOINT'`` or ``'M'`` (a floor) -> (method or config, checkpoint or None)."""
    method, _, checkpoint = spec.partition('=')
    if not method.strip():
        raise AvzooError(f'--run {spec!r}: expected METHOD=CHECKPOINT (or a floor alone, such as centre_prior)')
    return method.strip(), (checkpoint.strip() or None)


@dataclass
class Run:
    """A loaded method: ``name`` (the column title), the model in eval mode, its test-time image
    pipeline and its audio window (sample rate, length, how a short sound is filled), and
    ``file_window``: the same window as it is cut from a sound file of any length (centred in the
    sound, a shorter sound tiled: ``avzoo localize IMAGE AUDIO``, the page's frame view)."""
    name: str
    method: str
    checkpoint: Optional[str]
    model: torch.nn.Module
    image_pipeline: Callable[[Tensor], Tensor]
    window: AudioWindow
    file_window: AudioWindow

    @torch.no_grad()
    def maps(self, frames: Tensor, waveforms: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        """uint8 frames ``[B, 3, H, W]`` (any size) + waveforms ``[B, L]`` at ``window.sample_rate``
        -> raw maps ``[B, h, w]``, min-max normalised maps ``[B, S, S]`` (``S = map_size``, as
        ``avzoo localize`` draws them) and each map's peak on the (cos + 1) / 2 scale ``[B]``."""
        from avzoo.models.ops import minmax_normalize, upsample_maps
        images = torch.stack([self.image_pipeline(f) for f in frames])
        inputs = self.model.data_preprocessor(dict(inputs=dict(image=images, audio=waveforms)))['inputs']
        raw = self.model(inputs, mode='tensor')
        if not torch.isfinite(raw).all():
            weights = f' ({os.path.basename(self.checkpoint)})' if self.checkpoint else ''
            raise AvzooError(f'the map of {self.name}{weights} is not finite: its weights hold NaN or inf (a diverged run?)')
        peak = self.model.method.similarity_map(raw).flatten(1).max(1).values
        heat = minmax_normalize(upsample_maps(raw, self.model.map_size, self.model.upsample))
        return raw, heat, peak


def load_run(method: str, checkpoint: Optional[str] = None, domain: str = 'real', name: Optional[str] = None) -> Run:
    """Build ``method`` (a zoo name or a config) for ``domain`` and load ``checkpoint``; a trained
    method without one, or a checkpoint that is not a file, is an :class:`AvzooError`."""
    from avzoo.apis.model import init_model, model_config
    from avzoo.datasets.transforms import build_image_pipeline
    from avzoo.zoo import get_method, label, methods
    if checkpoint is None and method in methods() and get_method(method).trains:
        raise AvzooError(f'{method} is a trained method: give its weights (--checkpoint C, or --run {method}=C)')
    if checkpoint is not None and not os.path.isfile(checkpoint):
        raise AvzooError(f'file not found: {checkpoint}')
    cfg = model_config(method, domain)
    size = cfg.get('image_size', 224)
    pipeline = cfg.get('test_pipeline') or [dict(type='tv/Resize', size=(size, size), antialias=True)]
    audio = dict(cfg.get('audio') or {}, window_start=None)          # the recipe's rate, length and fill
    model = init_model(method, checkpoint, domain=domain)
    return Run(name or label(method), method, checkpoint, model, build_image_pipeline(pipeline), AudioWindow(**audio),
               AudioWindow(**dict(audio, fill='window')))


def load_runs(specs: Sequence[str], domain: str = 'real') -> List[Run]:
    """``['ezvsl=a.pth', 'centre_prior', ...]`` -> runs with distinct names (the method's label, and
    the checkpoint's file name when one method appears twice)."""
    from avzoo.zoo import label, methods
    if not specs:
        raise AvzooError('give a method: --method M --checkpoint C, or --run M=C (repeatable)')
    parsed = [parse_run(s) for s in specs]
    labels = [label(m) if m in methods() else os.path.splitext(os.path.basename(m))[0] for m, _ in parsed]   # a config: its stem
    runs = []
    for (method, checkpoint), lab in zip(parsed, labels):
        twice = labels.count(lab) > 1
        name = f'{lab} ({os.path.basename(checkpoint)})' if twice and checkpoint else lab
        runs.append(load_run(method, checkpoint, domain, name))
    if len({r.name for r in runs}) < len(runs):
        raise AvzooError(f'two runs have the same name: {[r.name for r in runs]} (give each its own checkpoint file name)')
    return runs
