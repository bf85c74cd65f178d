"""Counts and logs the samples a loader skipped (unreadable media, bad annotations) per epoch."""
from __future__ import annotations

from mmengine.hooks import Hook
from mmengine.logging import print_log

from avzoo.registry import HOOKS


def loader_dataset(loader):
    return getattr(loader, 'dataset', None)


@HOOKS.register_module()
class SkipReportHook(Hook):
    """Logs how many media files each loop could not use (missing at build: samples dropped;
    undecodable at read: distinct files, however often they were read, this epoch) and records it
    in the message hub (``avzoo/<mode>_skipped``) for result files."""

    def __init__(self) -> None:
        self._train_total = 0

    def _reset(self, loader) -> None:
        ds = loader_dataset(loader)
        if ds is not None and hasattr(ds, 'reset_skips'):
            ds.reset_skips()

    def _report(self, runner, mode: str, loader) -> int:
        """Log this loop's skips; returns the undecodable files of this epoch."""
        ds = loader_dataset(loader)
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
