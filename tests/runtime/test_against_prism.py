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
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from northflank_jobs import (
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    RequestValidationError,
    UnprocessableEntityError,
)
from northflank_jobs._base_client import validate_body
from northflank_jobs.models import (
    JobDetails,
)

from tests.support import prism_server
from tests.support.northflank_calls import (
    BY_ID,
    INVALID_BODIES,
    JOB_ID,
    OPERATIONS,
    PROJECT_ID,
    SPEC_DATA,
    TEAM_ID,
    TOKEN,
    WITH_BODY,
    InvalidBody,
    Operation,
    Recorder,
    async_client,
    body_for,
    call_async,
    call_sync,
    check_exchange,
    check_rejection,
    check_result,
    constructed_body,
    send_unvalidated_sync,
    set_at,
    sync_client,
    violations,
)
from tests.support.prism_patterns import rewrite_spec_patterns
from tests.support.prism_server import (
    PrismError,
    PrismNotInstalled,
    PrismServer,
    free_port,
    start_prism,
)

pytestmark = pytest.mark.slow  # the Prism mock server (node)


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
    set_at(path, value)(body)
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
    set_at(path, value)(body)
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
