"""The one toolkit for reading the untyped spec dict: typed access, pointers, operations and subschemas.

Every stage that walks the spec uses these, so a schema keyword or an HTTP
method is listed in exactly one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

from ..diagnostics import pointer

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Where a schema holds other schemas (JSON Schema 2020-12 and OpenAPI 3.0): one child,
# a list of them, or a map of them. `discriminator.mapping` holds refs, not schemas.
SCHEMA_CHILD = (
    "items",
    "additionalProperties",
    "not",
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
SCHEMA_LIST = ("allOf", "oneOf", "anyOf", "prefixItems")
SCHEMA_MAP = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")


def is_openapi30(document: dict[str, Any]) -> bool:
    """Whether the document is OpenAPI 3.0 (JSON Schema draft 4 with ``nullable``), not 3.1."""
    return str(document.get("openapi", "")).startswith("3.0")


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def unescape_token(token: str) -> str:
    """One reference token of a JSON pointer as the key it names (RFC 6901)."""
    return token.replace("~1", "/").replace("~0", "~")


def component_ref(name: str) -> str:
    return "#" + pointer("components", "schemas", name)


def ref_name(ref: str) -> str:
    """The last token of a ``$ref``, unescaped: ``Job`` for ``#/components/schemas/Job``."""
    return unescape_token(unquote(ref.rsplit("/", 1)[-1]))


def lookup(document: Any, fragment: str, *, uri: bool = False) -> tuple[bool, Any]:
    """Follow a JSON pointer (``/a/b~1c``); ``(found, value)``, as a value may itself be null.

    ``uri``: the pointer is a URI fragment (a ``$ref``), whose tokens may also be percent-encoded.
    """
    node = document
    if fragment in ("", "/"):
        return True, node
    for raw in fragment.lstrip("/").split("/"):
        token = unescape_token(unquote(raw) if uri else raw)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isascii() and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node


def resolve(document: Any, ref: str) -> Any:
    """What a local ``$ref`` (``#/a/b``) points at, or None when it points nowhere."""
    if not ref.startswith("#"):
        return None
    return lookup(document, ref[1:], uri=True)[1]


def deref(document: Any, node: Any) -> Any:
    """Follow ``$ref`` chains inside the document (refs are local after bundling); None when one dangles."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen.add(node["$ref"])
        node = resolve(document, node["$ref"])
    return node


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """``(path, method, path_item, operation)`` for every operation, paths sorted, methods in spec order."""
    paths = as_dict(document.get("paths"))
    for path in sorted(paths):
        item = deref(document, paths[path])  # a Path Item may be a $ref (3.1: into components.pathItems)
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield path, method, item, item[method]


# Each schema-holding keyword's rank in the order subschemas() yields them; reading a schema's own
# few keys against this is several times faster than probing it for all 20 keywords (GitHub's
# spec makes 650,000 such calls per run).
_RANK = {key: rank for rank, key in enumerate((*SCHEMA_CHILD, *SCHEMA_LIST, *SCHEMA_MAP))}
_CHILD = frozenset(SCHEMA_CHILD)
_LIST = frozenset(SCHEMA_LIST)


def subschemas(schema: Any) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Each direct subschema of ``schema`` with its pointer tokens relative to it.

    In keyword order: every SCHEMA_CHILD keyword, then SCHEMA_LIST, then SCHEMA_MAP, whatever
    order the schema lists them in.
    """
    if not isinstance(schema, dict):
        return
    keys = [key for key in schema if key in _RANK]
    if len(keys) > 1:
        keys.sort(key=_RANK.__getitem__)
    for key in keys:
        value = schema[key]
        if key in _CHILD:
            if isinstance(value, dict):
                yield (key,), value
        elif key in _LIST:
            if isinstance(value, list):
                for index, item in enumerate(value):
                    yield (key, index), item
        elif isinstance(value, dict):
            for name, item in value.items():
                yield (key, name), item


def with_subschemas(schema: dict[str, Any], changes: list[tuple[tuple[str | int, ...], Any]]) -> dict[str, Any]:
    """A copy of ``schema`` with the subschema at each tokens (as ``subschemas`` gives them) replaced,
    each container copied once; the rest is shared."""
    copy = dict(schema)
    copied: set[str] = set()
    for tokens, value in changes:
        key = str(tokens[0])
        if len(tokens) == 1:
            copy[key] = value
            continue
        if key not in copied:
            copy[key] = list(copy[key]) if isinstance(tokens[1], int) else dict(copy[key])
            copied.add(key)
        copy[key][tokens[1]] = value
    return copy


def walk(schema: Any, at: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """Every schema object in ``schema`` (itself first, then depth first), with its pointer tokens."""
    if not isinstance(schema, dict):
        return
    # An explicit stack, not nested generators: each level of `yield from` costs every item below it.
    stack = [(at, schema)]
    while stack:
        at, node = stack.pop()
        yield at, node
        children = [(at + tokens, child) for tokens, child in subschemas(node) if isinstance(child, dict)]
        children.reverse()
        stack.extend(children)


def map_schema(schema: Any, transform: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """A copy of ``schema`` in which every schema object, innermost first, went through ``transform``."""
    if not isinstance(schema, dict):
        return schema
    result = dict(schema)
    for key in SCHEMA_CHILD:
        if isinstance(schema.get(key), dict):
            result[key] = map_schema(schema[key], transform)
    for key in SCHEMA_LIST:
        if isinstance(schema.get(key), list):
            result[key] = [map_schema(item, transform) for item in schema[key]]
    for key in SCHEMA_MAP:
        if isinstance(schema.get(key), dict):
            result[key] = {name: map_schema(item, transform) for name, item in schema[key].items()}
    return transform(result)
