"""Write a FileMap to disk atomically, or compare it with what is on disk; user files are never touched."""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..provenance.fingerprint import file_sha256
from ..provenance.manifest import META, looks_generated, manifest_intact, read_manifest, recorded_files

FileMap = dict[PurePosixPath, str]

_IGNORED_PARTS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Drift:
    """What ``generate`` would change, by kind (paths relative to ``out``)."""

    changed: tuple[str, ...] = ()  # ours, as generated, but not what the inputs give now: out of date
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()  # ours, no longer generated: generate removes them
    diff: str = ""
    edited: tuple[str, ...] = ()  # ours, changed since generation (its manifest digest differs): a hand edit
    held: tuple[str, ...] = ()  # a path generate must write holds a user file: generate refuses
    user: tuple[str, ...] = ()  # user files beside the package's, never touched (not drift)

    @property
    def clean(self) -> bool:
        return not (self.changed or self.missing or self.extra or self.edited or self.held)


@dataclass(slots=True, kw_only=True)
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    kept_foreign: list[str] = field(default_factory=list)  # user files, left in place
    held: list[str] = field(default_factory=list)  # when not empty, nothing was written
    replaced_edits: list[str] = field(default_factory=list)  # hand edits of generated files, overwritten


def _existing(out: Path, roots: set[str]) -> dict[PurePosixPath, Path]:
    found: dict[PurePosixPath, Path] = {}
    for root in sorted(roots):
        base = out / root
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            rel = path.relative_to(out)
            if path.is_file() and not _IGNORED_PARTS & set(rel.parts) and path.suffix != ".pyc":
                found[PurePosixPath(rel.as_posix())] = path
    return found


def _roots(files: FileMap) -> set[str]:
    return {p.parts[0] for p in files}


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


class _Ownership:
    """Which existing files the generator wrote, so which it may replace or delete.

    A file is the generator's when the package's previous manifest
    (``_meta.FILES``) lists it; without a manifest, when its first line
    carries the marker. Everything else is a user file: never overwritten,
    never deleted, and never drift. ``compare`` and ``write`` both ask this,
    so ``check`` and ``generate`` cannot disagree about a file.
    """

    def __init__(self, out: Path, roots: set[str]) -> None:
        self._recorded = {root: recorded_files(out / root) for root in roots}
        self._manifests = {root: read_manifest(out / root / META) for root in roots}
        self._out = out

    def owns(self, rel: PurePosixPath) -> bool:
        recorded = self._recorded.get(rel.parts[0])
        if recorded is None:
            return looks_generated(self._out / rel)
        name = PurePosixPath(*rel.parts[1:]).as_posix()
        return name == META or name in recorded

    def edited(self, rel: PurePosixPath) -> bool:
        """Ours, and no longer the bytes the manifest recorded: someone edited it."""
        name = PurePosixPath(*rel.parts[1:]).as_posix()
        if name == META:
            manifest = self._manifests.get(rel.parts[0])
            return manifest is not None and not manifest_intact(manifest)
        digest = (self._recorded.get(rel.parts[0]) or {}).get(name)
        return digest is not None and file_sha256(self._out / rel) != digest


def held_by_user_files(files: FileMap, out: Path) -> list[str]:
    """Paths ``files`` would write that hold a user file with other bytes."""
    existing = _existing(out, _roots(files))
    owners = _Ownership(out, _roots(files))
    return [
        str(rel)
        for rel in sorted(files)
        if rel in existing and not owners.owns(rel) and _read(existing[rel]) != files[rel]
    ]


def _diff(have: str | None, want: str | None, label: str, rel: str) -> list[str]:
    return list(
        difflib.unified_diff(
            (have or "").splitlines(keepends=True),
            (want or "").splitlines(keepends=True),
            fromfile=f"a/{label}/{rel}" if have is not None else "/dev/null",
            tofile=f"b/{label}/{rel}" if want is not None else "/dev/null",
        )
    )


def compare(files: FileMap, out: Path, *, label: str | None = None) -> Drift:
    """What `generate` would change, with a unified diff whose paths are ``label``/… (default: out's name)."""
    existing = _existing(out, _roots(files))
    owners = _Ownership(out, _roots(files))
    kinds: dict[str, list[str]] = {"changed": [], "missing": [], "edited": [], "held": [], "extra": [], "user": []}
    chunks: list[str] = []
    label = label if label is not None else out.name
    for rel in sorted(files):
        want = files[rel]
        have = _read(existing[rel]) if rel in existing else None
        if have == want:
            continue
        if rel not in existing:
            kinds["missing"].append(str(rel))
        elif not owners.owns(rel):
            kinds["held"].append(str(rel))
            continue  # generate refuses: no diff would be applied
        else:
            kinds["edited" if owners.edited(rel) else "changed"].append(str(rel))
        chunks.extend(_diff(have if rel in existing else None, want, label, str(rel)))
    for rel in sorted(set(existing) - set(files)):
        if owners.owns(rel):
            kinds["extra"].append(str(rel))
            chunks.extend(_diff(_read(existing[rel]) or "", None, label, str(rel)))
        else:
            kinds["user"].append(str(rel))
    diff = "".join(c if c.endswith("\n") else c + "\n\\ No newline at end of file\n" for c in chunks)
    return Drift(
        changed=tuple(kinds["changed"]),
        missing=tuple(kinds["missing"]),
        extra=tuple(kinds["extra"]),
        diff=diff,
        edited=tuple(kinds["edited"]),
        held=tuple(kinds["held"]),
        user=tuple(kinds["user"]),
    )


def write(files: FileMap, out: Path) -> WriteReport:
    """Make ``out`` match ``files``; unchanged files are not touched, user files never.

    When a path to write holds a user file (``_Ownership``), nothing at all is
    written and the report lists it in ``held``. Every changed file is first
    written to a temporary file in its own directory and then renamed over the
    old one, so a crash leaves each file either old or new, never half-written.
    Everything was rendered in memory before this is called, so no generator
    error can interrupt it midway.
    """
    report = WriteReport()
    report.held = held_by_user_files(files, out)
    if report.held:
        return report
    existing = _existing(out, _roots(files))
    owners = _Ownership(out, _roots(files))
    for rel in sorted(files):
        target = out / rel
        data = files[rel].encode("utf-8")
        if rel in existing and existing[rel].read_bytes() == data:
            report.unchanged += 1
            continue
        if rel in existing and owners.edited(rel):
            report.replaced_edits.append(str(rel))
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        report.written.append(str(rel))
    for rel in sorted(set(existing) - set(files)):
        if owners.owns(rel):
            existing[rel].unlink()
            report.removed.append(str(rel))
        else:
            report.kept_foreign.append(str(rel))
    _remove_empty_dirs(out, _roots(files))
    return report


def _remove_empty_dirs(out: Path, roots: set[str]) -> None:
    for root in roots:
        for directory in sorted((p for p in (out / root).rglob("*") if p.is_dir()), reverse=True):
            if not any(directory.iterdir()):
                directory.rmdir()
