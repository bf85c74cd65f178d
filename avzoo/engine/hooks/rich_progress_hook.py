"""Rich progress bars for training, validation and test epochs."""
from __future__ import annotations

from typing import Optional

import torch
from mmengine.hooks import Hook
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

from avzoo.registry import HOOKS


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
