"""The testing fake of the committed Northflank client (northflank_jobs.testing), sync and async.

What a team testing its own code against the vendored client relies on: every
operation answers its spec example; a request the API would refuse is refused
with the API's status and error body, naming the field; configured answers,
failures and sequences; recorded calls; and a client factory whose retries keep
their attempt counts but never sleep, with a credential that is not a real one.
The agreement with Prism on the same calls is in tests/fake/test_against_prism.py.
"""

from __future__ import annotations

import ast
import asyncio
import json
import re
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from northflank_jobs import (
    ApiConnectionError,
    ApiTimeoutError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NorthflankClient,
    NotFoundError,
    RateLimitError,
    ResponseValidationError,
    RetryPolicy,
    UnprocessableEntityError,
)
from northflank_jobs._fake import FAKE_CREDENTIAL
from northflank_jobs.api import jobs as jobs_api
from northflank_jobs.models import Billing, CreateManualJobRequest, ErrorResponse, JobDetails, JobRun, RunJobRequest
from northflank_jobs.testing import (
    FakeError,
    FakeNorthflank,
    connection_refused,
    connection_reset,
    error,
    malformed_body,
    reply,
    timeout,
)

from tests.support.codegen import run_python
from tests.support.repo import GENERATED, SPEC

SPEC_DATA = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
PROJECT, JOB = "my-project", "my-job"
NEW_JOB = CreateManualJobRequest(
    name="nightly-report", billing=Billing(deployment_plan="nf-compute-20"), backoff_limit=0
)


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def run(fake: FakeNorthflank, mode: str, call: Callable[[Any], Any], **client_options: Any) -> Any:
    """``call(client)`` on a fresh client of ``fake``, sync or async; returns its result."""
    if mode == "sync":
        with fake.client(**client_options) as client:
            return call(client)

    async def main() -> Any:
        async with fake.async_client(**client_options) as client:
            return await call(client)

    return asyncio.run(main())


def raises(fake: FakeNorthflank, mode: str, call: Callable[[Any], Any], expected: type[Exception]) -> Any:
    with pytest.raises(expected) as caught:
        run(fake, mode, call)
    return caught.value


def get_job(client: Any) -> Any:
    return client.jobs.get_job(JOB, project_id=PROJECT)


def run_job(client: Any) -> Any:
    return client.jobs.run_job(JOB, project_id=PROJECT, body=RunJobRequest())


def spec_example(path: str, method: str) -> Any:
    """The first example of the operation's 200 response, straight from spec/openapi.yaml."""
    content = SPEC_DATA["paths"][path][method]["responses"]["200"]["content"]["application/json"]
    return next(iter(content["examples"].values()))["value"]


def send_unchecked(fake: FakeNorthflank, endpoint: Any, path_params: dict[str, str], body: Any) -> Any:
    """A body the client's own validation would refuse, sent anyway (``model_construct``)."""
    with fake.client(retry=RetryPolicy.disabled()) as client, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Pydantic serializer warnings")
        return client.request(endpoint, path_params=path_params, body=body, parse=lambda r: r)


# --- Default answers: the spec's examples ------------------------------------------------


CALLS = {
    "put_cron_job": ("/v1/projects/{projectId}/jobs/cron", "put"),
    "create_manual_job": ("/v1/projects/{projectId}/jobs/manual", "post"),
    "get_job": ("/v1/projects/{projectId}/jobs/{jobId}", "get"),
    "run_job": ("/v1/projects/{projectId}/jobs/{jobId}/runs", "post"),
}


def _request_example(path: str, method: str) -> Any:
    content = SPEC_DATA["paths"][path][method]["requestBody"]["content"]["application/json"]
    return next(iter(content["examples"].values()))["value"]


@pytest.mark.parametrize("name", sorted(CALLS))
def test_every_operation_answers_the_spec_example(mode: str, name: str) -> None:
    path, method = CALLS[name]
    fake = FakeNorthflank()
    args: dict[str, Any] = {"project_id": PROJECT}
    if "{jobId}" in path:
        args["job_id"] = JOB
    if method != "get":
        args["body"] = _request_example(path, method)
    result = run(fake, mode, lambda client: getattr(client.jobs, name)(**args))
    expected = spec_example(path, method)["data"]
    assert result.model_dump(mode="json", by_alias=True, exclude_unset=True) == expected
    assert result == getattr(fake.jobs, name).example()
    (call,) = getattr(fake.jobs, name).calls
    assert call.status == 200 and call.path_params == {k: v for k, v in args.items() if k != "body"}


def test_the_deprecated_operation_answers_on_both_of_its_paths(mode: str) -> None:
    fake = FakeNorthflank()
    body = _request_example("/v1/projects/{projectId}/jobs/manual", "put")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        run(fake, mode, lambda client: client.jobs.put_manual_job(PROJECT, body=body))
        result = run(fake, mode, lambda client: client.jobs.put_manual_job(PROJECT, team_id="my-team", body=body))
    assert result == fake.jobs.put_manual_job.example()
    first, second = fake.jobs.put_manual_job.calls
    assert (first.operation_id, first.path_params) == ("putManualJob", {"project_id": PROJECT})
    assert (second.operation_id, second.path_params) == (
        "putManualJobInTeam",
        {"project_id": PROJECT, "team_id": "my-team"},
    )
    assert second.request.url.path == f"/v1/teams/my-team/projects/{PROJECT}/jobs/manual"


def test_example_is_a_new_object_each_time() -> None:
    fake = FakeNorthflank()
    first = fake.jobs.get_job.example()
    first.name = "changed"
    assert fake.jobs.get_job.example().name == "Example Job"


# --- Routing ------------------------------------------------------------------------


def test_path_parameters_are_decoded_segments(mode: str) -> None:
    fake = FakeNorthflank()
    run(fake, mode, lambda client: client.jobs.get_job("a/b c%", project_id="p\u00f6"))
    assert fake.jobs.get_job.last_call.path_params == {"project_id": "p\u00f6", "job_id": "a/b c%"}


def test_a_literal_segment_wins_over_a_parameter_and_other_methods_fall_through() -> None:
    """As Prism routes them: PUT .../jobs/cron is putCronJob; GET .../jobs/cron is getJob with job id "cron"."""
    fake = FakeNorthflank()
    with httpx.Client(transport=fake, base_url=fake.base_url, headers={"Authorization": "Bearer t"}) as http:
        assert http.get(f"/v1/projects/{PROJECT}/jobs/cron").status_code == 200
    assert fake.jobs.get_job.last_call.path_params == {"project_id": PROJECT, "job_id": "cron"}
    assert fake.jobs.put_cron_job.call_count == 0


def test_unknown_paths_and_methods_are_404_and_405_in_the_api_error_shape() -> None:
    fake = FakeNorthflank()
    headers = {"Authorization": "Bearer t"}
    with httpx.Client(transport=fake, headers=headers) as http:
        missing = http.get(f"{fake.base_url}/v1/nothing/here")
        wrong_method = http.delete(f"{fake.base_url}/v1/projects/p/jobs/j")
        elsewhere = http.get("https://elsewhere.test/v1/projects/p/jobs/j")
    assert missing.status_code == 404 and missing.json()["error"]["status"] == 404
    assert wrong_method.status_code == 405 and "GET" in wrong_method.json()["error"]["message"]
    assert elsewhere.status_code == 200  # the host is not checked; the base path is
    assert [(r.operation, r.status) for r in fake.rejected] == [(None, 404), (None, 405)]
    assert fake.calls[0].operation == "jobs.get_job"


def test_a_fake_with_a_base_path_routes_below_it_only() -> None:
    fake = FakeNorthflank(base_url="http://127.0.0.1:9/api/")
    with fake.client() as client:
        assert client.base_url == "http://127.0.0.1:9/api"
        get_job(client)
    assert fake.jobs.get_job.last_call.request.url.path == f"/api/v1/projects/{PROJECT}/jobs/{JOB}"
    with NorthflankClient(token="t", base_url="http://127.0.0.1:9", transport=fake) as other:
        with pytest.raises(NotFoundError, match=re.escape("the fake serves http://127.0.0.1:9/api")):
            get_job(other)


# --- Checks: what the API would refuse -------------------------------------------------


def test_an_invalid_body_gets_the_api_status_and_names_every_field(mode: str) -> None:
    fake = FakeNorthflank()
    body = CreateManualJobRequest.model_construct(name="x", billing={"deploymentPlan": "nf compute"}, backoffLimit=0)
    fake.jobs.create_manual_job.answers(error(500))  # kept for the next valid request

    async def send_async() -> Any:
        async with fake.async_client(retry=RetryPolicy.disabled()) as client:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Pydantic serializer warnings")
                return await client.request(
                    jobs_api._CREATE_MANUAL_JOB, path_params={"projectId": "p"}, body=body, parse=str
                )

    with pytest.raises(UnprocessableEntityError) as caught:
        if mode == "sync":
            send_unchecked(fake, jobs_api._CREATE_MANUAL_JOB, {"projectId": "p"}, body)
        else:
            asyncio.run(send_async())
    assert caught.value.status_code == 422
    assert caught.value.details == [
        {
            "in": "body",
            "field": "name",
            "type": "string_too_short",
            "message": "String should have at least 3 characters",
        },
        {
            "in": "body",
            "field": "billing.deploymentPlan",
            "type": "string_pattern_mismatch",
            "message": "String should match pattern '^[A-Za-z0-9-]+$'",
        },
    ]
    assert "body.billing.deploymentPlan" in caught.value.message
    (rejection,) = fake.rejected
    assert rejection.operation == "jobs.create_manual_job"
    assert rejection.fields == ["body.name", "body.billing.deploymentPlan"]
    assert fake.jobs.create_manual_job.calls == []  # refused requests are not calls, and take no step
    raises(fake, mode, lambda c: c.jobs.create_manual_job("p", body=NEW_JOB), InternalServerError)


def test_error_bodies_of_the_fake_fit_the_specs_error_schema() -> None:
    fake = FakeNorthflank()
    fake.jobs.get_job.fails(409, "taken", error_id="conflict-1", details={"name": "nightly"})
    with fake.client() as client, pytest.raises(ConflictError) as caught:
        get_job(client)
    parsed = ErrorResponse.model_validate_json(caught.value.response.content)
    assert (parsed.error.message, parsed.error.id, parsed.error.details) == ("taken", "conflict-1", {"name": "nightly"})
    refused = send_unchecked_refusal(fake)
    ErrorResponse.model_validate_json(refused.response.content)


def send_unchecked_refusal(fake: FakeNorthflank) -> UnprocessableEntityError:
    body = RunJobRequest.model_construct(billing={"deploymentPlan": "no spaces allowed"})
    with pytest.raises(UnprocessableEntityError) as caught:
        send_unchecked(fake, jobs_api._RUN_JOB, {"projectId": "p", "jobId": "j"}, body)
    return caught.value


def test_undeclared_keys_are_refused_as_the_client_refuses_them() -> None:
    """Stricter than Prism (which ignores them), as the client's own request contract is."""
    fake = FakeNorthflank()
    body = RunJobRequest.model_construct(runtimeEnviroment={"A": "1"})  # sic
    with pytest.raises(UnprocessableEntityError) as caught:
        send_unchecked(fake, jobs_api._RUN_JOB, {"projectId": "p", "jobId": "j"}, body)
    assert caught.value.details[0]["field"] == "runtimeEnviroment"
    assert "did you mean 'runtimeEnvironment'" in caught.value.details[0]["message"]


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b'{"name": ', "application/json", 400),
        (b"", "application/json", 422),
        (b"name=nightly", "application/x-www-form-urlencoded", 415),
        (b"[1, 2]", "application/json", 422),
        (b'{"backoffLimit": NaN}', "application/json", 400),
    ],
    ids=["broken-json", "no-body", "form", "array", "nan"],
)
def test_bodies_the_api_cannot_read(content: bytes, content_type: str, status: int) -> None:
    fake = FakeNorthflank()
    with httpx.Client(transport=fake, base_url=fake.base_url) as http:
        response = http.post(
            "/v1/projects/p/jobs/manual",
            content=content,
            headers={"Authorization": "Bearer t", "Content-Type": content_type},
        )
    assert response.status_code == status, response.text
    assert fake.rejected[0].status == status and fake.calls == []


@pytest.mark.parametrize(
    "authorization",
    [None, "Basic dXNlcjpwYXNz", "Bearer ", "Token abc"],
    ids=["none", "basic", "empty-bearer", "other-scheme"],
)
def test_requests_without_a_bearer_token_are_401(authorization: str | None) -> None:
    fake = FakeNorthflank()
    request = httpx.Request("GET", f"{fake.base_url}/v1/projects/p/jobs/j")
    if authorization is not None:
        request.headers["Authorization"] = authorization
    response = fake.handle_request(request)
    assert response.status_code == 401
    assert json.loads(response.read())["error"]["message"] == "Missing or invalid credentials"
    assert fake.rejected[0].operation == "jobs.get_job"


# --- Configured answers -----------------------------------------------------------------


def test_returns_answers_every_call_with_the_value(mode: str) -> None:
    fake = FakeNorthflank()
    job = fake.jobs.get_job.example().model_copy(update={"name": "Renamed"})
    fake.jobs.get_job.returns(job)
    first = run(fake, mode, get_job)
    second = run(fake, mode, get_job)
    assert first == second == job and first is not job


def test_returns_checks_the_value_against_the_response_model_when_told() -> None:
    fake = FakeNorthflank()
    run_result = fake.jobs.run_job.example()
    with pytest.raises(FakeError, match=r"fake.jobs.get_job answers JobDetails, not JobRun"):
        fake.jobs.get_job.returns(run_result)  # type: ignore[arg-type]  # mypy refuses it too
    broken = JobDetails.model_construct(**{**fake.jobs.get_job.example().__dict__, "name": 5})
    with pytest.raises(FakeError, match=r"data\.name: Input should be a valid string"):
        fake.jobs.get_job.returns(broken)
    assert fake.jobs.get_job.example().name == "Example Job"  # nothing was configured


def test_fails_raises_the_status_error_with_the_apis_fields(mode: str) -> None:
    fake = FakeNorthflank()
    fake.jobs.create_manual_job.fails(409, "A job named nightly-report exists", error_id="job-exists", details=[1])
    caught = raises(fake, mode, lambda c: c.jobs.create_manual_job(PROJECT, body=NEW_JOB), ConflictError)
    assert (caught.message, caught.error_id, caught.details) == ("A job named nightly-report exists", "job-exists", [1])
    # The spec's declared error shape (ErrorResponse, its "default" response), which has no "status".
    assert caught.body == {
        "error": {"message": "A job named nightly-report exists", "id": "job-exists", "details": [1]}
    }
    assert fake.jobs.create_manual_job.last_call.body == NEW_JOB
    assert fake.jobs.create_manual_job.last_call.status == 409


def test_a_429_on_post_is_retried_with_its_retry_after_and_no_sleeping(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_sleep(seconds: float) -> None:
        raise AssertionError("the test client slept")

    monkeypatch.setattr(time, "sleep", no_sleep)
    fake = FakeNorthflank()
    fake.jobs.run_job.fails(429, retry_after=90)
    started = time.monotonic()
    caught = raises(fake, mode, run_job, RateLimitError)
    assert time.monotonic() - started < 5
    assert caught.retry_after == 90
    assert fake.jobs.run_job.call_count == 3  # the default policy's attempts
    assert fake.sleeps == [60.0, 60.0]  # Retry-After, capped by the policy's retry_after_max


def test_the_policy_decides_what_is_retried(mode: str) -> None:
    fake = FakeNorthflank()
    fake.jobs.run_job.fails(503)  # a POST may have been acted on: not retried
    raises(fake, mode, run_job, InternalServerError)
    fake.jobs.get_job.fails(503)  # a GET is
    raises(fake, mode, get_job, InternalServerError)
    assert (fake.jobs.run_job.call_count, fake.jobs.get_job.call_count) == (1, 3)
    assert fake.sleeps == [0.5, 1.0]  # backoff, jitter pinned at its ceiling
    fake.reset()
    fake.jobs.get_job.fails(503)
    with pytest.raises(InternalServerError):
        run(fake, mode, get_job, retry=RetryPolicy(max_attempts=5, backoff_initial=2.0, jitter=False))
    assert fake.jobs.get_job.call_count == 5 and fake.sleeps == [2.0, 4.0, 8.0, 8.0]


@pytest.mark.parametrize(
    ("configure", "expected", "cause", "get_attempts", "post_attempts"),
    [
        (lambda op: op.times_out(), ApiTimeoutError, httpx.ReadTimeout, 3, 1),
        (lambda op: op.times_out("connect"), ApiTimeoutError, httpx.ConnectTimeout, 3, 3),
        (lambda op: op.times_out("write"), ApiTimeoutError, httpx.WriteTimeout, 3, 1),
        (lambda op: op.times_out("pool"), ApiTimeoutError, httpx.PoolTimeout, 3, 3),
        (lambda op: op.resets_connection(), ApiConnectionError, httpx.ReadError, 3, 1),
        (lambda op: op.refuses_connection(), ApiConnectionError, httpx.ConnectError, 3, 3),
    ],
    ids=["read-timeout", "connect-timeout", "write-timeout", "pool-timeout", "reset", "refused"],
)
def test_transport_failures_are_the_httpx_exceptions_a_real_transport_raises(
    mode: str,
    configure: Callable[[Any], None],
    expected: type[Exception],
    cause: type[Exception],
    get_attempts: int,
    post_attempts: int,
) -> None:
    fake = FakeNorthflank()
    configure(fake.jobs.get_job)
    configure(fake.jobs.run_job)
    caught = raises(fake, mode, get_job, expected)
    assert type(caught.__cause__) is cause
    raises(fake, mode, run_job, expected)
    assert (fake.jobs.get_job.call_count, fake.jobs.run_job.call_count) == (get_attempts, post_attempts)
    assert {call.status for call in fake.calls} == {None}


def test_a_malformed_body_is_a_response_validation_error(mode: str) -> None:
    fake = FakeNorthflank()
    fake.jobs.get_job.returns_malformed_body()
    caught = raises(fake, mode, get_job, ResponseValidationError)
    assert "Invalid JSON" in str(caught)
    fake.jobs.get_job.answers(malformed_body(b"<html>gateway</html>", status=200, content_type="text/html"))
    caught = raises(fake, mode, get_job, ResponseValidationError)
    assert caught.body == "<html>gateway</html>"


def test_answers_is_a_sequence_one_step_per_request(mode: str) -> None:
    fake = FakeNorthflank()
    job = fake.jobs.get_job.example()
    fake.jobs.get_job.answers(error(503), timeout(), connection_reset(), job)
    raises(fake, mode, get_job, ApiConnectionError)  # the default policy gives up after three attempts
    assert [c.status for c in fake.jobs.get_job.calls] == [503, None, None]
    assert run(fake, mode, get_job) == job  # the next request takes the next step


def test_a_sequence_longer_than_the_retries(mode: str) -> None:
    fake = FakeNorthflank()
    job = fake.jobs.get_job.example()
    fake.jobs.get_job.answers(error(503), connection_refused(), job)
    assert run(fake, mode, get_job) == job
    assert [c.status for c in fake.jobs.get_job.calls] == [503, None, 200]
    caught = raises(fake, mode, get_job, FakeError)
    assert "called more often than its answers(...) had steps" in str(caught)
    assert fake.jobs.get_job.calls[-1].status is None


def test_reply_sends_anything_unchecked_and_the_client_keeps_unknown_values(mode: str) -> None:
    fake = FakeNorthflank()
    data = fake.jobs.get_job.example().model_dump(mode="json", by_alias=True, exclude_unset=True)
    data["jobType"] = "serverless"  # a value a newer API may send
    fake.jobs.get_job.answers(reply(200, body={"data": data}, headers={"x-request-id": "r1"}))
    job = run(fake, mode, get_job)
    assert job.job_type.name == "UNKNOWN" and job.job_type.value == "serverless"
    fake.jobs.get_job.answers(reply(400, content=b"plain words"))
    caught = raises(fake, mode, get_job, BadRequestError)
    assert caught.message == "non-JSON response body: plain words"
    with pytest.raises(ValueError, match="not both"):
        reply(200, body={}, content=b"")


def test_steps_refuse_nonsense_when_built() -> None:
    with pytest.raises(ValueError, match="300-599"):
        error(200)
    with pytest.raises(ValueError, match="phase"):
        timeout("lunch")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one"):
        FakeNorthflank().jobs.get_job.answers()
    with pytest.raises(FakeError, match="answers 200, not 201"):
        FakeNorthflank().jobs.get_job.returns(FakeNorthflank().jobs.get_job.example(), status=201)


def test_reset_forgets_answers_and_calls() -> None:
    fake = FakeNorthflank()
    fake.jobs.get_job.fails(404)
    with fake.client() as client, pytest.raises(NotFoundError):
        get_job(client)
    fake.reset()
    assert fake.calls == [] and fake.jobs.get_job.calls == [] and fake.rejected == [] and fake.sleeps == []
    with fake.client() as client:
        assert get_job(client) == fake.jobs.get_job.example()


# --- Recorded calls ------------------------------------------------------------------


def test_calls_hold_the_body_as_the_model_in_order_across_operations(mode: str) -> None:
    fake = FakeNorthflank()
    plain = {"name": "nightly-report", "billing": {"deploymentPlan": "nf-compute-20"}, "backoffLimit": 0}
    run(fake, mode, lambda c: c.jobs.create_manual_job(PROJECT, body=plain))
    run(fake, mode, run_job)
    created, ran = fake.calls
    assert created.operation == "jobs.create_manual_job" and ran.operation == "jobs.run_job"
    assert type(created.body) is CreateManualJobRequest and created.body == NEW_JOB
    assert created.body.billing.deployment_plan == "nf-compute-20"
    assert ran.body == RunJobRequest() and ran.query == {} and ran.headers == {} and ran.cookies == {}
    assert fake.jobs.create_manual_job.last_call is created


def test_last_call_without_calls_is_a_fake_error() -> None:
    with pytest.raises(FakeError, match=r"fake\.jobs\.get_job was never called"):
        _ = FakeNorthflank().jobs.get_job.last_call


def test_the_test_client_never_uses_a_real_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORTHFLANK_API_TOKEN", "nf-REAL-secret")
    fake = FakeNorthflank()
    with fake.client() as client:
        get_job(client)
        assert "nf-REAL-secret" not in repr(client) and FAKE_CREDENTIAL not in repr(client)
    call = fake.jobs.get_job.last_call
    assert call.request.headers["authorization"] == f"Bearer {FAKE_CREDENTIAL}"
    assert "nf-REAL-secret" not in repr(call) and FAKE_CREDENTIAL not in repr(call)
    assert FAKE_CREDENTIAL not in repr(fake)


def test_a_client_of_your_own_works_on_the_fake_too() -> None:
    fake = FakeNorthflank()
    with NorthflankClient(token="t", transport=fake) as client:
        assert client.jobs.get_job(JOB, project_id=PROJECT) == fake.jobs.get_job.example()
    with NorthflankClient(token="t", http_client=httpx.Client(transport=fake)) as client:
        assert type(client.jobs.run_job(JOB, project_id=PROJECT, body={})) is JobRun
    assert fake.sleeps == []  # such a client sleeps for real, and records nothing


def test_the_fake_is_safe_from_threads() -> None:
    fake = FakeNorthflank()
    fake.jobs.get_job.answers(*[fake.jobs.get_job.example() for _ in range(40)])
    with fake.client() as client, ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: get_job(client), range(40)))
    assert len(results) == 40 and fake.jobs.get_job.call_count == len(fake.calls) == 40


def _imported_modules(text: str) -> set[str]:
    """The sibling modules a generated module imports (``from ._fake import`` or ``from . import _fake``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom) and node.level:
            found.update([node.module.split(".")[-1]] if node.module else [a.name for a in node.names])
    return found


def test_only_the_testing_module_imports_the_fake() -> None:
    fake_modules = {"_fake", "_fake_checks", "testing"}
    importers = sorted(
        str(path.relative_to(GENERATED))
        for path in (GENERATED / "northflank_jobs").rglob("*.py")
        if _imported_modules(path.read_text()) & fake_modules
    )
    assert importers == ["northflank_jobs/_fake.py", "northflank_jobs/testing.py"]


@pytest.mark.slow  # a fresh interpreter
def test_using_the_client_loads_none_of_the_fake(tmp_path: Path) -> None:
    code = (
        "import sys, httpx\n"
        "from northflank_jobs import NorthflankClient\n"
        "handler = lambda request: httpx.Response(200, json={'data': {'id': 'r', 'runName': 'n'}})\n"
        "with NorthflankClient(token='t', transport=httpx.MockTransport(handler)) as client:\n"
        "    client.jobs.run_job('j', project_id='p', body={})\n"
        "print(sorted(m for m in sys.modules if 'fake' in m or m.endswith('testing')))\n"
    )
    proc = run_python(code, cwd=tmp_path, pythonpath=GENERATED)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_the_fake_is_an_httpx_transport_both_ways() -> None:
    fake = FakeNorthflank()
    assert isinstance(fake, httpx.BaseTransport) and isinstance(fake, httpx.AsyncBaseTransport)
    assert repr(fake) == "<FakeNorthflank https://api.northflank.com calls=0>"
    assert repr(fake.jobs.get_job) == "<FakeOperation jobs.get_job calls=0>"


def test_the_generated_readmes_testing_examples_run() -> None:
    readme = (GENERATED / "northflank_jobs" / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Testing code that uses the client") : readme.index("## Operations")]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 6
    namespace: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    asyncio.run(namespace["test_async"]())
    assert namespace["fake"].jobs.get_job.call_count == 1
