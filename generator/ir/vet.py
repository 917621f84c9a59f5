"""Checks on the IR, each a small function returning diagnostics with a stable rule id."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .. import naming
from ..diagnostics import Diagnostic, Level
from . import nodes as ir
from .names import without_tag

_PATH_VAR = re.compile(r"{([^{}]+)}")

Rule = Callable[[ir.Api], Iterable[Diagnostic]]


def undeclared_path_params(api: ir.Api) -> Iterable[Diagnostic]:
    """Every `{name}` in a path is declared as an `in: path` parameter, and vice versa."""
    for tag in api.tags:
        for op in tag.operations:
            paths = [(op.path, op.pointer, op.path_params)] + [
                (v.path, op.pointer, op.path_params + v.extra_params) for v in op.variants
            ]
            for path, where, params in paths:
                in_path = set(_PATH_VAR.findall(path))
                declared = {p.wire_name for p in params}
                for name in sorted(in_path - declared):
                    yield Diagnostic(
                        file=api.spec_path,
                        pointer=where,
                        code="undeclared-path-param",
                        level=Level.ERROR,
                        message=f"path {path!r} uses {{{name}}} but declares no `in: path` parameter "
                        f"named {name!r}; add it to `parameters`",
                    )
                for name in sorted(declared - in_path):
                    yield Diagnostic(
                        file=api.spec_path,
                        pointer=where,
                        code="unused-path-param",
                        level=Level.ERROR,
                        message=f"parameter {name!r} is declared `in: path` but {path!r} has no "
                        f"{{{name}}}; fix the path or the parameter",
                    )


def renamed_operations(api: ir.Api) -> Iterable[Diagnostic]:
    """Two operations whose Python names collide after sanitising: one was suffixed.

    A name shortened by its module's tag (``teams_list`` → ``teams.list``) or left whole because
    the short one was taken is what the naming rule chose, not a collision.
    """
    for tag in api.tags:
        for op in tag.operations:
            full = naming.snake_case(op.operation_id, fallback="operation")
            if op.python_name not in (full, without_tag(full, tag.name)):
                yield Diagnostic(
                    file=api.spec_path,
                    pointer=op.pointer,
                    code="name-collision",
                    level=Level.WARNING,
                    message=f"operationId {op.operation_id!r} collides with another operation's Python name; "
                    f"it is generated as {op.python_name!r}. Rename one operationId to choose.",
                )


RULES: tuple[Rule, ...] = (undeclared_path_params, renamed_operations)


def vet(api: ir.Api) -> list[Diagnostic]:
    return [d for rule in RULES for d in rule(api)]
