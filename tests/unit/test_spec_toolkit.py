"""Unit tests of generator/openapi/toolkit.py: JSON pointers, refs, operations and the schema keyword tables."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.diagnostics import pointer
from generator.openapi.toolkit import (
    HTTP_METHODS,
    SCHEMA_CHILD,
    SCHEMA_LIST,
    SCHEMA_MAP,
    as_dict,
    as_list,
    component_ref,
    deref,
    lookup,
    map_schema,
    operations,
    ref_name,
    resolve,
    subschemas,
    unescape_token,
    walk,
    with_subschemas,
)

DOC: dict[str, Any] = {
    "a/b": {"m~n": 1},
    "c": [10, {"d": None}],
    "e f": "space",
    "%41": "literal-percent",
    "~1": "tilde-one",
    "z": False,
}


# --- pointers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "key"),
    [
        ("plain", "plain"),
        ("a~1b", "a/b"),
        ("m~0n", "m~n"),
        ("~01", "~1"),  # ~1 is replaced before ~0, so this is "~" + "1", never "/"
        ("~10", "/0"),
        ("~0~1", "~/"),
    ],
)
def test_unescape_token_follows_rfc_6901(token: str, key: str) -> None:
    """A reference token is unescaped ~1 first, then ~0."""
    assert unescape_token(token) == key


@pytest.mark.parametrize(
    ("fragment", "uri", "expected"),
    [
        ("", False, (True, DOC)),
        ("/a~1b/m~0n", False, (True, 1)),
        ("/a~1b/m~0n", True, (True, 1)),
        ("/c/0", False, (True, 10)),
        ("/c/1/d", False, (True, None)),  # found, and the value is null
        ("/z", False, (True, False)),
        ("/~01", False, (True, "tilde-one")),
        ("/missing", False, (False, None)),
        ("/c/2", False, (False, None)),  # past the end of the list
        ("/c/-1", False, (False, None)),
        ("/c/x", False, (False, None)),
        ("/e f/x", False, (False, None)),  # through a scalar
        ("/c/1/d/x", False, (False, None)),  # through a null
        # percent-encoding is decoded only in URI fragments ($refs)
        ("/e%20f", True, (True, "space")),
        ("/e%20f", False, (False, None)),
        ("/%41", False, (True, "literal-percent")),
        ("/%41", True, (False, None)),  # decodes to "A", which is not a key
        ("/%7E01", True, (True, "tilde-one")),  # percent-decoded first, then ~ unescaped
        ("/a~1b/m%7E0n", True, (True, 1)),
    ],
)
def test_lookup(fragment: str, uri: bool, expected: tuple[bool, Any]) -> None:
    """lookup follows escaped tokens, list indices and (for uri=True only) percent-encoding."""
    assert lookup(DOC, fragment, uri=uri) == expected


def test_lookup_returns_the_node_itself_not_a_copy() -> None:
    """The found value is the document's own object, so callers can compare identities."""
    assert lookup(DOC, "/c/1")[1] is DOC["c"][1]
    assert lookup(DOC, "")[1] is DOC


def test_lookup_with_a_non_ascii_digit_token_is_not_found() -> None:
    """A token like '²' into a list is simply not found (no crash on hostile input)."""
    assert lookup([1, 2, 3], "/²") == (False, None)


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("#", DOC),
        ("#/a~1b/m~0n", 1),
        ("#/e%20f", "space"),
        ("#/c/0", 10),
        ("#/missing", None),
        ("other.yaml#/a~1b", None),  # not a local ref
        ("/a~1b", None),  # no '#': not a local ref either
    ],
)
def test_resolve_local_refs(ref: str, expected: Any) -> None:
    """resolve follows local '#...' refs (percent-decoded) and gives None for anything else."""
    assert resolve(DOC, ref) == expected


@pytest.mark.parametrize(
    ("ref", "name"),
    [
        ("#/components/schemas/Job", "Job"),
        ("#/components/schemas/a~1b", "a/b"),
        ("#/components/schemas/x~0y", "x~y"),
        ("#/components/schemas/my%20schema", "my schema"),
        ("other.yaml#/definitions/Pet", "Pet"),
        ("Pet", "Pet"),
    ],
)
def test_ref_name_is_the_last_token_unescaped(ref: str, name: str) -> None:
    """ref_name gives the key the last token names, percent-decoded and ~-unescaped."""
    assert ref_name(ref) == name


@pytest.mark.parametrize(
    ("name", "ref"),
    [
        ("Job", "#/components/schemas/Job"),
        ("a/b", "#/components/schemas/a~1b"),
        ("x~y", "#/components/schemas/x~0y"),
        ("~/", "#/components/schemas/~0~1"),
    ],
)
def test_component_ref_escapes_and_round_trips(name: str, ref: str) -> None:
    """component_ref escapes the name; ref_name and resolve bring it back to the same schema."""
    schema = {"type": "string"}
    document = {"components": {"schemas": {name: schema}}}
    assert component_ref(name) == ref
    assert ref_name(component_ref(name)) == name
    assert resolve(document, component_ref(name)) is schema


# --- deref --------------------------------------------------------------------------------------


def test_deref_follows_a_chain_to_its_end() -> None:
    """A ref to a ref to a schema gives the schema itself."""
    target = {"type": "string"}
    document = {"A": {"$ref": "#/B"}, "B": {"$ref": "#/C"}, "C": target}
    assert deref(document, {"$ref": "#/A"}) is target


@pytest.mark.parametrize("node", [{"type": "string"}, None, 3, ["x"], {"$ref": 5}])
def test_deref_returns_a_non_ref_as_it_is(node: Any) -> None:
    """Anything without a string $ref comes back unchanged."""
    assert deref({}, node) is node


def test_deref_of_a_dangling_ref_is_none() -> None:
    """A chain that ends nowhere gives None."""
    assert deref({"A": {"$ref": "#/Nope"}}, {"$ref": "#/A"}) is None


@pytest.mark.parametrize(
    "document",
    [
        {"A": {"$ref": "#/A"}},
        {"A": {"$ref": "#/B"}, "B": {"$ref": "#/A"}},
        {"A": {"$ref": "#/B"}, "B": {"$ref": "#/C"}, "C": {"$ref": "#/B"}},
    ],
)
def test_deref_stops_on_a_cycle(document: dict[str, Any]) -> None:
    """A cycle of refs terminates, on a node that still holds one of the cycle's refs."""
    result = deref(document, {"$ref": "#/A"})
    assert isinstance(result, dict) and result["$ref"] in {"#/A", "#/B", "#/C"}


# --- operations ---------------------------------------------------------------------------------


def test_operations_sorted_paths_methods_in_http_methods_order() -> None:
    """Paths come sorted, methods in HTTP_METHODS order, and non-dict path items/operations are skipped."""
    get_b, post_b = {"operationId": "getB"}, {"operationId": "postB"}
    item_b = {"post": post_b, "parameters": [{"name": "x"}], "summary": "s", "get": get_b}
    document = {
        "paths": {
            "/b": item_b,
            "/c": "not a path item",
            "/d": None,
            "/e": {"get": "not an operation", "servers": []},
            "/a": {"trace": {"operationId": "t"}, "x-ext": {}, "delete": {"operationId": "d"}},
        }
    }
    result = [(path, method, op.get("operationId")) for path, method, _item, op in operations(document)]
    assert result == [("/a", "delete", "d"), ("/a", "trace", "t"), ("/b", "get", "getB"), ("/b", "post", "postB")]
    by_method = {method: (item, op) for path, method, item, op in operations(document) if path == "/b"}
    assert by_method["get"][0] is item_b and by_method["get"][1] is get_b


def test_operations_yields_every_http_method_in_order() -> None:
    """All eight methods, declared in reverse, come out in HTTP_METHODS order."""
    document = {"paths": {"/x": {m: {} for m in reversed(HTTP_METHODS)}}}
    assert [method for _path, method, _item, _op in operations(document)] == list(HTTP_METHODS)


@pytest.mark.parametrize("document", [{}, {"paths": None}, {"paths": []}, {"paths": {}}])
def test_operations_of_a_document_without_paths(document: dict[str, Any]) -> None:
    """No paths map means no operations, without an error."""
    assert list(operations(document)) == []


def test_operations_follows_a_path_item_ref() -> None:
    """A path item given as a local $ref still contributes its operations."""
    document = {
        "paths": {"/pets": {"$ref": "#/components/pathItems/Pets"}},
        "components": {"pathItems": {"Pets": {"get": {"operationId": "listPets"}}}},
    }
    assert [(path, method) for path, method, _item, _op in operations(document)] == [("/pets", "get")]


# --- subschemas and walk ------------------------------------------------------------------------


def _all_keywords() -> tuple[dict[str, Any], dict[tuple[str | int, ...], dict[str, Any]]]:
    """A schema using every schema-holding keyword once, and the subschemas expected at each token tuple."""
    schema: dict[str, Any] = {"type": "object"}
    expected: dict[tuple[str | int, ...], dict[str, Any]] = {}
    for key in SCHEMA_CHILD:
        schema[key] = expected[(key,)] = {"title": key}
    for key in SCHEMA_LIST:
        schema[key] = [{"title": f"{key}0"}, {"title": f"{key}1"}]
        expected[(key, 0)], expected[(key, 1)] = schema[key]
    for key in SCHEMA_MAP:
        schema[key] = {"n/1": {"title": f"{key}-n/1"}, "m~2": {"title": f"{key}-m~2"}}
        expected[(key, "n/1")] = schema[key]["n/1"]
        expected[(key, "m~2")] = schema[key]["m~2"]
    return schema, expected


def test_subschemas_visits_every_schema_keyword_with_raw_tokens() -> None:
    """Each SCHEMA_CHILD, SCHEMA_LIST item and SCHEMA_MAP value is yielded once, with unescaped tokens."""
    schema, expected = _all_keywords()
    found = list(subschemas(schema))
    assert len(found) == len(expected)
    assert dict(found) == expected
    for tokens, child in found:
        assert child is expected[tokens]
        assert lookup(schema, pointer(*tokens)) == (True, child)  # the tokens escape into a working pointer


def test_subschemas_ignores_values_that_are_not_schemas() -> None:
    """Keywords holding data (enum, const, example, default, discriminator) are not subschemas."""
    schema = {
        "enum": [{"type": "string"}],
        "const": {"type": "string"},
        "example": {"items": {"type": "string"}},
        "default": {"properties": {}},
        "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/A"}},
        "x-ext": {"type": "string"},
    }
    assert list(subschemas(schema)) == []


def test_subschemas_skips_misshapen_keyword_values() -> None:
    """A boolean child, a non-list allOf or a non-map properties yields nothing for that keyword."""
    schema = {"additionalProperties": True, "items": False, "allOf": {"a": {}}, "properties": [{"type": "x"}]}
    assert list(subschemas(schema)) == []


def test_subschemas_yields_list_and_map_members_as_they_are() -> None:
    """Members of lists and maps are yielded even when they are boolean schemas (walk then skips them)."""
    schema = {"anyOf": [True, {"type": "string"}], "properties": {"a": False}}
    assert list(subschemas(schema)) == [
        (("anyOf", 0), True),
        (("anyOf", 1), {"type": "string"}),
        (("properties", "a"), False),
    ]


@pytest.mark.parametrize("schema", [None, True, "string", ["x"]])
def test_subschemas_and_walk_of_a_non_dict(schema: Any) -> None:
    """A non-dict schema has no subschemas and walk yields nothing."""
    assert list(subschemas(schema)) == []
    assert list(walk(schema)) == []


def test_walk_yields_itself_first_then_depth_first_with_pointer_tokens() -> None:
    """walk gives the root at (), then every nested schema at its full token path."""
    string = {"type": "string"}
    items = {"oneOf": [string, True]}
    prop = {"items": items}
    schema = {"properties": {"a": prop}, "not": {"type": "null"}}
    assert list(walk(schema)) == [
        ((), schema),
        (("not",), {"type": "null"}),
        (("properties", "a"), prop),
        (("properties", "a", "items"), items),
        (("properties", "a", "items", "oneOf", 0), string),
    ]


def test_walk_reaches_every_keyword_and_its_pointers_resolve() -> None:
    """Every schema object is visited once and pointer(*tokens) leads back to it."""
    schema, expected = _all_keywords()
    nested = {"properties": {"deep": schema}}
    visited = list(walk(nested, ("components", "schemas", "S")))
    assert len(visited) == 2 + len(expected)
    document = {"components": {"schemas": {"S": nested}}}
    for tokens, node in visited:
        assert tokens[:3] == ("components", "schemas", "S")
        found, value = lookup(document, pointer(*tokens))
        assert found and value is node


# --- map_schema ---------------------------------------------------------------------------------


def _count(schema: dict[str, Any]) -> dict[str, Any]:
    """Transform that stores how many schema objects the subtree holds (needs the children already done)."""
    return {**schema, "n": 1 + sum(child["n"] for _tokens, child in subschemas(schema) if isinstance(child, dict))}


def test_map_schema_transforms_innermost_first() -> None:
    """Children are transformed before their parent, and the parent sees the transformed children."""
    order: list[str] = []

    def record(schema: dict[str, Any]) -> dict[str, Any]:
        order.append(schema["title"])
        return schema

    schema = {
        "title": "root",
        "properties": {"a": {"title": "a", "items": {"title": "a.items"}}},
        "allOf": [{"title": "all0"}],
    }
    map_schema(schema, record)
    assert order[-1] == "root"
    assert order.index("a.items") < order.index("a")
    assert sorted(order) == sorted(["root", "a", "a.items", "all0"])
    assert map_schema(schema, _count)["n"] == 4


def test_map_schema_reaches_every_keyword() -> None:
    """Every SCHEMA_CHILD, SCHEMA_LIST and SCHEMA_MAP subschema goes through the transform."""
    schema, expected = _all_keywords()
    result = map_schema(schema, lambda s: {**s, "seen": True})
    assert result["seen"] is True
    for tokens in expected:
        found, node = lookup(result, pointer(*tokens))
        assert found and node["seen"] is True, tokens
    assert map_schema(schema, _count)["n"] == 1 + len(expected)


def test_map_schema_does_not_mutate_its_input() -> None:
    """The input is unchanged even when the transform edits the dict it is given in place."""
    schema, _expected = _all_keywords()
    schema["enum"] = [{"keep": True}]
    before = copy.deepcopy(schema)

    def mutate(node: dict[str, Any]) -> dict[str, Any]:
        node["mutated"] = True
        return node

    result = map_schema(schema, mutate)
    assert schema == before
    assert result is not schema and result["mutated"] is True
    assert result["properties"]["n/1"] is not schema["properties"]["n/1"]


def test_map_schema_leaves_non_schema_values_alone() -> None:
    """Data keywords, boolean subschemas and non-dict input pass through untouched."""
    schema = {"enum": [{"a": 1}], "example": {"items": {}}, "additionalProperties": False, "anyOf": [True]}
    result = map_schema(schema, lambda s: {**s, "t": 1})
    assert result == {**schema, "t": 1}
    assert map_schema(True, lambda s: {}) is True
    assert map_schema(None, lambda s: {}) is None


# --- as_dict / as_list --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "as_d", "as_l"), [({"a": 1}, {"a": 1}, []), ([1], {}, [1]), (None, {}, []), ("s", {}, [])]
)
def test_as_dict_and_as_list(value: Any, as_d: dict[str, Any], as_l: list[Any]) -> None:
    """as_dict/as_list pass the right type through and turn anything else into an empty one."""
    assert as_dict(value) == as_d
    assert as_list(value) == as_l


def test_with_subschemas_copies_what_changes_and_shares_the_rest() -> None:
    untouched = {"type": "string"}
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {"a": {"type": "object"}, "b": {"type": "object"}, "c": untouched},
        "allOf": [{"title": "x"}, {"title": "y"}],
        "items": {"type": "integer"},
    }
    before = copy.deepcopy(schema)
    ref_a, ref_b, ref_y, ref_i = ({"$ref": f"#/components/schemas/{n}"} for n in "ABYI")
    changes = [(("properties", "a"), ref_a), (("properties", "b"), ref_b), (("allOf", 1), ref_y), (("items",), ref_i)]
    result = with_subschemas(schema, changes)
    assert result == {
        "type": "object",
        "properties": {"a": ref_a, "b": ref_b, "c": untouched},
        "allOf": [{"title": "x"}, ref_y],
        "items": ref_i,
    }
    assert schema == before  # the input is left as it is
    assert result["properties"]["c"] is untouched and result["allOf"][0] is schema["allOf"][0]
    # Every change reaches the result whatever its tokens: the ones subschemas() gives.
    assert [tokens for tokens, _ in subschemas(schema)][:5] == [
        ("items",),
        ("allOf", 0),
        ("allOf", 1),
        ("properties", "a"),
        ("properties", "b"),
    ]
