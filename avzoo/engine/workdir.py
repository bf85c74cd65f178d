"""A run's work dir: which checkpoint is the last, and one run at a time.

- :func:`read_marker`: the checkpoint ``last_checkpoint`` names;
- :func:`newest_checkpoint`: what ``--resume`` resumes from when ``last_checkpoint`` is missing,
  empty, not text, or points at a file that is gone or unreadable: the newest readable checkpoint;
- :class:`WorkDirLock`: one run per work dir (``fcntl`` lock, released when the process ends,
  even by SIGKILL); :func:`remove_stale_partials` clears what killed saves left, under the lock."""
from __future__ import annotations

import glob
import os
import re
from typing import Optional

from mmengine.logging import print_log

from avzoo.utils.errors import AvzooError

CKPT_NAME = re.compile(r'^(epoch|iter)_(\d+)\.pth$')


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


def newest_checkpoint(work_dir: str) -> Optional[str]:
    """The readable checkpoint of ``work_dir`` with the most training iterations (ties: the newest
    file), or None when it holds none. Unreadable ones (a truncated file) are skipped and logged."""
    from avzoo.utils.checkpoint import UnreadableCheckpoint, read_checkpoint
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
