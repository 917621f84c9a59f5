"""The generator works as an installed package, not only from this checkout.

A wheel built from the repository, and a ``pip install git+file://...@HEAD``,
each installed into a folder of their own (``--target``, dependencies taken
from the test environment), run from a directory outside the repository so
nothing of the checkout is importable, and generate the Northflank client
byte-identically to the committed ``generated/``. This is what caught a wheel
that shipped no templates.
"""

from __future__ import annotations

import filecmp
import io
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.support.repo import REPO

pytestmark = pytest.mark.slow


def _pip(*args: str, cwd: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _project_at(revision: str, where: Path) -> Path:
    """``spec/`` and ``generated/`` as committed at ``revision``."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, "spec", "generated"], cwd=REPO, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(where, filter="data")
    return where


def _generate_with(site: Path, project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "OPENAPI_CLIENT_GEN_CACHE_DIR": str(project / ".cache")}
    return subprocess.run(
        [sys.executable, "-m", "openapi_client_gen", "generate", "--spec", "spec/openapi.yaml", "--out", "fresh"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _assert_same_tree(expected: Path, actual: Path) -> None:
    listed = sorted(p.relative_to(expected) for p in expected.rglob("*") if p.is_file())
    got = sorted(p.relative_to(actual) for p in actual.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert got == listed
    _, mismatch, errors = filecmp.cmpfiles(expected, actual, [str(p) for p in listed], shallow=False)
    assert not mismatch and not errors, mismatch


def _check_installed(site: Path, project: Path) -> None:
    proc = _generate_with(site, project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # The package really came from the install, not from a checkout on sys.path.
    where = subprocess.run(
        [sys.executable, "-c", "import openapi_client_gen, sys; print(openapi_client_gen.__file__)"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(site), where
    assert (site / "openapi_client_gen" / "templates" / "api_module.py.jinja").is_file()
    # The import package has the tool's own name: a top-level `generator` would collide with a user's.
    assert not (site / "generator").exists()
    _assert_same_tree(project / "generated", project / "fresh")


def test_a_wheel_carries_the_templates_and_generates_the_committed_client(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    _pip("wheel", "--no-deps", "-w", str(wheels), str(REPO), cwd=tmp_path)
    [wheel] = wheels.glob("*.whl")
    site = tmp_path / "site"
    _pip("install", "--no-deps", "--target", str(site), str(wheel), cwd=tmp_path)
    # Compare with the working tree's own generated/: the wheel was built from the working tree.
    project = tmp_path / "project"
    (project / "spec").mkdir(parents=True)
    (project / "spec" / "openapi.yaml").write_bytes((REPO / "spec" / "openapi.yaml").read_bytes())
    subprocess.run(["cp", "-r", str(REPO / "generated"), str(project / "generated")], check=True)
    for cache in (project / "generated").rglob("__pycache__"):
        subprocess.run(["rm", "-rf", str(cache)], check=True)
    _check_installed(site, project)


def test_pip_install_from_git_at_a_revision_generates_that_revisions_client(tmp_path: Path) -> None:
    revision = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    site = tmp_path / "site"
    _pip("install", "--no-deps", "--target", str(site), f"git+file://{REPO}@{revision}", cwd=tmp_path)
    _check_installed(site, _project_at(revision, tmp_path / "project"))
    # Releases are commits, not tags: the installed tool says which commit it is.
    shown = subprocess.run(
        [sys.executable, "-m", "openapi_client_gen", "--version"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shown.strip().endswith(f"(commit {revision})"), shown


def test_the_readmes_install_line_works_on_a_fresh_clone(tmp_path: Path) -> None:
    """Issue 24: the README's own pin, run against a clone (which carries no tags), installs that release."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r'pipx install "git\+<this repository\'s URL>@([0-9a-f]{40})"', readme)
    assert match, "the README's install line pins a release commit"
    commit = match.group(1)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    assert subprocess.run(["git", "tag"], cwd=clone, capture_output=True, text=True, check=True).stdout == ""
    site = tmp_path / "site"
    _pip("install", "--no-deps", "--target", str(site), f"git+file://{clone}@{commit}", cwd=tmp_path)
    # It generates the client that commit generated (a wheel missing a module fails here).
    _check_installed(site, _project_at(commit, tmp_path / "project"))
    shown = subprocess.run(
        [sys.executable, "-m", "openapi_client_gen", "--version"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shown.strip().endswith(f"(commit {commit})"), shown
