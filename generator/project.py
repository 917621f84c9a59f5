"""Where the consumer's project starts: the directory spec paths are recorded relative to.

Found the way black and ruff find theirs, from the current directory upwards:
the nearest ``pyproject.toml`` that holds a ``[tool.openapi-client-gen]``
table, else the top of the git work tree (a ``.git`` directory, or the
``.git`` file of a worktree or submodule), else the current directory. Never
the parent of ``--out``: moving the output must not change what the package
records about its spec. Standard library only.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # black depends on tomli below Python 3.11, so it is always there
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

TABLE = "openapi-client-gen"


class ConfigError(Exception):
    """Bad configuration: the message names the file and what to change (a usage error, exit 2)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Project:
    root: Path  # absolute
    pyproject: Path | None  # the pyproject.toml holding the table, when there is one
    table: dict[str, Any] | None  # its [tool.openapi-client-gen] table


def _table(pyproject: Path, *, strict: bool) -> dict[str, Any] | None:
    try:
        raw = pyproject.read_bytes()
    except OSError:
        return None
    if TABLE.encode() not in raw:  # most pyproject.toml files never mention us: skip parsing them
        return None
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        if strict:
            raise ConfigError(f"{pyproject}: not valid TOML ({exc}); fix the file") from None
        return None
    table = document.get("tool", {}).get(TABLE) if isinstance(document.get("tool"), dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.{TABLE}] must be a table")
    return table


def find_project(start: Path | None = None, *, strict: bool = True) -> Project:
    """The project that ``start`` (default: the current directory) is in.

    ``strict``: a ``pyproject.toml`` that mentions the table but does not parse
    is an error (the command line); otherwise it is skipped (library callers).
    """
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and (table := _table(candidate, strict=strict)) is not None:
            return Project(root=directory, pyproject=candidate, table=table)
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return Project(root=directory, pyproject=None, table=None)
    return Project(root=here, pyproject=None, table=None)


def relative_to_root(path: Path, root: Path) -> str:
    """``path`` as recorded in generated files: relative to the root, POSIX separators, never absolute.

    A path outside the root is recorded by its name alone, so the bytes never
    depend on the machine.
    """
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name
