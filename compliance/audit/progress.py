"""Progress of an audit on stderr: a rich bar on a terminal, plain lines in logs and CI."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress

from compliance.audit.runner import Progress


class BarProgress(Progress):
    def __init__(self, stream: TextIO | None = None) -> None:
        self.console = Console(file=stream or sys.stderr)
        self.bar = RichProgress(
            TextColumn("[bold]audit[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]} posts/s · {task.fields[bad]} bad"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self.task: TaskID | None = None
        self.t0 = time.perf_counter()
        self.rows = 0
        self.bad = 0

    def start(self, total: int, done: int) -> None:
        self.t0 = time.perf_counter()
        self.task = self.bar.add_task("audit", total=total, completed=done, rate="–", bad=0)
        self.bar.start()

    def advance(self, rows: int, checked: int, bad: int) -> None:
        self.rows += rows
        self.bad += bad
        rate = self.rows / max(time.perf_counter() - self.t0, 1e-9)
        if self.task is not None:
            self.bar.update(self.task, advance=rows, rate=f"{rate:,.0f}", bad=f"{self.bad:,}")

    def stop(self) -> None:
        self.bar.stop()


class LineProgress(Progress):
    """One line every `every` seconds (and at the end): readable in a CI log."""

    def __init__(self, stream: TextIO | None = None, every: float = 5.0) -> None:
        self.stream = stream or sys.stderr
        self.every = every
        self.total = 0
        self.done = 0
        self.rows = 0
        self.bad = 0
        self.t0 = self.last = time.perf_counter()

    def start(self, total: int, done: int) -> None:
        self.total, self.done = total, done
        self.t0 = self.last = time.perf_counter()
        if done:
            self._line("resumed at")

    def _line(self, what: str) -> None:
        pct = 100 * self.done / self.total if self.total else 100.0
        rate = self.rows / max(time.perf_counter() - self.t0, 1e-9)
        self.stream.write(
            f"audit: {what} {self.done:,} of {self.total:,} rows ({pct:.0f}%), "
            f"{rate:,.0f} posts/s, {self.bad:,} bad\n"
        )
        self.stream.flush()

    def advance(self, rows: int, checked: int, bad: int) -> None:
        self.done += rows
        self.rows += rows
        self.bad += bad
        now = time.perf_counter()
        if now - self.last >= self.every:
            self.last = now
            self._line("checked")

    def stop(self) -> None:
        self._line("checked")


class NoProgress(Progress):
    pass


def progress_for(quiet: bool, stream: TextIO | None = None) -> Progress:
    stream = stream or sys.stderr
    if quiet:
        return NoProgress()
    return BarProgress(stream) if stream.isatty() else LineProgress(stream)
