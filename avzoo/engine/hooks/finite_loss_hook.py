"""A non-finite loss stops training with a message naming the iteration; nothing is saved after
it, so the last good checkpoint stays the newest."""
from __future__ import annotations

import math

from mmengine.hooks import Hook

from avzoo.registry import HOOKS
from avzoo.utils.errors import AvzooError


@HOOKS.register_module()
class FiniteLossHook(Hook):
    """Stop at the first non-finite loss (NaN / inf), naming the epoch, the iteration and the last
    good checkpoint; the run exits with an error and writes nothing more."""

    priority = 'VERY_HIGH'

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None) -> None:
        values = {k: float(v.detach()) if hasattr(v, 'detach') else float(v) for k, v in (outputs or {}).items()
                  if k.startswith('loss')}
        bad = {k: v for k, v in values.items() if not math.isfinite(v)}
        if bad:
            last = runner.message_hub.get_info('last_ckpt')
            raise AvzooError(f'training diverged: non-finite loss {bad} at epoch {runner.epoch + 1}, iteration '
                             f'{runner.iter + 1} (batch {batch_idx + 1} of the epoch); nothing was saved after it; '
                             f'last good checkpoint: {last or "none yet"}')
