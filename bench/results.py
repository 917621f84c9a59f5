"""What one benchmark run records: the dataclasses behind ``results.json`` and their JSON form.

Standard library only. ``report.py`` reads the JSON (never these classes), so a results file from
an older run of the benchmark still renders where a field is missing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from harness import OutputSize, RunResult, Spread
from outputs import ImportCheck, ImportTime

FAST_MARK = "from the manifest"  # what generator/cli.py prints when the manifest answered (no tool ran)


@dataclass(slots=True)
class RunRow:
    exit_code: int | None
    wall_s: float
    max_rss_kib: int
    timed_out: bool
    fast_path: bool | None = None  # ours without --full: did the manifest answer? (None: not applicable)

    @classmethod
    def of(cls, run: RunResult, *, fast_path: bool | None = None) -> RunRow:
        return cls(run.exit_code, run.wall_s, run.max_rss_kib, run.timed_out, fast_path)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


@dataclass(slots=True)
class Failure:
    what: str  # "generate" | "check --full" | ...
    exit_code: int | None
    timed_out: bool
    stderr_head: list[str]

    @classmethod
    def of(cls, what: str, run: RunResult) -> Failure:
        return cls(what, run.exit_code, run.timed_out, run.stderr_head())


def spread_of(runs: list[RunRow]) -> Spread | None:
    """Median and spread of the runs that succeeded, in run order."""
    return Spread.of([r.wall_s for r in runs if r.ok])


@dataclass(slots=True)
class NoChange:
    """Ours ``check`` and ``generate`` (no ``--full``) against the output the last cold ``generate`` wrote."""

    check_runs: list[RunRow] = field(default_factory=list)
    generate_runs: list[RunRow] = field(default_factory=list)
    check: Spread | None = None
    generate: Spread | None = None
    output_untouched: bool = True  # no file of the output changed (size, mtime) during the samples
    said: str = ""  # what the first check printed (stdout, last line)
    note: str = ""
    failure: Failure | None = None


@dataclass(slots=True)
class Cell:
    """One tool on one input."""

    tool: str
    input: str
    command: str
    runs: list[RunRow] = field(default_factory=list)  # cold generate, one per repeat, in run order
    generate: Spread | None = None
    peak_rss_kib: int = 0
    failure: Failure | None = None
    note: str = ""
    size: OutputSize | None = None
    py_lines: dict[str, int] = field(default_factory=dict)  # ours: lines of each generated .py file
    imports: ImportCheck | None = None
    import_time: ImportTime | None = None
    check_runs: list[RunRow] = field(default_factory=list)  # ours `check --full`, empty cache, one per repeat
    check: Spread | None = None
    check_failure: Failure | None = None
    check_warm_s: float | None = None  # one `check --full` with the cache the last generate filled
    no_change: NoChange | None = None


@dataclass(slots=True)
class Incremental:
    """Ours ``generate`` after a one-schema description edit, with the cache the cold runs filled."""

    input: str
    schema: str
    full_median_s: float  # ours' cold generate on the same input in this run
    runs: list[RunRow] = field(default_factory=list)
    reported: list[str] = field(default_factory=list)  # the last stdout line of each run
    incremental: Spread | None = None
    failure: Failure | None = None

    @property
    def fraction(self) -> float:
        if self.incremental is None or not self.full_median_s:
            return float("nan")
        return self.incremental.median / self.full_median_s


@dataclass(slots=True)
class Results:
    started: str
    argv: list[str]
    quick: bool
    only: list[str]
    machine: dict[str, str]
    versions: dict[str, dict[str, str]]
    inputs: list[dict[str, Any]] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    incremental: list[Incremental] = field(default_factory=list)
    profile: str = ""
    profile_note: str = ""
    client: dict[str, Any] | None = None
    client_note: str = ""
    load_end: str = ""
    finished: str = ""
    elapsed_s: float = 0.0


def as_json(results: Results) -> dict[str, Any]:
    """``dataclasses.asdict`` plus the derived figures the report reads."""
    data = dataclasses.asdict(results)
    for inc, raw in zip(results.incremental, data["incremental"], strict=True):
        raw["fraction"] = inc.fraction
    for cell, raw in zip(results.cells, data["cells"], strict=True):
        if cell.import_time is not None:
            raw["import_time"]["top_over_deps_s"] = cell.import_time.top_over_deps_s
            raw["import_time"]["full_over_deps_s"] = cell.import_time.full_over_deps_s
            raw["import_time"]["first_use_over_deps_s"] = cell.import_time.first_use_over_deps_s
    return data
