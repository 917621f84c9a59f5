"""Unit tests of generator/models/prepare.py: the schemas as datamodel-code-generator receives them.

Small inline documents only; the tool itself never runs here.
"""

from __future__ import annotations

import copy
import hashlib
import re
from typing import Any

import pytest

from generator.models.prepare import FORMAT_PATTERNS, field_aliases, prefixed_aliases, prepare, share_enums

REF = "#/components/schemas/"


def _doc(schemas: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}}


def _prepared_property(schema: dict[str, Any]) -> dict[str, Any]:
    """The property ``p`` of a one-model document after ``prepare`` (followed to its component if hoisted)."""
    document = _doc({"Thing": {"type": "object", "properties": {"p": schema}}})
    schemas = prepare(document).document["components"]["schemas"]
    result: dict[str, Any] = schemas["Thing"]["properties"]["p"]
    if "$ref" in result:
        result = schemas[result["$ref"].rsplit("/", 1)[1]]
    return result


def _enum(*values: Any, description: str | None = None, kind: str | None = "string") -> dict[str, Any]:
    schema: dict[str, Any] = {"enum": list(values)}
    if kind is not None:
        schema["type"] = kind
    if description is not None:
        schema["description"] = description
    return schema


# --- formats -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "format": "email"},
        {"type": "string", "format": "uri"},
        {"type": "string", "format": "password"},
        {"type": "string", "format": "my-custom-format"},
        {"type": "integer", "format": "int64"},
    ],
)
def test_unchecked_formats_are_dropped_without_a_pattern(schema: dict[str, Any]) -> None:
    """A format the client cannot check by shape disappears and adds no pattern."""
    prepared = _prepared_property(schema)
    assert "format" not in prepared
    assert "pattern" not in prepared
    assert prepared["type"] == schema["type"]


def test_binary_is_the_one_format_kept() -> None:
    """``format: binary`` survives: it is how a file part or raw body is declared."""
    assert _prepared_property({"type": "string", "format": "binary"}) == {"type": "string", "format": "binary"}


@pytest.mark.parametrize("fmt", ["date-time", "date", "time", "uuid", "byte"])
def test_checked_formats_become_their_pattern(fmt: str) -> None:
    """date-time, date, time, uuid and byte become the ECMA pattern of their shape."""
    prepared = _prepared_property({"type": "string", "format": fmt})
    assert prepared == {"type": "string", "pattern": FORMAT_PATTERNS[fmt]}


@pytest.mark.parametrize("fmt", ["date-time", "uuid"])
def test_checked_format_keeps_the_specs_own_pattern(fmt: str) -> None:
    """A pattern already present wins over the format's pattern (the format is still dropped)."""
    prepared = _prepared_property({"type": "string", "format": fmt, "pattern": "^[a-z]+$"})
    assert prepared == {"type": "string", "pattern": "^[a-z]+$"}


@pytest.mark.parametrize(
    ("schema", "has_pattern"),
    [
        ({"format": "uuid"}, True),  # no type: the format still describes a string
        ({"type": ["string", "null"], "format": "date"}, True),
        ({"type": "integer", "format": "date"}, False),  # not a string: nothing to match
    ],
)
def test_format_pattern_only_where_a_string_can_be(schema: dict[str, Any], has_pattern: bool) -> None:
    """The format's pattern is added for an untyped or string-typed schema only."""
    prepared = _prepared_property(schema)
    assert "format" not in prepared
    assert ("pattern" in prepared) is has_pattern


def test_formats_are_rewritten_deep_inside_schemas() -> None:
    """Formats in items, allOf branches and nested properties are handled too."""
    document = _doc(
        {
            "Thing": {
                "allOf": [{"properties": {"when": {"type": "string", "format": "date-time"}}}],
                "properties": {"ids": {"type": "array", "items": {"type": "string", "format": "uuid"}}},
            }
        }
    )
    thing = prepare(document).document["components"]["schemas"]["Thing"]
    assert thing["allOf"][0]["properties"]["when"] == {"type": "string", "pattern": FORMAT_PATTERNS["date-time"]}
    assert thing["properties"]["ids"]["items"] == {"type": "string", "pattern": FORMAT_PATTERNS["uuid"]}


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected_type"),
    [
        ({"type": "number"}, ["integer", "number"]),
        ({"type": "number", "minimum": 0}, ["integer", "number"]),
        ({"type": ["number", "null"]}, ["integer", "number", "null"]),
        ({"type": ["string", "number"]}, ["string", "integer", "number"]),
        ({"type": ["integer", "number"]}, ["integer", "number"]),
        ({"type": "integer"}, "integer"),
        ({"type": "number", "enum": [1.5, 2]}, "number"),
        ({"type": "number", "const": 2.5}, "number"),
    ],
)
def test_number_becomes_integer_or_number(schema: dict[str, Any], expected_type: Any) -> None:
    """``number`` is widened to ``["integer", "number"]`` (also in type lists), never for enums or consts."""
    assert _prepared_property(schema)["type"] == expected_type


def test_number_format_is_dropped_with_the_widening() -> None:
    """``type: number, format: double`` becomes ``integer | number`` without its format."""
    assert _prepared_property({"type": "number", "format": "double"}) == {"type": ["integer", "number"]}


# --- default: null -------------------------------------------------------------------------------


def test_default_null_is_dropped_on_a_non_nullable_schema() -> None:
    """``default: null`` where null is not allowed is removed (the value is simply absent)."""
    assert _prepared_property({"type": "array", "items": {"type": "string"}, "default": None}) == {
        "type": "array",
        "items": {"type": "string"},
    }


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "nullable": True, "default": None},
        {"type": ["string", "null"], "default": None},
        {"type": "null", "default": None},
        {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        {"oneOf": [{"type": "integer"}, {"type": "null"}], "default": None},
    ],
)
def test_default_null_is_kept_on_a_nullable_schema(schema: dict[str, Any]) -> None:
    """``default: null`` stays where the schema allows null (3.0 nullable, 3.1 type lists, null branches)."""
    prepared = _prepared_property(schema)
    assert "default" in prepared
    assert prepared["default"] is None


def test_a_non_null_default_is_kept() -> None:
    """Only a null default is ever dropped."""
    assert _prepared_property({"type": "string", "default": "x"})["default"] == "x"


# --- patterns ----------------------------------------------------------------------------------


def test_rust_compatible_pattern_is_translated_and_not_python_only() -> None:
    """``\\d`` gets JavaScript's ASCII meaning for the Rust engine; nothing needs Python's ``re``."""
    document = _doc({"Code": {"type": "string", "pattern": r"^\d+$"}})
    prepared = prepare(document)
    assert prepared.document["components"]["schemas"]["Code"]["pattern"] == "^[0-9]+$"
    assert prepared.python_patterns == frozenset()


def test_lookaround_pattern_ends_up_in_python_patterns() -> None:
    """A lookahead Rust cannot run is translated for Python's ``re`` (``$`` → ``\\Z``) and recorded."""
    document = _doc({"Code": {"type": "string", "pattern": "^(?!x).*$"}})
    prepared = prepare(document)
    assert prepared.document["components"]["schemas"]["Code"]["pattern"] == r"^(?!x).*\Z"
    assert prepared.python_patterns == frozenset({r"^(?!x).*\Z"})


# --- the document as a whole -------------------------------------------------------------------


def test_prepare_does_not_mutate_its_input() -> None:
    """The caller's document is left exactly as it was."""
    document = _doc(
        {
            "A": {"type": "object", "properties": {"n": {"type": "number", "default": None}, "e": _enum("x", "y")}},
            "B": {"type": "object", "properties": {"e": _enum("x", "y"), "d": {"type": "string", "format": "date"}}},
        }
    )
    before = copy.deepcopy(document)
    prepare(document)
    assert document == before


def test_document_without_schemas_is_returned_as_is() -> None:
    """No component schemas: the same document, no patterns, aliases or shapes."""
    document: dict[str, Any] = {"openapi": "3.1.0", "paths": {}}
    prepared = prepare(document)
    assert prepared.document is document
    assert prepared.python_patterns == frozenset()
    assert prepared.aliases == {}
    assert (prepared.variants.request, prepared.variants.response) == ({}, {})


def test_prepare_shares_enums_and_leaves_other_keys_alone() -> None:
    """prepare runs share_enums (two identical inline enums end up as one component); other keys pass through."""
    document = _doc(
        {
            "CronJob": {"type": "object", "properties": {"runOnSourceChange": _enum("never", "always")}},
            "Addon": {"type": "object", "properties": {"runOnSourceChange": _enum("never", "always")}},
        }
    )
    prepared = prepare(document)
    assert prepared.document["info"] == document["info"]
    schemas = prepared.document["components"]["schemas"]
    assert schemas["RunOnSourceChange"] == _enum("never", "always")


# --- share_enums -------------------------------------------------------------------------------


def test_identical_inline_enums_become_one_component_named_by_shared_words() -> None:
    """Addon.runOnSourceChange and CronJob.runOnSourceChange become RunOnSourceChange, both refs to it."""
    enum = _enum("never", "always", description="When to run.")
    schemas = {
        "CronJob": {"type": "object", "properties": {"runOnSourceChange": dict(enum), "name": {"type": "string"}}},
        "Addon": {"type": "object", "properties": {"runOnSourceChange": dict(enum)}},
    }
    result = share_enums(schemas)
    assert set(result) == {"CronJob", "Addon", "RunOnSourceChange"}
    assert result["RunOnSourceChange"] == enum
    for owner in ("CronJob", "Addon"):
        assert result[owner]["properties"]["runOnSourceChange"] == {"$ref": REF + "RunOnSourceChange"}
    assert result["CronJob"]["properties"]["name"] == {"type": "string"}


def test_documented_examples_of_the_shared_name() -> None:
    """docs/design.md's examples: every word that ends all the names is kept, the component's too."""
    enum = _enum("never", "always")
    both_jobs = {
        "CronJob": {"properties": {"runOnSourceChange": enum}},
        "ManualJob": {"properties": {"runOnSourceChange": enum}},
    }
    assert set(share_enums(both_jobs)) == {"CronJob", "ManualJob", "JobRunOnSourceChange"}
    mixed = {
        "CronJob": {"properties": {"runOnSourceChange": enum}},
        "CreateManualJobRequest": {"properties": {"runOnSourceChange": enum}},
    }
    assert set(share_enums(mixed)) == {"CronJob", "CreateManualJobRequest", "RunOnSourceChange"}


def test_shared_name_is_the_longest_common_ending() -> None:
    """``HealthCheckType`` for PutManualJob.healthCheckType and Deploy.healthCheckType."""
    schemas = {
        "PutManualJob": {"type": "object", "properties": {"healthCheckType": _enum("http", "tcp")}},
        "Deploy": {"type": "object", "properties": {"healthCheckType": _enum("http", "tcp")}},
    }
    assert "HealthCheckType" in share_enums(schemas)


def test_enums_of_array_items_are_named_with_item() -> None:
    """Items of ``tags`` arrays are named ``TagsItem`` when shared."""
    array = {"type": "array", "items": _enum("a", "b")}
    schemas = {
        "CronJob": {"type": "object", "properties": {"tags": copy.deepcopy(array)}},
        "Addon": {"type": "object", "properties": {"tags": copy.deepcopy(array)}},
    }
    result = share_enums(schemas)
    assert result["TagsItem"] == _enum("a", "b")
    assert result["CronJob"]["properties"]["tags"] == {"type": "array", "items": {"$ref": REF + "TagsItem"}}


def test_without_shared_words_the_first_occurrence_names_it() -> None:
    """Enums with no common last word take the first occurrence's (sorted) own name."""
    schemas = {
        "Zoo": {"type": "object", "properties": {"colour": _enum("red", "blue")}},
        "Art": {"type": "object", "properties": {"shade": _enum("red", "blue")}},
    }
    result = share_enums(schemas)
    assert set(result) - set(schemas) == {"ArtShade"}
    assert result["Zoo"]["properties"]["colour"] == {"$ref": REF + "ArtShade"}


def test_shared_name_avoids_a_taken_component_name() -> None:
    """A shared name that is already a component gets a numeric suffix."""
    schemas = {
        "Status": {"type": "object", "properties": {"code": {"type": "integer"}}},
        "CronJob": {"type": "object", "properties": {"status": _enum("on", "off")}},
        "Addon": {"type": "object", "properties": {"status": _enum("on", "off")}},
    }
    result = share_enums(schemas)
    assert result["Status"] == schemas["Status"]
    assert result["Status2"] == _enum("on", "off")
    assert result["CronJob"]["properties"]["status"] == {"$ref": REF + "Status2"}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (_enum("a", "b", description="One thing."), _enum("a", "b", description="Another thing.")),
        (_enum("a", "b", description="One thing."), _enum("a", "b")),
        (_enum("a", "b"), _enum("b", "a")),  # order of values matters
        (_enum("a", "b"), _enum("a", "b", kind=None)),  # type matters
        (_enum(1, 2, kind="integer"), _enum(1, 2, kind="number")),
    ],
)
def test_different_enums_stay_apart(first: dict[str, Any], second: dict[str, Any]) -> None:
    """Enums differing in description, value order or type are not merged."""
    schemas = {
        "CronJob": {"type": "object", "properties": {"mode": first}},
        "ManualJob": {"type": "object", "properties": {"mode": second}},
    }
    assert share_enums(schemas) == schemas


def test_a_single_inline_enum_stays_inline() -> None:
    """One occurrence without an equal component enum is left where it is."""
    schemas = {"CronJob": {"type": "object", "properties": {"mode": _enum("a", "b")}}}
    assert share_enums(schemas) == schemas


def test_inline_enum_equal_to_a_component_enum_becomes_a_ref() -> None:
    """An inline enum identical to a component enum points at that component, even alone."""
    schemas = {
        "Colour": _enum("red", "green"),
        "Pet": {"type": "object", "properties": {"colour": _enum("red", "green"), "other": _enum("x", "y")}},
    }
    result = share_enums(schemas)
    assert set(result) == {"Colour", "Pet"}
    assert result["Colour"] == _enum("red", "green")
    assert result["Pet"]["properties"]["colour"] == {"$ref": REF + "Colour"}
    assert result["Pet"]["properties"]["other"] == _enum("x", "y")


@pytest.mark.parametrize(
    "extra",
    [{"default": "a"}, {"nullable": True}, {"title": "Mode"}, {"x-extension": 1}],
)
def test_enums_with_extra_keys_are_left_alone(extra: dict[str, Any]) -> None:
    """Only type, enum and description make an enum shareable; any other key keeps it inline."""
    schemas = {
        "CronJob": {"type": "object", "properties": {"mode": {**_enum("a", "b"), **extra}}},
        "ManualJob": {"type": "object", "properties": {"mode": {**_enum("a", "b"), **extra}}},
        "Mode": {**_enum("a", "b"), **extra},
    }
    assert share_enums(schemas) == schemas


def test_result_does_not_depend_on_component_order() -> None:
    """The same components in reverse order give the same shared components and refs."""
    schemas = {
        "Service": {"type": "object", "properties": {"mode": _enum("a", "b"), "kind": _enum("p", "q")}},
        "CronJob": {"type": "object", "properties": {"mode": _enum("a", "b"), "kind": _enum("p", "q")}},
        "Zed": {"type": "object", "properties": {"status": _enum("on", "off")}},
        "Alpha": {"type": "object", "properties": {"state": _enum("on", "off")}},
    }
    forward = share_enums(schemas)
    backward = share_enums(dict(reversed(list(schemas.items()))))
    assert forward == backward
    assert set(forward) - set(schemas) == {"Mode", "Kind", "AlphaState"}


def test_result_does_not_depend_on_property_order() -> None:
    """Two identical enums in one component get the same name whatever order the properties are in."""
    forward = {"Job": {"type": "object", "properties": {"alpha": _enum("x", "y"), "beta": _enum("x", "y")}}}
    backward = {"Job": {"type": "object", "properties": {"beta": _enum("x", "y"), "alpha": _enum("x", "y")}}}
    assert set(share_enums(forward)) == set(share_enums(backward)) == {"Job", "JobAlpha"}


def test_share_enums_does_not_mutate_its_input() -> None:
    """Replacements copy along the path; the input schemas are unchanged."""
    schemas = {
        "CronJob": {"type": "object", "properties": {"mode": _enum("a", "b")}},
        "ManualJob": {"type": "object", "properties": {"mode": _enum("a", "b")}},
    }
    before = copy.deepcopy(schemas)
    share_enums(schemas)
    assert schemas == before


# --- field_aliases -----------------------------------------------------------------------------


def _aliases(*names: str) -> dict[str, str]:
    return field_aliases({"Thing": {"type": "object", "properties": {n: {"type": "string"} for n in names}}})


def test_ascii_names_get_no_alias() -> None:
    """Plain ASCII names (even builtins like ``id``) are left to the tool."""
    assert _aliases("petId", "id", "type", "class_name") == {}


def test_unfoldable_non_ascii_name_gets_a_hashed_field_name() -> None:
    """``名前`` folds to nothing, so it becomes ``field_<sha256[:6]>``."""
    assert _aliases("名前") == {"名前": "field_7ec262"}


def test_foldable_non_ascii_name_gets_its_ascii_fold() -> None:
    """``Größe`` becomes ``grosse``."""
    assert _aliases("Größe") == {"Größe": "grosse"}


def test_fold_meeting_an_ascii_name_gets_a_hash() -> None:
    """``Größe`` next to an ASCII ``grosse`` cannot take ``grosse``: it gets a hash suffix."""
    digest = hashlib.sha256("Größe".encode()).hexdigest()[:6]
    assert _aliases("Größe", "grosse") == {"Größe": f"grosse_{digest}"}


def test_aliases_are_unique_across_the_document() -> None:
    """Non-ASCII names in different models that fold alike still get distinct field names."""
    aliases = field_aliases(
        {
            "A": {"type": "object", "properties": {"名前": {"type": "string"}}},
            "B": {"type": "object", "properties": {"ñ": {"type": "string"}, "ü": {"type": "string"}}},
        }
    )
    assert set(aliases) == {"名前", "ñ", "ü"}
    assert len(set(aliases.values())) == 3
    assert all(re.fullmatch(r"[a-z_][a-z0-9_]*", v) for v in aliases.values())


def test_aliases_come_from_nested_properties_too() -> None:
    """A property of an inline object inside an array is found as well."""
    aliases = field_aliases(
        {"A": {"type": "array", "items": {"type": "object", "properties": {"Größe": {"type": "integer"}}}}}
    )
    assert aliases == {"Größe": "grosse"}


@pytest.mark.parametrize("name", ["match", "case"])
def test_soft_keyword_gets_an_alias(name: str) -> None:
    """A soft-keyword property name is always aliased to an ASCII field name."""
    aliases = _aliases(name)
    assert set(aliases) == {name}
    assert aliases[name].startswith(f"{name}_")


@pytest.mark.parametrize("name", ["match", "case"])
def test_soft_keyword_gets_a_trailing_underscore(name: str) -> None:
    """``match`` becomes ``match_``, as docs/design.md states."""
    assert _aliases(name) == {name: f"{name}_"}


# --- $- and _-prefixed properties -------------------------------------------------------------


def test_prefixed_properties_get_the_natural_name_where_it_is_free() -> None:
    """``$id`` → ``id`` unless the class has an ``id`` already (also inherited through allOf)."""
    schemas = {
        "Doc": {"type": "object", "properties": {"$id": {}, "_rev": {}, "$createdAt": {}}},
        "Both": {"type": "object", "properties": {"id": {}, "$id": {}}},
        "Child": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"$id": {}}}]},
        "Base": {"type": "object", "properties": {"id": {}}},
        "Twice": {"type": "object", "properties": {"$id": {}, "_id": {}}},
    }
    assert prefixed_aliases(schemas) == {
        "Doc.$id": "id",
        "Doc._rev": "rev",
        "Doc.$createdAt": "created_at",
        "Twice.$id": "id",  # the first of the two; `_id` is left to the tool
    }
