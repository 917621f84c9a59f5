"""The client base classes: what goes on the wire, configuration, lifecycle, secrecy, logs."""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import json
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pydantic
import pytest
from northflank_jobs._auth import SecurityScheme
from northflank_jobs._base_client import (
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    AsyncApiClient,
    Endpoint,
    NotGiven,
    SyncApiClient,
    validate_body,
)
from northflank_jobs._response import ApiResponse
from northflank_jobs._retry import RetryPolicy
from northflank_jobs.errors import ApiError, NotFoundError

from tests.support.fault_server import FaultServer, RecordedRequest, Reply, refused_port

TOKEN = "nf-SECRET-token-0123456789"
ENV_VAR = "DEMO_API_TOKEN"


class Vcs(pydantic.BaseModel):
    project_url: str = pydantic.Field(alias="projectUrl")
    branch: str | None = None


class JobCreate(pydantic.BaseModel):
    name: str
    description: str | None = None
    vcs: Vcs


class Job(pydantic.BaseModel):
    id: str


class Status(str, enum.Enum):
    RUNNING = "running"


class DemoClient(SyncApiClient):
    default_base_url = "https://api.invalid"
    token_env_var = ENV_VAR
    security_schemes = (SecurityScheme("bearer", "bearer", arguments=("token",), env_vars=(ENV_VAR,)),)
    user_agent = "demo_jobs/1.2.3 (python-httpx)"
    logger_name = "demo_jobs"

    def __init__(self, *, token: str | None = None, **kwargs: Any) -> None:
        super().__init__(credentials={"bearer": token}, **kwargs)


class AsyncDemoClient(AsyncApiClient):
    default_base_url = "https://api.invalid"
    token_env_var = ENV_VAR
    security_schemes = (SecurityScheme("bearer", "bearer", arguments=("token",), env_vars=(ENV_VAR,)),)
    user_agent = "demo_jobs/1.2.3 (python-httpx)"
    logger_name = "demo_jobs"

    def __init__(self, *, token: str | None = None, **kwargs: Any) -> None:
        super().__init__(credentials={"bearer": token}, **kwargs)


GET_JOB = Endpoint("GET", "/v1/projects/{projectId}/jobs/{jobId}", "getJob", idempotent=True)
LIST_RUNS = Endpoint("GET", "/v1/projects/{projectId}/jobs/{jobId}/runs", "listRuns", idempotent=True)
CREATE_JOB = Endpoint("POST", "/v1/projects/{projectId}/jobs", "createJob", idempotent=False)
JOB_PARAMS = {"projectId": "p", "jobId": "j"}
OK = Reply.json(200, {"id": "j"})


@pytest.fixture(autouse=True)
def no_token_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def recording_transport(status: int = 200, payload: object = None) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json={"id": "j"} if payload is None else payload)

    return httpx.MockTransport(handler), seen


def get_job(client: SyncApiClient) -> ApiResponse[Job]:
    return client.request(GET_JOB, path_params=JOB_PARAMS, parse=lambda r: Job.model_validate_json(r.content))


# --- On the wire -------------------------------------------------------------------


def create_job_on_server(server: FaultServer, **client_kwargs: object) -> RecordedRequest:
    body = validate_body(JobCreate, {"name": "build", "vcs": {"projectUrl": "https://git.invalid/r"}})
    with DemoClient(token=TOKEN, base_url=server.url, **client_kwargs) as client:  # type: ignore[arg-type]
        client.request(
            CREATE_JOB, path_params={"projectId": "p"}, body=body, parse=lambda r: Job.model_validate_json(r.content)
        )
    return server.requests[-1]


def test_standard_headers_are_sent() -> None:
    with FaultServer([OK]) as server:
        sent = create_job_on_server(server)
    assert sent.method == "POST"
    assert sent.path == "/v1/projects/p/jobs"
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert sent.headers["user-agent"] == "demo_jobs/1.2.3 (python-httpx)"
    assert sent.headers["accept"] == "application/json"
    assert sent.headers["content-type"] == "application/json"


def test_no_content_type_without_a_body() -> None:
    with FaultServer([OK]) as server, DemoClient(token=TOKEN, base_url=server.url) as client:
        get_job(client)
    assert "content-type" not in server.requests[0].headers
    assert server.requests[0].body == b""


def test_body_uses_wire_names_and_only_fields_that_were_set() -> None:
    body = validate_body(
        JobCreate,
        {"name": "build", "description": None, "vcs": {"projectUrl": "https://git.invalid/r"}},
    )
    with FaultServer([OK]) as server, DemoClient(token=TOKEN, base_url=server.url) as client:
        client.request(
            CREATE_JOB, path_params={"projectId": "p"}, body=body, parse=lambda r: Job.model_validate_json(r.content)
        )
    # description was explicitly null: sent; vcs.branch was never set: omitted.
    assert server.requests[0].json() == {
        "name": "build",
        "description": None,
        "vcs": {"projectUrl": "https://git.invalid/r"},
    }


def test_default_headers_are_sent_and_extra_headers_win() -> None:
    with FaultServer([OK, OK]) as server:
        client = DemoClient(
            token=TOKEN,
            base_url=server.url,
            default_headers={"X-Team": "platform", "X-Trace": "default"},
        )
        with client:
            get_job(client)
            client.request(
                GET_JOB,
                path_params=JOB_PARAMS,
                parse=lambda r: Job.model_validate_json(r.content),
                extra_headers={"X-Trace": "call-7", "User-Agent": "custom/9"},
            )
    first, second = server.requests
    assert (first.headers["x-team"], first.headers["x-trace"]) == ("platform", "default")
    assert (second.headers["x-team"], second.headers["x-trace"]) == ("platform", "call-7")
    assert second.headers["user-agent"] == "custom/9"
    assert first.headers["user-agent"] == "demo_jobs/1.2.3 (python-httpx)"


def test_async_client_sends_the_same_request() -> None:
    async def run(url: str) -> None:
        async with AsyncDemoClient(token=TOKEN, base_url=url, default_headers={"X-Team": "t"}) as client:
            await client.request(GET_JOB, path_params=JOB_PARAMS, parse=lambda r: Job.model_validate_json(r.content))

    with FaultServer([OK, OK]) as server:
        with DemoClient(token=TOKEN, base_url=server.url, default_headers={"X-Team": "t"}) as client:
            get_job(client)
        asyncio.run(run(server.url))
    sync_sent, async_sent = server.requests
    assert (sync_sent.method, sync_sent.path, sync_sent.body) == (
        async_sent.method,
        async_sent.path,
        async_sent.body,
    )
    for name in ("authorization", "user-agent", "accept", "x-team"):
        assert sync_sent.headers[name] == async_sent.headers[name]


@pytest.mark.parametrize(
    ("project_id", "job_id", "expected_path"),
    [
        ("p", "a/b", "/v1/projects/p/jobs/a%2Fb"),
        ("my project", "j?x=1#frag", "/v1/projects/my%20project/jobs/j%3Fx%3D1%23frag"),
        ("p", "caf\u00e9", "/v1/projects/p/jobs/caf%C3%A9"),
        ("p", "100%", "/v1/projects/p/jobs/100%25"),
        ("p", "..a", "/v1/projects/p/jobs/..a"),
    ],
)
def test_path_params_are_percent_encoded_per_segment(project_id: str, job_id: str, expected_path: str) -> None:
    with FaultServer([OK]) as server, DemoClient(token=TOKEN, base_url=server.url) as client:
        client.request(
            GET_JOB,
            path_params={"projectId": project_id, "jobId": job_id},
            parse=lambda r: Job.model_validate_json(r.content),
        )
    assert server.requests[0].path == expected_path


def test_query_parameters_are_serialised_for_the_wire() -> None:
    transport, seen = recording_transport()
    with DemoClient(token=TOKEN, transport=transport) as client:
        client.request(
            LIST_RUNS,
            path_params=JOB_PARAMS,
            query={
                "cursor": None,
                "perPage": 50,
                "active": True,
                "status": Status.RUNNING,
                "tag": ["a", "b"],
            },
            parse=lambda r: Job.model_validate_json(r.content),
        )
    assert seen[0].url.query == b"perPage=50&active=true&status=running&tag=a&tag=b"


# --- Configuration ----------------------------------------------------------------


def test_base_url_defaults_to_the_class_attribute() -> None:
    transport, seen = recording_transport()
    with DemoClient(token=TOKEN, transport=transport) as client:
        get_job(client)
    assert str(seen[0].url) == "https://api.invalid/v1/projects/p/jobs/j"


def test_base_url_override_keeps_its_path_prefix() -> None:
    transport, seen = recording_transport()
    with DemoClient(token=TOKEN, base_url="https://proxy.invalid/northflank/", transport=transport) as client:
        assert client.base_url == "https://proxy.invalid/northflank"
        get_job(client)
    assert str(seen[0].url) == "https://proxy.invalid/northflank/v1/projects/p/jobs/j"


def test_base_url_must_be_http() -> None:
    with pytest.raises(ValueError, match="must start with https:// or http://"):
        DemoClient(token=TOKEN, base_url="api.invalid")


def test_missing_base_url_is_a_clear_error() -> None:
    class NoDefault(SyncApiClient):
        pass

    with pytest.raises(ApiError, match="No base URL"):
        NoDefault(credentials={"bearer": TOKEN})


def test_token_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, TOKEN + "\n")  # as $(cat token-file) leaves it
    transport, seen = recording_transport()
    with DemoClient(transport=transport) as client:
        get_job(client)
    assert seen[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_explicit_token_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "from-env")
    transport, seen = recording_transport()
    with DemoClient(token=TOKEN, transport=transport) as client:
        get_job(client)
    assert seen[0].headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("token", [None, "", "   "])
def test_missing_token_fails_at_construction_naming_the_env_var(token: str | None) -> None:
    with pytest.raises(ApiError) as caught:
        DemoClient(token=token)
    assert str(caught.value) == f"No credentials: pass token=... (or set {ENV_VAR})"


def test_missing_token_without_env_var_configured() -> None:
    class NoEnv(SyncApiClient):
        default_base_url = "https://api.invalid"

    with pytest.raises(ApiError) as caught:
        NoEnv()
    assert str(caught.value) == "No credentials: pass token=..."


def test_token_with_control_characters_is_refused_without_echoing_it() -> None:
    with pytest.raises(ApiError) as caught:
        DemoClient(token=TOKEN + "\nX-Injected: 1")
    assert TOKEN not in str(caught.value)
    assert "not allowed in an HTTP header" in str(caught.value)


def test_async_client_resolves_token_the_same_way(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ApiError, match=ENV_VAR):
        AsyncDemoClient()
    monkeypatch.setenv(ENV_VAR, TOKEN)
    assert AsyncDemoClient().base_url == "https://api.invalid"


def test_default_timeout_and_per_call_override() -> None:
    transport, seen = recording_transport()
    with DemoClient(token=TOKEN, transport=transport) as client:
        get_job(client)
        client.request(GET_JOB, path_params=JOB_PARAMS, parse=lambda r: Job.model_validate_json(r.content), timeout=1.5)
        client.request(
            GET_JOB, path_params=JOB_PARAMS, parse=lambda r: Job.model_validate_json(r.content), timeout=None
        )
    assert seen[0].extensions["timeout"] == DEFAULT_TIMEOUT.as_dict()
    assert seen[0].extensions["timeout"]["connect"] == 5.0
    assert seen[1].extensions["timeout"] == httpx.Timeout(1.5).as_dict()
    assert seen[2].extensions["timeout"] == httpx.Timeout(None).as_dict()


def test_client_timeout_applies_to_a_callers_http_client() -> None:
    transport, seen = recording_transport()
    with httpx.Client(transport=transport, timeout=99.0) as http_client:
        with DemoClient(token=TOKEN, timeout=3.0, http_client=http_client) as client:
            get_job(client)
    assert seen[0].extensions["timeout"] == httpx.Timeout(3.0).as_dict()


def test_default_retry_policy() -> None:
    assert DemoClient(token=TOKEN).retry == RetryPolicy()


def test_not_given_sentinel() -> None:
    assert NotGiven() is NOT_GIVEN
    assert not NOT_GIVEN
    assert repr(NOT_GIVEN) == "NOT_GIVEN"


def test_endpoint_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        GET_JOB.path = "/elsewhere"  # type: ignore[misc]


# --- Lifecycle ---------------------------------------------------------------------


def test_context_manager_closes_the_client_it_created() -> None:
    transport, _ = recording_transport()
    with DemoClient(token=TOKEN, transport=transport) as client:
        get_job(client)
        assert not client._client.is_closed
    assert client._client.is_closed


def test_callers_http_client_is_used_and_left_open() -> None:
    transport, seen = recording_transport()
    with httpx.Client(transport=transport, headers={"X-From-Caller": "yes"}) as http_client:
        with DemoClient(token=TOKEN, http_client=http_client) as client:
            get_job(client)
        assert not http_client.is_closed
        http_client.get("https://api.invalid/still-usable")
    assert seen[0].headers["x-from-caller"] == "yes"
    assert seen[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert seen[1].url.path == "/still-usable"


def test_close_is_idempotent() -> None:
    client = DemoClient(token=TOKEN)
    client.close()
    client.close()
    assert client._client.is_closed


def test_async_context_manager_closes_only_what_it_created() -> None:
    async def run() -> tuple[bool, bool]:
        transport, _ = recording_transport()
        async with AsyncDemoClient(token=TOKEN, transport=transport) as owned:
            await owned.request(GET_JOB, path_params=JOB_PARAMS, parse=lambda r: Job.model_validate_json(r.content))
        async with httpx.AsyncClient(transport=transport) as http_client:
            async with AsyncDemoClient(token=TOKEN, http_client=http_client):
                pass
            caller_left_open = not http_client.is_closed
        return owned._client.is_closed, caller_left_open

    assert asyncio.run(run()) == (True, True)


def test_transport_injection() -> None:
    transport, seen = recording_transport(payload={"id": "from-mock"})
    with DemoClient(token=TOKEN, transport=transport) as client:
        assert get_job(client).parsed == Job(id="from-mock")
    assert len(seen) == 1


def test_transport_and_http_client_are_exclusive() -> None:
    transport, _ = recording_transport()
    with (
        httpx.Client() as http_client,
        pytest.raises(ValueError, match="either http_client or transport"),
    ):
        DemoClient(token=TOKEN, http_client=http_client, transport=transport)


# --- ApiResponse --------------------------------------------------------------------


def test_api_response_exposes_the_http_response() -> None:
    with FaultServer([Reply.json(201, {"id": "j", "secret": "s"}, {"X-Request-Id": "r1"})]) as server:
        with DemoClient(token=TOKEN, base_url=server.url) as client:
            result = get_job(client)
    assert result.status_code == 201
    assert result.parsed == Job(id="j")
    assert result.headers["x-request-id"] == "r1"
    assert json.loads(result.content) == {"id": "j", "secret": "s"}
    assert result.http_response.status_code == 201
    assert isinstance(result.elapsed, timedelta) and result.elapsed > timedelta(0)
    assert result.attempts == 1
    assert repr(result).startswith("<ApiResponse [201] GET /v1/projects/p/jobs/j parsed=Job elapsed=")
    assert "secret" not in repr(result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.parsed = Job(id="other")  # type: ignore[misc]


def test_empty_body_is_passed_to_parse() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(204)

    with DemoClient(token=TOKEN, transport=httpx.MockTransport(handler)) as client:
        result = client.request(GET_JOB, path_params=JOB_PARAMS, parse=lambda response: response.content)
    assert (result.status_code, result.parsed) == (204, b"")


# --- The token never leaks -------------------------------------------------------------


def test_repr_hides_the_token() -> None:
    client = DemoClient(token=TOKEN)
    assert repr(client) == "DemoClient(base_url='https://api.invalid', token='***')"
    assert repr(AsyncDemoClient(token=TOKEN)) == "AsyncDemoClient(base_url='https://api.invalid', token='***')"


def failures(server: FaultServer) -> list[BaseException]:
    """Provoke one of each kind of failure against ``server`` and return what was raised."""
    server.enqueue(
        Reply.json(404, {"error": {"message": "Job not found", "id": "e1"}}),
        Reply(500, {}, b"<html>oops</html>"),
        Reply.json(200, {"unexpected": True}),
        Reply.stall(2.0),
        Reply.reset(),
    )
    caught: list[BaseException] = []
    policy = RetryPolicy.disabled()

    def attempt(call: Callable[[], object]) -> None:
        try:
            call()
        except (ApiError, ValueError) as exc:
            caught.append(exc)
        else:
            raise AssertionError("expected a failure")

    with DemoClient(token=TOKEN, base_url=server.url, retry=policy, timeout=0.2) as client:
        for _ in range(5):
            attempt(lambda: get_job(client))
        attempt(lambda: validate_body(JobCreate, {"name": [TOKEN], "vcs": {"projectUrl": 5}}))
        attempt(lambda: client.request(GET_JOB, path_params={"projectId": "p"}, parse=lambda r: r.content))
    with (
        refused_port() as port,
        DemoClient(token=TOKEN, base_url=f"http://127.0.0.1:{port}", retry=policy) as client,
    ):
        attempt(lambda: get_job(client))
    return caught


def test_token_never_appears_in_exceptions_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx, httpcore
    with FaultServer() as server:
        caught = failures(server)

    assert [type(exc).__name__ for exc in caught] == [
        "NotFoundError",
        "InternalServerError",
        "ResponseValidationError",
        "ApiTimeoutError",
        "ApiConnectionError",
        "RequestValidationError",
        "ValueError",
        "ApiConnectionError",
    ]
    for exc in caught:
        for text in (str(exc), repr(exc), str(exc.__cause__), repr(exc.__cause__)):
            assert TOKEN not in text
        for name, value in vars(exc).items():
            if name not in ("request", "response"):  # these hold headers, masked in their reprs
                assert TOKEN not in repr(value), name
    assert isinstance(caught[0], NotFoundError)
    assert TOKEN not in repr(caught[0].response.request.headers)
    assert caught[0].response.request.headers["authorization"] == f"Bearer {TOKEN}"  # it was sent, though

    assert any(record.name == "demo_jobs" for record in caplog.records)
    assert TOKEN not in caplog.text
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
        assert TOKEN not in repr(vars(record))


# --- Logging ---------------------------------------------------------------------


def test_one_debug_record_per_attempt_and_a_warning_per_retry(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="demo_jobs")
    policy = RetryPolicy(jitter=False)
    with FaultServer([Reply(503), OK]) as server:
        with DemoClient(token=TOKEN, base_url=server.url, retry=policy) as client:
            client._sleep = lambda seconds: None
            client.request(
                GET_JOB,
                path_params={"projectId": "p", "jobId": "a/b"},
                parse=lambda r: Job.model_validate_json(r.content),
            )
    ours = [record for record in caplog.records if record.name == "demo_jobs"]
    assert [record.levelno for record in ours] == [logging.DEBUG, logging.WARNING, logging.DEBUG]

    first, retry, second = ours
    for record, attempt, status in ((first, 1, 503), (retry, 1, 503), (second, 2, 200)):
        assert getattr(record, "api_operation") == "getJob"
        assert getattr(record, "http_method") == "GET"
        assert getattr(record, "http_path") == "/v1/projects/p/jobs/a%2Fb"
        assert getattr(record, "http_path_template") == "/v1/projects/{projectId}/jobs/{jobId}"
        assert getattr(record, "http_status") == status
        assert getattr(record, "attempt") == attempt
        assert getattr(record, "max_attempts") == 3
        assert getattr(record, "elapsed_ms") >= 0
    assert getattr(retry, "retry_delay") == 0.5
    assert first.getMessage().startswith(
        "getJob: GET /v1/projects/p/jobs/a%2Fb -> 503 Service Unavailable (attempt 1/3, "
    )
    assert retry.getMessage() == (
        "getJob: retrying GET /v1/projects/p/jobs/a%2Fb in 0.50 s after 503 Service Unavailable (attempt 1/3 failed)"
    )


def test_transport_failures_are_logged_with_the_error(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="demo_jobs")
    with refused_port() as port:
        client = DemoClient(token=TOKEN, base_url=f"http://127.0.0.1:{port}", retry=RetryPolicy.disabled())
        with client, pytest.raises(ApiError):
            get_job(client)
    (record,) = [record for record in caplog.records if record.name == "demo_jobs"]
    assert getattr(record, "http_status") is None
    assert getattr(record, "error") == "ConnectError"
    assert "ConnectError" in record.getMessage()


def test_async_client_logs_the_same_way(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="demo_jobs")

    async def run(url: str) -> None:
        async with AsyncDemoClient(token=TOKEN, base_url=url) as client:
            with pytest.raises(NotFoundError):
                await client.request(
                    GET_JOB, path_params=JOB_PARAMS, parse=lambda r: Job.model_validate_json(r.content)
                )

    with FaultServer([Reply.json(404, {"error": {"message": "gone"}})]) as server:
        asyncio.run(run(server.url))
    (record,) = [record for record in caplog.records if record.name == "demo_jobs"]
    assert (
        getattr(record, "http_method"),
        getattr(record, "http_status"),
        getattr(record, "attempt"),
    ) == (
        "GET",
        404,
        1,
    )


def test_resource_attributes_are_built_once_per_client() -> None:
    """``client.jobs`` is one object per client (sync and async), bound to that client, and it works."""
    from northflank_jobs import AsyncNorthflankClient, NorthflankClient
    from northflank_jobs.testing import FakeNorthflank

    fake = FakeNorthflank()
    with fake.client() as client, NorthflankClient(token=TOKEN, transport=fake) as other:
        jobs = client.jobs
        assert client.jobs is jobs and jobs is not other.jobs
        assert jobs._client is client and other.jobs._client is other
        assert jobs.get_job("job-1", project_id="p") == fake.jobs.get_job.example()
    assert fake.jobs.get_job.call_count == 1

    async def run() -> None:
        async with AsyncNorthflankClient(token=TOKEN, transport=fake) as aclient:
            assert aclient.jobs is aclient.jobs
            assert aclient.jobs._client is aclient
            await aclient.jobs.get_job("job-1", project_id="p")

    asyncio.run(run())
    assert fake.jobs.get_job.call_count == 2
