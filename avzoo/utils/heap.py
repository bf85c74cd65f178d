"""Keeping a long streaming run's memory flat on glibc.

glibc serves a freed large block's size from its heap next time (its mmap threshold grows to the
largest block freed, up to 32 MiB), and the heap keeps what fragments: mapping a 10-minute video
in batches of multi-MB frame and overlay arrays grew the process by 60-470 MiB, which
``malloc_trim`` gave back (tools/bench_video_memory.py, docs/inference.md). A fixed threshold
sends every block of ``threshold`` bytes or more to mmap, which returns it to the system when
freed. Elsewhere (macOS, musl, Windows) this does nothing."""
from __future__ import annotations

import ctypes
import ctypes.util
import functools

M_MMAP_THRESHOLD = -3      # glibc's mallopt parameter number


@functools.lru_cache(maxsize=None)
def map_large_blocks(threshold: int = 1 << 20) -> bool:
    """Fix glibc's mmap threshold at ``threshold`` bytes (once per process); True when it took."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library('c') or 'libc.so.6')
        return bool(libc.mallopt(M_MMAP_THRESHOLD, threshold))
    except (OSError, AttributeError):
        return False
