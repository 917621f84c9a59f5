"""``_meta.py``: formatted with the other files, its digests filled in after, each in its own slot."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.emit import meta
from generator.emit.format import format_python
from generator.emit.meta import draft_meta, fill_meta
from generator.emit.render import environment, marker_line
from generator.provenance.fingerprint import tool_versions
from generator.provenance.manifest import read_manifest
from tests.support.codegen import generate
from tests.support.repo import FIXTURES, SPEC


def _spec(version: str) -> dict[str, Any]:
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Meta", "version": version},
        "paths": {"/a": {"get": {"responses": ok}}},
    }


@pytest.mark.parametrize(
    "version",
    ["0" * 64, meta._placeholder(0, 0), meta._placeholder(0, 1)],
    ids=["zeros", "the first placeholder", "a file's placeholder"],
)
def test_a_version_that_looks_like_a_digest_stays_the_version(version: str, tmp_path: Path) -> None:
    """The own digest used to land in the first 64 zeros of the file: an ``info.version`` of 64
    zeros took it, and the package failed its own check right after generation."""
    generated = generate(_spec(version), tmp_path)
    script = generated.out / generated.package / "_meta.py"
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert proc.returncode == 0 and "every file is as generated" in proc.stdout, proc.stdout + proc.stderr
    values = subprocess.run(
        [sys.executable, "-c", f"import runpy; v = runpy.run_path({str(script)!r}); print(v['API_VERSION'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert values.stdout.strip() == version


@pytest.mark.parametrize("spec", [SPEC, FIXTURES / "specs" / "coverage.yaml"], ids=lambda p: p.name)
def test_filling_the_formatted_draft_equals_formatting_the_filled_file(spec: Path, tmp_path: Path) -> None:
    """black lays out a string of hexadecimal digits by its length alone, so filling the digests in
    after formatting gives what formatting the finished file gives (the order before this design)."""
    generated = generate(spec, tmp_path)
    api = generated.api
    manifest = read_manifest(generated.out / generated.package / "_meta.py")
    assert manifest is not None
    context = {"api": api, "marker": marker_line(api.spec_path), "versions": tool_versions()}
    others = {path: text for path, text in generated.files.items() if path.name != "_meta.py"}
    draft = draft_meta(environment(), context, api=api, inputs=manifest.inputs, paths=list(others))
    filled = fill_meta(draft, format_python(draft.text, path="_meta.py"), others)

    text = draft.text
    for path, slot in zip(draft.listed, draft.slots, strict=True):
        text = text.replace(slot, hashlib.sha256(others[path].encode()).hexdigest())
    text = format_python(text.replace(draft.own, "0" * 64), path="_meta.py")
    expected = text.replace("0" * 64, hashlib.sha256(text.encode()).hexdigest())
    assert filled == expected == generated.files[draft.path]
