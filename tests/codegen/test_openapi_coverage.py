"""OpenAPI constructs beyond the Northflank spec, proven through a generated client.

The client is generated from tests/fixtures/specs/coverage.yaml.
"""

from __future__ import annotations

import base64
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest

from generator import generate
from tests.support.repo import FIXTURES, REPO

SPEC = FIXTURES / "specs" / "coverage.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("coverage")
    outcome = generate(spec=SPEC, out=out)
    assert outcome.report is not None, outcome.result.diagnostics.render()
    sys.path.insert(0, str(out))
    yield out
    sys.path.remove(str(out))
    for name in [m for m in sys.modules if m == "coverage_api" or m.startswith("coverage_api.")]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def pkg(out: Path) -> ModuleType:
    return importlib.import_module("coverage_api")


@pytest.fixture(scope="module")
def models(out: Path) -> ModuleType:
    return importlib.import_module("coverage_api.models")


class Recorder:
    def __init__(
        self, status: int = 200, body: Any = None, content: bytes | None = None, content_type: str = "application/json"
    ) -> None:
        self.requests: list[httpx.Request] = []
        self.status, self.body, self.content, self.content_type = status, body, content, content_type

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        content = self.content if self.content is not None else json.dumps(self.body).encode()
        return httpx.Response(self.status, content=content, headers={"content-type": self.content_type})


def client(pkg: ModuleType, recorder: Recorder, **credentials: str) -> Any:
    return pkg.CoverageAPIClient(transport=httpx.MockTransport(recorder), **credentials or {"token": "tok"})


@pytest.mark.slow  # mypy
def test_generated_package_passes_mypy_strict(out: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "coverage_api",
        ],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout


def test_server_variables_give_the_default_base_url(pkg: ModuleType) -> None:
    assert pkg.CoverageAPIClient.default_base_url == "https://eu.example.com/v2"


def test_discriminator_dispatches_on_kind(models: ModuleType) -> None:
    pets = models.GetPetsResponse.model_validate_json(
        b'[{"kind": "cat", "name": "Tom"}, {"kind": "dog", "name": null, "barks": 5}]'
    ).root
    assert [type(p).__name__ for p in pets] == ["Cat", "Dog"]
    assert pets[0].indoor is True  # allOf member default
    assert pets[1].name is None and pets[1].barks == 5  # nullable but required
    with pytest.raises(pydantic.ValidationError):
        models.GetPetsResponse.model_validate_json(b'[{"kind": "cat"}]')  # name is required even if nullable
    with pytest.raises(pydantic.ValidationError):
        models.GetPetsResponse.model_validate_json(b'[{"kind": "fish", "name": "x"}]')


def test_an_allof_child_narrows_an_inherited_field(models: ModuleType, out: Path) -> None:
    page = models.CatCollection.model_validate_json(b'{"items": [{"kind": "cat", "name": "Tom"}]}')
    assert isinstance(page, models.Collection)
    assert [type(item).__name__ for item in page.items] == ["Cat"]
    with pytest.raises(pydantic.ValidationError):
        models.CatCollection.model_validate_json(b'{"items": [{"kind": "dog", "name": "Rex"}]}')
    assert models.Collection.model_validate_json(b'{"items": [{"any": 1}]}').items == [{"any": 1}]
    # mypy --strict (the test above) passes because the incompatible override is marked; the usual
    # discriminator narrowing (a Literal over str) is one mypy accepts, and stays unmarked.
    lines = [
        line.strip() for f in (out / "coverage_api" / "models").glob("*.py") for line in f.read_text().splitlines()
    ]
    assert "items: list[Cat] | MISSING = MISSING  # type: ignore[assignment, unused-ignore]" in lines
    kinds = [line for line in lines if line.startswith("kind: Literal[")]
    assert kinds and not any("type: ignore" in line for line in kinds)


def test_constraints_and_shapes(models: ModuleType) -> None:
    NewPet = models.NewPet
    pet = NewPet.model_validate(
        {"kind": "cat", "born": "2020-02-29", "attrs": {"legs": 4}, "mixed": "one", "tag": "abc"}
    )
    assert str(pet.born) == "2020-02-29" and pet.attrs == {"legs": 4}
    assert NewPet.model_validate({"kind": "dog", "tag": 12, "mixed": 1}).tag == 12
    for bad in (
        {"kind": "cow"},  # enum
        {"kind": "cat", "weight": 0},  # exclusiveMinimum
        {"kind": "cat", "attrs": {"legs": "four"}},  # additionalProperties schema
        {"kind": "cat", "strict": {"a": "x", "b": "y"}},  # additionalProperties: false
        {"kind": "cat", "tag": "abcd"},  # anyOf: too long for the string branch, not an integer
        {"kind": "cat", "born": "yesterday"},  # format: date
    ):
        with pytest.raises(pydantic.ValidationError):
            NewPet.model_validate(bad)


def test_cyclic_schema(models: ModuleType) -> None:
    ticket = models.Ticket.model_validate({"ticket": "a", "parent": {"ticket": "b", "parent": {"ticket": "c"}}})
    assert ticket.parent.parent.ticket == "c"


def test_query_header_and_cookie_styles(pkg: ModuleType) -> None:
    recorder = Recorder(body=[])
    request_id = "0b7e1a52-4d3c-4a8e-9f10-2c3d4e5f6a7b"
    client(pkg, recorder).pets.get_pets(ids=[1, 2, 3], tags=["a", "b"], limit=5, x_request_id=request_id, session="s 1")
    request = recorder.requests[0]
    assert request.url.params.get_list("tags") == ["a", "b"]  # form, explode=true
    assert request.url.params.get_list("ids") == ["1,2,3"]  # form, explode=false
    assert request.url.params["limit"] == "5"
    assert request.headers["X-Request-Id"] == request_id
    assert request.headers["cookie"] == "session=s%201"  # a space is not allowed in a cookie value
    assert request.headers["authorization"] == "Bearer tok"


def test_operation_without_operation_id_gets_a_stable_name(pkg: ModuleType) -> None:
    assert hasattr(pkg.CoverageAPIClient(token="t").pets, "get_pets")


def test_multiple_success_codes_parse_by_status(pkg: ModuleType, models: ModuleType) -> None:
    created = client(pkg, Recorder(201, {"kind": "dog", "name": "Rex"})).pets.create_pet(body={"kind": "dog"})
    assert isinstance(created, models.Dog)
    accepted = client(pkg, Recorder(202, {"ticket": "t-1"})).pets.create_pet(body={"kind": "dog"})
    assert isinstance(accepted, models.Ticket) and accepted.ticket == "t-1"


def test_empty_response_is_none(pkg: ModuleType) -> None:
    recorder = Recorder(204, content=b"")
    assert client(pkg, recorder).pets.delete_pet(7) is None
    assert recorder.requests[0].url.path == "/v2/pets/7"


def test_binary_body_and_text_response(pkg: ModuleType) -> None:
    recorder = Recorder(200, content=b"stored", content_type="text/plain")
    result = client(pkg, recorder).pets.upload_photo(3, body=b"\x89PNG\x00")
    assert result == "stored"
    assert recorder.requests[0].content == b"\x89PNG\x00"
    assert recorder.requests[0].headers["content-type"] == "application/octet-stream"


def test_form_body_and_basic_auth(pkg: ModuleType) -> None:
    recorder = Recorder(200, content=b"")
    client(pkg, recorder, username="ann", password="s3cret").store.login(body={"user": "ann", "password": "pw"})
    request = recorder.requests[0]
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert dict(httpx.QueryParams(request.content.decode())) == {"user": "ann", "password": "pw"}
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"ann:s3cret").decode()


def test_api_key_scheme_and_operations_without_security(pkg: ModuleType) -> None:
    recorder = Recorder(200, [])
    api = client(pkg, recorder, api_key="k-123")
    api.pets.get_pets()
    assert recorder.requests[0].headers["X-API-Key"] == "k-123"
    assert "authorization" not in recorder.requests[0].headers
    recorder.body = {"kind": "cat", "name": "Tom"}
    api.pets.get_pet(1)  # `security: []`: nothing is sent
    assert "X-API-Key" not in recorder.requests[1].headers


def test_missing_credentials_are_reported_at_construction(pkg: ModuleType) -> None:
    with pytest.raises(pkg.ApiError) as caught:
        pkg.CoverageAPIClient()
    # Each alternative of the default security, with the environment variable each argument reads.
    assert str(caught.value) == (
        "No credentials: pass token=... (or set COVERAGE_API_TOKEN) or api_key=... (or set COVERAGE_API_API_KEY)"
    )


def test_lookaround_pattern_is_enforced_with_javascript_meaning(models: ModuleType) -> None:
    assert models.NewPet.model_validate({"kind": "cat", "nickname": "tom"}).nickname == "tom"
    for bad in ("admin", "tom\n", "Tom"):
        with pytest.raises(pydantic.ValidationError):
            models.NewPet.model_validate({"kind": "cat", "nickname": bad})


def test_lookaround_pattern_in_list_items_is_enforced(models: ModuleType) -> None:
    # The item stays a root model here: only a model can carry the python-re engine setting.
    assert models.Ticket.model_validate({"labels": ["ops"]}).model_dump(mode="json")["labels"] == ["ops"]
    with pytest.raises(pydantic.ValidationError):
        models.Ticket.model_validate({"labels": ["root"]})
