"""The ffmpeg binary avzoo runs (``avzoo prepare``, ``avzoo localize VIDEO``): the one shipped by the
``imageio-ffmpeg`` package (a dependency of avzoo; ``IMAGEIO_FFMPEG_EXE`` picks another), or one on PATH."""
from __future__ import annotations

import shutil

from avzoo.utils.errors import AvzooError


def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg
        return imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:  # not installed, or no bundled binary for this platform
        exe = shutil.which('ffmpeg')
        if exe is None:
            raise AvzooError('avzoo needs ffmpeg for videos: pip install imageio-ffmpeg (or put ffmpeg on PATH)') from None
        return exe


def last_line(stderr: str, default: str = 'no message') -> str:
    """ffmpeg's last non-empty stderr line: the one that says what went wrong."""
    lines = [line.strip() for line in (stderr or '').splitlines() if line.strip()]
    return lines[-1] if lines else default
