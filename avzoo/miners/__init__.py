"""Positive miners: feature sources + kNN search, and the cached neighbour file they produce."""
from __future__ import annotations

import hashlib
import json
import os
import time
from typing import Sequence

import numpy as np
from mmengine.logging import print_log

from avzoo.registry import FEATURE_SOURCES, MINERS

from .features import NpyFeatures, SupervisedSynthEncoders
from .knn import KNNMiner, scaled_k


def neighbour_key(features: dict, miner: dict, ids: Sequence[str]) -> str:
    """A hash of what a neighbour file depends on: the feature source's and the miner's configs
    (encoder, weights, k, ...) and the id list."""
    blob = json.dumps(dict(features=features, miner=miner,
                           ids=hashlib.sha1('\n'.join(ids).encode()).hexdigest()), sort_keys=True, default=str)
    return hashlib.sha1(blob.encode()).hexdigest()[:12]


def neighbour_cache(work_dir: str, features: dict, miner: dict, ids: Sequence[str]) -> str:
    """Where the neighbour file of these inputs lives: ``<work_dir>/cache/neighbours_<key>.npz``,
    so a change of any input never reuses a stale file, and the user's dataset folder is never
    written to. The file also records its key, which the loader checks."""
    return os.path.join(work_dir, 'cache', f'neighbours_{neighbour_key(features, miner, ids)}.npz')


def mine_neighbours(dataset, features: dict, miner: dict, out: str, work_dir: str = '.') -> str:
    """Embed ``dataset`` with the ``features`` source, search kNN per modality with ``miner`` and
    write ``out`` (``.npz``: ``ids``, ``image`` ``[N, k]``, ``audio`` ``[N, k]``) atomically."""
    t0 = time.time()
    source = FEATURE_SOURCES.build(features)
    print_log(f'mining positives for {len(dataset.ids)} clips: step 1/2, embeddings from {type(source).__name__}',
              logger='current')
    image_feats, audio_feats = source.extract(dataset)
    knn = MINERS.build(miner)
    print_log(f'mining positives: step 2/2, {type(knn).__name__} search over {image_feats.shape[0]} image and '
              f'audio embeddings ({time.time() - t0:.0f} s so far)', logger='current')
    image_nn, audio_nn = knn(image_feats), knn(audio_feats)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = f'{out}.{os.getpid()}.partial.npz'
    np.savez(tmp, ids=np.array(dataset.ids), image=image_nn, audio=audio_nn,
             key=np.array(neighbour_key(features, miner, dataset.ids)))
    os.replace(tmp, out)
    print_log(f'mined {image_nn.shape[1]} image / {audio_nn.shape[1]} audio neighbours for '
              f'{len(dataset.ids)} clips in {time.time() - t0:.0f} s -> {out}', logger='current')
    return out


__all__ = ['KNNMiner', 'NpyFeatures', 'SupervisedSynthEncoders', 'mine_neighbours', 'neighbour_cache',
           'neighbour_key', 'scaled_k']
