"""Usage errors found before any work: each names the path, what is wrong with it, and what to do (exit 2).

Checked up front so a directory given as ``--spec``, a file given as
``--out`` or an incomplete ``--templates`` folder is reported as the user's
to fix, not as a generator bug halfway through a run.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..settings import builtin_templates

if TYPE_CHECKING:
    from .config import Client


class UsageError(Exception):
    """The command line or configuration asks for something that cannot work; the message says what to do."""


def shown(path: Path) -> str:
    """A path as messages show it: relative to the current directory when under it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return absolute.as_posix()


def check_spec(spec: Path, origin: str) -> None:
    if spec.is_dir():
        found = sorted(p.name for p in spec.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
        hint = f" (it holds {', '.join(found[:5])})" if found else ""
        raise UsageError(f"{shown(spec)} is a directory{hint}; {origin} takes the OpenAPI file itself")
    if not spec.exists():
        raise UsageError(f"{shown(spec)}: no such file; point {origin} at your OpenAPI 3.0/3.1 document")


def check_out(out: Path, origin: str, *, must_exist: bool = False) -> None:
    """``out`` is, or can become, a directory: neither it nor a parent is a file."""
    for path in (out, *out.parents):
        if path.exists():
            if not path.is_dir():
                what = "is a file" if path == out else f"is inside {shown(path)}, which is a file"
                raise UsageError(
                    f"{shown(out)} {what}; {origin} takes the directory the package is written into "
                    "(for example generated, or app/_vendor)"
                )
            break
    if must_exist and not out.is_dir():
        raise UsageError(f"{shown(out)}: no such directory; point {origin} at the folder holding the generated package")


def _template_names(folder: Path) -> set[str]:
    return {
        path.relative_to(folder).as_posix()
        for path in [*folder.glob("*.jinja"), *(folder / "static").glob("*")]
        if path.is_file() and (path.suffix in (".jinja", ".py", ".typed"))
    }


def check_templates(templates: Path, origin: str) -> None:
    """A templates folder holds every template and static runtime file the built-in one has."""
    builtin = builtin_templates()
    if not templates.is_dir():
        raise UsageError(
            f"{shown(templates)}: no such directory; {origin} takes a folder of templates "
            f"(start from a copy of {builtin})"
        )
    missing = sorted(_template_names(builtin) - _template_names(templates))
    if missing:
        raise UsageError(
            f"{shown(templates)} is missing {len(missing)} template(s): {', '.join(missing)}; copy them from {builtin}"
        )


def preflight(client: Client, command: str) -> None:
    """Usage errors (exit 2) before any work; ``origin`` tells the user where the bad value came from."""
    settings = client.settings

    def origin(key: str, flag: str) -> str:
        return flag if client.source == "command line" or key in client.overridden else f"{key} in {client.source}"

    if command == "verify":
        check_out(settings.out, origin("out", "--out"), must_exist=True)
        return
    check_spec(settings.spec, origin("spec", "--spec"))
    check_out(settings.out, origin("out", "--out"))
    if settings.templates is not None:
        check_templates(settings.templates, origin("templates", "--templates"))
