"""Breaking changes between two versions of a spec, judged on what the generated client exposes.

Like `buf breaking`: each rule has a stable id (oasdiff's where oasdiff has
the rule, `breaking_rules.py`), and a change is breaking when code written
against the old client stops working (or type-checking) with the new one.
Types are judged in the direction their values travel (`breaking_types.py`):
narrowing what a request accepts breaks callers, widening what a response
holds breaks them too. Everything else is a note, so a reviewer sees the
whole change to the public surface, and the changes together give the
semantic-version bump the new client needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ..ir import nodes as ir
from ..models import ModelsModule
from .models import compare_models
from .rules import RULES, SEMVER_ORDER, Change, Rule, Semver
from .types import Types, Verdict, judge

__all__ = ["RULES", "Change", "Rule", "compare", "report", "semver"]

_PARAM_VERDICTS: dict[Verdict, str] = {
    "narrowed": "request-parameter-type-changed",
    "changed": "request-parameter-type-changed",
    "widened": "request-parameter-type-generalized",
    "compatible": "request-parameter-type-compatible",
    "became-nullable": "request-parameter-became-nullable",
    "became-not-nullable": "request-parameter-became-not-nullable",
}
_BODY_VERDICTS: dict[Verdict, str] = {
    "narrowed": "request-body-type-changed",
    "changed": "request-body-type-changed",
    "widened": "request-body-type-generalized",
    "compatible": "request-body-type-compatible",
    "became-nullable": "request-body-became-nullable",
    "became-not-nullable": "request-body-became-not-nullable",
}
_RESULT_VERDICTS: dict[Verdict, str] = {
    "narrowed": "response-body-type-specialized",
    "changed": "response-body-type-changed",
    "widened": "response-body-type-changed",
    "compatible": "response-body-type-compatible",
    "became-nullable": "response-body-became-nullable",
    "became-not-nullable": "response-body-became-not-nullable",
}
_WORDS: dict[Verdict, str] = {
    "narrowed": "narrowed",
    "changed": "replaced",
    "widened": "widened",
    "compatible": "same values",
    "became-nullable": "now also None",
    "became-not-nullable": "no longer None",
}


def _operations(api: ir.Api) -> dict[str, tuple[ir.Tag, ir.Operation]]:
    return {op.operation_id: (tag, op) for tag in api.tags for op in tag.operations}


def _params(op: ir.Operation) -> dict[str, ir.Param]:
    params = op.path_params + op.query_params + op.header_params + op.cookie_params
    return {p.python_name: p for p in params + tuple(p for v in op.variants for p in v.extra_params)}


class _Operation:
    """One operation in both versions, and the types of each version's models."""

    def __init__(self, old: ir.Operation, new: ir.Operation, old_types: Types, new_types: Types) -> None:
        self.old, self.new = old, new
        self.old_types, self.new_types = old_types, new_types
        self.subject = old.operation_id

    def _judge(self, before: str, after: str) -> Verdict | None:
        return judge(before, after, self.old_types, self.new_types)

    def compare(self) -> Iterator[Change]:
        old, new, subject = self.old, self.new, self.subject
        if (old.method, old.path) != (new.method, new.path):
            yield Change(
                code="operation-moved", subject=subject, message=f"{old.method} {old.path} → {new.method} {new.path}"
            )
        if old.python_name != new.python_name:
            yield Change(
                code="operation-renamed",
                subject=subject,
                message=f"method {old.python_name}() is now {new.python_name}()",
            )
        old_positional = [p.python_name for p in old.path_params if p.positional]
        new_positional = [p.python_name for p in new.path_params if p.positional]
        if old_positional != new_positional:
            yield Change(
                code="positional-parameters-changed",
                subject=subject,
                message=f"positional arguments ({', '.join(old_positional) or 'none'}) are now "
                f"({', '.join(new_positional) or 'none'}); calls passing them by position would send other ids",
            )
        yield from self._parameters()
        yield from self._body()
        yield from self._responses()
        if new.deprecated and not old.deprecated:
            yield Change(code="endpoint-deprecated", subject=subject, message="is now deprecated")
        elif old.deprecated and not new.deprecated:
            yield Change(code="endpoint-reactivated", subject=subject, message="is no longer deprecated")

    def _parameters(self) -> Iterator[Change]:
        old_params, new_params, subject = _params(self.old), _params(self.new), self.subject
        for name in sorted(old_params.keys() - new_params.keys()):
            yield Change(code="request-parameter-removed", subject=subject, message=f"parameter {name!r} was removed")
        for name in sorted(new_params.keys() - old_params.keys()):
            param = new_params[name]
            if param.location == "path":
                yield Change(code="new-request-path-parameter", subject=subject, message=f"new path parameter {name!r}")
            elif param.required:
                yield Change(
                    code="new-required-request-parameter", subject=subject, message=f"new required parameter {name!r}"
                )
            else:
                yield Change(
                    code="new-optional-request-parameter", subject=subject, message=f"new optional parameter {name!r}"
                )
        for name in sorted(old_params.keys() & new_params.keys()):
            before, after = old_params[name], new_params[name]
            verdict = self._judge(before.type_hint, after.type_hint)
            if verdict is not None:
                yield Change(
                    code=_PARAM_VERDICTS[verdict],
                    subject=subject,
                    message=f"parameter {name!r}: {before.type_hint} → {after.type_hint} ({_WORDS[verdict]})",
                )
            if before.required != after.required:
                code = "request-parameter-became-required" if after.required else "request-parameter-became-optional"
                yield Change(
                    code=code,
                    subject=subject,
                    message=f"parameter {name!r} is now {'required' if after.required else 'optional'}",
                )
            if after.deprecated and not before.deprecated:
                yield Change(
                    code="request-parameter-deprecated",
                    subject=subject,
                    message=f"parameter {name!r} is now deprecated",
                )

    def _body(self) -> Iterator[Change]:
        before, after, subject = self.old.body, self.new.body, self.subject
        if before is None and after is not None:
            code = "request-body-added-required" if after.required else "request-body-added-optional"
            yield Change(code=code, subject=subject, message=f"now takes body: {after.type_hint}")
        elif before is not None and after is None:
            yield Change(
                code="request-body-removed", subject=subject, message=f"no longer takes body ({before.type_hint})"
            )
        elif before is not None and after is not None:
            verdict = self._judge(before.type_hint, after.type_hint)
            if verdict is not None:
                yield Change(
                    code=_BODY_VERDICTS[verdict],
                    subject=subject,
                    message=f"request body {before.type_hint} → {after.type_hint} ({_WORDS[verdict]})",
                )
            if before.required != after.required:
                code = "request-body-became-required" if after.required else "request-body-became-optional"
                yield Change(
                    code=code,
                    subject=subject,
                    message=f"the body is now {'required' if after.required else 'optional'}",
                )

    def _responses(self) -> Iterator[Change]:
        old, new, subject = self.old, self.new, self.subject
        verdict = self._judge(old.result_type, new.result_type)
        if verdict is not None:
            yield Change(
                code=_RESULT_VERDICTS[verdict],
                subject=subject,
                message=f"returns {old.result_type} → {new.result_type} ({_WORDS[verdict]})",
            )
        old_statuses, new_statuses = {c.status for c in old.responses}, {c.status for c in new.responses}
        for status in sorted(old_statuses - new_statuses):
            yield Change(
                code="response-success-status-removed",
                subject=subject,
                message=f"status {status} is no longer a success",
            )
        for status in sorted(new_statuses - old_statuses):
            yield Change(code="response-success-status-added", subject=subject, message=f"new success status {status}")


def _removed(op: ir.Operation, new_paths: set[str]) -> Change:
    path = "api-path" if op.path not in new_paths else "api"
    deprecation = "with" if op.deprecated else "without"
    return Change(
        code=f"{path}-removed-{deprecation}-deprecation",
        subject=op.operation_id,
        message=f"{op.python_name}() was removed",
    )


def _same_routes(
    old_ops: dict[str, tuple[ir.Tag, ir.Operation]], new_ops: dict[str, tuple[ir.Tag, ir.Operation]]
) -> dict[str, str]:
    """Operations whose id changed but whose method and path did not: one operation, compared as such.

    Its method's new name is then an ``operation-renamed``, not a removal beside an addition.
    """
    added: dict[tuple[str, str], list[str]] = {}
    for op_id in new_ops.keys() - old_ops.keys():
        added.setdefault((new_ops[op_id][1].method, new_ops[op_id][1].path), []).append(op_id)
    routes = {op_id: (old_ops[op_id][1].method, old_ops[op_id][1].path) for op_id in old_ops.keys() - new_ops.keys()}
    return {op_id: added[route][0] for op_id, route in routes.items() if len(added.get(route, ())) == 1}


def compare(old_api: ir.Api, old_models: ModelsModule, new_api: ir.Api, new_models: ModelsModule) -> list[Change]:
    """Every change to the client's public surface, breaking ones first."""
    changes: list[Change] = []
    old_ops, new_ops = _operations(old_api), _operations(new_api)
    new_paths = {p for _, op in new_ops.values() for p in (op.path, *(v.path for v in op.variants))}
    same = _same_routes(old_ops, new_ops)
    for op_id in sorted(old_ops.keys() - new_ops.keys() - same.keys()):
        changes.append(_removed(old_ops[op_id][1], new_paths))
    for op_id in sorted(new_ops.keys() - old_ops.keys() - set(same.values())):
        changes.append(
            Change(code="endpoint-added", subject=op_id, message=f"new method {new_ops[op_id][1].python_name}()")
        )
    old_types, new_types = Types.of(old_models), Types.of(new_models)
    pairs = [(op_id, op_id) for op_id in sorted(old_ops.keys() & new_ops.keys())] + sorted(same.items())
    for op_id, new_id in pairs:
        (old_tag, old_op), (new_tag, new_op) = old_ops[op_id], new_ops[new_id]
        if old_tag.attribute != new_tag.attribute:
            changes.append(
                Change(
                    code="operation-moved-tag",
                    subject=op_id,
                    message=f"client.{old_tag.attribute} → client.{new_tag.attribute}",
                )
            )
        changes.extend(_Operation(old_op, new_op, old_types, new_types).compare())
    changes.extend(compare_models(old_api, old_models, new_api, new_models))
    changes.extend(_compare_client(old_api, new_api))
    return sorted(changes, key=lambda c: (not c.breaking, c.code, c.subject))


def _compare_client(old: ir.Api, new: ir.Api) -> Iterator[Change]:
    if old.package != new.package:
        yield Change(code="package-renamed", subject="package", message=f"{old.package} → {new.package}")
    for before, after in ((old.client_class, new.client_class), (old.async_client_class, new.async_client_class)):
        if before != after:
            yield Change(code="client-renamed", subject="client", message=f"{before} → {after}")
    if old.credential_args != new.credential_args:
        yield Change(
            code="client-arguments-changed",
            subject="client",
            message=f"({', '.join(old.credential_args) or 'none'}) → ({', '.join(new.credential_args) or 'none'})",
        )
    if old.token_env_var != new.token_env_var:
        yield Change(
            code="token-env-var-changed",
            subject="client",
            message=f"{old.token_env_var or 'none'} → {new.token_env_var or 'none'}",
        )


def semver(changes: Iterable[Change]) -> Semver:
    """The version bump the changes need: major if any breaks callers, minor for additions, else patch."""
    return max((c.rule.semver for c in changes), key=SEMVER_ORDER.__getitem__, default="patch")


def report(changes: list[Change]) -> dict[str, Any]:
    """The changes as the JSON `breaking --format json` prints."""
    return {
        "changes": [c.as_json() for c in changes],
        "breaking": sum(c.breaking for c in changes),
        "semver": semver(changes),
    }
