"""Models that hold for every schema (issue 21): a table of small spec snippets, each generated and exercised.

Each case of ``CASES`` is one schema of the kind other generators test themselves with (unions,
discriminators, nullables, defaults, consts, enums, arrays, maps, recursion, allOf,
additionalProperties). Cases are grouped into a few specs (one operation ``POST /<case>`` per
case, whose request body and 200 response are both the case's schema), so the whole table costs a
handful of generations and one ``mypy --strict`` run. For every case:

* every ``valid`` instance is accepted as a request body (``validate_body``) and as a response
  (``parse_json``), both dump back to exactly the same JSON, and the parsed model prints;
* every ``invalid`` instance is refused by both (``RequestValidationError``, ``pydantic.ValidationError``);
* every ``request_invalid`` instance is refused as a request but read leniently from a response
  (an unknown enum value of the right type, a key the schema does not declare, a stray null).

Every generated package is type-checked by ``mypy --strict`` and imported in an interpreter that
sees only the standard library, httpx and pydantic (with their own dependencies).

The ``test_21_NN_*`` tests pin the defects the issue lists, one or more per defect number.
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest

from generator.diagnostics import Level
from tests.support.codegen import (
    Generated,
    attribute_docstrings,
    import_package,
    make_client,
    module_names,
    run_spec,
    squash,
    unique_package,
    write_result,
)
from tests.support.repo import REPO

pytestmark = pytest.mark.slow  # ~25 generations, one mypy run over all of them

JSON = Any
REF = "#/components/schemas/"


# --- the table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One schema and the instances it must accept and refuse.

    ``wrap``: the schema is the property ``v`` of an object body (instances are wrapped as
    ``{"v": value}``), so scalars and nullables are tested where they usually occur; otherwise the
    schema is the body itself. ``components`` are extra schemas the case refers to.
    """

    id: str
    schema: dict[str, Any]
    valid: tuple[JSON, ...]
    invalid: tuple[JSON, ...] = ()
    request_invalid: tuple[JSON, ...] = ()
    components: dict[str, Any] = field(default_factory=dict)
    wrap: bool = True
    defaults: dict[str, JSON] = field(default_factory=dict)  # attribute -> value after parsing ``{}``

    @property
    def schema_name(self) -> str:
        return "Case" + "".join(part.capitalize() for part in self.id.split("_"))

    @property
    def operation_id(self) -> str:
        return "post" + self.schema_name

    def body(self, value: JSON) -> JSON:
        return {"v": value} if self.wrap else value


def _obj(properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties, **extra}
    if required:
        schema["required"] = list(required)
    return schema


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


_CAT = _obj({"kind": {"type": "string"}, "name": {"type": "string"}}, ("kind",))
_DOG = _obj({"kind": {"type": "string"}, "barks": {"type": "integer"}}, ("kind", "barks"))

UNIONS = [
    Case(
        "union_objects_oneof",
        {"oneOf": [_ref("UoCat"), _ref("UoDog")]},
        valid=({"name": "Tom"}, {"barks": 3}),
        invalid=({"name": 1}, "Tom", [], {"barks": "3"}),
        components={
            "UoCat": _obj({"name": {"type": "string"}}, ("name",), additionalProperties=False),
            "UoDog": _obj({"barks": {"type": "integer"}}, ("barks",), additionalProperties=False),
        },
    ),
    Case(
        "union_objects_anyof",
        {"anyOf": [_ref("UaA"), _ref("UaB")]},
        valid=({"a": "x"}, {"b": 1}),
        invalid=({"a": 1}, 5),
        request_invalid=(None,),  # a null on an optional property is read as absent
        components={"UaA": _obj({"a": {"type": "string"}}, ("a",)), "UaB": _obj({"b": {"type": "integer"}}, ("b",))},
    ),
    Case(
        "union_scalars",
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        valid=("x", 1, ""),
        invalid=(True, 1.5, [], {"a": 1}),
    ),
    Case(
        "union_number_boolean",
        {"anyOf": [{"type": "number"}, {"type": "boolean"}]},
        valid=(1.5, 2, True, False),
        invalid=("1", [], {}),
    ),
    Case("type_list", {"type": ["string", "integer"]}, valid=("a", 3), invalid=(True, 2.5, [])),
    Case(
        "union_array_or_string",
        {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "integer"}}]},
        valid=("a", [1, 2], []),
        invalid=(["a"], 1, [True]),
    ),
    Case(
        "discriminator_mapping",
        {
            "oneOf": [_ref("DmCat"), _ref("DmDog")],
            "discriminator": {"propertyName": "kind", "mapping": {"cat": REF + "DmCat", "dog": REF + "DmDog"}},
        },
        valid=({"kind": "cat", "name": "Tom"}, {"kind": "dog", "barks": 2}),
        invalid=({"kind": "cat", "name": 5}, {"kind": "dog", "barks": "2"}, {"name": "Tom"}, {"kind": 1}),
        components={"DmCat": _CAT, "DmDog": _DOG},
    ),
    # Mapping values may be bare schema names (OpenAPI: "schema names or references"); the tags
    # are still the mapping's keys (@readme/oas-examples' discriminators.json).
    Case(
        "discriminator_mapping_names",
        {
            "oneOf": [_ref("DbCat"), _ref("DbDog")],
            "discriminator": {"propertyName": "kind", "mapping": {"Cat Kind": "DbCat", "dog": "DbDog"}},
        },
        valid=({"kind": "Cat Kind", "name": "Tom"}, {"kind": "dog", "barks": 2}),
        invalid=({"kind": "DbCat", "name": "Tom"}, {"kind": "DbDog", "barks": 2}, {"name": "Tom"}),
        components={"DbCat": _CAT, "DbDog": _DOG},
    ),
    Case(
        "discriminator_no_mapping",
        {"oneOf": [_ref("DnCat"), _ref("DnDog")], "discriminator": {"propertyName": "kind"}},
        valid=({"kind": "DnCat", "name": "Tom"}, {"kind": "DnDog", "barks": 2}),
        invalid=({"kind": "DnDog", "barks": "2"}, {"name": "Tom"}, {"kind": "DnDog"}),
        components={"DnCat": _CAT, "DnDog": _DOG},
    ),
]

NULLABLE_30 = [
    Case("nullable_string_30", {"type": "string", "nullable": True}, valid=("x", None), invalid=(1, False)),
    Case(
        "nullable_required_30",
        _obj({"r": {"type": "integer", "nullable": True}, "o": {"type": "string"}}, ("r",)),
        wrap=False,
        valid=({"r": None}, {"r": 1, "o": "x"}),
        invalid=({}, {"o": "x"}, {"r": "1"}, {"r": 1, "o": 2}),
        request_invalid=({"r": 1, "o": None},),  # a null on an optional non-nullable property: read as absent
    ),
    Case(
        "nullable_ref_30",
        {"allOf": [_ref("Nr30Obj")], "nullable": True},
        valid=({"a": "x"}, None),
        invalid=({"a": 1}, "x"),
        components={"Nr30Obj": _obj({"a": {"type": "string"}}, ("a",))},
    ),
    Case(
        "nullable_enum_30",
        {"type": "string", "enum": ["a", "b", None], "nullable": True},
        valid=("a", None),
        request_invalid=("c",),
    ),
    Case(
        "nullable_array_30",
        {"type": "array", "items": {"type": "integer", "nullable": True}, "nullable": True},
        valid=([1, None], None, []),
        invalid=(["1"], [True]),
    ),
]

NULLABLE_31 = [
    Case("nullable_string_31", {"type": ["string", "null"]}, valid=("x", None), invalid=(1, False)),
    Case(
        "nullable_required_31",
        _obj({"r": {"type": ["integer", "null"]}, "o": {"type": "string"}}, ("r",)),
        wrap=False,
        valid=({"r": None}, {"r": 1, "o": "x"}),
        invalid=({}, {"r": "1"}, {"r": True}),
        request_invalid=({"r": 1, "o": None},),
    ),
    Case(
        "nullable_ref_31",
        {"anyOf": [_ref("Nr31Obj"), {"type": "null"}]},
        valid=({"a": "x"}, None),
        invalid=({"a": 1}, "x"),
        components={"Nr31Obj": _obj({"a": {"type": "string"}}, ("a",))},
    ),
    Case("nullable_enum_31", {"enum": ["a", None]}, valid=("a", None), invalid=(1, True)),
    Case("null_only_31", {"type": "null"}, valid=(None,), invalid=(0, "", False)),
]

DEFAULTS_CONSTS = [
    Case(
        "defaults",
        _obj(
            {
                "s": {"type": "string", "default": "x"},
                "i": {"type": "integer", "default": 3},
                "n": {"type": "number", "default": 1.5},
                "b": {"type": "boolean", "default": True},
                "f": {"type": "boolean", "default": False},
                "a": {"type": "array", "items": {"type": "string"}, "default": ["a", "b"]},
                "o": {"type": "object", "additionalProperties": {"type": "integer"}, "default": {"k": 1}},
                "e": {"type": "string", "enum": ["on", "off"], "default": "off"},
                "z": {"type": ["string", "null"], "default": None},
            }
        ),
        wrap=False,
        valid=(
            {},
            {"s": "y", "i": 4, "n": 2, "b": False, "f": True, "a": [], "o": {}, "e": "on", "z": "q"},
            {"z": None},
        ),
        invalid=({"i": "3"}, {"b": 1}, {"n": "1.5"}, {"i": 1.5}, {"a": "a"}, {"o": {"k": "1"}}),
        defaults={"s": "x", "i": 3, "n": 1.5, "b": True, "f": False, "a": ["a", "b"], "o": {"k": 1}, "e": "off"},
    ),
    Case("const_string", {"const": "aaa"}, valid=("aaa",), invalid=("bbb", 1), request_invalid=(None,)),
    Case("const_string_typed", {"type": "string", "const": "aaa"}, valid=("aaa",), invalid=("bbb", 1)),
    Case("const_integer", {"const": 1}, valid=(1,), invalid=(2, "1", 1.5)),
    Case("const_boolean", {"const": True}, valid=(True,), invalid=(False, "true")),
    Case("const_null", {"const": None}, valid=(None,), invalid=(0, "")),
    Case("enum_single_value", {"type": "string", "enum": ["only"]}, valid=("only",), request_invalid=("other",)),
]

ENUMS = [
    Case("enum_string", {"type": "string", "enum": ["on", "off"]}, valid=("on", "off"), request_invalid=("maybe",)),
    # vercel.com lists `preview` three times: the module once failed to import ("already defined").
    Case(
        "enum_repeated",
        {"type": "string", "enum": ["prod", "preview", "preview", "preview"]},
        valid=("prod", "preview"),
        request_invalid=("dev",),
    ),
    Case(
        "enum_integer",
        {"type": "integer", "enum": [1, 2]},
        valid=(1, 2),
        request_invalid=(3,),
    ),
    Case("enum_number", {"type": "number", "enum": [1.5, 2.5]}, valid=(1.5,), request_invalid=(3.5,)),
    Case("enum_boolean", {"type": "boolean", "enum": [True]}, valid=(True,), invalid=(1, "true")),
    Case("enum_mixed", {"enum": ["A", 1, 2.5]}, valid=("A", 1, 2.5), invalid=([], True), request_invalid=("B", 3)),
    Case(
        "enum_ref",
        {"$ref": REF + "EnumRefColour"},
        valid=("red",),
        request_invalid=("blue",),
        components={"EnumRefColour": {"type": "string", "enum": ["red", "green"]}},
    ),
    Case(
        "enum_words",
        {"type": "string", "enum": ["a Thing WIth spaces", "HTTPServer", "x-y", ""]},
        valid=("a Thing WIth spaces", "HTTPServer", "x-y", ""),
        request_invalid=("a thing with spaces",),
    ),
]

COLLECTIONS = [
    Case("array_of_string", {"type": "array", "items": {"type": "string"}}, valid=(["a"], []), invalid=(["a", 1], "a")),
    Case("array_of_integer", {"type": "array", "items": {"type": "integer"}}, valid=([1, 2],), invalid=([True], [1.5])),
    Case(
        "array_of_number", {"type": "array", "items": {"type": "number"}}, valid=([1, 2.5],), invalid=(["1"], [False])
    ),
    Case("array_of_boolean", {"type": "array", "items": {"type": "boolean"}}, valid=([True],), invalid=([1], ["x"])),
    Case(
        "array_of_object",
        {"type": "array", "items": _ref("AoItem")},
        valid=([{"a": "x"}], []),
        invalid=([{"a": 1}], [1], [{}]),
        components={"AoItem": _obj({"a": {"type": "string"}}, ("a",))},
    ),
    Case(
        "array_of_enum",
        {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
        valid=(["a", "b"],),
        request_invalid=(["c"],),
    ),
    Case(
        "array_of_array",
        {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
        valid=([[1], []],),
        invalid=([1], [["1"]]),
    ),
    Case(
        "array_unique",
        {"type": "array", "items": {"type": "integer"}, "uniqueItems": True},
        valid=([1, 2],),
        invalid=([1, 1],),
    ),
    Case(
        "array_root",
        {"type": "array", "items": {"type": "integer"}},
        wrap=False,
        valid=([1, 2], []),
        invalid=(["1"], {"a": 1}, [True]),
    ),
    # A root model of a constrained string component: the operation's annotation names the type
    # alias (``list[AoaName]``), which its module must import (pinecone.io's ``IndexesList``).
    Case(
        "array_of_alias",
        {"type": "array", "items": _ref("AoaName")},
        wrap=False,
        valid=(["abc"], []),
        invalid=([""], [1]),
        components={"AoaName": {"type": "string", "minLength": 1, "maxLength": 45}},
    ),
    Case(
        "map_of_alias",
        {"type": "object", "additionalProperties": _ref("MoaName")},
        wrap=False,
        valid=({"k": "abc"}, {}),
        invalid=({"k": ""}, {"k": 1}),
        components={"MoaName": {"type": "string", "minLength": 1}},
    ),
    Case(
        "map_of_string",
        {"type": "object", "additionalProperties": {"type": "string"}},
        valid=({"a": "x"}, {}),
        invalid=({"a": 1}, ["a"]),
    ),
    Case(
        "map_of_integer",
        {"type": "object", "additionalProperties": {"type": "integer"}},
        valid=({"a": 1},),
        invalid=({"a": True}, {"a": "1"}),
    ),
    Case(
        "map_of_object",
        {"type": "object", "additionalProperties": _ref("MoItem")},
        valid=({"k": {"a": "x"}},),
        invalid=({"k": {"a": 1}}, {"k": 1}),
        components={"MoItem": _obj({"a": {"type": "string"}}, ("a",))},
    ),
    Case(
        "map_of_array",
        {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "integer"}}},
        valid=({"k": [1]},),
        invalid=({"k": ["1"]}, {"k": 1}),
    ),
    Case(
        "map_of_enum",
        {"type": "object", "additionalProperties": {"type": "string", "enum": ["a", "b"]}},
        valid=({"k": "a"},),
        request_invalid=({"k": "c"},),
    ),
    Case(
        "additional_properties_true",
        _obj({"a": {"type": "string"}}, additionalProperties=True),
        wrap=False,
        valid=({"a": "x", "z": 1}, {"z": [None, {"q": True}]}),
        invalid=({"a": 1},),
    ),
    Case(
        "additional_properties_false",
        _obj({"a": {"type": "string"}}, additionalProperties=False),
        wrap=False,
        valid=({"a": "x"}, {}),
        invalid=({"a": 1}, {"a": "x", "z": 1}),  # explicitly false: refused both ways (unlike an absent keyword)
    ),
    Case(
        "additional_properties_absent",
        _obj({"a": {"type": "string"}}),
        wrap=False,
        valid=({"a": "x"},),
        request_invalid=({"zz": 1},),  # the client refuses undeclared keys unless the schema allows them
    ),
    Case(
        "additional_properties_schema",
        _obj({"a": {"type": "string"}}, additionalProperties={"type": "integer"}),
        wrap=False,
        valid=({"a": "x", "z": 1}, {"z": 2}),
        invalid=({"a": 1}, {"z": "s"}),
    ),
]

RECURSION_ALLOF = [
    Case(
        "recursive_object",
        {"$ref": REF + "RecNode"},
        wrap=False,
        valid=({"value": 1, "children": [{"value": 2, "children": []}]}, {"value": 3}),
        invalid=({"value": 1, "children": [{"value": "x"}]}, {"children": [1]}),
        components={
            "RecNode": _obj(
                {"value": {"type": "integer"}, "children": {"type": "array", "items": _ref("RecNode")}}, ("value",)
            )
        },
    ),
    Case(
        "recursive_linked_list",
        {"$ref": REF + "RecLink"},
        wrap=False,
        valid=({"v": 1, "next": {"v": 2, "next": None}}, {"v": 1}),
        invalid=({"v": 1, "next": {"v": "2"}}, {"v": 1, "next": 5}),
        components={
            "RecLink": _obj({"v": {"type": "integer"}, "next": {"anyOf": [_ref("RecLink"), {"type": "null"}]}})
        },
    ),
    Case(
        "recursive_map",
        {"$ref": REF + "RecMapNode"},
        wrap=False,
        valid=({"name": "a", "sub": {"x": {"name": "b", "sub": {}}}},),
        invalid=({"name": "a", "sub": {"x": {"name": 1}}}, {"name": "a", "sub": {"x": 1}}),
        components={
            "RecMapNode": _obj(
                {"name": {"type": "string"}, "sub": {"type": "object", "additionalProperties": _ref("RecMapNode")}}
            )
        },
    ),
    Case(
        "allof_inheritance",
        {"$ref": REF + "AiCat"},
        wrap=False,
        valid=({"name": "x", "claws": 1}, {"name": "y"}),
        invalid=({"claws": 1}, {"name": "x", "claws": "1"}, {"name": 1}),
        components={
            "AiPet": _obj({"name": {"type": "string"}}, ("name",)),
            "AiCat": {"allOf": [_ref("AiPet"), _obj({"claws": {"type": "integer"}})]},
        },
    ),
    Case(
        "allof_two_parents",
        {"$ref": REF + "AtBoth"},
        wrap=False,
        valid=({"a": "x", "b": 1},),
        invalid=({"a": "x"}, {"b": 1}, {"a": "x", "b": "1"}),
        components={
            "AtA": _obj({"a": {"type": "string"}}, ("a",)),
            "AtB": _obj({"b": {"type": "integer"}}, ("b",)),
            "AtBoth": {"allOf": [_ref("AtA"), _ref("AtB")]},
        },
    ),
    Case(
        "allof_narrowing_parent",
        {"$ref": REF + "AnBase"},
        wrap=False,
        valid=({"type": "reqRespPair"}, {"type": "single", "n": 1}),
        invalid=({"type": 1}, {}),
        request_invalid=({"type": "other"},),
        components={
            "AnBase": _obj(
                {"type": {"type": "string", "enum": ["reqRespPair", "single"]}, "n": {"type": "integer"}}, ("type",)
            ),
            "AnPair": {"allOf": [_ref("AnBase"), _obj({"type": {"type": "string", "enum": ["reqRespPair"]}})]},
        },
    ),
    Case(
        "allof_narrowing_child",
        {"$ref": REF + "AncPair"},
        wrap=False,
        valid=({"type": "reqRespPair"}, {"type": "reqRespPair", "n": 1}),
        # Narrowed to one value, the child's `type` is that const: "single" is no unknown enum
        # value read leniently but a parent's value the subtype excludes, refused both ways.
        invalid=({"type": 1}, {}, {"type": "single"}),
        components={
            "AncBase": _obj(
                {"type": {"type": "string", "enum": ["reqRespPair", "single"]}, "n": {"type": "integer"}}, ("type",)
            ),
            "AncPair": {"allOf": [_ref("AncBase"), _obj({"type": {"type": "string", "enum": ["reqRespPair"]}})]},
        },
    ),
]

GROUPS: dict[str, tuple[str, list[Case]]] = {
    "unions": ("3.1.0", UNIONS),
    "nullable30": ("3.0.3", NULLABLE_30),
    "nullable31": ("3.1.0", NULLABLE_31),
    "defaults": ("3.1.0", DEFAULTS_CONSTS),
    "enums": ("3.1.0", ENUMS),
    "collections": ("3.1.0", COLLECTIONS),
    "recursion": ("3.1.0", RECURSION_ALLOF),
}
CASES = {case.id: (group, case) for group, (_, cases) in GROUPS.items() for case in cases}


def _document(version: str, paths: dict[str, Any], schemas: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "Snippets", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
        **extra,
    }


def _json_operation(operation_id: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    content = {"application/json": {"schema": schema}}
    return {
        "operationId": operation_id,
        "requestBody": {"required": True, "content": content},
        "responses": {"200": {"description": "ok", "content": content}},
        **extra,
    }


def _group_spec(version: str, cases: list[Case]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for case in cases:
        for name, schema in case.components.items():
            assert schemas.setdefault(name, schema) is schema, f"{case.id}: component {name} taken"
        schemas[case.schema_name] = _obj({"v": case.schema}) if case.wrap else case.schema
        paths[f"/{case.id}"] = {"post": _json_operation(case.operation_id, _ref(case.schema_name))}
    return _document(version, paths, schemas)


def _holder_spec(properties: dict[str, Any], version: str = "3.1.0", **schemas: Any) -> dict[str, Any]:
    """One operation ``POST /holder`` whose body and response are ``Holder``, an object of ``properties``."""
    return _document(
        version,
        {"/holder": {"post": _json_operation("postHolder", _ref("Holder"))}},
        {"Holder": _obj(properties), **schemas},
    )


# --- the defects' specs (generated with the table, type-checked with it) ------------------

DEFECT_SPECS: dict[str, dict[str, Any]] = {
    "d01_mixed": _holder_spec(
        {
            "v": {"enum": ["A", 1]},
            "c": {"const": 1},
            "w": {"enum": [True, "x"]},
            "k": {"const": True},
            "n": {"enum": [1.5, "B"]},
        }
    ),
    "d02_enum_types": _holder_spec(
        {
            "status": {"type": "string", "enum": ["on", "off"]},
            "level": {"type": "integer", "enum": [1, 2]},
            "ratio": {"type": "number", "enum": [0.5, 1.5]},
            "nested": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
        }
    ),
    "d03_bad_defaults": _holder_spec(
        {
            "b": {"type": "boolean", "default": "True"},
            "c": {"const": "aaa", "default": "bbb"},
            "i": {"type": "integer", "default": "3"},
            "e": {"type": "string", "enum": ["on", "off"], "default": "maybe"},
            "x": {"type": "integer", "example": "many"},
            "k": {"type": "string", "const": 1},
        }
    ),
    "d07_any_result": _document(
        "3.1.0",
        {
            "/anything": {
                "get": {
                    "operationId": "getAnything",
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}},
                }
            }
        },
        {},
    ),
    "d08_recursive_array": _document(
        "3.1.0",
        {"/tree": {"post": _json_operation("postTree", _ref("Tree"))}},
        {"Tree": {"type": "array", "items": _ref("Tree")}},
    ),
    "d08_recursive_map": _document(
        "3.1.0",
        {"/tree": {"post": _json_operation("postTree", _ref("Tree"))}},
        {"Tree": {"type": "object", "additionalProperties": _ref("Tree")}},
    ),
    "d09_contradictory_enum": _holder_spec({"v": {"type": "string", "enum": [2, 3]}}),
    "d10_narrowing": _document(
        "3.1.0",
        {
            "/base": {"post": _json_operation("postBase", _ref("Base"))},
            "/pair": {"post": _json_operation("postPair", _ref("Pair"))},
            "/const-pair": {"post": _json_operation("postConstPair", _ref("ConstPair"))},
        },
        {
            "MessageType": {"type": "string", "enum": ["reqRespPair", "single"]},
            "Base": _obj({"type": _ref("MessageType"), "n": {"type": "integer"}}, ("type",)),
            "Pair": {"allOf": [_ref("Base"), _obj({"type": {"type": "string", "enum": ["reqRespPair"]}})]},
            "ConstPair": {"allOf": [_ref("Base"), _obj({"type": {"const": "reqRespPair"}})]},
        },
    ),
    "d11_docstrings": _document(
        "3.1.0",
        {
            "/fries": {
                "get": {
                    "operationId": "getFries",
                    "description": "Fries are served hot.",
                    "parameters": [
                        {
                            "name": "fries",
                            "in": "query",
                            "schema": {"type": "integer", "description": "How many fries."},
                        },
                        {"name": "salt", "in": "query", "description": "Salt or not.", "schema": {"type": "boolean"}},
                    ],
                    "responses": {"204": {"description": "served"}},
                },
                "post": {
                    "operationId": "postFries",
                    "summary": "Order fries.",
                    "description": "Orders a portion of fries.",
                    "requestBody": {"content": {"application/json": {"schema": _ref("Holder")}}},
                    "responses": {"204": {"description": "ordered"}},
                },
            }
        },
        {"Holder": _obj({"f": {"type": "string", "description": "How crisp the fries are."}})},
    ),
    "d12_member_names": _holder_spec({"v": {"type": "string", "enum": ["a Thing WIth spaces", "HTTPServer"]}}),
}

SPECS: dict[str, dict[str, Any]] = {
    **{group: _group_spec(version, cases) for group, (version, cases) in GROUPS.items()},
    **DEFECT_SPECS,
}


# --- generation, shared by the module -------------------------------------------------------


@dataclass
class Package:
    gen: Generated
    modules: dict[str, ModuleType]

    @property
    def models(self) -> ModuleType:
        return self.modules[f"{self.gen.package}.models"]

    def module(self, relative: str) -> ModuleType:
        return self.modules[f"{self.gen.package}.{relative}"]

    def validate_body(self, model: type[Any], body: JSON) -> Any:
        return self.module("_base_client").validate_body(model, body)

    def parse_json(self, model: type[Any], body: JSON) -> Any:
        return self.module("_models").parse_json(model, json.dumps(body).encode())

    @property
    def request_error(self) -> type[Exception]:
        return self.module("errors").RequestValidationError  # type: ignore[no-any-return]

    def models_of(self, operation_id: str) -> tuple[type[Any], type[Any]]:
        """The classes the operation validates its request body into and parses its 200 response into."""
        _, op = self.gen.operation(operation_id)
        assert op.body is not None and op.body.model, f"{operation_id}: no body model"
        response = next(r for r in op.responses if r.status == "200")
        assert response.model, f"{operation_id}: no response model"
        return getattr(self.models, op.body.model), getattr(self.models, response.model)

    def source_of(self, class_name: str) -> str:
        for path, text in self.gen.python_files().items():
            if "models" in path.parts or path.stem == "models":
                if re.search(rf"^class {class_name}\b", text, re.MULTILINE):
                    return text
        raise KeyError(class_name)


class Workspace:
    """Generates each spec of ``SPECS`` on first use, every package into one directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.out = root / "out"
        self._packages: dict[str, Package] = {}

    def __getitem__(self, name: str) -> Package:
        if name not in self._packages:
            result = run_spec(SPECS[name], self.root / "work" / name, package=unique_package(f"snip_{name}"))
            gen = write_result(result, self.out)
            self._packages[name] = Package(gen, import_package(gen))
        return self._packages[name]

    def all(self) -> dict[str, Package]:
        """Every spec that generates (one that does not fails its own tests, not the others')."""
        for name in SPECS:
            try:
                self[name]
            except AssertionError:
                pass
        return dict(self._packages)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("snippets"))


def _dump(model: pydantic.BaseModel) -> JSON:
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


def _accepts(pkg: Package, operation_id: str, body: JSON) -> None:
    """``body`` is valid both ways, and reads and writes back unchanged."""
    request_model, response_model = pkg.models_of(operation_id)
    sent = pkg.validate_body(request_model, body)
    assert _dump(sent) == body, f"request body changed on the way out: {body!r} -> {_dump(sent)!r}"
    parsed = pkg.parse_json(response_model, body)
    assert _dump(parsed) == body, f"response changed when read: {body!r} -> {_dump(parsed)!r}"
    assert json.loads(parsed.model_dump_json(by_alias=True, exclude_unset=True)) == body
    repr(parsed)
    str(parsed)


def _refused_as_request(pkg: Package, operation_id: str, body: JSON) -> None:
    request_model, _ = pkg.models_of(operation_id)
    with pytest.raises(pkg.request_error):
        sent = pkg.validate_body(request_model, body)
        pytest.fail(f"request body {body!r} accepted, would send {_dump(sent)!r}")


def _refused_as_response(pkg: Package, operation_id: str, body: JSON) -> None:
    _, response_model = pkg.models_of(operation_id)
    with pytest.raises(pydantic.ValidationError):
        parsed = pkg.parse_json(response_model, body)
        pytest.fail(f"response {body!r} accepted as {parsed!r}")


def _instances(kind: str) -> Iterator[Any]:
    for case_id, (_, case) in CASES.items():
        for index, value in enumerate(getattr(case, kind)):
            yield pytest.param(case_id, value, id=f"{case_id}-{index}")


# --- the table's tests ----------------------------------------------------------------------


@pytest.mark.parametrize(("case_id", "value"), list(_instances("valid")))
def test_valid_instance_is_accepted_and_dumped_back_unchanged(workspace: Workspace, case_id: str, value: JSON) -> None:
    group, case = CASES[case_id]
    _accepts(workspace[group], case.operation_id, case.body(value))


@pytest.mark.parametrize(("case_id", "value"), list(_instances("invalid")))
def test_invalid_instance_is_refused_as_request_and_as_response(
    workspace: Workspace, case_id: str, value: JSON
) -> None:
    group, case = CASES[case_id]
    pkg = workspace[group]
    _refused_as_request(pkg, case.operation_id, case.body(value))
    _refused_as_response(pkg, case.operation_id, case.body(value))


@pytest.mark.parametrize(("case_id", "value"), list(_instances("request_invalid")))
def test_request_only_invalid_instance_is_refused_as_request_and_read_leniently(
    workspace: Workspace, case_id: str, value: JSON
) -> None:
    group, case = CASES[case_id]
    pkg = workspace[group]
    _refused_as_request(pkg, case.operation_id, case.body(value))
    _, response_model = pkg.models_of(case.operation_id)
    parsed = pkg.parse_json(response_model, case.body(value))
    repr(parsed)
    str(parsed)
    _dump(parsed)


@pytest.mark.parametrize("case_id", [case_id for case_id, (_, case) in CASES.items() if case.defaults])
def test_defaults_are_the_spec_values(workspace: Workspace, case_id: str) -> None:
    group, case = CASES[case_id]
    pkg = workspace[group]
    _, response_model = pkg.models_of(case.operation_id)
    parsed = pkg.parse_json(response_model, {})
    dumped = parsed.model_dump(mode="json", by_alias=True)
    assert {name: dumped.get(name) for name in case.defaults} == case.defaults


@pytest.mark.parametrize("name", list(SPECS))
def test_every_snippet_generates_without_errors(workspace: Workspace, name: str) -> None:
    pkg = workspace[name]
    assert not pkg.gen.diagnostics.has_errors, pkg.gen.diagnostics.render()


# --- type check and runtime-only import, once for every package ----------------------------


@dataclass
class MypyRun:
    errors: dict[str, list[str]]  # package -> error lines
    output: str


@pytest.fixture(scope="module")
def mypy_run(workspace: Workspace) -> MypyRun:
    packages = workspace.all()
    args = [arg for pkg in packages.values() for arg in ("-p", pkg.gen.package)]
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(REPO / "pyproject.toml"), *args],
        cwd=workspace.out,
        capture_output=True,
        text=True,
        check=False,
    )
    errors: dict[str, list[str]] = {}
    for line in proc.stdout.splitlines():
        match = re.match(r"^([A-Za-z0-9_]+)[/\\].*?: error: ", line)
        if match:
            errors.setdefault(match.group(1), []).append(line)
    assert proc.returncode in (0, 1) and (proc.returncode == 0 or errors), proc.stdout + proc.stderr
    return MypyRun(errors, proc.stdout)


@pytest.mark.parametrize("name", list(SPECS))
def test_mypy_strict_passes_on_every_snippet_package(workspace: Workspace, mypy_run: MypyRun, name: str) -> None:
    package = workspace[name].gen.package
    errors = mypy_run.errors.get(package, [])
    assert not errors, f"{name}: {len(errors)} mypy --strict errors:\n" + "\n".join(errors[:20])


def _runtime_only_path(directory: Path) -> Path:
    """A directory holding (symlinks to) httpx, pydantic and their own dependencies, nothing else."""
    from packaging.requirements import Requirement

    directory.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    todo = ["httpx", "pydantic"]
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in seen:
            continue
        seen.add(name)
        dist = metadata.distribution(name)
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
        for file in dist.files or []:
            top = file.parts[0]
            if top in ("..", "__pycache__") or top.endswith(".pth"):
                continue
            target = directory / top
            if not target.exists():
                target.symlink_to(Path(str(dist.locate_file(top))))
    return directory


_IMPORT_ALL = """
import importlib, json, sys
errors = {}
for name in json.loads(sys.argv[1]):
    try:
        importlib.import_module(name)
    except BaseException as exc:
        errors[name] = f"{type(exc).__name__}: {exc}"
print(json.dumps(errors))
"""


def test_every_snippet_package_imports_with_the_runtime_dependencies_alone(
    workspace: Workspace, tmp_path: Path
) -> None:
    packages = workspace.all()
    names = [name for pkg in packages.values() for name in module_names(pkg.gen)]
    runtime = _runtime_only_path(tmp_path / "runtime")
    program = f"import sys; sys.path[:0] = [{str(runtime)!r}, {str(workspace.out)!r}]\n" + _IMPORT_ALL
    # -S: no site-packages (so neither the generator nor its tools); -E: no PYTHONPATH.
    proc = subprocess.run(
        [sys.executable, "-S", "-E", "-c", program, json.dumps(names)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1]) == {}
    assert len(packages) == len(SPECS), f"specs that did not generate: {sorted(set(SPECS) - set(packages))}"


def test_generated_code_imports_only_stdlib_httpx_pydantic_and_itself(workspace: Workspace) -> None:
    allowed = {"httpx", "pydantic", "pydantic_core", "typing_extensions"} | set(sys.stdlib_module_names)
    for pkg in workspace.all().values():
        for path, text in pkg.gen.python_files().items():
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.Import):
                    tops = {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and not node.level:
                    tops = {(node.module or "").split(".")[0]}
                else:
                    continue
                assert tops <= allowed | {pkg.gen.package}, f"{path}:{node.lineno} imports {sorted(tops - allowed)}"


# --- issue 21, defect by defect (each fails on the code the issue was filed against) ------------


def _diagnostics_at(result_or_gen: Any, prefix: str) -> list[str]:
    return [d.render() for d in result_or_gen.diagnostics if d.pointer.startswith(prefix)]


def test_21_01_bool_not_int_in_mixed_enum(workspace: Workspace) -> None:
    """JSON true is never an integer and 1 never a boolean, in mixed enums and consts, either direction."""
    pkg = workspace["d01_mixed"]
    for good in ({"v": "A"}, {"v": 1}, {"c": 1}, {"w": True}, {"w": "x"}, {"k": True}, {"n": 1.5}, {"n": "B"}):
        _accepts(pkg, "postHolder", good)
    for bad in ({"v": True}, {"c": True}, {"w": 1}, {"k": 1}, {"n": True}):
        _refused_as_request(pkg, "postHolder", bad)
        _refused_as_response(pkg, "postHolder", bad)
    # An unlisted value of a member's JSON type is an unknown enum value: refused in a request, kept in a response.
    for unknown in ({"v": 1.0 + 0.5}, {"v": "1"}, {"w": "y"}, {"n": 2.5}):
        _refused_as_request(pkg, "postHolder", unknown)
        assert _dump(pkg.parse_json(pkg.models_of("postHolder")[1], unknown)) == unknown


def test_21_02_string_enum_response_refuses_other_json_types(workspace: Workspace) -> None:
    pkg = workspace["d02_enum_types"]
    for bad in ({"status": 7}, {"status": True}, {"level": "1"}, {"level": True}, {"ratio": "0.5"}, {"nested": [1]}):
        _refused_as_request(pkg, "postHolder", bad)
        _refused_as_response(pkg, "postHolder", bad)


def test_21_02_unknown_enum_values_of_the_right_type_stay_lenient_and_print(workspace: Workspace) -> None:
    pkg = workspace["d02_enum_types"]
    body = {"status": "maybe", "level": 3, "ratio": 2.5, "nested": ["c"]}
    _refused_as_request(pkg, "postHolder", body)
    _, response_model = pkg.models_of("postHolder")
    parsed = pkg.parse_json(response_model, body)
    assert _dump(parsed) == body
    repr(parsed)
    str(parsed)


def test_21_02_wrong_json_type_is_a_response_validation_error(workspace: Workspace) -> None:
    pkg = workspace["d02_enum_types"]
    errors = pkg.module("errors")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"status": 7})

    client = make_client(pkg.gen, pkg.modules, handler, base_url="https://api.test")
    tag, op = pkg.gen.operation("postHolder")
    with pytest.raises(errors.ResponseValidationError):
        result = getattr(getattr(client, tag.attribute), op.python_name)(body={"status": "on"})
        pytest.fail(f"accepted: {result!r}")


def test_21_03_invalid_default_const_example_is_a_diagnostic_with_its_pointer(tmp_path: Path) -> None:
    result = run_spec(DEFECT_SPECS["d03_bad_defaults"], tmp_path, package=unique_package("snip_d03"))
    pointers = {d.pointer for d in result.diagnostics}
    base = "/components/schemas/Holder/properties/"
    expected = {
        base + "b/default",
        base + "c/default",
        base + "i/default",
        base + "e/default",
        base + "x/example",
        base + "k/const",
    }
    assert expected <= pointers, f"missing: {sorted(expected - pointers)}\n{result.diagnostics.render()}"


def test_21_03_invalid_defaults_are_never_written_into_code(tmp_path: Path) -> None:
    result = run_spec(DEFECT_SPECS["d03_bad_defaults"], tmp_path, package=unique_package("snip_d03"))
    if result.files is None:  # refused: fine, as long as it says where (the test above)
        assert result.diagnostics.has_errors
        return
    models = "\n".join(t for p, t in result.files.items() if p.suffix == ".py" and "models" in str(p))
    for bad in ('= "True"', '= "bbb"', '= "3"', '"maybe"'):
        assert bad not in models, f"written into the models: {bad}"


def test_21_03_bad_defaults_package_passes_mypy(workspace: Workspace, mypy_run: MypyRun) -> None:
    errors = mypy_run.errors.get(workspace["d03_bad_defaults"].gen.package, [])
    assert not errors, "\n".join(errors)


def test_21_04_invalid_31_document_is_refused(tmp_path: Path) -> None:
    spec = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}
    result = run_spec(spec, tmp_path)
    assert result.files is None, "a 3.1 document with none of paths, components, webhooks was generated"
    errors = [d for d in result.diagnostics if d.level is Level.ERROR]
    assert errors, result.diagnostics.render()


@pytest.mark.parametrize("kind", ["requestBody", "parameter", "response"])
def test_21_05_self_referencing_component_is_refused_with_pointer(tmp_path: Path, kind: str) -> None:
    operation: dict[str, Any] = {"operationId": "postHolder", "responses": {"204": {"description": "done"}}}
    components: dict[str, Any] = {}
    if kind == "requestBody":
        operation["requestBody"] = {"$ref": "#/components/requestBodies/Self"}
        components["requestBodies"] = {"Self": {"$ref": "#/components/requestBodies/Self"}}
        where = "/components/requestBodies/Self"
    elif kind == "parameter":
        operation["parameters"] = [{"$ref": "#/components/parameters/Self"}]
        components["parameters"] = {"Self": {"$ref": "#/components/parameters/Self"}}
        where = "/components/parameters/Self"
    else:
        operation["responses"] = {"200": {"$ref": "#/components/responses/Self"}}
        components["responses"] = {"Self": {"$ref": "#/components/responses/Self"}}
        where = "/components/responses/Self"
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/holder": {"post": operation}},
        "components": components,
    }
    result = run_spec(spec, tmp_path)
    use = "/paths/~1holder/post"
    named = [d.render() for d in result.diagnostics if d.pointer.startswith((where, use))]
    assert named, f"no diagnostic names {where} or {use}:\n{result.diagnostics.render()}"
    if result.files is not None:
        assert result.api is not None
        op = next(op for tag in result.api.tags for op in tag.operations)
        if kind == "requestBody":
            assert op.body is not None, "body= disappeared from the method"


@pytest.mark.parametrize(
    "schemas",
    [
        {"Holder": _ref("B"), "B": _ref("Holder")},
        {"Holder": _ref("Holder")},
        {"Holder": {"allOf": [_ref("B")]}, "B": {"allOf": [_ref("Holder")]}},
    ],
    ids=["two-step", "self", "allof"],
)
def test_21_06_ref_cycle_is_refused_with_pointer(tmp_path: Path, schemas: dict[str, Any]) -> None:
    spec = _document("3.1.0", {"/holder": {"post": _json_operation("postHolder", _ref("Holder"))}}, schemas)
    result = run_spec(spec, tmp_path)
    named = _diagnostics_at(result, "/components/schemas/")
    assert named, f"no diagnostic names a schema of the cycle:\n{result.diagnostics.render()}"
    if result.files is None:
        assert result.diagnostics.has_errors


def test_21_07_testing_module_imports_any_when_it_uses_it(workspace: Workspace) -> None:
    pkg = workspace["d07_any_result"]
    tree = ast.parse(pkg.gen.text("testing.py"))
    imported = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    if re.search(r"\bAny\b", ast.unparse(tree)):  # names and string annotations alike
        assert "Any" in imported, "testing.py uses Any without importing it"


def test_21_07_any_result_package_passes_mypy(workspace: Workspace, mypy_run: MypyRun) -> None:
    errors = mypy_run.errors.get(workspace["d07_any_result"].gen.package, [])
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize(
    ("name", "valid", "invalid"),
    [
        ("d08_recursive_array", [[[], [[]]], []], [[1], [[1]], [["x"]]]),
        ("d08_recursive_map", [{"a": {"b": {}}}, {}], [{"a": 1}, {"a": {"b": "x"}}]),
    ],
)
def test_21_08_recursive_array_and_map_keep_item_type(
    workspace: Workspace, name: str, valid: list[JSON], invalid: list[JSON]
) -> None:
    pkg = workspace[name]
    for body in valid:
        _accepts(pkg, "postTree", body)
    for body in invalid:
        _refused_as_request(pkg, "postTree", body)
        _refused_as_response(pkg, "postTree", body)


def test_21_08_recursive_array_annotation_is_not_bare_list(workspace: Workspace) -> None:
    pkg = workspace["d08_recursive_array"]
    request_model, _ = pkg.models_of("postTree")
    annotation = request_model.model_fields["root"].annotation
    assert annotation is not list and getattr(annotation, "__args__", None), f"root: {annotation!r}"


def test_21_09_contradictory_enum_is_a_warning_with_pointer(workspace: Workspace) -> None:
    pkg = workspace["d09_contradictory_enum"]
    named = _diagnostics_at(pkg.gen, "/components/schemas/Holder/properties/v")
    assert named, f"no diagnostic at the contradictory enum:\n{pkg.gen.diagnostics.render()}"


def test_21_09_contradictory_enum_is_listed_in_the_readme(workspace: Workspace) -> None:
    """Like the unenforced keywords: a user reading the package learns what the client does not check."""
    pkg = workspace["d09_contradictory_enum"]
    assert "/components/schemas/Holder/properties/v" in pkg.gen.text("README.md")


def test_21_10_allof_narrowing_keeps_parent_and_child_apart(workspace: Workspace) -> None:
    pkg = workspace["d10_narrowing"]
    for body in ({"type": "reqRespPair"}, {"type": "single", "n": 1}):
        _accepts(pkg, "postBase", body)
    for operation_id in ("postPair", "postConstPair"):
        _accepts(pkg, operation_id, {"type": "reqRespPair", "n": 2})
        _refused_as_request(pkg, operation_id, {"type": "single"})


def _method(pkg: Package, operation_id: str) -> Callable[..., Any]:
    tag, op = pkg.gen.operation(operation_id)
    module = pkg.module(f"api.{tag.module}")
    return getattr(getattr(module, tag.resource_class), op.python_name)  # type: ignore[no-any-return]


def test_21_11_docstring_without_summary_starts_with_description(workspace: Workspace) -> None:
    doc = inspect.getdoc(_method(workspace["d11_docstrings"], "getFries")) or ""
    assert doc.splitlines()[0] == "Fries are served hot.", doc


def test_21_11_docstring_keeps_summary_then_description(workspace: Workspace) -> None:
    doc = squash(inspect.getdoc(_method(workspace["d11_docstrings"], "postFries")))
    assert doc.startswith("Order fries. Orders a portion of fries."), doc


def test_21_11_parameter_docstring_keeps_its_schema_description(workspace: Workspace) -> None:
    doc = squash(inspect.getdoc(_method(workspace["d11_docstrings"], "getFries")))
    assert "fries: How many fries." in doc, doc
    assert "salt: Salt or not." in doc, doc


def test_21_11_field_docstring_keeps_its_description(workspace: Workspace) -> None:
    pkg = workspace["d11_docstrings"]
    docs = attribute_docstrings(pkg.source_of("Holder"), "Holder")
    assert squash(docs.get("f")) == "How crisp the fries are."


def test_21_12_enum_member_names_follow_the_value_words(workspace: Workspace) -> None:
    pkg = workspace["d12_member_names"]
    enum_class = type(pkg.parse_json(pkg.models_of("postHolder")[1], {"v": "HTTPServer"}).v)
    assert {member.name: member.value for member in enum_class} == {
        "A_THING_WITH_SPACES": "a Thing WIth spaces",
        "HTTP_SERVER": "HTTPServer",
    }
