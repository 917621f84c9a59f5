"""The successful result of one API call: the parsed body plus the raw HTTP response."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Generic, TypeVar

import httpx

from .errors import describe_request

__all__ = ["ApiResponse"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ApiResponse(Generic[T]):
    """A 2xx response and the value parsed from its body.

    Attributes:
        parsed: the body, validated into the operation's response type.
        http_response: the underlying ``httpx.Response`` (already read).
        elapsed: wall time of the final attempt, from sending the request
            to having read the whole body.
        attempts: how many attempts it took (1 when nothing was retried).
    """

    parsed: T
    http_response: httpx.Response
    elapsed: timedelta
    attempts: int = 1

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def content(self) -> bytes:
        return self.http_response.content

    def __repr__(self) -> str:
        # Names the parsed type but not its value: response bodies can hold
        # secrets (a job's environment), and reprs end up in logs.
        return (
            f"<ApiResponse [{self.status_code}] {describe_request(self.http_response)}"
            f" parsed={type(self.parsed).__name__}"
            f" elapsed={self.elapsed.total_seconds() * 1000:.0f}ms attempts={self.attempts}>"
        )
