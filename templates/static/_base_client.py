"""Base classes of the generated clients: authentication, URLs, retries, errors.

A generated client subclasses ``SyncApiClient`` (or ``AsyncApiClient``), sets
the class attributes that describe its API, and implements one method per
operation on top of ``request``::

    GET_JOB = Endpoint("GET", "/v1/projects/{projectId}/jobs/{jobId}", "getJob", idempotent=True)

    class JobsClient(SyncApiClient):
        default_base_url = "https://api.example.com"
        token_env_var = "EXAMPLE_API_TOKEN"

        def get_job(self, job_id: str, *, project_id: str) -> Job:
            return self.request(
                GET_JOB,
                path_params={"projectId": project_id, "jobId": job_id},
                parse=lambda response: parse_json(Job, response.content),
            ).parsed

The two clients share everything but I/O: ``_BaseClient`` builds requests,
interprets responses and makes retry decisions; the subclasses only send and
sleep, one with ``httpx.Client`` and ``time.sleep``, the other with
``httpx.AsyncClient`` and ``asyncio.sleep``.
"""

from __future__ import annotations

import difflib
import enum
import json
import logging
import os
import random
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from types import TracebackType
from typing import Any, ClassVar, Generic, TypeVar, final
from urllib.parse import quote, urlencode

import httpx
import pydantic
import pydantic.fields
from pydantic_core import ErrorDetails

from ._auth import Credentials, Requirement, SecurityScheme, apply_security, describe_missing
from ._encoding import (
    FieldEncoding,
    ParamEncoding,
    encode_body,
    encode_cookies,
    encode_headers,
    encode_path,
    encode_query,
)
from ._logging import AttemptLog, log_attempt, log_retry
from ._params import check_params
from ._response import ApiResponse, capture, streaming_requested
from ._retry import RetryPolicy, backoff_delay, retry_after_from_headers, should_retry
from .errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    MissingCredentialsError,
    RequestValidationError,
    ResponseValidationError,
    TransportError,
    describe_request,
    status_error_from_response,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "AsyncApiClient",
    "Endpoint",
    "NotGiven",
    "SyncApiClient",
    "parse_any",
    "validate_body",
]

T = TypeVar("T")
M = TypeVar("M", bound=pydantic.BaseModel)
_HttpxClientT = TypeVar("_HttpxClientT", httpx.Client, httpx.AsyncClient)
_SyncClientT = TypeVar("_SyncClientT", bound="SyncApiClient")
_AsyncClientT = TypeVar("_AsyncClientT", bound="AsyncApiClient")

#: Generous for slow operations, but a dead host is noticed within seconds.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


@final
class NotGiven:
    """Type of ``NOT_GIVEN``: "argument omitted", where ``None`` means something.

    ``request(timeout=None)`` disables the timeout; ``request()`` keeps the
    client's.
    """

    _instance: ClassVar[NotGiven | None] = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One operation of the API, as the generator read it from the spec."""

    method: str
    """HTTP method in upper case: ``"GET"``, ``"POST"``, ..."""
    path: str
    """Path template with wire names in braces: ``"/v1/projects/{projectId}"``."""
    operation_id: str
    """The spec's operationId, used in log records and messages."""
    idempotent: bool
    """Whether sending the request twice is as safe as sending it once.

    Decides which failures are retried: see ``_retry``.
    """
    content_type: str | None = None
    """Media type of the request body; decides its encoding (see ``_encoding``)."""
    params: tuple[ParamEncoding, ...] = ()
    """How each declared parameter is serialised (its location, style and explode)."""
    body_fields: tuple[FieldEncoding, ...] = ()
    """The spec's ``encoding`` of a form or multipart body, per property."""
    security: tuple[Requirement, ...] | None = None
    """Alternatives of scheme names sent together; None: the client's default."""
    accept: str = "application/json"
    """The ``Accept`` header: every media type the operation's responses declare."""
    errors: tuple[tuple[str, type[pydantic.BaseModel]], ...] = ()
    """``(status, model)`` of each error body the spec declares (``"404"``, ``"4XX"``, ``"default"``)."""


# --- Request building (pure helpers) -------------------------------------------


def validate_body(model: type[M], body: object) -> M:
    """Check ``body`` against ``model`` before anything is sent.

    ``body`` is plain JSON data using the API's wire names, or an instance of
    ``model``. Either way it is checked as the JSON it will be sent as, with no
    coercion (``True`` is not an integer, ``"1"`` is not a number), and a key
    the schema does not declare is refused unless the schema allows additional
    properties: a typo or a Python field name (``runtime_environment`` for
    ``runtimeEnvironment``) would otherwise be sent, or silently dropped.
    Instances are checked again because ``model_construct`` and attribute
    assignment bypass validation; only the fields that were set are sent.

    Raises ``RequestValidationError`` naming every offending field. The
    pydantic error is not chained: its text repeats the input values, which
    may be secrets.
    """
    subject = f"{model.__name__} request body"
    binary: dict[str, object] = {}
    if isinstance(body, model) and any(
        _is_binary(getattr(body, name)) for name in body.model_fields_set
    ):
        fields = type(body).model_fields
        body = {
            fields[n].alias or n: getattr(body, n) for n in body.model_fields_set if n in fields
        }
    if isinstance(body, Mapping):
        # Binary parts (multipart uploads) cannot be JSON: each is checked as an empty
        # string, which a binary schema accepts, and put back unchanged afterwards.
        binary = {key: value for key, value in body.items() if _is_binary(value)}
        body = {
            key: (_placeholder(value) if key in binary else value) for key, value in body.items()
        }
    if isinstance(body, model):
        # warnings=False: a model_construct()ed instance may hold values of the
        # wrong type; validation below reports them properly.
        text = body.model_dump_json(by_alias=True, exclude_unset=True, warnings=False)
    else:
        try:
            text = json.dumps(body, default=_jsonable, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise RequestValidationError.from_errors(
                subject, [ErrorDetails(type="json_type", loc=(), msg=str(exc), input=None)]
            ) from None
    try:
        # Wire names only: with populate_by_name a key "foo_bar" could otherwise
        # fill the field whose wire name is "fooBar" (constructors still take
        # Python names; data from outside is always by wire name).
        validated = model.model_validate_json(text, by_name=False)
    except pydantic.ValidationError as exc:
        raise RequestValidationError.from_pydantic(exc, subject=subject) from None
    undeclared = list(_undeclared_keys(validated, ()))
    if undeclared:
        raise RequestValidationError.from_errors(subject, undeclared)
    if binary:
        by_wire = {field.alias or name: name for name, field in model.model_fields.items()}
        validated = validated.model_copy(
            update={by_wire[key]: value for key, value in binary.items() if key in by_wire}
        )
    return validated


def _is_binary(value: object) -> bool:
    """Bytes, a readable file-like object, or a non-empty list of them: what upload fields take."""
    if isinstance(value, (list, tuple)):
        return bool(value) and all(_is_binary(item) for item in value)
    return isinstance(value, (bytes, bytearray)) or callable(getattr(value, "read", None))


def _placeholder(value: object) -> object:
    return ["" for _ in value] if isinstance(value, (list, tuple)) else ""


def _jsonable(value: object) -> object:
    """JSON for what plain data may hold besides JSON types: models and enum members."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False)
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(
        f"Object of type {type(value).__name__} cannot be sent as JSON; "
        "pass strings (for example an ISO 8601 date-time), numbers, booleans, lists and dicts"
    )


def _undeclared_keys(value: object, loc: tuple[int | str, ...]) -> Iterator[ErrorDetails]:
    """Every key the request holds that its schema does not declare, with its location."""
    if isinstance(value, pydantic.RootModel):
        yield from _undeclared_keys(value.root, loc)
    elif isinstance(value, pydantic.BaseModel):
        fields = type(value).model_fields
        if not getattr(value, "__additional_properties__", True):
            wire_names = {field.alias or name: name for name, field in fields.items()}
            for key in value.model_extra or {}:
                read_only = key in getattr(value, "__read_only__", ())
                yield ErrorDetails(
                    type="read_only_key" if read_only else "undeclared_key",
                    loc=(*loc, key),
                    msg=(
                        f"Read-only field: the API sets {key!r}; leave it out of the request"
                        if read_only
                        else _undeclared_message(key, fields, wire_names)
                    ),
                    input=None,
                )
        for name in value.model_fields_set:
            field = fields.get(name)
            if field is not None:
                yield from _undeclared_keys(getattr(value, name), (*loc, field.alias or name))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _undeclared_keys(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _undeclared_keys(item, (*loc, key))


def _undeclared_message(
    key: str, fields: Mapping[str, pydantic.fields.FieldInfo], wire_names: Mapping[str, str]
) -> str:
    if key in fields and (fields[key].alias or key) != key:
        return f"Unknown field; {key!r} is the Python name, the wire name is {fields[key].alias!r}"
    close = difflib.get_close_matches(key, list(wire_names), n=1, cutoff=0.8)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"Unknown field: the schema declares no {key!r}{hint}"


def _clean_secret(value: str | None, what: str) -> str | None:
    # A secret read from a file or a shell variable often ends in a newline.
    value = (value or "").strip()
    if not value:
        return None
    if not all(" " <= char <= "~" for char in value):
        # httpx would reject the header with an error quoting its value.
        raise ApiError(f"The {what} contains characters that are not allowed in an HTTP header")
    return value


#: What the generated constructors pass: each scheme's argument, a (user, password) pair for basic.
CredentialArgs = Mapping[str, "str | tuple[str | None, str | None] | None"]


def _resolve_credentials(
    given: CredentialArgs,
    *,
    schemes: tuple[SecurityScheme, ...],
    required: tuple[Requirement, ...],
) -> Credentials:
    """The caller's credentials by scheme, each from its argument, else its environment variable.

    A client that could send nothing any default alternative accepts is refused
    here, rather than with a 401 later; operations with other security are
    checked when called.
    """
    secrets: dict[str, str | tuple[str, str]] = {}
    for scheme in schemes:
        value = given.get(scheme.name)
        if scheme.kind == "basic":
            user, password = value if isinstance(value, tuple) else (None, None)
            if user is None and password is None and len(scheme.env_vars) == 2:
                user, password = (os.environ.get(var) for var in scheme.env_vars)
            if user is None and password is None:
                continue
            if user is None or password is None:
                raise MissingCredentialsError(
                    f"HTTP basic authentication ({scheme.name}) needs both "
                    + " and ".join(f"{arg}=..." for arg in scheme.arguments)
                )
            secrets[scheme.name] = (user, password)
            continue
        text = value if isinstance(value, str) else None
        if text is None and scheme.env_vars:
            text = os.environ.get(scheme.env_vars[0])
        cleaned = _clean_secret(
            text, f"credential for {', '.join(scheme.arguments) or scheme.name}"
        )
        if cleaned is not None:
            secrets[scheme.name] = cleaned
    credentials = Credentials(secrets)
    if required and not secrets and all(required):
        raise MissingCredentialsError("No credentials: pass " + describe_missing(schemes, required))
    return credentials


def _resolve_base_url(base_url: str | None, default: str) -> str:
    url = (base_url or default).strip()
    if not url:
        raise ApiError("No base URL: pass base_url=...")
    if not url.startswith(("https://", "http://")):
        if base_url is None:
            # The spec's server URL is relative to wherever the spec is served from.
            raise ApiError(
                f"The spec's server URL {url!r} is relative: pass base_url=... with the API's "
                f"scheme and host (for example 'https://api.example.com{url if url.startswith('/') else ''}')"
            )
        raise ValueError(f"base_url must start with https:// or http://, got {url!r}")
    return url.rstrip("/")


def _elapsed_ms(started: float) -> float:
    return (time.monotonic() - started) * 1000


_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


def _raw_endpoint(
    method: str,
    path: str,
    *,
    content_type: str | None,
    security: tuple[Requirement, ...] | None,
) -> Endpoint:
    """An Endpoint for a call the spec does not describe (``raw_request``)."""
    if "{" in path or "}" in path or "?" in path:
        raise ValueError(
            f"raw_request takes a concrete path without braces or a query, got {path!r}: "
            "fill in the ids yourself and pass query parameters as query=..."
        )
    if not path.startswith("/"):
        raise ValueError(f"raw_request takes a path starting with '/', got {path!r}")
    verb = method.upper()
    return Endpoint(
        method=verb,
        path=path,
        operation_id=f"{verb} {path}",
        idempotent=verb in _IDEMPOTENT_METHODS,
        content_type=content_type,
        security=security,
        accept="application/json, */*",
    )


def _raw_body(json_body: object, content: bytes | str | None) -> bytes | str | None:
    if json_body is not None and content is not None:
        raise ValueError("Pass either json_body or content, not both")
    if json_body is not None:
        return json.dumps(json_body, default=_jsonable, allow_nan=False).encode()
    return content


def parse_any(response: httpx.Response) -> Any:
    """A response body by its media type: JSON decoded, text as ``str``, else ``bytes``; empty is None."""
    if not response.content:
        return None
    media_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type == "application/json" or media_type.endswith("+json"):
        return json.loads(response.content)
    if media_type.startswith("text/"):
        return response.text
    return response.content


# --- Behaviour shared by the sync and async clients -------------------------------


class _BaseClient(Generic[_HttpxClientT]):
    """Configuration, request building and response handling; no I/O."""

    default_base_url: ClassVar[str] = ""
    """Used when the constructor gets no ``base_url``."""
    token_env_var: ClassVar[str | None] = None
    """Environment variable holding the token when none is passed (see each scheme's ``env_vars``)."""
    user_agent: ClassVar[str] = "api-client"
    """``User-Agent`` header, e.g. ``"example_jobs/1.0.0 (python-httpx)"``."""
    logger_name: ClassVar[str] = __name__
    """Logger for per-attempt records; generated clients use their package name."""
    security_schemes: ClassVar[tuple[SecurityScheme, ...]] = (
        SecurityScheme("bearer", "bearer", arguments=("token",)),
    )
    """Every scheme the API declares, as the generator read them from the spec."""
    default_security: ClassVar[tuple[Requirement, ...]] = (("bearer",),)
    """Alternatives an operation accepts unless its Endpoint says otherwise."""

    _client: _HttpxClientT
    _owns_client: bool

    def __init__(
        self,
        *,
        credentials: CredentialArgs | None,
        base_url: str | None,
        timeout: float | httpx.Timeout | None,
        retry: RetryPolicy | None,
        default_headers: Mapping[str, str] | None,
    ) -> None:
        self._credentials = _resolve_credentials(
            credentials or {}, schemes=self.security_schemes, required=self.default_security
        )
        self.base_url = _resolve_base_url(base_url, self.default_base_url)
        self.timeout = timeout
        self.retry = retry if retry is not None else RetryPolicy()
        self.default_headers = dict(default_headers or {})
        self._logger = logging.getLogger(self.logger_name)
        # Seams for tests: randomness for jitter and "now" for Retry-After dates.
        self._rng: Callable[[], float] = random.random
        self._now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)

    def __repr__(self) -> str:
        given = ", ".join(
            f"{scheme.arguments[0] if scheme.arguments else scheme.name}='***'"
            for scheme in self.security_schemes
            if self._credentials.has(scheme.name)
        )
        return f"{type(self).__name__}(base_url={self.base_url!r}{', ' if given else ''}{given})"

    @staticmethod
    def _prepare(
        endpoint: Endpoint,
        path_params: Mapping[str, object] | None,
        params: Mapping[str, Mapping[str, object] | None],
        body: object,
        extra_body: Mapping[str, object] | None,
    ) -> tuple[str, dict[str, Any]]:
        """Every value checked, the filled path and the encoded body: what the retries share."""
        check_params(
            endpoint.operation_id,
            [(p.name, p.location, p.schema) for p in endpoint.params],
            {"path": path_params, **params},
        )
        path = encode_path(
            endpoint.path, path_params or {}, endpoint.params, operation_id=endpoint.operation_id
        )
        if body is None and extra_body:
            # An operation without a body sends the extra keys as a JSON object.
            content = json.dumps(dict(extra_body), default=_jsonable, allow_nan=False)
            return path, {
                "content": content.encode(),
                "headers": {"Content-Type": endpoint.content_type or "application/json"},
            }
        encoded = encode_body(
            body, endpoint.content_type, fields=endpoint.body_fields, extra=extra_body
        )
        return path, encoded

    def _build_request(
        self,
        endpoint: Endpoint,
        path: str,
        *,
        query: Mapping[str, Any] | None,
        headers: Mapping[str, Any] | None,
        cookies: Mapping[str, Any] | None,
        body: dict[str, Any],
        timeout: float | httpx.Timeout | None | NotGiven,
        extra_headers: Mapping[str, str] | None,
        extra_query: Mapping[str, object] | None,
    ) -> httpx.Request:
        auth_headers: dict[str, str] = {}
        auth_query: list[tuple[str, str]] = []
        cookie_values = {k: v for k, v in (cookies or {}).items() if v is not None}
        requirements = self.default_security if endpoint.security is None else endpoint.security
        apply_security(
            self.security_schemes,
            requirements,
            self._credentials,
            auth_headers,
            auth_query,
            cookie_values,
        )
        # The query string is built here, not by httpx, so each parameter's style
        # (and allowReserved) reaches the wire exactly as the spec declares it.
        query_string = "&".join(
            part
            for part in (
                encode_query(query, endpoint.params),
                urlencode(auth_query, quote_via=quote),
                encode_query(extra_query),
            )
            if part
        )
        cookie_header = encode_cookies(cookie_values, endpoint.params)
        # Later sources win, names compared case-insensitively, as httpx.Headers.update
        # would do; merged once here because six updates cost more than the rest of this method.
        merged: dict[str, tuple[str, str]] = {}
        for source in (
            {"Accept": endpoint.accept, "User-Agent": self.user_agent},
            auth_headers,
            body.get("headers", {}),
            encode_headers(headers, endpoint.params),
            {} if cookie_header is None else {"Cookie": cookie_header},
            self.default_headers,
            extra_headers or {},
        ):
            for name, value in source.items():
                merged[name.lower()] = (name, value)
        # httpx.Headers, not a dict: its repr masks Authorization should this
        # object ever reach a log or an error report's captured locals.
        sent = httpx.Headers(list(merged.values()))
        url = self.base_url + path + (f"?{query_string}" if query_string else "")
        return self._client.build_request(
            endpoint.method,
            url,
            content=body.get("content"),
            data=body.get("data"),
            files=body.get("files"),
            headers=sent,
            # Always explicit, so the policy also applies to a caller's http_client.
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
        )

    def _attempt_log(
        self,
        endpoint: Endpoint,
        path: str,
        attempt: int,
        elapsed_ms: float,
        *,
        status: int | None = None,
        error: BaseException | None = None,
    ) -> AttemptLog:
        return AttemptLog(
            operation_id=endpoint.operation_id,
            method=endpoint.method,
            path_template=endpoint.path,
            path=path,
            attempt=attempt,
            max_attempts=self.retry.max_attempts,
            elapsed_ms=elapsed_ms,
            status=status,
            error=error,
        )

    def _delay_after_response(
        self, endpoint: Endpoint, response: httpx.Response, record: AttemptLog
    ) -> float | None:
        """Seconds to wait before retrying after ``response``, or None to stop."""
        log_attempt(self._logger, record)
        if not should_retry(
            self.retry,
            attempt=record.attempt,
            idempotent=endpoint.idempotent,
            status=response.status_code,
        ):
            return None
        retry_after = retry_after_from_headers(
            response.status_code, response.headers, now=self._now()
        )
        delay = backoff_delay(self.retry, record.attempt, retry_after=retry_after, rng=self._rng)
        log_retry(self._logger, record, delay=delay)
        return delay

    def _delay_after_error(
        self, endpoint: Endpoint, error: httpx.RequestError, record: AttemptLog
    ) -> float | None:
        """Seconds to wait before retrying after ``error``, or None to stop."""
        log_attempt(self._logger, record)
        if not should_retry(
            self.retry, attempt=record.attempt, idempotent=endpoint.idempotent, error=error
        ):
            return None
        delay = backoff_delay(self.retry, record.attempt, retry_after=None, rng=self._rng)
        log_retry(self._logger, record, delay=delay)
        return delay

    @staticmethod
    def _api_response(
        endpoint: Endpoint,
        response: httpx.Response,
        parse: Callable[[httpx.Response], T],
        *,
        elapsed_ms: float,
        attempts: int,
    ) -> ApiResponse[T]:
        """The final response as an ``ApiResponse``, or the matching exception."""
        if not response.is_success:
            raise status_error_from_response(response, endpoint.errors)
        try:
            parsed = parse(response)
        except ValueError as exc:
            # ValidationError, JSONDecodeError and UnicodeDecodeError are all ValueErrors.
            raise ResponseValidationError.from_parse_error(response, exc) from None
        result = ApiResponse(
            parsed=parsed,
            http_response=response,
            elapsed=timedelta(milliseconds=elapsed_ms),
            attempts=attempts,
        )
        capture(result)  # for client.<tag>.with_raw_response.<operation>()
        return result

    @staticmethod
    def _streamed(
        response: httpx.Response, *, elapsed_ms: float, attempts: int
    ) -> ApiResponse[Any]:
        """A 2xx response whose body the caller reads as it arrives (``stream(...)``): not parsed here."""
        result: ApiResponse[Any] = ApiResponse(
            parsed=None,
            http_response=response,
            elapsed=timedelta(milliseconds=elapsed_ms),
            attempts=attempts,
        )
        capture(result)
        return result

    @staticmethod
    def _transport_error(
        error: httpx.RequestError, request: httpx.Request, *, attempts: int
    ) -> TransportError:
        """Our exception for an httpx one; the caller chains it as ``__cause__``."""
        timed_out = isinstance(error, httpx.TimeoutException)
        kind = "Timed out" if timed_out else "Connection failed"
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        cause = type(error).__name__ + (f": {error}" if str(error) else "")
        message = f"{kind}{tries}: {describe_request(request)} ({cause})"
        error_class = ApiTimeoutError if timed_out else ApiConnectionError
        return error_class(message, request=request)


# --- The clients ---------------------------------------------------------------


class SyncApiClient(_BaseClient[httpx.Client]):
    """Blocking client on ``httpx.Client``.

    Args:
        credentials: the secret for each security scheme, by scheme name (a
            ``(username, password)`` pair for HTTP basic); a scheme left out
            falls back to its environment variable. Generated clients take
            one argument per scheme and pass them here.
        base_url: defaults to ``default_base_url``.
        timeout: applied to every request, also through a caller's
            ``http_client``; ``None`` disables timeouts.
        retry: ``RetryPolicy()`` when omitted; ``RetryPolicy.disabled()``
            for a single attempt.
        default_headers: sent with every request (per-call ``extra_headers``
            override them).
        http_client: an ``httpx.Client`` to send through (proxies, custom TLS,
            connection limits). The caller owns it: ``close()`` leaves it open.
        transport: an ``httpx.BaseTransport`` for the client we create, e.g.
            ``httpx.MockTransport`` in tests. Not combinable with http_client.
    """

    def __init__(
        self,
        *,
        credentials: CredentialArgs | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if http_client is not None and transport is not None:
            raise ValueError("Pass either http_client or transport, not both")
        super().__init__(
            credentials=credentials,
            base_url=base_url,
            timeout=timeout,
            retry=retry,
            default_headers=default_headers,
        )
        self._owns_client = http_client is None
        if http_client is None:
            http_client = httpx.Client(transport=transport, timeout=timeout)
        self._client = http_client
        self._sleep: Callable[[float], None] = time.sleep

    def request(
        self,
        endpoint: Endpoint,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        body: object = None,
        parse: Callable[[httpx.Response], T],
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ApiResponse[T]:
        """Send one operation, retrying per the policy, and parse a 2xx body.

        Raises ``ApiStatusError`` (a subclass per status) for a non-2xx
        response, ``ResponseValidationError`` when ``parse`` rejects a 2xx
        body, ``ApiTimeoutError``/``ApiConnectionError`` when no response
        arrived, and ``MissingCredentialsError`` or ``RequestValidationError``
        before anything is sent.
        """
        path, encoded = self._prepare(
            endpoint,
            path_params,
            {"query": query, "header": headers, "cookie": cookies},
            body,
            extra_body,
        )
        streaming = streaming_requested()
        attempt = 0
        while True:
            attempt += 1
            request = self._build_request(
                endpoint,
                path,
                query=query,
                headers=headers,
                cookies=cookies,
                body=encoded,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
            )
            started = time.monotonic()
            try:
                response = self._client.send(request, stream=streaming)
            except httpx.RequestError as exc:
                record = self._attempt_log(endpoint, path, attempt, _elapsed_ms(started), error=exc)
                delay = self._delay_after_error(endpoint, exc, record)
                if delay is None:
                    raise self._transport_error(exc, request, attempts=attempt) from exc
            else:
                elapsed_ms = _elapsed_ms(started)
                record = self._attempt_log(
                    endpoint, path, attempt, elapsed_ms, status=response.status_code
                )
                delay = self._delay_after_response(endpoint, response, record)
                if delay is None:
                    if streaming and response.is_success:
                        return self._streamed(response, elapsed_ms=elapsed_ms, attempts=attempt)
                    if streaming:
                        response.read()  # the error's body, for the exception
                    return self._api_response(
                        endpoint, response, parse, elapsed_ms=elapsed_ms, attempts=attempt
                    )
                if streaming:
                    response.close()
            self._sleep(delay)

    def raw_request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        json_body: object = None,
        content: bytes | str | None = None,
        content_type: str | None = None,
        security: tuple[Requirement, ...] | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ApiResponse[Any]:
        """Call an endpoint the spec does not describe (yet), with this client's set-up.

        ``path`` is concrete (``"/v1/things/abc"``) and relative to the base URL.
        The call authenticates like an operation with the API's default
        security (or ``security``, alternatives of scheme names), retries per
        the policy when the method is idempotent, and raises the same errors.
        The result's ``parsed`` is decoded JSON, text, bytes or None, by the
        response's media type (``parse_any``).
        """
        body = _raw_body(json_body, content)
        endpoint = _raw_endpoint(
            method,
            path,
            content_type=content_type or ("application/json" if json_body is not None else None),
            security=security,
        )
        return self.request(
            endpoint,
            query=query,
            body=body,
            parse=parse_any,
            timeout=timeout,
            extra_headers=extra_headers,
        )

    def close(self) -> None:
        """Close the connection pool, unless the caller supplied it."""
        if self._owns_client:
            self._client.close()

    def __enter__(self: _SyncClientT) -> _SyncClientT:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


async def _asyncio_sleep(seconds: float) -> None:
    # Imported here: asyncio costs ~25 ms to import and sync-only programs never need it.
    import asyncio

    await asyncio.sleep(seconds)


class AsyncApiClient(_BaseClient[httpx.AsyncClient]):
    """Non-blocking client on ``httpx.AsyncClient``; see ``SyncApiClient``.

    Waits between retries with ``asyncio.sleep``, so it needs an asyncio
    event loop.
    """

    def __init__(
        self,
        *,
        credentials: CredentialArgs | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if http_client is not None and transport is not None:
            raise ValueError("Pass either http_client or transport, not both")
        super().__init__(
            credentials=credentials,
            base_url=base_url,
            timeout=timeout,
            retry=retry,
            default_headers=default_headers,
        )
        self._owns_client = http_client is None
        if http_client is None:
            http_client = httpx.AsyncClient(transport=transport, timeout=timeout)
        self._client = http_client
        self._sleep: Callable[[float], Awaitable[None]] = _asyncio_sleep

    async def request(
        self,
        endpoint: Endpoint,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        body: object = None,
        parse: Callable[[httpx.Response], T],
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, object] | None = None,
        extra_body: Mapping[str, object] | None = None,
    ) -> ApiResponse[T]:
        """Send one operation, retrying per the policy, and parse a 2xx body.

        See ``SyncApiClient.request``.
        """
        path, encoded = self._prepare(
            endpoint,
            path_params,
            {"query": query, "header": headers, "cookie": cookies},
            body,
            extra_body,
        )
        streaming = streaming_requested()
        attempt = 0
        while True:
            attempt += 1
            request = self._build_request(
                endpoint,
                path,
                query=query,
                headers=headers,
                cookies=cookies,
                body=encoded,
                timeout=timeout,
                extra_headers=extra_headers,
                extra_query=extra_query,
            )
            started = time.monotonic()
            try:
                response = await self._client.send(request, stream=streaming)
            except httpx.RequestError as exc:
                record = self._attempt_log(endpoint, path, attempt, _elapsed_ms(started), error=exc)
                delay = self._delay_after_error(endpoint, exc, record)
                if delay is None:
                    raise self._transport_error(exc, request, attempts=attempt) from exc
            else:
                elapsed_ms = _elapsed_ms(started)
                record = self._attempt_log(
                    endpoint, path, attempt, elapsed_ms, status=response.status_code
                )
                delay = self._delay_after_response(endpoint, response, record)
                if delay is None:
                    if streaming and response.is_success:
                        return self._streamed(response, elapsed_ms=elapsed_ms, attempts=attempt)
                    if streaming:
                        await response.aread()  # the error's body, for the exception
                    return self._api_response(
                        endpoint, response, parse, elapsed_ms=elapsed_ms, attempts=attempt
                    )
                if streaming:
                    await response.aclose()
            await self._sleep(delay)

    async def raw_request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, object] | None = None,
        json_body: object = None,
        content: bytes | str | None = None,
        content_type: str | None = None,
        security: tuple[Requirement, ...] | None = None,
        timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> ApiResponse[Any]:
        """Call an endpoint the spec does not describe (yet), with this client's set-up.

        ``path`` is concrete (``"/v1/things/abc"``) and relative to the base URL.
        The call authenticates like an operation with the API's default
        security (or ``security``, alternatives of scheme names), retries per
        the policy when the method is idempotent, and raises the same errors.
        The result's ``parsed`` is decoded JSON, text, bytes or None, by the
        response's media type (``parse_any``).
        """
        body = _raw_body(json_body, content)
        endpoint = _raw_endpoint(
            method,
            path,
            content_type=content_type or ("application/json" if json_body is not None else None),
            security=security,
        )
        return await self.request(
            endpoint,
            query=query,
            body=body,
            parse=parse_any,
            timeout=timeout,
            extra_headers=extra_headers,
        )

    async def aclose(self) -> None:
        """Close the connection pool, unless the caller supplied it."""
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self: _AsyncClientT) -> _AsyncClientT:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
