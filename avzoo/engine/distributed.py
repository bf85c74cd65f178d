"""Distributed training through MMEngine's launcher under ``torchrun``.

Contrastive losses draw their negatives from the batch, and batch norm normalises over it, so
data parallelism changes the objective unless both see the *global* batch. Under DDP avzoo

- gathers every rank's embeddings (with gradients) before the loss
  (:func:`avzoo.models.global_batch.gather_batch`, in :class:`~avzoo.models.AVLocalizer`), so
  each rank's loss is the loss of the global batch, and
- replaces BatchNorm by :class:`~avzoo.models.global_batch.GlobalBatchNorm` (in
  :meth:`AvzooRunner.wrap_model`), which reduces the statistics over all ranks
  (on CPU/gloo as on GPU/NCCL; torch's SyncBatchNorm needs a GPU),

so training on R processes x B/R samples equals one process on B samples, up to float rounding.
:func:`setup_distributed` prepares a config for ``torchrun``: NCCL on GPUs; on CPU it creates the
gloo group itself and wraps the model with ``device_ids=None`` (MMEngine 0.10.7's ``pytorch``
launcher calls ``torch.cuda.set_device``). :func:`teardown_distributed` ends the group after a
successful command (every rank past a barrier first, so none closes its connections while a peer
still talks on them; a group left to interpreter shutdown can abort the process).
"""
from __future__ import annotations

import os
from datetime import timedelta

import torch
import torch.distributed as dist


def setup_distributed(cfg) -> None:
    """Under ``torchrun`` (``WORLD_SIZE`` > 1): set ``cfg.launcher`` and the backend (see module)."""
    if int(os.environ.get('WORLD_SIZE', '1')) <= 1:
        return
    cfg.launcher = 'pytorch'
    env = cfg.setdefault('env_cfg', {})
    if torch.cuda.is_available():
        env.setdefault('dist_cfg', {})['backend'] = 'nccl'
        return
    dist_cfg = env.setdefault('dist_cfg', {})
    dist_cfg['backend'] = 'gloo'
    if not dist.is_initialized():
        # MMEngine's `env_cfg.dist_cfg.timeout` (seconds), which its own init would pass: a hung rank
        # then stops its peers after that long instead of blocking them forever.
        timeout = dist_cfg.get('timeout')
        dist.init_process_group('gloo', **({'timeout': timedelta(seconds=float(timeout))} if timeout else {}))
    cfg.model_wrapper_cfg = dict(type='MMDistributedDataParallel', device_ids=None, broadcast_buffers=False,
                                 find_unused_parameters=cfg.get('find_unused_parameters', False))


def teardown_distributed() -> None:
    """After a command that succeeded on every rank: barrier, then destroy the default group."""
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
