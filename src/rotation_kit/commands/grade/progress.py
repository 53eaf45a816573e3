"""A small progress bar for the terminal (tqdm and rich are not dependencies of the kit)."""

from __future__ import annotations

import sys
import time


def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    """`Progress(total, "grading")`; `.advance(label)` after each item; `.close()` at the end.

    On a terminal it redraws one line; in a log (CI) it prints a line every 10%.
    """

    def __init__(self, total: int, title: str, stream=None, enabled: bool = True):
        self.total, self.title, self.done = total, title, 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.monotonic()
        self._last_decile = -1
        if self.enabled:
            self._draw("")

    def _draw(self, label: str) -> None:
        elapsed = time.monotonic() - self.start
        share = self.done / self.total if self.total else 1.0
        eta = elapsed / self.done * (self.total - self.done) if self.done else 0
        bar = "#" * int(share * 24)
        line = (
            f"{self.title} [{bar:<24}] {self.done}/{self.total} "
            f"{_clock(elapsed)} elapsed, {_clock(eta)} left  {label[:40]}"
        )
        if self.tty:
            self.stream.write("\r" + line.ljust(100))
            self.stream.flush()
        else:
            decile = int(share * 10)
            if decile != self._last_decile or self.done == self.total:
                self._last_decile = decile
                self.stream.write(line.rstrip() + "\n")
                self.stream.flush()

    def advance(self, label: str = "") -> None:
        self.done += 1
        if self.enabled:
            self._draw(label)

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()
