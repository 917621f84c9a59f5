"""The testing fake's operation table as JSON, one operation per line: the data ``testing.py`` loads.

Data rather than Python: as black lays it out, a table in Python is most of the testing module
(48,000 lines for GitHub's API, a third of them example payloads), black formats every line of it
on a cold run, and the first import of ``testing`` compiles it. As JSON it is one line per
operation, so a regenerated spec's diff shows one changed line per changed operation.
``templates/static/_fake.py`` (``load_operations``) reads it; the field order is its contract.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from ..ir import nodes as ir
from .filters import marker_line

FILE = "_fake_operations.json"


def _param(p: ir.Param) -> list[Any]:
    return [p.wire_name, p.python_name, p.location, p.required, p.style, p.explode, p.schema_json]


def _row(tag: ir.Tag, op: ir.Operation) -> dict[str, Any]:
    routes: list[list[Any]] = [[op.operation_id, op.method, op.path, []]]
    routes += [[v.operation_id, op.method, v.path, [_param(p) for p in v.extra_params]] for v in op.variants]
    params = (*op.path_params, *op.query_params, *op.header_params, *op.cookie_params)
    body = op.body
    return {
        "name": f"{tag.fake_attribute}.{op.python_name}",
        "routes": routes,
        "params": [_param(p) for p in params],
        "body": None
        if body is None
        else [
            body.content_type,
            body.encoding,
            body.model,
            body.required,
            [[f.name, f.content_type, f.style, f.explode, f.allow_reserved] for f in body.fields],
        ],
        "responses": [
            [case.status, case.kind, case.model, case.access[1:], case.media_type, case.example_json]
            for case in op.responses
        ],
        "invalid_status": op.invalid_request_status,
        "security": None if op.security is None else [list(alternative) for alternative in op.security],
        "errors": [[case.status, case.model, case.example_json, case.media_type] for case in op.errors],
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
