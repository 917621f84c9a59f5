"""An operation's success responses as cases: which status selects each, and what the caller gets from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..diagnostics import pointer
from ..models import ModelsModule, Role, envelope_member
from ..openapi import media
from ..openapi.toolkit import as_dict, deref
from . import nodes as ir
from .wire import answer_example, first_example, other_kinds

_RAW_BODY_HINT = {"text": "str", "binary": "bytes"}


def response_cases(
    doc: dict[str, Any],
    op: dict[str, Any],
    at: tuple[str, ...],
    *,
    model_for: Callable[[Any, str, Role], str | None],
    models: ModelsModule,
    envelope: str | None,
) -> tuple[ir.ResponseCase, ...]:
    """One case per 2xx status, exact statuses first; an operation without one answers "2XX", empty."""
    responses = as_dict(op.get("responses"))
    keys = {str(status): status for status in responses}
    success = sorted(s for s in keys if s.startswith("2"))
    if not success:
        return (_raw_case("2XX", "empty", description="", example=None, media_type=""),)
    cases = []
    for status in success:
        response = deref(doc, responses[keys[status]])
        response = response if isinstance(response, dict) else {}
        description = str(response.get("description") or "")
        chosen = media.pick(response.get("content"))
        if chosen is None:
            cases.append(_raw_case(status, "empty", description=description, example=None, media_type=""))
            continue
        media_type, encoding, media_object = chosen
        example = answer_example(doc, media_object, raw=encoding != "json")
        if encoding != "json" or "schema" not in media_object:
            kind: ir.CaseKind = "text" if encoding == "text" else "binary"
            cases.append(_raw_case(status, kind, description=description, example=example, media_type=media_type))
            continue
        where = pointer(*at, "responses", status, "content", media_type, "schema")
        model = model_for(media_object["schema"], where, "response")
        if model is None:
            cases.append(_raw_case(status, "binary", description=description, example=example, media_type=media_type))
            continue
        root, member, result_type = unwrapped(models, model, envelope)
        also = other_kinds(response.get("content"))
        result_type = " | ".join(dict.fromkeys([result_type, *(_RAW_BODY_HINT[k] for k in also)]))
        cases.append(
            ir.ResponseCase(
                status=status,
                status_code=_status_code(status),
                kind="json",
                model=model,
                root=root,
                envelope=member,
                result_type=result_type,
                description=description,
                example_json=example,
                media_type=media_type,
                also=also,
                synthesized=example is not None and first_example(media_object) is None,
            )
        )
    # A catch-all case goes last so the generated `if` chain stays exhaustive.
    cases.sort(key=lambda c: c.status_code is None)
    if len(cases) == 1:
        cases = [replace(cases[0], status_code=None)]
    return tuple(cases)


def unwrapped(models: ModelsModule, model: str, envelope: str | None) -> tuple[bool, ir.EnvelopeMember | None, str]:
    """How the caller's value comes out of a parsed response model: (how, the envelope member, its type)."""
    root = models.root_annotation(model)
    if root is not None:
        return True, None, root
    # Unwrapped only when the member is always there and never null: the caller gets its value.
    field = envelope_member(models, model, envelope)
    if field is not None:
        return False, ir.EnvelopeMember(wire_name=field.wire_name, python_name=field.python_name), field.annotation
    return False, None, model


def _status_code(status: str) -> int | None:
    return int(status) if status.isdigit() else None


def _raw_case(
    status: str, kind: ir.CaseKind, *, description: str, example: str | None, media_type: str
) -> ir.ResponseCase:
    """A case whose body is not parsed into a model: empty, text or bytes."""
    return ir.ResponseCase(
        status=status,
        status_code=_status_code(status),
        kind=kind,
        model=None,
        root=False,
        envelope=None,
        result_type="None" if kind == "empty" else _RAW_BODY_HINT[kind],
        description=description,
        example_json=example,
        media_type=media_type,
    )
