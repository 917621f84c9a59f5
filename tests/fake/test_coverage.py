"""The testing fake of a client generated from tests/fixtures/specs/coverage.yaml, sync and async.

What the Northflank spec does not have: several tags sharing operations, query,
header and cookie parameters with schemas, several success responses, a 204, a
form body, a binary body with a text answer, operation-level security (none;
basic), a server URL with a base path, and no examples at all.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.support.codegen import Generated, generate, import_package
from tests.support.repo import FIXTURES

SPEC = FIXTURES / "specs" / "coverage.yaml"
CONTACT_ID = "0d7cbb55-0e3b-4c57-9f23-4a4e9c4f5a11"


@pytest.fixture(scope="module")
def gen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    generated = generate(SPEC, tmp_path_factory.mktemp("coverage-testing"))
    yield generated
    for name in [m for m in sys.modules if m == generated.package or m.startswith(generated.package + ".")]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def modules(gen: Generated) -> dict[str, ModuleType]:
    return import_package(gen)


@pytest.fixture
def testing(gen: Generated, modules: dict[str, ModuleType]) -> ModuleType:
    return modules[f"{gen.package}.testing"]


@pytest.fixture
def models(gen: Generated, modules: dict[str, ModuleType]) -> ModuleType:
    return modules[f"{gen.package}.models"]


@pytest.fixture
def pkg(gen: Generated, modules: dict[str, ModuleType]) -> ModuleType:
    return modules[gen.package]


@pytest.fixture
def fake(testing: ModuleType) -> Any:
    return testing.FakeCoverageAPI()


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def run(fake: Any, mode: str, call: Callable[[Any], Any]) -> Any:
    if mode == "sync":
        with fake.client() as client:
            return call(client)

    async def main() -> Any:
        async with fake.async_client() as client:
            return await call(client)

    return asyncio.run(main())


def cat(models: ModuleType, name: str = "Tom") -> Any:
    return models.Cat(kind="cat", name=name)


def test_the_fake_serves_under_the_servers_base_path(fake: Any, models: ModuleType, mode: str) -> None:
    fake.pets.get_pet.returns(cat(models))
    assert run(fake, mode, lambda c: c.pets.get_pet(7)) == cat(models)
    assert fake.base_url == "https://eu.example.com/v2"
    assert fake.pets.get_pet.last_call.request.url.path == "/v2/pets/7"
    assert fake.pets.get_pet.last_call.path_params == {"pet_id": 7}  # typed as the spec says


def test_an_operation_under_several_tags_is_one_fake_operation(fake: Any, models: ModuleType, mode: str) -> None:
    assert fake.store.get_pets is fake.pets.get_pets
    assert fake.pets.put_contact is fake.store.put_contact
    fake.pets.get_pets.returns([cat(models), models.Dog(kind="dog", name=None, barks=1)])
    result = run(fake, mode, lambda c: c.store.get_pets())
    assert [type(p).__name__ for p in result] == ["Cat", "Dog"]
    assert fake.pets.get_pets.call_count == 1 and fake.calls[0].operation == "pets.get_pets"


def test_query_header_and_cookie_parameters_are_recorded_typed(fake: Any, mode: str) -> None:
    fake.pets.get_pets.returns([])
    run(
        fake,
        mode,
        lambda c: c.pets.get_pets(limit=5, tags=["a", "b"], ids=[1, 2], x_request_id=CONTACT_ID, session="s1"),
    )
    call = fake.pets.get_pets.last_call
    assert call.query == {"limit": 5, "tags": ["a", "b"], "ids": [1, 2]}
    assert call.headers == {"x_request_id": CONTACT_ID}
    assert call.cookies == {"session": "s1"}
    assert call.body is None


@pytest.mark.parametrize(
    ("kwargs", "field", "problem", "raw"),
    [
        ({"limit": 0}, "query.limit", "minimum", {"params": {"limit": "0"}}),
        ({"limit": 101}, "query.limit", "maximum", {"params": {"limit": "101"}}),
        ({"ids": ["x"]}, "query.ids", "type", {"params": {"ids": "x"}}),
        ({"x_request_id": "not-a-uuid"}, "header.X-Request-Id", "pattern", {"headers": {"X-Request-Id": "no"}}),
    ],
    ids=["below-minimum", "above-maximum", "not-integers", "not-a-uuid"],
)
def test_parameters_the_spec_refuses_are_refused_by_client_and_fake_alike(
    fake: Any,
    pkg: ModuleType,
    mode: str,
    kwargs: dict[str, Any],
    field: str,
    problem: str,
    raw: dict[str, Any],
) -> None:
    """The client refuses the value before sending; the fake refuses the same value on the wire, with
    the same checker (``_params``), as a 422 naming the parameter."""
    with pytest.raises(pkg.RequestValidationError) as refused:
        run(fake, mode, lambda c: c.pets.get_pets(**kwargs))
    assert [(e["loc"], e["type"]) for e in refused.value.errors] == [(tuple(field.split(".")), problem)]
    assert fake.calls == [] and fake.rejected == []
    with httpx.Client(transport=fake, base_url=fake.base_url) as http:
        response = http.get(
            "/pets",
            headers={"Authorization": "Bearer t", **raw.get("headers", {})},
            **{k: v for k, v in raw.items() if k != "headers"},
        )
    assert response.status_code == 422
    (rejection,) = fake.rejected
    assert rejection.fields == [field] and rejection.problems[0].type == problem
    assert fake.calls == []


def test_a_path_parameter_of_the_wrong_type_is_refused(fake: Any) -> None:
    with httpx.Client(transport=fake, base_url=fake.base_url) as http:
        response = http.get("/pets/seven")
    assert response.status_code == 422
    assert response.json()["error"]["details"] == [
        {"in": "path", "field": "petId", "type": "type", "message": "Input should be a valid integer"}
    ]


def test_several_success_responses_are_picked_by_the_values_type_or_status(
    fake: Any, models: ModuleType, mode: str
) -> None:
    new_pet = {"kind": "cat"}
    fake.pets.create_pet.returns(cat(models))
    assert type(run(fake, mode, lambda c: c.pets.create_pet(body=new_pet))) is models.Cat
    fake.pets.create_pet.returns(models.Ticket(ticket="t-1"))
    assert run(fake, mode, lambda c: c.pets.create_pet(body=new_pet)) == models.Ticket(ticket="t-1")
    assert [c.status for c in fake.pets.create_pet.calls] == [201, 202]
    assert type(fake.pets.create_pet.last_call.body) is models.NewPet
    fake.pets.create_pet.answers(fake.pets.create_pet.result(models.Ticket(), status=202))
    assert run(fake, mode, lambda c: c.pets.create_pet(body=new_pet)) == models.Ticket()


def test_a_status_the_operation_does_not_declare_is_refused(fake: Any, models: ModuleType, testing: ModuleType) -> None:
    with pytest.raises(testing.FakeError, match="answers 201, 202, not 200"):
        fake.pets.create_pet.returns(cat(models), status=200)
    with pytest.raises(testing.FakeError, match=r"Ticket does not fit the 202 response \(Ticket\):\n  labels\[0\]"):
        fake.pets.create_pet.returns(models.Ticket.model_construct(labels=["root"]), status=202)


def test_a_204_answers_none_by_default(fake: Any, mode: str) -> None:
    assert run(fake, mode, lambda c: c.pets.delete_pet(3)) is None
    assert fake.pets.delete_pet.last_call.status == 204
    assert fake.pets.delete_pet.example() is None


def test_a_binary_body_is_recorded_as_bytes_and_a_text_answer_is_sent_as_text(fake: Any, mode: str) -> None:
    fake.pets.upload_photo.returns("stored \u2713")
    assert run(fake, mode, lambda c: c.pets.upload_photo(3, body=b"\x89PNG")) == "stored \u2713"
    call = fake.pets.upload_photo.last_call
    assert call.body == b"\x89PNG"
    assert call.request.headers["content-type"] == "application/octet-stream"
    assert call.request.headers["authorization"].startswith("Bearer ")


def test_without_an_example_an_operation_answers_a_value_built_from_its_schema(fake: Any, mode: str) -> None:
    """Issue 22: the spec has no example for get_pet; the fake answers a value its schema allows
    (checked here by jsonschema against the spec, not by the client's models), and .example() is it."""
    import jsonschema
    import yaml

    spec = yaml.safe_load((FIXTURES / "specs" / "coverage.yaml").read_text(encoding="utf-8"))
    result = run(fake, mode, lambda c: c.pets.get_pet(1))
    answered = fake.pets.get_pet.example()
    assert result == answered
    schema = spec["paths"]["/pets/{petId}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    document = json.loads(answered.model_dump_json(by_alias=True, exclude_unset=True))
    jsonschema.validate(document, {**schema, "components": spec["components"]})


def test_a_form_body_is_read_into_its_model(fake: Any, models: ModuleType, mode: str) -> None:
    run(fake, mode, lambda c: c.store.login(body={"user": "ann", "password": "pw"}))
    call = fake.store.login.last_call
    assert type(call.body) is models.LoginRequest
    assert (call.body.user, call.body.password) == ("ann", "pw")
    assert call.request.headers["authorization"].startswith("Basic ")


def test_operation_security_is_checked_per_operation(fake: Any, models: ModuleType) -> None:
    fake.pets.get_pet.returns(cat(models))
    with httpx.Client(transport=fake, base_url=fake.base_url) as http:
        assert http.get("/pets/1").status_code == 200  # security: []
        assert http.delete("/pets/1").status_code == 401  # the API's default: bearer or key
        assert http.delete("/pets/1", headers={"X-API-Key": "k"}).status_code == 204
        assert http.post("/login", headers={"Authorization": "Bearer t"}).status_code == 401  # basic only
        assert http.post("/login", headers={"Authorization": "Basic bm9jb2xvbg=="}).status_code == 401  # no colon
    assert [r.status for r in fake.rejected] == [401, 401, 401]


def test_a_request_body_the_contact_schema_refuses(
    fake: Any, gen: Generated, modules: dict[str, ModuleType], models: ModuleType, pkg: ModuleType
) -> None:
    endpoint = modules[f"{gen.package}.api.store"]._PUT_CONTACT
    contact = models.ContactRequest.model_construct(email="a@b.c", password="short")
    with fake.client() as client, pytest.raises(pkg.UnprocessableEntityError) as caught:
        client.request(endpoint, path_params={"contactId": CONTACT_ID}, body=contact, parse=lambda r: r)
    assert caught.value.status_code == 422
    assert fake.rejected[0].fields == ["body.password"]
    valid = '{"email": "a@b.c", "password": "long enough"}'
    with fake.client() as client, pytest.raises(pkg.RequestValidationError):  # refused before sending
        client.request(endpoint, path_params={"contactId": "not-a-uuid"}, body=valid, parse=lambda r: r)
    assert len(fake.rejected) == 1
    fake.store.put_contact.returns(models.Contact(id=CONTACT_ID, email="a@b.c"))
    with fake.client() as client:
        client.request(endpoint, path_params={"contactId": CONTACT_ID}, body=valid, parse=lambda r: r)
    assert fake.store.put_contact.last_call.body == models.ContactRequest(email="a@b.c", password="long enough")
