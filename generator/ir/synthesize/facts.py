"""What a schema node says: its types, own values, merged keywords, and the numbers it allows."""

from __future__ import annotations

import importlib
import math
from collections.abc import Iterator
from typing import Any

from ...openapi.toolkit import as_dict, as_list
from .patterns import _pattern_strings, _search

_URI = "urn:openapi-client-gen:synthesize"
_DEPTH = 8  # $ref hops on one path before giving up on it
_ENUM_TRIES = 64  # enum members (or other candidates) tried at one node
_STRING_FORMATS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00Z",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "iri": "https://example.com",
    "uri-reference": "https://example.com",
    "iri-reference": "https://example.com",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "ZXhhbXBsZQ==",
    "duration": "P1D",
    "password": "password",
}
_KINDS = ("object", "string", "integer", "number", "boolean", "array", "null")
_OBJECT_KEYS = ("properties", "required", "additionalProperties", "patternProperties", "minProperties")
_ARRAY_KEYS = ("items", "prefixItems", "minItems", "maxItems", "uniqueItems")
_STRING_KEYS = ("pattern", "minLength", "maxLength", "format")
_NUMBER_KEYS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
_ANNOTATIONS = ("example", "examples", "default", "const", "enum")

Result = tuple[bool, Any]
_FAIL: Result = (False, None)

try:  # Python 3.11+; sre_parse before (and deprecated after)
    _sre: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - Python 3.10
    _sre = importlib.import_module("sre_parse")


# --- schema facts ----------------------------------------------------------------------------------


def _types(schema: dict[str, Any], openapi30: bool) -> list[str] | None:
    """The JSON types a schema allows, null last; None when it does not say."""
    declared = schema.get("type")
    if isinstance(declared, str):
        kinds = [declared]
    elif isinstance(declared, list):
        kinds = [k for k in declared if isinstance(k, str)]
    else:
        return ["null"] if openapi30 and schema.get("nullable") is True and "type" in schema else None
    if openapi30 and schema.get("nullable") is True:
        kinds.append("null")
    return [k for k in kinds if k != "null"] + (["null"] if "null" in kinds else [])


def _inferred(schema: dict[str, Any]) -> list[str]:
    """The types a schema without ``type`` most likely means, from its keywords; every type when none tell."""
    for kind, keys in (
        ("object", _OBJECT_KEYS),
        ("array", _ARRAY_KEYS),
        ("string", _STRING_KEYS),
        ("number", _NUMBER_KEYS),
    ):
        if any(key in schema for key in keys):
            return [kind, *(k for k in _KINDS if k != kind)]
    return list(_KINDS)


def _own_values(schema: Any, openapi30: bool) -> Iterator[Any]:
    """The values a schema names itself, in order of preference: examples, default, const, enum."""
    if not isinstance(schema, dict):
        return
    if not openapi30:
        yield from as_list(schema.get("examples"))
    if "example" in schema:
        yield schema["example"]
    if "default" in schema:
        yield schema["default"]
    if "const" in schema:
        yield schema["const"]
    yield from as_list(schema.get("enum"))[:_ENUM_TRIES]


def _has_own_value(schema: Any, openapi30: bool) -> bool:
    return isinstance(schema, dict) and (
        "example" in schema or "default" in schema or (not openapi30 and bool(as_list(schema.get("examples"))))
    )


def _number(value: Any) -> float | int | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


class _Merged:
    """The facets of a schema (it and its ``allOf`` members, refs followed) read as one."""

    def __init__(self, facets: list[dict[str, Any]], openapi30: bool) -> None:
        self.facets = facets
        self.kinds: list[str] | None = None
        self.properties: dict[str, list[Any]] = {}
        self.required: list[str] = []
        self.additional: list[Any] = []
        self.pattern_properties: list[tuple[str, Any]] = []
        self.items: list[Any] = []
        self.prefix_items: list[Any] = []
        self.patterns: list[str] = []
        self.format: str | None = None
        self.min_length: float = 0
        self.max_length: float = math.inf
        self.min_items: float = 0
        self.max_items: float = math.inf
        self.min_properties: float = 0
        self.max_properties: float = math.inf
        self.unique = False
        self.low: tuple[float, bool] | None = None  # (bound, exclusive)
        self.high: tuple[float, bool] | None = None
        self.multiples: list[float] = []
        for facet in facets:
            self._add(facet, openapi30)

    def _add(self, facet: dict[str, Any], openapi30: bool) -> None:
        kinds = _types(facet, openapi30)
        if kinds is not None:
            if self.kinds is None:
                self.kinds = kinds
            else:  # both must hold: the types they share (an integer is a number)
                shared = [k for k in self.kinds if k in kinds or (k == "integer" and "number" in kinds)]
                shared += [k for k in kinds if k == "integer" and "number" in self.kinds and k not in shared]
                self.kinds = shared
        for name, sub in as_dict(facet.get("properties")).items():
            self.properties.setdefault(name, []).append(sub)
        self.required += [n for n in as_list(facet.get("required")) if isinstance(n, str) and n not in self.required]
        if "additionalProperties" in facet:
            self.additional.append(facet["additionalProperties"])
        self.pattern_properties += [(p, s) for p, s in as_dict(facet.get("patternProperties")).items()]
        if isinstance(facet.get("items"), (dict, bool)):
            self.items.append(facet["items"])
        elif isinstance(facet.get("items"), list) and not self.prefix_items:  # draft 4 tuple form
            self.prefix_items = facet["items"]
        if isinstance(facet.get("prefixItems"), list) and not self.prefix_items:
            self.prefix_items = facet["prefixItems"]
        if isinstance(facet.get("pattern"), str):
            self.patterns.append(facet["pattern"])
        if isinstance(facet.get("format"), str) and self.format is None:
            self.format = facet["format"]
        self.min_length = max(self.min_length, _number(facet.get("minLength")) or 0)
        self.max_length = min(self.max_length, _number(facet.get("maxLength")) or math.inf)
        if _number(facet.get("maxLength")) == 0:
            self.max_length = 0
        self.min_items = max(self.min_items, _number(facet.get("minItems")) or 0)
        if _number(facet.get("maxItems")) is not None:
            self.max_items = min(self.max_items, facet["maxItems"])
        self.min_properties = max(self.min_properties, _number(facet.get("minProperties")) or 0)
        if _number(facet.get("maxProperties")) is not None:
            self.max_properties = min(self.max_properties, facet["maxProperties"])
        self.unique = self.unique or facet.get("uniqueItems") is True
        step = _number(facet.get("multipleOf"))
        if step is not None and step > 0:
            self.multiples.append(step)
        self._bounds(facet, openapi30)

    def _bounds(self, facet: dict[str, Any], openapi30: bool) -> None:
        low, high = _number(facet.get("minimum")), _number(facet.get("maximum"))
        ex_low, ex_high = facet.get("exclusiveMinimum"), facet.get("exclusiveMaximum")
        ex_low_value, ex_high_value = _number(ex_low), _number(ex_high)
        lows: list[tuple[float, bool]] = []
        highs: list[tuple[float, bool]] = []
        if low is not None:
            lows.append((low, ex_low is True))
        if high is not None:
            highs.append((high, ex_high is True))
        if not openapi30:  # 2020-12: the exclusive bounds are numbers of their own
            if ex_low_value is not None:
                lows.append((ex_low_value, True))
            if ex_high_value is not None:
                highs.append((ex_high_value, True))
        for bound in lows:
            if self.low is None or bound[0] > self.low[0] or (bound[0] == self.low[0] and bound[1]):
                self.low = bound
        for bound in highs:
            if self.high is None or bound[0] < self.high[0] or (bound[0] == self.high[0] and bound[1]):
                self.high = bound

    def property_schema(self, name: str) -> Any:
        """The schema a property's value must meet; ``{}`` when any value will do."""
        schemas = list(self.properties.get(name, []))
        if not schemas:
            schemas = [s for p, s in self.pattern_properties if _search(p, name)]
        if not schemas:
            schemas = [s for s in self.additional if isinstance(s, dict)]
        if not schemas:
            return {}
        return schemas[0] if len(schemas) == 1 else {"allOf": schemas}

    def item_schema(self) -> Any:
        if not self.items:
            return None
        return self.items[0] if len(self.items) == 1 else {"allOf": self.items}


def _numbers(merged: _Merged, integer: bool) -> Iterator[int | float]:
    """Numbers within the bounds and steps: 0 or 1 when allowed, else the smallest (or largest) allowed."""

    def fits(value: float) -> bool:
        if merged.low is not None and (value < merged.low[0] or (merged.low[1] and value == merged.low[0])):
            return False
        if merged.high is not None and (value > merged.high[0] or (merged.high[1] and value == merged.high[0])):
            return False
        if integer and not float(value).is_integer():
            return False
        return all(_multiple(value, step) for step in merged.multiples)

    step = merged.multiples[0] if merged.multiples else 1
    candidates: list[float] = [0, 1]
    if merged.low is not None:
        start = math.ceil(merged.low[0] / step) if math.isfinite(merged.low[0] / step) else 0
        candidates += [(start + i) * step for i in range(50)]
    if merged.high is not None:
        start = math.floor(merged.high[0] / step) if math.isfinite(merged.high[0] / step) else 0
        candidates += [(start - i) * step for i in range(50)]
    if not integer and merged.low is not None and merged.high is not None:
        candidates.append((merged.low[0] + merged.high[0]) / 2)
    candidates += [i * step for i in range(2, 50)] + [-i * step for i in range(1, 50)]  # for unique items
    seen: set[float] = set()
    for value in candidates:
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)
        if value in seen or not fits(value):
            continue
        seen.add(value)
        yield value


def _multiple(value: float, step: float) -> bool:
    """jsonschema's own ``multipleOf`` test."""
    if isinstance(step, float) or isinstance(value, float):
        quotient = value / step
        try:
            return int(quotient) == quotient
        except OverflowError:
            return False
    return value % step == 0


# --- strings ---------------------------------------------------------------------------------------


def _strings(merged: _Merged) -> Iterator[str]:
    low, high = merged.min_length, merged.max_length
    if merged.patterns:
        for text in _pattern_strings(merged.patterns[0], low, high):
            if all(_search(p, text) for p in merged.patterns[1:]):
                yield text
        return
    formatted = _STRING_FORMATS.get(merged.format or "")
    if formatted is not None and low <= len(formatted) <= high:
        yield formatted
    for base in ("string", "a"):
        text = base + "x" * max(0, int(low) - len(base))
        yield text[: int(high)] if high < len(text) else text
