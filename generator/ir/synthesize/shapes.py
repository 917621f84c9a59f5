"""Objects and arrays a schema allows, built property by property and item by item."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from .facts import _ENUM_TRIES, Result, _has_own_value, _Merged


class _Builds(Protocol):
    """What of the builder these need: the dialect and building a sub-schema."""

    openapi30: bool

    def build(self, schema: Any, via: str | None = None) -> Result: ...

    def _values(self, schema: Any, via: str | None, limit: int) -> list[Any]: ...


_FAIL: Result = (False, None)


def object_value(synth: _Builds, merged: _Merged) -> Result:
    """Required properties, optional ones with their own example or default, up to minProperties."""
    result: dict[str, Any] = {}
    names = list(merged.properties) + [n for n in merged.required if n not in merged.properties]
    optional: list[str] = []
    for name in names:
        schemas = merged.properties.get(name, [])
        if name not in merged.required and not any(_has_own_value(s, synth.openapi30) for s in schemas):
            optional.append(name)
            continue
        ok, value = synth.build(merged.property_schema(name))
        if ok:
            result[name] = value
        elif name in merged.required:
            return _FAIL
    for name in optional:
        if len(result) >= merged.min_properties:
            break
        ok, value = synth.build(merged.property_schema(name))
        if ok:
            result[name] = value
    if len(result) < merged.min_properties and not any(s is False for s in merged.additional):
        extra = next((s for s in merged.additional if isinstance(s, dict)), {})
        ok, value = synth.build(extra)
        number = 1
        while ok and len(result) < merged.min_properties:
            if f"key{number}" not in result:
                result[f"key{number}"] = value
            number += 1
    if len(result) < merged.min_properties or len(result) > merged.max_properties:
        return _FAIL
    return True, result


def array_value(synth: _Builds, merged: _Merged) -> Result:
    """minItems items (at least one), prefix items first, unique when the schema says so."""
    if merged.max_items < merged.min_items:
        return _FAIL
    want = int(min(max(merged.min_items, 1), merged.max_items))
    result: list[Any] = []
    for prefix in merged.prefix_items[:want]:
        ok, value = synth.build(prefix)
        if not ok:
            break
        result.append(value)
    item = merged.item_schema()
    if merged.prefix_items and (len(result) < len(merged.prefix_items[:want]) or item is None):
        item = False  # a missing prefix item, or none beyond them: stop here
    elif item is None and merged.min_items == 0:
        item = False  # an array of anything: the empty one
    if len(result) < want and item is not False:
        item = {} if item is None else item
        if merged.unique and want - len(result) > 1:
            values = synth._values(item, None, _ENUM_TRIES)
            result += list(_unique(values, want - len(result), result))
        else:
            ok, value = synth.build(item)
            if ok:
                result += [value] * (want - len(result))
    return (True, result) if len(result) >= merged.min_items else _FAIL


def _unique(values: list[Any], count: int, taken: list[Any]) -> Iterator[Any]:
    """Up to ``count`` of ``values`` unlike each other and those ``taken`` (as JSON sees them)."""
    chosen = list(taken)
    for value in values:
        if len(chosen) - len(taken) >= count:
            return
        if any(value == other and type(value) is type(other) for other in chosen):
            continue
        chosen.append(value)
        yield value
