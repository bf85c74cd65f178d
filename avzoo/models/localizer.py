"""AVLocalizer: the one BaseModel every method shares (encoders + a registered method)."""
from __future__ import annotations

from typing import Dict, List, Optional, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel
from torch import Tensor

from avzoo.errors import AvzooError
from avzoo.models.momentum import copy_weights, momentum_copy, momentum_update
from avzoo.registry import MODELS

VIEW_SUFFIX = {'': '', 'aug': '_aug', 'nn': '_nn'}


def minmax_normalize(maps: Tensor) -> Tensor:
    """Per-sample min-max to [0, 1]: ``[B, H, W]``. A constant map becomes all zeros (the releases
    return it unchanged; either way no pixel passes a strict threshold)."""
    flat = maps.flatten(1)
    lo, hi = flat.min(dim=1, keepdim=True).values, flat.max(dim=1, keepdim=True).values
    span = hi - lo
    out = torch.where(span > 0, (flat - lo) / span.clamp_min(torch.finfo(maps.dtype).tiny), torch.zeros_like(flat))
    return out.view_as(maps)


def upsample_maps(maps: Tensor, size: int = 224, mode: str = 'bilinear_align_corners') -> Tensor:
    """``[B, h, w]`` -> ``[B, size, size]``. ``'bilinear_align_corners'``: the releases' default
    (F.interpolate, align_corners=True); ``'bilinear'``: half-pixel centres, as cv2.INTER_LINEAR,
    which the alignment release used for VGG-SS."""
    if mode not in ('bilinear_align_corners', 'bilinear'):
        raise AvzooError(f"upsample mode must be 'bilinear_align_corners' or 'bilinear', got {mode!r}")
    return F.interpolate(maps.unsqueeze(1).float(), size=(size, size), mode='bilinear',
                         align_corners=mode == 'bilinear_align_corners').squeeze(1)


@MODELS.register_module()
class AVLocalizer(BaseModel):
    """Visual encoder (map ``[B, C, h, w]``) + audio encoder (vector ``[B, C]``) + method.

    ``predict`` returns one dict per sample, the shared test-time contract: ``heatmap``
    ``[224, 224]`` min-max normalised, ``raw_map`` ``[h, w]``, ``confidence``, embeddings
    (``visual``, ``audio`` and, where the method has them, ``*_proj``), plus the sample's
    ground-truth fields passed through for the evaluators.
    """

    def __init__(self, visual_encoder: dict, audio_encoder: dict, method: dict,
                 data_preprocessor: Optional[dict] = None, upsample: str = 'bilinear_align_corners',
                 map_size: int = 224, channels_last: bool = False, postprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor or dict(type='AVDataPreprocessor'),
                         init_cfg=init_cfg)
        self.visual_encoder = MODELS.build(visual_encoder)
        self.audio_encoder = MODELS.build(audio_encoder)
        self.method = MODELS.build(method)
        self.upsample, self.map_size = upsample, map_size
        # channels_last: NHWC convolutions (oneDNN on CPU: 0.60 -> 0.48 s per synth demo step,
        # tools/bench_channels_last.py); the state dict is unchanged, so checkpoints load either way.
        self.memory_format = torch.channels_last if channels_last else torch.contiguous_format
        self.visual_encoder.to(memory_format=self.memory_format)
        self.audio_encoder.to(memory_format=self.memory_format)
        # Momentum encoders, for methods whose targets come from them (SLAVC): the method sets
        # ``encoder_momentum = (m_visual, m_audio)``; they are saved with the model, so resume is exact.
        self.encoder_momentum = getattr(self.method, 'encoder_momentum', None)
        if self.encoder_momentum is not None:
            self.visual_encoder_momentum = momentum_copy(self.visual_encoder)
            self.audio_encoder_momentum = momentum_copy(self.audio_encoder)
        upsample_maps(torch.zeros(1, 2, 2), 2, upsample)  # validate the mode at build time
        # Test-time post-processing (e.g. OGL); kept out of the module tree and the state dict.
        self.__dict__['postprocessor'] = None
        if postprocessor is not None:
            from avzoo.postprocess import OGL  # noqa: F401  (registration)
            from avzoo.registry import POSTPROCESSORS
            self.__dict__['postprocessor'] = POSTPROCESSORS.build(postprocessor)

    def init_weights(self) -> None:
        super().init_weights()
        if self.encoder_momentum is not None:     # targets start as the (possibly pre-trained) encoders
            copy_weights(self.visual_encoder, self.visual_encoder_momentum)
            copy_weights(self.audio_encoder, self.audio_encoder_momentum)

    def encode(self, image: Tensor, audio: Tensor, momentum: bool = False):
        """``[B, 3, H, W]``, ``[B, 1, F, T]`` -> visual map ``[B, C, h, w]``, audio ``[B, C]``
        (``momentum``: from the momentum encoders)."""
        v_enc, a_enc = ((self.visual_encoder_momentum, self.audio_encoder_momentum) if momentum
                        else (self.visual_encoder, self.audio_encoder))
        return (v_enc(image.contiguous(memory_format=self.memory_format)),
                a_enc(audio.contiguous(memory_format=self.memory_format)))

    def _momentum_targets(self, inputs: Dict[str, Tensor]):
        """Update the momentum encoders, then encode the anchor view with them (no gradient)."""
        m_visual, m_audio = self.encoder_momentum
        momentum_update(self.visual_encoder, self.visual_encoder_momentum, m_visual)
        momentum_update(self.audio_encoder, self.audio_encoder_momentum, m_audio)
        with torch.no_grad():
            return self.encode(inputs['image'], inputs['audio'], momentum=True)

    def _encode_views(self, inputs: Dict[str, Tensor]):
        views = ('',) + tuple(self.method.views)
        missing = [f'image{VIEW_SUFFIX[v]}' for v in views if f'image{VIEW_SUFFIX[v]}' not in inputs]
        if missing:
            raise AvzooError(f'{type(self.method).__name__} trains on views {views}, but the batch '
                             f'lacks {missing}: set train_dataloader.dataset.views={tuple(self.method.views)}')
        # One pass per modality over all views (views concatenated along the batch).
        v_all, a_all = self.encode(torch.cat([inputs[f'image{VIEW_SUFFIX[v]}'] for v in views]),
                                   torch.cat([inputs[f'audio{VIEW_SUFFIX[v]}'] for v in views]))
        v_maps, a_embs = dict(zip(views, v_all.chunk(len(views)))), dict(zip(views, a_all.chunk(len(views))))
        if self.encoder_momentum is not None:
            v_maps['momentum'], a_embs['momentum'] = self._momentum_targets(inputs)
        return v_maps, a_embs

    def forward(self, inputs: Dict[str, Tensor], data_samples: Optional[dict] = None,
                mode: str = 'tensor') -> Union[Dict[str, Tensor], List[dict], Tensor]:
        if mode == 'loss':
            return self.method.loss(*self._encode_views(inputs))
        use_momentum = self.encoder_momentum is not None and getattr(self.method, 'use_momentum_eval', False)
        v_map, a_emb = self.encode(inputs['image'], inputs['audio'], momentum=use_momentum)
        raw = self.method.localization_map(v_map, a_emb)
        if mode == 'tensor':
            return raw
        if mode != 'predict':
            raise ValueError(f'unknown mode {mode!r}')
        return self._pack(raw, v_map, a_emb, data_samples or {}, inputs['image'])

    def _pack(self, raw: Tensor, v_map: Tensor, a_emb: Tensor, data_samples: dict,
              image: Optional[Tensor] = None) -> List[dict]:
        heat = minmax_normalize(upsample_maps(raw, self.map_size, self.upsample))
        if self.postprocessor is not None and image is not None:
            heat = self.postprocessor(heat, image, self.upsample)
        conf = self.method.confidence(raw)
        embs = self.method.embeddings(v_map, a_emb)
        out = []
        for i in range(raw.shape[0]):
            sample = {k: (v[i] if isinstance(v, (Tensor, list)) else v) for k, v in data_samples.items()}
            sample.update(heatmap=heat[i].cpu(), raw_map=raw[i].detach().cpu(),
                          confidence=float(conf[i]), **{k: e[i].detach().cpu() for k, e in embs.items()})
            out.append(sample)
        return out
