"""MMEngine's CheckpointHook, crash-safe: weights are checked to be finite first, the new
checkpoint is written under a per-process temporary name, fsynced and renamed, and
``last_checkpoint`` (the file name, relative: it moves with a copied work dir) is replaced
atomically *before* any old checkpoint is deleted, so ``max_keep_ckpts=N`` keeps exactly N and
never leaves a moment without a good checkpoint; a failed save (a full disk) is one error naming
the last good checkpoint."""
from __future__ import annotations

import os
from collections import deque
from typing import Optional

import torch
from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook

from avzoo.engine.workdir import MARKER
from avzoo.registry import HOOKS
from avzoo.utils.errors import AvzooError
from avzoo.utils.io import write_atomic


def check_finite_weights(model, where: str, last: Optional[str]) -> None:
    """Refuse to save weights that hold NaN or inf (an update overflowed after the last finite loss)."""
    bad = [name for name, p in model.state_dict().items()
           if p.is_floating_point() and not bool(torch.isfinite(p).all())]
    if bad:
        raise AvzooError(f'training diverged: non-finite weights ({", ".join(bad[:3])}'
                         f'{" ..." if len(bad) > 3 else ""}) {where}; not saved; last good checkpoint: {last or "none yet"}')


@HOOKS.register_module()
class AvzooCheckpointHook(CheckpointHook):
    """Save first, then mark it last (atomically), then prune (see the module docstring)."""

    def _save_checkpoint_with_step(self, runner, step, meta):
        from mmengine.model import is_model_wrapper
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        previous = runner.message_hub.get_info('last_ckpt')
        check_finite_weights(model, f'after {"epoch" if self.by_epoch else "iteration"} {step}', previous)
        ckpt_filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir, ckpt_filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)     # saved inside the checkpoint
        prune = []
        if self.max_keep_ckpts > 0 and not (self.keep_ckpt_ids and self.keep_ckpt_ids[-1] == step):
            # MMEngine keeps the ids in a deque(maxlen=max_keep_ckpts), which drops the oldest on
            # append by itself: take the ids to prune from the list, then keep the newest.
            ids = list(self.keep_ckpt_ids) + [step]
            prune = ids[:-self.max_keep_ckpts]
            self.keep_ckpt_ids = deque(ids[-self.max_keep_ckpts:], maxlen=self.max_keep_ckpts)
            runner.message_hub.update_info('keep_ckpt_ids', list(self.keep_ckpt_ids))
        try:
            runner.save_checkpoint(self.out_dir, ckpt_filename, self.file_client_args, save_optimizer=self.save_optimizer,
                                   save_param_scheduler=self.save_param_scheduler, meta=meta, by_epoch=self.by_epoch,
                                   backend_args=self.backend_args, **self.args)
        except (OSError, RuntimeError) as exc:
            reason = getattr(exc, 'strerror', None) or str(exc).strip().splitlines()[0][:160]
            raise AvzooError(f'could not write checkpoint {self.last_ckpt} ({reason}; is the disk full?); nothing '
                             f'partial is left; last good checkpoint: {previous or "none yet"}') from None
        if not is_main_process():
            return
        marker = (os.path.relpath(self.last_ckpt, runner.work_dir)
                  if os.path.abspath(self.last_ckpt).startswith(os.path.abspath(runner.work_dir) + os.sep) else self.last_ckpt)
        write_atomic(os.path.join(runner.work_dir, MARKER), marker)
        for old in prune:
            path = self.file_backend.join_path(self.out_dir, self.filename_tmpl.format(old))
            if path != self.last_ckpt and os.path.isfile(path):
                os.remove(path)
