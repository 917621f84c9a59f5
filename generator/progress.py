"""Stage names for a person watching a long run; nothing at all for everyone else.

The pipeline announces each stage as it starts (``stage("models")``); by
default that goes nowhere. The command line turns it on only when stderr is a
terminal and ``--quiet`` was not given, so logs, pipes and CI output stay
byte-for-byte what they were. A global hook rather than a parameter: the
stages report without every signature between the command line and them
carrying a callback.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

_report: Callable[[str], None] | None = None


def stage(name: str) -> None:
    if _report is not None:
        _report(name)


@contextlib.contextmanager
def reporting(write: Callable[[str], object], *, prefix: str = "") -> Iterator[None]:
    """Within the block, each stage is written as one line ``<prefix><name>… (<seconds since start>)``."""
    global _report
    started = time.perf_counter()
    previous = _report

    def report(name: str) -> None:
        write(f"{prefix}{name}… ({time.perf_counter() - started:.1f}s)\n")

    _report = report
    try:
        yield
    finally:
        _report = previous
