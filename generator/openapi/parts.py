"""A document split into parts whose openapi-spec-validator verdicts can be cached one by one.

The parts: the skeleton (the root, its paths, webhooks and component sections emptied), each path
item, each webhook and each component of every section. A *mini-document* is a valid frame
(``openapi``, a placeholder ``info``, ``jsonSchemaDialect``, ``paths``) holding some parts and
every component their ``$ref`` closures reach, in document order; the library validates it as it
is. A part's key is built from its content, its closure's (in that order), the ``openapi`` value,
the dialect and the validator's versions. What makes verdicts on mini-documents stand for the
whole document, in openapi-spec-validator 0.9 (tests/unit/test_validate_parts.py checks it on
mutated real specs):

* Its JSON Schema pass (the OpenAPI schema) is local: every constraint sits within one path item,
  component or the root (no ``minProperties`` on ``paths`` or a section), and document ``$ref``s
  are not followed. A mini-document puts each subtree at its own location.
* Its keyword walk checks the root's tags, each path item (parameters, responses, operationIds,
  path parameters) and each component schema, following ``$ref``s into the closure. Duplicate
  operationIds and unresolved path parameters, the only checks across path items, are ours
  (validate.py's ``_OWN_RULES``); a security requirement's scheme name is not checked at all.
  Every other finding is a function of the schema found, checked once per run whichever way it
  is reached, except one: "Required list has not defined properties", reported for a schema with
  ``allOf`` only when the walk first meets it as a top-level schema, not inside another's.
* So a finding in the whole document is also found in any mini-document holding the part whose
  walk first met it (its walk, in the same order, meets it no later): when a mini-document of
  every part is clean, so is the whole. The converse fails only for that order-dependent
  finding: a clean document vouches for its parts only where no schema in the part or its
  closure has both ``allOf`` and ``required`` (``_Part.suspect``).
* Annotations a schema component carries (``description``, ``title``, ``example``,
  ``externalDocs``, ``$comment``, at schema positions only: under ``properties`` a name is not a
  keyword) are checked only where the component itself is (the JSON Schema pass over it, the
  meta-check of it as a top-level schema); the walk and the value validators never read them.
  So other parts' keys see a closure component without them (``_Part.projected``): editing a
  widely used schema's description revalidates that schema alone, and a changed component
  always misses its own key, so it is validated in the same run.

Values the library never reads (``x-`` keys of the root and of ``components``) are left out. A
document this cannot split soundly (a ``$ref`` outside ``#/components/<section>/<name>``, an
``$id`` or ``$dynamicRef``, a section that is not a map, a key that is not a string) is None.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ..provenance.fingerprint import installed_version
from .toolkit import SCHEMA_CHILD, SCHEMA_LIST, SCHEMA_MAP

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

Where = tuple[str, ...]  # () the skeleton, ("paths", url), ("webhooks", name), ("components", section, name)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Part:
    where: Where
    value: Any
    digest: str  # of where the part is and what it holds
    projected: str  # the same without a schema component's annotations: what other parts' keys see
    size: int
    refs: frozenset[tuple[str, str]]  # the components its own $refs name
    suspect: bool  # holds a schema with both allOf and required (see the module doc)


def versions() -> dict[str, str]:
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


_ANNOTATIONS = frozenset({"description", "title", "example", "externalDocs", "$comment"})


def _unannotated(schema: Any) -> Any:
    """``schema`` without the annotations of it and its subschemas (see the module doc); the rest as it is."""
    if not isinstance(schema, dict):
        return schema
    kept = {key: value for key, value in schema.items() if key not in _ANNOTATIONS}
    for key in SCHEMA_CHILD:
        if key in kept:
            kept[key] = _unannotated(kept[key])
    for key in SCHEMA_LIST:
        if isinstance(kept.get(key), list):
            kept[key] = [_unannotated(item) for item in kept[key]]
    for key in SCHEMA_MAP:
        if isinstance(kept.get(key), dict):
            kept[key] = {name: _unannotated(item) for name, item in kept[key].items()}
    return kept


def _digest(where: Where, value: Any) -> tuple[str, int]:
    text = json.dumps([where, value])  # key order kept: the walk's order follows it
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), len(text)


def _part(where: Where, value: Any, components: dict[str, Any]) -> _Part:
    refs: set[tuple[str, str]] = set()
    suspect = _scan(value, components, refs)
    digest, size = _digest(where, value)
    schema = where[:2] == ("components", "schemas")
    return _Part(
        where=where,
        value=value,
        digest=digest,
        projected=_digest(where, _unannotated(value))[0] if schema else digest,
        size=size,
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
        self._context = json.dumps([frame, versions()], sort_keys=True)
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
        """The part's own content, and its closure's as other parts see it (the module doc)."""
        digests = [self.components[name].projected if name != part.where[1:] else part.digest for name in closure]
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
