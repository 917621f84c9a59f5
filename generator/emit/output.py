"""Write a FileMap to disk atomically, or compare it with what is on disk."""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

FileMap = dict[PurePosixPath, str]

MARKER_TEXT = "DO NOT EDIT."
_IGNORED_PARTS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache"})


@dataclass(frozen=True, slots=True)
class Drift:
    changed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    diff: str = ""

    @property
    def clean(self) -> bool:
        return not (self.changed or self.missing or self.extra)


@dataclass(slots=True)
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    kept_foreign: list[str] = field(default_factory=list)


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


def compare(files: FileMap, out: Path) -> Drift:
    """What `generate` would change: changed, missing and stale extra files, with a unified diff."""
    existing = _existing(out, _roots(files))
    changed: list[str] = []
    missing: list[str] = []
    chunks: list[str] = []
    label = out.name
    for rel in sorted(files):
        want = files[rel]
        have = _read(existing[rel]) if rel in existing else None
        if have == want:
            continue
        (changed if rel in existing else missing).append(str(rel))
        chunks.extend(
            difflib.unified_diff(
                (have or "").splitlines(keepends=True),
                want.splitlines(keepends=True),
                fromfile=f"a/{label}/{rel}" if rel in existing else "/dev/null",
                tofile=f"b/{label}/{rel}",
            )
        )
    extra = [str(rel) for rel in sorted(set(existing) - set(files))]
    for rel_text in extra:
        have = _read(existing[PurePosixPath(rel_text)]) or ""
        chunks.extend(
            difflib.unified_diff(
                have.splitlines(keepends=True), [], fromfile=f"a/{label}/{rel_text}", tofile="/dev/null"
            )
        )
    diff = "".join(c if c.endswith("\n") else c + "\n\\ No newline at end of file\n" for c in chunks)
    return Drift(tuple(changed), tuple(missing), tuple(extra), diff)


def write(files: FileMap, out: Path) -> WriteReport:
    """Make ``out`` match ``files``; unchanged files are not touched.

    Every changed file is first written to a temporary file in its own
    directory and then renamed over the old one, so a crash leaves each file
    either old or new, never half-written. Everything was rendered in memory
    before this is called, so no generator error can interrupt it midway.
    """
    report = WriteReport()
    existing = _existing(out, _roots(files))
    for rel in sorted(files):
        target = out / rel
        data = files[rel].encode("utf-8")
        if rel in existing and existing[rel].read_bytes() == data:
            report.unchanged += 1
            continue
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
        content = _read(existing[rel])
        if content is not None and MARKER_TEXT in content.split("\n", 1)[0]:
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
