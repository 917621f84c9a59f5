"""Changes to the models (classes, type aliases, fields, enum values), judged by the way their values travel.

A model's scopes come from the operations of either version: ``request`` for
what a request body reaches (its class, then the types of its fields and its
bases, transitively), ``parameter`` for an enum a parameter takes,
``response`` for what a success response reaches. A change is reported once
per scope with that scope's rule id; a model no operation reaches is judged
under ``model`` ids, as if its values went both ways.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from ..ir import nodes as ir
from ..models import FieldKeyword, ModelClass, ModelField, ModelsModule
from .rules import Change, Scope, limit_rule, property_rule
from .types import LIMITS, Types, Verdict, is_array, judge, limit_change, limits, without_missing

_SCOPE_ORDER: tuple[Scope, ...] = ("request", "parameter", "response", "model")
_VERDICT_WORDS: dict[Verdict, str] = {
    "compatible": "the same values",
    "narrowed": "narrowed: fewer values are valid",
    "widened": "widened: more values are possible",
    "changed": "neither narrower nor wider",
    "became-nullable": "now also None",
    "became-not-nullable": "no longer None",
}
Fields = dict[str, tuple[ModelField, tuple[FieldKeyword, ...]]]


def scopes(api: ir.Api, models: ModelsModule) -> dict[str, set[Scope]]:
    """The scopes of every model an operation reaches."""
    surface = {**models.aliases, **models.classes}
    roots: dict[Scope, set[str]] = {"request": set(), "parameter": set(), "response": set()}
    for tag in api.tags:
        for op in tag.operations:
            params = op.path_params + op.query_params + op.header_params + op.cookie_params
            for param in params + tuple(p for v in op.variants for p in v.extra_params):
                roots["parameter"] |= names(param.type_hint)
            if op.body is not None:
                roots["request"] |= names(op.body.type_hint) | ({op.body.model} if op.body.model else set())
            for case in op.responses:
                roots["response"] |= names(case.result_type) | ({case.model} if case.model else set())
            roots["response"] |= names(op.result_type)
    found: dict[str, set[Scope]] = {}
    for scope, starts in roots.items():
        for name in _closure(starts, surface):
            found.setdefault(name, set()).add(scope)
    return found


def names(annotation: str) -> set[str]:
    """The names a type mentions (quoted forward references too), not the values of a ``Literal``."""
    try:
        tree = ast.parse(annotation, mode="eval").body
    except SyntaxError:
        return set()
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Literal":
            return
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
            found.add(node.value)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _closure(starts: Iterable[str], surface: dict[str, ModelClass]) -> set[str]:
    seen: set[str] = set()
    todo = [n for n in starts if n in surface]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        model = surface[name]
        for text in (*(f.annotation for f in model.fields), *model.bases):
            todo.extend(n for n in names(text) if n in surface and n not in seen)
    return seen


def compare_models(old_api: ir.Api, old: ModelsModule, new_api: ir.Api, new: ModelsModule) -> Iterator[Change]:
    old_surface, new_surface = {**old.aliases, **old.classes}, {**new.aliases, **new.classes}
    # A private class (an envelope the client unwraps, ``_GetJobResponse``) is no caller's name: what
    # it holds reaches callers through the operations' result types, compared there.
    old_public, new_public = _public(old_surface), _public(new_surface)
    renamed = _renames(
        {n: _shape(old_surface[n], n in old.aliases) for n in old_public - new_public},
        {n: _shape(new_surface[n], n in new.aliases) for n in new_public - old_public},
    )
    for old_name, new_name in sorted(renamed.items()):
        yield Change(code="model-renamed", subject=f"models.{old_name}", message=f"renamed {old_name} → {new_name}")
    for name in sorted(old_public - new_public - renamed.keys()):
        yield Change(
            code="model-removed",
            subject=f"models.{name}",
            message=f"{_kind(old_surface[name], name in old.aliases)} was removed",
        )
    for name in sorted(new_public - old_public - set(renamed.values())):
        yield Change(
            code="model-added", subject=f"models.{name}", message=f"new {_kind(new_surface[name], name in new.aliases)}"
        )
    old_scopes, new_scopes = scopes(old_api, old), scopes(new_api, new)
    old_types, new_types = Types.of(old), Types.of(new)
    for name in sorted(old_public & new_public):
        before, after = old_surface[name], new_surface[name]
        was, now = _kind(before, name in old.aliases), _kind(after, name in new.aliases)
        if was != now:
            yield Change(code="model-kind-changed", subject=f"models.{name}", message=f"{was} → {now}")
            continue
        used = old_scopes.get(name, set()) | new_scopes.get(name, set())
        where = [s for s in _SCOPE_ORDER if s in used] or ["model"]
        if before.kind == "enum":
            yield from _compare_values(name, before.values, after.values, where)
            continue
        fields = _Fields(_fields(name, old_surface), _fields(name, new_surface), old_types, new_types)
        yield from dict.fromkeys(fields.compare(f"models.{name}", where))


def _shape(model: ModelClass, alias: bool) -> tuple[object, ...]:
    """What a caller can tell of a model apart from its name (the schema pointer follows the name)."""
    return (alias, model.kind, model.fields, model.values, model.bases, model.keywords)


def _renames(removed: dict[str, tuple[object, ...]], added: dict[str, tuple[object, ...]]) -> dict[str, str]:
    """Removed names whose shape exactly one added name has, and no other removed name: a rename, old → new.

    A shape without fields or values (an empty model) says too little to be recognised.
    """
    pairs = {}
    for old, shape in removed.items():
        if not (shape[2] or shape[3]):
            continue
        same = [new for new, other in added.items() if other == shape]
        if len(same) == 1 and sum(other == shape for other in removed.values()) == 1:
            pairs[old] = same[0]
    return pairs


def _public(surface: dict[str, ModelClass]) -> set[str]:
    return {name for name in surface if not name.startswith("_")}


def _kind(model: ModelClass, alias: bool) -> str:
    kind = {"model": "model", "root": "root model", "enum": "enum"}[model.kind]
    return f"type alias ({kind})" if alias else f"{kind} class"


def _compare_values(name: str, before: tuple[str, ...], after: tuple[str, ...], where: list[Scope]) -> Iterator[Change]:
    subject = f"models.{name}"
    for value in (v for v in before if v not in after):
        for scope in where:
            yield Change(
                code=property_rule("enum-value-removed", scope), subject=subject, message=f"value {value} was removed"
            )
    for value in (v for v in after if v not in before):
        for scope in where:
            yield Change(code=property_rule("enum-value-added", scope), subject=subject, message=f"new value {value}")


def _fields(name: str, surface: dict[str, ModelClass], seen: frozenset[str] = frozenset()) -> Fields:
    """The fields of a model with those it inherits from the models it derives from."""
    model = surface[name]
    found: Fields = {}
    for base in model.bases:
        if base in surface and surface[base].kind == "model" and base not in seen:
            found.update(_fields(base, surface, seen | {name}))
    for f in model.fields:
        found[f.python_name] = (f, tuple(k for k in model.keywords if k.field == f.python_name))
    return found


class _Fields:
    """The fields of one model in both versions, and the types to judge them by."""

    def __init__(self, before: Fields, after: Fields, old_types: Types, new_types: Types) -> None:
        self.before, self.after = before, after
        self.old_types, self.new_types = old_types, new_types

    def compare(self, model: str, where: list[Scope]) -> Iterator[Change]:
        for name in sorted(self.before.keys() - self.after.keys()):
            event = "removed" if self.before[name][0].required else "removed-optional"
            for scope in where:
                yield Change(code=property_rule(event, scope), subject=f"{model}.{name}", message="field was removed")
        for name in sorted(self.after.keys() - self.before.keys()):
            field = self.after[name][0]
            event = "added-required" if field.required else "added-optional"
            what = "new required field" if field.required else "new field"
            for scope in where:
                yield Change(
                    code=property_rule(event, scope), subject=f"{model}.{name}", message=f"{what}: {field.annotation}"
                )
        for name in sorted(self.before.keys() & self.after.keys()):
            yield from self._compare_field(f"{model}.{name}", name, where)

    def _compare_field(self, subject: str, name: str, where: list[Scope]) -> Iterator[Change]:
        (before, old_keywords), (after, new_keywords) = self.before[name], self.after[name]
        if before.wire_name != after.wire_name:
            yield Change(
                code="field-wire-name-changed", subject=subject, message=f"{before.wire_name!r} → {after.wire_name!r}"
            )
        if before.required != after.required:
            event, what = ("became-required", "is now required") if after.required else ("became-optional", "")
            for scope in where:
                yield Change(
                    code=property_rule(event, scope),
                    subject=subject,
                    message=what or "is now optional (may be MISSING)",
                )
        old_type, new_type = without_missing(before.annotation), without_missing(after.annotation)
        if old_type != new_type:
            verdict = judge(
                old_type, new_type, self.old_types, self.new_types, limits(old_keywords), limits(new_keywords)
            )
            message = f"{before.annotation} → {after.annotation} ({_VERDICT_WORDS[verdict or 'compatible']})"
            for scope in where:
                yield Change(code=property_rule(verdict or "compatible", scope), subject=subject, message=message)
        else:
            yield from _limit_changes(subject, old_keywords, new_keywords, where, array=is_array(new_type))
        was = any(k.keyword == "deprecated" and k.value == "true" for k in old_keywords)
        now = any(k.keyword == "deprecated" and k.value == "true" for k in new_keywords)
        if was != now:
            for scope in where:
                what = "is now deprecated" if now else "is no longer deprecated"
                yield Change(
                    code=property_rule("deprecated" if now else "reactivated", scope), subject=subject, message=what
                )


def _limit_changes(
    subject: str,
    old_keywords: tuple[FieldKeyword, ...],
    new_keywords: tuple[FieldKeyword, ...],
    where: list[Scope],
    *,
    array: bool,
) -> Iterator[Change]:
    before = {k.keyword: k.value for k in old_keywords if k.keyword in LIMITS}
    after = {k.keyword: k.value for k in new_keywords if k.keyword in LIMITS}
    for keyword in sorted(before.keys() | after.keys()):
        change = limit_change(keyword, before.get(keyword), after.get(keyword))
        if change is None:
            continue
        message = f"{keyword}: {before.get(keyword, 'none')} → {after.get(keyword, 'none')}"
        for scope in where:
            yield Change(code=limit_rule(keyword, change, scope, array=array), subject=subject, message=message)
