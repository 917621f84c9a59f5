"""Unit tests of generator/models/directions.py: request and response shapes of readOnly/writeOnly schemas."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from generator.models.directions import Variants, split
from generator.models.prepare import prepare

REF = "#/components/schemas/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF + name}


def _body(name: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": _ref(name)}}}


def _document(schemas: dict[str, Any], *, sent: tuple[str, ...] = (), received: tuple[str, ...] = ()) -> dict[str, Any]:
    """A document whose operations send the ``sent`` components and return the ``received`` ones."""
    paths: dict[str, Any] = {}
    for name in sent:
        paths[f"/send/{name}"] = {"post": {"requestBody": _body(name), "responses": {"204": {"description": "ok"}}}}
    for name in received:
        paths[f"/get/{name}"] = {"get": {"responses": {"200": {"description": "ok", **_body(name)}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _pet() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "name", "password"],
        "properties": {
            "id": {"type": "string", "readOnly": True},
            "name": {"type": "string"},
            "password": {"type": "string", "writeOnly": True},
        },
    }


def _split(document: dict[str, Any]) -> tuple[dict[str, Any], Variants]:
    schemas, variants, _ = split(document, document["components"]["schemas"])
    return schemas, variants


def _is_response_shape(schema: dict[str, Any]) -> bool:
    return set(schema["properties"]) == {"id", "name"} and schema["required"] == ["id", "name"]


def _is_request_shape(schema: dict[str, Any]) -> bool:
    return set(schema["properties"]) == {"name", "password"} and schema["required"] == ["name", "password"]


# A one-way schema keeps its required-and-marked property (Pet's required readOnly ``id`` in a
# request-only Pet, its required writeOnly ``password`` in a response-only one), as optional.
def _is_one_way_request_shape(schema: dict[str, Any]) -> bool:
    return set(schema["properties"]) == {"id", "name", "password"} and schema["required"] == ["name", "password"]


def _is_one_way_response_shape(schema: dict[str, Any]) -> bool:
    return set(schema["properties"]) == {"id", "name", "password"} and schema["required"] == ["id", "name"]


def test_used_both_ways_gives_x_and_x_request() -> None:
    """Sent and received: ``Pet`` is the response shape, ``PetRequest`` the request shape."""
    schemas, variants = _split(_document({"Pet": _pet()}, sent=("Pet",), received=("Pet",)))
    assert set(schemas) == {"Pet", "PetRequest"}
    assert _is_response_shape(schemas["Pet"])
    assert _is_request_shape(schemas["PetRequest"])
    assert schemas["Pet"]["properties"]["id"] == {"type": "string", "readOnly": True}
    assert schemas["PetRequest"]["properties"]["password"] == {"type": "string", "writeOnly": True}
    assert (variants.request, variants.response) == ({"Pet": "PetRequest"}, {"Pet": "Pet"})
    assert variants.of("Pet", "request") == "PetRequest"
    assert variants.of("Pet", "response") == "Pet"
    assert variants.of("Unsplit", "request") == "Unsplit"


@pytest.mark.parametrize(
    ("sent", "received", "is_shape", "requests", "responses"),
    [
        (("Pet",), (), _is_one_way_request_shape, {"Pet": "Pet"}, {}),
        ((), ("Pet",), _is_one_way_response_shape, {}, {"Pet": "Pet"}),
        ((), (), _is_one_way_response_shape, {}, {"Pet": "Pet"}),  # unused: the response shape
    ],
    ids=["request-only", "response-only", "unused"],
)
def test_used_one_way_keeps_its_name_with_that_shape(
    sent: tuple[str, ...], received: tuple[str, ...], is_shape: Any, requests: dict[str, str], responses: dict[str, str]
) -> None:
    """A schema used one way (or not at all) keeps its name and takes that way's shape."""
    schemas, variants = _split(_document({"Pet": _pet()}, sent=sent, received=received))
    assert set(schemas) == {"Pet"}
    assert is_shape(schemas["Pet"])
    assert (variants.request, variants.response) == (requests, responses)


def test_only_success_responses_count_as_received() -> None:
    """A schema sent and returned only in an error response is request-only."""
    document = _document({"Pet": _pet()}, sent=("Pet",))
    document["paths"]["/send/Pet"]["post"]["responses"]["404"] = {"description": "no", **_body("Pet")}
    schemas, variants = _split(document)
    assert set(schemas) == {"Pet"}
    assert _is_one_way_request_shape(schemas["Pet"])
    assert variants.request == {"Pet": "Pet"}


def test_referenced_request_body_counts_as_sent() -> None:
    """A requestBody given by ``$ref`` to components/requestBodies is followed."""
    document = _document({"Pet": _pet()}, received=("Pet",))
    document["components"]["requestBodies"] = {"NewPet": _body("Pet")}
    document["paths"]["/pets"] = {
        "post": {"requestBody": {"$ref": "#/components/requestBodies/NewPet"}, "responses": {"204": {}}}
    }
    schemas, _ = _split(document)
    assert set(schemas) == {"Pet", "PetRequest"}


def test_request_only_through_an_inline_body_schema() -> None:
    """A component reached from an inline body schema is counted for that direction."""
    document = _document({"Pet": _pet()})
    document["paths"]["/pets"] = {
        "post": {
            "requestBody": {
                "content": {"application/json": {"schema": {"type": "array", "items": _ref("Pet")}}},
            },
            "responses": {"204": {"description": "ok"}},
        }
    }
    schemas, variants = _split(document)
    assert _is_one_way_request_shape(schemas["Pet"])
    assert variants.request == {"Pet": "Pet"}


def test_required_without_dropped_properties_is_left_as_is() -> None:
    """``required`` is only filtered when a property it names is left out."""
    pet = _pet()
    pet["required"] = ["name"]
    schemas, _ = _split(_document({"Pet": pet}, sent=("Pet",), received=("Pet",)))
    assert schemas["Pet"]["required"] == ["name"]
    assert schemas["PetRequest"]["required"] == ["name"]


def test_a_schema_referring_to_a_split_one_is_split_too() -> None:
    """``Owner`` holding a ``Pet`` gets both shapes, each pointing at the same direction's ``Pet``."""
    owner = {"type": "object", "properties": {"pet": _ref("Pet"), "pets": {"type": "array", "items": _ref("Pet")}}}
    schemas, variants = _split(_document({"Pet": _pet(), "Owner": owner}, sent=("Owner",), received=("Owner",)))
    assert set(schemas) == {"Pet", "PetRequest", "Owner", "OwnerRequest"}
    assert schemas["Owner"]["properties"] == {"pet": _ref("Pet"), "pets": {"type": "array", "items": _ref("Pet")}}
    assert schemas["OwnerRequest"]["properties"] == {
        "pet": _ref("PetRequest"),
        "pets": {"type": "array", "items": _ref("PetRequest")},
    }
    assert variants.request == {"Owner": "OwnerRequest", "Pet": "PetRequest"}


def test_one_way_referrer_points_at_that_directions_shape() -> None:
    """A request-only ``Order`` refers to ``PetRequest`` when ``Pet`` is also returned on its own."""
    order = {"type": "object", "properties": {"pet": _ref("Pet")}}
    schemas, _ = _split(_document({"Pet": _pet(), "Order": order}, sent=("Order",), received=("Pet",)))
    assert set(schemas) == {"Pet", "PetRequest", "Order"}
    assert schemas["Order"]["properties"]["pet"] == _ref("PetRequest")
    assert _is_response_shape(schemas["Pet"])


def test_referrers_are_split_transitively() -> None:
    """``Shop`` → ``Owner`` → ``Pet``: all three get shapes; ``Shop``'s request shape reaches ``OwnerRequest``."""
    owner = {"type": "object", "properties": {"pet": _ref("Pet")}}
    shop = {"type": "object", "properties": {"owner": _ref("Owner")}}
    schemas, _ = _split(_document({"Pet": _pet(), "Owner": owner, "Shop": shop}, sent=("Shop",), received=("Shop",)))
    assert {"ShopRequest", "OwnerRequest", "PetRequest"} <= set(schemas)
    assert schemas["ShopRequest"]["properties"]["owner"] == _ref("OwnerRequest")
    assert schemas["Shop"]["properties"]["owner"] == _ref("Owner")


def test_marks_inside_nested_inline_objects_count() -> None:
    """A readOnly property of an inline object inside a property marks the schema."""
    schema = {
        "type": "object",
        "properties": {
            "meta": {
                "type": "object",
                "required": ["created"],
                "properties": {"created": {"type": "string", "readOnly": True}, "note": {"type": "string"}},
            }
        },
    }
    schemas, _ = _split(_document({"Doc": schema}, sent=("Doc",), received=("Doc",)))
    assert schemas["Doc"]["properties"]["meta"]["required"] == ["created"]
    assert set(schemas["DocRequest"]["properties"]["meta"]["properties"]) == {"note"}
    assert schemas["DocRequest"]["properties"]["meta"]["required"] == []


def test_discriminator_mapping_is_retargeted() -> None:
    """A split union's mapping points at the same direction's shapes; unsplit targets stay."""
    cat = {"type": "object", "properties": {"kind": {"type": "string"}, "id": {"type": "string", "readOnly": True}}}
    dog = {"type": "object", "properties": {"kind": {"type": "string"}}}
    animal = {
        "oneOf": [_ref("Cat"), _ref("Dog")],
        "discriminator": {"propertyName": "kind", "mapping": {"cat": REF + "Cat", "dog": REF + "Dog"}},
    }
    schemas, _ = _split(_document({"Cat": cat, "Dog": dog, "Animal": animal}, sent=("Animal",), received=("Animal",)))
    request = schemas["AnimalRequest"]
    assert request["oneOf"] == [_ref("CatRequest"), _ref("Dog")]
    assert request["discriminator"] == {
        "propertyName": "kind",
        "mapping": {"cat": REF + "CatRequest", "dog": REF + "Dog"},
    }
    assert schemas["Animal"]["discriminator"]["mapping"] == {"cat": REF + "Cat", "dog": REF + "Dog"}
    assert schemas["Dog"] == dog


def test_values_are_not_shaped() -> None:
    """Examples, defaults, enums and consts are copied verbatim, even if they look like schemas."""
    pet = _pet()
    pet["example"] = {"properties": {"id": {"readOnly": True}}}
    pet["properties"]["name"]["default"] = {"$ref": REF + "Pet"}
    schemas, _ = _split(_document({"Pet": pet}, sent=("Pet",), received=("Pet",)))
    assert schemas["PetRequest"]["example"] == pet["example"]
    assert schemas["PetRequest"]["properties"]["name"]["default"] == {"$ref": REF + "Pet"}


def test_request_name_avoids_a_taken_component() -> None:
    """If ``PetRequest`` already exists, the request shape is ``PetRequest2``."""
    existing = {"type": "object", "properties": {"other": {"type": "string"}}}
    schemas, variants = _split(_document({"Pet": _pet(), "PetRequest": existing}, sent=("Pet",), received=("Pet",)))
    assert schemas["PetRequest"] == existing
    assert _is_request_shape(schemas["PetRequest2"])
    assert variants.request == {"Pet": "PetRequest2"}


def test_unrelated_schemas_are_kept_unchanged() -> None:
    """Schemas neither marked nor referring to a marked one pass through as the same objects."""
    colour = {"type": "string", "enum": ["red"]}
    schemas, _ = _split(_document({"Pet": _pet(), "Colour": colour}, sent=("Pet",), received=("Pet",)))
    assert schemas["Colour"] is colour


def test_nothing_to_split_returns_the_schemas_unchanged() -> None:
    """Without readOnly/writeOnly, split returns its input and no variants."""
    input_schemas = {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}
    document = _document(input_schemas, sent=("Pet",), received=("Pet",))
    schemas, variants, notes = split(document, input_schemas)
    assert schemas is input_schemas and notes == ()
    assert (variants.request, variants.response) == ({}, {})


def test_split_does_not_mutate_its_input() -> None:
    """The document's own schemas are left as they were."""
    document = _document(
        {"Pet": _pet(), "Owner": {"properties": {"p": _ref("Pet")}}}, sent=("Owner",), received=("Pet",)
    )
    before = copy.deepcopy(document)
    _split(document)
    assert document == before


def test_prepare_hands_on_the_variants() -> None:
    """prepare() splits before the tool runs and reports the shapes it made."""
    prepared = prepare(_document({"Pet": _pet()}, sent=("Pet",), received=("Pet",)))
    assert set(prepared.document["components"]["schemas"]) == {"Pet", "PetRequest"}
    assert (prepared.variants.request, prepared.variants.response) == ({"Pet": "PetRequest"}, {"Pet": "Pet"})


def test_required_and_marked_properties_are_reported_with_what_the_client_does() -> None:
    """Both ways: OpenAPI's rule (left out of that direction). One way: kept, optional."""
    both = _document({"Pet": _pet()}, sent=("Pet",), received=("Pet",))
    _, _, notes = split(both, both["components"]["schemas"])
    assert [(n.prop, n.keyword, n.kept) for n in notes] == [("id", "readOnly", False), ("password", "writeOnly", False)]
    one = _document({"Pet": _pet()}, sent=("Pet",))
    _, _, notes = split(one, one["components"]["schemas"])
    assert [(n.prop, n.keyword, n.kept) for n in notes] == [("id", "readOnly", True), ("password", "writeOnly", False)]


def test_a_request_model_names_the_read_only_properties_it_left_out() -> None:
    """The request shape records what it dropped, for the runtime's "read-only" refusal message."""
    schemas, _ = _split(_document({"Pet": _pet()}, sent=("Pet",), received=("Pet",)))
    assert schemas["PetRequest"]["x-codegen-read-only"] == ["id"]
    assert "x-codegen-read-only" not in schemas["Pet"]
