"""Per-sample random streams: augmentations that do not depend on workers, ranks or restarts.

:class:`SeededSampler` (MMEngine's DefaultSampler order) hands every index its own seed, derived
from (sampler seed, epoch, the sample's position in the epoch's global order). A dataset draws that
sample's augmentations under :func:`sample_rng`, so a sample is augmented the same way whichever
worker or rank loads it, with any number of workers, persistent or not, and after a resume in the
middle of an epoch (:attr:`SeededSampler.skip` drops the batches already trained on).
"""
from __future__ import annotations

import hashlib
import random
from contextlib import contextmanager
from typing import Iterator

import numpy as np
import torch
from mmengine.dataset import DefaultSampler

from avzoo.registry import DATA_SAMPLERS


def derive_seed(*parts: int) -> int:
    """A 63-bit seed from integers (a hash: nearby inputs give unrelated seeds)."""
    digest = hashlib.blake2b('/'.join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, 'little') >> 1


class SeededIndex(int):
    """A dataset index that carries the seed of its sample's random stream."""

    def __new__(cls, index: int, seed: int) -> 'SeededIndex':
        obj = super().__new__(cls, index)
        obj.seed = seed
        return obj

    def __reduce__(self):
        return SeededIndex, (int(self), self.seed)


@contextmanager
def sample_rng(seed: int):
    """Seed Python's and torch's CPU generators for one sample; the caller's states come back
    afterwards (the main process's stream is not consumed)."""
    state = random.getstate()
    with torch.random.fork_rng(devices=[]):
        random.seed(seed)
        torch.manual_seed(seed)
        try:
            yield
        finally:
            random.setstate(state)


@DATA_SAMPLERS.register_module()
class SeededSampler(DefaultSampler):
    """DefaultSampler's indices as :class:`SeededIndex`; ``skip`` (set by the train loop when it
    resumes inside an epoch) drops that many of this rank's first indices, once."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.skip = 0

    def __iter__(self) -> Iterator[SeededIndex]:
        if self.shuffle:
            g = torch.Generator()
            g.manual_seed(self.seed + self.epoch)
            order = torch.randperm(len(self.dataset), generator=g).tolist()
        else:
            order = list(range(len(self.dataset)))
        if self.round_up:
            order = (order * (self.total_size // len(order) + 1))[:self.total_size]
        mine = list(zip(order, range(len(order))))[self.rank:self.total_size:self.world_size]
        skip, self.skip = self.skip, 0
        for index, pos in mine[skip:]:
            yield SeededIndex(index, derive_seed(self.seed, self.epoch, pos))

    def __len__(self) -> int:
        return self.num_samples


@contextmanager
def isolated_rng():
    """Run a block (positive mining, a pre-training step) without consuming the caller's
    generators: Python's, NumPy's and torch's states (every GPU's too) come back afterwards."""
    py, npy = random.getstate(), np.random.get_state()
    devices = list(range(torch.cuda.device_count())) if torch.cuda.is_available() else []
    with torch.random.fork_rng(devices=devices):
        try:
            yield
        finally:
            random.setstate(py)
            np.random.set_state(npy)


def seed_everything(seed: int) -> None:
    """Python, NumPy and torch (CPU and every GPU) from one seed."""
    random.seed(seed)
    np.random.seed(seed % (2 ** 32))
    torch.manual_seed(seed)
