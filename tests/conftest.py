"""Shared fixtures: paths, one generation per session, shared caches, snapshots that are never lost.

Session-wide, for speed and isolation: the generator's cache and mypy's cache
live in one temporary directory per session (never the developer's own user
cache directory), so the many generations and mypy runs of the suite share work;
the Northflank generation the suite asks for runs once (``northflank``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from generator.pipeline import Result, run
from generator.settings import Settings
from tests.support.repo import GENERATED, SPEC

_SESSION_ENV = "OPENAPI_CLIENT_GEN_TEST_SESSION"

# Property tests judge behaviour, not the machine's speed: on CI's two shared cores, running the
# suite over both, Hypothesis's timing checks (a per-example deadline, "input generation is slow")
# failed tests whose properties held. The examples, their number and the shrinking stay the defaults.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


def pytest_configure(config: pytest.Config) -> None:
    # Environment variables, so subprocesses (the CLI, mypy) share them too. Under pytest-xdist the
    # controller makes the directory before its workers start, and they inherit it: the generator's
    # cache is shared (its entries are written atomically); each worker keeps its own mypy cache.
    if _SESSION_ENV not in os.environ:
        os.environ[_SESSION_ENV] = tempfile.mkdtemp(prefix="openapi-client-gen-tests-")
    session = Path(os.environ[_SESSION_ENV])
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    os.environ["OPENAPI_CLIENT_GEN_CACHE_DIR"] = str(session / "generator-cache")
    os.environ["MYPY_CACHE_DIR"] = str(session / f"mypy-cache-{worker}")


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controller (or a run without xdist) owns the directory
        shutil.rmtree(os.environ.pop(_SESSION_ENV, ""), ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Never let ``--snapshot-update`` delete snapshots after a run that did not complete.

    syrupy removes the snapshots no test used. When a module failed to collect,
    a test failed or the run stopped early, "unused" only means "not reached":
    deleting them would lose unrelated snapshots (a failed collection once took
    all 34). Cleanup then waits for a clean run.
    """
    incomplete = bool(session.testsfailed) or exitstatus != 0 or bool(getattr(session, "shouldstop", False))
    if incomplete and getattr(session.config.option, "update_snapshots", False):
        session.config.option.no_cleanup = True
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("snapshots: run incomplete, so unused snapshots were kept (rerun to clean up)")


@pytest.fixture(scope="session")
def northflank() -> Result:
    """The pipeline's result for spec/openapi.yaml, computed once per session; never written anywhere."""
    result = run(Settings(spec=SPEC, out=GENERATED))
    assert result.files is not None and result.api is not None, result.diagnostics.render()
    return result


class TextFileSnapshot(SingleFileSnapshotExtension):
    """Each snapshot is its own UTF-8 text file, so a review shows the exact change per file."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"


@pytest.fixture
def file_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(TextFileSnapshot)


# --- Prism mock server for the contract tests (tests/runtime/test_against_prism.py) -----------
# Session-scoped: each server starts once (about 2 s) and is stopped, with its whole
# process group, when the session ends. A missing Prism install fails the tests that
# need it (it is pinned in package.json; `npm ci` installs it), it never skips them.

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.support.prism_server import PrismServer as PrismServerType


def _start_prism_or_fail(tmp_path_factory: pytest.TempPathFactory, *, rewrite: bool) -> PrismServerType:
    from tests.support.prism_server import SPEC, PrismError, start_prism, write_prism_spec

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
