"""The manifest fast path and the full regeneration agree on every kind of drift (generator/manifest.py).

Each case starts from a freshly generated project (spec/ + generated/), makes
one change, and asks both: ``quick_check`` (reads ``_meta.py``, runs no tool)
and the full ``check`` (regenerates and compares every byte). Up to date for
one must be up to date for the other, and the fast path must name the cause.
A manifest that cannot be read, or that disagrees with the files, sends the
fast path to the full one; only a manifest forged to match forged files gets
past it, which is what ``check --full`` is for.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import api, fingerprint
from generator.manifest import quick_check
from generator.settings import Settings
from tests.conftest import FIXTURES, REPO

pytestmark = pytest.mark.slow  # a whole generation per case

BASE = """\
openapi: 3.1.0
info: {title: Fast, version: '1', x-codegen: {package: fast_api, tokenEnvVar: FAST_TOKEN}}
paths:
  /things/{thingId}:
    get:
      operationId: getThing
      parameters: [{name: thingId, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: A thing
          content: {application/json: {schema: {$ref: 'schemas.yaml#/Thing'}}}
"""
SCHEMAS = "Thing:\n  type: object\n  properties:\n    name: {type: string, description: The name.}\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "openapi.yaml").write_text(BASE)
    (tmp_path / "spec" / "schemas.yaml").write_text(SCHEMAS)
    outcome = api.generate(spec=tmp_path / "spec" / "openapi.yaml", out=tmp_path / "generated")
    assert outcome.report is not None, outcome.result.diagnostics.render()
    return tmp_path


def _settings(project: Path, **options: object) -> Settings:
    return Settings(spec=project / "spec" / "openapi.yaml", out=project / "generated", **options)  # type: ignore[arg-type]


def _full_clean(project: Path, **options: object) -> bool:
    outcome = api.check(spec=project / "spec" / "openapi.yaml", out=project / "generated", **options)  # type: ignore[arg-type]
    assert outcome.drift is not None, outcome.result.diagnostics.render()
    return outcome.drift.clean


def _agree(project: Path, *, expect_clean: bool, cause: str | None = None, **options: object) -> None:
    verdict = quick_check(_settings(project, **options))
    assert _full_clean(project, **options) is expect_clean
    assert verdict.up_to_date is expect_clean, verdict.causes
    if cause is not None:
        assert any(cause in line for line in verdict.causes), verdict.causes


def test_a_fresh_generation_is_up_to_date_both_ways(project: Path) -> None:
    _agree(project, expect_clean=True)
    assert quick_check(_settings(project)).files == len(list((project / "generated" / "fast_api").rglob("*.*")))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "spec edit": (
        lambda p: _edit(p / "spec" / "openapi.yaml", "A thing", "The thing"),
        "spec changed: spec/openapi.yaml",
    ),
    "bundled-file edit": (
        lambda p: _edit(p / "spec" / "schemas.yaml", "The name.", "Its name."),
        "spec changed: spec/schemas.yaml",
    ),
    "hand edit": (
        lambda p: _edit(p / "generated" / "fast_api" / "api" / "default.py", '"""', '""" '),
        "edited by hand: fast_api/api/default.py",
    ),
    "deleted file": (lambda p: (p / "generated" / "fast_api" / "py.typed").unlink(), "missing: fast_api/py.typed"),
    "stray file": (
        lambda p: (p / "generated" / "fast_api" / "notes.txt").write_text("mine"),
        "stray file: fast_api/notes.txt",
    ),
    "manifest edited": (
        lambda p: _edit(p / "generated" / "fast_api" / "_meta.py", 'API_VERSION = "1"', 'API_VERSION = "2"'),
        "edited by hand: fast_api/_meta.py",
    ),
    "manifest unreadable": (
        lambda p: (p / "generated" / "fast_api" / "_meta.py").write_text("FILES = {"),
        "no manifest",
    ),
    "manifest disagrees with a file": (
        lambda p: _edit(
            p / "generated" / "fast_api" / "_meta.py",
            re.search(r'"py.typed": "([0-9a-f]{64})"', (p / "generated" / "fast_api" / "_meta.py").read_text()).group(
                1
            ),
            "0" * 63 + "1",
        ),  # type: ignore[union-attr]
        "edited by hand: fast_api/_meta.py",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_drift_is_found_by_both_paths(project: Path, case: str) -> None:
    change, cause = CASES[case]
    change(project)
    _agree(project, expect_clean=False, cause=cause)


def test_an_option_change_is_drift_both_ways(project: Path) -> None:
    _agree(project, expect_clean=False, cause="generator options changed", token_env_var="OTHER_TOKEN")


def test_a_template_change_is_drift_both_ways(project: Path) -> None:
    templates = project / "templates"
    shutil.copytree(REPO / "templates", templates)
    outcome = api.generate(spec=project / "spec" / "openapi.yaml", out=project / "generated", templates=templates)
    assert outcome.report is not None
    _agree(project, expect_clean=True, templates=templates)
    _edit(templates / "api_init.py.jinja", "One resource class per tag", "One resource class for each tag")
    fingerprint.code_digest.cache_clear()
    _agree(project, expect_clean=False, cause="generator code or templates changed", templates=templates)


def test_a_generator_code_change_is_drift_both_ways(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fingerprint, "code_digest", lambda templates=None: "f" * 64)
    monkeypatch.setattr("generator.inputs.code_digest", fingerprint.code_digest)
    _agree(project, expect_clean=False, cause="generator code or templates changed")


def test_a_tool_version_change_is_drift_both_ways(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    versions = {**fingerprint.tool_versions(), "black": "99.1.0"}
    monkeypatch.setattr("generator.inputs.tool_versions", lambda: versions)
    _agree(project, expect_clean=False, cause="tool version changed: black")


def test_a_forged_manifest_passes_the_fast_path_and_only_full_catches_it(project: Path) -> None:
    """The documented limit: edit a file, then rewrite its digest and the manifest's own digest."""
    package = project / "generated" / "fast_api"
    target = package / "api" / "default.py"
    old_digest = hashlib.sha256(target.read_bytes()).hexdigest()
    target.write_text(target.read_text().replace('"""', '""" ', 1))
    meta = package / "_meta.py"
    text = meta.read_text().replace(old_digest, hashlib.sha256(target.read_bytes()).hexdigest())
    own = re.search(r'MANIFEST_SHA256 = "([0-9a-f]{64})"', text).group(1)  # type: ignore[union-attr]
    blank = text.replace(own, "0" * 64)
    meta.write_text(blank.replace("0" * 64, hashlib.sha256(blank.encode()).hexdigest(), 1))
    assert quick_check(_settings(project)).up_to_date
    assert not _full_clean(project)


def test_the_committed_client_is_up_to_date_by_its_manifest() -> None:
    """What `make check` proves with --full, the manifest says too, without running any tool."""
    verdict = quick_check(Settings(spec=REPO / "spec" / "openapi.yaml", out=REPO / "generated"))
    assert verdict.up_to_date, verdict.causes


def test_a_spec_generated_elsewhere_has_no_manifest_here(tmp_path: Path) -> None:
    verdict = quick_check(Settings(spec=FIXTURES / "specs" / "mini.yaml", out=tmp_path / "generated"))
    assert not verdict.up_to_date and "no manifest" in verdict.causes[0]
