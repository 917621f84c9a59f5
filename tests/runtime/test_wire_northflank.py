"""What a real server receives for each operation, byte for byte, on the page's own example.

A recording HTTP server on 127.0.0.1 (tests/support/fault_server.py) answers each call
with the page's example response. The expected bytes come from the spec's
examples (compact JSON, in the page's key order), never from the generator:
they are what the official JS client sends for the same example
(``JSON.stringify``), so a number sent as ``16384.0``, a null the caller
never wrote or a swapped path id fails here.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from northflank_jobs import AsyncNorthflankClient, NorthflankClient, RetryPolicy
from northflank_jobs import models as m
from northflank_jobs._meta import __version__

from tests.support.fault_server import FaultServer, RecordedRequest, Reply
from tests.support.repo import SPEC as SPEC_PATH

SPEC = yaml.safe_load(SPEC_PATH.read_text())
TOKEN = "nf-secret-token"


def _operation(operation_id: str) -> tuple[str, str, dict[str, Any]]:
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return method.upper(), path, op
    raise KeyError(operation_id)


def _request_example(operation_id: str) -> dict[str, Any]:
    media = _operation(operation_id)[2]["requestBody"]["content"]["application/json"]
    return dict(media["examples"]["pageExample"]["value"])


def _response_example(operation_id: str) -> dict[str, Any]:
    op = _operation(operation_id)[2]
    media = op["responses"]["200"]["content"]["application/json"]
    examples = media.get("examples") or {}
    return dict(next(iter(examples.values()))["value"]) if examples else {"data": {}}


def _compact(value: object) -> bytes:
    """What JSON.stringify gives: no spaces, keys in the order written, non-ASCII as is."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _call(operation_id: str, invoke: Callable[[NorthflankClient], object]) -> tuple[RecordedRequest, object]:
    with FaultServer([Reply.json(200, _response_example(operation_id))]) as server:
        with NorthflankClient(token=TOKEN, base_url=server.url, retry=RetryPolicy.disabled()) as client:
            result = invoke(client)
        assert len(server.requests) == 1
        return server.requests[0], result


def _assert_wire(recorded: RecordedRequest, method: str, path: str, body: bytes | None) -> None:
    assert recorded.method == method
    assert recorded.path == path
    expected = {
        "host",
        "accept",
        "accept-encoding",
        "connection",
        "user-agent",
        "authorization",
        *(("content-type", "content-length") if body is not None else ()),
    }
    assert set(recorded.headers) == expected, recorded.headers
    assert recorded.headers["authorization"] == f"Bearer {TOKEN}"
    assert recorded.headers["accept"] == "application/json"
    assert recorded.headers["user-agent"] == f"northflank_jobs/{__version__} (python-httpx)"
    if body is None:
        assert recorded.body == b""
    else:
        assert recorded.headers["content-type"] == "application/json"
        assert recorded.headers["content-length"] == str(len(body))
        assert recorded.body == body


# (operationId, method, path on the wire, call with path ids positional where they may be, call by keyword)
CALLS: list[tuple[str, str, Callable[[NorthflankClient, Any], object], Callable[[NorthflankClient, Any], object]]] = [
    (
        "createManualJob",
        "/v1/projects/proj-1/jobs/manual",
        lambda c, body: c.jobs.create_manual_job("proj-1", body=body),
        lambda c, body: c.jobs.create_manual_job(project_id="proj-1", body=body),
    ),
    (
        "putCronJob",
        "/v1/projects/proj-1/jobs/cron",
        lambda c, body: c.jobs.put_cron_job("proj-1", body=body),
        lambda c, body: c.jobs.put_cron_job(project_id="proj-1", body=body),
    ),
    (
        "runJob",
        "/v1/projects/proj-1/jobs/job-1/runs",
        lambda c, body: c.jobs.run_job("job-1", project_id="proj-1", body=body),
        lambda c, body: c.jobs.run_job(job_id="job-1", project_id="proj-1", body=body),
    ),
    (
        "putManualJob",
        "/v1/projects/proj-1/jobs/manual",
        lambda c, body: c.jobs.put_manual_job("proj-1", body=body),
        lambda c, body: c.jobs.put_manual_job(project_id="proj-1", body=body),
    ),
    (
        "putManualJobInTeam",
        "/v1/teams/team-1/projects/proj-1/jobs/manual",
        lambda c, body: c.jobs.put_manual_job("proj-1", team_id="team-1", body=body),
        lambda c, body: c.jobs.put_manual_job(project_id="proj-1", team_id="team-1", body=body),
    ),
]
BODY_MODELS = {
    "createManualJob": m.CreateManualJobRequest,
    "putCronJob": m.PutCronJobRequest,
    "runJob": m.RunJobRequest,
    "putManualJob": m.PutManualJobRequest,
    "putManualJobInTeam": m.PutManualJobRequest,
}


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("style", ["positional", "keyword"])
@pytest.mark.parametrize("as_model", [False, True], ids=["dict-body", "model-body"])
@pytest.mark.parametrize(("operation_id", "path", "positional", "keyword"), CALLS, ids=[c[0] for c in CALLS])
def test_each_operation_sends_exactly_the_page_example(
    operation_id: str,
    path: str,
    positional: Callable[..., object],
    keyword: Callable[..., object],
    style: str,
    as_model: bool,
) -> None:
    example = _request_example(operation_id)
    body: object = BODY_MODELS[operation_id].model_validate(example) if as_model else example
    call = positional if style == "positional" else keyword
    recorded, _ = _call(operation_id, lambda client: call(client, body))
    _assert_wire(recorded, "POST" if operation_id in ("createManualJob", "runJob") else "PUT", path, _compact(example))


@pytest.mark.parametrize("style", ["positional", "keyword"])
def test_get_job_sends_the_ids_where_the_template_puts_them(style: str) -> None:
    def invoke(client: NorthflankClient) -> object:
        if style == "positional":
            return client.jobs.get_job("job-1", project_id="proj-1")
        return client.jobs.get_job(job_id="job-1", project_id="proj-1")

    recorded, job = _call("getJob", invoke)
    _assert_wire(recorded, "GET", "/v1/projects/proj-1/jobs/job-1", None)
    example = _response_example("getJob")["data"]
    assert isinstance(job, m.JobDetails)
    assert job.model_dump(mode="json", by_alias=True, exclude_unset=True) == example


def test_two_ids_of_one_type_cannot_be_passed_in_either_order() -> None:
    """Parent ids are keyword-only: the call that used to swap them silently is a TypeError."""
    with NorthflankClient(token=TOKEN, base_url="http://127.0.0.1:9") as client, pytest.raises(TypeError):
        client.jobs.get_job("proj-1", "job-1")  # type: ignore[misc]


def test_path_ids_are_one_segment_each() -> None:
    recorded, _ = _call("getJob", lambda c: c.jobs.get_job("a/b?c#d", project_id="p q"))
    assert recorded.path == "/v1/projects/p%20q/jobs/a%2Fb%3Fc%23d"


def test_responses_keep_integers_as_integers() -> None:
    """A JSON integer in a `number` field reaches the caller as an int, and goes back as one."""
    payload = _response_example("createManualJob")
    payload["data"].setdefault("buildConfiguration", {})
    recorded, job = _call(
        "createManualJob", lambda c: c.jobs.create_manual_job("p", body=_request_example("createManualJob"))
    )
    sent = json.loads(recorded.body)
    assert isinstance(job, m.ManualJob)
    assert _compact(job.model_dump(mode="json", by_alias=True, exclude_unset=True)) == _compact(
        _response_example("createManualJob")["data"]
    )
    assert sent == _request_example("createManualJob")


def test_async_client_sends_the_same_bytes() -> None:
    example = _request_example("runJob")

    async def main(url: str) -> None:
        async with AsyncNorthflankClient(token=TOKEN, base_url=url, retry=RetryPolicy.disabled()) as client:
            await client.jobs.run_job("job-1", project_id="proj-1", body=example)

    with FaultServer([Reply.json(200, _response_example("runJob"))]) as server:
        asyncio.run(main(server.url))
    _assert_wire(server.requests[0], "POST", "/v1/projects/proj-1/jobs/job-1/runs", _compact(example))
