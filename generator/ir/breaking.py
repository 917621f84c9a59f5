"""Breaking changes between two versions of a spec, judged on what the generated client exposes.

Like `buf breaking`: each rule has a stable id, and a change is breaking when
code written against the old client stops working (or type-checking) with
the new one. Additions are reported as notes, so a reviewer sees the whole
change to the public surface.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..models import ModelsModule
from . import nodes as ir


@dataclass(frozen=True, slots=True, order=True)
class Change:
    breaking: bool
    code: str
    subject: str
    message: str

    def render(self) -> str:
        kind = "BREAKING" if self.breaking else "note"
        return f"{kind}[{self.code}] {self.subject}: {self.message}"


def _operations(api: ir.Api) -> dict[str, tuple[ir.Tag, ir.Operation]]:
    return {op.operation_id: (tag, op) for tag in api.tags for op in tag.operations}


def _params(op: ir.Operation) -> dict[str, ir.Param]:
    params = op.path_params + op.query_params + op.header_params + op.cookie_params
    return {p.python_name: p for p in params + tuple(p for v in op.variants for p in v.extra_params)}


def _compare_operation(old: ir.Operation, new: ir.Operation, subject: str) -> Iterator[Change]:
    if (old.method, old.path) != (new.method, new.path):
        yield Change(True, "operation-moved", subject, f"{old.method} {old.path} → {new.method} {new.path}")
    if old.python_name != new.python_name:
        yield Change(True, "operation-renamed", subject, f"method {old.python_name}() is now {new.python_name}()")
    old_positional = [p.python_name for p in old.path_params if p.positional]
    new_positional = [p.python_name for p in new.path_params if p.positional]
    if old_positional != new_positional:
        yield Change(
            True,
            "positional-parameters-changed",
            subject,
            f"positional arguments ({', '.join(old_positional) or 'none'}) are now "
            f"({', '.join(new_positional) or 'none'}); calls passing them by position would send other ids",
        )
    old_params, new_params = _params(old), _params(new)
    for name in sorted(old_params.keys() - new_params.keys()):
        yield Change(True, "parameter-removed", subject, f"parameter {name!r} was removed")
    for name in sorted(new_params.keys() - old_params.keys()):
        required = new_params[name].required and new_params[name].location != "path"
        if new_params[name].location == "path" or required:
            yield Change(True, "required-parameter-added", subject, f"new required parameter {name!r}")
        else:
            yield Change(False, "parameter-added", subject, f"new optional parameter {name!r}")
    for name in sorted(old_params.keys() & new_params.keys()):
        before, after = old_params[name], new_params[name]
        if before.type_hint != after.type_hint:
            yield Change(
                True, "parameter-type-changed", subject, f"parameter {name!r}: {before.type_hint} → {after.type_hint}"
            )
        if not before.required and after.required:
            yield Change(True, "parameter-became-required", subject, f"parameter {name!r} is now required")
    if (old.body is None) != (new.body is None) or (old.body and new.body and old.body.type_hint != new.body.type_hint):
        was = old.body.type_hint if old.body else "no body"
        now = new.body.type_hint if new.body else "no body"
        yield Change(True, "body-changed", subject, f"request body {was} → {now}")
    if old.result_type != new.result_type:
        yield Change(True, "result-type-changed", subject, f"returns {old.result_type} → {new.result_type}")
    if new.deprecated and not old.deprecated:
        yield Change(False, "operation-deprecated", subject, "is now deprecated")


def _compare_models(old: ModelsModule, new: ModelsModule) -> Iterator[Change]:
    for name in sorted(old.classes.keys() - new.classes.keys()):
        yield Change(True, "model-removed", f"models.{name}", "class was removed")
    for name in sorted(new.classes.keys() - old.classes.keys()):
        yield Change(False, "model-added", f"models.{name}", "new class")
    for name in sorted(old.classes.keys() & new.classes.keys()):
        before = {f.python_name: f for f in old.classes[name].fields}
        after = {f.python_name: f for f in new.classes[name].fields}
        for field in sorted(before.keys() - after.keys()):
            yield Change(True, "field-removed", f"models.{name}.{field}", "field was removed")
        for field in sorted(after.keys() - before.keys()):
            yield Change(False, "field-added", f"models.{name}.{field}", f"new field: {after[field].annotation}")
        for field in sorted(before.keys() & after.keys()):
            if before[field].annotation != after[field].annotation:
                yield Change(
                    True,
                    "field-type-changed",
                    f"models.{name}.{field}",
                    f"{before[field].annotation} → {after[field].annotation}",
                )
            if before[field].wire_name != after[field].wire_name:
                yield Change(
                    True,
                    "field-wire-name-changed",
                    f"models.{name}.{field}",
                    f"{before[field].wire_name!r} → {after[field].wire_name!r}",
                )


def compare(old_api: ir.Api, old_models: ModelsModule, new_api: ir.Api, new_models: ModelsModule) -> list[Change]:
    """Every change to the client's public surface, breaking ones first."""
    changes: list[Change] = []
    old_ops, new_ops = _operations(old_api), _operations(new_api)
    for op_id in sorted(old_ops.keys() - new_ops.keys()):
        changes.append(Change(True, "operation-removed", op_id, f"{old_ops[op_id][1].python_name}() was removed"))
    for op_id in sorted(new_ops.keys() - old_ops.keys()):
        changes.append(Change(False, "operation-added", op_id, f"new method {new_ops[op_id][1].python_name}()"))
    for op_id in sorted(old_ops.keys() & new_ops.keys()):
        (old_tag, old_op), (new_tag, new_op) = old_ops[op_id], new_ops[op_id]
        if old_tag.attribute != new_tag.attribute:
            changes.append(
                Change(True, "operation-moved-tag", op_id, f"client.{old_tag.attribute} → client.{new_tag.attribute}")
            )
        changes.extend(_compare_operation(old_op, new_op, op_id))
    changes.extend(_compare_models(old_models, new_models))
    if old_api.package != new_api.package:
        changes.append(Change(True, "package-renamed", "package", f"{old_api.package} → {new_api.package}"))
    return sorted(changes, key=lambda c: (not c.breaking, c.code, c.subject))
