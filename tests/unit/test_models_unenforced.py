"""Unit tests of generator/models/unenforced.py: the schema keywords the client cannot enforce."""

from __future__ import annotations

from typing import Any

import pytest

from generator.diagnostics import Diagnostics, Level
from generator.models.unenforced import (
    SHOWN_PER_KEYWORD,
    UNENFORCED_KEYWORDS,
    WARNED_PER_KEYWORD,
    Unenforced,
    find_unenforced,
    grouped,
)


def _document(schemas: dict[str, Any] | None = None, paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas or {}},
    }


def _find(document: dict[str, Any]) -> tuple[Unenforced, ...]:
    return find_unenforced(document, file="spec.yaml", diags=Diagnostics())


def _of_property(schema: dict[str, Any]) -> tuple[Unenforced, ...]:
    return _find(_document({"Thing": {"type": "object", "properties": {"p": schema}}}))


_KEYWORD_VALUES: dict[str, Any] = {
    "not": {"type": "null"},
    "if": {"required": ["a"]},
    "then": {"required": ["b"]},
    "else": {"required": ["c"]},
    "dependentRequired": {"a": ["b"]},
    "dependentSchemas": {"a": {"required": ["b"]}},
    "dependencies": {"a": ["b"]},
    "contains": {"type": "string"},
    "minContains": 1,
    "maxContains": 2,
    "propertyNames": {"pattern": "^[a-z]+$"},
    "patternProperties": {"^x-": {"type": "string"}},
    "unevaluatedProperties": False,
    "unevaluatedItems": False,
    "prefixItems": [{"type": "string"}],
}


def test_every_listed_keyword_has_a_case_here() -> None:
    """The table below covers the module's whole keyword list."""
    assert set(_KEYWORD_VALUES) == UNENFORCED_KEYWORDS


@pytest.mark.parametrize("keyword", sorted(_KEYWORD_VALUES))
def test_unenforced_keyword_is_listed(keyword: str) -> None:
    """Each keyword with no faithful model counterpart is reported at its own pointer."""
    found = _find(_document({"Thing": {"type": "object", keyword: _KEYWORD_VALUES[keyword]}}))
    assert found == (Unenforced(pointer=f"/components/schemas/Thing/{keyword}", keyword=keyword),)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "minLength": 1, "maxLength": 3, "pattern": "^a"},
        {"type": "integer", "minimum": 0, "exclusiveMaximum": 9, "multipleOf": 3},
        {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": True},
        {"type": "object", "required": ["a"], "additionalProperties": False, "minProperties": 1},
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        {"enum": ["a", "b"]},
        {"const": 3},
    ],
)
def test_enforced_keywords_are_not_listed(schema: dict[str, Any]) -> None:
    """Keywords the models do express give nothing."""
    assert _of_property(schema) == ()


@pytest.mark.parametrize("fmt", ["email", "uri", "hostname", "ipv4", "my-custom-format"])
def test_unchecked_string_formats_are_listed(fmt: str) -> None:
    """A format the client does not check by shape is reported as ``format: <name>``."""
    assert _of_property({"type": "string", "format": fmt}) == (
        Unenforced(pointer="/components/schemas/Thing/properties/p/format", keyword=f"format: {fmt}"),
    )


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "format": "date-time"},
        {"type": "string", "format": "date"},
        {"type": "string", "format": "time"},
        {"type": "string", "format": "uuid"},
        {"type": "string", "format": "byte"},
        {"type": "string", "format": "binary"},
        {"type": "string", "format": "password"},
        {"type": "integer", "format": "int32"},
        {"type": "integer", "format": "int64"},
        {"type": "number", "format": "float"},
        {"type": "number", "format": "double"},
    ],
)
def test_checked_and_non_assertion_formats_are_not_listed(schema: dict[str, Any]) -> None:
    """Shape-checked formats, binary, password and the numeric widths give nothing."""
    assert _of_property(schema) == ()


@pytest.mark.parametrize("fmt", ["date-time", "uuid"])
def test_checked_format_beside_a_pattern_is_listed_as_such(fmt: str) -> None:
    """A checked format next to a pattern (which wins) is reported as ``(beside a pattern)``."""
    assert _of_property({"type": "string", "format": fmt, "pattern": "^x"}) == (
        Unenforced(
            pointer="/components/schemas/Thing/properties/p/format", keyword=f"format: {fmt} (beside a pattern)"
        ),
    )


def test_unchecked_format_beside_a_pattern_is_listed_plainly() -> None:
    """An unchecked format next to a pattern is still just ``format: email``."""
    assert _of_property({"type": "string", "format": "email", "pattern": "@"}) == (
        Unenforced(pointer="/components/schemas/Thing/properties/p/format", keyword="format: email"),
    )


def test_keywords_are_found_deep_inside_schemas() -> None:
    """Items, allOf branches and the inside of ``not`` are searched, with the full pointer."""
    schema = {
        "allOf": [{"properties": {"tags": {"type": "array", "items": {"type": "string", "format": "email"}}}}],
        "not": {"type": "string", "format": "uri"},
    }
    assert _find(_document({"Thing": schema})) == (
        Unenforced(pointer="/components/schemas/Thing/allOf/0/properties/tags/items/format", keyword="format: email"),
        Unenforced(pointer="/components/schemas/Thing/not", keyword="not"),
        Unenforced(pointer="/components/schemas/Thing/not/format", keyword="format: uri"),
    )


def test_pointers_are_the_specs_own_in_paths() -> None:
    """Path and operation parameters, inline request and response bodies keep their spec pointers."""
    paths = {
        "/pets/{petId}": {
            "parameters": [
                {"name": "petId", "in": "path", "required": True, "schema": {"type": "string", "format": "email"}}
            ],
            "post": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string", "format": "uri"}}],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"e": {"type": "string", "format": "idn-email"}}}
                        }
                    }
                },
                "responses": {201: {"description": "ok", "content": {"application/json": {"schema": {"not": {}}}}}},
            },
        }
    }
    at = "/paths/~1pets~1{petId}"
    assert _find(_document(paths=paths)) == (
        Unenforced(pointer=f"{at}/parameters/0/schema/format", keyword="format: email"),
        Unenforced(pointer=f"{at}/post/parameters/0/schema/format", keyword="format: uri"),
        Unenforced(
            pointer=f"{at}/post/requestBody/content/application~1json/schema/properties/e/format",
            keyword="format: idn-email",
        ),
        Unenforced(pointer=f"{at}/post/responses/201/content/application~1json/schema/not", keyword="not"),
    )


def test_references_are_not_followed_into_components_twice() -> None:
    """A body that is a ``$ref`` to a component schema adds nothing beyond the component's own entry."""
    paths = {
        "/pets": {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
                "responses": {"200": {"description": "ok"}},
            }
        }
    }
    found = _find(_document({"Pet": {"type": "object", "not": {}}}, paths))
    assert found == (Unenforced(pointer="/components/schemas/Pet/not", keyword="not"),)


def test_referenced_bodies_responses_and_parameters_are_listed() -> None:
    """Keywords in components/requestBodies, components/responses and components/parameters are reported."""
    document = _document(
        paths={
            "/pets/{id}": {
                "parameters": [{"$ref": "#/components/parameters/Id"}],
                "post": {
                    "requestBody": {"$ref": "#/components/requestBodies/NewPet"},
                    "responses": {"200": {"$ref": "#/components/responses/Pet"}},
                },
            }
        }
    )
    document["components"].update(
        {
            "parameters": {"Id": {"name": "id", "in": "path", "required": True, "schema": {"format": "email"}}},
            "requestBodies": {"NewPet": {"content": {"application/json": {"schema": {"format": "uri"}}}}},
            "responses": {"Pet": {"description": "ok", "content": {"application/json": {"schema": {"not": {}}}}}},
        }
    )
    keywords = {item.keyword for item in _find(document)}
    assert keywords == {"format: email", "format: uri", "not"}


def test_result_is_sorted_by_pointer() -> None:
    """Whatever the order of the spec, the result is sorted (by pointer, then keyword)."""
    document = _document(
        {
            "Zed": {"type": "object", "then": {}, "if": {}, "else": {}},
            "Alpha": {"type": "object", "properties": {"b": {"format": "email"}, "a": {"format": "uri"}}},
        },
        {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"not": {}}}}}}}}},
    )
    found = _find(document)
    assert found == tuple(sorted(found))
    assert [item.pointer for item in found] == [
        "/components/schemas/Alpha/properties/a/format",
        "/components/schemas/Alpha/properties/b/format",
        "/components/schemas/Zed/else",
        "/components/schemas/Zed/if",
        "/components/schemas/Zed/then",
        "/paths/~1a/get/responses/200/content/application~1json/schema/not",
    ]


def test_one_warning_per_item() -> None:
    """Each item is one WARNING ``unenforced-keyword`` at its pointer that names the keyword."""
    diags = Diagnostics()
    document = _document({"Thing": {"type": "object", "not": {}, "properties": {"e": {"format": "email"}}}})
    found = find_unenforced(document, file="spec.yaml", diags=diags)
    assert len(found) == 2
    assert [(d.file, d.pointer, d.code, d.level) for d in diags.items] == [
        ("spec.yaml", item.pointer, "unenforced-keyword", Level.WARNING) for item in found
    ]
    for diagnostic, item in zip(diags.items, found, strict=True):
        assert f"`{item.keyword}`" in diagnostic.message
    assert not diags.has_errors


def test_nothing_to_report() -> None:
    """A document using only enforced keywords gives no items and no diagnostics."""
    diags = Diagnostics()
    document = _document({"Thing": {"type": "object", "properties": {"a": {"type": "string", "format": "date"}}}})
    assert find_unenforced(document, file="spec.yaml", diags=diags) == ()
    assert diags.items == []


def test_document_without_components_or_paths() -> None:
    """A bare document is read without error."""
    assert _find({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}) == ()


def _many(count: int, fmt: str = "uri") -> dict[str, Any]:
    properties = {f"p{i:03}": {"type": "string", "format": fmt} for i in range(count)}
    return _document({"Thing": {"type": "object", "properties": properties}})


def test_warnings_are_capped_per_keyword_with_one_that_counts_the_rest() -> None:
    """Thousands of `format: uri` make three warnings and one '... and N more', not thousands."""
    diags = Diagnostics()
    found = find_unenforced(_many(25), file="spec.yaml", diags=diags)
    assert len(found) == 25  # the IR keeps every place
    messages = [d.message for d in diags if d.code == "unenforced-keyword"]
    assert len(messages) == WARNED_PER_KEYWORD + 1
    assert "and 22 more places with `format: uri` unchecked" in messages[-1]
    assert all(d.level is Level.WARNING for d in diags)


def test_a_few_places_get_no_summary_warning() -> None:
    diags = Diagnostics()
    find_unenforced(_many(WARNED_PER_KEYWORD), file="spec.yaml", diags=diags)
    assert [d.message for d in diags if "more places" in d.message] == []
    assert len(diags) == WARNED_PER_KEYWORD


def test_groups_count_every_place_and_show_the_first_few() -> None:
    doc = _many(25)
    doc["components"]["schemas"]["Other"] = {"type": "object", "not": {"type": "null"}}
    groups = grouped(_find(doc))
    assert [(g.keyword, g.count) for g in groups] == [("format: uri", 25), ("not", 1)]
    assert len(groups[0].pointers) == SHOWN_PER_KEYWORD
    assert groups[0].pointers[0] == "/components/schemas/Thing/properties/p000/format"
    assert groups[1].pointers == ("/components/schemas/Other/not",)
