"""Mines semantic positives (nearest neighbours) for the training list before the first epoch."""
from __future__ import annotations

import os
from typing import Optional

from mmengine.hooks import Hook
from mmengine.logging import print_log

from avzoo.engine.hooks.skip_report_hook import loader_dataset
from avzoo.registry import HOOKS


@HOOKS.register_module()
class PositiveMiningHook(Hook):
    """Before training, give the training dataset its semantic neighbours: load the neighbour file
    (``ids``, ``image`` ``[N, k]``, ``audio`` ``[N, k]``) or compute it with ``features`` (a
    FEATURE_SOURCES entry) and ``miner`` (a MINERS kNN miner) and write it atomically. The file lives
    under the work dir (or ``cache_root``, so several runs can share it), keyed by its inputs
    (:func:`avzoo.miners.neighbour_cache`), unless ``cache`` names a path.

    It runs in ``before_run``, which MMEngine calls before initialising weights, so a config can
    initialise an encoder (``init_cfg=dict(type='Pretrained', ...)``) from what the feature
    source trained (the "Pre. Vision" variant)."""

    priority = 'VERY_HIGH'

    def __init__(self, features: dict, miner: dict, cache: Optional[str] = None,
                 cache_root: Optional[str] = None) -> None:
        self.features_cfg, self.miner_cfg, self.cache, self.cache_root = features, miner, cache, cache_root

    def before_run(self, runner) -> None:
        from avzoo.miners import mine_neighbours, neighbour_cache, neighbour_key
        ds = loader_dataset(getattr(runner, 'train_dataloader', None))
        if ds is None or 'nn' not in getattr(ds, 'views', ()) or getattr(ds, 'nn_sampling', '') == 'self':
            return
        cache = self.cache or neighbour_cache(self.cache_root or runner.work_dir, self.features_cfg,
                                              self.miner_cfg, ds.ids)
        if not os.path.isfile(cache):
            from avzoo.datasets.sampler import isolated_rng
            with isolated_rng():       # a first run (mining) and a rerun (cached) start from the same RNG state
                mine_neighbours(ds, self.features_cfg, self.miner_cfg, cache, work_dir=runner.work_dir)
        ds.load_neighbours(cache, key=neighbour_key(self.features_cfg, self.miner_cfg, ds.ids))
        print_log(f'positives: semantic neighbours from {cache}', logger='current')
