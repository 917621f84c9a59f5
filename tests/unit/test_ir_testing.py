"""Unit tests of what the IR decides for the testing module: param_checks.py, testing.py and their use in build."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.diagnostics import Diagnostics
from generator.ir import nodes as ir
from generator.ir.build import build_ir
from generator.ir.param_checks import checkable
from generator.ir.testing import FAKE_MEMBERS, invalid_request_status
from generator.models.module import ModelClass, ModelField, ModelsModule
from generator.settings import Settings

FILE = "spec.yaml"


def _reduced(schema: Any, doc: dict[str, Any] | None = None) -> Any:
    return json.loads(checkable(doc or {}, schema))


# --- param_checks ------------------------------------------------------------------


def test_kept_keywords_pass_through_and_others_are_dropped() -> None:
    schema = {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "multipleOf": 5,
        "enum": [5, 10],
        "default": 20,
        "description": "page size",
        "allOf": [{"minimum": 3}],
    }
    assert _reduced(schema) == {"type": ["integer"], "minimum": 1, "maximum": 100, "multipleOf": 5, "enum": [5, 10]}


def test_openapi_30_exclusive_flags_move_onto_the_bound_and_31_numbers_stay() -> None:
    assert _reduced({"type": "number", "minimum": 0, "exclusiveMinimum": True}) == {
        "type": ["number"],
        "exclusiveMinimum": 0,
    }
    assert _reduced({"type": "number", "exclusiveMaximum": 9.5}) == {"type": ["number"], "exclusiveMaximum": 9.5}
    # A flag without its bound means nothing; a boolean is never a bound.
    assert _reduced({"type": "number", "exclusiveMinimum": True, "maximum": True}) == {"type": ["number"]}


def test_nullable_and_type_lists_become_one_type_list() -> None:
    assert _reduced({"type": "string", "nullable": True}) == {"type": ["string", "null"]}
    assert _reduced({"type": ["integer", "null"]}) == {"type": ["integer", "null"]}
    assert _reduced({"type": "nonsense"}) == {}


def test_references_are_followed() -> None:
    doc = {"components": {"schemas": {"Colour": {"type": "string", "enum": ["red", "blue"]}}}}
    assert _reduced({"$ref": "#/components/schemas/Colour"}, doc) == {"type": ["string"], "enum": ["red", "blue"]}
    assert _reduced({"$ref": "#/components/schemas/Missing"}, doc) == {}


def test_patterns_get_their_javascript_meaning_in_python_re() -> None:
    (pattern,) = _reduced({"type": "string", "pattern": r"^\d+$"})["pattern"]
    assert re.search(pattern, "12") and not re.search(pattern, "12\n") and not re.search(pattern, "\u0663")


def test_checked_formats_become_patterns_beside_the_spec_pattern() -> None:
    patterns = _reduced({"type": "string", "format": "uuid", "pattern": "^0"})["pattern"]
    assert len(patterns) == 2
    uuid = "0d7cbb55-0e3b-4c57-9f23-4a4e9c4f5a11"
    assert all(re.search(p, uuid) for p in patterns)
    assert not re.search(patterns[1], "not-a-uuid")
    assert "pattern" not in _reduced({"type": "string", "format": "email"})  # not checked by its shape


def test_array_items_lengths_and_uniqueness() -> None:
    schema = {"type": "array", "minItems": 1, "maxItems": 3, "uniqueItems": True, "items": {"type": "integer"}}
    assert _reduced(schema) == {
        "type": ["array"],
        "minItems": 1,
        "maxItems": 3,
        "uniqueItems": True,
        "items": {"type": ["integer"]},
    }
    assert _reduced({"type": "string", "minLength": -1, "maxLength": True}) == {"type": ["string"]}


def test_a_self_referencing_schema_stops() -> None:
    doc = {"components": {"schemas": {"Deep": {"type": "array", "items": {"$ref": "#/components/schemas/Deep"}}}}}
    reduced = _reduced({"$ref": "#/components/schemas/Deep"}, doc)
    depth = 0
    while "items" in reduced:
        reduced, depth = reduced["items"], depth + 1
    assert 5 < depth < 12


def test_output_is_canonical() -> None:
    assert checkable({}, {"maximum": 2, "type": "integer"}) == checkable({}, {"type": "integer", "maximum": 2})
    assert checkable({}, None) == "{}"


# --- invalid_request_status ----------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "status"),
    [((), 422), (("200",), 422), (("200", "400"), 400), (("400", "422"), 422), (("422",), 422), ((400,), 400)],
)
def test_invalid_requests_get_prisms_status(declared: tuple[Any, ...], status: int) -> None:
    assert invalid_request_status({key: {"description": "x"} for key in declared}) == status


# --- Through build_ir -----------------------------------------------------------------


def _build(doc: dict[str, Any], *classes: ModelClass) -> ir.Api:
    models = {
        "Job": ModelClass(
            name="Job", kind="model", fields=(ModelField(python_name="id", wire_name="id", annotation="str"),)
        )
    }
    models.update({c.name: c for c in classes})
    module = ModelsModule(
        header="# header. DO NOT EDIT.",
        imports=(),
        definitions=(),
        classes=models,
        by_source={f"#/components/schemas/{name}": (name,) for name in models},
    )
    diags = Diagnostics()
    api = build_ir(
        doc,
        module,
        settings=Settings(spec=Path(FILE), out=Path("generated")),
        file=FILE,
        sha256="0",
        diags=diags,
    )
    assert not list(diags), [d.render() for d in diags]
    return api


def _doc(paths: dict[str, Any], title: str = "Jobs API") -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1"},
        "paths": paths,
        "components": {"schemas": {"Job": {"type": "object", "properties": {"id": {"type": "string"}}}}},
    }


JOB = {"$ref": "#/components/schemas/Job"}


def _json(example: Any = None) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": JOB}
    if example is not None:
        media["example"] = example
    return {"description": "ok", "content": {"application/json": media}}


def test_parameters_carry_their_reduced_schema_and_responses_their_media_type() -> None:
    op = {
        "operationId": "listJobs",
        "tags": ["jobs"],
        "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 10}}],
        "responses": {"200": _json(), "400": {"description": "bad"}},
    }
    api = _build(_doc({"/jobs": {"get": op}}))
    (built,) = api.tags[0].operations
    assert json.loads(built.query_params[0].schema_json) == {"type": ["integer"], "maximum": 10}
    assert built.responses[0].media_type == "application/json"
    assert built.invalid_request_status == 400


def test_fake_class_names_avoid_models_and_the_fakes_runtime() -> None:
    ops = {
        "/a": {"get": {"operationId": "a", "tags": ["Operation"], "responses": {"204": {"description": "x"}}}},
        "/b": {"get": {"operationId": "b", "tags": ["jobs"], "responses": {"204": {"description": "x"}}}},
    }
    api = _build(_doc(ops, title="Jobs"), ModelClass(name="FakeJobs", kind="model", fields=()))
    assert {t.name: t.fake_class for t in api.tags} == {"Operation": "FakeOperation2", "jobs": "FakeJobs2"}
    assert api.fake_class == "FakeJobs3"  # the client is JobsClient; FakeJobs and FakeJobs2 are taken
    assert _build(_doc(ops, title="Northflank")).fake_class == "FakeNorthflank"


def test_a_tag_named_like_a_member_of_the_fake_gets_another_attribute_there_only() -> None:
    ops = {"/a": {"get": {"operationId": "a", "tags": ["calls"], "responses": {"204": {"description": "x"}}}}}
    (tag,) = _build(_doc(ops)).tags
    assert (tag.attribute, tag.fake_attribute) == ("calls", "calls_2")
    assert "calls" in FAKE_MEMBERS


def test_the_readme_example_prefers_a_bodyless_call_answered_by_an_example() -> None:
    body = {"required": True, "content": {"application/json": {"schema": JOB, "example": {"id": "j"}}}}
    paths = {
        "/a": {
            "post": {
                "operationId": "createJob",
                "tags": ["jobs"],
                "requestBody": body,
                "responses": {"200": _json({"id": "j"})},
            }
        },
        "/b": {"get": {"operationId": "plain", "tags": ["jobs"], "responses": {"200": _json()}}},
        "/c": {
            "get": {
                "operationId": "old",
                "tags": ["jobs"],
                "deprecated": True,
                "responses": {"200": _json({"id": "j"})},
            }
        },
        "/d": {"get": {"operationId": "getJob", "tags": ["jobs"], "responses": {"200": _json({"id": "j"})}}},
    }
    assert _build(_doc(paths)).testing_example == "jobs.get_job"
    del paths["/d"]
    assert _build(_doc(paths)).testing_example == "jobs.create_job"
    del paths["/a"]
    assert _build(_doc(paths)).testing_example == "jobs.plain"
    del paths["/b"]
    assert _build(_doc(paths)).testing_example == "jobs.old"
    assert _build(_doc({})).testing_example == ""
