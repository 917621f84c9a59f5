"""Measurement primitives: run one command with a timeout, its wall time and peak memory; output sizes.

Standard library only. Peak memory is the ``ru_maxrss`` of the tool's process as reported by
``/usr/bin/time -f %M`` (GNU time) when present, else by a small Python wrapper that reads
``resource.getrusage(RUSAGE_CHILDREN)``: on Linux that is the largest resident set of the tool *or
any descendant it waited for* (for example the ruff processes openapi-python-client starts), i.e.
the peak of the biggest single process of the tree, not a sum. The measuring process is always a
small one, because Linux carries a process's high-water mark across fork and exec: measuring a
child of this (large) Python process directly would report at least this process's own size.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

GNU_TIME = Path("/usr/bin/time")
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code if code >= 0 else 128 - code)\n"
)
IGNORED_DIRS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"})


@dataclass(frozen=True, slots=True)
class RunResult:
    """One execution of one command."""

    argv: tuple[str, ...]
    exit_code: int | None  # None: killed on timeout
    wall_s: float
    max_rss_kib: int
    timed_out: bool
    stdout_path: Path
    stderr_path: Path

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out

    def stderr_head(self, lines: int = 8, width: int = 240) -> list[str]:
        """The first meaningful stderr lines (warnings of the form ``path: warning[...]`` skipped last)."""
        try:
            text = self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        rows = [line.rstrip()[:width] for line in text.splitlines() if line.strip()]
        errors = [r for r in rows if "warning" not in r.lower()]
        return (errors or rows)[:lines]

    def stdout_text(self) -> str:
        try:
            return self.stdout_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""


def run_measured(
    argv: Sequence[str],
    *,
    log_dir: Path,
    name: str,
    timeout_s: float,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> RunResult:
    """Run ``argv`` in its own process group; kill the whole group at the timeout.

    stdout/stderr go to files under ``log_dir`` (no pipes, so nothing can block on a full pipe).
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_dir / f"{name}.stdout", log_dir / f"{name}.stderr"
    rss_path = log_dir / f"{name}.maxrss"
    rss_path.unlink(missing_ok=True)
    if GNU_TIME.is_file() and os.access(GNU_TIME, os.X_OK):
        wrapped = [str(GNU_TIME), "-f", "%M", "-o", str(rss_path), *argv]
    else:
        wrapped = [sys.executable, "-S", "-c", _WRAPPER, str(rss_path), *argv]
    timed_out = threading.Event()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            wrapped,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
        )

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout_s, kill)
        timer.start()
        try:
            code = proc.wait()
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
    # Leftover grandchildren (if any) of a finished or killed run must not outlive it.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    return RunResult(
        tuple(argv),
        None if timed_out.is_set() else code,
        wall,
        _read_rss(rss_path),
        timed_out.is_set(),
        out_path,
        err_path,
    )


def _read_rss(path: Path) -> int:
    """KiB from the wrapper's file; GNU time may prefix a 'Command exited with non-zero status' line."""
    try:
        lines = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    except OSError:
        return 0
    return int(lines[-1]) if lines and lines[-1].isdigit() else 0


@dataclass(frozen=True, slots=True)
class OutputSize:
    files: int
    py_files: int
    bytes: int
    py_lines: int


def output_size(root: Path) -> OutputSize:
    """Everything a tool wrote under ``root`` (caches excluded)."""
    files = py_files = size = lines = 0
    if root.is_file():
        candidates = [root]
    elif root.is_dir():
        candidates = [p for p in root.rglob("*") if p.is_file() and not IGNORED_DIRS & set(p.relative_to(root).parts)]
    else:
        candidates = []
    for path in candidates:
        files += 1
        size += path.stat().st_size
        if path.suffix == ".py":
            py_files += 1
            with path.open("rb") as handle:
                lines += sum(1 for _ in handle)
    return OutputSize(files, py_files, size, lines)


def clean_dir(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)


@dataclass(frozen=True, slots=True)
class Spread:
    """Median and spread of a sample (seconds or any unit), and the sample itself in run order.

    The samples are kept so the report can show them: a bimodal spread (e.g. runs of about 3 s and
    about 6 s) must be visible, not hidden in a median.
    """

    n: int
    median: float
    low: float
    high: float
    samples: tuple[float, ...] = ()

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread | None:
        if not values:
            return None
        return cls(len(values), statistics.median(values), min(values), max(values), tuple(values))
