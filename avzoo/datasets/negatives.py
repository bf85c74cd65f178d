"""Negative audio for any test set: each image also comes with sounds that have no source in it.

The protocol of Juanola et al. (ICASSP 2025; release xavijuanola/vssl_eval,
``datasets/datasets.py``): silence, noise and an off-screen sound, i.e. the audio of another
clip of another class. avzoo's choices, where it differs from that release:

- every sound goes through the method's own front end (the data preprocessor's log spectrogram);
  the release takes the log of the positive and off-screen spectrograms only, so its silence and
  noise inputs are linear power (silence: all zeros);
- noise is white Gaussian noise of standard deviation ``noise_std`` (1.0, the release's
  ``np.random.normal(0, 1)``) of the window's length;
- the off-screen clip is drawn per sample from a generator seeded by ``(seed, index)``: the same
  clip whatever the batch size, worker count or order (the release reseeds Python's ``random``
  per pass); a class is drawn uniformly among the classes absent from the image (all sounding
  classes of its interactive group), then a clip of that class from another image, as the
  release draws. Test sets without class labels (VPO, AVSBench) draw a clip of another image,
  which may show a class also present in this one; the result says so (``offscreen_rule``).
  An unreadable off-screen clip is replaced by the next candidate; the sample records how many
  were skipped (``offscreen_retries``) and the metric reports their sum (``n_offscreen_retries``).
"""
from __future__ import annotations

import copy
import re
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from torch.utils.data import Dataset

from avzoo.datasets.base import AVTestDataset
from avzoo.datasets.media import MediaError
from avzoo.registry import DATASETS
from avzoo.utils.errors import AvzooError

KINDS = ('silence', 'noise', 'offscreen')
_CLASS_TOKEN = re.compile(r'^.*_\d+_([^_\d][^/]*?)$')    # IS3 / synth: <a>_<b>_<n>_<sounding class>


def item_class(item: dict) -> Optional[str]:
    """The sounding class of a test item: ``cls`` (VGG-SS json ``class``) or, in IS3-style names
    ``<class a>_<class b>_<number>_<sounding class>``, the last token; None when unknown."""
    if item.get('cls'):
        return str(item['cls'])
    m = _CLASS_TOKEN.match(str(item.get('id', '')))
    return m.group(1) if m else None


@DATASETS.register_module()
class NegativeAudioDataset(Dataset):
    """Wraps a test dataset config: each sample's ``inputs`` gain ``audio_<kind>`` waveforms
    ``[T]`` for ``kinds`` and its ``data_samples`` the off-screen clip's id."""

    def __init__(self, dataset: dict, kinds: Sequence[str] = KINDS, seed: int = 0, noise_std: float = 1.0) -> None:
        unknown = set(kinds) - set(KINDS)
        if unknown or not kinds:
            raise AvzooError(f'NegativeAudioDataset.kinds={tuple(kinds)!r}; expected some of {KINDS}')
        cfg = copy.deepcopy(dataset)
        self.dataset: AVTestDataset = DATASETS.build(cfg) if isinstance(cfg, dict) else cfg
        self.kinds, self.seed, self.noise_std = tuple(kinds), seed, noise_std
        items = self.dataset.items
        self.classes: List[Optional[str]] = [item_class(it) for it in items]
        self.groups = [it.get('group', it['id']) for it in items]
        self.labelled = all(c is not None for c in self.classes)
        group_classes: Dict[str, set] = {}
        for g, c in zip(self.groups, self.classes):
            group_classes.setdefault(g, set()).add(c)
        self.group_classes = group_classes
        self.by_class: Dict[Optional[str], List[int]] = {}
        for i, c in enumerate(self.classes):
            self.by_class.setdefault(c, []).append(i)
        self.class_names = sorted(c for c in self.by_class if c is not None)
        if 'offscreen' in self.kinds and len(set(self.groups)) < 2:
            raise AvzooError('negative audio: the off-screen sound needs at least two images in the test set')

    def __len__(self) -> int:
        return len(self.dataset)

    @property
    def metainfo(self) -> dict:
        meta = dict(self.dataset.metainfo)
        meta.update(negative_kinds=self.kinds, negative_seed=self.seed,
                    offscreen_rule='another class' if self.labelled else 'another image')
        return meta

    def offscreen_candidates(self, idx: int) -> List[int]:
        """Indices the off-screen clip of sample ``idx`` is drawn from, in draw order (seeded)."""
        rng = np.random.default_rng([self.seed, idx])
        group = self.groups[idx]
        if self.labelled:
            absent = [c for c in self.class_names if c not in self.group_classes[group]]
            if absent:
                cls = absent[int(rng.integers(len(absent)))]
                pool = [j for j in self.by_class[cls] if self.groups[j] != group]
                return [pool[k] for k in rng.permutation(len(pool))]
        order = rng.permutation(len(self.groups))
        return [int(j) for j in order if self.groups[j] != group]

    def _offscreen(self, idx: int):
        for attempt, j in enumerate(self.offscreen_candidates(idx)):
            try:
                return self.dataset.audio.load(self.dataset.items[j]['audio']), self.dataset.items[j]['id'], attempt
            except MediaError:
                continue
        raise AvzooError(f'negative audio: no readable off-screen clip for sample {self.dataset.items[idx]["id"]}')

    def __getitem__(self, idx: int) -> dict:
        sample = self.dataset[idx]
        length = sample['inputs']['audio'].shape[-1]
        gen = torch.Generator().manual_seed(int(np.random.SeedSequence([self.seed, idx, 1]).generate_state(1)[0]))
        for kind in self.kinds:
            if kind == 'silence':
                wave = torch.zeros(length)
            elif kind == 'noise':
                wave = torch.randn(length, generator=gen) * self.noise_std
            else:
                wave, sample['data_samples']['offscreen_id'], sample['data_samples']['offscreen_retries'] = \
                    self._offscreen(idx)
            sample['inputs'][f'audio_{kind}'] = wave
        return sample
