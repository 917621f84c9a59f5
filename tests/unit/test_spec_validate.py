"""Unit tests of generator/openapi/validate.py check_schemas: structural schema checks that point at the exact schema.

Only check_schemas is called: validate_document runs openapi-spec-validator, which is slow.
"""

from __future__ import annotations

from typing import Any

import pytest

from generator.diagnostics import Diagnostics, Level
from generator.openapi.toolkit import SCHEMA_CHILD, SCHEMA_LIST, SCHEMA_MAP
from generator.openapi.validate import check_schemas

FILE = "spec/openapi.yaml"
A = "/components/schemas/A"


def _check(schemas: Any, *, components: Any = None) -> list[tuple[str, str]]:
    """(pointer, code) of each distinct diagnostic for a document holding these component schemas."""
    document = {"openapi": "3.1.0", "components": components if components is not None else {"schemas": schemas}}
    diags = Diagnostics()
    check_schemas(document, file=FILE, diags=diags)
    assert all(d.file == FILE and d.level is Level.ERROR for d in diags)
    return [(d.pointer, d.code) for d in diags]


@pytest.mark.parametrize("kind", ["string", "integer", "number", "boolean", "array", "object", "null"])
def test_every_json_type_is_accepted(kind: str) -> None:
    """The seven JSON Schema types pass, alone or in a type list."""
    assert _check({"A": {"type": kind}, "B": {"type": [kind, "null"]}}) == []


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "strin"},
        {"type": "String"},
        {"type": "int"},
        {"type": "file"},  # Swagger 2 only
        {"type": ["string", "nul"]},
        {"type": 5},
        {"type": True},
    ],
)
def test_an_unknown_type_is_reported_at_type(schema: dict[str, Any]) -> None:
    """A type outside the seven JSON types is invalid-schema at the schema's /type."""
    assert _check({"A": schema}) == [(A + "/type", "invalid-schema")]


def test_each_unknown_type_in_a_list_is_its_own_message() -> None:
    """Two unknown types in one list are two messages (at the same pointer) naming each type."""
    diags = Diagnostics()
    check_schemas({"components": {"schemas": {"A": {"type": ["strin", "integr", "string"]}}}}, file=FILE, diags=diags)
    messages = sorted(d.message for d in diags.items)
    assert len(messages) == 2 and "'integr'" in messages[0] and "'strin'" in messages[1]


@pytest.mark.parametrize("kind", [{"name": "string"}, [["string"]]])
def test_an_unhashable_type_is_reported_not_raised(kind: Any) -> None:
    """`type: {name: string}` or `type: [[string]]` is invalid-schema at /type, not a crash."""
    assert _check({"A": {"type": kind}}) == [(A + "/type", "invalid-schema")]


@pytest.mark.parametrize("key", SCHEMA_MAP)
@pytest.mark.parametrize("value", [[], "x", 3, True])
def test_a_schema_map_that_is_not_a_map(key: str, value: Any) -> None:
    """properties (and every other name→schema keyword) that is not a map is reported at that keyword."""
    assert _check({"A": {key: value}}) == [(f"{A}/{key}", "invalid-schema")]


@pytest.mark.parametrize("key", SCHEMA_LIST)
@pytest.mark.parametrize("value", [{}, {"a": {}}, "x", None])
def test_a_schema_list_that_is_not_a_list(key: str, value: Any) -> None:
    """allOf (and every other list-of-schemas keyword) that is not a list is reported at that keyword."""
    assert _check({"A": {key: value}}) == [(f"{A}/{key}", "invalid-schema")]


@pytest.mark.parametrize("required", ["id", ["id", 1], [None], {"id": True}, True, 0])
def test_required_must_be_a_list_of_strings(required: Any) -> None:
    """`required` that is not a list of property names is invalid-schema at /required."""
    assert _check({"A": {"properties": {"id": {}}, "required": required}}) == [(A + "/required", "invalid-schema")]


@pytest.mark.parametrize("required", [[], ["id"], ["id", "name", "not-declared"]])
def test_required_lists_of_strings_pass(required: list[str]) -> None:
    """Any list of strings is a valid `required` (declaring the properties is not this check's business)."""
    assert _check({"A": {"properties": {"id": {}}, "required": required}}) == []


@pytest.mark.parametrize("key", SCHEMA_CHILD)
@pytest.mark.parametrize("value", [5, "string", [{"type": "string"}]])
def test_a_single_subschema_that_is_not_a_schema(key: str, value: Any) -> None:
    """items (and every other one-schema keyword) holding a non-schema is reported at that keyword."""
    assert _check({"A": {key: value}}) == [(f"{A}/{key}", "invalid-schema")]


@pytest.mark.parametrize("key", SCHEMA_CHILD)
def test_boolean_subschemas_are_schemas(key: str) -> None:
    """`additionalProperties: false`, `not: true` and the like are valid boolean schemas."""
    assert _check({"A": {key: False}, "B": {key: True}}) == []


def test_a_component_that_is_not_a_schema() -> None:
    """A component schema that is a list or a string is reported at the component itself; booleans pass."""
    assert _check({"A": [], "B": "string", "C": True, "D": False}) == [
        (A, "invalid-schema"),
        ("/components/schemas/B", "invalid-schema"),
    ]


@pytest.mark.parametrize(
    ("schema", "pointer"),
    [
        ({"properties": {"a": {"type": "x"}}}, "/properties/a/type"),
        ({"allOf": [{}, {"type": "x"}]}, "/allOf/1/type"),
        ({"items": {"properties": 3}}, "/items/properties"),
        ({"properties": {"a": {"items": {"oneOf": [{"required": "b"}]}}}}, "/properties/a/items/oneOf/0/required"),
        ({"patternProperties": {"^x/y~": {"anyOf": {}}}}, "/patternProperties/^x~1y~0/anyOf"),
        ({"$defs": {"d": {"not": {"additionalProperties": 1}}}}, "/$defs/d/not/additionalProperties"),
        ({"if": {"then": {"else": {"type": "y"}}}}, "/if/then/else/type"),  # nested under if, not a sibling
        ({"prefixItems": [{"contains": {"type": "z"}}]}, "/prefixItems/0/contains/type"),
        ({"properties": {"a": {"properties": {"b": []}}}}, "/properties/a/properties/b"),
    ],
)
def test_nested_problems_are_found_at_their_pointer(schema: dict[str, Any], pointer: str) -> None:
    """A broken schema deep inside a component is reported at its own escaped pointer, once."""
    assert _check({"A": schema}) == [(A + pointer, "invalid-schema")]


def test_component_names_are_escaped_in_pointers() -> None:
    """A component named `a/b~c` is reported under /components/schemas/a~1b~0c."""
    assert _check({"a/b~c": {"type": "x"}}) == [("/components/schemas/a~1b~0c/type", "invalid-schema")]


def test_several_problems_are_all_reported() -> None:
    """Every problem in every component is found, not only the first."""
    schemas = {
        "A": {"type": "x", "properties": {"p": {"allOf": {}}}, "required": "p"},
        "B": {"items": {"type": "y"}},
    }
    assert _check(schemas) == [
        (A + "/properties/p/allOf", "invalid-schema"),
        (A + "/required", "invalid-schema"),
        (A + "/type", "invalid-schema"),
        ("/components/schemas/B/items/type", "invalid-schema"),
    ]


def test_values_that_are_data_are_not_checked_as_schemas() -> None:
    """enum, const, default, example and discriminator hold data, so schema-looking content there is fine."""
    schema = {
        "type": "object",
        "enum": [{"type": "bad"}],
        "const": {"properties": 1},
        "default": {"allOf": {}},
        "example": {"required": 5},
        "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/B"}},
        "x-ext": {"type": "nonsense"},
    }
    assert _check({"A": schema}) == []


def test_a_well_formed_schema_passes() -> None:
    """A realistic component using many keywords gives no diagnostic."""
    schema = {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
            "meta": {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
            "kind": {"oneOf": [{"const": "a"}, {"$ref": "#/components/schemas/B"}]},
        },
        "allOf": [{"$ref": "#/components/schemas/B"}],
        "not": {"required": ["secret"]},
    }
    assert _check({"A": schema, "B": {"type": "object"}}) == []


@pytest.mark.parametrize("components", [{}, {"schemas": None}, {"schemas": {}}, {"schemas": []}, {"parameters": {}}])
def test_documents_without_component_schemas(components: dict[str, Any]) -> None:
    """No (or an empty or misshapen) components.schemas is nothing to check, and no crash."""
    assert _check(None, components=components) == []


def test_only_component_schemas_are_checked() -> None:
    """Schemas elsewhere (parameters, bodies) are left to openapi-spec-validator."""
    document = {
        "components": {"parameters": {"p": {"name": "p", "in": "query", "schema": {"type": "x"}}}},
        "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"type": "x"}}}}}}}},
    }
    diags = Diagnostics()
    check_schemas(document, file=FILE, diags=diags)
    assert len(diags) == 0
