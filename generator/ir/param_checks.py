"""A parameter's schema reduced to what the testing fake checks (``templates/static/_fake_checks.py``).

The models check request bodies; nothing in the client checks parameters
beyond their Python types. The fake answers a request whose parameter the
spec refuses as the API would, so it needs each parameter's schema: the
keywords kept here, with references followed, ``nullable`` and the OpenAPI
3.0 boolean ``exclusiveMinimum``/``exclusiveMaximum`` folded into their 3.1
form, the formats the client checks by their shape turned into patterns, and
every pattern translated into Python's ``re`` with its ECMA-262 meaning.
Other keywords (``allOf``, ``oneOf``, ``required`` ...) are left out: the
fake does not check them.
"""

from __future__ import annotations

import json
from typing import Any

from ..models import patterns
from ..openapi.formats import FORMAT_PATTERNS
from ..openapi.toolkit import as_dict, deref

_TYPES = ("string", "integer", "number", "boolean", "array", "object")
_NUMERIC = ("minimum", "maximum", "multipleOf")
_COUNTS = ("minLength", "maxLength", "minItems", "maxItems")
_MAX_DEPTH = 8  # arrays of arrays ...: deeper levels go unchecked


def checkable(doc: dict[str, Any], schema: Any) -> str:
    """The reduced schema as canonical JSON (sorted keys); ``{}`` checks nothing."""
    return json.dumps(_reduce(doc, schema, 0), sort_keys=True, ensure_ascii=False)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _reduce(doc: dict[str, Any], schema: Any, depth: int) -> dict[str, Any]:
    schema = as_dict(deref(doc, schema))
    if depth > _MAX_DEPTH:
        return {}
    out: dict[str, Any] = {}
    kind = schema.get("type")
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    types = [k for k in kinds if k in _TYPES or k == "null"]
    if schema.get("nullable") is True and types and "null" not in types:
        types.append("null")
    if types:
        out["type"] = types
    if isinstance(schema.get("enum"), list):
        out["enum"] = schema["enum"]
    for key in _NUMERIC:
        if _number(schema.get(key)):
            out[key] = schema[key]
    for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = schema.get(key)
        if _number(value):
            out[key] = value
        elif value is True and bound in out:  # OpenAPI 3.0: a flag on the bound
            out[key] = out.pop(bound)
    for key in _COUNTS:
        value = schema.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            out[key] = value
    if schema.get("uniqueItems") is True:
        out["uniqueItems"] = True
    found = [schema["pattern"]] if isinstance(schema.get("pattern"), str) else []
    if isinstance(schema.get("format"), str) and schema["format"] in FORMAT_PATTERNS:
        found.append(FORMAT_PATTERNS[schema["format"]])
    if found:
        out["pattern"] = [patterns.python_compatible(p) for p in found]
    if isinstance(schema.get("items"), dict):
        items = _reduce(doc, schema["items"], depth + 1)
        if items:
            out["items"] = items
    if schema.get("additionalProperties") is False:
        out["additionalProperties"] = False
    if isinstance(schema.get("properties"), dict):
        # An exploded object's members are top-level query keys: the fake needs their names.
        out["properties"] = {str(name): _reduce(doc, sub, depth + 1) for name, sub in schema["properties"].items()}
    return out
