"""The library entry points: generate and check, sharing one pipeline run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import progress
from .pipeline import Result, run
from .settings import Settings

if TYPE_CHECKING:  # imported where used, after the models child's fork (pipeline.py)
    from .emit.output import Drift, WriteReport


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerateOutcome:
    result: Result
    report: WriteReport | None  # its ``held`` lists user files in the way: then nothing was written


@dataclass(frozen=True, slots=True, kw_only=True)
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
    root: Path | None = None,
    cache_dir: Path | None = None,
) -> GenerateOutcome:
    """Run the pipeline and, only if it fully succeeded, write the package under ``out``.

    ``root`` is the project root spec paths are recorded relative to (None:
    found from the current directory, ``generator/project.py``).
    """
    return generate_from(
        Settings(
            spec=spec,
            out=out,
            package=package,
            client_name=client_name,
            token_env_var=token_env_var,
            validate=validate,
            templates=templates,
            cache=cache,
            root=root,
            cache_dir=cache_dir,
        )
    )


def generate_from(settings: Settings) -> GenerateOutcome:
    """``generate`` for settings already built (the command line builds them once per client)."""
    result = run(settings)
    if result.files is None:
        return GenerateOutcome(result=result, report=None)
    progress.stage("writing")
    from .emit.output import write

    return GenerateOutcome(result=result, report=write(result.files, settings.out))


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
    root: Path | None = None,
    cache_dir: Path | None = None,
    diff_label: str | None = None,
) -> CheckOutcome:
    """Run the pipeline and compare with ``out``; writes nothing. The diff names files ``<diff_label>/…``."""
    settings = Settings(
        spec=spec,
        out=out,
        package=package,
        client_name=client_name,
        token_env_var=token_env_var,
        validate=validate,
        templates=templates,
        cache=cache,
        root=root,
        cache_dir=cache_dir,
    )
    return check_from(settings, diff_label=diff_label)


def check_from(settings: Settings, *, diff_label: str | None = None) -> CheckOutcome:
    """``check`` for settings already built."""
    result = run(settings)
    if result.files is None:
        return CheckOutcome(result=result, drift=None)
    from .emit.output import compare

    return CheckOutcome(result=result, drift=compare(result.files, settings.out, label=diff_label))


__all__ = ["CheckOutcome", "GenerateOutcome", "check", "check_from", "generate", "generate_from"]
