"""What a parameter's value must satisfy: the one checker the client and the testing fake share.

The generator keeps each parameter's schema keywords (type, enum, bounds,
lengths, patterns with their ECMA-262 meaning, items) as JSON beside it. The
client checks the values a caller passes before anything is sent; the fake
decodes what arrived on the wire and checks it with these same functions, so
the two cannot disagree about what a parameter accepts. Messages never repeat
the value, which may be a secret.
"""

from __future__ import annotations

import enum
import json
import math
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import pydantic
from pydantic_core import ErrorDetails

from .errors import RequestValidationError

__all__ = ["check_params", "check_value", "load_schema", "schema_types"]

_BOUNDS = (
    ("minimum", 1, True, "greater than or equal to"),
    ("exclusiveMinimum", 1, False, "greater than"),
    ("maximum", -1, True, "less than or equal to"),
    ("exclusiveMaximum", -1, False, "less than"),
)


@cache
def _parsed(text: str) -> Any:
    return json.loads(text)


def load_schema(text: str) -> dict[str, Any]:
    """The schema keywords of a parameter, from the JSON the generator wrote ("{}": none)."""
    value = _parsed(text)
    return value if isinstance(value, dict) else {}


def schema_types(schema: Mapping[str, Any]) -> list[str]:
    kinds = schema.get("type")
    return [k for k in kinds if isinstance(k, str)] if isinstance(kinds, list) else []


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "array"
    return "object"


def check_value(value: object, schema: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(keyword, message) for each rule of ``schema`` that ``value`` breaks; [] when it holds."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, pydantic.BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    kinds = schema_types(schema)
    found = _json_type(value)
    if kinds and found not in kinds and not (found == "integer" and "number" in kinds):
        return [("type", f"Input should be a valid {' or '.join(kinds)}")]
    errors: list[tuple[str, str]] = []
    enum_values = schema.get("enum")
    if isinstance(enum_values, list) and not any(_same(value, m) for m in enum_values):
        errors.append(("enum", "Input should be one of: " + ", ".join(map(repr, enum_values))))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        errors.extend(_check_number(value, schema))
    elif isinstance(value, str):
        errors.extend(_check_string(value, schema))
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
        item_schema = schema.get("items")
        if isinstance(item_schema, dict):
            for index, item in enumerate(items):
                errors.extend((t, f"item {index}: {m}") for t, m in check_value(item, item_schema))
        errors.extend(_check_array(items, schema))
    elif isinstance(value, Mapping) and isinstance(schema.get("properties"), dict):
        for name, sub in schema["properties"].items():
            if value.get(name) is not None and isinstance(sub, dict):
                errors.extend((t, f"{name}: {m}") for t, m in check_value(value[name], sub))
    return errors


def check_params(
    operation_id: str,
    specs: Sequence[tuple[str, str, str]],
    values: Mapping[str, Mapping[str, object] | None],
) -> None:
    """Check the values a caller passed for each declared parameter before the request is built.

    ``specs`` holds ``(name, location, schema JSON)``; ``values`` the caller's
    values by location and wire name. Unset (None) values are not checked.
    Raises ``RequestValidationError`` naming every parameter that breaks its schema.
    """
    errors: list[ErrorDetails] = []
    for name, location, schema_text in specs:
        given = values.get(location) or {}
        value = given.get(name)
        if value is None or schema_text == "{}":
            continue
        for keyword, message in check_value(value, load_schema(schema_text)):
            errors.append(ErrorDetails(type=keyword, loc=(location, name), msg=message, input=None))
    if errors:
        raise RequestValidationError.from_errors(f"parameters for {operation_id}", errors)


def _check_string(value: str, schema: Mapping[str, Any]) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if "minLength" in schema and len(value) < schema["minLength"]:
        errors.append(
            ("minLength", f"String should have at least {schema['minLength']} characters")
        )
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        errors.append(("maxLength", f"String should have at most {schema['maxLength']} characters"))
    for pattern in schema.get("pattern", ()):
        if _compiled(pattern).search(value) is None:
            errors.append(("pattern", f"String should match pattern {pattern!r}"))
    return errors


def _check_number(value: float, schema: Mapping[str, Any]) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    for keyword, sign, inclusive, words in _BOUNDS:
        if keyword not in schema:
            continue
        margin = (value - schema[keyword]) * sign  # >= 0 on the allowed side
        if margin < 0 or (margin == 0 and not inclusive):
            errors.append((keyword, f"Input should be {words} {schema[keyword]}"))
    step = schema.get("multipleOf")
    if step and not math.isclose(value / step, round(value / step)):
        errors.append(("multipleOf", f"Input should be a multiple of {step}"))
    return errors


def _check_array(values: list[Any], schema: Mapping[str, Any]) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if "minItems" in schema and len(values) < schema["minItems"]:
        errors.append(("minItems", f"List should have at least {schema['minItems']} items"))
    if "maxItems" in schema and len(values) > schema["maxItems"]:
        errors.append(("maxItems", f"List should have at most {schema['maxItems']} items"))
    if schema.get("uniqueItems") and len({json.dumps(v, default=str) for v in values}) < len(
        values
    ):
        errors.append(("uniqueItems", "List items should be unique"))
    return errors


def _same(value: Any, member: Any) -> bool:
    if isinstance(value, bool) or isinstance(member, bool):
        return value is member
    return bool(value == member)


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
