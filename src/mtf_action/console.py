"""What people see while a command runs.

On a terminal, long steps show a rich progress bar; in CI logs (no TTY, or ``CI``
set) each step prints exactly one line when it ends, so logs stay greppable.
``--quiet`` silences everything but errors, ``--json`` keeps stdout for the
machine-readable summary (step lines still go to stderr unless ``--quiet``).
Library code receives a :class:`Reporter` and never prints on its own.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

Advance = Callable[[int], None]


def _interactive(stream: IO[str]) -> bool:
    if os.environ.get("CI") or os.environ.get("GITHUB_ACTIONS"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


class Reporter:
    """Step lines, progress bars, warnings and the final summary of one command."""

    def __init__(
        self,
        *,
        quiet: bool = False,
        json_output: bool = False,
        debug: bool = False,
        stream: IO[str] | None = None,
        out: IO[str] | None = None,
    ) -> None:
        self.quiet = quiet
        self.json_output = json_output
        self.debug_enabled = debug
        self._stream = stream if stream is not None else sys.stderr
        self._out = out if out is not None else sys.stdout
        self._interactive = _interactive(self._stream) and not quiet
        self._rich: Console | None = None
        self.warnings: list[str] = []

    def _console(self) -> Console:
        # rich is imported for terminals only: CI logs get plain lines, and a
        # scan's start-up does not pay for it (~30 ms).
        if self._rich is None:
            from rich.console import Console

            self._rich = Console(file=self._stream, highlight=False, soft_wrap=True)
        return self._rich

    def _line(self, text: str, style: str | None = None) -> None:
        if self._interactive:
            self._console().print(text, markup=False, emoji=False, style=style)
        else:
            print(text, file=self._stream, flush=True)

    # -- lines -----------------------------------------------------------------
    def info(self, message: str) -> None:
        if not self.quiet:
            self._line(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)
        if not self.quiet:
            self._line(f"warning: {message}", style="yellow")

    def debug(self, message: str) -> None:
        if self.debug_enabled:
            self._line(f"debug: {message}", style="dim")

    def error(self, message: str) -> None:
        # Errors are shown even with --quiet.
        print(f"error: {message}", file=self._stream)

    # -- steps -----------------------------------------------------------------
    @contextmanager
    def step(self, title: str, total: int | None = None) -> Iterator[Advance]:
        """Run one named step; yields ``advance(n)`` for steps with a known size."""
        started = time.monotonic()
        if self._interactive:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                ProgressColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            columns: list[ProgressColumn] = [SpinnerColumn(), TextColumn("{task.description}")]
            if total is not None:
                columns += [BarColumn(), MofNCompleteColumn()]
            columns.append(TimeElapsedColumn())
            with Progress(*columns, console=self._console(), transient=True) as progress:
                task = progress.add_task(title, total=total)

                def advance(n: int = 1) -> None:
                    progress.advance(task, n)

                yield advance
        else:

            def ignore(n: int = 1) -> None:
                del n

            yield ignore
        if not self.quiet:
            elapsed = time.monotonic() - started
            self._line(f"[{elapsed:6.2f}s] {title}")

    # -- results ---------------------------------------------------------------
    def summary(self, data: dict[str, Any], human: list[str]) -> None:
        """Print the final result: JSON on stdout with --json, else human lines."""
        if self.json_output:
            self._out.write(json.dumps(data, indent=2, sort_keys=True) + "\n")
            self._out.flush()
        elif not self.quiet:
            for line in human:
                self._out.write(line + "\n")
            self._out.flush()
