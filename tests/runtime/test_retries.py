"""Retry behaviour: the pure decision functions, then real faults on a real socket.

The rule under test: idempotent requests are retried on connection failures,
timeouts and retryable statuses; a POST is retried only when it provably
never reached the server (connect error/timeout, pool timeout) or was refused
with 429. Every fault-server test runs against the sync and the async client.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, Literal

import httpx
import pydantic
import pytest
from northflank_jobs._base_client import AsyncApiClient, Endpoint, SyncApiClient
from northflank_jobs._response import ApiResponse
from northflank_jobs._retry import (
    RetryPolicy,
    backoff_delay,
    parse_retry_after,
    retry_after_from_headers,
    should_retry,
)
from northflank_jobs.errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    InternalServerError,
    RateLimitError,
)

from tests.support.fault_server import FaultServer, Reply, refused_port

Mode = Literal["sync", "async"]
MODES: tuple[Mode, ...] = ("sync", "async")

NOW = datetime(2015, 10, 21, 7, 27, 30, tzinfo=timezone.utc)
# Deterministic policy: no jitter, so each backoff is exactly 0.5 * 2 ** (attempt - 1).
POLICY = RetryPolicy(max_attempts=3, backoff_initial=0.5, backoff_max=8.0, jitter=False)


class Job(pydantic.BaseModel):
    id: str


class DemoClient(SyncApiClient):
    default_base_url = "https://api.invalid"
    user_agent = "demo/0.1"
    logger_name = "demo_client"

    def __init__(self, *, token: str | None = None, **kwargs: Any) -> None:
        super().__init__(credentials={"bearer": token}, **kwargs)


class AsyncDemoClient(AsyncApiClient):
    default_base_url = "https://api.invalid"
    user_agent = "demo/0.1"
    logger_name = "demo_client"

    def __init__(self, *, token: str | None = None, **kwargs: Any) -> None:
        super().__init__(credentials={"bearer": token}, **kwargs)


GET_JOB = Endpoint("GET", "/v1/projects/{projectId}/jobs/{jobId}", "getJob", idempotent=True)
RUN_JOB = Endpoint("POST", "/v1/projects/{projectId}/jobs/{jobId}/runs", "runJob", idempotent=False)
PATH_PARAMS = {"projectId": "p", "jobId": "j"}
OK = Reply.json(200, {"id": "j"})

Outcome = tuple["ApiResponse[Job] | ApiError", list[float]]


def send(
    mode: Mode,
    endpoint: Endpoint,
    *,
    base_url: str | None = None,
    transport: httpx.MockTransport | None = None,
    retry: RetryPolicy = POLICY,
    timeout: float = 0.2,
) -> Outcome:
    """One request through a fresh client; returns the result or the ApiError
    raised, and the delays the client asked to sleep (it never really sleeps).

    ``timeout`` bounds reading, writing and the pool; connecting to the loopback server gets 5 s,
    because on a loaded CI machine a 0.2 s connect can time out and add a retry the test did not
    stage (seen once: ConnectTimeout, then the staged reset, then success)."""
    sleeps: list[float] = []
    limits = httpx.Timeout(timeout, connect=5.0)
    if mode == "sync":
        with DemoClient(token="t", base_url=base_url, retry=retry, timeout=limits, transport=transport) as client:
            client._sleep = sleeps.append
            client._now = lambda: NOW
            try:
                return (
                    client.request(
                        endpoint, path_params=PATH_PARAMS, parse=lambda r: Job.model_validate_json(r.content)
                    ),
                    sleeps,
                )
            except ApiError as exc:
                return exc, sleeps

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def run() -> Outcome:
        async with AsyncDemoClient(
            token="t", base_url=base_url, retry=retry, timeout=limits, transport=transport
        ) as client:
            client._sleep = fake_sleep
            client._now = lambda: NOW
            try:
                return (
                    await client.request(
                        endpoint, path_params=PATH_PARAMS, parse=lambda r: Job.model_validate_json(r.content)
                    ),
                    sleeps,
                )
            except ApiError as exc:
                return exc, sleeps

    return asyncio.run(run())


# --- RetryPolicy ---------------------------------------------------------------


def test_policy_defaults_match_documentation() -> None:
    policy = RetryPolicy()
    assert policy.max_attempts == 3
    assert (policy.backoff_initial, policy.backoff_max, policy.retry_after_max) == (0.5, 8.0, 60.0)
    assert policy.jitter is True
    assert policy.retry_statuses == frozenset({429, 502, 503, 504})


def test_disabled_policy_makes_one_attempt() -> None:
    policy = RetryPolicy.disabled()
    assert policy.max_attempts == 1
    assert not should_retry(policy, attempt=1, idempotent=True, status=503)
    assert not should_retry(policy, attempt=1, idempotent=False, error=httpx.ConnectError("refused"))


def test_policy_accepts_any_iterable_of_statuses() -> None:
    policy = RetryPolicy(retry_statuses={503})  # type: ignore[arg-type]
    assert policy.retry_statuses == frozenset({503})


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"max_attempts": 0}, ValueError),
        ({"max_attempts": -1}, ValueError),
        ({"max_attempts": 2.5}, TypeError),
        ({"max_attempts": True}, TypeError),
        ({"backoff_initial": -0.1}, ValueError),
        ({"backoff_max": math.inf}, ValueError),
        ({"backoff_initial": 2.0, "backoff_max": 1.0}, ValueError),
        ({"retry_after_max": -1}, ValueError),
        ({"retry_after_max": "60"}, TypeError),
        ({"retry_statuses": frozenset({200})}, ValueError),
        ({"retry_statuses": frozenset({"503"})}, ValueError),
    ],
)
def test_policy_rejects_invalid_arguments(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_policy_is_frozen() -> None:
    with pytest.raises(AttributeError):
        RetryPolicy().max_attempts = 5  # type: ignore[misc]


# --- should_retry ------------------------------------------------------------

NEVER_SENT = [
    httpx.ConnectError("refused"),
    httpx.ConnectTimeout("connect"),
    httpx.PoolTimeout("pool"),
]
MAYBE_SENT = [
    httpx.ReadTimeout("read"),
    httpx.WriteTimeout("write"),
    httpx.ReadError("reset"),
    httpx.WriteError("broken pipe"),
    httpx.RemoteProtocolError("server disconnected"),
]
OUR_BUGS = [httpx.UnsupportedProtocol("ftp://"), httpx.LocalProtocolError("illegal header")]


@pytest.mark.parametrize("error", NEVER_SENT + MAYBE_SENT, ids=lambda e: type(e).__name__)
def test_idempotent_requests_retry_every_network_failure(error: Exception) -> None:
    assert should_retry(POLICY, attempt=1, idempotent=True, error=error)


@pytest.mark.parametrize("error", NEVER_SENT, ids=lambda e: type(e).__name__)
def test_post_retries_when_request_never_left(error: Exception) -> None:
    assert should_retry(POLICY, attempt=1, idempotent=False, error=error)


@pytest.mark.parametrize("error", MAYBE_SENT, ids=lambda e: type(e).__name__)
def test_post_never_retries_when_server_may_have_acted(error: Exception) -> None:
    assert not should_retry(POLICY, attempt=1, idempotent=False, error=error)


@pytest.mark.parametrize("error", OUR_BUGS, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("idempotent", [True, False])
def test_errors_that_would_repeat_are_not_retried(error: Exception, idempotent: bool) -> None:
    assert not should_retry(POLICY, attempt=1, idempotent=idempotent, error=error)


@pytest.mark.parametrize(
    ("status", "idempotent", "expected"),
    [
        (429, True, True),
        (429, False, True),  # refused unprocessed: safe even for POST
        (502, True, True),
        (503, True, True),
        (504, True, True),
        (502, False, False),
        (503, False, False),
        (504, False, False),
        (500, True, False),  # not in retry_statuses
        (500, False, False),
        (400, True, False),
        (404, True, False),
        (409, False, False),
    ],
)
def test_status_retry_table(status: int, idempotent: bool, expected: bool) -> None:
    assert should_retry(POLICY, attempt=1, idempotent=idempotent, status=status) is expected


def test_status_must_be_in_policy_even_for_429() -> None:
    policy = RetryPolicy(retry_statuses=frozenset({503}))
    assert not should_retry(policy, attempt=1, idempotent=True, status=429)
    assert not should_retry(policy, attempt=1, idempotent=False, status=429)
    assert should_retry(policy, attempt=1, idempotent=True, status=503)


@pytest.mark.parametrize(("attempt", "expected"), [(1, True), (2, True), (3, False), (4, False)])
def test_attempts_are_bounded_by_max_attempts(attempt: int, expected: bool) -> None:
    assert should_retry(POLICY, attempt=attempt, idempotent=True, status=503) is expected


def test_nothing_to_judge_means_no_retry() -> None:
    assert not should_retry(POLICY, attempt=1, idempotent=True)


# --- parse_retry_after / backoff_delay --------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1.0),
        ("0", 0.0),
        (" 120 ", 120.0),
        ("1.5", 1.5),
        ("-5", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 30.0),  # NOW + 30 s
        ("Wed, 21 Oct 2015 07:00:00 GMT", 0.0),  # in the past
        ("Wednesday, 21-Oct-15 07:28:00 GMT", 30.0),  # obsolete RFC 850 form
        (None, None),
        ("", None),
        ("soon", None),
        ("inf", None),
        ("nan", None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, now=NOW) == expected


def test_parse_retry_after_accepts_naive_now_as_utc() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=NOW.replace(tzinfo=None)) == 30.0


@pytest.mark.parametrize(("status", "expected"), [(429, 7.0), (503, 7.0), (502, None), (500, None)])
def test_retry_after_only_honoured_where_defined(status: int, expected: float | None) -> None:
    assert retry_after_from_headers(status, httpx.Headers({"Retry-After": "7"}), now=NOW) == expected


@pytest.mark.parametrize(("attempt", "expected"), [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (6, 8.0)])
def test_backoff_doubles_up_to_max_without_jitter(attempt: int, expected: float) -> None:
    assert backoff_delay(POLICY, attempt, retry_after=None) == expected


def test_backoff_survives_huge_attempt_numbers() -> None:
    assert backoff_delay(POLICY, 10_000, retry_after=None) == 8.0


@pytest.mark.parametrize(("draw", "expected"), [(0.0, 0.0), (0.25, 0.5), (0.5, 1.0), (0.999, 1.998)])
def test_full_jitter_scales_the_ceiling(draw: float, expected: float) -> None:
    policy = RetryPolicy(jitter=True)
    assert backoff_delay(policy, 3, retry_after=None, rng=lambda: draw) == pytest.approx(expected)


def test_jitter_uses_real_randomness_by_default() -> None:
    delays = {backoff_delay(RetryPolicy(), 3, retry_after=None) for _ in range(50)}
    assert len(delays) > 1
    assert all(0 <= delay < 2.0 for delay in delays)


@pytest.mark.parametrize(("retry_after", "expected"), [(0.0, 0.0), (3.0, 3.0), (60.0, 60.0), (3600.0, 60.0)])
def test_retry_after_replaces_backoff_and_is_capped(retry_after: float, expected: float) -> None:
    # rng=1.0 would change a jittered backoff; Retry-After must ignore it.
    assert backoff_delay(RetryPolicy(), 1, retry_after=retry_after, rng=lambda: 0.99) == expected


# --- Against a real server: statuses ------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("endpoint", [GET_JOB, RUN_JOB], ids=["GET", "POST"])
def test_429_retry_after_is_honoured_then_succeeds(mode: Mode, endpoint: Endpoint) -> None:
    with FaultServer([Reply.json(429, {"error": {"message": "slow down"}}, {"Retry-After": "1"}), OK]) as server:
        outcome, sleeps = send(mode, endpoint, base_url=server.url)
    assert isinstance(outcome, ApiResponse)
    assert outcome.parsed == Job(id="j")
    assert outcome.attempts == 2
    assert server.hits == 2
    assert sleeps == [1.0]


@pytest.mark.parametrize("mode", MODES)
def test_503_on_get_is_retried(mode: Mode) -> None:
    with FaultServer([Reply.json(503, {"error": {"message": "busy"}}), OK]) as server:
        outcome, sleeps = send(mode, GET_JOB, base_url=server.url)
    assert isinstance(outcome, ApiResponse)
    assert server.hits == 2
    assert sleeps == [0.5]  # first backoff step, no Retry-After


@pytest.mark.parametrize("mode", MODES)
def test_503_retry_after_on_get_is_honoured(mode: Mode) -> None:
    with FaultServer([Reply(503, {"Retry-After": "2"}), OK]) as server:
        outcome, sleeps = send(mode, GET_JOB, base_url=server.url)
    assert isinstance(outcome, ApiResponse)
    assert sleeps == [2.0]


@pytest.mark.parametrize("mode", MODES)
def test_503_on_post_is_not_retried(mode: Mode) -> None:
    with FaultServer([Reply.json(503, {"error": {"message": "busy"}}), OK]) as server:
        outcome, sleeps = send(mode, RUN_JOB, base_url=server.url)
    assert isinstance(outcome, InternalServerError)
    assert outcome.status_code == 503
    assert server.hits == 1
    assert sleeps == []


@pytest.mark.parametrize("mode", MODES)
def test_retryable_status_gives_up_after_max_attempts(mode: Mode) -> None:
    with FaultServer([Reply(502)] * 5) as server:
        outcome, sleeps = send(mode, GET_JOB, base_url=server.url)
    assert isinstance(outcome, InternalServerError)
    assert outcome.status_code == 502
    assert server.hits == 3
    assert sleeps == [0.5, 1.0]


@pytest.mark.parametrize("mode", MODES)
def test_429_exhausted_raises_rate_limit_error_with_hint(mode: Mode) -> None:
    with FaultServer([Reply(429, {"Retry-After": "4"})] * 3) as server:
        outcome, sleeps = send(mode, RUN_JOB, base_url=server.url)
    assert isinstance(outcome, RateLimitError)
    assert outcome.retry_after == 4.0
    assert server.hits == 3
    assert sleeps == [4.0, 4.0]


@pytest.mark.parametrize("mode", MODES)
def test_disabled_policy_sends_once(mode: Mode) -> None:
    with FaultServer([Reply(503), OK]) as server:
        outcome, sleeps = send(mode, GET_JOB, base_url=server.url, retry=RetryPolicy.disabled())
    assert isinstance(outcome, InternalServerError)
    assert server.hits == 1
    assert sleeps == []


@pytest.mark.parametrize("mode", MODES)
def test_retry_after_http_date(mode: Mode) -> None:
    with FaultServer([Reply(429, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), OK]) as server:
        outcome, sleeps = send(mode, GET_JOB, base_url=server.url)
    assert isinstance(outcome, ApiResponse)
    assert sleeps == [30.0]  # the client's clock says NOW, 30 s earlier


@pytest.mark.parametrize("mode", MODES)
def test_retry_after_is_capped(mode: Mode) -> None:
    policy = RetryPolicy(jitter=False, retry_after_max=2.0)
    with FaultServer([Reply(429, {"Retry-After": "3600"}), OK]) as server:
        outcome, sleeps = send(mode, GET_JOB, base_url=server.url, retry=policy)
    assert isinstance(outcome, ApiResponse)
    assert sleeps == [2.0]


# --- Against a real server: network faults -------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_read_timeout_on_post_is_not_retried(mode: Mode) -> None:
    with FaultServer([Reply.stall(2.0), OK]) as server:
        outcome, sleeps = send(mode, RUN_JOB, base_url=server.url, timeout=0.2)
    assert isinstance(outcome, ApiTimeoutError)
    assert isinstance(outcome.__cause__, httpx.ReadTimeout)
    assert server.hits == 1
    assert sleeps == []


@pytest.mark.parametrize("mode", MODES)
def test_read_timeout_on_get_is_retried_up_to_max_attempts(mode: Mode) -> None:
    with FaultServer([Reply.stall(2.0)] * 3 + [OK]) as server:
        outcome, sleeps = send(mode, GET_JOB, base_url=server.url, timeout=0.2)
    assert isinstance(outcome, ApiTimeoutError)
    assert "after 3 attempts" in str(outcome)
    assert server.hits == 3
    assert sleeps == [0.5, 1.0]


@pytest.mark.parametrize("mode", MODES)
def test_read_timeout_on_get_then_success(mode: Mode) -> None:
    with FaultServer([Reply.stall(2.0), OK]) as server:
        outcome, _ = send(mode, GET_JOB, base_url=server.url, timeout=0.2)
    assert isinstance(outcome, ApiResponse)
    assert outcome.attempts == 2
    assert server.hits == 2


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fault", [Reply.reset(), Reply.close()], ids=["reset", "close"])
def test_dropped_connection_on_get_is_retried(mode: Mode, fault: Reply) -> None:
    with FaultServer([fault, OK]) as server:
        outcome, sleeps = send(mode, GET_JOB, base_url=server.url)
    assert isinstance(outcome, ApiResponse)
    assert server.hits == 2
    assert sleeps == [0.5]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fault", [Reply.reset(), Reply.close()], ids=["reset", "close"])
def test_dropped_connection_on_post_is_not_retried(mode: Mode, fault: Reply) -> None:
    # The server read the whole request before dropping it: it may have acted.
    with FaultServer([fault, OK]) as server:
        outcome, sleeps = send(mode, RUN_JOB, base_url=server.url)
    assert isinstance(outcome, ApiConnectionError)
    assert isinstance(outcome.__cause__, (httpx.ReadError, httpx.RemoteProtocolError))
    assert server.hits == 1
    assert sleeps == []


@pytest.mark.parametrize("mode", MODES)
def test_connection_refused_on_post_is_retried_then_raised(mode: Mode) -> None:
    with refused_port() as port:
        outcome, sleeps = send(mode, RUN_JOB, base_url=f"http://127.0.0.1:{port}")
    assert isinstance(outcome, ApiConnectionError)
    assert isinstance(outcome.__cause__, httpx.ConnectError)
    assert "after 3 attempts" in str(outcome)
    assert sleeps == [0.5, 1.0]  # three attempts, two waits


# --- Faults a socket cannot stage on demand, through MockTransport --------------------


def raising(error: Callable[[httpx.Request], Exception], failures: int) -> tuple[httpx.MockTransport, list[str]]:
    """A transport that raises ``error`` for the first ``failures`` requests, then answers 200."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if len(seen) <= failures:
            raise error(request)
        return httpx.Response(200, json={"id": "j"})

    return httpx.MockTransport(handler), seen


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "error",
    [
        lambda r: httpx.ConnectTimeout("connect timed out", request=r),
        lambda r: httpx.PoolTimeout("no free connection", request=r),
    ],
    ids=["ConnectTimeout", "PoolTimeout"],
)
def test_post_retries_timeouts_before_sending(mode: Mode, error: Callable[[httpx.Request], Exception]) -> None:
    transport, seen = raising(error, failures=2)
    outcome, sleeps = send(mode, RUN_JOB, transport=transport)
    assert isinstance(outcome, ApiResponse)
    assert outcome.attempts == 3
    assert seen == ["POST"] * 3
    assert sleeps == [0.5, 1.0]


@pytest.mark.parametrize("mode", MODES)
def test_post_does_not_retry_write_timeout(mode: Mode) -> None:
    transport, seen = raising(lambda r: httpx.WriteTimeout("write timed out", request=r), failures=1)
    outcome, sleeps = send(mode, RUN_JOB, transport=transport)
    assert isinstance(outcome, ApiTimeoutError)
    assert len(seen) == 1
    assert sleeps == []


@pytest.mark.parametrize("mode", MODES)
def test_unsupported_protocol_is_not_retried(mode: Mode) -> None:
    transport, seen = raising(lambda r: httpx.UnsupportedProtocol("nope", request=r), failures=5)
    outcome, _ = send(mode, GET_JOB, transport=transport)
    assert isinstance(outcome, ApiConnectionError)
    assert len(seen) == 1


def test_jittered_delays_come_from_the_client_rng() -> None:
    transport, _ = raising(lambda r: httpx.ConnectError("refused", request=r), failures=2)
    sleeps: list[float] = []
    with DemoClient(token="t", transport=transport, retry=RetryPolicy(jitter=True)) as client:
        client._sleep = sleeps.append
        client._rng = lambda: 0.5
        client.request(GET_JOB, path_params=PATH_PARAMS, parse=lambda r: Job.model_validate_json(r.content))
    assert sleeps == [0.25, 0.5]


@pytest.mark.parametrize("mode", MODES)
def test_real_sleep_is_used_by_default(mode: Mode) -> None:
    transport, seen = raising(lambda r: httpx.ConnectError("refused", request=r), failures=1)
    policy = RetryPolicy(backoff_initial=0.05, backoff_max=0.05, jitter=False)
    started = time.monotonic()
    if mode == "sync":
        with DemoClient(token="t", transport=transport, retry=policy) as client:
            client.request(GET_JOB, path_params=PATH_PARAMS, parse=lambda r: Job.model_validate_json(r.content))
    else:

        async def run() -> None:
            async with AsyncDemoClient(token="t", transport=transport, retry=policy) as client:
                await client.request(
                    GET_JOB, path_params=PATH_PARAMS, parse=lambda r: Job.model_validate_json(r.content)
                )

        asyncio.run(run())
    assert len(seen) == 2
    assert time.monotonic() - started >= 0.05
