"""The testing fake agrees with Prism on the calls of the contract tests (tests/runtime/test_against_prism.py).

The same requests go to Prism (an independent mock of the spec) and to
``northflank_jobs.testing.FakeNorthflank``: the same invalid bodies get the same
status and exception, the same page examples come back as the same parsed
models, and the same malformed requests (no credentials, broken JSON, another
media type, unknown paths and methods) get the same status. The one deliberate
difference, undeclared keys, is pinned too.
"""

from __future__ import annotations

import asyncio
import re
import warnings
from typing import Any

import httpx
import pytest
from northflank_jobs import AsyncNorthflankClient, RetryPolicy
from northflank_jobs.testing import FakeNorthflank

from tests.support.northflank_calls import (
    INVALID_BODIES,
    OPERATIONS,
    TOKEN,
    InvalidBody,
    Operation,
    Recorder,
    body_for,
    call_async,
    call_sync,
    constructed_body,
    send_unvalidated_sync,
    sync_client,
    violations,
)
from tests.support.prism_server import PrismServer

pytestmark = pytest.mark.slow  # the Prism mock server (node)


def send_to_fake(fake: FakeNorthflank, case: InvalidBody) -> Any:
    with fake.client(retry=RetryPolicy.disabled()) as client, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Pydantic serializer warnings")
        try:
            return client.request(
                case.op.endpoint,
                path_params=case.op.wire_path_params,
                body=constructed_body(case),
                parse=case.op.parse,
            )
        except Exception as exc:
            return exc


@pytest.mark.parametrize("case", INVALID_BODIES, ids=str)
def test_an_invalid_body_gets_prisms_status_and_exception(prism: PrismServer, case: InvalidBody) -> None:
    prism_error, prism_response = send_unvalidated_sync(prism, case)
    fake = FakeNorthflank()
    fake_error = send_to_fake(fake, case)
    assert type(fake_error) is type(prism_error)
    assert fake_error.status_code == prism_response.status_code == case.op.validation_status
    (rejection,) = fake.rejected
    assert fake.calls == []
    # The fake names the field Prism reports (Prism reports a missing property at its parent, and the
    # fake's path also names the union member it tried, as the client's RequestValidationError does).
    named = [p.field for p in rejection.problems]
    expected = [*case.location, *([case.mentions] if case.mentions else [])]
    assert any(_follows(expected, _parts(field)) for field in named), (named, violations(prism_response))
    assert [detail["field"] for detail in fake_error.details] == named


def _parts(field: str) -> list[str]:
    """``"healthChecks[0].path"`` -> ``["healthChecks", "0", "path"]``."""
    return [part for part in re.split(r"[.\[\]]", field) if part]


def _follows(expected: list[str], parts: list[str]) -> bool:
    """Whether ``expected`` appears in ``parts`` in order (other parts may come between)."""
    remaining = iter(parts)
    return all(any(part == wanted for part in remaining) for wanted in expected)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_the_page_example_parses_to_the_same_model_sync(prism: PrismServer, op: Operation) -> None:
    body = body_for(op, "dict")
    with sync_client(prism, Recorder()) as client:
        from_prism = call_sync(client, op, body=body, with_response=False)
    fake = FakeNorthflank()
    with fake.client() as client:
        from_fake = call_sync(client, op, body=body, with_response=False)
    assert from_fake == from_prism
    assert type(from_fake) is op.result_model
    assert fake.rejected == [] and fake.calls[0].operation_id == op.operation_id


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_the_page_example_parses_to_the_same_model_async(prism: PrismServer, op: Operation) -> None:
    body = body_for(op, "model")
    fake = FakeNorthflank()

    async def both() -> tuple[Any, Any]:
        async with AsyncNorthflankClient(token=TOKEN, base_url=prism.base_url, retry=RetryPolicy.disabled()) as client:
            from_prism = await call_async(client, op, body=body, with_response=False)
        async with fake.async_client() as client:
            from_fake = await call_async(client, op, body=body, with_response=False)
        return from_prism, from_fake

    from_prism, from_fake = asyncio.run(both())
    assert from_fake == from_prism and type(from_fake) is op.result_model


BEARER = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}
JSON = {**BEARER, "Content-Type": "application/json"}
RAW_REQUESTS = {
    "no-credentials": ("GET", "/v1/projects/p/jobs/j", {"Accept": "application/json"}, None),
    "basic-credentials": ("GET", "/v1/projects/p/jobs/j", {"Authorization": "Basic dXNlcjpwYXNz"}, None),
    "broken-json": ("POST", "/v1/projects/p/jobs/manual", JSON, b'{"name": '),
    "no-body": ("POST", "/v1/projects/p/jobs/j/runs", BEARER, None),
    "text-body": ("POST", "/v1/projects/p/jobs/manual", {**BEARER, "Content-Type": "text/plain"}, b"hello"),
    "array-body": ("POST", "/v1/projects/p/jobs/manual", JSON, b"[1]"),
    "unknown-path": ("GET", "/v1/nowhere", BEARER, None),
    "unknown-method": ("DELETE", "/v1/projects/p/jobs/j", BEARER, None),
    "literal-beats-parameter": ("GET", "/v1/projects/p/jobs/cron", BEARER, None),
    "empty-run-body": ("POST", "/v1/projects/p/jobs/j/runs", JSON, b"{}"),
}


@pytest.mark.parametrize("name", sorted(RAW_REQUESTS))
def test_malformed_requests_get_prisms_status(prism: PrismServer, name: str) -> None:
    method, path, headers, content = RAW_REQUESTS[name]
    with httpx.Client(base_url=prism.base_url, timeout=10) as http:
        from_prism = http.request(method, path, headers=headers, content=content)
    fake = FakeNorthflank()
    with httpx.Client(transport=fake, base_url=fake.base_url) as http:
        from_fake = http.request(method, path, headers=headers, content=content)
    assert from_fake.status_code == from_prism.status_code, (from_prism.text, from_fake.text)
    if not from_fake.is_success:  # Prism's 404/405 are problem documents; the fake keeps the API's shape
        # The declared ErrorResponse ({"error": {"message", "id", "details"}}); an unknown path has no
        # operation to declare one and gets the documented fallback, which has the same members.
        assert isinstance(from_fake.json()["error"]["message"], str)


def test_undeclared_keys_are_where_the_fake_is_stricter_than_prism(prism: PrismServer) -> None:
    """Prism accepts keys the schema does not declare; the fake refuses them, as the client does."""
    content = b'{"runtimeEnviroment": {"A": "1"}}'
    with httpx.Client(base_url=prism.base_url, timeout=10) as http:
        from_prism = http.post("/v1/projects/p/jobs/j/runs", headers=JSON, content=content)
    fake = FakeNorthflank()
    with httpx.Client(transport=fake, base_url=fake.base_url) as http:
        from_fake = http.post("/v1/projects/p/jobs/j/runs", headers=JSON, content=content)
    assert (from_prism.status_code, from_fake.status_code) == (200, 422)
    assert fake.rejected[0].fields == ["body.runtimeEnviroment"]
