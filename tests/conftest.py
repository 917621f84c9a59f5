"""Shared fixtures: paths, an in-memory generation helper, and a one-file-per-snapshot syrupy extension."""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from generator.emit.output import FileMap
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


# --- Prism mock server for the contract tests (tests/test_contract_prism.py) -----------
# Session-scoped: each server starts once (about 2 s) and is stopped, with its whole
# process group, when the session ends. A missing Prism install fails the tests that
# need it (it is pinned in package.json; `npm ci` installs it), it never skips them.

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterator

    from prism_server import PrismServer as PrismServerType


def _start_prism_or_fail(
    tmp_path_factory: pytest.TempPathFactory, *, rewrite: bool
) -> PrismServerType:
    from prism_server import SPEC, PrismError, start_prism, write_prism_spec

    directory = tmp_path_factory.mktemp("prism-rewritten" if rewrite else "prism-original")
    # The rewritten copy goes to the tmp dir; the original is served from spec/ as is.
    spec = write_prism_spec(directory) if rewrite else SPEC
    try:
        # --errors: Prism answers 500 when its own (example) response violates the
        # spec, instead of only logging it; invalid requests get 422 either way.
        return start_prism(spec, log_path=directory / "prism.log", extra_args=["--errors"])
    except PrismError as exc:
        reason = str(exc)
    pytest.fail(reason, pytrace=False)


@pytest.fixture(scope="session")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismServerType]:
    """Prism serving the test copy of the spec whose patterns are unicode-mode safe."""
    server = _start_prism_or_fail(tmp_path_factory, rewrite=True)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def prism_unrewritten(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismServerType]:
    """Prism serving the spec exactly as written: its request validation is vacuous."""
    server = _start_prism_or_fail(tmp_path_factory, rewrite=False)
    yield server
    server.stop()
