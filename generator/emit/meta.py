"""Render ``_meta.py`` last: it records a digest of every other file, and one of its own text.

The file is formatted by black like the rest; its self-digest is taken with
the digest's own value blanked to zeros (same length, so black's layout does
not move), then filled in.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath
from typing import Any

import jinja2

from ..ir import nodes as ir
from ..provenance.inputs import Inputs
from .format import format_python
from .output import FileMap

META = "_meta.py"
_BLANK = "0" * 64


def render_meta(
    env: jinja2.Environment, context: dict[str, Any], *, api: ir.Api, inputs: Inputs, files: FileMap
) -> tuple[PurePosixPath, str]:
    """The path and final text of ``<package>/_meta.py`` for the package's other ``files``."""
    package = PurePosixPath(api.package)
    digests = sorted(
        (path.relative_to(package).as_posix(), hashlib.sha256(text.encode("utf-8")).hexdigest())
        for path, text in files.items()
        if path.parts[0] == api.package and path != package / META
    )
    text = env.get_template("meta.py.jinja").render(
        {**context, "inputs": inputs, "files": digests, "manifest_sha256": _BLANK}
    )
    text = format_python(text.replace("\r\n", "\n"), path=str(package / META)).rstrip("\n") + "\n"
    own = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return package / META, text.replace(_BLANK, own, 1)
