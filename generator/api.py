"""The library entry points: generate and check, sharing one pipeline run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .emit.output import Drift, WriteReport, compare, write
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


def generate(
    *,
    spec: Path,
    out: Path,
    package: str | None = None,
    client_name: str | None = None,
    token_env_var: str | None = None,
    validate: bool = True,
    templates: Path | None = None,
    cache: bool = True,
) -> GenerateOutcome:
    """Run the pipeline and, only if it fully succeeded, write the package under ``out``."""
    result = run(Settings(spec, out, package, client_name, token_env_var, validate, templates, cache))
    if result.files is None:
        return GenerateOutcome(result, None)
    return GenerateOutcome(result, write(result.files, out))


def check(
    *,
    spec: Path,
    out: Path,
    package: str | None = None,
    client_name: str | None = None,
    token_env_var: str | None = None,
    validate: bool = True,
    templates: Path | None = None,
    cache: bool = True,
) -> CheckOutcome:
    """Run the pipeline and compare with ``out``; writes nothing."""
    result = run(Settings(spec, out, package, client_name, token_env_var, validate, templates, cache))
    if result.files is None:
        return CheckOutcome(result, None)
    return CheckOutcome(result, compare(result.files, out))


__all__ = ["CheckOutcome", "GenerateOutcome", "check", "generate"]
