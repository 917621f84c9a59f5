"""Unit tests of generator/ir/operation.py: one spec operation to an ir.Operation, with hand-made models."""

from __future__ import annotations

from typing import Any

import pytest

from generator.diagnostics import Diagnostics, Level
from generator.ir import nodes as ir
from generator.ir.names import OperationNames, RawOperation
from generator.ir.operation import METHOD_RESERVED, OperationBuilder
from generator.models.module import ModelClass, ModelField, ModelsModule

FILE = "spec.yaml"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _models() -> ModelsModule:
    """Job has request/response shapes (JobRequest is the request one); Jobs is a root model; Status an enum."""
    classes = {
        "Job": ModelClass(
            name="Job",
            kind="model",
            fields=(
                ModelField(python_name="id", wire_name="id", annotation="str"),
                ModelField(python_name="name", wire_name="name", annotation="str"),
            ),
        ),
        "JobRequest": ModelClass(
            name="JobRequest",
            kind="model",
            fields=(ModelField(python_name="name", wire_name="name", annotation="str"),),
        ),
        "Jobs": ModelClass(
            name="Jobs", kind="root", fields=(ModelField(python_name="root", wire_name="root", annotation="list[Job]"),)
        ),
        "Status": ModelClass(name="Status", kind="enum", fields=()),
        "JobList": ModelClass(
            name="JobList",
            kind="model",
            fields=(
                ModelField(python_name="data", wire_name="data", annotation="list[Job]"),
                ModelField(python_name="next_cursor", wire_name="nextCursor", annotation="str | None"),
            ),
        ),
        "Nullable": ModelClass(
            name="Nullable",
            kind="model",
            fields=(ModelField(python_name="data", wire_name="data", annotation="list[Job] | None"),),
        ),
        "OptionalData": ModelClass(
            name="OptionalData",
            kind="model",
            fields=(
                ModelField(python_name="data", wire_name="data", annotation="list[Job] | MISSING", required=False),
            ),
        ),
    }
    by_source = {f"#/components/schemas/{name}": (name,) for name in classes}
    return ModelsModule(
        header="# header. DO NOT EDIT.",
        imports=(),
        definitions=(),
        classes=classes,
        by_source=by_source,
        request_shapes={"Job": "JobRequest"},
        response_shapes={"Job": "Job"},
    )


def _doc() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Status": {"type": "string", "enum": ["a", "b"]},
                "Limit": {"type": "integer"},
            },
            "parameters": {"Shared": {"name": "shared", "in": "query", "schema": {"type": "string"}}},
            "requestBodies": {"JobBody": {"required": True, "content": {"application/json": {"schema": _ref("Job")}}}},
            "responses": {"Ok": {"description": "ok", "content": {"application/json": {"schema": _ref("Job")}}}},
        },
    }


def _builder(envelope: str | None = None) -> tuple[OperationBuilder, Diagnostics]:
    diags = Diagnostics()
    builder = OperationBuilder(_doc(), _models(), FILE, diags, envelope)
    builder.known_schemes = {"bearer", "apiKey"}
    return builder, diags


def _raw(path: str, op: dict[str, Any], *, method: str = "get", item: dict[str, Any] | None = None) -> RawOperation:
    item = {**(item or {}), method: op}
    return RawOperation(
        path=path,
        method=method,
        item=item,
        spec=op,
        operation_id=str(op.get("operationId", "op")),
        pointer=f"/paths{path}/{method}",
        tags=("t",),
        variant_of=None,
    )


def _build(
    path: str,
    op: dict[str, Any],
    *,
    method: str = "get",
    item: dict[str, Any] | None = None,
    envelope: str | None = None,
) -> tuple[ir.Operation | None, Diagnostics]:
    builder, diags = _builder(envelope)
    built = builder.build(
        _raw(path, op, method=method, item=item), OperationNames(python_name="op", constant_name="_OP"), None, ()
    )
    return built, diags


def _ok(path: str, op: dict[str, Any], **kwargs: Any) -> ir.Operation:
    built, diags = _build(path, op, **kwargs)
    assert built is not None
    assert list(diags) == []
    return built


def _path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


# --- parameters ---------------------------------------------------------------------------------


def test_path_params_follow_the_template_and_only_the_last_is_positional() -> None:
    """Path params come in the template's order (not the declaration's); only the last one is positional."""
    params = [_path_param("jobId"), _path_param("projectId"), _path_param("runId")]
    op = _ok("/projects/{projectId}/jobs/{jobId}/runs/{runId}", {"parameters": params, "responses": {}})
    assert [(p.wire_name, p.python_name, p.positional) for p in op.path_params] == [
        ("projectId", "project_id", False),
        ("jobId", "job_id", False),
        ("runId", "run_id", True),
    ]
    assert all(p.required and p.style == "simple" and not p.explode for p in op.path_params)


def test_path_param_declared_not_required_is_required() -> None:
    """A path parameter is always required, whatever `required` says."""
    op = _ok("/a/{id}", {"parameters": [{"name": "id", "in": "path", "schema": {"type": "integer"}}]})
    (param,) = op.path_params
    assert param.required and param.positional and param.type_hint == "int"


def test_path_item_parameters_apply_and_the_operation_overrides_them() -> None:
    """Path-item parameters are merged in; an operation parameter with the same location and name wins."""
    item = {
        "parameters": [
            _path_param("id"),
            {"name": "q", "in": "query", "description": "from the item", "schema": {"type": "string"}},
        ]
    }
    op = _ok(
        "/a/{id}",
        {"parameters": [{"name": "q", "in": "query", "description": "from the op", "schema": {"type": "integer"}}]},
        item=item,
    )
    assert [p.wire_name for p in op.path_params] == ["id"]
    (query,) = op.query_params
    assert (query.description, query.type_hint) == ("from the op", "int")


def test_other_params_sorted_by_location_and_name() -> None:
    """Query, header and cookie params are split by location and sorted by wire name within each."""
    params = [
        {"name": "zeta", "in": "query"},
        {"name": "X-Trace", "in": "header"},
        {"name": "alpha", "in": "query", "required": True},
        {"name": "session", "in": "cookie"},
        {"name": "Accept-Version", "in": "header"},
    ]
    op = _ok("/a", {"parameters": params})
    assert [p.wire_name for p in op.query_params] == ["alpha", "zeta"]
    assert [p.wire_name for p in op.header_params] == ["Accept-Version", "X-Trace"]
    assert [p.wire_name for p in op.cookie_params] == ["session"]
    assert [p.required for p in op.query_params] == [True, False]
    assert not any(p.positional for p in op.query_params + op.header_params + op.cookie_params)


def test_parameter_ref_is_followed() -> None:
    """A parameter given as $ref to components.parameters is resolved."""
    op = _ok("/a", {"parameters": [{"$ref": "#/components/parameters/Shared"}]})
    assert [(p.wire_name, p.location, p.type_hint) for p in op.query_params] == [("shared", "query", "str")]


@pytest.mark.parametrize("reserved", sorted(METHOD_RESERVED))
def test_param_names_avoid_method_reserved(reserved: str) -> None:
    """A parameter named like one of the generated method's own names gets another Python name."""
    op = _ok("/a", {"parameters": [{"name": reserved, "in": "query"}]})
    (param,) = op.query_params
    assert param.wire_name == reserved
    assert param.python_name not in METHOD_RESERVED
    assert param.python_name.startswith(reserved.rstrip("_"))


def _with_key_scheme(op: dict[str, Any], root_security: list[Any] | None = None) -> tuple[ir.Operation, Diagnostics]:
    doc = _doc()
    doc["components"]["securitySchemes"] = {
        "apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
        "bearer": {"type": "http", "scheme": "bearer"},
    }
    if root_security is not None:
        doc["security"] = root_security
    diags = Diagnostics()
    builder = OperationBuilder(doc, _models(), FILE, diags, None)
    builder.known_schemes = {"bearer", "apiKey"}
    built = builder.build(_raw("/keys", op), OperationNames(python_name="op", constant_name="_OP"), None, ())
    assert built is not None
    return built, diags


_KEY_HEADER = {"name": "x-api-key", "in": "header", "required": True, "schema": {"type": "string"}}


@pytest.mark.parametrize(
    ("security", "root_security"),
    [([{"apiKey": []}], None), ([{"bearer": []}, {"apiKey": []}], None), (None, [{"apiKey": []}])],
    ids=["its-security", "one-alternative", "the-document-default"],
)
def test_param_that_is_an_api_key_credential_is_left_to_the_credential(
    security: list[Any] | None, root_security: list[Any] | None
) -> None:
    op = {"parameters": [_KEY_HEADER, {"name": "q", "in": "query", "schema": {"type": "string"}}]}
    if security is not None:
        op["security"] = security
    built, diags = _with_key_scheme(op, root_security)
    assert [p.wire_name for p in built.header_params + built.query_params] == ["q"]
    assert [(d.code, d.pointer) for d in diags] == [("credential-parameter", "/paths/~1keys/get/parameters/0")]
    assert "'apiKey'" in diags.items[0].message


def test_param_named_like_a_credential_the_operation_does_not_send_is_kept() -> None:
    built, diags = _with_key_scheme({"parameters": [_KEY_HEADER], "security": [{"bearer": []}]}, [{"apiKey": []}])
    assert [p.wire_name for p in built.header_params] == ["x-api-key"]
    assert list(diags) == []


_AUTHORIZATION = {"name": "Authorization", "in": "header", "required": True, "schema": {"type": "string"}}


def test_an_authorization_parameter_of_an_unsecured_operation_says_how_to_send_it() -> None:
    """citrixonline's GoToMeeting: every operation takes `Authorization` and no scheme is declared."""
    built, diags = _build("/meetings", {"parameters": [_AUTHORIZATION], "responses": {"204": {"description": "ok"}}})
    assert built is not None and built.header_params == ()
    assert [d.code for d in diags] == ["ignored-header-parameter"]
    assert "`default_headers`" in diags.items[0].message and "`extra_headers`" in diags.items[0].message


def test_an_authorization_parameter_of_a_secured_operation_is_only_ignored() -> None:
    op = {"parameters": [_AUTHORIZATION], "security": [{"bearer": []}], "responses": {"204": {"description": "ok"}}}
    built, diags = _build("/meetings", op)
    assert built is not None and built.header_params == ()
    assert [d.code for d in diags] == ["ignored-header-parameter"]
    assert "default_headers" not in diags.items[0].message


@pytest.mark.parametrize(("path", "what"), [("/files/{name}#op=APPEND", "fragment"), ("/files?op=LIST", "query")])
def test_a_path_with_a_fragment_or_query_is_warned_about(path: str, what: str) -> None:
    """Azure's datalake spec keys operations `/webhdfs/v1/{path}#op=APPEND`: the `#` goes out percent-encoded."""
    built, diags = _build(path, {"responses": {"204": {"description": "ok"}}}, method="post")
    assert built is not None
    assert [(d.code, d.pointer) for d in diags] == [
        ("path-with-query-or-fragment", "/paths/" + path.replace("/", "~1") + "/post")
    ]
    assert f"holds a {what}" in diags.items[0].message


def test_param_names_colliding_after_snake_case_are_suffixed() -> None:
    """Two wire names with the same snake form get distinct Python names, path params first."""
    params = [_path_param("jobId"), {"name": "job_id", "in": "query"}, {"name": "job-id", "in": "header"}]
    op = _ok("/a/{jobId}", {"parameters": params})
    names = [p.python_name for p in op.path_params + op.query_params + op.header_params]
    assert names == ["job_id", "job_id_3", "job_id_2"]  # header sorts before query


def test_param_named_like_a_builtin_gets_an_underscore() -> None:
    """A parameter may not shadow a builtin (`id` becomes `id_`)."""
    op = _ok("/a/{id}", {"parameters": [_path_param("id")]})
    assert op.path_params[0].python_name == "id_"


@pytest.mark.parametrize(
    ("param", "style", "explode"),
    [
        ({"name": "q", "in": "query"}, "form", True),
        ({"name": "q", "in": "query", "explode": False}, "form", False),
        ({"name": "q", "in": "query", "style": "deepObject"}, "deepObject", False),
        ({"name": "q", "in": "query", "style": "deepObject", "explode": True}, "deepObject", True),
        ({"name": "q", "in": "query", "style": "pipeDelimited"}, "pipeDelimited", False),
        ({"name": "q", "in": "query", "explode": "yes"}, "form", True),  # not a bool: the default
        ({"name": "h", "in": "header"}, "simple", False),
        ({"name": "h", "in": "header", "explode": True}, "simple", True),
        ({"name": "c", "in": "cookie"}, "form", True),
        ({"name": "p", "in": "path"}, "simple", False),
        ({"name": "p", "in": "path", "style": "label"}, "label", False),
    ],
)
def test_styles_and_explode_defaults(param: dict[str, Any], style: str, explode: bool) -> None:
    """Each location has OpenAPI's default style; explode defaults to true exactly for style form."""
    path = "/a/{p}" if param["in"] == "path" else "/a"
    op = _ok(path, {"parameters": [param]})
    (built,) = op.path_params + op.query_params + op.header_params + op.cookie_params
    assert (built.style, built.explode) == (style, explode)


@pytest.mark.parametrize(
    ("schema", "hint"),
    [
        (None, "Any"),
        ({"type": "string"}, "str"),
        ({"type": "integer"}, "int"),
        ({"type": "number"}, "float"),
        ({"type": "boolean"}, "bool"),
        ({"type": "object"}, "dict[str, Any]"),
        ({"type": "array", "items": {"type": "integer"}}, "list[int]"),
        ({"type": "array"}, "list[Any]"),
        ({"type": "string", "nullable": True}, "str | None"),
        ({"type": ["string", "null"]}, "str | None"),
        ({"type": ["integer", "string"]}, "int | str"),
        ({"type": ["null"]}, "None"),
        ({}, "Any"),
        (_ref("Status"), "Status"),  # an enum class
        (_ref("Limit"), "int"),  # not an enum: its schema
        ({"type": "array", "items": _ref("Status")}, "list[Status]"),
    ],
)
def test_param_type_hints(schema: dict[str, Any] | None, hint: str) -> None:
    """Parameter schemas become simple hints; an enum component becomes its class."""
    param: dict[str, Any] = {"name": "q", "in": "query"}
    if schema is not None:
        param["schema"] = schema
    op = _ok("/a", {"parameters": [param]})
    assert op.query_params[0].type_hint == hint


@pytest.mark.parametrize(
    ("param", "example"),
    [
        ({"name": "projectId", "in": "query"}, "my-project-id"),
        ({"name": "n", "in": "query", "example": 5}, "5"),
        ({"name": "n", "in": "query", "schema": {"example": "abc"}}, "abc"),
        ({"name": "n", "in": "query", "example": True}, "my-n"),  # a bool is no example
        ({"name": "!!", "in": "query"}, "my-value"),
    ],
)
def test_param_examples(param: dict[str, Any], example: str) -> None:
    """A parameter's example is the spec's (string or number), else derived from its wire name."""
    op = _ok("/a", {"parameters": [param]})
    assert op.query_params[0].example == example


@pytest.mark.parametrize(
    "bad",
    [
        {"in": "query"},  # no name
        {"name": "q"},  # no location
        {"name": "q", "in": "body"},  # not an OpenAPI 3 location
        {"name": 3, "in": "query"},
        "not an object",
        {"$ref": "#/components/parameters/Missing"},
    ],
)
def test_invalid_parameter_is_an_error(bad: Any) -> None:
    """A parameter without a string name and a known `in` is an ERROR at its pointer and is left out."""
    op, diags = _build("/a", {"parameters": [{"name": "ok", "in": "query"}, bad]})
    assert op is not None
    assert [p.wire_name for p in op.query_params] == ["ok"]
    (diag,) = list(diags)
    assert (diag.code, diag.level, diag.pointer) == ("invalid-parameter", Level.ERROR, "/paths/~1a/get/parameters/1")


def test_invalid_path_item_parameter_points_at_the_path_item() -> None:
    """A broken path-item parameter is reported at the path item's parameters, not the operation's."""
    op, diags = _build("/a", {}, item={"parameters": [{"in": "query"}]})
    assert op is not None
    assert [d.pointer for d in diags] == ["/paths/~1a/parameters/0"]


# --- request bodies ----------------------------------------------------------------------------


def test_json_body_uses_the_request_shape() -> None:
    """A body referencing Job is validated into JobRequest, Job's request shape."""
    op = _ok(
        "/jobs",
        {"requestBody": {"required": True, "content": {"application/json": {"schema": _ref("Job")}}}},
        method="post",
    )
    assert op.body == ir.Body(
        content_type="application/json",
        encoding="json",
        model="JobRequest",
        type_hint="JobRequest | Mapping[str, Any]",
        required=True,
        description="",
        example_json=None,
    )


def test_response_uses_the_response_shape() -> None:
    """A response referencing Job is parsed into Job, its response shape, never JobRequest."""
    op = _ok(
        "/jobs", {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": _ref("Job")}}}}}
    )
    (case,) = op.responses
    assert (case.kind, case.model, case.root, case.envelope, case.result_type) == ("json", "Job", False, None, "Job")


def test_body_ref_and_root_model_hint() -> None:
    """A requestBody $ref is followed; a root-model body also accepts the plain type it wraps."""
    op = _ok("/jobs", {"requestBody": {"$ref": "#/components/requestBodies/JobBody"}}, method="post")
    assert op.body is not None and op.body.model == "JobRequest" and op.body.required
    op = _ok("/jobs", {"requestBody": {"content": {"application/json": {"schema": _ref("Jobs")}}}}, method="put")
    assert op.body is not None
    assert (op.body.model, op.body.type_hint, op.body.required) == ("Jobs", "Jobs | list[Job]", False)


def test_body_prefers_json_and_keeps_the_first_example() -> None:
    """Among several media types JSON is chosen; the first example (by name) is kept as JSON text."""
    content = {
        "text/plain": {},
        "application/json": {
            "schema": _ref("Job"),
            "examples": {"b": {"value": {"name": "second"}}, "a": {"value": {"name": "first"}}},
        },
    }
    op = _ok("/jobs", {"requestBody": {"description": "The job.", "content": content}}, method="post")
    assert op.body is not None
    assert (op.body.content_type, op.body.description) == ("application/json", "The job.")
    assert op.body.example_json == '{\n  "name": "first"\n}'


@pytest.mark.parametrize(
    ("media_type", "media", "encoding", "hint"),
    [
        ("text/plain", {"schema": {"type": "string"}}, "text", "str"),
        ("text/csv", {}, "text", "str"),
        ("application/octet-stream", {"schema": {"type": "string", "format": "binary"}}, "binary", "bytes"),
        ("image/png", {}, "binary", "bytes"),
        ("application/json", {}, "binary", "bytes"),  # JSON without a schema: sent as given
    ],
)
def test_raw_bodies(media_type: str, media: dict[str, Any], encoding: str, hint: str) -> None:
    """Text and binary bodies take str/bytes and no model."""
    op = _ok("/upload", {"requestBody": {"content": {media_type: media}}}, method="post")
    assert op.body is not None
    assert (op.body.content_type, op.body.encoding, op.body.model, op.body.type_hint) == (
        media_type,
        encoding,
        None,
        hint,
    )


@pytest.mark.parametrize("body", [None, {}, {"content": {}}, {"$ref": "#/components/requestBodies/Missing"}])
def test_no_body(body: Any) -> None:
    """No requestBody, or one without content, gives no body."""
    op: dict[str, Any] = {} if body is None else {"requestBody": body}
    assert _ok("/a", op, method="post").body is None


def test_body_model_not_found_is_an_error_and_the_operation_is_not_built() -> None:
    """A body $ref with no generated class is a model-not-found ERROR at the schema, and no operation."""
    op, diags = _build(
        "/jobs", {"requestBody": {"content": {"application/json": {"schema": _ref("Ghost")}}}}, method="post"
    )
    assert op is None
    (diag,) = list(diags)
    assert diag.code == "model-not-found" and diag.level is Level.ERROR
    assert diag.pointer == "/paths/~1jobs/post/requestBody/content/application~1json/schema"
    assert "#/components/schemas/Ghost" in diag.message


def test_body_model_must_be_a_model_not_an_enum() -> None:
    """A body referencing an enum class finds no model (kinds model/root only) and is reported."""
    op, diags = _build(
        "/jobs", {"requestBody": {"content": {"application/json": {"schema": _ref("Status")}}}}, method="post"
    )
    assert op is None
    assert [d.code for d in diags] == ["model-not-found"]


# --- responses ---------------------------------------------------------------------------------


def _json(schema: dict[str, Any], description: str = "ok") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def test_no_success_response_gives_one_empty_catch_all() -> None:
    """Without any 2xx response the operation returns None on any success."""
    op = _ok("/a", {"responses": {"404": _json(_ref("Job")), "default": {"description": "error"}}})
    assert op.responses == (
        ir.ResponseCase(
            status="2XX",
            status_code=None,
            kind="empty",
            model=None,
            root=False,
            envelope=None,
            result_type="None",
            description="",
            example_json=None,
        ),
    )
    assert op.result_type == "None"


def test_single_success_case_is_unconditional() -> None:
    """One success case matches any status (no status code to test) and the operation returns its type."""
    op = _ok("/a", {"responses": {"201": _json(_ref("Job"), "Created.")}})
    (case,) = op.responses
    assert (case.status, case.status_code, case.description) == ("201", None, "Created.")
    assert op.result_type == "Job"


def test_several_success_cases_and_a_204() -> None:
    """Several 2xx cases are sorted by status with status tests; a 204 without content is an empty case."""
    responses = {
        204: {"description": "Deleted."},
        "200": _json(_ref("Job")),
        "202": _json(_ref("Jobs")),
        "400": _json(_ref("Job")),
    }
    op = _ok("/a", {"responses": responses}, method="delete")
    assert [(c.status, c.status_code, c.kind, c.model, c.root, c.result_type) for c in op.responses] == [
        ("200", 200, "json", "Job", False, "Job"),
        ("202", 202, "json", "Jobs", True, "list[Job]"),
        ("204", 204, "empty", None, False, "None"),
    ]
    assert op.result_type == "Job | list[Job] | None"


def test_catch_all_2xx_goes_last() -> None:
    """A 2XX range is the catch-all (no status code to test), placed after the exact statuses."""
    op = _ok("/a", {"responses": {"2XX": {"description": "any"}, "201": _json(_ref("Job"))}})
    assert [(c.status, c.status_code) for c in op.responses] == [("201", 201), ("2XX", None)]


def test_response_ref_is_followed() -> None:
    """A response given as $ref to components.responses is resolved."""
    op = _ok("/a", {"responses": {"200": {"$ref": "#/components/responses/Ok"}}})
    assert op.responses[0].model == "Job"


@pytest.mark.parametrize(
    ("media_type", "kind", "result"),
    [
        ("text/plain", "text", "str"),
        ("application/octet-stream", "binary", "bytes"),
        ("application/x-www-form-urlencoded", "binary", "bytes"),
    ],
)
def test_text_and_binary_responses(media_type: str, kind: str, result: str) -> None:
    """A non-JSON response is returned raw: str for text, bytes for anything else."""
    op = _ok(
        "/a", {"responses": {"200": {"description": "d", "content": {media_type: {"schema": {"type": "string"}}}}}}
    )
    (case,) = op.responses
    assert (case.kind, case.model, case.result_type) == (kind, None, result)


def test_json_response_without_schema_is_binary() -> None:
    """A JSON response with no schema cannot be parsed into a model and is returned as bytes."""
    op = _ok("/a", {"responses": {"200": {"description": "d", "content": {"application/json": {"example": {"a": 1}}}}}})
    (case,) = op.responses
    assert (case.kind, case.result_type, case.example_json) == ("binary", "bytes", '{\n  "a": 1\n}')


def test_response_model_not_found_is_an_error() -> None:
    """A response $ref without a class is a model-not-found ERROR; the case falls back to bytes."""
    op, diags = _build("/a", {"responses": {"200": _json(_ref("Ghost"))}})
    assert op is not None
    assert op.responses[0].kind == "binary"
    (diag,) = list(diags)
    assert diag.code == "model-not-found"
    assert diag.pointer == "/paths/~1a/get/responses/200/content/application~1json/schema"


def test_envelope_data_is_unwrapped() -> None:
    """With info.x-codegen.envelope = "data", a model whose required `data` field is not nullable returns `.data`."""
    op = _ok("/a", {"responses": {"200": _json(_ref("JobList"))}}, envelope="data")
    (case,) = op.responses
    assert (case.model, case.root, case.envelope, case.result_type) == (
        "JobList",
        False,
        ir.EnvelopeMember(wire_name="data", python_name="data"),
        "list[Job]",
    )


@pytest.mark.parametrize(
    ("envelope", "model"),
    [
        (None, "JobList"),  # no envelope configured
        ("items", "JobList"),  # the model has no such field
        ("data", "Nullable"),  # the field may be null
        ("data", "Job"),  # no data field
    ],
)
def test_envelope_not_applied(envelope: str | None, model: str) -> None:
    """Without a non-nullable envelope field the whole model is returned."""
    op = _ok("/a", {"responses": {"200": _json(_ref(model))}}, envelope=envelope)
    (case,) = op.responses
    assert (case.root, case.envelope, case.result_type) == (False, None, model)


def test_optional_envelope_field_is_not_unwrapped() -> None:
    """An envelope field that is not required may be absent, so the whole model must be returned."""
    op = _ok("/a", {"responses": {"200": _json(_ref("OptionalData"))}}, envelope="data")
    (case,) = op.responses
    assert (case.envelope, case.result_type) == (None, "OptionalData")


def test_root_model_response_returns_root_even_with_an_envelope() -> None:
    """A root-model response returns `.root` and its wrapped type."""
    op = _ok("/a", {"responses": {"200": _json(_ref("Jobs"))}}, envelope="data")
    assert (op.responses[0].root, op.result_type) == (True, "list[Job]")


# --- the operation as a whole ------------------------------------------------------------------


def test_operation_fields() -> None:
    """build() fills names, method, pointer, texts, deprecation, permission, idempotency and security."""
    builder, diags = _builder()
    spec = {
        "operationId": "runJob",
        "summary": "  Run a job.  ",
        "description": "Starts a run.\n",
        "deprecated": True,
        "x-required-permission": "jobs:run",
        "security": [{"bearer": []}, {"apiKey": [], "bearer": []}],
        "responses": {"204": {"description": "Started."}},
    }
    raw = _raw("/jobs/{jobId}/runs", spec, method="post", item={"parameters": [_path_param("jobId")]})
    op = builder.build(raw, OperationNames(python_name="run_job", constant_name="_RUN_JOB"), "start_job", ())
    assert op is not None and list(diags) == []
    assert (op.operation_id, op.python_name, op.constant_name) == ("runJob", "run_job", "_RUN_JOB")
    assert (op.method, op.path, op.pointer) == ("POST", "/jobs/{jobId}/runs", "/paths/~1jobs~1{jobId}~1runs/post")
    assert (op.summary, op.description) == ("Run a job.", "Starts a run.")
    assert op.deprecated and op.replaced_by == "start_job"
    assert op.permission == "jobs:run"
    assert op.idempotent is False
    assert op.security == (("bearer",), ("apiKey", "bearer"))
    assert op.variants == ()


@pytest.mark.parametrize(
    ("method", "idempotent"),
    [
        ("get", True),
        ("put", True),
        ("delete", True),
        ("head", True),
        ("options", True),
        ("post", False),
        ("patch", False),
    ],
)
def test_idempotent_methods(method: str, idempotent: bool) -> None:
    """Only methods HTTP defines as idempotent are marked so (they may be retried)."""
    assert _ok("/a", {}, method=method).idempotent is idempotent


@pytest.mark.parametrize(("security", "expected"), [(None, None), ([], ()), ([{}], ((),)), ("bad", None)])
def test_security_none_means_default_and_empty_means_none(security: Any, expected: tuple[str, ...] | None) -> None:
    """No `security` key keeps the API default (None); an empty list means no credentials (())."""
    op: dict[str, Any] = {} if security is None else {"security": security}
    assert _ok("/a", op).security == expected


def test_permission_already_in_description_is_not_repeated() -> None:
    """x-required-permission is dropped when the description already names it."""
    op = _ok("/a", {"description": "Needs jobs:read.", "x-required-permission": "jobs:read"})
    assert op.permission is None


def test_variant_extra_params_are_the_path_params_the_primary_lacks() -> None:
    """variant() keeps only the variant path's parameters that the primary's path does not have."""
    builder, _ = _builder()
    primary_raw = _raw(
        "/projects/{projectId}/jobs/{jobId}", {"parameters": [_path_param("projectId"), _path_param("jobId")]}
    )
    primary = builder.build(primary_raw, OperationNames(python_name="get_job", constant_name="_GET_JOB"), None, ())
    assert primary is not None
    variant_raw = _raw(
        "/teams/{teamId}/projects/{projectId}/jobs/{jobId}",
        {
            "parameters": [
                _path_param("teamId"),
                _path_param("projectId"),
                _path_param("jobId"),
                {"name": "q", "in": "query"},
            ]
        },
    )
    variant = builder.variant(
        variant_raw, OperationNames(python_name="get_team_job", constant_name="_GET_TEAM_JOB"), primary
    )
    assert (variant.constant_name, variant.path) == (
        "_GET_TEAM_JOB",
        "/teams/{teamId}/projects/{projectId}/jobs/{jobId}",
    )
    assert [p.wire_name for p in variant.extra_params] == ["teamId"]
