"""Contract tests: the generated client against Stoplight Prism, an independent mock of the API.

Prism (pinned in package.json) serves a test copy of ``spec/openapi.yaml`` whose regex
patterns are respelt for JavaScript's unicode mode (see ``prism_patterns``), so that it
really validates request bodies. Every operation is called through the generated client,
sync and async, plain and ``with_raw_response``, with the spec's example request: Prism must
accept the request (no violation reported) and its example response must parse into the
generated models. Bodies that bypass the client's own validation must come back as
Prism's validation error, surfaced as the matching exception; and for every operation
Prism is shown to reject invalid bodies, which it does not do with the spec as written.

What Prism 5.14.2 does, as these tests rely on it:

* static mode (the default) answers with the first example of the 200 response;
* an invalid request gets the operation's 422, else its 400, else a 422 built from its
  ``default`` response (here: the ErrorResponse schema filled with placeholder values);
  the violations themselves are listed in the ``sl-violations`` response header;
* ``--errors`` adds a 500 problem document when Prism's *own response* violates the spec
  (request violations are answered 422 with or without it);
* a missing or non-bearer ``Authorization`` header gets a 401;
* when a schema of a body fails to compile (Ajv compiles patterns with the ``u`` flag),
  the whole body goes unvalidated and the request is answered 200.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import socket
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pydantic
import pytest
from northflank_jobs import (
    AsyncNorthflankClient,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NorthflankClient,
    RequestValidationError,
    RetryPolicy,
    UnprocessableEntityError,
)
from northflank_jobs._base_client import Endpoint, validate_body
from northflank_jobs.api import jobs as jobs_api
from northflank_jobs.models import (
    CreateManualJobRequest,
    CreateManualJobResponse,
    CronJob,
    GetJobResponse,
    JobDetails,
    JobRun,
    ManualJob,
    PutCronJobRequest,
    PutCronJobResponse,
    PutManualJobRequest,
    PutManualJobResponse,
    PutManualJobResult,
    RunJobRequest,
    RunJobResponse,
)

import prism_server
from prism_patterns import rewrite_spec_patterns
from prism_server import (
    PrismError,
    PrismNotInstalled,
    PrismServer,
    free_port,
    load_spec,
    start_prism,
)

pytestmark = pytest.mark.slow  # the Prism mock server (node)

TOKEN = "contract-test-token"
PROJECT_ID = "my-project-id"
JOB_ID = "my-job-id"
TEAM_ID = "my-team-id"
SPEC_DATA = load_spec()


# --- The operations, read from the spec ----------------------------------------------


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method_name: str
    """Method of ``client.jobs``."""
    kwargs: dict[str, str]
    """Path parameters as the client method takes them."""
    request_model: type[pydantic.BaseModel] | None
    response_model: type[pydantic.BaseModel]
    result_model: type[pydantic.BaseModel]
    deprecated: bool = False
    http_method: str = field(init=False)
    path_template: str = field(init=False)
    spec: dict[str, Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        for path, item in SPEC_DATA["paths"].items():
            for method, operation in item.items():
                if isinstance(operation, dict) and operation.get("operationId") == self.operation_id:
                    object.__setattr__(self, "http_method", method.upper())
                    object.__setattr__(self, "path_template", path)
                    object.__setattr__(self, "spec", operation)
                    return
        raise LookupError(f"{self.operation_id} is not in the spec")

    @property
    def wire_path_params(self) -> dict[str, str]:
        wire = {"project_id": "projectId", "job_id": "jobId", "team_id": "teamId"}
        return {wire[name]: value for name, value in self.kwargs.items()}

    @property
    def expected_path(self) -> str:
        path = self.path_template
        for name, value in self.wire_path_params.items():
            path = path.replace("{" + name + "}", quote(value, safe=""))
        return path

    @property
    def request_example(self) -> dict[str, Any]:
        examples = self.spec["requestBody"]["content"]["application/json"]["examples"]
        value: dict[str, Any] = next(iter(examples.values()))["value"]
        return copy.deepcopy(value)

    @property
    def response_example(self) -> dict[str, Any]:
        examples = self.spec["responses"]["200"]["content"]["application/json"]["examples"]
        value: dict[str, Any] = next(iter(examples.values()))["value"]
        return copy.deepcopy(value)

    @property
    def endpoint(self) -> Endpoint:
        """The generated client's endpoint constant for this operation."""
        (found,) = [
            value
            for value in vars(jobs_api).values()
            if isinstance(value, Endpoint) and value.operation_id == self.operation_id
        ]
        return found

    @property
    def validation_status(self) -> int:
        """What Prism answers an invalid request with: the declared 422, else 400, else 422."""
        responses = self.spec["responses"]
        return 422 if "422" in responses else 400 if "400" in responses else 422

    def parse(self, response: httpx.Response) -> Any:
        return self.response_model.model_validate_json(response.content).data  # type: ignore[attr-defined]


OPERATIONS = [
    Operation(
        "createManualJob",
        "create_manual_job",
        {"project_id": PROJECT_ID},
        CreateManualJobRequest,
        CreateManualJobResponse,
        ManualJob,
    ),
    Operation(
        "putManualJob",
        "put_manual_job",
        {"project_id": PROJECT_ID},
        PutManualJobRequest,
        PutManualJobResponse,
        PutManualJobResult,
        deprecated=True,
    ),
    Operation(
        "putManualJobInTeam",
        "put_manual_job",
        {"project_id": PROJECT_ID, "team_id": TEAM_ID},
        PutManualJobRequest,
        PutManualJobResponse,
        PutManualJobResult,
        deprecated=True,
    ),
    Operation(
        "putCronJob",
        "put_cron_job",
        {"project_id": PROJECT_ID},
        PutCronJobRequest,
        PutCronJobResponse,
        CronJob,
    ),
    Operation(
        "getJob",
        "get_job",
        {"project_id": PROJECT_ID, "job_id": JOB_ID},
        None,
        GetJobResponse,
        JobDetails,
    ),
    Operation(
        "runJob",
        "run_job",
        {"project_id": PROJECT_ID, "job_id": JOB_ID},
        RunJobRequest,
        RunJobResponse,
        JobRun,
    ),
]
BY_ID = {op.operation_id: op for op in OPERATIONS}
WITH_BODY = [op for op in OPERATIONS if op.request_model is not None]


def test_every_operation_of_the_spec_is_exercised() -> None:
    in_spec = {
        operation["operationId"]
        for item in SPEC_DATA["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert set(BY_ID) == in_spec


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_generated_endpoint_matches_the_spec(op: Operation) -> None:
    assert (op.endpoint.method, op.endpoint.path) == (op.http_method, op.path_template)
    assert bool(op.spec.get("deprecated")) == op.deprecated


# --- Clients that record what went over the wire ---------------------------------------


@dataclass
class Recorder:
    responses: list[httpx.Response] = field(default_factory=list)

    def only(self) -> httpx.Response:
        assert len(self.responses) == 1, [r.request.url for r in self.responses]
        return self.responses.pop()


@contextmanager
def sync_client(server: PrismServer, recorder: Recorder) -> Iterator[NorthflankClient]:
    """A client for ``server`` whose every response lands in ``recorder``; single attempts."""
    with httpx.Client(event_hooks={"response": [recorder.responses.append]}, timeout=10.0) as http:
        with NorthflankClient(
            token=TOKEN, base_url=server.base_url, http_client=http, retry=RetryPolicy.disabled()
        ) as client:
            yield client


@asynccontextmanager
async def async_client(server: PrismServer, recorder: Recorder) -> AsyncIterator[AsyncNorthflankClient]:
    async def record(response: httpx.Response) -> None:
        recorder.responses.append(response)

    async with (
        httpx.AsyncClient(event_hooks={"response": [record]}, timeout=10.0) as http,
        AsyncNorthflankClient(
            token=TOKEN, base_url=server.base_url, http_client=http, retry=RetryPolicy.disabled()
        ) as client,
    ):
        yield client


def call_sync(client: NorthflankClient, op: Operation, *, body: Any, with_response: bool) -> Any:
    method = getattr(client.jobs.with_raw_response if with_response else client.jobs, op.method_name)
    kwargs: dict[str, Any] = dict(op.kwargs)
    if op.request_model is not None:
        kwargs["body"] = body
    if op.deprecated:
        with pytest.warns(DeprecationWarning, match="create_manual_job"):
            return method(**kwargs)
    return method(**kwargs)


async def call_async(client: AsyncNorthflankClient, op: Operation, *, body: Any, with_response: bool) -> Any:
    method = getattr(client.jobs.with_raw_response if with_response else client.jobs, op.method_name)
    kwargs: dict[str, Any] = dict(op.kwargs)
    if op.request_model is not None:
        kwargs["body"] = body
    if op.deprecated:
        with pytest.warns(DeprecationWarning, match="create_manual_job"):
            return await method(**kwargs)
    return await method(**kwargs)


def violations(response: httpx.Response) -> list[dict[str, Any]]:
    """Prism's ``sl-violations`` header: every request/response violation it found."""
    raw = response.headers.get("sl-violations")
    if raw is None:
        return []
    parsed: list[dict[str, Any]] = json.loads(raw)
    return parsed


# --- Every operation with its page example -----------------------------------------------


def _same_json(actual: Any, expected: Any) -> bool:
    """Equal as JSON values: numbers by value, date-time strings if they are the same instant."""
    if isinstance(actual, dict) and isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(_same_json(actual[k], expected[k]) for k in actual)
    if isinstance(actual, list) and isinstance(expected, list):
        return len(actual) == len(expected) and all(map(_same_json, actual, expected))
    if isinstance(actual, str) and isinstance(expected, str) and actual != expected:
        try:
            return datetime.fromisoformat(actual) == datetime.fromisoformat(expected)
        except ValueError:
            return False
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected
    if isinstance(actual, (int, float)) and isinstance(expected, (int, float)):
        return actual == expected  # a `type: number` field holds 1024 as 1024.0
    return bool(actual == expected) and type(actual) is type(expected)


def check_exchange(op: Operation, response: httpx.Response) -> None:
    request = response.request
    assert request.method == op.http_method
    assert request.url.raw_path.decode() == op.expected_path
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    if op.request_model is not None:
        assert request.headers["content-type"] == "application/json"
        # Exactly the page's example went out: wire names, nothing added or dropped.
        assert json.loads(request.content) == op.request_example
    else:
        assert request.content == b""
    assert response.status_code == 200, response.text
    assert violations(response) == []  # neither the request nor Prism's response broke the spec


def check_result(op: Operation, result: Any) -> None:
    assert type(result) is op.result_model
    # The example response round-trips through the generated model.
    dumped = result.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert _same_json(dumped, op.response_example["data"]), dumped


def body_for(op: Operation, form: str) -> Any:
    if op.request_model is None:
        return None
    example = op.request_example
    return example if form == "dict" else op.request_model.model_validate(example)


@pytest.mark.parametrize("with_response", [False, True], ids=["plain", "with_response"])
@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_sync_client_with_the_page_example(prism: PrismServer, op: Operation, with_response: bool) -> None:
    recorder = Recorder()
    # The plain methods get the example as a dict, the raw-response ones as a model.
    body = body_for(op, "model" if with_response else "dict")
    with sync_client(prism, recorder) as client:
        outcome = call_sync(client, op, body=body, with_response=with_response)
    response = recorder.only()
    check_exchange(op, response)
    if with_response:
        assert outcome.status_code == 200
        assert outcome.headers["content-type"].startswith("application/json")
        assert outcome.http_response is response
        assert json.loads(outcome.content) == op.response_example  # Prism's static example
        assert outcome.attempts == 1
        outcome = outcome.parsed
    check_result(op, outcome)


@pytest.mark.parametrize("with_response", [False, True], ids=["plain", "with_response"])
@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.operation_id)
def test_async_client_with_the_page_example(prism: PrismServer, op: Operation, with_response: bool) -> None:
    recorder = Recorder()
    body = body_for(op, "model" if with_response else "dict")

    async def run() -> Any:
        async with async_client(prism, recorder) as client:
            return await call_async(client, op, body=body, with_response=with_response)

    outcome = asyncio.run(run())
    response = recorder.only()
    check_exchange(op, response)
    if with_response:
        assert outcome.status_code == 200
        assert outcome.headers["content-type"].startswith("application/json")
        assert json.loads(outcome.content) == op.response_example
        outcome = outcome.parsed
    check_result(op, outcome)


def test_team_scoped_put_manual_job_goes_to_the_team_path(prism: PrismServer) -> None:
    recorder = Recorder()
    op = BY_ID["putManualJobInTeam"]
    with sync_client(prism, recorder) as client, pytest.warns(DeprecationWarning, match="put_manual_job"):
        result = client.jobs.put_manual_job(PROJECT_ID, team_id=TEAM_ID, body=op.request_example)
    response = recorder.only()
    assert response.request.url.path == f"/v1/teams/{TEAM_ID}/projects/{PROJECT_ID}/jobs/manual"
    check_exchange(op, response)
    check_result(op, result)


@pytest.mark.parametrize("job_id", ["job 42", "j\u00f6b", "a/b", "a:b@c", "50%"])
def test_path_parameters_are_one_encoded_segment_prism_routes(prism: PrismServer, job_id: str) -> None:
    recorder = Recorder()
    with sync_client(prism, recorder) as client:
        result = client.jobs.get_job(job_id, project_id=PROJECT_ID)
    response = recorder.only()
    assert response.request.url.raw_path.decode() == (f"/v1/projects/{PROJECT_ID}/jobs/{quote(job_id, safe='')}")
    assert response.status_code == 200 and violations(response) == []
    assert type(result) is JobDetails


# --- Invalid bodies: Prism rejects them, the client surfaces the rejection ----------------


@dataclass(frozen=True)
class InvalidBody:
    operation_id: str
    label: str
    mutate: Callable[[dict[str, Any]], None]
    location: tuple[str, ...]
    """Where Prism reports the violation (``sl-violations`` location), after request.body."""
    code: str
    """The Ajv keyword Prism reports: pattern, required, ..."""
    mentions: str = ""

    @property
    def op(self) -> Operation:
        return BY_ID[self.operation_id]

    def body(self) -> dict[str, Any]:
        body = self.op.request_example
        self.mutate(body)
        return body

    def __str__(self) -> str:
        return f"{self.operation_id}-{self.label}"


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = body
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        node[last] = value

    return mutate


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def mutate(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = body
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        del node[last]

    return mutate


def _both(*mutations: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def mutate(body: dict[str, Any]) -> None:
        for one in mutations:
            one(body)

    return mutate


def _cases_for_job_body(operation_id: str, required_top: str) -> list[InvalidBody]:
    return [
        # A pattern three levels down: the health check path must start with "/".
        InvalidBody(
            operation_id,
            "pattern-deep",
            _set("healthChecks.0.path", "health-check"),
            ("healthChecks", "0", "path"),
            "pattern",
        ),
        InvalidBody(
            operation_id,
            "pattern",
            _set("billing.deploymentPlan", "nf compute 20"),
            ("billing", "deploymentPlan"),
            "pattern",
        ),
        InvalidBody(
            operation_id,
            "required-deep",
            _drop("billing.deploymentPlan"),
            ("billing",),
            "required",
            "deploymentPlan",
        ),
        InvalidBody(operation_id, "required", _drop(required_top), (), "required", required_top),
    ]


INVALID_BODIES = [
    *_cases_for_job_body("createManualJob", "name"),
    *_cases_for_job_body("putManualJob", "name"),
    *_cases_for_job_body("putManualJobInTeam", "backoffLimit"),
    *_cases_for_job_body("putCronJob", "schedule"),
    # Run job: no top-level field is required and both deployment options accept any
    # object, so the violations must defeat both options of the anyOf at once.
    InvalidBody(
        "runJob",
        "pattern-deep-imagePath",
        _both(
            _set("deployment.external", {"imagePath": "not an image"}),
            _set("deployment.internal.id", "-bad-id"),
        ),
        ("deployment", "external", "imagePath"),
        "pattern",
    ),
    InvalidBody(
        "runJob",
        "pattern",
        _set("billing.deploymentPlan", "nf compute 20"),
        ("billing", "deploymentPlan"),
        "pattern",
    ),
    InvalidBody(
        "runJob",
        "required-deep",
        _set("deployment.docker", {"customCommand": "sleep 1"}),
        ("deployment", "docker"),
        "required",
        "configType",
    ),
]


def test_every_operation_with_a_body_has_invalid_bodies() -> None:
    for op in WITH_BODY:
        labels = {case.label.split("-")[0] for case in INVALID_BODIES if case.operation_id == op.operation_id}
        assert labels == {"pattern", "required"}, op.operation_id


@pytest.mark.parametrize("case", INVALID_BODIES, ids=str)
def test_client_validation_refuses_each_invalid_body(case: InvalidBody) -> None:
    """The bodies below are sent past the client's checks; it would refuse them itself."""
    assert case.op.request_model is not None
    with pytest.raises(RequestValidationError):
        validate_body(case.op.request_model, case.body())


def constructed_body(case: InvalidBody) -> pydantic.BaseModel:
    """The invalid body as an unvalidated model, so ``request`` sends it as it is."""
    assert case.op.request_model is not None
    return case.op.request_model.model_construct(**case.body())


def send_unvalidated_sync(server: PrismServer, case: InvalidBody) -> tuple[Any, httpx.Response]:
    recorder = Recorder()
    with sync_client(server, recorder) as client, warnings.catch_warnings():
        # Nested values are plain dicts, not models: pydantic warns while dumping them.
        warnings.filterwarnings("ignore", message="Pydantic serializer warnings")
        try:
            outcome: Any = client.request(
                case.op.endpoint,
                path_params=case.op.wire_path_params,
                body=constructed_body(case),
                parse=case.op.parse,
            )
        except (UnprocessableEntityError, BadRequestError) as exc:
            outcome = exc
    response = recorder.only()
    assert json.loads(response.request.content) == case.body(), "the invalid body must go out unchanged"
    return outcome, response


def check_rejection(case: InvalidBody, error: Any, response: httpx.Response) -> None:
    expected_class = UnprocessableEntityError if case.op.validation_status == 422 else BadRequestError
    assert type(error) is expected_class, error
    assert error.status_code == case.op.validation_status == response.status_code
    assert error.response is response
    assert error.body == response.json()
    assert isinstance(error.body, dict) and isinstance(error.body["error"]["message"], str)
    assert error.message == error.body["error"]["message"]
    # The rejection is for the violation this case planted, not for something else.
    location = ["request", "body", *case.location]
    found = [v for v in violations(response) if v["location"] == location and v["code"] == case.code]
    assert found, violations(response)
    assert case.mentions in found[0]["message"]
    assert all(v["location"][:2] == ["request", "body"] for v in violations(response))


@pytest.mark.parametrize("case", INVALID_BODIES, ids=str)
def test_invalid_body_surfaces_as_prisms_validation_error_sync(prism: PrismServer, case: InvalidBody) -> None:
    error, response = send_unvalidated_sync(prism, case)
    check_rejection(case, error, response)


@pytest.mark.parametrize("case", INVALID_BODIES, ids=str)
def test_invalid_body_surfaces_as_prisms_validation_error_async(prism: PrismServer, case: InvalidBody) -> None:
    recorder = Recorder()

    async def run() -> Any:
        async with async_client(prism, recorder) as client:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Pydantic serializer warnings")
                return await client.request(
                    case.op.endpoint,
                    path_params=case.op.wire_path_params,
                    body=constructed_body(case),
                    parse=case.op.parse,
                )

    with pytest.raises((UnprocessableEntityError, BadRequestError)) as caught:
        asyncio.run(run())
    check_rejection(case, caught.value, recorder.only())


@pytest.mark.parametrize("case", INVALID_BODIES, ids=str)
def test_the_unrewritten_spec_lets_every_invalid_body_through(
    prism_unrewritten: PrismServer, case: InvalidBody
) -> None:
    """The trap the rewrite avoids: with the spec as written Prism validates no job body.

    Ajv compiles patterns with the ``u`` flag; the documented imagePath pattern (with
    ``\\:`` and ``\\@``) does not compile so, and Prism 5.14.2 then skips the whole body
    of every operation whose schema reaches it (all five with a body). If this starts
    failing, Prism has changed how it handles that; the rewrite is still harmless.
    """
    outcome, response = send_unvalidated_sync(prism_unrewritten, case)
    assert response.status_code == 200, (response.status_code, violations(response))
    assert violations(response) == []
    assert type(outcome.parsed) is case.op.result_model


def test_prism_serves_the_spec_with_only_its_patterns_respelt(prism: PrismServer) -> None:
    served = json.loads(prism.spec.read_text(encoding="utf-8"))
    expected, changes = rewrite_spec_patterns(SPEC_DATA)
    assert served == expected
    changed = [(site.pointer, new) for site, new in changes if new != site.pattern]
    assert [pointer for pointer, _ in changed] == ["/components/schemas/ExternalSource/properties/imagePath/pattern"]
    # Nothing but the patterns differs from the spec as written.
    restored = copy.deepcopy(served)
    restored["components"]["schemas"]["ExternalSource"]["properties"]["imagePath"]["pattern"] = SPEC_DATA["components"][
        "schemas"
    ]["ExternalSource"]["properties"]["imagePath"]["pattern"]
    assert restored == SPEC_DATA


# --- Authentication ----------------------------------------------------------------------


def test_prism_requires_the_bearer_token(prism: PrismServer) -> None:
    op = BY_ID["getJob"]
    raw = httpx.get(prism.base_url + op.expected_path, headers={"Accept": "application/json"}, timeout=10)
    assert raw.status_code == 401
    recorder = Recorder()
    with sync_client(prism, recorder) as client, pytest.raises(AuthenticationError) as caught:
        client.jobs.get_job(JOB_ID, project_id=PROJECT_ID, extra_headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert caught.value.status_code == 401
    assert recorder.only().request.headers["authorization"].startswith("Basic ")


# --- The client's pattern checks agree with the spec's (ECMA-262) patterns ---------------
#
# Values on which Python's ``re`` or Rust's regex, given the spec's patterns verbatim,
# would disagree with JavaScript: ``$`` before a trailing newline, Unicode ``\d`` and a
# different ``\s``. Prism (JavaScript) shows what the spec means; the generator rewrites
# the patterns (generator/patterns.py) so that the client agrees.

DISAGREEMENTS = [
    # (operation, dotted field, value, accepted by the spec's pattern in JavaScript)
    ("createManualJob", "name", "Example Job\n", False),
    ("putCronJob", "billing.deploymentPlan", "nf-compute-20\n", False),
    ("putCronJob", "schedule", "\u0663\u0660 8 * * *", False),
    ("createManualJob", "description", "A job\u001cdescription", False),
    ("createManualJob", "description", "A job\ufeffdescription", True),
]
DISAGREEMENT_IDS = [f"{op}-{path}-{value!r}" for op, path, value, _ in DISAGREEMENTS]


@pytest.mark.parametrize(("operation_id", "path", "value", "valid"), DISAGREEMENTS, ids=DISAGREEMENT_IDS)
def test_prism_applies_the_patterns_with_javascript_semantics(
    prism: PrismServer, operation_id: str, path: str, value: str, valid: bool
) -> None:
    op = BY_ID[operation_id]
    body = op.request_example
    _set(path, value)(body)
    response = httpx.request(
        op.http_method,
        prism.base_url + op.expected_path,
        json=body,
        timeout=10,
        headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"},
    )
    if valid:
        assert response.status_code == 200 and violations(response) == []
    else:
        assert response.status_code == 422
        assert [v["code"] for v in violations(response)] == ["pattern"]


@pytest.mark.parametrize(("operation_id", "path", "value", "valid"), DISAGREEMENTS, ids=DISAGREEMENT_IDS)
def test_client_pattern_checks_agree_with_the_spec(operation_id: str, path: str, value: str, valid: bool) -> None:
    op = BY_ID[operation_id]
    assert op.request_model is not None
    body = op.request_example
    _set(path, value)(body)
    if valid:
        validate_body(op.request_model, body)
    else:
        with pytest.raises(RequestValidationError):
            validate_body(op.request_model, body)


# --- The Prism fixture helpers themselves ---------------------------------------------------


def test_fresh_prism_checks_its_own_responses_and_stops_with_its_whole_process_group(
    tmp_path: Path,
) -> None:
    """One fresh server (startup is the slow part) for two checks of the setup itself.

    With the rewritten spec and ``--errors``, Prism validates its example responses too:
    a corrupted example is answered 500 (the client raises InternalServerError). And
    ``stop`` ends every process of Prism's group and frees its port.
    """
    op = BY_ID["createManualJob"]
    spec_data, _ = rewrite_spec_patterns(SPEC_DATA)
    examples = spec_data["paths"][op.path_template]["post"]["responses"]["200"]["content"]["application/json"][
        "examples"
    ]
    next(iter(examples.values()))["value"]["data"]["name"] = "!! not a job name"
    spec = tmp_path / "corrupted-example.json"
    spec.write_text(json.dumps(spec_data), encoding="utf-8")
    server = start_prism(spec, log_path=tmp_path / "prism.log", extra_args=["--errors"])
    try:
        pgid = os.getpgid(server.process.pid)
        assert pgid == server.process.pid != os.getpgid(0)
        recorder = Recorder()
        with sync_client(server, recorder) as client, pytest.raises(InternalServerError) as caught:
            client.jobs.create_manual_job(PROJECT_ID, body=op.request_example)
        response = recorder.only()
        assert caught.value.status_code == 500 and caught.value.response is response
        assert [(v["location"], v["code"]) for v in violations(response)] == [
            (["response", "body", "data", "name"], "pattern")
        ]
    finally:
        server.stop()
    assert server.process.returncode is not None
    with pytest.raises(ProcessLookupError):
        os.killpg(pgid, 0)
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
        sock.settimeout(5)
        sock.connect(("127.0.0.1", server.port))
    assert "Prism is listening" in server.output()


def test_missing_prism_is_a_clear_failure(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(prism_server, "PRISM_BIN", tmp_path / "node_modules" / ".bin" / "prism")
    with pytest.raises(PrismNotInstalled, match="npm ci"):
        start_prism(prism_server.SPEC, log_path=tmp_path / "prism.log")


def test_prism_that_cannot_start_reports_its_output(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\npaths: [\n", encoding="utf-8")
    with pytest.raises(PrismError, match="exited with status") as caught:
        start_prism(broken, log_path=tmp_path / "prism.log")
    assert "broken.yaml" in str(caught.value)  # Prism's own complaint is in the message


def test_prism_that_does_not_answer_in_time_is_stopped_and_reported(tmp_path: Path) -> None:
    port = free_port()
    with pytest.raises(PrismError, match="did not answer") as caught:
        start_prism(prism_server.SPEC, log_path=tmp_path / "prism.log", port=port, ready_timeout=0.0)
    assert str(tmp_path / "prism.log") in str(caught.value)
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
        sock.settimeout(5)
        sock.connect(("127.0.0.1", port))
