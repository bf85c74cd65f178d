"""Every log line on stderr, whichever logger emits it.

MMEngine's ``MMLogger`` writes to ``sys.stdout`` (``logging.StreamHandler(stream=sys.stdout)``),
so a warning logged before a runner exists (``print_log(..., logger='current')``) would land in
the middle of ``avzoo eval --json``'s output. :func:`route_mmengine_logs_to_stderr` (run when
avzoo is imported) makes every ``MMLogger``, those made before and after, write its console lines
to the *current* ``sys.stderr``, keeps multi-line dumps (the config, the environment, the hook
table) in the log file only, and drops two deprecation notices that avzoo's own checkpoint hook
triggers inside MMEngine (``FileClient``, ``HardDiskBackend``): nothing a user can act on.
"""
from __future__ import annotations

import logging
import sys

DUMP_LINES = 12          # a log record with this many lines or more goes to the log file only
MMENGINE_NOISE = ('"FileClient" will be deprecated', '"HardDiskBackend" is the alias of "LocalBackend"')


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record is emitted (never a stream that a
    redirect, a test runner or a CLI harness has closed since the logger was made)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def keep_record(record: logging.LogRecord) -> bool:
    """False for multi-line dumps and MMEngine's deprecation notices about its own file client."""
    text = str(record.msg)
    return text.count('\n') < DUMP_LINES and not any(n in text for n in MMENGINE_NOISE)


def to_stderr(logger: logging.Logger) -> logging.Logger:
    """Replace ``logger``'s console handlers (plain stream handlers) by a
    :class:`StderrHandler` with the same level, format and filters, plus :func:`keep_record`."""
    for i, handler in enumerate(logger.handlers):
        if type(handler) is logging.StreamHandler:          # not a FileHandler (a subclass)
            new = StderrHandler()
            new.setLevel(handler.level)
            new.setFormatter(handler.formatter)
            for f in handler.filters:
                new.addFilter(f)
            new.addFilter(keep_record)
            logger.handlers[i] = new
    return logger


def route_mmengine_logs_to_stderr() -> None:
    """Every ``MMLogger`` (existing and future) logs its console lines to stderr (see module)."""
    from mmengine.logging import MMLogger
    if getattr(MMLogger.__init__, '_avzoo_stderr', False):
        return
    original = MMLogger.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        to_stderr(self)

    __init__._avzoo_stderr = True
    MMLogger.__init__ = __init__
    for logger in list(MMLogger._instance_dict.values()):
        to_stderr(logger)
