"""Shared fixtures: paths, an in-memory generation helper, and a one-file-per-snapshot syrupy extension."""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from generator.output import FileMap
from generator.pipeline import Result, run
from generator.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "spec" / "openapi.yaml"
GENERATED = REPO / "generated"
FIXTURES = REPO / "tests" / "fixtures"


def generate_files(spec: Path, out: Path | None = None, **options: object) -> FileMap:
    """Run the whole pipeline in memory and fail the test with the diagnostics if it did not succeed."""
    result = run(Settings(spec=spec, out=out or GENERATED, **options))  # type: ignore[arg-type]
    assert result.files is not None, result.diagnostics.render()
    return result.files


def run_pipeline(spec: Path, out: Path | None = None) -> Result:
    return run(Settings(spec=spec, out=out or GENERATED))


class TextFileSnapshot(SingleFileSnapshotExtension):
    """Each snapshot is its own UTF-8 text file, so a review shows the exact change per file."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"


@pytest.fixture
def file_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(TextFileSnapshot)
