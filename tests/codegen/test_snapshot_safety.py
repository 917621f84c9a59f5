"""``pytest --snapshot-update`` never deletes snapshots after an incomplete run (tests/conftest.py).

Checked on a scratch project with real syrupy: two test modules with a
snapshot each; then one module fails to collect and the update runs again.
Plain syrupy deletes every snapshot then (the session stops before any test
runs, so all look unused; shown first, so this test proves something); with
our hook they stay, and a later clean run still removes a snapshot that is
really unused.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.repo import REPO

pytestmark = pytest.mark.slow

_EXTENSION = """
import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode


class Text(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "txt"


@pytest.fixture
def text_snapshot(snapshot):
    return snapshot.use_extension(Text)
"""
_TEST = "def test_{name}(text_snapshot):\n    assert text_snapshot == {value!r}\n"


def _project(root: Path, *, with_hook: bool) -> Path:
    root.mkdir()
    hook = "from tests.conftest import pytest_sessionfinish  # noqa: F401\n" if with_hook else ""
    (root / "conftest.py").write_text(hook + _EXTENSION)
    (root / "test_a.py").write_text(_TEST.format(name="a", value="first"))
    (root / "test_b.py").write_text(_TEST.format(name="b", value="second"))
    return root


def _pytest(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # A clean environment for the inner run: under pytest-xdist, the worker's variables would make
    # syrupy in the inner run believe it is a worker too (and never clean up).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "OPENAPI_CLIENT_GEN_TEST"))}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(root),
            "-c",
            os.devnull,
            *args,
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _snapshots(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*.txt"))


@pytest.mark.parametrize("with_hook", [False, True], ids=["plain-syrupy", "our-hook"])
def test_a_module_that_fails_to_collect_keeps_its_snapshots(tmp_path: Path, with_hook: bool) -> None:
    root = _project(tmp_path / "project", with_hook=with_hook)
    assert _pytest(root, "--snapshot-update").returncode == 0
    assert _snapshots(root) == ["test_a.txt", "test_b.txt"]
    (root / "test_b.py").write_text("import no_such_module_anywhere\n" + _TEST.format(name="b", value="second"))
    proc = _pytest(root, "--snapshot-update")
    assert proc.returncode != 0  # the collection error is reported, not hidden
    if with_hook:
        assert _snapshots(root) == ["test_a.txt", "test_b.txt"], proc.stdout
        assert "unused snapshots were kept" in proc.stdout
    else:
        # What the hook prevents: the collection error stops the session before any test runs,
        # so every snapshot looks unused, and all of them go.
        assert _snapshots(root) == []


def test_a_clean_run_still_removes_a_snapshot_nothing_uses(tmp_path: Path) -> None:
    root = _project(tmp_path / "project", with_hook=True)
    assert _pytest(root, "--snapshot-update").returncode == 0
    (root / "test_b.py").unlink()
    proc = _pytest(root, "--snapshot-update")
    assert proc.returncode == 0, proc.stdout
    assert _snapshots(root) == ["test_a.txt"]
