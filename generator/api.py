"""The library entry points: generate and check, sharing one pipeline run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostics
from .output import Drift, WriteReport, compare, write
from .pipeline import Result, run
from .settings import Settings


@dataclass(frozen=True, slots=True)
class GenerateOutcome:
    result: Result
    report: WriteReport | None


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    result: Result
    drift: Drift | None


def generate(*, spec: Path, out: Path, **options: object) -> GenerateOutcome:
    """Run the pipeline and, only if it fully succeeded, write the package under ``out``."""
    result = run(Settings(spec=spec, out=out, **options))  # type: ignore[arg-type]
    if result.files is None:
        return GenerateOutcome(result, None)
    return GenerateOutcome(result, write(result.files, out))


def check(*, spec: Path, out: Path, **options: object) -> CheckOutcome:
    """Run the pipeline and compare with ``out``; writes nothing."""
    result = run(Settings(spec=spec, out=out, **options))  # type: ignore[arg-type]
    if result.files is None:
        return CheckOutcome(result, None)
    return CheckOutcome(result, compare(result.files, out))


__all__ = ["CheckOutcome", "Diagnostics", "GenerateOutcome", "check", "generate"]
