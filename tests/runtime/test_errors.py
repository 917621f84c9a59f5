"""The error hierarchy: which exception each failure becomes, and what it says."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx
import pydantic
import pytest
from northflank_jobs._base_client import AsyncApiClient, Endpoint, SyncApiClient, validate_body
from northflank_jobs._retry import RetryPolicy
from northflank_jobs.errors import (
    ApiConnectionError,
    ApiError,
    ApiStatusError,
    ApiTimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    ResponseValidationError,
    TransportError,
    UnprocessableEntityError,
    format_error_location,
    status_error_from_response,
)

from tests.support.fault_server import FaultServer, Reply

# --- A miniature of what the generator emits ---------------------------------------


class Vcs(pydantic.BaseModel):
    project_url: str = pydantic.Field(alias="projectUrl", pattern=r"^https://")
    branch: str | None = None


class Deployment(pydantic.BaseModel):
    vcs: Vcs


class Port(pydantic.BaseModel):
    name: str
    internal_port: int = pydantic.Field(alias="internalPort")


class JobCreate(pydantic.BaseModel):
    name: str
    deployment: Deployment
    ports: list[Port] = []
    runtime_environment: dict[str, str] = pydantic.Field(default_factory=dict, alias="runtimeEnvironment")


class Job(pydantic.BaseModel):
    id: str
    name: str


CREATE_JOB = Endpoint("POST", "/v1/projects/{projectId}/jobs", "createJob", idempotent=False)
GET_JOB = Endpoint("GET", "/v1/projects/{projectId}/jobs/{jobId}", "getJob", idempotent=True)


class DemoClient(SyncApiClient):
    default_base_url = "https://api.invalid"
    user_agent = "demo/0.1"

    def __init__(self, *, token: str | None = None, **kwargs: Any) -> None:
        super().__init__(credentials={"bearer": token}, **kwargs)

    def create_job(self, project_id: str, body: JobCreate | Mapping[str, Any]) -> Job:
        payload = validate_body(JobCreate, body)
        return self.request(
            CREATE_JOB,
            path_params={"projectId": project_id},
            body=payload,
            parse=lambda r: Job.model_validate_json(r.content),
        ).parsed

    def get_job(self, project_id: str, job_id: str) -> Job:
        return self.request(
            GET_JOB,
            path_params={"projectId": project_id, "jobId": job_id},
            parse=lambda r: Job.model_validate_json(r.content),
        ).parsed


class AsyncDemoClient(AsyncApiClient):
    default_base_url = "https://api.invalid"
    user_agent = "demo/0.1"

    def __init__(self, *, token: str | None = None, **kwargs: Any) -> None:
        super().__init__(credentials={"bearer": token}, **kwargs)

    async def get_job(self, project_id: str, job_id: str) -> Job:
        response = await self.request(
            GET_JOB,
            path_params={"projectId": project_id, "jobId": job_id},
            parse=lambda r: Job.model_validate_json(r.content),
        )
        return response.parsed


VALID_BODY: dict[str, Any] = {
    "name": "build",
    "deployment": {"vcs": {"projectUrl": "https://github.com/o/r"}},
}


def client_for(server: FaultServer) -> DemoClient:
    return DemoClient(token="t", base_url=server.url, retry=RetryPolicy.disabled(), timeout=2.0)


def response(
    status: int,
    *,
    json: object = None,
    text: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """A read response to ``GET /v1/projects/p/jobs/j``, as the client would hold it."""
    request = httpx.Request("GET", "https://api.invalid/v1/projects/p/jobs/j")
    if text is not None:
        return httpx.Response(status, text=text, headers=headers, request=request)
    return httpx.Response(status, json=json, headers=headers, request=request)


def nf_error(message: str, error_id: str | None = None, details: object = None) -> dict[str, object]:
    error: dict[str, object] = {"message": message}
    if error_id is not None:
        error["id"] = error_id
    if details is not None:
        error["details"] = details
    return {"error": error}


# --- The hierarchy ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        (RequestValidationError, ApiError),
        (RequestValidationError, ValueError),
        (ResponseValidationError, ApiError),
        (TransportError, ApiError),
        (ApiConnectionError, TransportError),
        (ApiTimeoutError, TransportError),
        (ApiStatusError, ApiError),
        (BadRequestError, ApiStatusError),
        (AuthenticationError, ApiStatusError),
        (PermissionDeniedError, ApiStatusError),
        (NotFoundError, ApiStatusError),
        (ConflictError, ApiStatusError),
        (UnprocessableEntityError, ApiStatusError),
        (RateLimitError, ApiStatusError),
        (InternalServerError, ApiStatusError),
    ],
)
def test_hierarchy(child: type[Exception], parent: type[Exception]) -> None:
    assert issubclass(child, parent)


def test_branches_are_disjoint() -> None:
    assert not issubclass(ApiTimeoutError, ApiConnectionError)
    assert not issubclass(ResponseValidationError, ValueError)  # the caller's input was fine
    assert not issubclass(ApiStatusError, TransportError)


# --- status_error_from_response -----------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
    ],
)
def test_status_picks_subclass_and_unpacks_error_body(status: int, error_class: type[ApiStatusError]) -> None:
    details = {"fields": ["name"]}
    exc = status_error_from_response(response(status, json=nf_error("It went wrong", "err-42", details)))
    assert type(exc) is error_class
    assert exc.status_code == status
    assert exc.message == "It went wrong"
    assert exc.error_id == "err-42"
    assert exc.details == details
    assert exc.body == nf_error("It went wrong", "err-42", details)
    assert exc.response.status_code == status


@pytest.mark.parametrize("status", [402, 405, 410, 418])
def test_other_4xx_are_plain_status_errors(status: int) -> None:
    exc = status_error_from_response(response(status, json=nf_error("nope")))
    assert type(exc) is ApiStatusError
    assert exc.message == "nope"


def test_str_is_one_helpful_line() -> None:
    exc = status_error_from_response(response(404, json=nf_error("Job not found", "abc123")))
    assert str(exc) == "404 Not Found: Job not found (error id abc123) [GET /v1/projects/p/jobs/j]"


def test_str_mentions_details_and_request_id() -> None:
    exc = status_error_from_response(
        response(
            400,
            json=nf_error("Invalid body", details={"name": "required"}),
            headers={"X-Request-Id": "req-9"},
        )
    )
    assert exc.request_id == "req-9"
    assert str(exc) == (
        '400 Bad Request: Invalid body [GET /v1/projects/p/jobs/j] (request id req-9) details: {"name": "required"}'
    )


def test_optional_fields_may_be_absent() -> None:
    exc = status_error_from_response(response(409, json=nf_error("Name taken")))
    assert (exc.error_id, exc.details, exc.request_id) == (None, None, None)
    assert str(exc) == "409 Conflict: Name taken [GET /v1/projects/p/jobs/j]"


def test_rate_limit_error_carries_retry_after() -> None:
    limited = status_error_from_response(response(429, json=nf_error("Slow down"), headers={"Retry-After": "12"}))
    assert isinstance(limited, RateLimitError)
    assert limited.retry_after == 12.0
    unhinted = status_error_from_response(response(429, json=nf_error("Slow down")))
    assert isinstance(unhinted, RateLimitError)
    assert unhinted.retry_after is None


def test_html_error_body_is_kept_raw() -> None:
    html = "<html>\n  <body>\n    <h1>502 Bad Gateway</h1>\n  </body>\n</html>\n"
    exc = status_error_from_response(response(502, text=html))
    assert isinstance(exc, InternalServerError)
    assert exc.body == html
    assert exc.error_id is None
    # Whitespace collapsed, so the message stays on one line.
    assert exc.message == "non-JSON response body: <html> <body> <h1>502 Bad Gateway</h1> </body> </html>"
    assert str(exc) == (
        "502 Bad Gateway: non-JSON response body: <html> <body> <h1>502 Bad Gateway</h1> </body> </html>"
        " [GET /v1/projects/p/jobs/j]"
    )


def test_long_raw_body_is_truncated_in_message_not_in_body() -> None:
    text = "x" * 5000
    exc = status_error_from_response(response(500, text=text))
    assert exc.body == text
    assert len(str(exc)) < 300
    assert exc.message.endswith("...")


def test_json_of_another_shape_is_summarised() -> None:
    exc = status_error_from_response(response(500, json={"status": "broken"}))
    assert exc.body == {"status": "broken"}
    assert exc.message == 'unexpected error body: {"status":"broken"}'  # the raw text, as sent


def test_flat_message_shape_from_a_gateway_is_understood() -> None:
    exc = status_error_from_response(response(503, json={"message": "Service Unavailable"}))
    assert exc.message == "Service Unavailable"


@pytest.mark.parametrize("body", [nf_error("x") | {"error": {"message": 5}}, {"error": "flat string"}, [1, 2]])
def test_malformed_error_shapes_do_not_crash(body: object) -> None:
    exc = status_error_from_response(response(400, json=body))
    assert exc.message.startswith("unexpected error body: ")
    assert exc.body == body


def test_empty_error_body() -> None:
    exc = status_error_from_response(response(500, text=""))
    assert exc.message == "(empty response body)"
    assert exc.body == ""


def test_status_errors_through_the_client() -> None:
    with FaultServer([Reply.json(404, nf_error("Job not found", "abc123"))]) as server:
        with client_for(server) as client, pytest.raises(NotFoundError) as caught:
            client.get_job("p", "j")
    assert str(caught.value) == "404 Not Found: Job not found (error id abc123) [GET /v1/projects/p/jobs/j]"
    assert caught.value.response.request.url.path == "/v1/projects/p/jobs/j"


def test_status_errors_through_the_async_client() -> None:
    async def run() -> None:
        async with AsyncDemoClient(token="t", base_url=server.url, retry=RetryPolicy.disabled()) as client:
            await client.get_job("p", "j")

    with FaultServer([Reply.json(403, nf_error("Forbidden", "id-7"))]) as server:
        with pytest.raises(PermissionDeniedError) as caught:
            asyncio.run(run())
    assert caught.value.error_id == "id-7"


# --- ResponseValidationError -------------------------------------------------------


def test_2xx_body_breaking_the_schema() -> None:
    with FaultServer([Reply.json(200, {"id": 17})]) as server:
        with client_for(server) as client, pytest.raises(ResponseValidationError) as caught:
            client.get_job("p", "j")
    exc = caught.value
    assert exc.body == {"id": 17}
    assert exc.response.status_code == 200
    assert {(error["loc"], error["type"]) for error in exc.errors} == {
        (("id",), "string_type"),
        (("name",), "missing"),
    }
    assert all("input" not in error for error in exc.errors)  # the values are in .body already
    assert str(exc).splitlines() == [
        "Unexpected 200 OK response body for GET /v1/projects/p/jobs/j: 2 validation errors",
        "  id: Input should be a valid string",
        "  name: Field required",
    ]


def test_2xx_body_that_is_not_json() -> None:
    with FaultServer([Reply(200, {"Content-Type": "text/html"}, b"<html>maintenance</html>")]) as server:
        with client_for(server) as client, pytest.raises(ResponseValidationError) as caught:
            client.get_job("p", "j")
    assert caught.value.body == "<html>maintenance</html>"
    assert caught.value.errors[0]["type"] == "json_invalid"


def test_parse_raising_json_error_is_wrapped() -> None:
    import json

    with FaultServer([Reply(200, {}, b"{not json")]) as server, client_for(server) as client:
        with pytest.raises(ResponseValidationError) as caught:
            client.request(GET_JOB, path_params={"projectId": "p", "jobId": "j"}, parse=lambda r: json.loads(r.content))
    assert caught.value.errors[0]["type"] == "json_invalid"
    assert isinstance(caught.value.body, str)


def test_response_validation_errors_are_not_retried() -> None:
    with FaultServer([Reply.json(200, {"id": 1}), Reply.json(200, {"id": "j", "name": "n"})]) as server:
        with (
            DemoClient(token="t", base_url=server.url) as client,
            pytest.raises(ResponseValidationError),
        ):
            client.get_job("p", "j")
    assert server.hits == 1


# --- RequestValidationError ------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected_line"),
    [
        ({"deployment": VALID_BODY["deployment"]}, "  name: Field required"),
        (
            {**VALID_BODY, "deployment": {"vcs": {"projectUrl": "git@github.com:o/r"}}},
            "  deployment.vcs.projectUrl: String should match pattern '^https://'",
        ),
        ({**VALID_BODY, "name": ["not", "a", "string"]}, "  name: Input should be a valid string"),
        (
            {
                **VALID_BODY,
                "ports": [
                    {"name": "http", "internalPort": 80},
                    {"name": "x", "internalPort": "eighty"},
                ],
            },
            "  ports[1].internalPort: Input should be a valid integer, unable to parse string as an integer",
        ),
        ({"name": "build"}, "  deployment: Field required"),
    ],
    ids=["missing", "pattern", "wrong-type", "nested-list", "missing-object"],
)
def test_invalid_body_names_the_field_and_sends_nothing(body: dict[str, Any], expected_line: str) -> None:
    with FaultServer([Reply.json(201, {"id": "j", "name": "build"})]) as server:
        with client_for(server) as client, pytest.raises(RequestValidationError) as caught:
            client.create_job("p", body)
    assert server.hits == 0
    assert expected_line in str(caught.value).splitlines()
    assert isinstance(caught.value, ValueError)
    assert caught.value.errors


def test_every_offending_field_is_listed() -> None:
    with pytest.raises(RequestValidationError) as caught:
        validate_body(JobCreate, {"deployment": {"vcs": {"projectUrl": "ftp://x"}}, "ports": [{"name": "a"}]})
    assert str(caught.value).splitlines() == [
        "Invalid JobCreate request body: 3 validation errors",
        "  name: Field required",
        "  deployment.vcs.projectUrl: String should match pattern '^https://'",
        "  ports[0].internalPort: Field required",
    ]
    assert len(caught.value.errors) == 3


def test_unvalidated_model_instance_is_revalidated() -> None:
    sneaky = JobCreate.model_construct(
        name="build",
        deployment=Deployment.model_construct(vcs=Vcs.model_construct(project_url="ftp://x")),
    )
    with FaultServer() as server, client_for(server) as client, pytest.raises(RequestValidationError) as caught:
        client.create_job("p", sneaky)
    assert server.hits == 0
    assert "  deployment.vcs.projectUrl: String should match pattern '^https://'" in str(caught.value).splitlines()


def test_mutated_model_instance_is_revalidated() -> None:
    body = JobCreate.model_validate(VALID_BODY)
    body.name = 42  # type: ignore[assignment]  # no validate_assignment: pydantic allows it
    with pytest.raises(RequestValidationError, match="name: Input should be a valid string"):
        validate_body(JobCreate, body)


def test_valid_model_instance_round_trips_unchanged() -> None:
    body = JobCreate.model_validate({**VALID_BODY, "runtimeEnvironment": {"A": "1"}})
    checked = validate_body(JobCreate, body)
    assert checked == body
    assert checked.model_fields_set == body.model_fields_set  # unset fields stay unset, so stay unsent


def test_validation_messages_do_not_repeat_input_values() -> None:
    secret = "hunter2-database-password"
    with pytest.raises(RequestValidationError) as caught:
        validate_body(JobCreate, {**VALID_BODY, "runtimeEnvironment": {"DB_PASSWORD": [secret]}})
    assert "runtimeEnvironment.DB_PASSWORD: Input should be a valid string" in str(caught.value)
    assert secret not in str(caught.value)
    assert secret not in repr(caught.value)
    assert secret not in repr(caught.value.errors)
    assert caught.value.__cause__ is None  # pydantic's own message would quote the input
    assert caught.value.__suppress_context__


def test_validate_body_rejects_other_types() -> None:
    """Not an object: the same RequestValidationError as any other body the schema refuses."""
    with pytest.raises(RequestValidationError, match="Input should be an object"):
        validate_body(JobCreate, ["name", "build"])


@pytest.mark.parametrize("job_id", ["", ".", ".."])
def test_path_params_that_would_change_the_path_are_refused(job_id: str) -> None:
    with FaultServer() as server, client_for(server) as client, pytest.raises(RequestValidationError) as caught:
        client.get_job("p", job_id)
    assert server.hits == 0
    assert str(caught.value).splitlines()[1].startswith("  jobId: Path parameter must not be empty")


def test_generator_bugs_in_path_params_are_plain_value_errors() -> None:
    with DemoClient(token="t") as client:
        with pytest.raises(ValueError, match="missing path parameter 'jobId'"):
            client.request(GET_JOB, path_params={"projectId": "p"}, parse=lambda r: r.content)
        with pytest.raises(ValueError, match=r"unknown path parameters \['extra'\]"):
            client.request(
                GET_JOB, path_params={"projectId": "p", "jobId": "j", "extra": "x"}, parse=lambda r: r.content
            )


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        (("name",), "name"),
        (("deployment", "vcs", "projectUrl"), "deployment.vcs.projectUrl"),
        (("ports", 0, "name"), "ports[0].name"),
        ((3,), "[3]"),
        ((), "(body)"),
    ],
)
def test_format_error_location(loc: tuple[int | str, ...], expected: str) -> None:
    assert format_error_location(loc) == expected


# --- Transport errors -----------------------------------------------------------


def test_transport_errors_name_the_request_and_chain_the_cause() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client = DemoClient(token="t", transport=httpx.MockTransport(handler), retry=RetryPolicy.disabled())
    with client, pytest.raises(ApiTimeoutError) as caught:
        client.get_job("p", "j")
    assert str(caught.value) == "Timed out: GET /v1/projects/p/jobs/j (ReadTimeout: timed out)"
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert caught.value.request.url.path == "/v1/projects/p/jobs/j"


def test_connection_errors_are_not_timeouts() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    client = DemoClient(token="t", transport=httpx.MockTransport(handler), retry=RetryPolicy.disabled())
    with client, pytest.raises(ApiConnectionError) as caught:
        client.get_job("p", "j")
    assert not isinstance(caught.value, ApiTimeoutError)
    assert (
        str(caught.value)
        == "Connection failed: GET /v1/projects/p/jobs/j (ConnectError: [Errno 111] Connection refused)"
    )
