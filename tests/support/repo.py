"""This repository's paths, and the whole pipeline run in memory for a test."""

from __future__ import annotations

from pathlib import Path

from generator.emit.output import FileMap
from generator.pipeline import Result, run
from generator.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "spec" / "openapi.yaml"
GENERATED = REPO / "generated"
FIXTURES = REPO / "tests" / "fixtures"
NODE_MODULES = REPO / "node_modules"


def generate_files(spec: Path, out: Path | None = None, **options: object) -> FileMap:
    """Run the whole pipeline in memory and fail the test with the diagnostics if it did not succeed."""
    result = run(Settings(spec=spec, out=out or GENERATED, **options))  # type: ignore[arg-type]
    assert result.files is not None, result.diagnostics.render()
    return result.files


def run_pipeline(spec: Path, out: Path | None = None) -> Result:
    return run(Settings(spec=spec, out=out or GENERATED))
