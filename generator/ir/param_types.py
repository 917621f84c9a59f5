"""A parameter's Python type, from its schema: what a caller passes and mypy checks."""

from __future__ import annotations

import json
from typing import Any

from ..models import ModelsModule
from ..openapi.toolkit import deref, ref_name

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_MAX_DEPTH = 8  # a schema that refers to itself through its items stops being typed here


def param_type(doc: dict[str, Any], models: ModelsModule, schema: Any, depth: int = 0) -> str:
    """Enums and objects by their model class, inline enums as ``Literal``, the rest as builtins."""
    if depth > _MAX_DEPTH:
        return "Any"
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        cls = models.class_for(ref_name(schema["$ref"]), kinds=("enum", "model"))
        if cls is not None:
            return cls
        return param_type(doc, models, deref(doc, schema), depth + 1)
    if not isinstance(schema, dict):
        return "Any"
    kind = schema.get("type")
    nullable = schema.get("nullable") is True
    literal = _literal(schema.get("enum"), kind)
    if literal is not None:
        return f"{literal} | None" if nullable or None in schema["enum"] else literal
    if isinstance(kind, list):
        hints = [param_type(doc, models, {**schema, "type": k}, depth + 1) for k in kind if k != "null"]
        hint = " | ".join(dict.fromkeys(hints)) or "None"
        nullable = nullable or "null" in kind
    elif kind == "array":
        hint = f"list[{param_type(doc, models, schema.get('items'), depth + 1)}]"
    elif kind == "object":
        hint = "dict[str, Any]"
    else:
        hint = _SCALARS.get(str(kind), "Any")
    return f"{hint} | None" if nullable and hint not in ("Any", "None") else hint


def _literal(values: Any, kind: Any) -> str | None:
    """``Literal["a", "b"]`` for an inline enum of strings or integers that agree with the type; else None."""
    if not isinstance(values, list) or not values:
        return None
    members = [v for v in values if v is not None]
    if not members:
        return None
    if all(isinstance(v, str) for v in members) and kind in ("string", None, ["string"], ["string", "null"]):
        return "Literal[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in dict.fromkeys(members)) + "]"
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in members)
    if ints and kind in ("integer", "number", None):
        return "Literal[" + ", ".join(str(v) for v in dict.fromkeys(members)) + "]"
    return None
