"""The successful result of one API call: the parsed body plus the raw HTTP response.

Every operation returns the parsed value; ``client.<tag>.with_raw_response``
offers the same operations returning the whole :class:`ApiResponse` instead
(status, headers, raw body, attempts), as openai-python does. They are the
same methods, wrapped by :func:`raw_response`: type checkers see each one's
own signature (through ``ParamSpec``) with ``ApiResponse[...]`` as its result.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Generic, ParamSpec, TypeVar

import httpx

from ._deprecation import called_through_a_wrapper
from .errors import describe_request

__all__ = [
    "ApiResponse",
    "AsyncStreamedResponse",
    "StreamedResponse",
    "astream",
    "async_raw_response",
    "is_json",
    "is_text",
    "raw_response",
    "stream",
    "streaming_requested",
]

T = TypeVar("T")
P = ParamSpec("P")


def _media_type(response: httpx.Response) -> str:
    header: str = response.headers.get("content-type", "")
    return header.split(";", 1)[0].strip().lower()


def is_json(response: httpx.Response) -> bool:
    """Whether the response says its body is JSON (``application/json`` or any ``+json``)."""
    media_type = _media_type(response)
    return media_type == "application/json" or media_type.endswith("+json")


def is_text(response: httpx.Response) -> bool:
    """Whether the response says its body is text (``text/*``)."""
    return _media_type(response).startswith("text/")


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


# Set while a wrapped call runs: the client's request() appends the ApiResponse it made.
_CAPTURED: contextvars.ContextVar[list[ApiResponse[Any]] | None] = contextvars.ContextVar(
    "_CAPTURED", default=None
)


def capture(response: ApiResponse[Any]) -> None:
    """Called by the client for every successful response; keeps it when a wrapper asked."""
    captured = _CAPTURED.get()
    if captured is not None:
        captured.append(response)


@contextmanager
def _capturing() -> Iterator[list[ApiResponse[Any]]]:
    captured: list[ApiResponse[Any]] = []
    token = _CAPTURED.set(captured)
    try:
        with called_through_a_wrapper():
            yield captured
    finally:
        _CAPTURED.reset(token)


def raw_response(method: Callable[P, T]) -> Callable[P, ApiResponse[T]]:
    """``method``, returning the whole :class:`ApiResponse` of its request instead of the parsed value."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> ApiResponse[T]:
        with _capturing() as captured:
            method(*args, **kwargs)
        return captured[-1]

    return wrapper


def async_raw_response(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[ApiResponse[T]]]:
    """The async twin of :func:`raw_response`."""

    @functools.wraps(method)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> ApiResponse[T]:
        with _capturing() as captured:
            await method(*args, **kwargs)
        return captured[-1]

    return wrapper


# --- Streaming a large body ----------------------------------------------------------

# Set while stream()/astream() runs an operation: the client sends it with stream=True and
# returns the 2xx response unread instead of parsing it.
_STREAMING: contextvars.ContextVar[bool] = contextvars.ContextVar("_STREAMING", default=False)


def streaming_requested() -> bool:
    """Whether the operation being sent was called through :func:`stream` or :func:`astream`."""
    return _STREAMING.get()


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class StreamedResponse:
    """A 2xx response whose body is read as it arrives; a context manager that closes it.

    ``with stream(client.files.download)("id") as response: for chunk in response.iter_bytes(): ...``
    Errors (non-2xx) are raised as usual, before anything is returned.
    """

    http_response: httpx.Response
    attempts: int = 1

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()

    def close(self) -> None:
        self.http_response.close()

    def __enter__(self) -> StreamedResponse:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<StreamedResponse [{self.status_code}] {describe_request(self.http_response)}>"


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class AsyncStreamedResponse:
    """The async twin of :class:`StreamedResponse`: ``async with`` and ``async for``."""

    http_response: httpx.Response
    attempts: int = 1

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def aiter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return self.http_response.aiter_text(chunk_size)

    def aiter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()

    async def aclose(self) -> None:
        await self.http_response.aclose()

    async def __aenter__(self) -> AsyncStreamedResponse:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return (
            f"<AsyncStreamedResponse [{self.status_code}] {describe_request(self.http_response)}>"
        )


@contextmanager
def _streaming() -> Iterator[list[ApiResponse[Any]]]:
    token = _STREAMING.set(True)
    try:
        with _capturing() as captured:
            yield captured
    finally:
        _STREAMING.reset(token)


def stream(method: Callable[P, Any]) -> Callable[P, StreamedResponse]:
    """``method`` (any operation), returning its 2xx body unread, to be read in pieces.

    For large downloads: ``with stream(client.files.get_file)("id") as r: for chunk in r.iter_bytes(): ...``.
    The call retries and raises exactly as ``method`` does; only the successful body is left to you.
    """

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> StreamedResponse:
        with _streaming() as captured:
            method(*args, **kwargs)
        return StreamedResponse(captured[-1].http_response, captured[-1].attempts)

    return wrapper


def astream(method: Callable[P, Awaitable[Any]]) -> Callable[P, Awaitable[AsyncStreamedResponse]]:
    """The async twin of :func:`stream`: ``async with await astream(client.files.get_file)("id") as r``."""

    @functools.wraps(method)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> AsyncStreamedResponse:
        with _streaming() as captured:
            await method(*args, **kwargs)
        return AsyncStreamedResponse(captured[-1].http_response, captured[-1].attempts)

    return wrapper
