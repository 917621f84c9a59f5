"""The testing fake's operation table as JSON, one operation per line: the data ``testing.py`` loads.

Data rather than Python: as black lays it out, a table in Python is most of the testing module
(48,000 lines for GitHub's API, a third of them example payloads), black formats every line of it
on a cold run, and the first import of ``testing`` compiles it. As JSON it is one line per
operation, so a regenerated spec's diff shows one changed line per changed operation.
``templates/static/_fake.py`` (``load_operations``) reads it: every row is keyed by the field names of
the runtime record it becomes (``ParamSpec``, ``BodySpec``, ``ResponseSpec``, ...), so a reader sees
what each value is and a new field cannot shift the others.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from ..ir import nodes as ir
from .filters import marker_line

FILE = "_fake_operations.json"


def _param(p: ir.Param) -> dict[str, Any]:
    return {
        "wire_name": p.wire_name,
        "python_name": p.python_name,
        "location": p.location,
        "required": p.required,
        "style": p.style,
        "explode": p.explode,
        "schema": p.schema_json,
    }


def _attribute(case: ir.ResponseCase) -> str:
    """What the client takes from the parsed model, as the fake's ``ResponseSpec.attribute`` names it."""
    if case.root:
        return "root"
    return case.envelope.python_name if case.envelope else ""


def _body(body: ir.Body | None) -> dict[str, Any] | None:
    if body is None:
        return None
    return {
        "content_type": body.content_type,
        "encoding": body.encoding,
        "model": body.model,
        "required": body.required,
        "fields": [
            {
                "name": f.name,
                "content_type": f.content_type,
                "style": f.style,
                "explode": f.explode,
                "allow_reserved": f.allow_reserved,
            }
            for f in body.fields
        ],
    }


def _row(tag: ir.Tag, op: ir.Operation) -> dict[str, Any]:
    main = {"operation_id": op.operation_id, "method": op.method, "path": op.path, "params": []}
    routes = [main] + [
        {
            "operation_id": v.operation_id,
            "method": op.method,
            "path": v.path,
            "params": [_param(p) for p in v.extra_params],
        }
        for v in op.variants
    ]
    params = (*op.path_params, *op.query_params, *op.header_params, *op.cookie_params)
    return {
        "name": f"{tag.fake_attribute}.{op.python_name}",
        "routes": routes,
        "params": [_param(p) for p in params],
        "body": _body(op.body),
        "responses": [
            {
                "status": case.status,
                "kind": case.kind,
                "model": case.model,
                "attribute": _attribute(case),
                "media_type": case.media_type,
                "example": case.example_json,
            }
            for case in op.responses
        ],
        "invalid_status": op.invalid_request_status,
        "security": None if op.security is None else [list(alternative) for alternative in op.security],
        "errors": [
            {"status": case.status, "model": case.model, "example": case.example_json, "media_type": case.media_type}
            for case in op.errors
        ],
    }


def fake_table(api: ir.Api) -> tuple[PurePosixPath, str]:
    """The table's path in the package and its text (ASCII: every other character is escaped).

    JSON has no comments, so the "generated, do not edit" marker every generated file starts
    with is the first member, ``"//"``; the operations follow, one per line.
    """
    marker = json.dumps(marker_line(api.spec_path).removeprefix("# "))
    rows = [json.dumps(_row(tag, op), separators=(",", ":")) for tag in api.tags for op in tag.operations]
    text = f'{{"//": {marker},\n"operations": [\n' + ",\n".join(rows) + ("\n" if rows else "") + "]}\n"
    return PurePosixPath(api.package) / FILE, text
