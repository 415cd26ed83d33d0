"""A one-line progress display on stderr (only on a terminal) and the final summary line.

Hand-written (a dozen lines of arithmetic) so the batch tool needs no progress-bar package.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

MB = 1_000_000


@dataclass
class Summary:
    """What a batch did; ``line()`` is the summary printed at the end of every run."""

    inputs: int = 0
    converted: int = 0
    errors: int = 0
    skipped: int = 0
    bytes: int = 0
    seconds: float = 0.0
    codes: Counter[str] = field(default_factory=Counter)
    outputs: list[str] = field(default_factory=list)
    interrupted: bool = False

    @property
    def mb_per_s(self) -> float:
        return self.bytes / MB / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        codes = ", ".join(f"{c}×{n}" for c, n in sorted(self.codes.items()))
        head = "interrupted after " if self.interrupted else ""
        return (f"{head}{self.inputs} inputs: {self.converted} documents converted, "
                f"{self.errors} errors{f' ({codes})' if codes else ''}, "
                f"{self.skipped} skipped as unchanged; "
                f"{self.bytes / MB:.1f} MB in {self.seconds:.2f} s ({self.mb_per_s:.2f} MB/s)"
                f"; outputs: {', '.join(self.outputs) or 'stdout'}")


class Progress:
    """``[ 120/2000]  6% 3.4 MB/s errors 2 ETA 0:41`` redrawn at most 10 times a second."""

    def __init__(self, total: int = 0, total_bytes: int = 0, *, enabled: bool | None = None,
                 stream: TextIO = sys.stderr):
        self.stream = stream
        self.enabled = stream.isatty() if enabled is None else enabled
        self.total, self.total_bytes = total, total_bytes
        self.done = self.errors = self.bytes = self.skipped_bytes = 0
        self.t0 = self._drawn = time.monotonic()

    def update(self, nbytes: int, error: bool = False, skipped: bool = False) -> None:
        self.done += 1
        self.errors += error
        if skipped:
            self.skipped_bytes += max(nbytes, 0)
        else:
            self.bytes += max(nbytes, 0)
        now = time.monotonic()
        if self.enabled and (now - self._drawn > 0.1 or self.done == self.total):
            self._drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        secs = max(now - self.t0, 1e-6)
        rate = self.bytes / secs
        left = self.total_bytes - self.bytes - self.skipped_bytes
        eta = f"{int(left / rate // 60)}:{int(left / rate % 60):02d}" if rate > 0 and left > 0 else "-"
        pct = f"{100 * self.done / self.total:3.0f}%" if self.total else ""
        width = len(str(self.total or self.done))
        self.stream.write(f"\r[{self.done:>{width}}/{self.total or '?'}] {pct} "
                          f"{rate / MB:.2f} MB/s  errors {self.errors}  ETA {eta}  ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
