"""Log records the clients emit, in one place so sync and async log identically.

One DEBUG record per attempt and one WARNING per retry. Each record carries
its facts as attributes (for structured log handlers) as well as in the
message:

================== ==========================================================
``api_operation``  operationId, e.g. ``"getJob"``
``http_method``    ``"GET"``
``http_path``      the path sent, parameters filled in and percent-encoded
``http_path_template`` the spec's path, e.g. ``"/v1/projects/{projectId}"``
``http_status``    the status code, or ``None`` when no response arrived
``attempt``        1-based attempt number; ``max_attempts`` the policy's limit
``elapsed_ms``     duration of this attempt in milliseconds
``error``          httpx exception class name when no response arrived
``retry_delay``    (WARNING only) seconds until the next attempt
================== ==========================================================

Headers are never logged: the ``Authorization`` header carries the token.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx

__all__ = ["AttemptLog", "log_attempt", "log_retry"]


@dataclass(frozen=True, slots=True)
class AttemptLog:
    """What one attempt did, as needed for its log records."""

    operation_id: str
    method: str
    path_template: str
    path: str
    attempt: int
    max_attempts: int
    elapsed_ms: float
    status: int | None = None
    error: BaseException | None = None

    @property
    def outcome(self) -> str:
        """``"200 OK"`` or ``"ReadTimeout: timed out"``."""
        if self.status is not None:
            return f"{self.status} {httpx.codes.get_reason_phrase(self.status)}".rstrip()
        if self.error is not None:
            detail = str(self.error)
            name = type(self.error).__name__
            return f"{name}: {detail}" if detail else name
        return "no outcome"

    def extra(self) -> dict[str, object]:
        return {
            "api_operation": self.operation_id,
            "http_method": self.method,
            "http_path": self.path,
            "http_path_template": self.path_template,
            "http_status": self.status,
            "attempt": self.attempt,
            "max_attempts": self.max_attempts,
            "elapsed_ms": round(self.elapsed_ms, 1),
            "error": type(self.error).__name__ if self.error is not None else None,
        }


def log_attempt(logger: logging.Logger, record: AttemptLog) -> None:
    """One DEBUG record for a finished attempt, successful or not."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    logger.debug(
        "%s: %s %s -> %s (attempt %d/%d, %.1f ms)",
        record.operation_id,
        record.method,
        record.path,
        record.outcome,
        record.attempt,
        record.max_attempts,
        record.elapsed_ms,
        extra=record.extra(),
    )


def log_retry(logger: logging.Logger, record: AttemptLog, *, delay: float) -> None:
    """One WARNING saying why and when the request will be sent again."""
    logger.warning(
        "%s: retrying %s %s in %.2f s after %s (attempt %d/%d failed)",
        record.operation_id,
        record.method,
        record.path,
        delay,
        record.outcome,
        record.attempt,
        record.max_attempts,
        extra={**record.extra(), "retry_delay": delay},
    )
