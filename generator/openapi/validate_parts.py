"""Validation that reruns openapi-spec-validator only on the parts of a document an edit touched.

The document is split into parts: the skeleton (the root, its paths, webhooks and component
sections emptied), each path item, each webhook and each component of every section. A part's
*mini-document* is a valid frame around it (``openapi``, a placeholder ``info``,
``jsonSchemaDialect``, ``paths``) holding the part and every component its ``$ref`` closure
reaches, in document order. The library validates a mini-document as it is; its verdict is cached
under a key built from the part's and its closure's content digests (in that order), the
``openapi`` value, the dialect and the validator's versions: the key determines the mini-document,
so the cached verdict is the library's own. Three facts of openapi-spec-validator 0.9 make this
equal to validating the whole document (tests/unit/test_validate_parts.py checks them on
mutated real specs):

* Its JSON Schema pass (the OpenAPI schema) is local: every constraint sits within one path item,
  component or the root (no ``minProperties`` on ``paths`` or a section), and document ``$ref``s
  are not followed. A mini-document puts each subtree at its own location.
* Its keyword walk checks the root's tags, each path item (parameters, responses, operationIds,
  path parameters) and each component schema, following ``$ref``s into the closure. Duplicate
  operationIds and unresolved path parameters, the only checks across path items, are ours
  (``_OWN_RULES``); a security requirement's scheme name is not checked at all. Every other
  finding is a function of the schema found, checked once per run whichever way it is reached,
  except one: "Required list has not defined properties", reported for a schema with ``allOf``
  only when the walk reaches it first as a top-level schema, not inside another's ``allOf``.
* So a finding in the whole document is also found in the mini-document of the part whose walk
  first reached it (the mini-document's walk reaches it no later), and when every part's
  mini-document is clean the whole document is. The converse fails only for that order-dependent
  finding: a valid document's verdict is stored for its parts only where no schema in the part
  or its closure has both ``allOf`` and ``required`` (``_Part.suspect``), the rest being
  validated on their own when next needed.

A part whose key is not cached as valid is validated as a mini-document; when one fails, or when
the parts to check are more than a whole run would cost, the whole document is validated exactly
as before (validate.py), so every diagnostic reported is the one a whole run gives. Values the
library never reads (``x-`` keys of the root and of ``components``) are left out of the keys.
A document this cannot split soundly (a ``$ref`` outside ``#/components/<section>/<name>``, an
``$id`` or ``$dynamicRef``, a section that is not a map) is validated whole.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostics
from ..provenance.cache import Cache, json_key
from ..provenance.fingerprint import installed_version
from .validate import check_schemas, library_accepts, report_library

SECTIONS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
)
# What decides the library's findings besides the document: its own version and its schema backends'.
_LIBRARIES = ("openapi-spec-validator", "openapi-schema-validator", "jsonschema", "jsonschema-path", "referencing")
_INFO = {"title": "part", "version": "0"}  # valid in 3.0 and 3.1; the real info is the skeleton's
_PREFIX = "#/components/"
# Mini-documents repeat their closures: past this share of the document's size a whole run is cheaper.
WHOLE_SHARE = 0.5

Where = tuple[str, ...]  # () the skeleton, ("paths", url), ("webhooks", name), ("components", section, name)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Part:
    where: Where
    value: Any
    digest: str  # of where the part is and what it holds
    size: int
    refs: frozenset[tuple[str, str]]  # the components its own $refs name
    suspect: bool  # holds a schema with both allOf and required (see the module doc)


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What one validation did, for the tests and the benchmark."""

    parts: int = 0  # 0: the document could not be split
    checked: int = 0  # mini-documents the library validated
    whole: bool = False  # the library validated the whole document
    cached: bool = False  # the whole document was known to give no diagnostics
    clean: bool | None = None  # the library found nothing (None: not asked, the document was cached)


def _versions() -> dict[str, str]:
    return {name: installed_version(name) for name in _LIBRARIES}


class _Unsplittable(Exception):
    pass


def _target(ref: str, components: dict[str, Any]) -> tuple[str, str]:
    """The component a local ``$ref`` lands in; _Unsplittable for any other reference."""
    if not ref.startswith(_PREFIX):
        raise _Unsplittable(ref)
    section, _, rest = ref[len(_PREFIX) :].partition("/")
    name = rest.partition("/")[0]
    # An escaped or percent-encoded name would need the resolver's decoding; rare enough to go whole.
    if "~" in name or "%" in name or section not in SECTIONS or name not in components.get(section, {}):
        raise _Unsplittable(ref)
    return section, name


def _scan(node: Any, components: dict[str, Any], refs: set[tuple[str, str]]) -> bool:
    """Collect the components ``node`` refers to; True when it holds a schema with allOf and required."""
    suspect = False
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            refs.add(_target(ref, components))
        if isinstance(node.get("$id"), str) or isinstance(node.get("$dynamicRef"), str):
            raise _Unsplittable("$id")  # another base URI or dynamic scope: resolution is not by pointer
        suspect = "allOf" in node and "required" in node
        for key, value in node.items():
            if type(key) is not str:
                raise _Unsplittable(key)  # JSON would spell 200 as "200": the digests could not tell them apart
            suspect = _scan(value, components, refs) or suspect
    elif isinstance(node, list):
        for value in node:
            suspect = _scan(value, components, refs) or suspect
    return suspect


def _part(where: Where, value: Any, components: dict[str, Any]) -> _Part:
    refs: set[tuple[str, str]] = set()
    suspect = _scan(value, components, refs)
    text = json.dumps([where, value])  # key order kept: the walk's order follows it
    return _Part(
        where=where,
        value=value,
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        size=len(text),
        refs=frozenset(refs),
        suspect=suspect,
    )


def _skeleton(document: dict[str, Any]) -> dict[str, Any]:
    """The root with its paths, webhooks and sections emptied, and the values the library never reads nulled."""
    skeleton: dict[str, Any] = {}
    for key, value in document.items():
        if key in ("paths", "webhooks"):
            skeleton[key] = {}
        elif key == "components":
            skeleton[key] = {
                name: None if name.startswith("x-") else section
                for name, section in value.items()
                if name not in SECTIONS
            }
        else:
            skeleton[key] = None if key.startswith("x-") else value
    return skeleton


class Split:
    """A document's parts, their closures and keys, and their mini-documents."""

    def __init__(self, document: dict[str, Any]) -> None:
        for key in ("paths", "webhooks", "components"):
            if not isinstance(document.get(key, {}), dict):
                raise _Unsplittable(key)
        if "openapi" not in document:
            raise _Unsplittable("openapi")
        components: dict[str, Any] = document.get("components", {})
        if any(not isinstance(components[s], dict) for s in SECTIONS if s in components):
            raise _Unsplittable("components")
        maps = [document.get("paths", {}), document.get("webhooks", {}), components]
        if any(
            type(key) is not str for map_ in maps + [components[s] for s in SECTIONS if s in components] for key in map_
        ):
            raise _Unsplittable("key")
        self.document = document
        self.parts = [_part((), _skeleton(document), components)]
        for key in ("paths", "webhooks"):
            self.parts += [_part((key, name), item, components) for name, item in document.get(key, {}).items()]
        # Document order of the components: a mini-document keeps it (the walk's order follows it).
        self.components: dict[tuple[str, str], _Part] = {}
        for section in components:
            if section in SECTIONS:
                for name, value in components[section].items():
                    self.components[section, name] = _part(("components", section, name), value, components)
        self.parts += self.components.values()
        self._order = {name: index for index, name in enumerate(self.components)}
        frame = {key: document[key] for key in ("openapi", "jsonSchemaDialect") if key in document}
        self._context = json.dumps([frame, _versions()], sort_keys=True)
        self.size = sum(part.size for part in self.parts)

    def closure(self, part: _Part) -> list[tuple[str, str]]:
        """Every component ``part`` reaches through $refs (itself, if a component), in document order."""
        reached = set(part.refs)
        if len(part.where) == 3:
            reached.add((part.where[1], part.where[2]))
        pending = list(reached)
        while pending:
            for ref in self.components[pending.pop()].refs:
                if ref not in reached:
                    reached.add(ref)
                    pending.append(ref)
        return sorted(reached, key=self.order)

    def order(self, name: tuple[str, str]) -> int:
        return self._order[name]

    def key(self, part: _Part, closure: list[tuple[str, str]]) -> str:
        digests = [self.components[name].digest for name in closure]
        return hashlib.sha256("\n".join([self._context, part.digest, *digests]).encode("utf-8")).hexdigest()

    def whole_key(self) -> str:
        """A key for the whole document: its parts in order (the nulled values are not the library's concern)."""
        return hashlib.sha256("\n".join([self._context, *(p.digest for p in self.parts)]).encode("utf-8")).hexdigest()

    def mini(self, chosen: list[_Part], closure: list[tuple[str, str]]) -> dict[str, Any]:
        """The chosen parts (in document order) in a frame of their own, with their closure in document
        order: a document the library validates as it is. The frame is the skeleton when it is chosen."""
        if chosen and chosen[0].where == ():
            mini = dict(chosen[0].value)  # its paths and webhooks are {} where the document has them
        else:
            mini = {key: self.document[key] for key in ("openapi", "jsonSchemaDialect") if key in self.document}
            mini.update(info=_INFO, paths={})
        for key in ("paths", "webhooks"):
            items = {part.where[1]: part.value for part in chosen if part.where[:1] == (key,)}
            if items:
                mini[key] = items
        if closure:
            mini["components"] = components = dict(mini.get("components") or {})
            for section, name in closure:
                components.setdefault(section, {})[name] = self.components[section, name].value
        return mini


def split(document: dict[str, Any]) -> Split | None:
    """The document's parts, or None where a part's mini-document would not be what the whole validates."""
    try:
        return Split(document)
    except (_Unsplittable, RecursionError):  # too deep to walk here is too deep to split
        return None


def validate_cached(document: dict[str, Any], *, file: str, diags: Diagnostics, cache: Cache) -> Outcome:
    """What validate.validate_document reports, validating again only the parts not known valid."""
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
        return json_key([document, _versions()]) if plain(document) else None
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
    checked = share <= WHOLE_SHARE
    if checked and library_accepts(parts.mini([parts.parts[i] for i in missing], closure)):
        _store(parts, missing, closures, keys, cache)
        return Outcome(parts=len(keys), checked=len(missing), clean=True)
    clean = report_library(parts.document, file=file, diags=diags)
    if clean:
        _store(parts, missing, closures, keys, cache)
    return Outcome(parts=len(keys), checked=len(missing) if checked else 0, whole=True, clean=clean)


def _store(
    parts: Split, chosen: list[int], closures: list[list[tuple[str, str]]], keys: list[str], cache: Cache
) -> None:
    """Record the chosen parts as valid, found so in a document that holds them and their closures.

    Each part's own mini-document is then valid too, but for the order-dependent finding (the
    module doc): a part that could hold it is left to be checked alone when next needed.
    """
    for index in chosen:
        if not (parts.parts[index].suspect or any(parts.components[n].suspect for n in closures[index])):
            cache.store("valid-part", keys[index], "valid")
