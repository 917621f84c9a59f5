"""The Northflank operations as the Prism contract tests call them: examples, invalid bodies, recorders.

Shared by ``tests/runtime/test_against_prism.py`` (the client against Prism) and
``tests/fake/test_against_prism.py`` (the testing fake against the same calls).
"""

from __future__ import annotations

import copy
import json
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
import pydantic
import pytest
from northflank_jobs import (
    AsyncNorthflankClient,
    BadRequestError,
    NorthflankClient,
    RetryPolicy,
    UnprocessableEntityError,
)
from northflank_jobs._base_client import Endpoint
from northflank_jobs.api import jobs as jobs_api
from northflank_jobs.models import (
    CreateManualJobRequest,
    CronJob,
    JobDetails,
    JobRun,
    ManualJob,
    PutCronJobRequest,
    PutManualJobRequest,
    PutManualJobResult,
    RunJobRequest,
    _CreateManualJobResponse,
    _GetJobResponse,
    _PutCronJobResponse,
    _PutManualJobResponse,
    _RunJobResponse,
)

from tests.support.prism_server import (
    PrismServer,
    load_spec,
)

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
        _CreateManualJobResponse,
        ManualJob,
    ),
    Operation(
        "putManualJob",
        "put_manual_job",
        {"project_id": PROJECT_ID},
        PutManualJobRequest,
        _PutManualJobResponse,
        PutManualJobResult,
        deprecated=True,
    ),
    Operation(
        "putManualJobInTeam",
        "put_manual_job",
        {"project_id": PROJECT_ID, "team_id": TEAM_ID},
        PutManualJobRequest,
        _PutManualJobResponse,
        PutManualJobResult,
        deprecated=True,
    ),
    Operation(
        "putCronJob",
        "put_cron_job",
        {"project_id": PROJECT_ID},
        PutCronJobRequest,
        _PutCronJobResponse,
        CronJob,
    ),
    Operation(
        "getJob",
        "get_job",
        {"project_id": PROJECT_ID, "job_id": JOB_ID},
        None,
        _GetJobResponse,
        JobDetails,
    ),
    Operation(
        "runJob",
        "run_job",
        {"project_id": PROJECT_ID, "job_id": JOB_ID},
        RunJobRequest,
        _RunJobResponse,
        JobRun,
    ),
]
BY_ID = {op.operation_id: op for op in OPERATIONS}
WITH_BODY = [op for op in OPERATIONS if op.request_model is not None]


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


def set_at(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = body
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        node[last] = value

    return mutate


def drop_at(path: str) -> Callable[[dict[str, Any]], None]:
    def mutate(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = body
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        del node[last]

    return mutate


def both(*mutations: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
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
            set_at("healthChecks.0.path", "health-check"),
            ("healthChecks", "0", "path"),
            "pattern",
        ),
        InvalidBody(
            operation_id,
            "pattern",
            set_at("billing.deploymentPlan", "nf compute 20"),
            ("billing", "deploymentPlan"),
            "pattern",
        ),
        InvalidBody(
            operation_id,
            "required-deep",
            drop_at("billing.deploymentPlan"),
            ("billing",),
            "required",
            "deploymentPlan",
        ),
        InvalidBody(operation_id, "required", drop_at(required_top), (), "required", required_top),
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
        both(
            set_at("deployment.external", {"imagePath": "not an image"}),
            set_at("deployment.internal.id", "-bad-id"),
        ),
        ("deployment", "external", "imagePath"),
        "pattern",
    ),
    InvalidBody(
        "runJob",
        "pattern",
        set_at("billing.deploymentPlan", "nf compute 20"),
        ("billing", "deploymentPlan"),
        "pattern",
    ),
    InvalidBody(
        "runJob",
        "required-deep",
        set_at("deployment.docker", {"customCommand": "sleep 1"}),
        ("deployment", "docker"),
        "required",
        "configType",
    ),
]


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
