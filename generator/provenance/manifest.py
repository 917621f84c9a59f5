"""The drift check's fast path: answer "is this up to date?" from the package's own manifest.

Generation is a pure function of its inputs (``inputs.py``), and every
package records those inputs and a digest of each of its files in
``_meta.py``. When the inputs are unchanged and every file still has its
digest, with nothing missing and nothing added, generating again would write
exactly what is there: no tool needs to run. Anything else (or a manifest that
cannot be read) sends the caller down the full path, and the causes found here
name why.

What this trusts: that the manifest was written by the generator. A manifest
edited to match edited files (its own digest recomputed) is caught only by
``check --full``, which regenerates and compares every byte; this repository's
CI runs that.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..settings import Settings
from .fingerprint import file_sha256
from .inputs import Inputs, inputs_for

META = "_meta.py"
MARKER_TEXT = "DO NOT EDIT."  # the end of settings.MARKER


@dataclass(frozen=True, slots=True, kw_only=True)
class Manifest:
    package_dir: Path
    spec_path: str
    inputs: Inputs
    files: dict[str, str]  # path relative to the package -> sha256, every file but _meta.py
    own_sha256: str  # of _meta.py with this value blanked


@dataclass(frozen=True, slots=True, kw_only=True)
class QuickVerdict:
    up_to_date: bool
    causes: tuple[str, ...]  # why not, one line each, for the drift report
    files: int = 0  # files the manifest vouches for (when up to date)


def _assignments(meta: Path) -> dict[str, object] | None:
    """The literal top-level assignments of a ``_meta.py``, read without running it."""
    try:
        tree = ast.parse(meta.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return None
    values: dict[str, object] = {}
    for node in tree.body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and value is not None:
            try:
                values[target.id] = ast.literal_eval(value)
            except ValueError:
                continue
    return values


def read_manifest(meta: Path) -> Manifest | None:
    """The manifest in a ``_meta.py``, or None when there is none or it does not read as one."""
    values = _assignments(meta)
    if values is None:
        return None
    inputs = Inputs.from_json(values.get("INPUTS"))
    files, spec_path, own = values.get("FILES"), values.get("SPEC_PATH"), values.get("MANIFEST_SHA256")
    if inputs is None or not isinstance(files, dict) or not isinstance(spec_path, str) or not isinstance(own, str):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        return None
    return Manifest(package_dir=meta.parent, spec_path=spec_path, inputs=inputs, files=dict(files), own_sha256=own)


def find_manifest(out: Path, spec_path: str) -> Manifest | None:
    """The manifest of the package under ``out`` generated from ``spec_path`` (several may share ``out``)."""
    for meta in sorted(out.glob(f"*/{META}")):
        manifest = read_manifest(meta)
        if manifest is not None and manifest.spec_path == spec_path:
            return manifest
    return None


def looks_generated(path: Path) -> bool:
    """The file's first line is UTF-8 and carries the generator's marker (``settings.MARKER``)."""
    try:
        with path.open("rb") as handle:
            return MARKER_TEXT in handle.readline(4096).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False


def present_files(root: Path) -> set[str]:
    """Every file under ``root``, relative to it, but Python's byte-code caches."""
    return {
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def recorded_files(package_dir: Path) -> dict[str, str] | None:
    """The package's manifest ``FILES`` (path -> sha256): the files the generator wrote, ``_meta.py`` aside.

    None when there is no manifest to ask (a package generated before there
    were manifests, or one whose ``_meta.py`` does not read); then a file is
    the generator's when its first line carries the marker (``looks_generated``).
    Only ``FILES`` is read, so a manifest edited by hand still says what the
    generator wrote.
    """
    values = _assignments(package_dir / META)
    files = values.get("FILES") if values is not None else None
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        return None
    return dict(files)


def manifest_intact(manifest: Manifest) -> bool:
    """``_meta.py`` still has the digest it recorded of itself (with that value blanked)."""
    try:
        text = (manifest.package_dir / META).read_bytes()
    except OSError:
        return False
    return hashlib.sha256(text.replace(manifest.own_sha256.encode(), b"0" * 64)).hexdigest() == manifest.own_sha256


def tree_changes(manifest: Manifest, *, added: bool = True) -> list[str]:
    """Files of the package that differ from the manifest: ``edited by hand``, ``missing`` or ``added``.

    ``added`` is a file that looks generated (its first line carries the
    marker) but is not in the manifest; any other file is the user's and is
    never reported. ``python -m <package>._meta`` reports the same lines
    (``templates/meta.py.jinja``; ``tests/cli/test_verify.py`` holds the two
    together). ``check`` passes ``added=False``: such a file is not the
    generator's, so generating again would leave it where it is.
    """
    root = manifest.package_dir
    found: list[str] = []
    if not manifest_intact(manifest):
        found.append(f"edited by hand: {root.name}/{META}")
    present = present_files(root)
    for name, digest in sorted(manifest.files.items()):
        if name not in present:
            found.append(f"missing: {root.name}/{name}")
        elif file_sha256(root / name) != digest:
            found.append(f"edited by hand: {root.name}/{name}")
    if added:
        extras = sorted(present - set(manifest.files) - {META})
        found.extend(f"added: {root.name}/{name}" for name in extras if looks_generated(root / name))
    return found


def input_changes(manifest: Manifest, settings: Settings) -> list[str]:
    """Which recorded inputs differ now: a spec file (by name), the options, the generator, the tools."""
    project = settings.project_root
    found: list[str] = []
    current: list[tuple[str, str]] = []
    for display, digest in manifest.inputs.spec:
        try:
            sha = file_sha256(project / display)
        except OSError:
            found.append(f"spec file gone: {display}")
            continue
        current.append((display, sha))
        if sha != digest:
            found.append(f"spec changed: {display}")
    expected = inputs_for(settings, tuple(current))
    if expected.options != manifest.inputs.options:
        found.append("generator options changed (package, client name, token variable or spec path)")
    if expected.generator != manifest.inputs.generator:
        found.append("generator code or templates changed")
    if expected.tools != manifest.inputs.tools:
        recorded, today = dict(manifest.inputs.tools), dict(expected.tools)
        changed = sorted(k for k in recorded.keys() | today.keys() if recorded.get(k) != today.get(k))
        found.extend(f"tool version changed: {k} {recorded.get(k, '-')} -> {today.get(k, '-')}" for k in changed)
    return found


def quick_check(settings: Settings) -> QuickVerdict:
    """Up to date when the manifest's inputs are today's and every file is as recorded."""
    manifest = find_manifest(settings.out, settings.spec_display)
    if manifest is None:
        return QuickVerdict(
            up_to_date=False, causes=(f"no manifest for {settings.spec_display} under {settings.out}/",)
        )
    causes = [*input_changes(manifest, settings), *tree_changes(manifest, added=False)]
    return QuickVerdict(up_to_date=not causes, causes=tuple(causes), files=len(manifest.files) + 1)
