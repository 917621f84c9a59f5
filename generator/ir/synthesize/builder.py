"""The builder: one per document, a validator and the memo of what each referenced schema builds to."""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ...memo import ByIdentity
from ...openapi.formats import format_checker
from ...openapi.toolkit import as_dict, as_list, ref_name, resolve
from .facts import (
    _ANNOTATIONS,
    _DEPTH,
    _ENUM_TRIES,
    _FAIL,
    _URI,
    Result,
    _inferred,
    _Merged,
    _numbers,
    _own_values,
    _strings,
)
from .patterns import _checked_pattern
from .shapes import array_value, object_value

# --- the builder -----------------------------------------------------------------------------------


class _Synthesizer:
    def __init__(self, document: dict[str, Any], openapi30: bool) -> None:
        import jsonschema  # type: ignore[import-untyped, unused-ignore]
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4, DRAFT202012

        self.document = document
        self.openapi30 = openapi30
        self.lock = threading.Lock()
        spec = DRAFT4 if openapi30 else DRAFT202012
        registry: Registry[Any] = Registry().with_resource(_URI, Resource.from_contents(document, spec))
        base = jsonschema.Draft4Validator if openapi30 else jsonschema.Draft202012Validator
        cls = jsonschema.validators.extend(base, {"pattern": _checked_pattern})
        # Refs in the schemas checked (`#/components/...`) resolve against the document.
        # The formats the client checks by shape are checked here too: an answer it would refuse is no answer.
        self._validator = cls(
            {}, registry=registry, _resolver=registry.resolver(base_uri=_URI), format_checker=format_checker()
        )
        self._validators: ByIdentity[Any] = ByIdentity()
        self._memo: dict[str, Result] = {}  # by $ref: what the schema it names builds to
        self._stack: list[int] = []  # ids of the schemas entered through a $ref, outermost first
        self._low = math.inf  # the outermost stack entry a recursion was cut at, below the current one

    # -- validation --

    def valid(self, value: Any, schema: Any) -> bool:
        validator = self._validators.get(schema, lambda: self._validator.evolve(schema=schema))
        try:
            if not self.openapi30:
                return bool(validator.is_valid(value))
            for error in validator.iter_errors(value):
                if error.instance is None and as_dict(error.schema).get("nullable") is True:
                    continue
                return False
            return True
        except Exception:  # an unresolvable ref, a pattern Python cannot compile: no value is known good
            return False

    # -- refs and recursion --

    def _enter(self, ref: str) -> Any:
        """The schema ``ref`` names, pushed on the stack; None when it dangles or the path recurses."""
        target = resolve(self.document, ref)
        if target is None:
            return None
        if id(target) in self._stack:
            self._low = min(self._low, self._stack.index(id(target)))
            return None
        if len(self._stack) >= _DEPTH:
            self._low = -1
            return None
        self._stack.append(id(target))
        return target

    @contextmanager
    def _entered(self, refs: list[str]) -> Iterator[list[Any] | None]:
        """The schemas ``refs`` name, on the stack for the block; None when one dangles or recurses."""
        saved, self._low = self._low, math.inf
        base = len(self._stack)
        targets: list[Any] = []
        for ref in refs:
            target = self._enter(ref)
            if target is None:
                break
            targets.append(target)
        try:
            yield targets if len(targets) == len(refs) else None
        finally:
            del self._stack[base:]
            low, self._low = self._low, saved
            if low < base:  # the block met a cut outside it: what it built depends on the path
                self._low = min(saved, low)

    def _follow(self, ref: str) -> Result:
        if ref in self._memo:
            return self._memo[ref]
        base = len(self._stack)
        with self._entered([ref]) as targets:
            if targets is None:
                return _FAIL
            values = self._values(targets[0], ref, 1)
            result = (True, values[0]) if values else _FAIL
            if self._low >= base:  # no cut outside this schema: its value does not depend on the path to it
                self._memo[ref] = result
        return result

    # -- values --

    def build(self, schema: Any, via: str | None = None) -> Result:
        values = self._values(schema, via, 1)
        return (True, values[0]) if values else _FAIL

    def _values(self, schema: Any, via: str | None, limit: int) -> list[Any]:
        """Up to ``limit`` values valid against ``schema``, best first."""
        if schema is True:
            schema = {}
        if not isinstance(schema, dict):
            return []
        ref = schema.get("$ref")
        if isinstance(ref, str) and (self.openapi30 or not any(_counts(k) for k in schema if k != "$ref")):
            if limit == 1:
                ok, value = self._follow(ref)
                return [value] if ok else []
            with self._entered([ref]) as targets:
                return [] if targets is None else self._values(targets[0], ref, limit)
        found: list[Any] = []
        for value in _own_values(schema, self.openapi30):
            if len(found) >= limit:
                return found
            if self.valid(value, schema):
                found.append(value)
        return found + self._composed(schema, via, limit - len(found)) if len(found) < limit else found

    def _facets(self, schema: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]] | None:
        """The schema and its ``allOf`` members (refs followed) without ``allOf``; the refs; None if unsatisfiable."""
        facets: list[dict[str, Any]] = []
        refs: list[str] = []
        seen: set[int] = set()

        def add(node: Any) -> bool:
            if node is True:
                return True
            if not isinstance(node, dict):
                return False
            if id(node) in seen:
                return True
            seen.add(id(node))
            ref = node.get("$ref")
            if isinstance(ref, str):
                target = resolve(self.document, ref)
                if target is None:
                    return False
                if id(target) not in seen:  # a diamond reaches a schema twice: it is entered once
                    refs.append(ref)
                if not add(target):
                    return False
                if self.openapi30:
                    return True
            facets.append({k: v for k, v in node.items() if k not in ("allOf", "$ref")})
            return all(add(member) for member in as_list(node.get("allOf")))

        return (facets, refs) if add(schema) else None

    def _composed(self, schema: dict[str, Any], via: str | None, limit: int) -> list[Any]:
        found = self._facets(schema)
        if found is None:
            return []
        facets, refs = found
        with self._entered(refs) as targets:
            if targets is None:
                return []
            for index, facet in enumerate(facets):
                for key in ("oneOf", "anyOf"):
                    branches = as_list(facet.get(key))
                    if branches:
                        rest = {k: v for k, v in facet.items() if k != key}
                        others = [*facets[:index], rest, *facets[index + 1 :]]
                        return self._branches(schema, others, branches, facet.get("discriminator"), via, limit)
            merged = _Merged(facets, self.openapi30)
            if merged.kinds is not None:
                kinds = merged.kinds
            else:
                kinds = _inferred({key: True for facet in facets for key in facet})
            named = [*([via] if via else []), *refs]
            values: list[Any] = []
            # The members' own values first (an `allOf: [$ref: AnEnum]` wrapper); with an enum or a const
            # among them no other value can do.
            closed = any("enum" in facet or "const" in facet for facet in facets)
            for facet in facets:
                if facet.keys() & _ANNOTATIONS:
                    for value in _own_values(facet, self.openapi30):
                        if value not in values and self.valid(value, schema):
                            values.append(value)
                        if len(values) >= limit:
                            return values
            for kind in [] if closed else kinds:
                for tried, value in enumerate(self._typed(kind, merged)):  # a number of candidates of each type
                    for candidate in self._discriminated(value, facets, named):
                        if self.valid(candidate, schema):
                            values.append(candidate)
                            break
                    if len(values) >= limit or tried > _ENUM_TRIES:
                        return values
            return values

    def _branches(
        self,
        schema: dict[str, Any],
        others: list[dict[str, Any]],
        branches: list[Any],
        discriminator: Any,
        via: str | None,
        limit: int,
    ) -> list[Any]:
        values: list[Any] = []
        prop = as_dict(discriminator).get("propertyName")
        for branch in branches:
            combined = {"allOf": [*others, branch]}
            ok, value = self.build(combined, via)
            if not ok:
                continue
            ref = branch.get("$ref") if isinstance(branch, dict) else None
            key = None
            if isinstance(prop, str) and isinstance(value, dict) and isinstance(ref, str):
                key = self._mapping_key(as_dict(discriminator), [ref]) or ref_name(ref)
            for candidate in self._branch_values(value, combined, prop, key):
                if self.valid(candidate, schema):
                    values.append(candidate)
                    break
            if len(values) >= limit:
                break
        return values

    def _branch_values(self, value: Any, combined: dict[str, Any], prop: Any, key: str | None) -> Iterator[Any]:
        """A branch's value as built, then with the discriminator, then leaner and richer (to match one branch only)."""
        stamped = (lambda v: {**v, prop: key}) if key is not None else (lambda v: v)
        if key is not None:
            yield stamped(value)
        yield value
        found = self._facets(combined) if isinstance(value, dict) else None
        if found is None:
            return
        merged = _Merged(found[0], self.openapi30)
        lean = {k: v for k, v in value.items() if k in merged.required or k == prop}
        if lean != value:
            yield stamped(lean)
        rich = dict(value)
        for name in merged.properties:
            if name not in rich:
                ok, extra = self.build(merged.property_schema(name))
                if ok:
                    rich[name] = extra
        if rich != value:
            yield stamped(rich)

    def _mapping_key(self, discriminator: dict[str, Any], refs: list[str]) -> str | None:
        """The discriminator mapping's key for the first of ``refs`` it names."""
        mapping = as_dict(discriminator.get("mapping"))
        for ref in refs:
            target = resolve(self.document, ref)
            for key, named in mapping.items():
                if not isinstance(named, str):
                    continue
                named_ref = named if named.startswith("#") else "#/components/schemas/" + named
                if named_ref == ref or (target is not None and resolve(self.document, named_ref) is target):
                    return str(key)
        return None

    def _discriminated(self, value: Any, facets: list[dict[str, Any]], refs: list[str]) -> list[Any]:
        """``value``, first with its discriminator property set to the name of the schema it was built for."""
        if not isinstance(value, dict):
            return [value]
        for facet in facets:
            discriminator = as_dict(facet.get("discriminator"))
            prop = discriminator.get("propertyName")
            if not isinstance(prop, str):
                continue
            key = self._mapping_key(discriminator, refs) or (ref_name(refs[0]) if refs else None)
            if key is not None and value.get(prop) != key:
                return [{**value, prop: key}, value]
        return [value]

    def _typed(self, kind: str, merged: _Merged) -> Iterator[Any]:
        if kind == "null":
            yield None
        elif kind == "boolean":
            yield from (True, False)
        elif kind in ("integer", "number"):
            yield from _numbers(merged, kind == "integer")
        elif kind == "string":
            yield from _strings(merged)
        elif kind == "array":
            ok, value = array_value(self, merged)
            if ok:
                yield value
        elif kind == "object":
            ok, value = object_value(self, merged)
            if ok:
                yield value


def _counts(key: str) -> bool:
    """Whether a keyword beside a 3.1 ``$ref`` constrains or names values (rather than documents)."""
    return key not in ("description", "title", "summary", "$comment", "deprecated", "readOnly", "writeOnly")
