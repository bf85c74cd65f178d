"""Durable file writes: atomic text files, fsync, and marked blocks of a README or model card."""
from __future__ import annotations

import os

from avzoo.utils.errors import AvzooError


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


def write_marked_block(path: str, name: str, body: str, what: str) -> None:
    """Replace the text between ``<!-- name:start -->`` and ``<!-- name:end -->`` in ``path`` (a README
    or model card) by ``body``, atomically; a file without the markers is one error naming ``what``."""
    with open(path) as f:
        text = f.read()
    start, end = f'<!-- {name}:start -->', f'<!-- {name}:end -->'
    if start not in text or end not in text:
        raise AvzooError(f'{path}: no {start} ... {end} block to write the {what} into')
    head, rest = text.split(start, 1)
    write_atomic(path, head + start + '\n' + body + '\n' + end + rest.split(end, 1)[1])
