"""Find the schema keywords the generated client cannot enforce, so none is dropped silently.

Each one is a WARNING with its pointer, and the generated README lists them
(``Api.unenforced``): the server still checks them, the client does not. It
reads the bundled document, before normalisation moves schemas, so the
pointers are the spec's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostics, pointer
from ..openapi.formats import FORMAT_PATTERNS
from ..openapi.toolkit import as_dict, as_list, operations, walk
from .prepare import KEPT_FORMATS


@dataclass(frozen=True, slots=True, order=True, kw_only=True)
class Unenforced:
    """A schema keyword the client does not check (the server still does)."""

    pointer: str  # JSON pointer of the keyword in the spec
    keyword: str  # "not", "format: email", ...


@dataclass(frozen=True, slots=True, kw_only=True)
class UnenforcedGroup:
    """Every place one keyword goes unchecked: how many, and the first few pointers to show."""

    keyword: str
    count: int
    pointers: tuple[str, ...]  # the first SHOWN_PER_KEYWORD, in pointer order


# A large spec has thousands (GitHub's: 10,791, nearly all `format: uri`); past a handful, the
# warnings and the README say how many and where to look, not every place.
WARNED_PER_KEYWORD = 3
SHOWN_PER_KEYWORD = 10


def grouped(found: tuple[Unenforced, ...]) -> tuple[UnenforcedGroup, ...]:
    """The keywords by how many places leave them unchecked (most first, then by name)."""
    by_keyword: dict[str, list[str]] = {}
    for item in found:
        by_keyword.setdefault(item.keyword, []).append(item.pointer)
    return tuple(
        UnenforcedGroup(keyword=keyword, count=len(pointers), pointers=tuple(pointers[:SHOWN_PER_KEYWORD]))
        for keyword, pointers in sorted(by_keyword.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )


# Validation keywords the models have no faithful counterpart for (``patternProperties`` and
# ``propertyNames`` become a pattern every key must match, which is not what they say).
UNENFORCED_KEYWORDS = frozenset(
    {
        "not",
        "if",
        "then",
        "else",
        "dependentRequired",
        "dependentSchemas",
        "dependencies",
        "contains",
        "minContains",
        "maxContains",
        "propertyNames",
        "patternProperties",
        "unevaluatedProperties",
        "unevaluatedItems",
        "prefixItems",
    }
)
# Formats that check nothing a string could fail (password is a UI hint) or name the width of a
# JSON number (the client checks the JSON type, not the width: docs/design.md).
_NOT_ASSERTIONS = frozenset({"password", "int32", "int64", "float", "double"})


def _content_schemas(at: tuple[str | int, ...], holder: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    for media_type, media in as_dict(as_dict(holder).get("content")).items():
        if isinstance(media, dict) and "schema" in media:
            yield (*at, "content", media_type, "schema"), media["schema"]


def _roots(document: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every schema root of the document, at its own pointer: components, then the operations' inline ones."""
    components = as_dict(document.get("components"))
    for name, schema in as_dict(components.get("schemas")).items():
        yield ("components", "schemas", name), schema
    for kind in ("parameters", "headers"):
        for name, holder in as_dict(components.get(kind)).items():
            if isinstance(holder, dict) and "schema" in holder:
                yield ("components", kind, name, "schema"), holder["schema"]
    for kind in ("requestBodies", "responses"):
        for name, holder in as_dict(components.get(kind)).items():
            yield from _content_schemas(("components", kind, name), holder)
    for path, method, item, op in operations(document):
        at = ("paths", path, method)
        for where, params in ((("paths", path), item.get("parameters")), (at, op.get("parameters"))):
            for index, param in enumerate(as_list(params)):
                if isinstance(param, dict) and "schema" in param:
                    yield (*where, "parameters", index, "schema"), param["schema"]
        yield from _content_schemas((*at, "requestBody"), op.get("requestBody"))
        for status, response in as_dict(op.get("responses")).items():
            yield from _content_schemas((*at, "responses", str(status)), response)


def find_unenforced(document: dict[str, Any], *, file: str, diags: Diagnostics) -> tuple[Unenforced, ...]:
    """Every unenforced keyword of the (bundled) document, sorted by pointer."""
    found: list[Unenforced] = []
    for root, schema in _roots(document):
        for tokens, node in walk(schema, root):
            for keyword in sorted(UNENFORCED_KEYWORDS & node.keys()):
                found.append(Unenforced(pointer=pointer(*tokens, keyword), keyword=keyword))
            fmt = node.get("format")
            if (
                isinstance(fmt, str)
                and fmt not in FORMAT_PATTERNS
                and fmt not in KEPT_FORMATS
                and fmt not in _NOT_ASSERTIONS
            ):
                found.append(Unenforced(pointer=pointer(*tokens, "format"), keyword=f"format: {fmt}"))
            elif isinstance(fmt, str) and fmt in FORMAT_PATTERNS and "pattern" in node:
                found.append(
                    Unenforced(pointer=pointer(*tokens, "format"), keyword=f"format: {fmt} (beside a pattern)")
                )
    found.sort()
    _warn(tuple(found), file, diags)
    return tuple(found)


def with_rewrites(found: tuple[Unenforced, ...], rewrites: Iterable[tuple[str, str]]) -> tuple[Unenforced, ...]:
    """``found`` and the keywords ``check_values`` rewrote away ((pointer, keyword) pairs), sorted."""
    return tuple(sorted((*found, *(Unenforced(pointer=where, keyword=what) for where, what in rewrites))))


def _warn(found: tuple[Unenforced, ...], file: str, diags: Diagnostics) -> None:
    """One warning per place for the first few of each keyword, then one that counts the rest."""
    seen: dict[str, int] = {}
    for item in found:
        seen[item.keyword] = seen.get(item.keyword, 0) + 1
        if seen[item.keyword] <= WARNED_PER_KEYWORD:
            diags.warning(
                file,
                item.pointer,
                "unenforced-keyword",
                f"the generated client does not check `{item.keyword}`; requests that break it are "
                "sent and left to the server to refuse (listed in the generated README)",
            )
    for group in grouped(found):
        if group.count > WARNED_PER_KEYWORD:
            diags.warning(
                file,
                group.pointers[WARNED_PER_KEYWORD],
                "unenforced-keyword",
                f"... and {group.count - WARNED_PER_KEYWORD:,} more places with `{group.keyword}` unchecked "
                "(the generated README counts them; `dump-ir` lists every one)",
            )
