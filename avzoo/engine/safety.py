"""Crash safety: checkpoints that survive kills, a lock on the work dir, loud divergence.

- :class:`AvzooCheckpointHook`: MMEngine's CheckpointHook, except that weights are checked to be
  finite first, the new checkpoint is in place (written under a per-process temporary name,
  fsynced, then renamed) and ``last_checkpoint`` (the file name, relative: it moves with a copied
  work dir; :func:`read_marker`) is replaced atomically *before* any old checkpoint is deleted, so
  ``max_keep_ckpts=N`` keeps exactly N and never leaves a moment without a good checkpoint; a
  failed save (a full disk) is one error naming the last good checkpoint.
- :func:`newest_checkpoint`: what ``--resume`` resumes from when ``last_checkpoint`` is missing,
  empty, not text, or points at a file that is gone or unreadable: the newest readable checkpoint.
- :class:`WorkDirLock`: one run per work dir (``fcntl`` lock, released when the process ends,
  even by SIGKILL); :func:`remove_stale_partials` clears what killed saves left, under the lock.
- :class:`FiniteLossHook`: a non-finite loss stops training with a message naming the iteration;
  nothing is saved after it, so the last good checkpoint stays the newest.
"""
from __future__ import annotations

import glob
import math
import os
import re
from collections import deque
from typing import Optional

import torch
from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook, Hook
from mmengine.logging import print_log

from avzoo.errors import AvzooError
from avzoo.registry import HOOKS

CKPT_NAME = re.compile(r'^(epoch|iter)_(\d+)\.pth$')


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, fsynced and renamed: ``path`` holds
    the old text or the new, never a part; a failed write (disk full) leaves no temporary file."""
    tmp = f'{path}.{os.getpid()}.partial'
    try:
        with open(tmp, 'w', encoding='utf-8') as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    fsync_dir(os.path.dirname(os.path.abspath(path)))


def fsync_file(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: str) -> None:
    """Make a rename in ``folder`` durable (where the platform allows opening a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


MARKER = 'last_checkpoint'


def read_marker(work_dir: str) -> Optional[str]:
    """The checkpoint ``<work_dir>/last_checkpoint`` names, as a path, or None when the marker is
    missing, empty or not text. avzoo writes the file name (the marker moves with a copied work
    dir); an absolute path (MMEngine's, or an older avzoo's) whose file lies in another folder is
    read as the file of that name in ``work_dir`` when one is there."""
    path = os.path.join(work_dir, MARKER)
    try:
        with open(path, 'rb') as f:
            name = f.read(4096).decode('utf-8').strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not name:
        return None
    if not os.path.isabs(name):
        return os.path.join(work_dir, name)
    local = os.path.join(work_dir, os.path.basename(name))
    if os.path.dirname(os.path.abspath(name)) != os.path.abspath(work_dir) and os.path.isfile(local):
        return local
    return name


def check_finite_weights(model, where: str, last: Optional[str]) -> None:
    """Refuse to save weights that hold NaN or inf (an update overflowed after the last finite loss)."""
    bad = [name for name, p in model.state_dict().items()
           if p.is_floating_point() and not bool(torch.isfinite(p).all())]
    if bad:
        raise AvzooError(f'training diverged: non-finite weights ({", ".join(bad[:3])}'
                         f'{" ..." if len(bad) > 3 else ""}) {where}; not saved; last good checkpoint: {last or "none yet"}')


def write_marked_block(path: str, name: str, body: str, what: str) -> None:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->`` in ``path`` (a README
    or model card) by ``body``, atomically; a file without the markers is one error naming ``what``."""
    from avzoo.errors import AvzooError
    with open(path) as f:
        text = f.read()
    start, end = f'<!-- {name}:start -->', f'<!-- {name}:end -->'
    if start not in text or end not in text:
        raise AvzooError(f'{path}: no {start} ... {end} block to write the {what} into')
    head, rest = text.split(start, 1)
    write_atomic(path, head + start + '\n' + body + '\n' + end + rest.split(end, 1)[1])


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


def newest_checkpoint(work_dir: str) -> Optional[str]:
    """The readable checkpoint of ``work_dir`` with the most training iterations (ties: the newest
    file), or None when it holds none. Unreadable ones (a truncated file) are skipped and logged."""
    from avzoo.engine.checkpoint import UnreadableCheckpoint, read_checkpoint
    best, best_key = None, None
    for path in glob.glob(os.path.join(work_dir, '*.pth')):
        if not CKPT_NAME.match(os.path.basename(path)):
            continue
        try:
            meta = read_checkpoint(path).get('meta', {})
        except UnreadableCheckpoint as exc:          # a refused (unsafe) file is an error, never skipped
            print_log(f'resume: skipping {path}: {exc}', logger='current', level=30)
            continue
        key = (meta.get('iter', -1), os.path.getmtime(path))
        if best_key is None or key > best_key:
            best, best_key = path, key
    return best


class WorkDirLock:
    """An exclusive lock on ``<work_dir>/.avzoo.lock``; a second holder (another process, or
    another runner of this one) gets one clear error. Released by :meth:`release` or when the
    process ends, even by SIGKILL. Usable as a context manager."""

    def __init__(self, work_dir: str) -> None:
        self.path = os.path.join(work_dir, '.avzoo.lock')
        self.fd: Optional[int] = None

    def acquire(self) -> 'WorkDirLock':
        import fcntl
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors='replace').strip() or '?'
            os.close(fd)
            raise AvzooError(f'work dir {os.path.dirname(self.path)} is in use by another run (pid {holder}); '
                             f'wait for it or choose another --work-dir') from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self.fd = fd
        return self

    def release(self) -> None:
        if self.fd is not None:
            import fcntl
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __del__(self) -> None:            # a runner built for training but never run lets go
        self.release()

    def __enter__(self) -> 'WorkDirLock':
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def remove_stale_partials(work_dir: str) -> int:
    """Delete the temporary files of saves that a kill interrupted (``*.partial``); called with
    the work dir's lock held, so no save of a live run is touched. Returns how many."""
    stale = glob.glob(os.path.join(work_dir, '*.partial'))
    for path in stale:
        try:
            os.remove(path)
        except OSError:
            pass
    if stale:
        print_log(f'removed {len(stale)} partial file(s) of an interrupted save in {work_dir}', logger='current', level=30)
    return len(stale)


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
