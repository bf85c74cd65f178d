"""Hooks: skip reporting, positive mining before training, rich progress bars."""
from __future__ import annotations

import os
from typing import Optional

import torch
from mmengine.hooks import Hook
from mmengine.logging import print_log
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

from avzoo.registry import HOOKS


def _dataset(loader):
    return getattr(loader, 'dataset', None)


@HOOKS.register_module()
class SkipReportHook(Hook):
    """Logs how many media files each loop could not use (missing at build: samples dropped;
    undecodable at read: distinct files, however often they were read, this epoch) and records it
    in the message hub (``avzoo/<mode>_skipped``) for result files."""

    def __init__(self) -> None:
        self._train_total = 0

    def _reset(self, loader) -> None:
        ds = _dataset(loader)
        if ds is not None and hasattr(ds, 'reset_skips'):
            ds.reset_skips()

    def _report(self, runner, mode: str, loader) -> int:
        """Log this loop's skips; returns the undecodable files of this epoch."""
        ds = _dataset(loader)
        if ds is None or not hasattr(ds, 'skipped'):
            return 0
        missing, corrupt = getattr(ds, 'n_missing', 0), ds.skipped
        runner.message_hub.update_info(f'avzoo/{mode}_skipped', dict(missing=missing, corrupt=corrupt))
        if missing or corrupt:
            when = f'{mode} epoch {runner.epoch + 1}' if mode == 'train' else mode
            reads = getattr(ds, 'skipped_reads', corrupt)
            total = self._train_total + corrupt if mode == 'train' else corrupt
            print_log(f'{when}: {missing} samples dropped at build (missing media), {corrupt} undecodable media '
                      f'files skipped' + (f' ({reads} reads)' if reads != corrupt else '')
                      + (f' ({total} file-epochs since the start)' if total != corrupt else ''),
                      logger='current', level=30)
        return corrupt

    def before_train_epoch(self, runner) -> None:
        self._reset(runner.train_dataloader)

    def after_train_epoch(self, runner) -> None:
        self._train_total += self._report(runner, 'train', runner.train_dataloader)

    def before_val_epoch(self, runner) -> None:
        self._reset(runner.val_dataloader)

    def after_val_epoch(self, runner, metrics=None) -> None:
        self._report(runner, 'val', runner.val_dataloader)

    def before_test_epoch(self, runner) -> None:
        self._reset(runner.test_dataloader)

    def after_test_epoch(self, runner, metrics=None) -> None:
        self._report(runner, 'test', runner.test_dataloader)


@HOOKS.register_module()
class PositiveMiningHook(Hook):
    """Before training, give the training dataset its semantic neighbours: load the neighbour file
    (``ids``, ``image`` ``[N, k]``, ``audio`` ``[N, k]``) or compute it with ``features`` (a MINERS
    feature source) and ``miner`` (a MINERS kNN miner) and write it atomically. The file lives
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
        ds = _dataset(getattr(runner, 'train_dataloader', None))
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


@HOOKS.register_module()
class OnlineNeighbourHook(Hook):
    """Semantic positives without pre-trained encoders (beyond the paper): every ``interval``
    epochs from ``start_epoch`` on, embed the training clips with the model itself
    (:func:`avzoo.miners.online.model_embeddings`, projected embeddings by default) and re-mine
    each modality's neighbours with ``miner``. Until the first refresh each clip is its own
    neighbour (its ``nn`` view is another augmented draw of the anchor). Needs loaders without
    persistent workers, which would keep a stale copy of the neighbour table."""

    priority = 'VERY_HIGH'

    def __init__(self, miner: dict, interval: int = 1, start_epoch: int = 1, projected: bool = True) -> None:
        if interval < 1 or start_epoch < 0:
            raise ValueError(f'OnlineNeighbourHook: interval >= 1 and start_epoch >= 0, got {interval}, {start_epoch}')
        self.miner_cfg, self.interval, self.start_epoch, self.projected = miner, interval, start_epoch, projected

    def before_run(self, runner) -> None:
        import numpy as np
        loader = getattr(runner, 'train_dataloader', None)
        ds = _dataset(loader)
        if ds is None or 'nn' not in getattr(ds, 'views', ()):
            return
        if getattr(loader, 'persistent_workers', False):
            from avzoo.errors import AvzooError
            raise AvzooError('OnlineNeighbourHook: set train_dataloader.persistent_workers=False (persistent '
                             'workers keep the neighbour table of the first epoch)')
        own = np.arange(len(ds))[:, None]
        ds.set_neighbours(own, own)

    def before_train_epoch(self, runner) -> None:
        import time

        from avzoo.miners.online import model_embeddings
        from avzoo.registry import MINERS
        ds = _dataset(runner.train_dataloader)
        epoch = runner.epoch
        if ds is None or 'nn' not in getattr(ds, 'views', ()) or epoch < self.start_epoch \
                or (epoch - self.start_epoch) % self.interval:
            return
        t0 = time.time()
        model = runner.model.module if hasattr(runner.model, 'module') else runner.model
        image_feats, audio_feats = model_embeddings(model, ds, projected=self.projected)
        knn = MINERS.build(self.miner_cfg)
        ds.set_neighbours(knn(image_feats), knn(audio_feats))
        print_log(f'online positives: re-mined neighbours of {len(ds)} clips from the model at epoch {epoch} '
                  f'({time.time() - t0:.0f} s)', logger='current')


@HOOKS.register_module()
class RichProgressHook(Hook):
    """A progress bar on stderr over the iterations of each train epoch and each val/test run
    (rich's on a terminal, a line per 10 % through a pipe: :func:`avzoo.utils.terminal.make_progress`)."""

    priority = 'LOW'

    def __init__(self) -> None:
        self.progress = None
        self.task = None

    def _start(self, label: str, total: int) -> None:
        from avzoo.utils.terminal import make_progress
        self.progress = make_progress(TextColumn('{task.description}', markup=False), BarColumn(), MofNCompleteColumn(),
                                      TimeRemainingColumn(), TextColumn('{task.fields[info]}', markup=False))
        self.progress.start()
        self.task = self.progress.add_task(label, total=total, info='')

    def _advance(self, info: Optional[str] = None) -> None:
        if self.progress is not None:
            self.progress.update(self.task, advance=1, **({'info': info} if info is not None else {}))

    def _stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def before_train_epoch(self, runner) -> None:
        self._start(f'epoch {runner.epoch + 1}/{runner.max_epochs}', len(runner.train_dataloader))

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        loss = (outputs or {}).get('loss')
        if isinstance(loss, torch.Tensor):
            loss = loss.detach()
        self._advance(f'loss {float(loss):.3f}' if loss is not None else None)

    def after_train_epoch(self, runner) -> None:
        self._stop()

    def before_val_epoch(self, runner) -> None:
        self._start('validate', len(runner.val_dataloader))

    def after_val_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        self._advance()

    def after_val_epoch(self, runner, metrics=None) -> None:
        self._stop()

    def before_test_epoch(self, runner) -> None:
        self._start('test', len(runner.test_dataloader))

    def after_test_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        self._advance()

    def after_test_epoch(self, runner, metrics=None) -> None:
        self._stop()


@HOOKS.register_module()
class MethodEpochHook(Hook):
    """Tells the method which epoch is about to train (``SSLMethod.on_epoch``, a no-op unless a
    method has a schedule inside its loss, as FNAC's warm-up). Runs after a resume has restored
    ``runner.epoch``; every config has it through the runtime base."""

    def before_train_epoch(self, runner) -> None:
        from mmengine.model import is_model_wrapper
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        model.method.on_epoch(runner.epoch)
