"""The testing fake plays any spec truthfully (issue 22): routing, wire decoding, error shapes, credentials.

Small specs generated inline; requests go to the generated ``Fake<Api>`` both raw (``httpx``, so the
fake's decoding is checked independently of the client's encoder) and through ``fake.client()``.
Error bodies are checked with ``jsonschema`` against the spec's own schemas, not the package's models.
"""

from __future__ import annotations

import base64
import copy
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import jsonschema
import pytest

from tests.support.codegen import Generated, generate, import_package

KEY = {"X-API-Key": "k"}
JSON_MEDIA = ("application/json", "application/problem+json")


def _schema(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], example: Any, media: str = "application/json") -> dict[str, Any]:
    return {"content": {media: {"schema": schema, "example": example}}}


def _path_param(name: str, schema: dict[str, Any], **options: Any) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema, **options}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Truth API", "version": "1.0"},
    "servers": [{"url": "https://api.example.com/v1"}],
    "security": [{"ApiKey": []}],
    "components": {
        "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
        "schemas": {
            "Problem": {
                "type": "object",
                "required": ["code", "description"],
                "properties": {
                    "code": {"type": "integer"},
                    "description": {"type": "string"},
                    "field": {"type": "string"},
                },
            },
            "NotFound": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["message"],
                        "properties": {"message": {"type": "string"}, "reason": {"type": "string"}},
                    }
                },
            },
            "Denied": {"type": "object", "required": ["title"], "properties": {"title": {"type": "string"}}},
            "File": {"type": "object", "properties": {"name": {"type": "string"}}},
        },
    },
    "paths": {
        "/files/{name}": {
            "get": {
                "operationId": "getFile",
                "parameters": [_path_param("name", {"type": "string"})],
                "responses": {"200": {"description": "ok", **_json(_schema("File"), {"name": "f"})}},
            }
        },
        "/files/{name}:download": {
            "get": {
                "operationId": "downloadFile",
                "parameters": [_path_param("name", {"type": "string"})],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"text/plain": {"schema": {"type": "string"}, "example": "x"}},
                    }
                },
            }
        },
        "/ranges/{a}-{b}": {
            "get": {
                "operationId": "getRange",
                "parameters": [_path_param("a", {"type": "integer"}), _path_param("b", {"type": "integer"})],
                "responses": {"204": {"description": "ok"}},
            }
        },
        "/pairs/{x}{y}": {
            "get": {
                "operationId": "getPair",
                "parameters": [
                    _path_param("x", {"type": "string"}, style="label"),
                    _path_param("y", {"type": "array", "items": {"type": "integer"}}, style="label"),
                ],
                "responses": {"204": {"description": "ok"}},
            }
        },
        "/cells/{id}": {
            "get": {
                "operationId": "getCell",
                "parameters": [_path_param("id", {"type": "integer"}, style="matrix")],
                "responses": {"204": {"description": "ok"}},
            }
        },
        "/tags/{tags}": {
            "get": {
                "operationId": "getTags",
                "parameters": [_path_param("tags", {"type": "array", "items": {"type": "string"}})],
                "responses": {"204": {"description": "ok"}},
            }
        },
        "/odd#key/{id}": {
            "get": {
                "operationId": "getOdd",
                "parameters": [_path_param("id", {"type": "integer"})],
                "responses": {"204": {"description": "ok"}},
            }
        },
        "/search": {
            "get": {
                "operationId": "search",
                "parameters": [
                    {
                        "name": "queryMap",
                        "in": "query",
                        "required": True,
                        "style": "form",
                        "explode": True,
                        "schema": {
                            "type": "object",
                            "properties": {"name": {"type": "string"}, "size": {"type": "integer"}},
                        },
                    },
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                ],
                "responses": {"204": {"description": "ok"}},
            }
        },
        "/uploads": {
            "post": {
                "operationId": "upload",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["read"],
                                "properties": {
                                    "read": {"type": "array", "items": {"type": "string"}},
                                    "meta": {"type": "object", "properties": {"k": {"type": "integer"}}},
                                    "file": {"type": "string", "format": "binary"},
                                },
                            },
                            "encoding": {"meta": {"contentType": "application/json"}},
                        }
                    },
                },
                "responses": {"204": {"description": "ok"}},
            }
        },
        "/things": {
            "post": {
                "operationId": "createThing",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "metadata": {
                                        "type": "object",
                                        "properties": {"order": {"type": "string"}},
                                        "additionalProperties": False,
                                    },
                                },
                            },
                            "encoding": {"metadata": {"style": "deepObject", "explode": True}},
                        }
                    },
                },
                "responses": {
                    "204": {"description": "ok"},
                    "422": {
                        "description": "invalid",
                        **_json(_schema("Problem"), {"code": 7, "description": "Invalid"}, "application/problem+json"),
                    },
                },
            }
        },
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "parameters": [_path_param("id", {"type": "integer"})],
                "responses": {
                    "200": {"description": "ok", **_json(_schema("File"), {"name": "i"})},
                    "401": {"description": "who", **_json(_schema("Denied"), {"title": "Unauthorized"})},
                    "404": {
                        "description": "not found",
                        **_json(_schema("NotFound"), {"error": {"message": "Not found", "reason": "gone"}}),
                    },
                    "4XX": {"description": "bad", **_json(_schema("Problem"), {"code": 1, "description": "Bad"})},
                },
            }
        },
    },
}


class Package:
    def __init__(self, gen: Generated, modules: dict[str, ModuleType]) -> None:
        self.gen = gen
        self.modules = modules
        self.root = modules[gen.package]
        self.testing = modules[f"{gen.package}.testing"]
        self.models = modules[f"{gen.package}.models"]

    def fake(self, **kwargs: Any) -> Any:
        return getattr(self.testing, self.gen.api.fake_class)(**kwargs)


def _build(spec: dict[str, Any], workdir: Path) -> Iterator[Package]:
    gen = generate(spec, workdir)
    yield Package(gen, import_package(gen))
    for name in [m for m in sys.modules if m == gen.package or m.startswith(gen.package + ".")]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Package]:
    yield from _build(SPEC, tmp_path_factory.mktemp("fake-truth"))


@pytest.fixture
def fake(pkg: Package) -> Any:
    return pkg.fake()


def http(fake: Any, **headers: str) -> httpx.Client:
    return httpx.Client(transport=fake, base_url=fake.base_url, headers={**KEY, **headers})


def validates(body: object, name: str, spec: Mapping[str, Any] = SPEC) -> None:
    """``body`` against the spec's schema ``name`` (jsonschema, not the package's models)."""
    jsonschema.validate(body, {**_schema(name), "components": spec["components"]})


# --- 1. Routing ------------------------------------------------------------------------------------


def test_a_literal_suffix_after_a_parameter_is_its_own_route(fake: Any) -> None:
    with http(fake) as client:
        assert client.get("/files/report:download").text == "x"
        assert client.get("/files/report").json() == {"name": "f"}
    assert [(c.operation, c.path_params) for c in fake.calls] == [
        ("files.download_file", {"name": "report"}),
        ("files.get_file", {"name": "report"}),
    ]
    with fake.client() as client:
        assert client.files.download_file("a b") == "x"
    assert fake.files.download_file.last_call.path_params == {"name": "a b"}


def test_several_parameters_in_one_segment(fake: Any) -> None:
    with http(fake) as client:
        assert client.get("/ranges/3-14").status_code == 204
        assert client.get("/ranges/-3--4").status_code == 204
        assert client.get("/pairs/.left.1,2").status_code == 204
    assert [c.path_params for c in fake.calls] == [
        {"a": 3, "b": 14},
        {"a": -3, "b": -4},
        {"x": "left", "y": [1, 2]},
    ]
    with fake.client() as client:
        client.ranges.get_range(a=5, b=6)
        client.pairs.get_pair(x="p", y=[7])
    assert fake.ranges.get_range.last_call.path_params == {"a": 5, "b": 6}
    assert fake.pairs.get_pair.last_call.path_params == {"x": "p", "y": [7]}


def test_label_matrix_and_array_path_parameters_are_decoded_by_their_style(fake: Any) -> None:
    with http(fake) as client:
        assert client.get("/cells/;id=5").status_code == 204
        assert client.get("/tags/a%2Cb,c").status_code == 204
        assert client.get("/cells/5").status_code == 422  # not matrix style: the client got it wrong
    assert [c.path_params for c in fake.calls] == [{"id_": 5}, {"tags": ["a,b", "c"]}]
    assert fake.rejected[0].fields == ["path.id"]
    with fake.client() as client:
        client.cells.get_cell(9)
        client.tags.get_tags(["x,y", "z"])
    assert fake.cells.get_cell.last_call.path_params == {"id_": 9}
    assert fake.tags.get_tags.last_call.path_params == {"tags": ["x,y", "z"]}


def test_a_path_key_holding_a_hash(fake: Any) -> None:
    with http(fake) as client:
        assert client.get("/odd%23key/5").status_code == 204
        assert client.get("/odd/5").status_code == 404
    assert fake.odd_key.get_odd.last_call.path_params == {"id_": 5}


def test_an_exploded_object_query_parameter_is_its_members(fake: Any) -> None:
    with http(fake) as client:
        assert client.get("/search?name=foo&limit=2").status_code == 204
    assert fake.search.search.last_call.query == {"query_map": {"name": "foo"}, "limit": 2}
    with fake.client() as client:
        client.search.search(query_map={"name": "bar"})
    assert fake.search.search.last_call.query == {"query_map": {"name": "bar"}}


def test_query_header_and_cookie_styles_are_decoded_from_the_wire(pkg: Package) -> None:
    """Delimiters split before percent-decoding: an encoded comma stays in its item."""
    checks = pkg.modules[f"{pkg.gen.package}._fake_checks"]

    def param(name: str, location: str, schema: dict[str, Any], style: str, explode: bool) -> Any:
        return checks.ParamSpec(name, name.lower(), location, False, style, explode, json.dumps(schema))

    params = (
        param("deep", "query", {"type": ["object"]}, "deepObject", True),
        param("csv", "query", {"type": ["array"], "items": {"type": ["integer"]}}, "form", False),
        param("pipes", "query", {"type": ["array"]}, "pipeDelimited", False),
        param("X-Obj", "header", {"type": ["object"]}, "simple", True),
        param("ids", "cookie", {"type": ["array"]}, "form", True),
        param("sid", "cookie", {"type": ["string"]}, "form", True),
    )
    request = httpx.Request(
        "GET",
        "https://api.test/x?deep%5Ba%5D%5Bb%5D=1&deep%5Bc%5D=x%2Cy&csv=1,2&pipes=a%7Cb%2Cc",
        headers={"X-Obj": "k=v,k2=v2", "Cookie": "ids=a; ids=b%3Bc; sid=s%20t"},
    )
    found = checks.read_params(params, {}, request, invalid_status=422)
    assert found["query"] == {"deep": {"a": {"b": "1"}, "c": "x,y"}, "csv": [1, 2], "pipes": ["a", "b,c"]}
    assert found["header"] == {"x-obj": {"k": "v", "k2": "v2"}}
    assert found["cookie"] == {"ids": ["a", "b;c"], "sid": "s t"}


# --- 2. Relative server URLs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("server", "base_url", "path"),
    [("/api", "https://api.invalid/api", "/api/ping"), ("//host.test/v1", "https://host.test/v1", "/v1/ping")],
    ids=["relative", "protocol-relative"],
)
def test_a_relative_server_url_gives_a_working_fake(tmp_path: Path, server: str, base_url: str, path: str) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Rel", "version": "1"},
        "servers": [{"url": server}],
        "paths": {
            "/ping": {
                "get": {
                    "operationId": "ping",
                    "responses": {"200": {"description": "ok", **_json({"type": "string"}, "pong")}},
                }
            }
        },
    }
    for package in _build(spec, tmp_path):
        for fake in (package.fake(), package.fake(base_url=server)):
            with fake.client() as client:
                assert client.ping.ping() == "pong"
            assert fake.base_url == base_url
            assert fake.ping.ping.last_call.request.url.path == path


# --- 3. Bodies by the spec's encoding ------------------------------------------------------------


def test_a_one_item_multipart_array_is_a_list_and_parts_are_decoded_by_type(fake: Any, pkg: Package) -> None:
    with fake.client() as client:
        client.uploads.upload(body={"read": ["*"], "meta": {"k": 1}, "file": b"\x00\xff"})
    body = fake.uploads.upload.last_call.body
    assert body.read == ["*"]
    assert body.meta.k == 1
    assert body.file == b"\x00\xff"
    files = [("read", (None, "a")), ("read", (None, "b")), ("meta", (None, '{"k": 2}', "application/json"))]
    with http(fake) as raw:
        assert raw.post("/uploads", files=files).status_code == 204
    body = fake.uploads.upload.last_call.body
    assert (body.read, body.meta.k) == (["a", "b"], 2)


def test_a_deep_object_form_field_is_decoded_into_the_body_model(fake: Any, pkg: Package) -> None:
    with fake.client() as client:
        client.things.create_thing(body={"name": "n", "metadata": {"order": "1"}})
    assert fake.things.create_thing.last_call.request.content == b"name=n&metadata%5Border%5D=1"
    body = fake.things.create_thing.last_call.body
    assert type(body) is pkg.models.CreateThingRequest
    assert body.model_dump(mode="json", by_alias=True, exclude_unset=True) == {
        "name": "n",
        "metadata": {"order": "1"},
    }


def test_a_deep_object_sent_as_json_is_refused_in_the_declared_shape(fake: Any) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    with http(fake, **form) as client:
        response = client.post("/things", content=b"name=n&metadata=%7B%22order%22%3A%221%22%7D")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    validates(body, "Problem")
    assert body["code"] == 7 and body["field"] == "metadata"
    assert body["description"].startswith("Invalid request body")
    assert fake.rejected[0].fields == ["body.metadata"]


# --- 4. Error bodies in the spec's shape -------------------------------------------------------------


def test_fails_404_answers_the_declared_404_body(fake: Any, pkg: Package) -> None:
    fake.items.get_item.fails(404, "No such item")
    with fake.client() as client, pytest.raises(pkg.root.NotFoundError) as caught:
        client.items.get_item(1)
    assert caught.value.body == {"error": {"message": "No such item", "reason": "gone"}}
    validates(caught.value.body, "NotFound")


def test_a_status_declared_by_range_and_a_refused_parameter_use_the_range_shape(fake: Any) -> None:
    fake.items.get_item.fails(409, "Taken")
    with http(fake) as client:
        conflict = client.get("/items/1")
        invalid = client.get("/items/one")
    assert conflict.status_code == 409 and conflict.json() == {"code": 1, "description": "Taken"}
    assert invalid.status_code == 422
    validates(invalid.json(), "Problem")
    assert invalid.json()["field"] == "id"


def test_without_a_declared_error_the_documented_fallback_shape(fake: Any, pkg: Package) -> None:
    fake.ranges.get_range.fails(409, "Taken", error_id="e-1")
    with fake.client() as client, pytest.raises(pkg.root.ConflictError) as caught:
        client.ranges.get_range(a=1, b=2)
    assert caught.value.body == {"error": {"status": 409, "message": "Taken", "id": "e-1"}}
    assert "fallback" in (pkg.testing._fake.__doc__ or "") and "fallback" in (fake.ranges.get_range.fails.__doc__ or "")


# --- 5. Credentials ---------------------------------------------------------------------------------


def test_a_request_without_the_api_key_header_is_401_with_the_declared_body(fake: Any) -> None:
    with httpx.Client(transport=fake, base_url=fake.base_url) as client:
        refused = client.get("/items/1")
        accepted = client.get("/items/1", headers=KEY)
        empty = client.get("/items/1", headers={"X-API-Key": ""})
    assert refused.status_code == 401
    assert refused.json() == {"title": "Missing or invalid credentials"}
    validates(refused.json(), "Denied")
    assert accepted.status_code == 200 and empty.status_code == 401


SECURITY_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Sec", "version": "1"},
    "servers": [{"url": "https://sec.test"}],
    "components": {
        "securitySchemes": {
            "Bearer": {"type": "http", "scheme": "bearer"},
            "Basic": {"type": "http", "scheme": "basic"},
            "Key": {"type": "apiKey", "in": "query", "name": "key"},
            "Session": {"type": "apiKey", "in": "cookie", "name": "sid"},
        },
        "schemas": {
            "Forbidden": {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}}
        },
    },
    "paths": {
        "/a": {
            "get": {
                "operationId": "both",
                "security": [{"Bearer": [], "Key": []}, {"Basic": []}],
                "responses": {
                    "204": {"description": "ok"},
                    "403": {"description": "no", **_json(_schema("Forbidden"), {"detail": "Forbidden"})},
                },
            }
        },
        "/b": {
            "get": {
                "operationId": "anonymous",
                "security": [{"Session": []}, {}],
                "responses": {"204": {"description": "ok"}},
            }
        },
    },
}


def test_security_alternatives_are_checked_where_each_scheme_says(tmp_path: Path) -> None:
    basic = "Basic " + base64.b64encode(b"u:p").decode()
    for package in _build(copy.deepcopy(SECURITY_SPEC), tmp_path):
        fake = package.fake()
        with httpx.Client(transport=fake, base_url=fake.base_url) as client:
            statuses = [
                client.get("/a").status_code,
                client.get("/a", params={"key": "k"}, headers={"Authorization": "Bearer t"}).status_code,
                client.get("/a", params={"key": "k"}).status_code,  # part of an alternative, as the client may send
                client.get("/a", headers={"Authorization": basic}).status_code,
                client.get("/a", headers={"Authorization": "Basic bm9jb2xvbg=="}).status_code,
                client.get("/b").status_code,
            ]
            refused = client.get("/a")
        assert statuses == [403, 204, 204, 204, 403, 204]
        assert refused.json() == {"detail": "Missing or invalid credentials"}
