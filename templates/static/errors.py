"""Every exception the client raises.

::

    ApiError                        base of everything the client raises
    ├── MissingCredentialsError     no credential the operation accepts was given;
    │                               raised before anything is sent
    ├── RequestValidationError      (also a ValueError) the request body violates the
    │                               spec; raised before anything is sent
    ├── ResponseValidationError     a 2xx body that does not match the spec
    ├── TransportError              no response: wraps the httpx exception as __cause__
    │   ├── ApiConnectionError      could not connect, or the connection broke
    │   └── ApiTimeoutError         connect, write, read or pool timeout
    └── ApiStatusError              the server answered with a non-2xx status
        ├── BadRequestError             400
        ├── AuthenticationError         401
        ├── PermissionDeniedError       403
        ├── NotFoundError               404
        ├── ConflictError               409
        ├── UnprocessableEntityError    422
        ├── RateLimitError              429 (.retry_after)
        └── InternalServerError         5xx

Catch ``ApiError`` to handle anything; catch a leaf to handle one case.

Messages name the operation as ``METHOD /path`` but never include request
headers: the ``Authorization`` header carries the API token. For the same
reason the validation errors are stored without the offending input values,
which could be secrets such as environment variables in a job definition.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timezone

import httpx
import pydantic
from pydantic_core import ErrorDetails

from ._retry import parse_retry_after

__all__ = [
    "ApiConnectionError",
    "ApiError",
    "ApiStatusError",
    "ApiTimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MissingCredentialsError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseValidationError",
    "TransportError",
    "UnprocessableEntityError",
    "describe_request",
    "format_error_location",
    "status_error_from_response",
]

#: Response headers that may carry an id support can trace a request by.
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-correlation-id")

#: How much of an unexpected body or of error details goes into a message.
_MAX_SNIPPET = 200


class ApiError(Exception):
    """Base class of every exception raised by the client."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MissingCredentialsError(ApiError):
    """The caller gave no credential that the operation's security accepts; nothing was sent.

    The message names the constructor arguments and environment variables that
    would satisfy it, never a value.
    """


# --- Validation --------------------------------------------------------------


class RequestValidationError(ApiError, ValueError):
    """The request does not satisfy the API spec; nothing was sent.

    ``errors`` lists pydantic's error details (without input values); the
    message names every offending field by its dotted wire-name path, for
    example ``deployment.vcs.projectUrl: String should match pattern ...``.
    """

    def __init__(self, message: str, *, errors: list[ErrorDetails]) -> None:
        super().__init__(message)
        self.errors = errors

    @classmethod
    def from_errors(cls, subject: str, errors: list[ErrorDetails]) -> RequestValidationError:
        """Build from error details found while validating ``subject``."""
        return cls(_summarise_errors(f"Invalid {subject}", errors), errors=errors)

    @classmethod
    def from_pydantic(
        cls, exc: pydantic.ValidationError, *, subject: str
    ) -> RequestValidationError:
        """Build from a pydantic error raised while validating ``subject``."""
        return cls.from_errors(subject, exc.errors(include_url=False, include_input=False))


class ResponseValidationError(ApiError):
    """A 2xx response whose body does not match the spec.

    ``body`` is the decoded JSON when the body is JSON, else the raw text.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object,
        errors: list[ErrorDetails],
    ) -> None:
        super().__init__(message)
        self.response = response
        self.body = body
        self.errors = errors

    @classmethod
    def from_parse_error(cls, response: httpx.Response, exc: ValueError) -> ResponseValidationError:
        """Build from whatever ``parse`` raised: a pydantic or a JSON error."""
        if isinstance(exc, pydantic.ValidationError):
            errors = exc.errors(include_url=False, include_input=False)
        else:
            errors = [
                ErrorDetails(type="json_invalid", loc=(), msg=f"Invalid JSON: {exc}", input=None)
            ]
        head = f"Unexpected {_status_line(response.status_code)} response body for {describe_request(response)}"
        _, body = _decode_body(response)
        return cls(_summarise_errors(head, errors), response=response, body=body, errors=errors)


def format_error_location(loc: tuple[int | str, ...]) -> str:
    """``("deployment", "vcs", "projectUrl")`` -> ``"deployment.vcs.projectUrl"``.

    List indices are shown as ``[0]`` so that they cannot be mistaken for an
    object key named ``"0"``: ``("ports", 0, "name")`` -> ``"ports[0].name"``.
    """
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path or "(body)"


def _summarise_errors(head: str, errors: list[ErrorDetails]) -> str:
    count = len(errors)
    lines = [f"{head}: {count} validation error{'s' if count != 1 else ''}"]
    lines += [f"  {format_error_location(error['loc'])}: {error['msg']}" for error in errors]
    return "\n".join(lines)


# --- Transport ---------------------------------------------------------------


class TransportError(ApiError):
    """No response was received. The httpx exception is ``__cause__``."""

    def __init__(self, message: str, *, request: httpx.Request) -> None:
        super().__init__(message)
        self.request = request


class ApiConnectionError(TransportError):
    """The connection could not be opened, or broke before a response arrived."""


class ApiTimeoutError(TransportError):
    """A connect, write, read or connection-pool timeout expired."""


# --- Status ------------------------------------------------------------------


class ApiStatusError(ApiError):
    """The server answered with a non-2xx status.

    Attributes:
        status_code: the HTTP status.
        message: the server's own message: from the fields of the error body
            the spec declares for this status (``message``, ``description``,
            ``detail`` ..., prefixed by a ``code``), else from the usual
            ``{"error": {"message": ...}}`` shape, else a short description.
        error_id: ``error.id`` from the body, if any.
        details: ``error.details`` from the body, if any.
        body: the decoded JSON body, or the raw text when it is not JSON.
        parsed: the body as the model the spec declares for this status (or
            its ``4XX`` range, or ``default``); None when it declares none or
            the body does not match it.
        response: the ``httpx.Response``.
        request_id: from an ``x-request-id``-style response header, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object,
        error_id: str | None = None,
        details: object = None,
        parsed: pydantic.BaseModel | None = None,
    ) -> None:
        self.status_code = response.status_code
        self.error_id = error_id
        self.details = details
        self.body = body
        self.parsed = parsed
        self.response = response
        self.request_id = _request_id(response.headers)
        super().__init__(self._format(message))
        # ApiError sets .message to its argument; keep the server's words here.
        self.message = message

    def _format(self, message: str) -> str:
        text = f"{_status_line(self.status_code)}: {message}"
        if self.error_id:
            text += f" (error id {self.error_id})"
        text += f" [{describe_request(self.response)}]"
        if self.request_id:
            text += f" (request id {self.request_id})"
        if self.details is not None:
            text += f" details: {_snippet(json.dumps(self.details, default=str))}"
        return text


class BadRequestError(ApiStatusError):
    """400: the server rejected the request as malformed."""


class AuthenticationError(ApiStatusError):
    """401: the API token is missing, invalid or expired."""


class PermissionDeniedError(ApiStatusError):
    """403: the token is valid but lacks permission for this operation."""


class NotFoundError(ApiStatusError):
    """404: the resource (or a parent of it) does not exist."""


class ConflictError(ApiStatusError):
    """409: the request conflicts with the resource's current state."""


class UnprocessableEntityError(ApiStatusError):
    """422: the request is well-formed but semantically invalid."""


class RateLimitError(ApiStatusError):
    """429: too many requests. ``retry_after`` is the server's hint in seconds."""

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: object,
        error_id: str | None = None,
        details: object = None,
        parsed: pydantic.BaseModel | None = None,
    ) -> None:
        super().__init__(
            message,
            response=response,
            body=body,
            error_id=error_id,
            details=details,
            parsed=parsed,
        )
        self.retry_after = parse_retry_after(
            response.headers.get("retry-after"), now=datetime.now(timezone.utc)
        )


class InternalServerError(ApiStatusError):
    """5xx: the server failed. Retrying an idempotent request may help."""


_STATUS_ERRORS: dict[int, type[ApiStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


#: Declared fields that carry an error's human-readable text, in order of preference.
_MESSAGE_FIELDS = ("message", "description", "detail", "error_description", "title", "error", "msg")
#: Declared fields that carry a machine-readable error code.
_CODE_FIELDS = ("code", "error_code", "type")


def status_error_from_response(
    response: httpx.Response,
    error_models: Sequence[tuple[str, type[pydantic.BaseModel]]] = (),
) -> ApiStatusError:
    """The exception for a non-2xx ``response``, whose body has been read.

    ``error_models`` are the operation's declared error bodies, ``(status,
    model)`` with statuses like ``"404"``, ``"4XX"`` or ``"default"``: the
    body is parsed into the one that applies, and the message comes from its
    fields. Without one, the shape ``{"error": {"message", "id", "details"}}``
    is understood; any other body is summarised in the message.
    """
    status = response.status_code
    error_class = _STATUS_ERRORS.get(status)
    if error_class is None:
        error_class = InternalServerError if 500 <= status <= 599 else ApiStatusError

    text, body = _decode_body(response)
    message, error_id, details = _unpack_error_body(body, text)
    parsed = _parse_declared(status, body, text, error_models)
    if parsed is not None:
        message = _declared_message(parsed) or message
    return error_class(
        message, response=response, body=body, error_id=error_id, details=details, parsed=parsed
    )


def _parse_declared(
    status: int,
    body: object,
    text: str,
    error_models: Sequence[tuple[str, type[pydantic.BaseModel]]],
) -> pydantic.BaseModel | None:
    """The body as the model declared for ``status``, its range or ``default``; None otherwise."""
    declared = dict(error_models)
    model = (
        declared.get(str(status)) or declared.get(f"{str(status)[0]}XX") or declared.get("default")
    )
    if model is None or body is text:
        return None
    try:
        return model.model_validate_json(text)
    except ValueError:
        return None


def _declared_message(parsed: pydantic.BaseModel) -> str | None:
    """``"P0200: Not found"`` from a declared error body's code and message fields."""
    data = parsed.model_dump(mode="json", by_alias=True)
    if not isinstance(data, dict):
        return None
    lowered = {str(key).lower(): value for key, value in data.items()}
    message = next(
        (lowered[k] for k in _MESSAGE_FIELDS if isinstance(lowered.get(k), str) and lowered[k]),
        None,
    )
    if message is None:
        return None
    code = next((lowered[k] for k in _CODE_FIELDS if isinstance(lowered.get(k), (str, int))), None)
    return f"{code}: {message}" if code is not None and not isinstance(code, bool) else message


def _decode_body(response: httpx.Response) -> tuple[str, object]:
    """The body as text, and as decoded JSON (or that same text if not JSON)."""
    try:
        text = response.text
    except httpx.ResponseNotRead:  # a streamed response nobody read: say so, don't do I/O
        return "", ""
    try:
        return text, json.loads(text)
    except ValueError:
        return text, text


def _unpack_error_body(body: object, text: str) -> tuple[str, str | None, object]:
    """(message, error id, details) from a decoded error body."""
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            error_id = error.get("id")
            return (
                error["message"],
                error_id if isinstance(error_id, str) else None,
                error.get("details"),
            )
        # Gateways in front of the API sometimes use a flat {"message": ...}.
        if isinstance(body.get("message"), str):
            return body["message"], None, None
    if not text.strip():
        return "(empty response body)", None, None
    if body is text:
        return f"non-JSON response body: {_snippet(text)}", None, None
    return f"unexpected error body: {_snippet(text)}", None, None


def _request_id(headers: httpx.Headers) -> str | None:
    for name in REQUEST_ID_HEADERS:
        value: str | None = headers.get(name)
        if value:
            return value
    return None


def describe_request(source: httpx.Response | httpx.Request) -> str:
    """``"GET /v1/projects/p/jobs/j"``: method and raw path, no query, no headers.

    The raw (still percent-encoded) path is used so that an id containing
    ``/`` reads as it was sent.
    """
    try:
        request = source.request if isinstance(source, httpx.Response) else source
    except RuntimeError:  # a Response built by hand has no request
        return "request unknown"
    path = request.url.raw_path.split(b"?", 1)[0].decode("ascii", "replace")
    return f"{request.method} {path}"


def _status_line(status: int) -> str:
    """``"404 Not Found"``; just ``"599"`` for a status without a standard phrase."""
    reason = httpx.codes.get_reason_phrase(status)
    return f"{status} {reason}" if reason else str(status)


def _snippet(text: str) -> str:
    """Whitespace-collapsed ``text``, truncated so messages stay one glance long."""
    flat = " ".join(text.split())
    if len(flat) <= _MAX_SNIPPET:
        return flat
    return flat[: _MAX_SNIPPET - 3] + "..."
