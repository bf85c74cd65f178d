"""Tells the method which epoch is about to be trained (schedules inside a loss, FNAC's warm-up)."""
from __future__ import annotations

from mmengine.hooks import Hook

from avzoo.registry import HOOKS


@HOOKS.register_module()
class MethodEpochHook(Hook):
    """Tells the method which epoch is about to train (``LocalizationMethod.on_epoch``, a no-op unless a
    method has a schedule inside its loss, as FNAC's warm-up). Runs after a resume has restored
    ``runner.epoch``; every config has it through the runtime base."""

    def before_train_epoch(self, runner) -> None:
        from mmengine.model import is_model_wrapper
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        model.method.on_epoch(runner.epoch)
