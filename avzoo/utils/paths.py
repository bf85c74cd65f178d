"""Where a command writes: the path the user gave, or a default name inside the folder given."""
from __future__ import annotations

import os
from typing import Optional


def output_file(out: Optional[str], default_name: str, default_dir: str = '') -> str:
    """``out`` as given when it names a file; ``<out>/<default_name>`` when it is a folder (an
    existing one, or a path ending with a separator); ``<default_dir>/<default_name>`` when None."""
    if out is None:
        return os.path.join(default_dir, default_name)
    if os.path.isdir(out) or out.endswith(os.sep):
        return os.path.join(out, default_name)
    return out


def scratch_dir() -> str:
    """A private temporary folder, removed when the process ends (the log folder of a test run)."""
    import atexit
    import shutil
    import tempfile
    path = tempfile.mkdtemp(prefix='avzoo-run-')
    atexit.register(shutil.rmtree, path, True)
    return path
