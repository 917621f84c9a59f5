"""What ``api.md`` (the package's API reference) says about each operation, built from the IR.

The call signature as a reader writes it (``client.<tag>.<method>(...) -> Result``,
without the arguments every method takes), and the models an operation takes and
returns, found in its type hints by name. The template only lays these out.
"""

from __future__ import annotations

import functools
import re

from ..ir import nodes as ir
from .prose import html_to_text

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ONE_LINE = 88  # a longer signature is written one parameter per line, as black would


def _parameters(op: ir.Operation) -> list[str]:
    positional = [f"{p.python_name}: {p.type_hint}" for p in op.path_params if p.positional]
    keyword = [f"{p.python_name}: {p.type_hint}" for p in op.path_params if not p.positional]
    keyword += [f"{p.python_name}: {p.type_hint} | None = None" for v in op.variants for p in v.extra_params]
    if op.body is not None:
        keyword.append(f"body: {op.body.type_hint}" + ("" if op.body.required else " | None = None"))
    for p in (*op.query_params, *op.header_params, *op.cookie_params):
        keyword.append(f"{p.python_name}: {p.type_hint}" + ("" if p.required else " | None = None"))
    return positional + (["*", *keyword] if keyword else [])


def signature(op: ir.Operation, tag: ir.Tag) -> str:
    """``client.jobs.get_job(job_id: str, *, project_id: str) -> JobDetails``, split when long."""
    call = f"client.{tag.attribute}.{op.python_name}"
    params = _parameters(op)
    one_line = f"{call}({', '.join(params)}) -> {op.result_type}"
    if len(one_line) <= _ONE_LINE or not params:
        return one_line
    return f"{call}(\n" + "".join(f"    {p},\n" for p in params) + f") -> {op.result_type}"


@functools.lru_cache(maxsize=4)
def _known(models: tuple[str, ...]) -> frozenset[str]:
    return frozenset(models)  # once per package, not once per operation (GitHub: 4,900 × 3,500 names)


# What a template passes them: the Api's ``models``, so a cached api.md is keyed by the names
# alone (reuse.py); the whole Api, as templates copied from earlier versions pass, works too.
Models = tuple[str, ...] | ir.Api


def _models_in(type_hints: list[str], models: Models) -> list[str]:
    known = _known(models.models if isinstance(models, ir.Api) else models)
    return list(dict.fromkeys(name for hint in type_hints for name in _NAME.findall(hint) if name in known))


def takes(op: ir.Operation, models: Models) -> list[str]:
    """The model classes among an operation's parameter and body types, in signature order."""
    hints = [p.type_hint for p in (*op.path_params, *op.query_params, *op.header_params, *op.cookie_params)]
    hints += [p.type_hint for v in op.variants for p in v.extra_params]
    if op.body is not None:
        hints.append(op.body.type_hint)
    return _models_in(hints, models)


def returns(op: ir.Operation, models: Models) -> list[str]:
    """The model classes in what the operation returns (an envelope's member, not the envelope)."""
    return _models_in([op.result_type], models)


def tag_models(tag: ir.Tag, models: Models) -> list[str]:
    """Every model the tag's operations take or return, sorted: the reference's import line."""
    return sorted({name for op in tag.operations for name in (*takes(op, models), *returns(op, models))})


def import_line(names: list[str], package: str) -> str:
    """``from <package>.models import A, B``, one name per line (as black writes it) when long."""
    line = f"from {package}.models import {', '.join(names)}"
    if len(line) <= _ONE_LINE:
        return line
    return f"from {package}.models import (\n" + "".join(f"    {name},\n" for name in names) + ")"


def summary(op: ir.Operation) -> str:
    """The operation's summary; without one, the first paragraph of its description, as plain text."""
    if op.summary:
        return op.summary
    return html_to_text(op.description).strip().split("\n\n", 1)[0]
