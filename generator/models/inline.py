"""Name the inline object and enum schemas before the tool sees them (docs/design.md, "Names").

datamodel-code-generator names an inline schema by every parent it has
(``PutManualJobBuildStorageEphemeralStorageStorageSize``). Here each becomes a
component whose name is its property's own (``StorageSize``), qualified by its
parents only while another schema claims the same name:

* the candidates of a schema depend only on its position: its property name,
  then the component's name joined in front (``BuildStorage`` + ``StorageSize`` →
  ``BuildStorageSize``), then its parents' property names (``EphemeralStorageSize``)
  and so on up to the component's and the whole path; words a qualifier ends with
  are never repeated;
* a one-word generic property (``type``, ``status``, ``settings``) never stands alone;
* a name is given when no component has it and no other inline schema claims it at
  that point; every claimant of a contested name moves on to its next candidate,
  so which of them was first in the spec never matters;
* inline schemas that are identical (the whole subtree) are one class, named once.

So adding or removing a schema renames another class only when both claim the
same name; the order of the spec never renames anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .. import naming
from ..memo import ByIdentity
from ..openapi.toolkit import as_dict, component_ref, subschemas, with_subschemas

# One-word property names too generic to name a class on their own: `type` → `ConfigType`.
GENERIC_WORDS = frozenset(
    [
        "attributes",
        "body",
        "config",
        "configuration",
        "content",
        "data",
        "default",
        "details",
        "entry",
        "error",
        "errors",
        "format",
        "id",
        "info",
        "item",
        "items",
        "kind",
        "list",
        "meta",
        "metadata",
        "mode",
        "name",
        "object",
        "options",
        "params",
        "parameters",
        "payload",
        "properties",
        "request",
        "response",
        "result",
        "results",
        "settings",
        "source",
        "spec",
        "state",
        "status",
        "target",
        "type",
        "value",
        "values",
    ]
)
# The steps an inline class is hoisted through: a property, an array's items, a map's values.
_NAMED_STEPS = frozenset({"properties", "patternProperties", "items", "additionalProperties"})
_TRANSPARENT = frozenset({"allOf", "oneOf", "anyOf"})


def is_class_schema(node: Any) -> bool:
    """Whether the tool makes a class of this inline schema: an object with properties, an enum, or
    an ``allOf`` it merges."""
    if not isinstance(node, dict) or "$ref" in node:
        return False
    if isinstance(node.get("enum"), list) and node["enum"]:
        return True
    if merges(node):
        return True
    kind = node.get("type")
    return bool(as_dict(node.get("properties"))) and kind in (None, "object") and "allOf" not in node


def merges(node: dict[str, Any]) -> bool:
    """An ``allOf`` the tool merges into a class of its own: more than a bare ``$ref`` (with a
    description or ``nullable`` beside it, which the tool writes as the referenced type).

    The tool would name it by its property alone and number it against every other class of
    the run (``Issue1``..``Issue6``), so the name would depend on what else is in the run.
    """
    members = node.get("allOf")
    if not isinstance(members, list) or not members:
        return False
    return len(members) > 1 or not (isinstance(members[0], dict) and set(members[0]) == {"$ref"})


def redeclared(node: dict[str, Any], schemas: dict[str, Any]) -> frozenset[str]:
    """The properties that more than one ``allOf`` member of ``node`` declares (a member that refers
    to a component declares that component's properties).

    The tool merges them into a class it names after the merge and the property, the name
    ``candidates`` gives the property's inline schema too; so such a property is left inline,
    for the tool to merge and name, and the two names never meet.
    """
    if not merges(node):
        return frozenset()
    seen: dict[str, int] = {}
    for member in node["allOf"]:
        member = as_dict(member)
        ref = member.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            member = as_dict(schemas.get(ref.rsplit("/", 1)[1]))
        for name in as_dict(member.get("properties")):
            seen[name] = seen.get(name, 0) + 1
    return frozenset(name for name, count in seen.items() if count > 1)


def unmerged(
    schema: Any, schemas: dict[str, Any], at: tuple[str | int, ...] = (), merged: frozenset[str] = frozenset()
) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """``walk``, without the properties an ``allOf`` merge redeclares (``redeclared``): those are
    the tool's to merge and name, so nothing here names or shares what is inside them."""
    if not isinstance(schema, dict):
        return
    yield at, schema
    for tokens, child in subschemas(schema):
        if tokens[0] == "properties" and tokens[1] in merged:
            continue
        inner = redeclared(schema, schemas) if tokens[0] == "allOf" else frozenset()
        yield from unmerged(child, schemas, at + tokens, inner)


def segment(tokens: tuple[str | int, ...], previous: str | None) -> str | None:
    """The class-name word a step adds: the property (``storageSize`` → ``StorageSize``), ``Item``, ``Value``."""
    if tokens[0] in ("properties", "patternProperties") and len(tokens) == 2:
        return naming.pascal_case(str(tokens[1]), fallback="Field")
    if tokens[0] == "items":
        return None if previous is not None else "Item"
    if tokens[0] == "additionalProperties":
        return "Value"
    return None


def candidates(component: str, segments: list[str]) -> list[str]:
    """The names an inline schema may take, shortest qualification first.

    Its own name (the property's; for a generic one, the parent's and the
    property's), then that name behind the component's, then behind ever more of
    its parents (``EphemeralStorage``, ``BuildStorageEphemeralStorage``…) up to the
    component's and the whole path.
    """
    if not segments:
        return [naming.pascal_case(component)]
    leaf = segments[-1]
    generic = len(naming.class_words(leaf)) == 1 and leaf.lower() in GENERIC_WORDS
    size = 2 if generic and len(segments) > 1 else 1
    own = _joined(segments[-size:])
    found = [] if generic and size == 1 else [own]
    found.append(naming.join_class_names(component, own))
    parents = segments[:-size]
    found += [_joined([*parents[start:], own]) for start in range(len(parents) - 1, -1, -1)]
    found.append(_joined([component, *parents, own]))
    return list(dict.fromkeys(naming.pascal_case(n) for n in found))


def _joined(parts: list[str]) -> str:
    name = parts[0]
    for part in parts[1:]:
        name = naming.join_class_names(name, part)
    return name


class _Keys:
    """A schema's identity by content (its JSON, keys sorted), taken once per object: the walk for
    positions and the rebuild meet the same nodes (on GitHub's spec, half of ``prepare``'s time)."""

    def __init__(self) -> None:
        self._held: ByIdentity[str] = ByIdentity()

    def __call__(self, node: dict[str, Any]) -> str:
        return self._held.get(node, lambda: json.dumps(node, sort_keys=True, default=str))


def _positions(schemas: dict[str, Any], _key: _Keys) -> dict[str, list[list[str]]]:
    """Per inline class schema (by content), the candidate lists of every place it occurs."""
    found: dict[str, list[list[str]]] = {}

    def visit(node: Any, component: str, segments: list[str], merged: frozenset[str] = frozenset()) -> None:
        for tokens, child in subschemas(node):
            if not isinstance(child, dict) or (tokens[0] == "properties" and tokens[1] in merged):
                continue
            if tokens[0] in _TRANSPARENT:
                visit(child, component, segments, redeclared(node, schemas) if tokens[0] == "allOf" else frozenset())
                continue
            if tokens[0] not in _NAMED_STEPS:
                continue  # inside `not`, `if`, ...: left to the tool
            word = segment(tokens, segments[-1] if segments and tokens[0] == "items" else None)
            if tokens[0] == "items" and word is None:
                here = [*segments[:-1], naming.pascal_case(naming.singular(segments[-1]))]
            else:
                here = [*segments, word] if word else segments
            if is_class_schema(child):
                found.setdefault(_key(child), []).append(candidates(component, here))
            visit(child, component, here)

    for name in sorted(schemas):
        visit(schemas[name], naming.pascal_case(name), [])
    return found


def assign(claims: dict[str, list[str]], taken: set[str]) -> dict[str, str]:
    """A name per claimant (key → its candidates, shortest first), none in ``taken``, none shared.

    Every claimant of a contested name moves on to its next candidate, so the
    result does not depend on any order; one left without candidates gets its
    longest one with a numeric suffix (in sorted order of the keys).
    """
    level = dict.fromkeys(claims, 0)
    while True:
        wanted: dict[str, list[str]] = {}
        for key, names in claims.items():
            if level[key] < len(names):
                wanted.setdefault(names[level[key]], []).append(key)
        moved = False
        for name, keys in wanted.items():
            if name in taken or len(keys) > 1:
                for key in keys:
                    level[key] += 1
                moved = True
        if not moved:
            break
    result: dict[str, str] = {}
    used = set(taken)
    for key in sorted(claims, key=lambda k: (level[k] < len(claims[k]), k)):
        names = claims[key]
        name = names[level[key]] if level[key] < len(names) else naming.unique(names[-1], used)
        used.add(name)
        result[key] = name
    return result


def hoist_inline(schemas: dict[str, Any]) -> dict[str, Any]:
    """``schemas`` with every inline object/enum schema a component of the name ``assign`` gives it."""
    _key = _Keys()
    positions = _positions(schemas, _key)
    if not positions:
        return schemas
    claims: dict[str, list[str]] = {}
    for key, places in positions.items():
        # Identical schemas in several places: the names they all have in common first.
        common = [n for n in places[0] if all(n in p for p in places[1:])]
        rest = sorted(places, key=lambda p: (len(p[-1]), p[-1]))[0]
        claims[key] = list(dict.fromkeys([*common, *rest]))
    # An inline schema identical to a component is that component.
    existing: dict[str, str] = {}
    for name in sorted(schemas):
        if is_class_schema(schemas[name]):
            existing.setdefault(_key(schemas[name]), name)
    claims = {key: names for key, names in claims.items() if key not in existing}
    names = assign(claims, {naming.pascal_case(n) for n in schemas})
    result = dict(schemas)

    def rebuild(node: Any, merged: frozenset[str] = frozenset()) -> Any:
        """``node`` with its inline class schemas replaced by references; ``node`` itself where
        nothing below it changes (most of a large spec), so only the changed paths are copied."""
        if not isinstance(node, dict):
            return node
        changed: list[tuple[tuple[str | int, ...], Any]] = []
        for tokens, child in subschemas(node):
            if tokens[0] == "properties" and tokens[1] in merged:
                continue
            new = rebuild(child, redeclared(node, schemas) if tokens[0] == "allOf" else frozenset())
            key = _key(child) if tokens[0] in _NAMED_STEPS and isinstance(child, dict) else None
            if key in existing:
                new = _reference(existing[key], child, tokens)
            elif key in names:
                result[names[key]] = new
                new = _reference(names[key], child, tokens)
            if new is not child:
                changed.append((tokens, new))
        return with_subschemas(node, changed) if changed else node

    for name in sorted(schemas):
        result[name] = rebuild(schemas[name])
    return result


def _reference(name: str, child: dict[str, Any], tokens: tuple[str | int, ...]) -> dict[str, Any]:
    """The ``$ref`` that replaces an inline schema; a property keeps its description, so the field
    stays documented where it is used (the class carries it too)."""
    ref: dict[str, Any] = {"$ref": component_ref(name)}
    if tokens[0] == "properties" and isinstance(child.get("description"), str):
        ref["description"] = child["description"]
    return ref
