"""Progress of long CLI work on stderr: a bar when the total is known, a running count when it
is not (a delete by filter learns only as it goes)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30
# Redraw at most this often, so that a fast loop does not spend its time drawing.
MIN_INTERVAL = 0.1


class Progress:
    """`with Progress(total, "creating") as bar: bar.advance(n)`; silent off a terminal."""

    def __init__(self, total: int, what: str, *, stream: TextIO | None = None) -> None:
        self.total = max(total, 0)
        self.what = what
        self.done = 0
        self.stream = stream or sys.stderr
        self.shown = self.stream.isatty()
        self._drawn_at = 0.0

    def __enter__(self) -> Progress:
        self._draw()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._draw()

    def line(self) -> str:
        """The bar as text: `creating [#########-----] 600/1,000 60%`."""
        share = self.done / self.total if self.total else 1.0
        filled = round(WIDTH * min(share, 1.0))
        bar = "#" * filled + "-" * (WIDTH - filled)
        return f"{self.what} [{bar}] {self.done:,}/{self.total:,} {share:.0%}"

    def _draw(self, force: bool = False) -> None:
        if not self.shown:
            return
        now = time.monotonic()
        if not force and now - self._drawn_at < MIN_INTERVAL and self.done < self.total:
            return
        self._drawn_at = now
        self.stream.write("\r" + self.line())
        self.stream.flush()


class Count:
    """`with Count("deleting") as count: count.advance(n)`: `deleting: 1,000 so far` on
    stderr, redrawn in place on a terminal, a line per advance elsewhere."""

    def __init__(self, what: str, *, stream: TextIO | None = None) -> None:
        self.what = what
        self.done = 0
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty()

    def __enter__(self) -> Count:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.terminal and self.done:
            self.stream.write("\n")
            self.stream.flush()

    def advance(self, n: int) -> None:
        self.done += n
        line = f"{self.what}: {self.done:,} so far"
        self.stream.write("\r" + line if self.terminal else line + "\n")
        self.stream.flush()
