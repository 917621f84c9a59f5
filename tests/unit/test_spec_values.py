"""Unit tests of generator/openapi/values.py: values that break their own schema are warned and left out."""

from __future__ import annotations

import copy
from typing import Any

from generator.diagnostics import Diagnostics
from generator.openapi.values import check_values


def _document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/jobs": {
                "get": {
                    "parameters": [
                        {"name": "ok", "in": "query", "schema": {"type": "integer", "default": 3}},
                        {"name": "bad", "in": "query", "schema": {"type": "integer", "default": "three"}},
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {
            "schemas": {
                "Job": {
                    "type": "object",
                    "properties": {
                        "size": {"type": "integer", "minimum": 1, "example": 0},
                        "name": {"type": "string", "example": "a"},
                    },
                },
                "Other": {"type": "string", "enum": ["a", "b"], "default": "a"},
            }
        },
    }


def test_bad_values_are_warned_and_left_out_of_a_copy() -> None:
    """Each broken default or example is one warning at its pointer; the returned document lacks exactly those."""
    document = _document()
    before = copy.deepcopy(document)
    diags = Diagnostics()
    checked = check_values(document, file="spec.yaml", diags=diags)
    assert sorted((d.code, d.pointer) for d in diags) == [
        ("invalid-default", "/paths/~1jobs/get/parameters/1/schema/default"),
        ("invalid-example", "/components/schemas/Job/properties/size/example"),
    ]
    assert document == before  # the input is never edited
    expected = copy.deepcopy(before)
    del expected["paths"]["/jobs"]["get"]["parameters"][1]["schema"]["default"]
    del expected["components"]["schemas"]["Job"]["properties"]["size"]["example"]
    assert checked.document == expected
    assert checked.rewrites == (
        ("/paths/~1jobs/get/parameters/1/schema/default", "default (breaks its schema: left out)"),
    )


def test_a_document_without_bad_values_is_returned_as_it_is() -> None:
    document = _document()
    del document["paths"]["/jobs"]["get"]["parameters"][1]
    del document["components"]["schemas"]["Job"]["properties"]["size"]
    checked = check_values(document, file="spec.yaml", diags=Diagnostics())
    assert checked.document is document


def _typeless(example: Any, schema: dict[str, Any]) -> dict[str, Any]:
    media = {"schema": {"$ref": "#/components/schemas/Action"}, "examples": {"one": {"value": example}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {"post": {"responses": {"201": {"description": "ok", "content": {"application/json": media}}}}}
        },
        "components": {"schemas": {"Action": schema}},
    }


TYPELESS = {"properties": {"id": {"type": "string"}}, "required": ["id"]}
EXAMPLE = "/paths/~1a/post/responses/201/content/application~1json/examples/one/value"


def test_a_schema_with_properties_and_no_type_takes_only_objects() -> None:
    """mailscript.com: a string example of a type-less schema with `properties` passes plain JSON Schema, but
    the model reads the schema as an object and refuses it; the fake must not serve it."""
    diags = Diagnostics()
    checked = check_values(_typeless('["hielle.com"]', TYPELESS), file="spec.json", diags=diags)
    assert [(d.code, d.pointer) for d in diags] == [("invalid-example", EXAMPLE)]
    assert "not an object" in diags.items[0].message
    media = checked.document["paths"]["/a"]["post"]["responses"]["201"]["content"]["application/json"]
    assert media["examples"] == {"one": {}}  # its value left out


def test_an_object_example_of_a_type_less_schema_and_a_union_are_kept() -> None:
    for example, schema in (
        ({"id": "a"}, TYPELESS),
        ("a", {"properties": {"id": {"type": "string"}}, "oneOf": [{"type": "string"}, {"type": "object"}]}),
    ):
        diags = Diagnostics()
        document = _typeless(example, schema)
        assert check_values(document, file="spec.json", diags=diags).document is document
        assert list(diags) == []
