"""Every structured request and response body schema a named component, and refs to one followed.

Both the model generator and the IR builder then see only `$ref`s to named
components, so every body type is a class with a stable, meaningful name
(``CreateManualJobRequest``) rather than whatever an inline schema would get.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from .. import naming
from ..diagnostics import pointer
from . import media
from .toolkit import deref, operations, unescape_token

_SCHEMAS_PREFIX = "#/components/schemas/"


def operation_key(method: str, path: str, operation: dict[str, Any]) -> str:
    """The operation's id, or a stable one derived from method and path."""
    op_id = operation.get("operationId")
    if isinstance(op_id, str) and op_id.strip():
        return op_id
    return naming.snake_case(f"{method} {path.replace('{', 'by ').replace('}', '')}")


def _object_like(document: dict[str, Any], schema: Any) -> bool:
    """Whether the model generator turns this schema into an ordinary model class."""
    target = deref(document, schema)
    if not isinstance(target, dict) or any(k in target for k in ("oneOf", "anyOf", "enum", "const")):
        return False
    return target.get("type") == "object" or "properties" in target or "allOf" in target


def _component_name(schema: Any) -> str | None:
    """The component a ``{"$ref": "#/components/schemas/X"}`` names, or None."""
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if isinstance(ref, str) and ref.startswith(_SCHEMAS_PREFIX) and "/" not in ref[len(_SCHEMAS_PREFIX) :]:
        return unescape_token(unquote(ref[len(_SCHEMAS_PREFIX) :]))
    return None


def _container(document: dict[str, Any], schema: Any) -> bool:
    """Whether the schema is a plain array (maps are object-like and kept as they are)."""
    target = deref(document, schema)
    if not isinstance(target, dict) or any(k in target for k in ("oneOf", "anyOf", "allOf", "enum", "const")):
        return False
    return target.get("type") == "array"


def hoist_body_schemas(document: dict[str, Any]) -> tuple[dict[str, Any], frozenset[str]]:
    """A new document in which every structured body schema is a `$ref` to a named component.

    A body that already refers to an object component keeps it (the class is
    ``Pet``); anything else (inline objects, arrays, unions, scalars) becomes a
    component named after the operation (``ListPetsResponse``). Those wrappers
    are returned too: they stay root-model classes, so parsing is uniform.
    """
    doc = dict(document)
    components = dict(doc.get("components") or {})
    schemas = dict(components.get("schemas") or {})
    paths = dict(doc.get("paths") or {})
    taken = {naming.pascal_case(name) for name in schemas}
    wrappers: set[str] = set()
    moved: dict[str, str] = {}  # where an inline body schema was -> the component ref it became
    bodies: dict[str, Any] = {}  # where an inline body schema was -> the schema
    copied: set[str] = set()  # those of them that became wrappers

    def hoist(schema: Any, name: str) -> Any:
        shared = _into_paths(schema)
        if shared is not None and _location(shared, moved) in moved:
            # Another operation's body, hoisted already: the same component, not a wrapper of it.
            return {"$ref": moved[_location(shared, moved)]}
        if isinstance(schema, dict) and "$ref" in schema and _object_like(doc, schema):
            return schema
        target = _component_name(schema)
        if target is not None and _container(doc, schema):
            # An array component is a root model of its own: a wrapper around it would be a
            # second copy of it, and a recursive one would lose its item type in that copy.
            wrappers.add(target)
            return schema
        unique = naming.unique(naming.pascal_case(name), taken)
        taken.add(unique)
        schemas[unique] = schema
        if not _object_like(doc, schema):
            wrappers.add(unique)
        return {"$ref": "#" + pointer("components", "schemas", unique)}

    def hoisted_content(container: dict[str, Any], name: str, at: tuple[str, ...], later: bool) -> dict[str, Any]:
        chosen = media.pick(container.get("content"))
        if chosen is None or not media.is_structured(chosen[1]) or "schema" not in chosen[2]:
            return container
        media_type, _encoding, media_object = chosen
        if (_into_paths(media_object["schema"]) is not None) is not later:
            return container
        new_schema = hoist(media_object["schema"], name)
        if new_schema is not media_object["schema"]:
            location = "#" + pointer(*at, "content", media_type, "schema")
            moved[location] = new_schema["$ref"]
            bodies[location] = media_object["schema"]
            if _component_name(new_schema) in wrappers:
                copied.add(location)
        new_media = {**media_object, "schema": new_schema}
        return {**container, "content": {**container["content"], media_type: new_media}}

    new_paths = {path: dict(item) if isinstance(item, dict) else item for path, item in paths.items()}
    done: dict[tuple[str, str], dict[str, Any]] = {}  # each operation after the first pass
    # Bodies that are a `$ref` to another operation's body come second, so they find it hoisted.
    for later in (False, True):
        for path, method, _item, op in operations(doc):
            operation = dict(done.get((path, method), op))
            base = naming.pascal_case(operation_key(method, path, operation))
            body = deref(doc, operation.get("requestBody"))
            if isinstance(body, dict):
                where = ("paths", path, method, "requestBody")
                operation["requestBody"] = hoisted_content(body, f"{base}Request", where, later)
            responses = operation.get("responses")
            if isinstance(responses, dict):
                success = sorted(str(s) for s in responses if str(s).startswith("2"))
                new_responses = dict(responses)
                for status in success:
                    key = status if status in responses else int(status)
                    response = deref(doc, responses[key])
                    if isinstance(response, dict):
                        suffix = "Response" if status == success[0] else f"Response{status}"
                        at = ("paths", path, method, "responses", status)
                        new_responses[key] = hoisted_content(response, f"{base}{suffix}", at, later)
                operation["responses"] = new_responses
            done[(path, method)] = operation
            new_paths[path][method] = operation
    paths = new_paths
    doc["paths"] = paths
    components["schemas"] = schemas
    doc["components"] = components
    # A `$ref` to another operation's inline body schema follows it to its component.
    moves = _Moves(moved=moved, bodies=bodies, copied=frozenset(copied))
    return (_repoint_refs(doc, moves, ()) if moved else doc), frozenset(wrappers)


def _into_paths(schema: Any) -> str | None:
    """The ``#/paths/...`` pointer a ``$ref`` schema names (another operation's body, say), or None."""
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    return ref if isinstance(ref, str) and ref.startswith("#/paths/") else None


def _location(ref: str, moved: dict[str, str]) -> str:
    """A ``#/paths/...`` ref as ``moved`` spells the places it knows: as written, else percent-decoded."""
    return ref if ref in moved else unquote(ref)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Moves:
    moved: dict[str, str]  # where an inline body schema was -> the component ref it became
    bodies: dict[str, Any]  # where an inline body schema was -> the schema
    copied: frozenset[str]  # the places whose schema became a wrapper (not an object)


def _repoint_refs(node: Any, moves: _Moves, expanding: tuple[str, ...]) -> Any:
    """``node`` with each `$ref` to a hoisted body schema pointing at its component.

    A `$ref` to a wrapper (a body that is not an object) gets a copy of the schema instead: the
    model tool folds a root model that a model refers to into that model, and the operation
    would lose its class. So does a `$ref` into a hoisted schema (to one of its properties, say),
    a place that no longer exists once the schema's inline parts are classes of their own.
    """
    if isinstance(node, list):
        return [_repoint_refs(item, moves, expanding) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/paths/") and ref not in expanding:
        location = _location(ref, moves.moved)
        if location in moves.moved and location not in moves.copied:
            return {**node, "$ref": moves.moved[location]}
        target = _inside(location, moves)
        if target is not _ABSENT:
            siblings = {key: value for key, value in node.items() if key != "$ref"}
            copy = _repoint_refs(target, moves, (*expanding, ref, location))
            return {**copy, **siblings} if isinstance(copy, dict) else copy
    return {key: _repoint_refs(value, moves, expanding) for key, value in node.items()}


_ABSENT = object()


def _inside(location: str, moves: _Moves) -> Any:
    """The schema at ``location``, a hoisted body schema or a place inside one; ``_ABSENT`` otherwise."""
    for at, schema in moves.bodies.items():
        if location == at or location.startswith(at + "/"):
            node = schema
            for token in location[len(at) :].split("/")[1:]:
                key = unescape_token(token)
                if isinstance(node, dict) and key in node:
                    node = node[key]
                elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                    node = node[int(key)]
                else:
                    return _ABSENT
            return node
    return _ABSENT
