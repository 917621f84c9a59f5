"""``_meta.py``: a digest of every other file of the package, and one of its own text.

The file is rendered before the others are formatted, each digest a placeholder,
so that black lays it out with the rest; the digests are filled in once the
other files are final. A placeholder is 64 hexadecimal digits, like the digest
that replaces it, and black lays out a string of hexadecimal digits by its
length alone, so the substitution cannot move a line. Each placeholder occurs
exactly once in the text, whatever the spec puts in it (an ``info.version`` of
64 zeros, say): a digest lands in its own slot and nowhere else.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import jinja2

from ..ir import nodes as ir
from ..provenance.inputs import Inputs
from .output import FileMap

META = "_meta.py"
_BLANK = "0" * 64  # the own digest's value while the text is hashed (what ``verify`` puts back)


@dataclass(frozen=True, slots=True, kw_only=True)
class MetaDraft:
    """``_meta.py`` with placeholders: ``listed[i]``'s digest goes where ``slots[i]`` is, the
    file's own digest where ``own`` is."""

    path: PurePosixPath
    text: str
    listed: tuple[PurePosixPath, ...]
    slots: tuple[str, ...]
    own: str


def draft_meta(
    env: jinja2.Environment, context: dict[str, Any], *, api: ir.Api, inputs: Inputs, paths: list[PurePosixPath]
) -> MetaDraft:
    """``<package>/_meta.py`` for a package whose other files are ``paths``, their digests to come."""
    package = PurePosixPath(api.package)
    listed = sorted(
        (path for path in paths if path.parts[0] == api.package and path != package / META),
        key=lambda path: path.relative_to(package).as_posix(),
    )
    names = [path.relative_to(package).as_posix() for path in listed]
    template = env.get_template("meta.py.jinja")
    for attempt in itertools.count():  # another set of placeholders while the text holds one already
        slots = [_placeholder(attempt, index) for index in range(len(listed) + 1)]
        text = template.render(
            {
                **context,
                "inputs": inputs,
                "files": list(zip(names, slots[:-1], strict=True)),
                "manifest_sha256": slots[-1],
            }
        )
        if all(text.count(slot) == 1 for slot in slots):
            listed_slots = tuple(slots[:-1])
            return MetaDraft(path=package / META, text=text, listed=tuple(listed), slots=listed_slots, own=slots[-1])
    raise AssertionError("unreachable")  # pragma: no cover


def fill_meta(draft: MetaDraft, formatted: str, files: FileMap) -> str:
    """The draft, as black formatted it, with the digests of the final ``files`` filled in."""
    text = formatted
    for path, slot in zip(draft.listed, draft.slots, strict=True):
        text = text.replace(slot, _sha256(files[path]), 1)
    return text.replace(draft.own, _sha256(text.replace(draft.own, _BLANK, 1)), 1)


def _placeholder(attempt: int, index: int) -> str:
    return hashlib.sha256(f"_meta.py placeholder {attempt} {index}".encode()).hexdigest()


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
