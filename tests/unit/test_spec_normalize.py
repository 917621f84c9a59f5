"""Unit tests of generator/openapi/normalize.py: canonical component names, hoisted bodies, named union branches."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.openapi.bodies import hoist_body_schemas, operation_key
from generator.openapi.normalize import NormalisedSpec, canonical_schema_names, name_union_branches, normalize
from generator.openapi.toolkit import resolve

S = "#/components/schemas/"


def _doc(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"openapi": "3.1.0", "paths": paths or {}, "components": {"schemas": schemas}}


def _json(schema: Any) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _op(path: str, method: str, operation: dict[str, Any]) -> dict[str, Any]:
    return {path: {method: operation}}


# --- operation_key ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "operation", "key"),
    [
        ("get", "/pets", {"operationId": "listPets"}, "listPets"),
        ("get", "/pets", {"operationId": "  "}, "get_pets"),
        ("get", "/pets", {"operationId": 7}, "get_pets"),
        ("get", "/pets/{petId}", {}, "get_pets_by_pet_id"),
        ("delete", "/a/{b}/c", {}, "delete_a_by_b_c"),
        ("post", "/", {}, "post"),
    ],
)
def test_operation_key(method: str, path: str, operation: dict[str, Any], key: str) -> None:
    """The operationId when it is a non-blank string, else snake_case of method and path ({x} read as 'by x')."""
    assert operation_key(method, path, operation) == key


# --- canonical_schema_names ---------------------------------------------------------------------


def test_job_and_job_get_distinct_pascal_case_names_and_refs_follow() -> None:
    """`Job` keeps its name, `job` becomes `Job2`, and every ref to `job` (refs and discriminator mappings) follows."""
    schemas = {
        "job": {"type": "object", "properties": {"peer": {"$ref": S + "Job"}}},
        "Job": {"type": "object", "properties": {"peer": {"$ref": S + "job"}}},
        "Holder": {"oneOf": [{"$ref": S + "job"}], "discriminator": {"propertyName": "k", "mapping": {"j": S + "job"}}},
    }
    paths = _op("/jobs", "get", {"responses": {"200": _json({"type": "array", "items": {"$ref": S + "job"}})}})
    out = canonical_schema_names(_doc(schemas, paths))
    new = out["components"]["schemas"]
    assert sorted(new) == ["Holder", "Job", "Job2"]
    assert new["Job"] == schemas["Job"] | {"properties": {"peer": {"$ref": S + "Job2"}}}
    assert new["Job2"]["properties"]["peer"] == {"$ref": S + "Job"}
    assert new["Holder"]["oneOf"] == [{"$ref": S + "Job2"}]
    assert new["Holder"]["discriminator"]["mapping"] == {"j": S + "Job2"}
    assert out["paths"]["/jobs"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["items"] == {
        "$ref": S + "Job2"
    }


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (
            ["pet-owner", "job_run", "Enum", "2fa"],
            {"pet-owner": "PetOwner", "job_run": "JobRun", "Enum": "EnumModel", "2fa": "Model2fa"},
        ),
        (["a", "A", "a_"], {"A": "A", "a": "A2", "a_": "A3"}),  # sorted originals: "A" < "a" < "a_"
        (["Pet", "pet", "PET"], {"PET": "PET", "Pet": "Pet", "pet": "Pet2"}),
    ],
)
def test_canonical_names(names: list[str], expected: dict[str, str]) -> None:
    """Each original gets a unique PascalCase name, given in sorted order of the originals."""
    schemas = {name: {"title": name} for name in names}
    out = canonical_schema_names(_doc(schemas))["components"]["schemas"]
    assert {schema["title"]: new for new, schema in out.items()} == expected


def test_canonical_names_do_not_depend_on_the_order_of_components() -> None:
    """Reversing components.schemas gives the same names, the same order and the same refs."""
    names = ["job", "Job", "job-run", "JobRun", "b", "a"]
    forward = {
        n: {"title": n, "properties": {"next": {"$ref": S + names[(i + 1) % len(names)]}}} for i, n in enumerate(names)
    }
    backward = dict(reversed(list(forward.items())))
    one = canonical_schema_names(_doc(forward))
    two = canonical_schema_names(_doc(backward))
    assert list(one["components"]["schemas"].items()) == list(two["components"]["schemas"].items())


def test_canonical_names_leave_canonical_documents_alone_and_do_not_mutate() -> None:
    """Already canonical names are unchanged; the input is never edited."""
    document = _doc({"Pet": {"properties": {"o": {"$ref": S + "Owner"}}}, "Owner": {"type": "object"}})
    before = copy.deepcopy(document)
    assert canonical_schema_names(document) == before
    renamed = _doc({"pet": {"type": "object"}, "Uses": {"$ref": S + "pet"}})
    before_renamed = copy.deepcopy(renamed)
    assert canonical_schema_names(renamed)["components"]["schemas"]["Uses"] == {"$ref": S + "Pet"}
    assert renamed == before_renamed


@pytest.mark.parametrize("document", [{"openapi": "3.1.0"}, {"components": {}}, {"components": {"schemas": {}}}])
def test_canonical_names_without_schemas(document: dict[str, Any]) -> None:
    """No schemas, nothing to rename: the document comes back as it was."""
    assert canonical_schema_names(document) == document


def test_refs_into_a_renamed_component_follow() -> None:
    """A ref to a property of `pet` still resolves after `pet` becomes `Pet`."""
    document = _doc(
        {
            "pet": {"properties": {"id": {"type": "integer"}}},
            "Tag": {"properties": {"petId": {"$ref": S + "pet/properties/id"}}},
        }
    )
    out = canonical_schema_names(document)
    assert resolve(out, out["components"]["schemas"]["Tag"]["properties"]["petId"]["$ref"]) == {"type": "integer"}


def test_percent_encoded_refs_follow_a_rename() -> None:
    """A ref written as a proper URI fragment still resolves after its component is renamed."""
    out = canonical_schema_names(_doc({"my pet": {"type": "object"}, "Uses": {"$ref": S + "my%20pet"}}))
    assert resolve(out, out["components"]["schemas"]["Uses"]["$ref"]) == {"type": "object"}


def test_bare_schema_names_in_a_discriminator_mapping_follow_a_rename() -> None:
    """`mapping: {p: pet}` still names the pet schema after `pet` becomes `Pet`."""
    holder = {"oneOf": [{"$ref": S + "pet"}], "discriminator": {"propertyName": "kind", "mapping": {"p": "pet"}}}
    out = canonical_schema_names(_doc({"pet": {"type": "object"}, "Holder": holder}))
    value = out["components"]["schemas"]["Holder"]["discriminator"]["mapping"]["p"]
    schemas = out["components"]["schemas"]
    target = resolve(out, value) if value.startswith("#") else schemas.get(value)
    assert target is schemas["Pet"]


def test_bare_schema_names_in_a_discriminator_mapping_become_refs() -> None:
    """OpenAPI allows `mapping: {tag: SchemaName}`; the model tool reads only refs, so normalize writes them."""
    holder = {
        "oneOf": [{"$ref": S + "Cat"}, {"$ref": S + "Dog"}],
        "discriminator": {"propertyName": "kind", "mapping": {"Cat Kind": "Cat", "dog": S + "Dog", "x": "Nowhere"}},
    }
    out = normalize(_doc({"Cat": {"type": "object"}, "Dog": {"type": "object"}, "Holder": holder})).document
    mapping = out["components"]["schemas"]["Holder"]["discriminator"]["mapping"]
    assert mapping == {"Cat Kind": S + "Cat", "dog": S + "Dog", "x": "Nowhere"}


# --- hoist_body_schemas -------------------------------------------------------------------------

INLINE_OBJECT = {"type": "object", "properties": {"name": {"type": "string"}}}


def test_inline_bodies_become_components_named_after_the_operation() -> None:
    """Inline request and response objects become `<Op>Request` and `<Op>Response`; they are not wrappers."""
    op = {"operationId": "createPet", "requestBody": _json(INLINE_OBJECT), "responses": {"201": _json(INLINE_OBJECT)}}
    out, wrappers = hoist_body_schemas(_doc({}, _op("/pets", "post", op)))
    new_op = out["paths"]["/pets"]["post"]
    assert new_op["requestBody"]["content"]["application/json"]["schema"] == {"$ref": S + "CreatePetRequest"}
    assert new_op["responses"]["201"]["content"]["application/json"]["schema"] == {"$ref": S + "CreatePetResponse"}
    assert out["components"]["schemas"] == {"CreatePetRequest": INLINE_OBJECT, "CreatePetResponse": INLINE_OBJECT}
    assert wrappers == frozenset()


def test_several_success_responses_are_told_apart_by_status() -> None:
    """The first 2xx (sorted) is `<Op>Response`, the others `<Op>Response<status>`; errors and default stay inline."""
    responses = {
        "204": _json({"type": "object"}),
        200: _json({"type": "object", "properties": {"a": {}}}),  # an unquoted YAML key is an int
        "2XX": _json({"type": "object"}),
        "404": _json({"type": "object"}),
        "default": _json({"type": "object"}),
    }
    out, _wrappers = hoist_body_schemas(_doc({}, _op("/a", "get", {"operationId": "getA", "responses": responses})))
    new = out["paths"]["/a"]["get"]["responses"]
    schema = {status: r["content"]["application/json"]["schema"] for status, r in new.items()}
    assert schema == {
        200: {"$ref": S + "GetAResponse"},
        "204": {"$ref": S + "GetAResponse204"},
        "2XX": {"$ref": S + "GetAResponse2XX"},
        "404": {"type": "object"},
        "default": {"type": "object"},
    }


def test_a_body_without_operation_id_is_named_from_method_and_path() -> None:
    """`GET /pets/{petId}` gives `GetPetsByPetIdResponse`."""
    out, _w = hoist_body_schemas(_doc({}, _op("/pets/{petId}", "get", {"responses": {"200": _json(INLINE_OBJECT)}})))
    assert "GetPetsByPetIdResponse" in out["components"]["schemas"]


@pytest.mark.parametrize(
    "schemas",
    [
        {"Pet": INLINE_OBJECT},
        {"Pet": {"properties": {"a": {}}}},  # properties without a type
        {"Pet": {"allOf": [{"$ref": S + "Base"}]}, "Base": INLINE_OBJECT},
        {"Pet": {"$ref": S + "Base"}, "Base": INLINE_OBJECT},  # through a chain
    ],
)
def test_a_ref_to_an_object_component_is_kept(schemas: dict[str, Any]) -> None:
    """A body referring to an object-like component keeps its ref, and no new component is made."""
    op = {
        "operationId": "getPet",
        "requestBody": _json({"$ref": S + "Pet"}),
        "responses": {"200": _json({"$ref": S + "Pet"})},
    }
    out, wrappers = hoist_body_schemas(_doc(schemas, _op("/pet", "put", op)))
    new_op = out["paths"]["/pet"]["put"]
    assert new_op["requestBody"]["content"]["application/json"]["schema"] == {"$ref": S + "Pet"}
    assert new_op["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": S + "Pet"}
    assert out["components"]["schemas"] == schemas and wrappers == frozenset()


@pytest.mark.parametrize(
    ("schema", "components"),
    [
        ({"type": "array", "items": {"$ref": S + "Pet"}}, {"Pet": INLINE_OBJECT}),
        ({"oneOf": [{"type": "string"}, {"type": "integer"}]}, {}),
        ({"anyOf": [{"$ref": S + "Pet"}, {"type": "null"}]}, {"Pet": INLINE_OBJECT}),
        ({"type": "string"}, {}),
        ({"type": "object", "enum": [{}]}, {}),
        ({"$ref": S + "Kind"}, {"Kind": {"type": "string", "enum": ["a", "b"]}}),
        ({"$ref": S + "Union"}, {"Union": {"type": "object", "oneOf": [{"properties": {"a": {}}}]}}),
    ],
)
def test_non_object_bodies_become_wrappers(schema: dict[str, Any], components: dict[str, Any]) -> None:
    """Arrays, unions, scalars, enums (inline or behind a ref) become a named component reported as a wrapper."""
    op = {"operationId": "listPets", "responses": {"200": _json(schema)}}
    out, wrappers = hoist_body_schemas(_doc(components, _op("/pets", "get", op)))
    assert out["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": S + "ListPetsResponse"
    }
    assert out["components"]["schemas"]["ListPetsResponse"] == schema
    assert wrappers == frozenset({"ListPetsResponse"})


@pytest.mark.parametrize(
    "component",
    [
        {"type": "array", "items": {"type": "string"}},
        {"type": "array", "items": {"$ref": S + "Pets"}},  # recursive: a copy would lose the item type
    ],
)
def test_an_array_component_is_its_own_root_model(component: dict[str, Any]) -> None:
    """A body referring to an array component uses it, kept as a root model, not a wrapper copy."""
    op = {"operationId": "listPets", "responses": {"200": _json({"$ref": S + "Pets"})}}
    out, wrappers = hoist_body_schemas(_doc({"Pets": component}, _op("/pets", "get", op)))
    schema = out["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": S + "Pets"}
    assert "ListPetsResponse" not in out["components"]["schemas"]
    assert wrappers == frozenset({"Pets"})


def test_a_ref_to_another_operations_inline_body_follows_it_to_its_component() -> None:
    """enode's PUT body refers to its POST's inline schema; both end at the one hoisted component."""
    post = {"operationId": "createLoc", "requestBody": _json(INLINE_OBJECT), "responses": {}}
    ref = "#/paths/~1locs/post/requestBody/content/application~1json/schema"
    put = {"operationId": "putLoc", "requestBody": _json({"$ref": ref}), "responses": {}}
    doc = _doc({}, _op("/locs", "post", post))
    doc["paths"]["/locs"]["put"] = put
    out, _ = hoist_body_schemas(doc)
    body = out["paths"]["/locs"]["put"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": S + "CreateLocRequest"}


UNION = {"oneOf": [{"type": "integer"}, {"type": "string"}]}
ORDERS = "#/paths/~1orders/get/responses/200/content/application~1json/schema"


def test_a_ref_to_another_operations_inline_wrapper_shares_it_or_gets_a_copy() -> None:
    """fulfillment.com: GET /orders/{id} and a component property refer to GET /orders' inline oneOf.

    The other operation's body shares the wrapper. Pointing the property at it would let the model
    tool fold it into the property's model and drop the class GET /orders returns; the property
    gets the schema instead.
    """
    doc = _doc({"Holder": {"type": "object", "properties": {"id": {"$ref": ORDERS}}}})
    doc["paths"] = {
        "/orders": {"get": {"operationId": "listOrders", "responses": {"200": _json(UNION)}}},
        "/orders/{id}": {"get": {"operationId": "getOrder", "responses": {"200": _json({"$ref": ORDERS})}}},
    }
    out, wrappers = hoist_body_schemas(doc)
    schemas = out["components"]["schemas"]
    assert schemas["ListOrdersResponse"] == UNION
    assert "GetOrderResponse" not in schemas
    single = out["paths"]["/orders/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert single == {"$ref": S + "ListOrdersResponse"}
    assert schemas["Holder"]["properties"]["id"] == UNION
    assert wrappers == frozenset({"ListOrdersResponse"})


def test_a_ref_into_another_operations_inline_body_gets_that_part() -> None:
    """A property that refers to a property of another operation's inline body (fulfillment.com's
    OAuth bodies) gets that part of it: the place is gone once the body is a component."""
    recipient = {"type": "object", "properties": {"name": {"type": "string"}}}
    post = {"operationId": "createOrder", "requestBody": _json({"type": "object", "properties": {"to": recipient}})}
    ref = "#/paths/~1orders/post/requestBody/content/application~1json/schema/properties/to"
    get = {
        "operationId": "getReturn",
        "responses": {"200": _json(INLINE_OBJECT | {"properties": {"to": {"$ref": ref}}})},
    }
    doc = _doc({}, {"/orders": {"post": {**post, "responses": {}}}, "/returns": {"get": get}})
    out, _ = hoist_body_schemas(doc)
    assert out["components"]["schemas"]["GetReturnResponse"]["properties"]["to"] == recipient


def test_a_path_item_that_is_a_ref_has_its_bodies_hoisted_too() -> None:
    """oas-examples' server-path-level.json: `/alias: {$ref: "#/paths/~1source"}`; 0.8.0 crashed on it."""
    doc = _doc({}, {"/source": {"get": {"operationId": "getSource", "responses": {"200": _json(INLINE_OBJECT)}}}})
    doc["paths"]["/alias"] = {"$ref": "#/paths/~1source"}
    out, _ = hoist_body_schemas(doc)
    ref = out["paths"]["/source"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert out["components"]["schemas"][ref.removeprefix(S)] == INLINE_OBJECT


def test_a_ref_into_a_body_that_is_missing_there_is_left_alone() -> None:
    ref = ORDERS + "/properties/nowhere"
    doc = _doc({"Holder": {"type": "object", "properties": {"id": {"$ref": ref}}}})
    doc["paths"] = {"/orders": {"get": {"operationId": "listOrders", "responses": {"200": _json(UNION)}}}}
    out, _ = hoist_body_schemas(doc)
    assert out["components"]["schemas"]["Holder"]["properties"]["id"] == {"$ref": ref}


def test_a_hoisted_name_avoids_existing_components() -> None:
    """An existing `CreatePetRequest` keeps its name; the body becomes `CreatePetRequest2`."""
    op = {"operationId": "createPet", "requestBody": _json(INLINE_OBJECT), "responses": {}}
    out, _w = hoist_body_schemas(_doc({"CreatePetRequest": {"type": "string"}}, _op("/pets", "post", op)))
    assert out["components"]["schemas"]["CreatePetRequest"] == {"type": "string"}
    assert out["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": S + "CreatePetRequest2"
    }


def test_a_request_body_ref_is_followed_and_hoisted() -> None:
    """A requestBody that is a $ref to components/requestBodies has its inline schema hoisted too."""
    document = _doc(
        {}, _op("/pets", "post", {"operationId": "addPet", "requestBody": {"$ref": "#/components/requestBodies/P"}})
    )
    document["components"]["requestBodies"] = {"P": _json(INLINE_OBJECT)}
    out, _w = hoist_body_schemas(document)
    body = out["paths"]["/pets"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"$ref": S + "AddPetRequest"}
    assert out["components"]["schemas"]["AddPetRequest"] == INLINE_OBJECT


@pytest.mark.parametrize(
    ("content", "hoisted_type"),
    [
        ({"text/plain": {"schema": {"type": "string"}}}, None),
        ({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}, None),
        ({"application/json": {}}, None),  # no schema at all
        (
            {"text/plain": {"schema": {"type": "string"}}, "application/json": {"schema": INLINE_OBJECT}},
            "application/json",
        ),
        ({"application/x-www-form-urlencoded": {"schema": INLINE_OBJECT}}, "application/x-www-form-urlencoded"),
        ({"multipart/form-data": {"schema": INLINE_OBJECT}}, "multipart/form-data"),
        ({"application/problem+json": {"schema": INLINE_OBJECT}}, "application/problem+json"),
    ],
)
def test_only_the_preferred_structured_media_type_is_hoisted(content: dict[str, Any], hoisted_type: str | None) -> None:
    """JSON, form and multipart bodies are hoisted (JSON preferred); text and binary bodies stay as they are."""
    op = {"operationId": "send", "requestBody": {"content": content}, "responses": {}}
    out, _w = hoist_body_schemas(_doc({}, _op("/s", "post", op)))
    new_content = out["paths"]["/s"]["post"]["requestBody"]["content"]
    for media_type, media in new_content.items():
        if media_type == hoisted_type:
            assert media["schema"] == {"$ref": S + "SendRequest"}
        else:
            assert media == content[media_type]
    assert ("SendRequest" in out["components"]["schemas"]) is (hoisted_type is not None)


def test_hoist_body_schemas_does_not_mutate_and_keeps_odd_path_items() -> None:
    """The input document is unchanged, and non-dict path items pass through."""
    paths = {
        "/pets": {"get": {"operationId": "listPets", "responses": {"200": _json({"type": "array"})}}, "summary": "s"},
        "/odd": "not a path item",
    }
    document = _doc({"Pet": INLINE_OBJECT}, paths)
    before = copy.deepcopy(document)
    out, _w = hoist_body_schemas(document)
    assert document == before
    assert out["paths"]["/odd"] == "not a path item"
    assert out["paths"]["/pets"]["summary"] == "s"


# --- name_union_branches ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("branch", "name"),
    [
        ({"title": "cat food", "type": "object", "enum": ["x"]}, "CatFood"),  # a title wins, without the parent
        ({"title": "  ", "type": "integer"}, "PetInteger"),  # a blank title does not count
        ({"enum": ["latest"]}, "PetLatest"),
        ({"const": "build-sha"}, "PetBuildSha"),
        ({"const": 3}, "PetValue3"),
        ({"enum": ["a"], "const": "b"}, "PetB"),  # const beats enum
        ({"type": "string", "enum": ["a", "b"]}, "PetString"),  # several values: named by type
        ({"type": "object", "required": ["sha"], "properties": {"tag": {}, "sha": {}}}, "PetSha"),
        ({"required": [1], "properties": {"only": {}}}, "PetOnly"),  # a non-string required is ignored
        ({"properties": {"tag": {}}}, "PetTag"),
        ({"type": "object"}, "PetEmpty"),
        ({"type": "object", "properties": {}}, "PetEmpty"),
        ({"type": "object", "properties": {"a": {}, "b": {}}}, "PetObject"),
        ({"type": "string", "format": "date-time"}, "PetDateTimeString"),
        ({"type": "string", "pattern": "^[a-f0-9]+$"}, "PetPatternString"),
        ({"type": "integer"}, "PetInteger"),
        ({"type": ["string", "null"]}, "PetOption1"),
        ({"allOf": [{"$ref": S + "Other"}]}, "PetOption1"),
    ],
)
def test_a_branch_is_named_from_what_it_says(branch: dict[str, Any], name: str) -> None:
    """Title, then a single enum/const value, first required property, only property, Empty, type/format, OptionN."""
    out = name_union_branches(_doc({"Pet": {"oneOf": [branch]}, "Other": {"type": "object"}}))
    schemas = out["components"]["schemas"]
    assert schemas["Pet"] == {"oneOf": [{"$ref": S + name}]}
    assert schemas[name] == branch


def test_option_numbers_count_the_branch_position() -> None:
    """OptionN numbers a branch by its place in the union, refs included."""
    union = {"anyOf": [{"$ref": S + "Other"}, {"not": {"type": "string"}}]}
    out = name_union_branches(_doc({"Pet": union, "Other": {"type": "object"}}))
    assert out["components"]["schemas"]["Pet"]["anyOf"] == [{"$ref": S + "Other"}, {"$ref": S + "PetOption2"}]


def test_refs_empty_and_boolean_branches_stay_inline() -> None:
    """Only non-empty inline schemas are hoisted; a ref, `{}` and `true` are left in place."""
    union = {"oneOf": [{"$ref": S + "Other"}, {}, True, {"type": "string"}]}
    out = name_union_branches(_doc({"Pet": union, "Other": {"type": "object"}}))
    assert out["components"]["schemas"]["Pet"]["oneOf"] == [{"$ref": S + "Other"}, {}, True, {"$ref": S + "PetString"}]


def test_clashing_branch_names_are_made_unique() -> None:
    """Two branches with the same name, or a name an existing component has, get numbered."""
    union = {"oneOf": [{"type": "string"}, {"type": "string", "maxLength": 2}, {"title": "Other", "type": "integer"}]}
    out = name_union_branches(_doc({"Pet": union, "Other": {"type": "object"}}))
    schemas = out["components"]["schemas"]
    assert schemas["Pet"]["oneOf"] == [{"$ref": S + "PetString"}, {"$ref": S + "PetString2"}, {"$ref": S + "Other2"}]
    assert schemas["PetString2"] == {"type": "string", "maxLength": 2}
    assert schemas["Other"] == {"type": "object"}


@pytest.mark.parametrize(
    ("schema", "where", "name"),
    [
        (
            {"properties": {"owner": {"oneOf": [{"type": "string"}]}}},
            ("properties", "owner", "oneOf", 0),
            "PetOwnerString",
        ),
        ({"items": {"anyOf": [{"type": "integer"}]}}, ("items", "anyOf", 0), "PetInteger"),
        ({"allOf": [{"oneOf": [{"const": "x"}]}]}, ("allOf", 0, "oneOf", 0), "PetX"),
        (
            {"patternProperties": {"^x-": {"oneOf": [{"type": "boolean"}]}}},
            ("patternProperties", "^x-", "oneOf", 0),
            "PetBoolean",
        ),
        ({"if": {"oneOf": [{"type": "null"}]}}, ("if", "oneOf", 0), "PetNull"),
        ({"then": {"anyOf": [{"required": ["id"], "properties": {"id": {}}}]}}, ("then", "anyOf", 0), "PetId"),
        ({"additionalProperties": {"oneOf": [{"type": "number"}]}}, ("additionalProperties", "oneOf", 0), "PetNumber"),
        (
            {"properties": {"a": {"properties": {"b": {"items": {"oneOf": [{"type": "string"}]}}}}}},
            ("properties", "a", "properties", "b", "items", "oneOf", 0),
            "PetABString",
        ),
    ],
)
def test_nested_unions_are_named_too(schema: dict[str, Any], where: tuple[str | int, ...], name: str) -> None:
    """Unions under properties (which extend the parent name), items, allOf, patternProperties, if/then are named."""
    out = name_union_branches(_doc({"Pet": schema}))
    node: Any = out["components"]["schemas"]["Pet"]
    for token in where:
        node = node[token]
    assert node == {"$ref": S + name}
    assert name in out["components"]["schemas"]


def test_unions_inside_hoisted_branches_are_named_after_the_branch() -> None:
    """A branch's own nested union is named with the branch's name as the parent."""
    inner = {"oneOf": [{"const": "fast"}, {"const": "slow"}]}
    branch = {"type": "object", "required": ["build"], "properties": {"build": {"type": "string"}, "speed": inner}}
    out = name_union_branches(_doc({"Pet": {"oneOf": [branch]}}))
    schemas = out["components"]["schemas"]
    assert schemas["PetBuild"]["properties"]["speed"] == {
        "oneOf": [{"$ref": S + "PetBuildSpeedFast"}, {"$ref": S + "PetBuildSpeedSlow"}]
    }
    assert schemas["PetBuildSpeedFast"] == {"const": "fast"}


def test_siblings_of_a_ref_are_not_searched() -> None:
    """A schema holding a $ref is left alone, whatever sits beside the ref."""
    schema = {"properties": {"a": {"$ref": S + "Other", "oneOf": [{"type": "string"}]}}}
    out = name_union_branches(_doc({"Pet": schema, "Other": {"type": "object"}}))
    assert out["components"]["schemas"]["Pet"] == schema
    assert sorted(out["components"]["schemas"]) == ["Other", "Pet"]


def test_name_union_branches_does_not_mutate_and_skips_documents_without_schemas() -> None:
    """The input is unchanged; a document without schemas is returned as it is."""
    document = _doc({"Pet": {"oneOf": [{"type": "string"}], "properties": {"x": {"anyOf": [{"type": "integer"}]}}}})
    before = copy.deepcopy(document)
    out = name_union_branches(document)
    assert document == before and out != before
    empty = {"openapi": "3.1.0", "paths": {}}
    assert name_union_branches(empty) is empty


# --- normalize ----------------------------------------------------------------------------------


def test_normalize_renames_then_hoists_then_names_branches() -> None:
    """normalize gives a NormalisedSpec: canonical names, bodies as components, branches named after the body."""
    schemas = {"pet": INLINE_OBJECT}
    response = _json(
        {"oneOf": [{"$ref": S + "pet"}, {"type": "object", "required": ["error"], "properties": {"error": {}}}]}
    )
    paths = _op("/pets", "get", {"operationId": "getPet", "responses": {"200": response}})
    document = _doc(schemas, paths)
    before = copy.deepcopy(document)
    result = normalize(document)
    assert isinstance(result, NormalisedSpec)
    assert result.body_wrappers == frozenset({"GetPetResponse"})
    out = result.document["components"]["schemas"]
    assert sorted(out) == ["GetPetResponse", "GetPetResponseError", "Pet"]
    assert out["GetPetResponse"] == {"oneOf": [{"$ref": S + "Pet"}, {"$ref": S + "GetPetResponseError"}]}
    body = result.document["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": S + "GetPetResponse"}
    assert document == before


def test_normalize_keeps_a_ref_to_a_renamed_object_component() -> None:
    """A body that refers to `pet` refers to the renamed `Pet` afterwards, with no wrapper made."""
    paths = _op("/pets", "get", {"operationId": "getPet", "responses": {"200": _json({"$ref": S + "pet"})}})
    result = normalize(_doc({"pet": INLINE_OBJECT}, paths))
    body = result.document["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": S + "Pet"}
    assert result.body_wrappers == frozenset()
    assert sorted(result.document["components"]["schemas"]) == ["Pet"]
