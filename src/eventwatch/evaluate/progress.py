"""Progress reporting for long evaluation runs, behind one small seam so library callers and tests stay quiet.

A :class:`Progress` wraps an iterable (``progress(rows, "eventwatch")``) and times named steps
(``with progress.step("baseline tfidf"):``). :data:`no_progress` does nothing; :func:`rich_progress` draws bars on
stderr (the CLI and ``make bench`` use it), so stdout stays clean for ``--json``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

T = TypeVar("T")


class Progress:
    """The silent default; subclasses draw something."""

    def __call__(self, items: Sequence[T], label: str) -> Iterator[T]:
        yield from items

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        yield


no_progress = Progress()


class _RichProgress(Progress):
    def __init__(self, console: Console) -> None:
        self.console = console

    def __call__(self, items: Sequence[T], label: str) -> Iterator[T]:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with RichProgress(*columns, console=self.console, transient=True) as bar:
            yield from bar.track(items, total=len(items), description=label)

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
        with RichProgress(*columns, console=self.console, transient=True) as bar:
            bar.add_task(label, total=None)
            yield


def rich_progress(console: Console | None = None) -> Progress:
    """Bars on stderr when it is a terminal; silent otherwise (CI logs, pipes)."""
    console = console or Console(stderr=True)
    return _RichProgress(console) if console.is_terminal else no_progress
