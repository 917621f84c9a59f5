"""Unit tests of generator/ir/build.py (build_ir) and generator/ir/client.py on tiny documents, hand-made models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostics, Level
from generator.ir import nodes as ir
from generator.ir.build import build_ir
from generator.ir.client import scheme_arguments
from generator.models.module import ModelClass, ModelField, ModelsModule
from generator.settings import Settings

FILE = "spec/openapi.yaml"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _models(*extra: ModelClass) -> ModelsModule:
    classes = {
        "Job": ModelClass(
            name="Job", kind="model", fields=(ModelField(python_name="id", wire_name="id", annotation="str"),)
        ),
        "Stamps": ModelClass(
            name="Stamps",
            kind="root",
            fields=(ModelField(python_name="root", wire_name="root", annotation="list[datetime]"),),
        ),
    }
    classes.update({c.name: c for c in extra})
    by_source = {f"#/components/schemas/{name}": (name,) for name in classes}
    return ModelsModule(
        header="# header. DO NOT EDIT.", imports=(), definitions=(), classes=classes, by_source=by_source
    )


def _doc(paths: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "Jobs API", "version": "2.0"}, "paths": paths or {}}
    doc.update(top)
    return doc


def _build(
    doc: dict[str, Any], models: ModelsModule | None = None, **settings: Any
) -> tuple[ir.Api, list[tuple[str, Level, str]]]:
    diags = Diagnostics()
    api = build_ir(
        doc,
        models or _models(),
        settings=Settings(spec=Path(FILE), out=Path("generated"), **settings),
        file=FILE,
        sha256="abc123",
        diags=diags,
    )
    return api, [(d.code, d.level, d.pointer) for d in diags]


def _op(op_id: str, *tags: str, **more: Any) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": op_id, "responses": {"204": {"description": "done"}}}
    if tags:
        op["tags"] = list(tags)
    op.update(more)
    return op


def _tag(api: ir.Api, name: str) -> ir.Tag:
    (tag,) = [t for t in api.tags if t.name == name]
    return tag


def _path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


# --- tags ------------------------------------------------------------------------------------


def test_api_fields_from_info() -> None:
    """Title, version, description, spec path and hash and the sorted model names reach the Api."""
    doc = _doc({"/a": {"get": _op("a", "t")}})
    doc["info"]["description"] = "  The API.\n"
    api, diags = _build(doc)
    assert diags == []
    assert (api.title, api.version, api.description) == ("Jobs API", "2.0", "The API.")
    assert (api.spec_path, api.spec_sha256) == (FILE, "abc123")
    assert api.models == ("Job", "Stamps")
    assert api.model_groups == ()  # no definitions: one models.py


def test_tags_sorted_with_module_resource_and_attribute_names() -> None:
    """Each tag gets a module, PascalCase sync/async resource classes and a client attribute; sorted by name."""
    doc = _doc(
        {"/a": {"get": _op("a", "jobs")}, "/b": {"get": _op("b", "Job Runs")}},
        tags=[{"name": "jobs", "description": "Job things."}],
    )
    api, _ = _build(doc)
    assert [(t.name, t.module, t.resource_class, t.async_resource_class, t.attribute) for t in api.tags] == [
        ("Job Runs", "job_runs", "JobRunsResource", "AsyncJobRunsResource", "job_runs"),
        ("jobs", "jobs", "JobsResource", "AsyncJobsResource", "jobs"),
    ]
    assert _tag(api, "jobs").description == "Job things."
    assert _tag(api, "Job Runs").description == ""


def test_untagged_operations_live_under_their_paths_first_word() -> None:
    """An operation without tags lives in the resource of its path's first word (``default`` without one)."""
    api, _ = _build(_doc({"/v1/a": {"get": _op("ping")}, "/": {"get": _op("root")}}))
    assert [(t.name, t.module, t.resource_class) for t in api.tags] == [
        ("a", "a", "AResource"),
        ("default", "default", "DefaultResource"),
    ]
    tag = api.tags[0]
    assert [op.python_name for op in tag.operations] == ["ping"]


@pytest.mark.parametrize(("tag", "module"), [("models", "models_2"), ("close", "close_2"), ("base_url", "base_url_2")])
def test_tag_module_avoids_client_attributes(tag: str, module: str) -> None:
    """A tag named like an attribute of the client class gets another module and attribute."""
    api, _ = _build(_doc({"/a": {"get": _op("a", tag)}}))
    assert (api.tags[0].module, api.tags[0].attribute) == (module, module)


def test_tags_with_the_same_module_name_are_suffixed() -> None:
    """Two tags that snake-case alike get distinct modules, in sorted tag order."""
    api, _ = _build(_doc({"/a": {"get": _op("a", "jobs")}, "/b": {"get": _op("b", "Jobs")}}))
    assert [(t.name, t.module, t.resource_class) for t in api.tags] == [
        ("Jobs", "jobs", "JobsResource"),
        ("jobs", "jobs_2", "Jobs2Resource"),
    ]


def test_resource_class_avoids_model_class_names() -> None:
    """A resource class never takes the name of a generated model class."""
    models = _models(
        ModelClass(name="JobsResource", kind="model", fields=()),
        ModelClass(name="AsyncJobsResource2", kind="model", fields=()),
    )
    api, _ = _build(_doc({"/a": {"get": _op("a", "jobs")}}), models)
    tag = api.tags[0]
    assert tag.resource_class == "JobsResource2"
    assert tag.async_resource_class not in models.classes
    assert tag.async_resource_class == "AsyncJobsResource22"  # PascalCase names take a bare number


def test_operations_of_a_tag_sorted_by_path_then_method() -> None:
    """A tag's operations come in path order, then HTTP method order."""
    paths = {
        "/b": {"get": _op("bGet", "t")},
        "/a": {"post": _op("aPost", "t"), "get": _op("aGet", "t"), "delete": _op("aDelete", "t")},
    }
    api, _ = _build(_doc(paths))
    assert [op.operation_id for op in api.tags[0].operations] == ["aGet", "aPost", "aDelete", "bGet"]


def test_operation_with_two_tags_lives_under_the_first_and_is_shared_by_the_other() -> None:
    """The first tag holds the operation; the second lists a SharedOperation pointing home, with home_imports."""
    paths = {"/jobs/{id}": {"get": _op("getJob", "jobs", "runs", summary="Get a job.", parameters=[_path_param("id")])}}
    api, diags = _build(_doc(paths))
    assert diags == []
    jobs, runs = _tag(api, "jobs"), _tag(api, "runs")
    assert [op.operation_id for op in jobs.operations] == ["getJob"]
    assert jobs.shared_operations == ()
    assert runs.operations == ()
    assert runs.shared_operations == (
        ir.SharedOperation(
            operation_id="getJob",
            python_name="get_job",
            home_method="get_job",
            home_module="jobs",
            home_attribute="jobs",
            home_resource_class="JobsResource",
            home_async_resource_class="AsyncJobsResource",
            summary="Get a job.",
        ),
    )
    assert runs.home_imports == (("jobs", ("AsyncJobsResource", "JobsResource")),)
    assert jobs.home_imports == ()


def test_shared_operation_name_avoids_the_tags_own_methods() -> None:
    """A shared operation named like one of the sharing tag's own methods is renamed there only."""
    paths = {"/a": {"get": _op("getJob", "jobs", "runs")}, "/b": {"get": _op("get_job", "runs")}}
    api, _ = _build(_doc(paths))
    (shared,) = _tag(api, "runs").shared_operations
    assert (shared.python_name, shared.home_method) == ("get_job_2", "get_job")
    assert [op.python_name for op in _tag(api, "runs").operations] == ["get_job"]


def test_home_imports_group_resources_by_module() -> None:
    """home_imports lists each home module once with its sync and async resource classes, sorted."""
    paths = {
        "/a": {"get": _op("a", "alpha", "zeta")},
        "/b": {"get": _op("b", "beta", "zeta")},
        "/c": {"get": _op("c", "alpha", "zeta")},
    }
    api, _ = _build(_doc(paths))
    zeta = _tag(api, "zeta")
    assert [s.operation_id for s in zeta.shared_operations] == ["a", "b", "c"]
    assert zeta.home_imports == (
        ("alpha", ("AlphaResource", "AsyncAlphaResource")),
        ("beta", ("AsyncBetaResource", "BetaResource")),
    )


def test_tag_flags_and_imports() -> None:
    """model_imports, type_imports, has_body, has_deprecated and parses_json follow the tag's operations."""
    ok = {"description": "ok", "content": {"application/json": {"schema": _ref("Job")}}}
    stamps = {"description": "ok", "content": {"application/json": {"schema": _ref("Stamps")}}}
    paths = {
        "/jobs": {
            "post": _op(
                "createJob",
                "jobs",
                requestBody={"content": {"application/json": {"schema": _ref("Job")}}},
                responses={"201": ok},
            ),
            "get": _op("stamps", "jobs", deprecated=True, responses={"200": stamps}),
        },
        "/ping": {"get": _op("ping", "misc", requestBody={"content": {"text/plain": {}}})},
    }
    api, _ = _build(_doc(paths))
    jobs, misc = _tag(api, "jobs"), _tag(api, "misc")
    assert jobs.model_imports == ("Job", "Stamps")
    assert jobs.type_imports == (("datetime", "datetime"),)
    assert (jobs.has_body, jobs.has_deprecated, jobs.parses_json) == (True, True, True)
    assert (misc.model_imports, misc.type_imports) == ((), ())
    assert (misc.has_body, misc.has_deprecated, misc.parses_json) == (False, False, False)  # a raw body: no model


# --- diagnostics ------------------------------------------------------------------------------


def test_duplicate_operation_id_is_an_error_and_the_first_wins() -> None:
    """A repeated operationId is an ERROR at the later one's operationId; only the first is built."""
    paths = {"/a": {"get": _op("same", "t")}, "/b": {"get": _op("same", "t")}}
    api, diags = _build(_doc(paths))
    assert diags == [("duplicate-operation-id", Level.ERROR, "/paths/~1b/get/operationId")]
    assert [op.path for op in api.tags[0].operations] == ["/a"]


def test_unknown_variant_target_is_an_error() -> None:
    """x-codegen-variant-of naming no operationId is an ERROR; the variant is not built as an operation."""
    paths = {"/a": {"get": _op("a", "t")}, "/b": {"get": _op("b", "t", **{"x-codegen-variant-of": "nope"})}}
    api, diags = _build(_doc(paths))
    assert diags == [("unknown-variant-target", Level.ERROR, "/paths/~1b/get/x-codegen-variant-of")]
    assert [op.operation_id for op in api.tags[0].operations] == ["a"]


def test_operation_that_cannot_be_built_is_left_out() -> None:
    """An operation whose body model is missing is reported and absent from its tag (the tag is too)."""
    body = {"content": {"application/json": {"schema": _ref("Ghost")}}}
    paths = {"/a": {"post": _op("a", "ghosts", requestBody=body)}, "/b": {"get": _op("b", "t")}}
    api, diags = _build(_doc(paths))
    assert [code for code, _, _ in diags] == ["model-not-found"]
    assert [t.name for t in api.tags] == ["t"]


# --- variants and replacements ------------------------------------------------------------------


def test_variants_are_folded_into_their_primary_with_their_extra_params() -> None:
    """A variant becomes a Variant of its primary (extra path params only), never an operation of its own."""
    paths = {
        "/projects/{projectId}/jobs": {"get": _op("listJobs", "jobs", parameters=[_path_param("projectId")])},
        "/teams/{teamId}/projects/{projectId}/jobs": {
            "get": _op(
                "listTeamJobs",
                "other",
                parameters=[_path_param("teamId"), _path_param("projectId")],
                **{"x-codegen-variant-of": "listJobs"},
            )
        },
    }
    api, diags = _build(_doc(paths))
    assert diags == []
    assert [t.name for t in api.tags] == ["jobs"]  # the variant's own tag gets nothing
    (op,) = api.tags[0].operations
    (variant,) = op.variants
    assert (variant.operation_id, variant.constant_name, variant.path) == (
        "listTeamJobs",
        "_LIST_TEAM_JOBS",
        "/teams/{teamId}/projects/{projectId}/jobs",
    )
    assert [(p.wire_name, p.python_name, p.location) for p in variant.extra_params] == [("teamId", "team_id", "path")]


def test_several_variants_in_operation_id_order() -> None:
    """A primary's variants are listed by operationId."""
    paths = {
        "/a": {"get": _op("base", "t")},
        "/z/{z}": {"get": _op("zVariant", "t", parameters=[_path_param("z")], **{"x-codegen-variant-of": "base"})},
        "/y/{y}": {"get": _op("aVariant", "t", parameters=[_path_param("y")], **{"x-codegen-variant-of": "base"})},
    }
    api, _ = _build(_doc(paths))
    (op,) = api.tags[0].operations
    assert [v.operation_id for v in op.variants] == ["aVariant", "zVariant"]


def test_variant_extra_param_names_do_not_repeat_the_primarys() -> None:
    """The folded method's keywords (primary params plus variant extras) must all have distinct Python names."""
    paths = {
        "/projects/{projectId}/jobs": {
            "get": _op("listJobs", "jobs", parameters=[_path_param("projectId"), {"name": "teamId", "in": "query"}])
        },
        "/teams/{teamId}/projects/{projectId}/jobs": {
            "get": _op(
                "listTeamJobs",
                "jobs",
                parameters=[_path_param("teamId"), _path_param("projectId")],
                **{"x-codegen-variant-of": "listJobs"},
            )
        },
    }
    api, diags = _build(_doc(paths))
    (op,) = api.tags[0].operations
    params = op.path_params + op.query_params + op.header_params + op.cookie_params
    names = [p.python_name for p in params] + [p.python_name for v in op.variants for p in v.extra_params]
    assert len(names) == len(set(names)) or diags, names


@pytest.mark.parametrize(
    ("replaced_by", "expected"), [("createJobV2", "create_job_v2"), ("somethingElse", "somethingElse")]
)
def test_replaced_by_resolves_to_a_python_name(replaced_by: str, expected: str) -> None:
    """x-codegen-replaced-by naming an operationId becomes that operation's Python name; other text stays."""
    paths = {
        "/a": {"post": _op("createJob", "t", deprecated=True, **{"x-codegen-replaced-by": replaced_by})},
        "/b": {"post": _op("createJobV2", "t")},
    }
    api, _ = _build(_doc(paths))
    op = next(o for o in api.tags[0].operations if o.operation_id == "createJob")
    assert op.deprecated and op.replaced_by == expected


def test_replaced_by_uses_the_suffixed_name() -> None:
    """A replacement whose name was suffixed to avoid a collision is named by its real method."""
    paths = {
        "/a": {"get": _op("getJob", "t")},
        "/b": {"get": _op("get_job", "t")},
        "/c": {"get": _op("old", "t", **{"x-codegen-replaced-by": "get_job"})},
    }
    api, _ = _build(_doc(paths))
    old = next(o for o in api.tags[0].operations if o.operation_id == "old")
    assert old.replaced_by == "get_job_2"


def test_replaced_by_not_a_string_is_ignored() -> None:
    """A non-string x-codegen-replaced-by gives no replacement."""
    api, _ = _build(_doc({"/a": {"get": _op("a", "t", **{"x-codegen-replaced-by": 3})}}))
    assert api.tags[0].operations[0].replaced_by is None


# --- client.py: names, package, token -------------------------------------------------------------


@pytest.mark.parametrize(
    ("codegen", "settings", "client_class"),
    [
        ({}, {}, "JobsAPIClient"),
        ({"clientName": "Northflank"}, {}, "NorthflankClient"),
        ({"clientName": "NorthflankClient"}, {}, "NorthflankClient"),  # "Client" is not doubled
        ({"clientName": "northflank jobs"}, {}, "NorthflankJobsClient"),
        ({"clientName": "Northflank"}, {"client_name": "Override"}, "OverrideClient"),
        ({}, {"client_name": "123"}, "Api123Client"),
    ],
)
def test_client_class_names(codegen: dict[str, Any], settings: dict[str, Any], client_class: str) -> None:
    """The client class comes from Settings, else info.x-codegen.clientName, else the title; async gets a prefix."""
    doc = _doc()
    doc["info"]["x-codegen"] = codegen
    api, diags = _build(doc, **settings)
    assert diags == []
    assert (api.client_class, api.async_client_class) == (client_class, "Async" + client_class)


@pytest.mark.parametrize(
    ("codegen", "settings", "package", "warned"),
    [
        ({}, {}, "jobs_api", False),
        ({"package": "northflank_jobs"}, {}, "northflank_jobs", False),
        ({"package": "northflank_jobs"}, {"package": "mine"}, "mine", False),
        ({"package": "my-api"}, {}, "my_api", True),
        ({"package": "class"}, {}, "class_", True),
        ({"package": "bad; import os"}, {}, "bad_import_os", True),
        ({}, {"package": "über"}, "uber", True),
    ],
)
def test_package_names(codegen: dict[str, Any], settings: dict[str, Any], package: str, warned: bool) -> None:
    """The package is from Settings, x-codegen.package or the title; a non-identifier is warned and made safe."""
    doc = _doc()
    doc["info"]["x-codegen"] = codegen
    api, diags = _build(doc, **settings)
    assert api.package == package
    expected = [("invalid-package-name", Level.WARNING, "/info/x-codegen/package")] if warned else []
    assert diags == expected


@pytest.mark.parametrize(
    ("codegen", "settings", "token", "warned"),
    [
        ({}, {}, None, False),
        ({"tokenEnvVar": ""}, {}, None, False),
        ({"tokenEnvVar": "NF_TOKEN"}, {}, "NF_TOKEN", False),
        ({"tokenEnvVar": "NF_TOKEN"}, {"token_env_var": "MY_TOKEN"}, "MY_TOKEN", False),
        ({"tokenEnvVar": "A=B"}, {}, None, True),
        ({"tokenEnvVar": "A\x00B"}, {}, None, True),
        ({}, {"token_env_var": "X=1"}, None, True),
    ],
)
def test_token_env_var(codegen: dict[str, Any], settings: dict[str, Any], token: str | None, warned: bool) -> None:
    """The token variable comes from Settings or x-codegen.tokenEnvVar; one with '=' or NUL is warned and dropped."""
    doc = _doc()
    doc["info"]["x-codegen"] = codegen
    api, diags = _build(doc, **settings)
    assert api.token_env_var == token
    expected = [("invalid-token-env-var", Level.WARNING, "/info/x-codegen/tokenEnvVar")] if warned else []
    assert diags == expected


@pytest.mark.parametrize(
    ("servers", "base_url"),
    [
        (None, ""),
        ([], ""),
        (["https://x"], ""),  # not a server object
        ([{"url": "https://api.example.com/v1/"}], "https://api.example.com/v1"),
        ([{"url": "https://a.example.com"}, {"url": "https://b.example.com"}], "https://a.example.com"),
        (
            [
                {
                    "url": "https://{region}.example.com/{version}",
                    "variables": {"region": {"default": "eu"}, "version": {"default": "v2"}},
                }
            ],
            "https://eu.example.com/v2",
        ),
        (
            [{"url": "https://{region}.example.com", "variables": {"region": {"enum": ["eu"]}}}],
            "https://{region}.example.com",
        ),
    ],
)
def test_base_url_from_the_first_server(servers: Any, base_url: str) -> None:
    """base_url is the first server's URL with variable defaults filled in and no trailing slash."""
    doc = _doc() if servers is None else _doc(servers=servers)
    api, _ = _build(doc)
    assert api.base_url == base_url


# --- client.py: security --------------------------------------------------------------------------


def test_security_schemes_of_each_kind() -> None:
    """bearer, basic, oauth2/openIdConnect and apiKey (header, query, cookie) become sorted SecuritySchemes."""
    schemes = {
        "token": {"type": "http", "scheme": "Bearer"},
        "basic": {"type": "http", "scheme": "basic", "description": "user and password"},
        "oauth": {"type": "oauth2", "flows": {}},
        "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://x"},
        "keyHeader": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
        "keyQuery": {"type": "apiKey", "in": "query", "name": "api_key"},
        "keyCookie": {"type": "apiKey", "in": "cookie", "name": "sid"},
    }
    api, diags = _build(_doc(components={"securitySchemes": schemes}))
    assert diags == []
    assert [(s.name, s.kind, s.location, s.parameter) for s in api.security_schemes] == [
        ("basic", "basic", "header", "Authorization"),
        ("keyCookie", "api_key", "cookie", "sid"),
        ("keyHeader", "api_key", "header", "X-Api-Key"),
        ("keyQuery", "api_key", "query", "api_key"),
        ("oauth", "bearer", "header", "Authorization"),
        ("oidc", "bearer", "header", "Authorization"),
        ("token", "bearer", "header", "Authorization"),
    ]
    # The only basic scheme takes the conventional names; kinds with several schemes are named after each.
    assert {s.name: s.arguments for s in api.security_schemes} == {
        "basic": ("username", "password"),
        "keyCookie": ("key_cookie",),
        "keyHeader": ("key_header",),
        "keyQuery": ("key_query",),
        "oauth": ("oauth",),
        "oidc": ("oidc",),
        "token": ("token",),
    }
    assert {s.name: s.env_vars for s in api.security_schemes}["basic"] == ("JOBS_API_USERNAME", "JOBS_API_PASSWORD")
    assert {s.name: s.env_vars for s in api.security_schemes}["keyQuery"] == ("JOBS_API_KEY_QUERY",)
    assert api.security_schemes[0].description == "user and password"
    assert api.credential_args == (
        "username",
        "password",
        "key_cookie",
        "key_header",
        "key_query",
        "oauth",
        "oidc",
        "token",
    )


def test_single_bearer_scheme_reads_the_configured_token_variable() -> None:
    """The one bearer scheme is ``token``, falling back to x-codegen's tokenEnvVar."""
    doc = _doc(components={"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}})
    doc["info"]["x-codegen"] = {"tokenEnvVar": "JOBS_TOKEN"}
    api, _ = _build(doc)
    assert [(s.arguments, s.env_vars) for s in api.security_schemes] == [(("token",), ("JOBS_TOKEN",))]


@pytest.mark.parametrize(
    "scheme",
    [
        {"type": "http", "scheme": "digest"},
        {"type": "mutualTLS"},
        {"type": "apiKey", "in": "body", "name": "k"},
        {"type": "apiKey", "name": "k"},
        "not an object",
    ],
)
def test_unsupported_security_scheme_is_warned(scheme: Any) -> None:
    """A scheme the client cannot send is a WARNING at its pointer and is left out."""
    api, diags = _build(_doc(components={"securitySchemes": {"odd": scheme}}))
    assert api.security_schemes == ()
    assert diags == [("unsupported-security-scheme", Level.WARNING, "/components/securitySchemes/odd")]


def test_unsupported_security_scheme_pointer_is_escaped() -> None:
    """A scheme name holding '/' or '~' is escaped in the diagnostic's JSON pointer."""
    _, diags = _build(_doc(components={"securitySchemes": {"a/b~c": {"type": "mutualTLS"}}}))
    assert [pointer for _, _, pointer in diags] == ["/components/securitySchemes/a~1b~0c"]


def test_default_security_keeps_known_schemes_in_order() -> None:
    """Top-level security names the schemes used by default, in order, without unknown or unsupported ones."""
    schemes = {
        "token": {"type": "http", "scheme": "bearer"},
        "key": {"type": "apiKey", "in": "header", "name": "K"},
        "tls": {"type": "mutualTLS"},
    }
    security = [{"key": []}, {"token": [], "key": []}, {"token": [], "tls": []}, {"ghost": []}, "junk", {"key": []}]
    api, _ = _build(_doc(components={"securitySchemes": schemes}, security=security))
    # Alternatives (OR) of schemes sent together (AND); one the client cannot send is dropped.
    assert api.default_security == (("key",), ("token", "key"))


@pytest.mark.parametrize(
    ("schemes", "args"),
    [
        ((), {}),
        ((("b", "basic"),), {"b": ("username", "password")}),
        ((("k", "api_key"), ("t", "bearer")), {"k": ("api_key",), "t": ("token",)}),
        (
            (("JWT", "api_key"), ("Key", "api_key"), ("Project", "api_key")),
            {"JWT": ("jwt",), "Key": ("key",), "Project": ("project",)},
        ),
        ((("a", "basic"), ("b", "basic")), {"a": ("a_username", "a_password"), "b": ("b_username", "b_password")}),
        # A scheme named like another constructor argument never shadows it.
        ((("timeout", "api_key"), ("token", "api_key")), {"timeout": ("timeout_2",), "token": ("token",)}),
    ],
)
def test_scheme_arguments(schemes: tuple[tuple[str, ir.SchemeKind], ...], args: dict[str, tuple[str, ...]]) -> None:
    """One argument per scheme: conventional when alone of its kind, else named after the scheme."""
    assert scheme_arguments(list(schemes)) == args


def test_operation_security_override() -> None:
    """An operation's own security list is kept as scheme names; [] means none."""
    paths = {"/a": {"get": _op("a", "t", security=[])}, "/b": {"get": _op("b", "t", security=[{"token": []}])}}
    schemes = {"token": {"type": "http", "scheme": "bearer"}}
    api, _ = _build(_doc(paths, components={"securitySchemes": schemes}))
    assert [op.security for op in api.tags[0].operations] == [(), (("token",),)]
