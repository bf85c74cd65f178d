"""avzoo's Runner: atomic checkpoints that carry every RNG state, one run per work dir, resume that
never silently starts over, strict and safe (``weights_only``) loading, quiet terminal."""
from __future__ import annotations

import logging
import os
import random
import sys

import numpy as np
import torch
from mmengine.runner import Runner

from avzoo.engine.checkpoint import read_checkpoint
from avzoo.errors import AvzooError
from avzoo.registry import RUNNERS

DUMP_LINES = 12   # a log record with this many lines or more goes to the log file only


@RUNNERS.register_module()
class AvzooRunner(Runner):
    """MMEngine Runner whose checkpoints are written under a per-process temporary name and
    renamed into place (an interrupted save never leaves a truncated checkpoint under the real
    name, and two processes never write the same temporary file), carry the RNG states (Python,
    NumPy, torch CPU and CUDA) in ``meta['rng']``, and are restored from on ``--resume``."""

    def save_checkpoint(self, out_dir: str, filename: str, *args, meta=None, **kwargs) -> None:
        meta = dict(meta or {})
        meta['rng'] = rng_state()
        partial = f'{filename}.{os.getpid()}.partial'
        super().save_checkpoint(out_dir, partial, *args, meta=meta, **kwargs)
        if self.rank == 0:
            os.replace(os.path.join(out_dir, partial), os.path.join(out_dir, filename))

    def wrap_model(self, model_wrapper_cfg, model):
        """Under DDP, batch norm over the global batch (``GlobalBatchNorm``; config
        ``sync_batch_norm=False`` keeps per-rank statistics), then MMEngine's wrapper."""
        if self.distributed and self.cfg.get('sync_batch_norm', True):
            from avzoo.models.global_batch import convert_global_batch_norm
            model = convert_global_batch_norm(model)
        return super().wrap_model(model_wrapper_cfg, model)

    def train(self):
        """Train holding the work dir's lock (a second run on it is refused with one error)."""
        from avzoo.engine.safety import WorkDirLock
        lock = WorkDirLock(self.work_dir).acquire() if self.rank == 0 else None
        try:
            return super().train()
        finally:
            if lock is not None:
                lock.release()

    def load_or_resume(self) -> None:
        """``--resume`` without ``load_from``: the checkpoint ``last_checkpoint`` names, or, when
        that marker is missing, empty or stale, the newest readable checkpoint of the work dir;
        training from scratch only when the work dir holds none (logged)."""
        if self._has_loaded or not self._resume or self._load_from is not None:
            return super().load_or_resume()
        from avzoo.engine.safety import newest_checkpoint
        marker = os.path.join(self.work_dir, 'last_checkpoint')
        named = open(marker).read().strip() if os.path.isfile(marker) else ''
        target = named if named and os.path.isfile(named) else newest_checkpoint(self.work_dir)
        if target is None:
            self.logger.warning(f'--resume: no checkpoint in {self.work_dir}; training from scratch')
            return None
        if target != named:
            self.logger.warning(f'--resume: last_checkpoint is {"missing" if not named else "stale: " + named}; '
                                f'resuming from the newest readable checkpoint {target}')
        self.resume(target)
        self._has_loaded = True

    def resume(self, filename: str, *args, **kwargs) -> None:
        super().resume(filename, *args, **kwargs)
        state = (getattr(self, '_loaded_meta', None) or {}).get('rng')
        if state is not None:
            set_rng_state(state)

    def load_checkpoint(self, filename: str, map_location='cpu', strict: bool = True,
                        revise_keys=((r'^module\.', ''),)):
        """Load weights strictly: a checkpoint that does not fit the model is an error, never a
        silently half-random model (the releases' ``strict=False`` pitfall); a file that is not a
        checkpoint is one error line (:func:`read_checkpoint`)."""
        from mmengine.model import is_model_wrapper
        from mmengine.runner.checkpoint import _load_checkpoint_to_model
        checkpoint = read_checkpoint(filename, map_location)
        self._loaded_meta = checkpoint.get('meta')
        self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        model = self.model.module if is_model_wrapper(self.model) else self.model
        try:
            checkpoint = _load_checkpoint_to_model(model, checkpoint, strict, revise_keys=list(revise_keys))
        except RuntimeError as exc:
            first = str(exc).strip().splitlines()
            raise AvzooError(f'{filename}: does not fit this model ({" ".join(first[:2])[:300]})') from None
        self._has_loaded = True
        self.logger.info(f'Load checkpoint from {filename}')
        return checkpoint

    def register_default_hooks(self, hooks=None) -> None:
        """MMEngine's, except that any named default hook (avzoo's too) can be switched off with None."""
        if hooks is not None:
            builtin = ('runtime_info', 'timer', 'sampler_seed', 'logger', 'param_scheduler', 'checkpoint')
            hooks = {k: v for k, v in hooks.items() if v is not None or k in builtin}
        super().register_default_hooks(hooks)

    def build_logger(self, log_level='INFO', log_file=None, **kwargs):
        """MMEngine's logger, writing to stderr (stdout is for results: ``--json`` prints one
        object there) and keeping multi-line dumps (the config, the environment, the hook table)
        in the log file only."""
        logger = super().build_logger(log_level=log_level, log_file=log_file, **kwargs)
        for i, handler in enumerate(logger.handlers):
            if type(handler) is logging.StreamHandler:
                to_stderr = _CurrentStderrHandler()
                to_stderr.setLevel(handler.level)
                to_stderr.setFormatter(handler.formatter)
                for f in handler.filters:
                    to_stderr.addFilter(f)
                to_stderr.addFilter(_drop_dumps)
                logger.handlers[i] = to_stderr
        return logger


def rng_state() -> dict:
    """Every generator's state in types ``torch.load(weights_only=True)`` reads back."""
    kind, keys, pos, has_gauss, gauss = np.random.get_state()
    state = dict(python=random.getstate(), numpy=[kind, torch.from_numpy(keys.astype(np.int64)), pos, has_gauss, gauss],
                 torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    random.setstate(tuple(tuple(x) if isinstance(x, list) else x for x in state['python']))
    kind, keys, pos, has_gauss, gauss = state['numpy']
    np.random.set_state((kind, keys.numpy().astype(np.uint32), pos, has_gauss, gauss))
    torch.set_rng_state(state['torch'])
    if 'cuda' in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state['cuda'])


class _CurrentStderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record is emitted (never a stream that a
    redirect, a test runner or a CLI harness has closed since the logger was made)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def _drop_dumps(record: logging.LogRecord) -> bool:
    return str(record.msg).count('\n') < DUMP_LINES

