"""Validation that reruns openapi-spec-validator only on the parts of a document an edit touched.

The document's parts (parts.py) are looked up in the cache; the parts not known valid go to the
library together, as one mini-document, so each schema their closures share is walked once. When
it is clean, the document is; when it is not, or when it would cost more than a whole run, the
whole document is validated exactly as before (validate.py), so every diagnostic reported is the
one a whole run gives. A clean result is stored for each part it vouches for (parts.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostics
from ..provenance.cache import Cache, NoCache, json_key
from .parts import Split, split, versions
from .validate import check_schemas, library_accepts, report_library

# Mini-documents repeat their closures: past this share of the document's size a whole run is cheaper.
WHOLE_SHARE = 0.5


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What one validation did, for the tests and the benchmark."""

    parts: int = 0  # 0: the document could not be split
    checked: int = 0  # parts the library validated in a mini-document
    whole: bool = False  # the library validated the whole document
    cached: bool = False  # the whole document was known to give no diagnostics
    clean: bool | None = None  # the library found nothing (None: not asked, the document was cached)


def validate_cached(document: dict[str, Any], *, file: str, diags: Diagnostics, cache: Cache) -> Outcome:
    """What validate.validate_document reports, validating again only the parts not known valid."""
    if isinstance(cache, NoCache):  # nothing to look up or keep: splitting would only cost time
        check_schemas(document, file=file, diags=diags)
        return Outcome(whole=True, clean=report_library(document, file=file, diags=diags))
    parts = split(document)
    whole_key = parts.whole_key() if parts is not None else _whole_key(document)
    if whole_key is not None and cache.get("valid", whole_key) == "valid":
        return Outcome(parts=len(parts.parts) if parts is not None else 0, cached=True)
    before = len(diags.items)
    check_schemas(document, file=file, diags=diags)
    if parts is None:
        outcome = Outcome(whole=True, clean=report_library(document, file=file, diags=diags))
    else:
        outcome = _by_parts(parts, file=file, diags=diags, cache=cache)
    if len(diags.items) == before and whole_key is not None:
        cache.store("valid", whole_key, "valid")
    return outcome


def _whole_key(document: dict[str, Any]) -> str | None:
    """The key of a document that cannot be split; None where JSON cannot spell it exactly (a key not a string)."""

    def plain(node: Any) -> bool:
        if isinstance(node, dict):
            return all(type(key) is str and plain(value) for key, value in node.items())
        return all(plain(value) for value in node) if isinstance(node, list) else True

    try:
        return json_key([document, versions()]) if plain(document) else None
    except (RecursionError, TypeError, ValueError):  # too deep, or a value JSON has no spelling for
        return None


def _by_parts(parts: Split, *, file: str, diags: Diagnostics, cache: Cache) -> Outcome:
    closures = [parts.closure(part) for part in parts.parts]
    keys = [parts.key(part, closure) for part, closure in zip(parts.parts, closures, strict=True)]
    missing = [index for index, key in enumerate(keys) if cache.get("valid-part", key) != "valid"]
    if not missing:
        return Outcome(parts=len(keys), clean=True)
    # The missing parts go to the library together, as one mini-document: each schema their
    # closures share is walked once, and one finding anywhere sends the document to a whole run.
    closure = sorted({name for index in missing for name in closures[index]}, key=parts.order)
    # A missing component is in its own closure: count each part of the mini-document once.
    outside = sum(parts.parts[i].size for i in missing if len(parts.parts[i].where) < 3)
    share = (outside + sum(parts.components[n].size for n in closure)) / parts.size
    by_parts = share <= WHOLE_SHARE
    if by_parts and library_accepts(parts.mini([parts.parts[i] for i in missing], closure)):
        _store(parts, missing, closures, keys, cache)
        return Outcome(parts=len(keys), checked=len(missing), clean=True)
    clean = report_library(parts.document, file=file, diags=diags)
    if clean:
        _store(parts, missing, closures, keys, cache)
    return Outcome(parts=len(keys), checked=len(missing) if by_parts else 0, whole=True, clean=clean)


def _store(
    parts: Split, chosen: list[int], closures: list[list[tuple[str, str]]], keys: list[str], cache: Cache
) -> None:
    """Record the chosen parts as valid, found so in a document that holds them and their closures.

    Each part's own mini-document is then valid too, but for the order-dependent finding (parts.py's
    doc): a part that could hold it is not recorded, and goes to the library again in the next run.
    """
    for index in chosen:
        if not (parts.parts[index].suspect or any(parts.components[n].suspect for n in closures[index])):
            cache.store("valid-part", keys[index], "valid")
