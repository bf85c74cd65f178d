"""Frozen encoders that embed a training list for positive mining, each in its release's layout.

An embedder reads one modality: :meth:`prepare` turns one decoded item (uint8 image ``[3, H, W]``
or a waveform ``[T]``) into the network's input on the CPU (in DataLoader workers), and
:meth:`forward` maps a batch to ``[B, D]`` float32 features. Weights always come from a local file
(:meth:`load`); nothing is downloaded. ``weights=None`` keeps random weights (tests).
"""
from __future__ import annotations

import os
from typing import Dict, Optional

import numpy as np
import torch
from torch import Tensor, nn

from avzoo.registry import EMBEDDERS
from avzoo.utils.checkpoint import read_checkpoint
from avzoo.utils.errors import AvzooError

IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
CLIP_MEAN, CLIP_STD = (0.48145466, 0.4578275, 0.40821073), (0.26862954, 0.26130258, 0.27577711)


def _strip(state: Dict[str, Tensor], prefix: str) -> Dict[str, Tensor]:
    """Keys under ``prefix`` (DataParallel's ``module.`` removed first) without it."""
    state = {k[len('module.'):] if k.startswith('module.') else k: v for k, v in state.items()}
    return {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}


def _resize_normalise(image: Tensor, size: int, mean, std, crop: bool) -> Tensor:
    """uint8 ``[3, H, W]`` -> float ``[3, size, size]``: bicubic resize of the short side (and a
    centre crop) when ``crop``, else a square resize; then mean/std normalisation."""
    from torchvision.transforms import v2
    ops = [v2.Resize(size, interpolation=v2.InterpolationMode.BICUBIC, antialias=True), v2.CenterCrop(size)] if crop \
        else [v2.Resize((size, size), antialias=True)]
    x = v2.Compose(ops)(image).float() / 255.0
    return v2.functional.normalize(x, mean, std)


class Embedder(nn.Module):
    """Base: ``modality``, ``name``, and for audio embedders the clip they read
    (``sample_rate``, ``clip_seconds``, tiled when shorter)."""
    modality = 'image'
    sample_rate, clip_seconds = 16000, 10.0

    def __init__(self, weights: Optional[str] = None) -> None:
        super().__init__()
        self.weights = weights

    def load(self, weights: str, what: str, state_key: str = 'state_dict') -> Dict[str, Tensor]:
        """The state dict in ``weights`` (under ``state_key`` when the file has one), read with
        ``weights_only``; a missing or unreadable file is one error naming it."""
        if not os.path.isfile(weights):
            raise AvzooError(f'embedder weights not found: {weights} (place {what} there; avzoo never downloads weights)')
        ckpt = read_checkpoint(weights, state_key=state_key)
        return ckpt.get(state_key, ckpt)

    def _load_into(self, module: nn.Module, state: Dict[str, Tensor], weights: str) -> None:
        missing, unexpected = module.load_state_dict(state, strict=False)
        if missing:
            raise AvzooError(f'{weights}: not the layout {type(self).__name__} expects: missing {missing[:4]}'
                             f'{"..." if len(missing) > 4 else ""} (unexpected: {unexpected[:4]})')

    def read(self, path: str) -> Tensor:
        """One item from its file: uint8 ``[3, H, W]`` (image) or the clip tiled to
        ``clip_seconds`` ``[T]`` (audio)."""
        from avzoo.datasets.base import AudioWindow
        from avzoo.datasets.media import load_frame
        if self.modality == 'image':
            return load_frame(path)
        return AudioWindow(self.sample_rate, self.clip_seconds, window_seconds=self.clip_seconds).load(path)

    def prepare(self, item: Tensor) -> Tensor:
        raise NotImplementedError


@EMBEDDERS.register_module()
class ImageNetResNet(Embedder):
    """torchvision's ImageNet ResNet (``arch`` resnet18 / resnet50): a torchvision state dict; the
    pooled features before ``fc`` (512 / 2048-d); resize 256, centre crop 224, ImageNet
    normalisation (torchvision's ``IMAGENET1K_V1`` transforms)."""

    def __init__(self, weights: Optional[str] = None, arch: str = 'resnet18') -> None:
        super().__init__(weights)
        import torchvision
        if arch not in ('resnet18', 'resnet34', 'resnet50', 'resnet101'):
            raise AvzooError(f'ImageNetResNet.arch must be a torchvision ResNet name, got {arch!r}')
        self.net = getattr(torchvision.models, arch)(weights=None)
        if weights is not None:
            self._load_into(self.net, _strip(self.load(weights, f'a torchvision {arch} state dict'), ''), weights)
        self.net.fc = nn.Identity()

    def prepare(self, image: Tensor) -> Tensor:
        from torchvision.transforms import v2
        x = v2.Compose([v2.Resize(256, antialias=True), v2.CenterCrop(224)])(image).float() / 255.0
        return v2.functional.normalize(x, IMAGENET_MEAN, IMAGENET_STD)

    def forward(self, x: Tensor) -> Tensor:    # [B, 3, 224, 224] -> [B, 512 | 2048]
        return self.net(x)


def _resnet18_audio() -> nn.Module:
    import torchvision
    net = torchvision.models.resnet18(weights=None)
    net.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    net.fc = nn.Identity()
    return net


@EMBEDDERS.register_module()
class VGGSoundAudioNet(Embedder):
    """The VGGSound release's audio classifier (hche11/VGGSound, model.py ``AVENet.audnet``,
    models/resnet.py: ResNet-18, 1-channel ``conv1``, 309-way ``fc``): its checkpoint's
    ``model_state_dict`` (keys ``audnet.*``); features are the pooled 512-d before ``fc``.
    Front end as datasets/dataloader.py L63-76: 16 kHz, tiled to 10 s, clipped to [-1, 1], scipy
    spectrogram nperseg 512 / noverlap 353, log(S + 1e-7), standardised per clip (257 x 1004)."""
    modality = 'audio'

    def __init__(self, weights: Optional[str] = None) -> None:
        super().__init__(weights)
        self.net = _resnet18_audio()
        if weights is not None:
            state = _strip(self.load(weights, "the VGGSound release's audio model (model_state_dict, audnet.*)",
                                     'model_state_dict'), 'audnet.')
            self._load_into(self.net, {k: v for k, v in state.items() if not k.startswith('fc')}, weights)

    def prepare(self, wave: Tensor) -> Tensor:
        from scipy import signal
        x = np.clip(wave.numpy().astype(np.float64), -1.0, 1.0)
        _, _, spec = signal.spectrogram(x, self.sample_rate, nperseg=512, noverlap=353)
        spec = np.log(spec + 1e-7)
        spec = (spec - spec.mean()) / (spec.std() + 1e-9)
        return torch.from_numpy(spec).float()[None]          # [1, 257, 1004]

    def forward(self, x: Tensor) -> Tensor:    # [B, 1, 257, T] -> [B, 512]
        return self.net(x)


@EMBEDDERS.register_module()
class Wav2CLIPAudio(Embedder):
    """Wav2CLIP's audio encoder (descriptinc/lyrebird-wav2clip @1864b39, wav2clip/model/encoder.py
    ``ResNetExtractor``, resnet.py): ResNet-18 on a torchaudio power spectrogram (n_fft 512, hop
    353), log(S + 1e-7), standardised; then the 512-512-512 MLP ``audio_transform`` into CLIP's
    space. Weights: the release's ``Wav2CLIP.pt`` state dict (``audio_encoder.*``,
    ``audio_transform.*``). Clips: 16 kHz, 10 s (pre_training/dataset.py L14). The release
    standardises over the whole batch; avzoo standardises per clip (equal to the release on one
    clip), so an embedding never depends on which clips share its batch."""
    modality = 'audio'

    def __init__(self, weights: Optional[str] = None) -> None:
        super().__init__(weights)
        from avzoo.utils.imports import import_torchaudio
        self.spectrogram = import_torchaudio('transforms').Spectrogram(n_fft=512, hop_length=353)
        self.encoder = _resnet18_audio()
        self.transform = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.1), nn.Linear(512, 512))
        self.transform_keys = {'sequential.0': '0', 'sequential.3': '3'}
        if weights is not None:
            state = self.load(weights, "Wav2CLIP's Wav2CLIP.pt (audio_encoder.*, audio_transform.*)")
            self._load_into(self.encoder, _strip(state, 'audio_encoder.'), weights)
            mlp = {k.replace('sequential.', ''): v for k, v in _strip(state, 'audio_transform.').items()}
            self._load_into(self.transform, mlp, weights)

    def prepare(self, wave: Tensor) -> Tensor:
        spec = torch.log(self.spectrogram(wave.float()) + 1e-7)
        return ((spec - spec.mean()) / (spec.std() + 1e-9))[None]   # [1, 257, T / 353 + 1]

    def forward(self, x: Tensor) -> Tensor:    # [B, 1, 257, T'] -> [B, 512]
        return self.transform(self.encoder(x))


@EMBEDDERS.register_module()
class OpenCLIPImage(Embedder):
    """CLIP's image encoder through open_clip (``model_name`` e.g. ``ViT-B-32``, ``ViT-B-16``), its
    weights from a local file (open_clip's ``pretrained=PATH``); the image embedding (L2-normalised
    by the miner). Resize 224 bicubic + centre crop, CLIP's mean/std."""

    def __init__(self, weights: Optional[str] = None, model_name: str = 'ViT-B-32') -> None:
        super().__init__(weights)
        try:
            import open_clip
        except ImportError:
            raise AvzooError('OpenCLIPImage needs open_clip: pip install "avzoo[embed]" (or open_clip_torch)') from None
        if weights is not None and not os.path.isfile(weights):
            self.load(weights, f'an open_clip {model_name} checkpoint')       # the one-line error
        try:
            model = open_clip.create_model(model_name, pretrained=weights)
        except RuntimeError as exc:
            raise AvzooError(f'{weights}: not an open_clip {model_name} checkpoint ({str(exc).splitlines()[0]})') from None
        self.visual = model.visual
        self.size = model.visual.image_size[0] if isinstance(model.visual.image_size, tuple) else model.visual.image_size

    def prepare(self, image: Tensor) -> Tensor:
        return _resize_normalise(image, self.size, CLIP_MEAN, CLIP_STD, crop=True)

    def forward(self, x: Tensor) -> Tensor:    # [B, 3, 224, 224] -> [B, 512]
        return self.visual(x)


@EMBEDDERS.register_module()
class CheckpointEmbedder(Embedder):
    """An avzoo model's own encoder (``config`` + ``weights`` = an avzoo checkpoint) for one
    ``modality``: its pooled backbone features, or the projected ones (``projected=True``) where the
    method has projection heads. Inputs follow the config's test front end."""

    def __init__(self, config: str, weights: Optional[str] = None, modality: str = 'image',
                 projected: bool = False) -> None:
        super().__init__(weights)
        from avzoo.apis.model import init_model
        from avzoo.engine.config import load_config
        if modality not in ('image', 'audio'):
            raise AvzooError(f"CheckpointEmbedder.modality must be 'image' or 'audio', got {modality!r}")
        self.modality, self.projected = modality, projected
        self.cfg = load_config(config)
        self.model = init_model(config, weights)
        audio = self.cfg.get('audio', {})
        self.sample_rate = audio.get('sample_rate', 16000)
        self.clip_seconds = audio.get('clip_seconds', 10.0)
        self.audio_cfg, self.image_size = audio, self.cfg.get('image_size', 224)

    def read(self, path: str) -> Tensor:
        from avzoo.datasets.base import AudioWindow
        from avzoo.datasets.media import load_frame
        return load_frame(path) if self.modality == 'image' else AudioWindow(**self.audio_cfg).load(path)

    def prepare(self, item: Tensor) -> Tensor:
        if self.modality == 'image':
            from torchvision.transforms import v2
            return v2.Resize((self.image_size, self.image_size), antialias=True)(item)
        return item

    def forward(self, x: Tensor) -> Tensor:    # uint8 [B, 3, S, S] | [B, T] -> [B, D]
        key = 'image' if self.modality == 'image' else 'audio'
        batch = self.model.data_preprocessor(dict(inputs={key: x}))['inputs']
        v_map, a_emb = self.model.encode(batch.get('image'), batch.get('audio'),
                                         modalities=('visual',) if key == 'image' else ('audio',))
        emb = self.model.method.embeddings(v_map, a_emb)
        name = ('visual' if key == 'image' else 'audio') + ('_proj' if self.projected else '')
        if name not in emb:
            raise AvzooError(f'{self.cfg.filename}: the model gives no {name!r} embedding (it has {sorted(emb)})')
        return emb[name]
