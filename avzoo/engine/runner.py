"""avzoo's Runner: atomic checkpoints that carry every RNG state, one run per work dir, resume that
never silently starts over, strict and safe (``weights_only``) loading. Its log goes to stderr
(:mod:`avzoo.utils.logs`)."""
from __future__ import annotations

import os
import random

import numpy as np
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from avzoo.engine.config import config_errors
from avzoo.engine.preflight import check_weights, fit_workers, root_hints
from avzoo.registry import RUNNERS
from avzoo.utils.checkpoint import read_checkpoint


@RUNNERS.register_module()
class AvzooRunner(Runner):
    """MMEngine Runner whose checkpoints are written under a per-process temporary name and
    renamed into place (an interrupted save never leaves a truncated checkpoint under the real
    name, and two processes never write the same temporary file), carry the RNG states (Python,
    NumPy, torch CPU and CUDA) in ``meta['rng']``, and are restored from on ``--resume``."""

    def save_checkpoint(self, out_dir: str, filename: str, *args, meta=None, **kwargs) -> None:
        from avzoo.utils.io import fsync_dir, fsync_file
        from avzoo.version import __version__
        meta = dict(meta or {})
        meta['rng'] = rng_state()
        meta['avzoo'] = dict(config=os.path.basename(self.cfg.filename or ''), version=__version__,
                             protocol=dict(self.training_record(), best_file=filename.startswith('best_')))
        partial = f'{filename}.{os.getpid()}.partial'
        try:
            super().save_checkpoint(out_dir, partial, *args, meta=meta, **kwargs)
            if self.rank == 0:
                fsync_file(os.path.join(out_dir, partial))        # the bytes are on disk before the name is
                os.replace(os.path.join(out_dir, partial), os.path.join(out_dir, filename))
                fsync_dir(out_dir)
        except BaseException:
            if os.path.exists(os.path.join(out_dir, partial)):
                os.remove(os.path.join(out_dir, partial))
            raise

    def training_record(self) -> dict:
        """What this run trains on and how it selects (:func:`avzoo.protocol.provenance.training_record`),
        computed once per run and written into every checkpoint."""
        if getattr(self, '_training_record', None) is None:
            from avzoo.protocol.provenance import training_record
            self._training_record = training_record(self.cfg, self.train_dataloader.dataset)
        return self._training_record

    def dump_config(self) -> None:
        """A training run takes the work dir's lock before it writes anything there (its config
        dump included): a refused second run leaves the running run's files alone."""
        if self._train_loop is not None:
            self._hold_work_dir()
        super().dump_config()

    def _hold_work_dir(self) -> None:
        """Rank 0 takes the work dir's lock once (released when training ends)."""
        if self.rank == 0 and getattr(self, '_work_dir_lock', None) is None:
            from avzoo.engine.workdir import WorkDirLock
            self._work_dir_lock = WorkDirLock(self.work_dir).acquire()

    def wrap_model(self, model_wrapper_cfg, model):
        """Under DDP, batch norm over the global batch (``GlobalBatchNorm``; config
        ``sync_batch_norm=False`` keeps per-rank statistics), then MMEngine's wrapper."""
        if self.distributed and self.cfg.get('sync_batch_norm', True):
            from avzoo.models.global_batch import convert_global_batch_norm
            model = convert_global_batch_norm(model)
        return super().wrap_model(model_wrapper_cfg, model)

    def train(self):
        """Train holding the work dir's lock (a second run on it is refused with one error); the
        partial files of saves a kill interrupted are removed first."""
        from avzoo.engine.workdir import remove_stale_partials
        self._hold_work_dir()
        try:
            if self.rank == 0:
                remove_stale_partials(self.work_dir)
            return super().train()
        finally:
            if getattr(self, '_work_dir_lock', None) is not None:
                self._work_dir_lock.release()
                self._work_dir_lock = None

    def load_or_resume(self) -> None:
        """``--resume`` without ``load_from``: the checkpoint ``last_checkpoint`` names, or, when
        that marker is missing, empty, not text, stale or names an unreadable file, the newest
        readable checkpoint of the work dir; training from scratch only when the work dir holds
        none (logged). A checkpoint refused as unsafe is an error, never skipped."""
        if self._has_loaded or not self._resume or self._load_from is not None:
            return super().load_or_resume()
        from avzoo.engine.workdir import newest_checkpoint, read_marker
        from avzoo.utils.checkpoint import UnreadableCheckpoint
        named = read_marker(self.work_dir)
        why = 'missing or unreadable' if named is None else f'stale: {named}'
        if named is not None and os.path.isfile(named):
            try:
                self.resume(named)          # reads the file before it changes any state
                self._has_loaded = True
                return None
            except UnreadableCheckpoint as exc:    # a refused (unsafe) file is an error, never skipped
                why = f'names an unreadable file ({exc})'
        target = newest_checkpoint(self.work_dir)
        if target is None:
            self.logger.warning(f'--resume: no checkpoint in {self.work_dir}; training from scratch')
            return None
        self.logger.warning(f'--resume: last_checkpoint is {why}; resuming from the newest readable '
                            f'checkpoint {target}')
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

        from avzoo.engine.checkpoint import load_strictly
        checkpoint = read_checkpoint(filename, map_location)
        self._loaded_meta = checkpoint.get('meta')
        self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        model = self.model.module if is_model_wrapper(self.model) else self.model
        checkpoint = load_strictly(model, checkpoint, filename, self.cfg.filename or 'this config')
        self._has_loaded = True
        self.logger.info(f'Load checkpoint from {filename}')
        return checkpoint

    def register_default_hooks(self, hooks=None) -> None:
        """MMEngine's, except that any named default hook (avzoo's too) can be switched off with None."""
        if hooks is not None:
            builtin = ('runtime_info', 'timer', 'sampler_seed', 'logger', 'param_scheduler', 'checkpoint')
            hooks = {k: v for k, v in hooks.items() if v is not None or k in builtin}
        super().register_default_hooks(hooks)


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


def build_runner(cfg: Config):
    """An :class:`AvzooRunner` from ``cfg``, with user mistakes reported as one line (missing
    weights are found before anything is built)."""
    import avzoo  # noqa: F401  (registration)
    from avzoo.engine.distributed import setup_distributed
    from avzoo.engine.runner import AvzooRunner
    from avzoo.protocol.selection import apply_selection
    check_weights(cfg)
    fit_workers(cfg)
    if cfg.get('train_dataloader'):
        apply_selection(cfg)           # a test-set selection not asked for by name fails here, before any work
    setup_distributed(cfg)
    with config_errors(), root_hints(cfg):
        return AvzooRunner.from_cfg(cfg)
