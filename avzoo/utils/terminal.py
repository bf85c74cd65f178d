"""What avzoo writes to a terminal: results on stdout, everything else (errors, logs, progress)
on stderr, and no text ever read as rich markup.

A path like ``/tmp/x[v2]/a.pth`` or an install hint like ``pip install "avzoo[embed]"`` printed
through rich's default console loses its brackets (``[v2]`` is read as a style) or raises
``MarkupError`` (``[/]``). Every console avzoo prints through is made by :func:`make_console`,
with markup and emoji codes off: text is printed as given; styles come from ``rich.text.Text``.

Progress: :func:`make_progress` gives rich's live bar on a terminal and, when stderr is a pipe or a
file, a :class:`LineProgress` that writes one line per ``step`` percent (a long step run through a
pipe is never silent).
"""
from __future__ import annotations

import sys
import time
from typing import Any, Dict, Iterable, Iterator, Optional, TypeVar

from rich.console import Console
from rich.text import Text

T = TypeVar('T')


def make_console(stderr: bool = False, **kwargs: Any) -> Console:
    """A rich console that prints text literally (no markup, no emoji codes, no highlighting) and
    never breaks a line of text (a path stays whole to copy); tables still fit the width."""
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False, soft_wrap=True, **kwargs)


def print_error(message: str, console: Optional[Console] = None) -> None:
    """``error: <message>`` as one line on stderr, the message printed exactly as given."""
    console = console or make_console(stderr=True)
    console.print(Text.assemble(('error:', 'bold red'), ' ', str(message)), soft_wrap=True)


class LineProgress:
    """The part of ``rich.progress.Progress`` avzoo uses (``add_task``, ``update``, ``advance``,
    context manager, ``start``/``stop``), writing a line to ``stream`` each time a task passes
    another ``step`` percent (and when it completes): ``synth train: 40 % (1600/4000), 12 s``."""

    def __init__(self, stream=None, step: int = 10) -> None:
        self.stream, self.step = stream, step
        self.tasks: Dict[int, dict] = {}

    def __enter__(self) -> 'LineProgress':
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def add_task(self, description: str, total: Optional[float] = None, completed: float = 0,
                 **fields: Any) -> int:
        task_id = len(self.tasks)
        self.tasks[task_id] = dict(description=description, total=total, completed=completed, shown=-1,
                                   start=time.time())
        return task_id

    def update(self, task_id: int, *, total: Optional[float] = None, completed: Optional[float] = None,
               advance: Optional[float] = None, description: Optional[str] = None, **fields: Any) -> None:
        task = self.tasks[task_id]
        if total is not None:
            task['total'] = total
        if description is not None:
            task['description'] = description
        if completed is not None:
            task['completed'] = completed
        if advance is not None:
            task['completed'] += advance
        self._show(task)

    def advance(self, task_id: int, advance: float = 1) -> None:
        self.update(task_id, advance=advance)

    def _show(self, task: dict) -> None:
        total = task['total']
        if not total:
            return
        pct = min(100, int(100 * task['completed'] / total))
        level = pct - pct % self.step
        if level <= task['shown'] or level == 0:
            return
        task['shown'] = level
        stream = self.stream or sys.stderr
        stream.write(f"{task['description']}: {pct} % ({task['completed']:g}/{total:g}), "
                     f"{time.time() - task['start']:.0f} s\n")
        stream.flush()


def make_progress(*columns: Any, transient: bool = True, step: int = 10, **kwargs: Any):
    """Rich's ``Progress`` on stderr when stderr is a terminal, else a :class:`LineProgress` on
    stderr (one line per ``step`` percent). Stdout never carries progress."""
    console = make_console(stderr=True)
    if not console.is_terminal:
        return LineProgress(step=step)
    from rich.progress import Progress
    return Progress(*columns, console=console, transient=transient, **kwargs)


def track(iterable: Iterable[T], description: str, total: Optional[int] = None) -> Iterator[T]:
    """``rich.progress.track`` on stderr (a line per 10 % through a pipe, see :func:`make_progress`)."""
    if total is None and hasattr(iterable, '__len__'):
        total = len(iterable)
    with make_progress() as progress:
        task = progress.add_task(description, total=total)
        for item in iterable:
            yield item
            progress.advance(task)
