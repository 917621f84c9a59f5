"""Hypothesis strategies that draw JSON instances from a JSON Schema (the subset the specs use).

Written here rather than taken from hypothesis-jsonschema, whose last release
no longer runs on current hypothesis. It covers: ``type`` (one or a list),
``enum``, ``const``, objects (``properties``, ``required``,
``additionalProperties``, ``minProperties``), arrays (``items``, ``minItems``,
``maxItems``, ``uniqueItems``), strings (``minLength``, ``maxLength``,
``pattern`` in Python's dialect, the formats the specs use), numbers (bounds,
exclusive bounds, ``multipleOf``), ``oneOf``/``anyOf`` (one branch),
``allOf`` of objects (merged), ``$ref`` into ``$defs`` and the ``false`` schema.

It draws mostly valid instances, not only valid ones: a pattern and a length
together, or a ``oneOf`` whose branches overlap, can miss. Callers keep only
what the independent validator accepts, so a miss costs an example, never a
wrong verdict.
"""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

from generator.models import patterns

_FORMAT_STRINGS = {
    "date-time": st.datetimes().map(lambda d: d.isoformat(timespec="microseconds") + "Z"),
    "date": st.dates().map(lambda d: d.isoformat()),
    "time": st.times().map(lambda t: t.isoformat() + "Z"),
    "uuid": st.uuids().map(str),
    "byte": st.binary(max_size=12).map(lambda b: __import__("base64").b64encode(b).decode()),
    "email": st.from_regex(r"\A[a-z]{1,8}@[a-z]{1,8}\.[a-z]{2,3}\Z"),
    "uri": st.from_regex(r"\Ahttps://[a-zA-Z]{1,8}\.[a-z]{2,3}(/[a-z0-9]{0,6})?\Z"),
    "password": st.text(min_size=8, max_size=16),
}
_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_NAMES = st.text(alphabet=string.ascii_letters, min_size=1, max_size=6)
_JSON_SCALARS = st.none() | st.booleans() | st.integers(-1000, 1000) | _TEXT


def from_schema(schema: Any, defs: dict[str, Any] | None = None, depth: int = 0) -> st.SearchStrategy[Any]:
    """Instances of ``schema``; ``defs`` resolves ``#/$defs/<name>`` refs."""
    defs = defs if defs is not None else (schema.get("$defs", {}) if isinstance(schema, dict) else {})
    if schema is True or schema == {}:
        return _any_json(depth)
    if schema is False:
        return st.nothing()
    if "$ref" in schema:
        if depth > 4:
            return st.nothing()
        return st.deferred(lambda: from_schema(defs[schema["$ref"].rsplit("/", 1)[1]], defs, depth + 1))
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "allOf" in schema:
        return from_schema(_merge(schema, defs), defs, depth)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            rest = {k: v for k, v in schema.items() if k != key}
            return st.one_of(
                [from_schema({**rest, **_resolve(b, defs)} if rest else b, defs, depth + 1) for b in schema[key]]
            )
    kinds = schema.get("type")
    if isinstance(kinds, list):
        return st.one_of([from_schema({**schema, "type": kind}, defs, depth) for kind in kinds])
    if kinds is None:
        kinds = "object" if "properties" in schema else "string" if "pattern" in schema else None
    if kinds is None:
        return _any_json(depth)
    return _BY_TYPE[kinds](schema, defs, depth)


def _resolve(schema: Any, defs: dict[str, Any]) -> Any:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _merge(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """One object schema from ``schema`` and its ``allOf`` parts (nested ones too)."""
    parts = [{k: v for k, v in schema.items() if k != "allOf"}]
    for part in schema["allOf"]:
        part = _resolve(part, defs)
        parts.append(_merge(part, defs) if "allOf" in part else part)
    merged: dict[str, Any] = {"properties": {}, "required": []}
    for part in parts:
        for key, value in part.items():
            if key == "properties":
                for name, prop in value.items():
                    known = merged["properties"].get(name)
                    merged["properties"][name] = prop if known is None else {"allOf": [known, prop]}
            elif key == "required":
                merged["required"] += [r for r in value if r not in merged["required"]]
            else:
                merged[key] = value
    return merged


def _any_json(depth: int) -> st.SearchStrategy[Any]:
    if depth > 2:
        return _JSON_SCALARS
    return st.recursive(
        _JSON_SCALARS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_NAMES, inner, max_size=3),
        max_leaves=4,
    )


def _string(schema: dict[str, Any], defs: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if "pattern" in schema:
        # Candidates only: the ECMA validator judges them (the spec's dialect is JavaScript's).
        base: st.SearchStrategy[str] = st.from_regex(patterns.python_compatible(schema["pattern"]))
    elif schema.get("format") in _FORMAT_STRINGS:
        base = _FORMAT_STRINGS[schema["format"]]
    else:
        return st.text(
            alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
            min_size=low,
            max_size=high if high is not None else max(low, 12),
        )
    return base.filter(lambda s: low <= len(s) and (high is None or len(s) <= high))


def _number(schema: dict[str, Any], defs: dict[str, Any], depth: int, *, integer: bool) -> st.SearchStrategy[Any]:
    low, high = schema.get("minimum"), schema.get("maximum")
    xlow, xhigh = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if integer:
        lo = (
            None
            if low is None and xlow is None
            else int(max(v for v in (low, None if xlow is None else xlow + 1) if v is not None))
        )
        hi = (
            None
            if high is None and xhigh is None
            else int(min(v for v in (high, None if xhigh is None else xhigh - 1) if v is not None))
        )
        ints = st.integers(min_value=lo, max_value=hi)
        step = schema.get("multipleOf")
        return ints.filter(lambda n: n % step == 0) if step else ints
    floats = st.floats(
        min_value=low if low is not None else xlow,
        max_value=high if high is not None else xhigh,
        exclude_min=xlow is not None and low is None,
        exclude_max=xhigh is not None and high is None,
        allow_nan=False,
        allow_infinity=False,
    )
    return st.one_of(_number(schema, defs, depth, integer=True), floats)


def _object(schema: dict[str, Any], defs: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
    properties: dict[str, Any] = schema.get("properties", {})
    required = [name for name in schema.get("required", []) if name in properties]
    optional = [name for name in properties if name not in required]
    extra = schema.get("additionalProperties", True)
    low = schema.get("minProperties", 0)
    strategies = {name: from_schema(sub, defs, depth + 1) for name, sub in properties.items()}

    @st.composite
    def build(draw: Any) -> dict[str, Any]:
        chosen = required + [n for n in optional if not strategies[n].is_empty and draw(st.booleans())]
        result = {name: draw(strategies[name]) for name in chosen}
        if extra is not False and depth < 3 and (draw(st.booleans()) or len(result) < low):
            for name in draw(st.lists(_NAMES.filter(lambda n: n not in properties), max_size=2, unique=True)):
                result[name] = draw(_any_json(depth + 1) if extra is True else from_schema(extra, defs, depth + 1))
        return result

    return build()


def _array(schema: dict[str, Any], defs: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
    items = from_schema(schema.get("items", True), defs, depth + 1)
    if items.is_empty:  # recursion cut: only the empty array is left
        return st.just([]) if schema.get("minItems", 0) == 0 else st.nothing()
    low, high = schema.get("minItems", 0), schema.get("maxItems", min(schema.get("minItems", 0) + 3, 5))
    if schema.get("uniqueItems"):
        import json

        return st.lists(items, min_size=low, max_size=high, unique_by=lambda v: json.dumps(v, sort_keys=True))
    return st.lists(items, min_size=low, max_size=high)


_BY_TYPE: dict[str, Any] = {
    "string": _string,
    "integer": lambda s, d, depth: _number(s, d, depth, integer=True),
    "number": lambda s, d, depth: _number(s, d, depth, integer=False),
    "boolean": lambda s, d, depth: st.booleans(),
    "null": lambda s, d, depth: st.none(),
    "object": _object,
    "array": _array,
}
