"""AVLocalizer: the one BaseModel every method shares (encoders + a registered method)."""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Union

import torch
from mmengine.model import BaseModel
from torch import Tensor

from avzoo.models.global_batch import gather_batch, world_size
from avzoo.models.methods.base import ANCHOR, LocalizationMethod, MomentumPair
from avzoo.models.momentum import copy_weights, momentum_copy, momentum_update
from avzoo.models.ops import check_upsample_mode, minmax_normalize, upsample_maps
from avzoo.registry import MODELS, POSTPROCESSORS
from avzoo.utils.errors import AvzooError

VIEW_SUFFIX = {ANCHOR: '', 'aug': '_aug', 'nn': '_nn'}   # view -> the batch key's suffix


@MODELS.register_module()
class AVLocalizer(BaseModel):
    """Visual encoder (map ``[B, C, h, w]``) + audio encoder (vector ``[B, C]``) + method.

    ``predict`` returns one dict per sample, the shared test-time contract: ``heatmap``
    ``[224, 224]`` min-max normalised, ``raw_map`` ``[h, w]``, ``confidence``, embeddings
    (``visual``, ``audio`` and, where the method has them, ``*_proj``), plus the sample's
    ground-truth fields passed through for the evaluators.

    Extra sounds for the same image (inputs ``audio_<kind>``, e.g. the negative-audio kinds
    ``silence``, ``noise``, ``offscreen``) add, per sample, the similarity maps of the image with
    every sound on the method's absolute scale (``LocalizationMethod.similarity_map``, not min-max
    normalised; with OGL blended as ``alpha * map + (1 - alpha) * objectness``): ``sim_map`` and
    ``sim_map_<kind>`` ``[224, 224]``, and the raw low-resolution maps' extremes ``sim_max``,
    ``sim_min``, ``sim_max_<kind>``, ``sim_min_<kind>`` (before OGL).
    """

    def __init__(self, visual_encoder: dict, audio_encoder: dict, method: dict,
                 data_preprocessor: Optional[dict] = None, upsample: str = 'bilinear_align_corners',
                 map_size: int = 224, channels_last: bool = False, postprocessor: Optional[dict] = None,
                 gather_negatives: bool = True, init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor or dict(type='AVDataPreprocessor'),
                         init_cfg=init_cfg)
        self.visual_encoder = MODELS.build(visual_encoder)
        self.audio_encoder = MODELS.build(audio_encoder)
        self.method = MODELS.build(method)
        if not isinstance(self.method, LocalizationMethod):
            raise AvzooError(f'model.method: {type(self.method).__name__} is not an LocalizationMethod '
                             f'(subclass avzoo.models.methods.LocalizationMethod)')
        self.upsample, self.map_size = check_upsample_mode(upsample), map_size
        # Under DDP every rank's embeddings join the loss (negatives from the global batch); see
        # avzoo/models/global_batch.py. False: each rank contrasts its own samples only.
        self.gather_negatives = gather_negatives
        # channels_last: NHWC convolutions (oneDNN on CPU: 0.60 -> 0.48 s per synth demo step,
        # tools/bench_channels_last.py); the state dict is unchanged, so checkpoints load either way.
        self.memory_format = torch.channels_last if channels_last else torch.contiguous_format
        self.visual_encoder.to(memory_format=self.memory_format)
        self.audio_encoder.to(memory_format=self.memory_format)
        # Momentum copies of the encoders, for methods whose targets come from them (SLAVC); saved
        # with the model, so resume is exact. Every momentum pair (these and the method's own) is
        # updated in one place, ``update_momentum``.
        self.momentum_pairs: List[MomentumPair] = []
        if self.method.encoder_momentum is not None:
            self.visual_encoder_momentum = momentum_copy(self.visual_encoder)
            self.audio_encoder_momentum = momentum_copy(self.audio_encoder)
            self.momentum_pairs += [
                MomentumPair('visual_encoder', 'visual_encoder_momentum', self.method.encoder_momentum.visual),
                MomentumPair('audio_encoder', 'audio_encoder_momentum', self.method.encoder_momentum.audio)]
        self.momentum_pairs += [MomentumPair(f'method.{p.online}', f'method.{p.target}', p.m)
                                for p in self.method.momentum_pairs()]
        # Test-time post-processing (e.g. OGL); kept out of the module tree and the state dict.
        self.__dict__['postprocessor'] = None if postprocessor is None else POSTPROCESSORS.build(postprocessor)

    def init_weights(self) -> None:
        super().init_weights()
        for pair in self.momentum_pairs:          # targets start as the (possibly pre-trained) online modules
            copy_weights(self.get_submodule(pair.online), self.get_submodule(pair.target))

    def update_momentum(self) -> None:
        """``target <- m * target + (1 - m) * online`` for every momentum pair (before a step)."""
        for pair in self.momentum_pairs:
            momentum_update(self.get_submodule(pair.online), self.get_submodule(pair.target), pair.m)

    def encode(self, image: Optional[Tensor], audio: Optional[Tensor], momentum: bool = False,
               modalities: Sequence[str] = ('visual', 'audio')):
        """``[B, 3, H, W]``, ``[B, 1, F, T]`` -> visual map ``[B, C, h, w]``, audio ``[B, C]``
        (``momentum``: from the momentum encoders); a modality not in ``modalities`` is not run
        and comes back as None."""
        v_enc, a_enc = ((self.visual_encoder_momentum, self.audio_encoder_momentum) if momentum
                        else (self.visual_encoder, self.audio_encoder))
        return (v_enc(image.contiguous(memory_format=self.memory_format)) if 'visual' in modalities else None,
                a_enc(audio.contiguous(memory_format=self.memory_format)) if 'audio' in modalities else None)

    def _encode_views(self, inputs: Dict[str, Tensor]):
        """Every view a modality trains on through its encoder, in one pass per modality (views
        concatenated along the batch); each modality sees only the views the method uses. Views
        the method derives itself (``derived_views``) follow, each in a pass of its own."""
        image_views = (ANCHOR,) + tuple(self.method.views_of('image'))
        audio_views = (ANCHOR,) + tuple(self.method.views_of('audio'))
        wanted = [f'image{VIEW_SUFFIX[v]}' for v in image_views] + [f'audio{VIEW_SUFFIX[v]}' for v in audio_views]
        missing = [key for key in wanted if key not in inputs]
        if missing:
            raise AvzooError(f'{type(self.method).__name__} trains on views {self.method.views}, but the batch '
                             f'lacks {missing}: the training dataset must load views={tuple(self.method.views)} (avzoo\'s '
                             f'load_config gives it the method\'s)')
        v_all, _ = self.encode(torch.cat([inputs[f'image{VIEW_SUFFIX[v]}'] for v in image_views]), None,
                               modalities=('visual',))
        _, a_all = self.encode(None, torch.cat([inputs[f'audio{VIEW_SUFFIX[v]}'] for v in audio_views]),
                               modalities=('audio',))
        v_maps = dict(zip(image_views, v_all.chunk(len(image_views))))
        a_embs = dict(zip(audio_views, a_all.chunk(len(audio_views))))
        derived = self.method.derive_views(inputs) if self.method.derived_views else {}
        for view in self.method.derived_views:
            image, audio = derived.get(f'image_{view}'), derived.get(f'audio_{view}')
            if image is None and audio is None:
                raise AvzooError(f'{type(self.method).__name__}.derive_views gave neither image_{view} nor audio_{view}')
            v, a = self.encode(image, audio, modalities=tuple(
                m for m, x in (('visual', image), ('audio', audio)) if x is not None))
            if v is not None:
                v_maps[view] = v
            if a is not None:
                a_embs[view] = a
        if self.method.encoder_momentum is not None:
            with torch.no_grad():                 # the anchor view through the momentum encoders
                v_maps['momentum'], a_embs['momentum'] = self.encode(inputs['image'], inputs['audio'], momentum=True)
        return v_maps, a_embs

    def forward(self, inputs: Dict[str, Tensor], data_samples: Optional[dict] = None,
                mode: str = 'tensor') -> Union[Dict[str, Tensor], List[dict], Tensor]:
        if mode == 'loss':
            if not self.method.trains:
                raise AvzooError(f'{type(self.method).__name__} is training-free (trains=False): nothing to train')
            self.update_momentum()
            v_maps, a_embs = self._encode_views(inputs)
            if self.gather_negatives and world_size() > 1:
                v_maps = {k: gather_batch(v) for k, v in v_maps.items()}
                a_embs = {k: gather_batch(a) for k, a in a_embs.items()}
            return self.method.loss(v_maps, a_embs)
        use_momentum = self.method.use_momentum_eval and self.method.encoder_momentum is not None
        v_map, a_emb = self.encode(inputs['image'], inputs['audio'], use_momentum, self.method.encoders)
        raw = self.method.localization_map(v_map, a_emb)
        batch = inputs['image'].shape[0]
        if raw.shape[0] != batch:                 # an input-free map (a prior) is shared by the batch
            raw = raw.expand(batch, *raw.shape[1:])
        if mode == 'tensor':
            return raw
        if mode != 'predict':
            raise ValueError(f'unknown mode {mode!r}')
        # OGL's objectness, once per batch: for the heatmap and for every extra sound's map
        obj = (None if self.postprocessor is None else
               self.postprocessor.objectness(inputs['image'], self.map_size, self.postprocessor.upsample or self.upsample))
        out = self._pack(raw, v_map, a_emb, data_samples or {}, obj)
        extra = {key[len('audio_'):]: a for key, a in inputs.items() if key.startswith('audio_')}
        if extra:
            self._add_similarity_maps(out, raw, v_map, extra, obj, use_momentum)
        return out

    def _add_similarity_maps(self, out: List[dict], raw: Tensor, v_map: Optional[Tensor],
                             extra: Dict[str, Tensor], obj: Optional[Tensor], use_momentum: bool) -> None:
        """The fields of the class docstring's last paragraph, added to the packed samples
        (``obj``: OGL's objectness ``[B, S, S]``, or None without OGL)."""
        raws = {'': raw}
        for kind, audio in extra.items():
            _, a = self.encode(None, audio, use_momentum, tuple(m for m in self.method.encoders if m == 'audio'))
            r = self.method.localization_map(v_map, a)
            raws[f'_{kind}'] = r.expand(raw.shape[0], *r.shape[1:]) if r.shape[0] != raw.shape[0] else r
        for suffix, r in raws.items():
            sim = self.method.similarity_map(r)
            up = upsample_maps(sim, self.map_size, self.upsample)
            if obj is not None:
                up = self.postprocessor.blend(up, obj.to(up.device))
            lo, hi = sim.flatten(1).min(dim=1).values, sim.flatten(1).max(dim=1).values
            for i, sample in enumerate(out):
                sample.update({f'sim_map{suffix}': up[i].detach().cpu(), f'sim_max{suffix}': float(hi[i]),
                               f'sim_min{suffix}': float(lo[i])})

    def _pack(self, raw: Tensor, v_map: Tensor, a_emb: Tensor, data_samples: dict,
              objectness: Optional[Tensor] = None) -> List[dict]:
        heat = minmax_normalize(upsample_maps(raw, self.map_size, self.upsample))
        if objectness is not None:
            heat = self.postprocessor.combine(heat, objectness)
        conf = self.method.confidence(raw)
        embs = self.method.embeddings(v_map, a_emb)
        out = []
        for i in range(raw.shape[0]):
            sample = {k: (v[i] if isinstance(v, (Tensor, list)) else v) for k, v in data_samples.items()}
            sample.update(heatmap=heat[i].cpu(), raw_map=raw[i].detach().cpu(),
                          confidence=float(conf[i]), **{k: e[i].detach().cpu() for k, e in embs.items()})
            out.append(sample)
        return out
