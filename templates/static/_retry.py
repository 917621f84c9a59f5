"""When to retry a request, and how long to wait first.

Everything here is a pure function of its arguments (no I/O, no clock, no
global random state), so the whole retry behaviour can be table-tested. The
clients in ``_base_client`` do the sleeping and the sending.

The rule, in one place
----------------------
*Idempotent* requests (GET, PUT, DELETE, HEAD, OPTIONS) are retried after a
connection failure, a timeout, or a status in ``RetryPolicy.retry_statuses``:
sending them twice has the same effect as sending them once.

*Non-idempotent* requests (POST, PATCH) are retried only when the server
provably did not act on them, because a second "run job" starts a second run:

* the connection could not be opened (``httpx.ConnectError``: refused, DNS
  failure, TLS handshake failure) or not opened in time
  (``httpx.ConnectTimeout``);
* no pooled connection became free in time (``httpx.PoolTimeout``): httpcore
  raises it while waiting for a connection slot, before a byte is written;
* the server answered 429 Too Many Requests, which means it refused the
  request without processing it.

They are never retried after ``ReadTimeout``/``WriteTimeout``, a dropped or
reset connection (``ReadError``, ``WriteError``, ``RemoteProtocolError``) or
any 5xx: in each of those cases the request may already have been acted on.
"""

from __future__ import annotations

import email.utils
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone

import httpx

__all__ = [
    "RetryPolicy",
    "backoff_delay",
    "parse_retry_after",
    "retry_after_from_headers",
    "should_retry",
]

#: Statuses whose ``Retry-After`` header is honoured (RFC 9110 §10.2.3 defines
#: it for 503 and 3xx; RFC 6585 adds 429).
RETRY_AFTER_STATUSES = frozenset({429, 503})

#: The one status that proves a non-idempotent request was not processed.
_REFUSED_UNPROCESSED = 429


@dataclass(frozen=True)
class RetryPolicy:
    """How persistently a client retries.

    ``max_attempts`` counts every attempt including the first, so ``1``
    disables retrying. Delays grow as ``backoff_initial * 2 ** (attempt - 1)``
    up to ``backoff_max``; with ``jitter`` each delay is drawn uniformly from
    ``[0, that value)`` ("full jitter") so that many clients failing together
    do not retry together. A server's ``Retry-After`` replaces the computed
    delay, capped at ``retry_after_max`` seconds.
    """

    max_attempts: int = 3
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    jitter: bool = True
    retry_after_max: float = 60.0
    retry_statuses: frozenset[int] = field(default_factory=lambda: frozenset({429, 502, 503, 504}))

    def __post_init__(self) -> None:
        # bool is an int subclass; True attempts is certainly a mistake.
        if isinstance(self.max_attempts, bool) or not isinstance(self.max_attempts, int):
            raise TypeError(f"max_attempts must be an int, got {self.max_attempts!r}")
        if self.max_attempts < 1:
            raise ValueError(
                f"max_attempts must be >= 1 (1 disables retries), got {self.max_attempts}"
            )
        for name in ("backoff_initial", "backoff_max", "retry_after_max"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{name} must be a number of seconds, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        if self.backoff_max < self.backoff_initial:
            raise ValueError(
                f"backoff_max ({self.backoff_max}) must be >= backoff_initial ({self.backoff_initial})"
            )
        statuses = frozenset(self.retry_statuses)  # accept any iterable, store a frozenset
        for status in statuses:
            if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
                raise ValueError(
                    f"retry_statuses may only contain 4xx/5xx status codes, got {status!r}"
                )
        object.__setattr__(self, "retry_statuses", statuses)

    @classmethod
    def disabled(cls) -> RetryPolicy:
        """A policy that makes exactly one attempt."""
        return cls(max_attempts=1)


def should_retry(
    policy: RetryPolicy,
    *,
    attempt: int,
    idempotent: bool,
    status: int | None = None,
    error: BaseException | None = None,
) -> bool:
    """Decide whether the attempt numbered ``attempt`` (1-based) deserves another.

    Pass the response ``status`` when one was received, or the httpx ``error``
    raised instead. See the module docstring for the rule.
    """
    if attempt >= policy.max_attempts:
        return False
    if status is not None:
        if status not in policy.retry_statuses:
            return False
        return idempotent or status == _REFUSED_UNPROCESSED
    if error is not None:
        if idempotent:
            return _is_transient(error)
        return _provably_not_sent(error)
    return False


def _provably_not_sent(error: BaseException) -> bool:
    """True when the request cannot have reached the server."""
    return isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))


def _is_transient(error: BaseException) -> bool:
    """True for network trouble that a second attempt may not meet.

    ``UnsupportedProtocol`` and ``LocalProtocolError`` are mistakes on our
    side (a bad URL, an illegal header) that would fail identically again.
    """
    if isinstance(error, (httpx.UnsupportedProtocol, httpx.LocalProtocolError)):
        return False
    return isinstance(error, httpx.TransportError)


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header value.

    The value is either a number of seconds or an HTTP-date. A negative
    number or a date in the past means "now" (0.0). Returns ``None`` when
    there is no usable value; the caller applies any cap.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return _seconds_until_http_date(value, now=now)
    if not math.isfinite(seconds):  # "inf", "nan"
        return None
    return max(0.0, seconds)


def _seconds_until_http_date(value: str, *, now: datetime) -> float | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    # HTTP-dates are always GMT; treat any naive datetime as UTC.
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return max(0.0, (when - now).total_seconds())


def retry_after_from_headers(
    status: int, headers: Mapping[str, str], *, now: datetime
) -> float | None:
    """The server's ``Retry-After`` hint, for the statuses that define one."""
    if status not in RETRY_AFTER_STATUSES:
        return None
    return parse_retry_after(headers.get("retry-after"), now=now)


def backoff_delay(
    policy: RetryPolicy,
    attempt: int,
    *,
    retry_after: float | None,
    rng: Callable[[], float] = random.random,
) -> float:
    """Seconds to sleep after failed attempt ``attempt`` (1-based).

    A server-provided ``retry_after`` wins, capped at
    ``policy.retry_after_max``; otherwise exponential backoff, with full
    jitter when enabled. ``rng`` returns a float in ``[0, 1)``, like
    ``random.random``; tests pass a constant.
    """
    if retry_after is not None:
        return min(max(0.0, retry_after), policy.retry_after_max)
    # Bound the exponent: 0.5 * 2 ** 2000 overflows a float long after any cap applies.
    exponent = min(max(0, attempt - 1), 62)
    ceiling = min(policy.backoff_max, policy.backoff_initial * 2.0**exponent)
    if policy.jitter:
        return ceiling * rng()
    return ceiling
