"""avzoo's Runner: atomic checkpoints, strict and safe (``weights_only``) loading, quiet terminal."""
from __future__ import annotations

import logging
import os
import sys

from mmengine.runner import Runner

from avzoo.engine.checkpoint import read_checkpoint
from avzoo.errors import AvzooError
from avzoo.registry import RUNNERS

DUMP_LINES = 12   # a log record with this many lines or more goes to the log file only


@RUNNERS.register_module()
class AvzooRunner(Runner):
    """MMEngine Runner whose checkpoints are written to ``<name>.partial`` and renamed into place,
    so an interrupted save never leaves a truncated checkpoint under the real name."""

    def save_checkpoint(self, out_dir: str, filename: str, *args, **kwargs) -> None:
        partial = filename + '.partial'
        super().save_checkpoint(out_dir, partial, *args, **kwargs)
        if self.rank == 0:
            os.replace(os.path.join(out_dir, partial), os.path.join(out_dir, filename))

    def load_checkpoint(self, filename: str, map_location='cpu', strict: bool = True,
                        revise_keys=((r'^module\.', ''),)):
        """Load weights strictly: a checkpoint that does not fit the model is an error, never a
        silently half-random model (the releases' ``strict=False`` pitfall); a file that is not a
        checkpoint is one error line (:func:`read_checkpoint`)."""
        from mmengine.model import is_model_wrapper
        from mmengine.runner.checkpoint import _load_checkpoint_to_model
        checkpoint = read_checkpoint(filename, map_location)
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

