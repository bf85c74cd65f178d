"""Feature sources for positive mining: embeddings from "pre-trained encoders".

Real data: :class:`NpyFeatures` reads embeddings a user computed with the paper's encoders
(supervised: ImageNet ResNet / VGGSound audio net; self-supervised: CLIP / Wav2CLIP).
avzoo-synth: :class:`SupervisedSynthEncoders` trains small image and audio classifiers on the
labelled ``pretrain`` split (disjoint from ``train``), then embeds the training clips: the same
recipe as the supervised setting, and no generator label of a training clip is ever used.
"""
from __future__ import annotations

import os
from typing import List, Optional, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.logging import print_log
from torch import nn
from torch.utils.data import DataLoader, Dataset

from avzoo.datasets.base import AudioWindow
from avzoo.datasets.media import MediaError, load_frame
from avzoo.datasets.transforms import build_image_pipeline
from avzoo.registry import DATASETS, FEATURE_SOURCES, MODELS
from avzoo.utils.errors import AvzooError


class _ClipItems(Dataset):
    """Deterministic (frame, audio window, label) of dataset items, for feature extraction."""

    def __init__(self, items: List[dict], image_size: int, audio: AudioWindow) -> None:
        self.items, self.audio = items, audio
        self.pipeline = build_image_pipeline([dict(type='tv/Resize', size=(image_size, image_size),
                                                   antialias=True)])
        self.image_size = image_size

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int):
        it = self.items[i]
        try:
            return self.pipeline(load_frame(it['frame'])), self.audio.load(it['audio']), it.get('label', -1), True
        except MediaError:
            s = self.image_size
            return torch.zeros(3, s, s, dtype=torch.uint8), torch.zeros(self.audio.length), -1, False


@FEATURE_SOURCES.register_module()
class NpyFeatures:
    """Pre-computed embeddings: ``image`` / ``audio`` ``.npy`` ``[N, D]`` whose rows follow ``ids``
    (a text file, one id per line), or the training list itself when ``ids`` is None."""

    def __init__(self, image: str, audio: str, ids: Optional[str] = None) -> None:
        self.paths, self.ids = dict(image=image, audio=audio), ids

    def extract(self, dataset) -> Tuple[np.ndarray, np.ndarray]:
        arrays = {}
        for key, path in self.paths.items():
            if not os.path.isfile(path):
                raise AvzooError(f'{key} embeddings not found: {path} (an [N, D] .npy from the '
                                 f'pre-trained {key} encoder, rows in the order of the id list; write it with `avzoo embed`)')
            arrays[key] = np.load(path, mmap_mode='r')
        ids = dataset.ids
        if self.ids is not None:
            from avzoo.datasets.annotations import annotation_path, read_id_list
            path = self.ids if os.path.isfile(self.ids) else annotation_path(self.ids)   # a shipped list by name
            order = {i: n for n, i in enumerate(read_id_list(path))}
            missing = [i for i in ids if i not in order]
            if missing:
                raise AvzooError(f'{self.ids}: no embedding row for {len(missing)} training ids (first {missing[0]})')
            rows = np.array([order[i] for i in ids])
        else:
            rows = np.arange(len(ids))
        for key, arr in arrays.items():
            if arr.ndim != 2 or arr.shape[0] < rows.max() + 1:
                raise AvzooError(f'{self.paths[key]}: expected [N >= {rows.max() + 1}, D], got {arr.shape}')
        return np.asarray(arrays['image'][rows]), np.asarray(arrays['audio'][rows])


class _Classifier(nn.Module):
    def __init__(self, encoder: dict, n_classes: int) -> None:
        super().__init__()
        self.encoder = MODELS.build(encoder)
        self.fc = nn.Linear(self.encoder.out_channels, n_classes)

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        f = self.encoder(x)
        return f.mean(dim=(2, 3)) if f.dim() == 4 else f


@FEATURE_SOURCES.register_module()
class SupervisedSynthEncoders:
    """Train an image and an audio classifier on a labelled split, cache them in ``cache_dir``
    (``visual_encoder.pth`` / ``audio_encoder.pth``, torchvision key layout, usable as
    ``ResNetEncoder(pretrained=...)``), and embed a dataset with them (pooled features)."""

    def __init__(self, labelled: dict, visual_encoder: dict, audio_encoder: dict, cache_dir: str,
                 data_preprocessor: Optional[dict] = None, epochs: int = 4, batch_size: int = 64,
                 lr: float = 1e-3, num_workers: int = 0, seed: int = 0) -> None:
        self.labelled_cfg, self.cache_dir = labelled, cache_dir
        self.enc_cfg = dict(visual=visual_encoder, audio=audio_encoder)
        self.pre_cfg = data_preprocessor or dict(type='AVDataPreprocessor')
        self.epochs, self.batch_size, self.lr, self.num_workers, self.seed = epochs, batch_size, lr, num_workers, seed

    def _path(self, modality: str) -> str:
        return os.path.join(self.cache_dir, f'{modality}_encoder.pth')

    def _loader(self, items, image_size, audio, shuffle: bool) -> DataLoader:
        return DataLoader(_ClipItems(items, image_size, audio), batch_size=self.batch_size, shuffle=shuffle,
                          num_workers=self.num_workers, drop_last=shuffle)

    def train(self) -> None:
        """Fit both classifiers (skipped when both cached encoders exist)."""
        if all(os.path.isfile(self._path(m)) for m in ('visual', 'audio')):
            print_log(f'supervised encoders: cached in {self.cache_dir}', logger='current')
            return
        print_log(f'supervised encoders: training {self.epochs} epochs on {self.labelled_cfg.get("data_root")} '
                  f'(cached in {self.cache_dir} afterwards)', logger='current')
        torch.manual_seed(self.seed)
        labelled = DATASETS.build(self.labelled_cfg)
        n_classes = max(it['label'] for it in labelled.items) + 1
        pre = MODELS.build(self.pre_cfg)
        models = {m: _Classifier(cfg, n_classes) for m, cfg in self.enc_cfg.items()}
        params = [p for m in models.values() for p in m.parameters()]
        opt = torch.optim.Adam(params, lr=self.lr)
        loader = self._loader(labelled.items, labelled.image_size, labelled.audio, shuffle=True)
        from avzoo.utils.terminal import track
        for epoch in range(self.epochs):
            correct = dict(visual=0, audio=0)
            total = 0
            for image, audio, label, ok in track(loader, description=f'pre-train encoders {epoch + 1}/{self.epochs}'):
                batch = pre(dict(inputs=dict(image=image[ok], audio=audio[ok])), training=True)['inputs']
                label = label[ok]
                loss = 0.0
                for m, x in (('visual', batch['image']), ('audio', batch['audio'])):
                    logits = models[m].fc(models[m].embed(x))
                    loss = loss + F.cross_entropy(logits, label)
                    correct[m] += int((logits.argmax(1) == label).sum())
                total += int(label.numel())
                opt.zero_grad()
                loss.backward()
                opt.step()
            print_log(f'pre-train encoders epoch {epoch + 1}: train acc visual '
                      f'{correct["visual"] / max(total, 1):.3f}, audio {correct["audio"] / max(total, 1):.3f}',
                      logger='current')
        os.makedirs(self.cache_dir, exist_ok=True)
        for m, model in models.items():
            tmp = f'{self._path(m)}.{os.getpid()}.partial'
            torch.save(model.encoder.state_dict(), tmp)
            os.replace(tmp, self._path(m))

    def extract(self, dataset) -> Tuple[np.ndarray, np.ndarray]:
        self.train()
        with torch.no_grad():
            return self._embed(dataset)

    def _embed(self, dataset) -> Tuple[np.ndarray, np.ndarray]:
        pre = MODELS.build(self.pre_cfg)
        enc = {}
        for m, cfg in self.enc_cfg.items():
            enc[m] = MODELS.build(cfg).eval()
            enc[m].load_state_dict(torch.load(self._path(m), map_location='cpu', weights_only=True))
        feats = dict(visual=[], audio=[])
        loader = self._loader(dataset.items, dataset.image_size, dataset.audio, shuffle=False)
        from avzoo.utils.terminal import track
        for image, audio, _, _ in track(loader, description='embed training clips'):
            batch = pre(dict(inputs=dict(image=image, audio=audio)))['inputs']
            for m, x in (('visual', batch['image']), ('audio', batch['audio'])):
                f = enc[m](x)
                feats[m].append(f.mean(dim=(2, 3)) if f.dim() == 4 else f)
        return torch.cat(feats['visual']).numpy(), torch.cat(feats['audio']).numpy()
