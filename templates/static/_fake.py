"""The engine of the testing fake: an in-process httpx transport that plays the API from its spec.

``testing.py`` loads every operation from ``_fake_operations.json`` (data the
generator writes beside it; ``load_operations``) and gives each one a typed
handle (``FakeOperation``); this module does the rest, for any API:

* routing: method and path template, the most specific template first (a
  literal segment beats a parameter); an unknown path is a 404, a known path
  with another method a 405;
* checking: credentials (401 without any the operation accepts), parameters
  and body (``_fake_checks``), answered with the operation's
  ``invalid_status`` (422 unless the spec declares only a 400) in the API's
  error shape, whose ``details`` name every offending field;
* answering: the next configured step, else the spec's example response;
* recording: every request it accepted (``FakeCall``) and every one it
  refused (``FakeRejection``).

Nothing here sleeps or touches the network. The client never imports this
module; only ``testing`` does.
"""

from __future__ import annotations

import base64
import difflib
import json
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar, cast
from urllib.parse import unquote

import httpx
import pydantic

from ._auth import SecurityScheme
from ._base_client import AsyncApiClient, SyncApiClient, _jsonable
from ._fake_checks import BodySpec, FieldProblem, ParamSpec, Refusal, read_body, read_params
from ._models import parse_json
from .errors import format_error_location

__all__ = [
    "FAKE_CREDENTIAL",
    "BodySpec",
    "FakeApi",
    "FakeCall",
    "FakeError",
    "FakeOperation",
    "FakeRejection",
    "FakeStep",
    "OperationSpec",
    "ParamSpec",
    "ResponseSpec",
    "Route",
    "connection_refused",
    "connection_reset",
    "error",
    "load_operations",
    "malformed_body",
    "reply",
    "timeout",
]

ResultT = TypeVar("ResultT")
BodyT = TypeVar("BodyT")

#: What the test client authenticates with: no real credential, so none can leak into a
#: recorded request, an assertion message or a log (the client masks it in reprs anyway).
FAKE_CREDENTIAL = "fake-credential-for-tests"


class FakeError(AssertionError):
    """The test set the fake up wrongly, or the fake was asked something it was not told.

    An ``AssertionError``, so a test reports it as a failure wherever it surfaces
    (the fake raises it from the transport: the client does not catch it).
    """


# --- What testing.py declares -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Route:
    """One path of an operation (an operation with variants has several)."""

    operation_id: str
    method: str
    path: str
    params: tuple[ParamSpec, ...] = ()
    """Path parameters only this path has (a variant's), besides the operation's own."""


@dataclass(frozen=True, slots=True)
class ResponseSpec:
    """One success response of an operation, and how its body maps to the client's result."""

    status: str  # "200", "2XX"
    kind: str  # "json" | "text" | "binary" | "empty"
    model: type[pydantic.BaseModel] | None
    attribute: str  # what the client takes from the parsed model: "" (itself), "root", "data"
    media_type: str
    example: str | None  # JSON text of the spec's example


@dataclass(frozen=True, slots=True)
class OperationSpec:
    name: str  # "jobs.get_job": how the test reaches it, fake.jobs.get_job
    routes: tuple[Route, ...]
    params: tuple[ParamSpec, ...]
    body: BodySpec | None
    responses: tuple[ResponseSpec, ...]
    invalid_status: int = 422
    security: tuple[tuple[str, ...], ...] | None = None  # alternatives; None: the API's default


def load_operations(
    table: str, model: Callable[[str], type[pydantic.BaseModel]]
) -> tuple[OperationSpec, ...]:
    """The operations of ``_fake_operations.json`` (generated beside ``testing.py``).

    ``{"//": <marker>, "operations": [...]}``, one operation per line; models are
    named, and ``model`` looks each name up.
    """

    def params(rows: list[list[Any]]) -> tuple[ParamSpec, ...]:
        return tuple(ParamSpec(*row) for row in rows)

    def named(name: str | None) -> type[pydantic.BaseModel] | None:
        return None if name is None else model(name)

    specs: list[OperationSpec] = []
    for row in json.loads(table)["operations"]:
        body = row["body"]
        specs.append(
            OperationSpec(
                name=row["name"],
                routes=tuple(
                    Route(op_id, method, path, params(extra))
                    for op_id, method, path, extra in row["routes"]
                ),
                params=params(row["params"]),
                body=None if body is None else BodySpec(body[0], body[1], named(body[2]), body[3]),
                responses=tuple(
                    ResponseSpec(status, kind, named(name), attribute, media, example)
                    for status, kind, name, attribute, media, example in row["responses"]
                ),
                invalid_status=row["invalid_status"],
                security=(
                    None
                    if row["security"] is None
                    else tuple(tuple(alternative) for alternative in row["security"])
                ),
            )
        )
    return tuple(specs)


# --- What a test records ----------------------------------------------------------


@dataclass(frozen=True)
class FakeCall(Generic[BodyT]):
    """One request the fake accepted, decoded as the API would read it.

    ``path_params``, ``query``, ``headers`` and ``cookies`` hold the declared
    parameters the request carried, by their Python names and typed as the
    spec says (``{"pet_id": 7}``); ``body`` is the request body as the
    operation's model (or text, bytes, None). ``status`` is what the fake
    answered, None when it raised a transport error instead.
    """

    operation: str
    operation_id: str
    path_params: dict[str, Any]
    query: dict[str, Any]
    headers: dict[str, Any]
    cookies: dict[str, Any]
    body: BodyT
    request: httpx.Request = field(repr=False)
    status: int | None


@dataclass(frozen=True)
class FakeRejection:
    """A request the fake refused, as the API would have: the status and why.

    ``operation`` is None when no operation matched (404, 405). ``problems``
    lists each offending field (``problem.location``, ``.field``, ``.type``,
    ``.message``), as the error body's ``details`` does.
    """

    operation: str | None
    status: int
    message: str
    problems: tuple[FieldProblem, ...]
    request: httpx.Request = field(repr=False)

    @property
    def fields(self) -> list[str]:
        """``["body.billing.deploymentPlan", "query.limit"]``: where each problem is."""
        return [f"{p.location}.{p.field}" if p.field else p.location for p in self.problems]


# --- Answers ----------------------------------------------------------------------


class FakeStep:
    """One answer of a fake operation; build them with ``error()``, ``timeout()``, ``reply()`` ...

    Pass them to ``FakeOperation.answers`` (with plain results, which are
    checked against the operation's response model).
    """

    def __init__(self, describe: str, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self._describe = describe
        self._answer = answer

    def __repr__(self) -> str:
        return f"<FakeStep {self._describe}>"


def _json_response(status: int, data: object, headers: Mapping[str, str] | None) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(data).encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )


def _error_body(status: int, message: str, error_id: str | None, details: object) -> dict[str, Any]:
    """The API's error shape, as ``errors.ApiStatusError`` reads it."""
    error: dict[str, Any] = {"status": status, "message": message}
    if error_id is not None:
        error["id"] = error_id
    if details is not None:
        error["details"] = details
    return {"error": error}


def error(
    status: int,
    message: str | None = None,
    *,
    error_id: str | None = None,
    details: object = None,
    retry_after: float | None = None,
    headers: Mapping[str, str] | None = None,
) -> FakeStep:
    """Answer ``status`` with the API's error body ``{"error": {"status", "message", "id", "details"}}``.

    ``retry_after`` sets the ``Retry-After`` header (seconds), as a 429 or 503 may carry.
    """
    if isinstance(status, bool) or not isinstance(status, int) or not 300 <= status <= 599:
        raise ValueError(f"an error status is 300-599, got {status!r}")
    text = message if message is not None else httpx.codes.get_reason_phrase(status) or "Error"
    sent = dict(headers or {})
    if retry_after is not None:
        sent["Retry-After"] = f"{retry_after:g}"
    body = _error_body(status, text, error_id, details)
    return FakeStep(f"error({status})", lambda request: _json_response(status, body, sent))


_TIMEOUTS: dict[str, type[httpx.TimeoutException]] = {
    "connect": httpx.ConnectTimeout,
    "read": httpx.ReadTimeout,
    "write": httpx.WriteTimeout,
    "pool": httpx.PoolTimeout,
}


def timeout(phase: Literal["connect", "read", "write", "pool"] = "read") -> FakeStep:
    """Raise the httpx timeout a real transport raises in ``phase`` (``httpx.ReadTimeout`` ...).

    The client retries per its policy: every phase for GET/PUT/DELETE, only
    ``connect`` and ``pool`` for POST (the request cannot have been sent).
    """
    if phase not in _TIMEOUTS:
        raise ValueError(f"phase is one of {sorted(_TIMEOUTS)}, got {phase!r}")
    exc_class = _TIMEOUTS[phase]

    def answer(request: httpx.Request) -> httpx.Response:
        raise exc_class("timed out", request=request)

    return FakeStep(f"timeout({phase!r})", answer)


def connection_reset() -> FakeStep:
    """Raise ``httpx.ReadError`` as when the server resets the connection mid-request."""

    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)

    return FakeStep("connection_reset()", answer)


def connection_refused() -> FakeStep:
    """Raise ``httpx.ConnectError`` as when nothing listens: the request never left."""

    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    return FakeStep("connection_refused()", answer)


def malformed_body(
    content: bytes = b'{"data": {"truncated',
    *,
    status: int = 200,
    content_type: str = "application/json",
) -> FakeStep:
    """Answer ``status`` with ``content`` as it is: the client raises ``ResponseValidationError``."""
    headers = {"content-type": content_type}
    return FakeStep(
        f"malformed_body(status={status})",
        lambda request: httpx.Response(status, content=content, headers=headers),
    )


def reply(
    status: int,
    *,
    body: object = None,
    content: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> FakeStep:
    """Answer exactly this, unchecked: ``body`` as JSON (models allowed), or raw ``content``.

    For what the spec does not describe, such as a value a newer API may send.
    """
    if content is not None and body is not None:
        raise ValueError("pass body or content, not both")
    if content is None:
        content = b"" if body is None else json.dumps(body, default=_jsonable).encode()
        kind = {} if body is None else {"content-type": "application/json"}
    else:
        kind = {}
    sent = {**kind, **(headers or {})}
    return FakeStep(
        f"reply({status})", lambda request: httpx.Response(status, content=content, headers=sent)
    )


def _status_number(status: str) -> int:
    return int(status) if status.isdigit() else 200


def _fits(case: ResponseSpec, value: object) -> bool | None:
    """Whether ``value`` is of the Python type this case gives; None when its type cannot tell."""
    if case.kind == "empty":
        return value is None
    if case.kind == "text":
        return isinstance(value, str)
    if case.kind == "binary":
        return isinstance(value, (bytes, bytearray))
    assert case.model is not None
    expected: Any = case.model
    if case.attribute:
        expected = case.model.model_fields[case.attribute].annotation
    try:
        return isinstance(value, expected)
    except TypeError:  # list[...], Literal[...]: only validation can tell
        return None


def _expected(case: ResponseSpec) -> str:
    if case.kind != "json" or case.model is None:
        return {"empty": "None", "text": "str"}.get(case.kind, "bytes")
    if not case.attribute:
        return case.model.__name__
    annotation = case.model.model_fields[case.attribute].annotation
    return getattr(annotation, "__name__", None) or str(annotation)


def _encode(case: ResponseSpec, value: object) -> bytes:
    """The body that answers ``value`` in this case, checked against its model (FakeError if not)."""
    if case.kind == "empty":
        if value is not None:
            raise FakeError(f"a {case.status} response has no body; return None")
        return b""
    if case.kind == "text":
        if not isinstance(value, str):
            raise FakeError(f"a {case.status} response is text; return a str")
        return value.encode()
    if case.kind == "binary":
        if not isinstance(value, (bytes, bytearray)):
            raise FakeError(f"a {case.status} response is binary; return bytes")
        return bytes(value)
    assert case.model is not None
    try:
        data = json.loads(json.dumps(value, default=_jsonable, allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise FakeError(f"cannot answer with {type(value).__name__}: {exc}") from None
    if case.attribute and case.attribute != "root":
        field_info = case.model.model_fields[case.attribute]
        data = {field_info.alias or case.attribute: data}
    text = json.dumps(data)
    try:
        case.model.model_validate_json(text)
    except pydantic.ValidationError as exc:
        problems = "\n".join(
            f"  {format_error_location(tuple(e['loc']))}: {e['msg']}"
            for e in exc.errors(include_url=False, include_input=False)
        )
        raise FakeError(
            f"{type(value).__name__} does not fit the {case.status} response ({case.model.__name__}):\n"
            f"{problems}"
        ) from None
    return text.encode()


def _content_type(case: ResponseSpec) -> dict[str, str]:
    if case.kind == "empty":
        return {}
    media = case.media_type or "application/json"
    if case.kind == "text" and "charset" not in media:
        media += "; charset=utf-8"
    return {"content-type": media}


# --- One operation --------------------------------------------------------------


class FakeOperation(Generic[ResultT, BodyT]):
    """One operation of the fake API: what it answers, and what it was sent.

    ``ResultT`` is what the client method returns, ``BodyT`` the request body
    model (``None`` for an operation without a body). Each ``returns`` /
    ``fails`` / ``times_out`` ... replaces what the operation answers from now
    on, every time; ``answers`` gives a sequence, one step per request, and a
    request after the last step is a ``FakeError``. Untold, an operation
    answers with the spec's example response.
    """

    def __init__(self, spec: OperationSpec, api: FakeApi) -> None:
        self._spec = spec
        self._api = api
        self._steps: list[FakeStep] = []
        self._repeat: FakeStep | None = None
        self._configured = False
        self._calls: list[FakeCall[BodyT]] = []

    def __repr__(self) -> str:
        return f"<FakeOperation {self._spec.name} calls={len(self._calls)}>"

    @property
    def name(self) -> str:
        """``"jobs.get_job"``."""
        return self._spec.name

    # Configuration

    def result(
        self, value: ResultT, *, status: int | None = None, headers: Mapping[str, str] | None = None
    ) -> FakeStep:
        """A step answering ``value``, checked now against the response model.

        ``status`` picks the response when the operation has several (201 or
        202); without it, the one whose Python type ``value`` has.
        """
        case = self._case_for(value, status)
        content = _encode(case, value)
        sent = {**_content_type(case), **(headers or {})}
        code = status if status is not None else _status_number(case.status)
        return FakeStep(
            f"result({type(value).__name__}, status={code})",
            lambda request: httpx.Response(code, content=content, headers=sent),
        )

    def answers(self, *steps: ResultT | FakeStep) -> None:
        """Answer the next requests with these, in order: results or steps (``error(429)`` ...)."""
        if not steps:
            raise ValueError("answers() needs at least one step")
        built = [s if isinstance(s, FakeStep) else self.result(s) for s in steps]
        with self._api._lock:
            self._steps, self._repeat, self._configured = built, None, True

    def _always(self, step: FakeStep) -> None:
        with self._api._lock:
            self._steps, self._repeat, self._configured = [], step, True

    def returns(
        self, value: ResultT, *, status: int | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        """Answer every request with ``value`` (checked now against the response model)."""
        self._always(self.result(value, status=status, headers=headers))

    def fails(
        self,
        status: int,
        message: str | None = None,
        *,
        error_id: str | None = None,
        details: object = None,
        retry_after: float | None = None,
    ) -> None:
        """Answer every request with ``status`` and the API's error body (see ``error``)."""
        self._always(
            error(status, message, error_id=error_id, details=details, retry_after=retry_after)
        )

    def times_out(self, phase: Literal["connect", "read", "write", "pool"] = "read") -> None:
        """Raise the httpx timeout of ``phase`` on every request (see ``timeout``)."""
        self._always(timeout(phase))

    def resets_connection(self) -> None:
        """Raise ``httpx.ReadError`` (connection reset) on every request."""
        self._always(connection_reset())

    def refuses_connection(self) -> None:
        """Raise ``httpx.ConnectError`` (connection refused) on every request."""
        self._always(connection_refused())

    def returns_malformed_body(
        self, content: bytes = b'{"data": {"truncated', *, status: int | None = None
    ) -> None:
        """Answer every request with a body that does not parse (see ``malformed_body``)."""
        code = status if status is not None else _status_number(self._spec.responses[0].status)
        self._always(malformed_body(content, status=code))

    def reset(self) -> None:
        """Forget what it was told and what it was sent: back to the spec's example."""
        with self._api._lock:
            self._steps, self._repeat, self._configured = [], None, False
            self._calls.clear()

    def example(self, status: int | None = None) -> ResultT:
        """The spec's example response, parsed as the client parses it (a new object each time).

        ``status`` picks the response when the operation has several. Raises
        ``FakeError`` when the spec gives no example.
        """
        case = self._example_case(status)
        value: object = None
        if case.kind in ("text", "binary"):
            text = _example_content(case)
            value = text.decode() if case.kind == "text" else text
        elif case.kind == "json":
            assert case.model is not None and case.example is not None
            value = parse_json(case.model, case.example.encode())
            if case.attribute:
                value = getattr(value, case.attribute)
        return cast(ResultT, value)

    # What it was sent

    @property
    def calls(self) -> list[FakeCall[BodyT]]:
        """Every request this operation accepted, oldest first (a copy)."""
        with self._api._lock:
            return list(self._calls)

    @property
    def call_count(self) -> int:
        return len(self._calls)

    @property
    def last_call(self) -> FakeCall[BodyT]:
        """The latest request; ``FakeError`` when there was none."""
        with self._api._lock:
            if not self._calls:
                raise FakeError(f"fake.{self.name} was never called")
            return self._calls[-1]

    # The engine's side

    def _case_for(self, value: object, status: int | None) -> ResponseSpec:
        cases = self._spec.responses
        if status is not None:
            exact = [c for c in cases if c.status == str(status)]
            ranged = [c for c in cases if c.status == f"{str(status)[:1]}XX"]
            if not exact + ranged:
                declared = ", ".join(c.status for c in cases)
                raise FakeError(f"fake.{self.name} answers {declared}, not {status}")
            return (exact + ranged)[0]
        if len(cases) == 1:
            if _fits(cases[0], value) is False:
                raise FakeError(
                    f"fake.{self.name} answers {_expected(cases[0])}, not {type(value).__name__}"
                )
            return cases[0]
        typed = [c for c in cases if _fits(c, value) is True]
        if len(typed) == 1:
            return typed[0]
        untyped = [c for c in cases if _fits(c, value) is None and _encodes(c, value)]
        if len(untyped) == 1 and not typed:
            return untyped[0]
        declared = ", ".join(c.status for c in cases)
        raise FakeError(
            f"fake.{self.name} answers {declared}: say which one {type(value).__name__} is, status=..."
        )

    def _example_case(self, status: int | None) -> ResponseSpec:
        cases = [c for c in self._spec.responses if status is None or c.status == str(status)]
        for case in cases:
            if case.kind == "empty" or case.example is not None:
                return case
        raise FakeError(
            f"the spec has no example response for fake.{self.name}; "
            f"tell it what to answer: fake.{self.name}.returns(...)"
        )

    def _next_step(self) -> FakeStep:
        if self._steps:
            return self._steps.pop(0)
        if self._repeat is not None:
            return self._repeat
        if self._configured:
            raise FakeError(
                f"fake.{self.name} was called more often than its answers(...) had steps"
            )
        case = self._example_case(None)
        content = b"" if case.example is None else _example_content(case)
        headers = _content_type(case)
        code = _status_number(case.status)
        return FakeStep(
            "example", lambda request: httpx.Response(code, content=content, headers=headers)
        )

    def _record(self, call: FakeCall[Any]) -> None:
        self._calls.append(call)


def _encodes(case: ResponseSpec, value: object) -> bool:
    try:
        _encode(case, value)
    except FakeError:
        return False
    return True


def _example_content(case: ResponseSpec) -> bytes:
    assert case.example is not None
    if case.kind in ("text", "binary"):
        value = json.loads(case.example)
        return (value if isinstance(value, str) else case.example).encode()
    return case.example.encode()


# --- Routing ----------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True)
class _CompiledRoute:
    route: Route
    operation: FakeOperation[Any, Any]
    segments: tuple[re.Pattern[str], ...]  # one per segment of the template, on the decoded segment
    names: tuple[str, ...]
    specificity: tuple[bool, ...]  # per segment: literal (True) or holding a parameter

    def match(self, segments: list[str]) -> dict[str, str] | None:
        """The path parameters, when the (decoded) segments are this route's; else None."""
        if len(segments) != len(self.segments):
            return None
        values: list[str] = []
        for pattern, segment in zip(self.segments, segments):
            found = pattern.fullmatch(segment)
            if found is None:
                return None
            values.extend(found.groups())
        return dict(zip(self.names, values))


def _segments(path: str) -> list[str]:
    """The decoded segments of a raw (percent-encoded) path: an encoded ``/`` stays inside its segment."""
    return [unquote(segment) for segment in path.lstrip("/").split("/")]


def _compile(route: Route, operation: FakeOperation[Any, Any]) -> _CompiledRoute:
    patterns: list[re.Pattern[str]] = []
    names: list[str] = []
    literal: list[bool] = []
    for segment in route.path.lstrip("/").split("/"):
        parts: list[str] = []
        position = 0
        for match in _PLACEHOLDER.finditer(segment):
            parts += [re.escape(segment[position : match.start()]), "(.+)"]
            names.append(match.group(1))
            position = match.end()
        parts.append(re.escape(segment[position:]))
        patterns.append(re.compile("".join(parts), re.DOTALL))
        literal.append(position == 0)
    return _CompiledRoute(route, operation, tuple(patterns), tuple(names), tuple(literal))


# --- The API ----------------------------------------------------------------------


class FakeApi(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """An httpx transport, sync and async, that answers as the API would; see the module docstring.

    Hand it to a client as ``transport=fake`` (or use the generated
    ``client()`` / ``async_client()`` factories). State is shared by both
    transports and guarded by a lock, so a client used from threads is fine.
    """

    def __init__(
        self,
        operations: tuple[OperationSpec, ...],
        *,
        base_url: str,
        security_schemes: tuple[SecurityScheme, ...],
        default_security: tuple[tuple[str, ...], ...],
    ) -> None:
        self.base_url = base_url.rstrip("/")
        # The path of the base URL as written (urlsplit would drop tabs and newlines from it).
        base_path = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*", "", self.base_url).strip("/")
        self._base_segments = _segments(base_path) if base_path else []
        self._schemes = {scheme.name: scheme for scheme in security_schemes}
        self._default_security = default_security
        self._lock = threading.RLock()
        self._operations: dict[str, FakeOperation[Any, Any]] = {}
        self._routes: list[_CompiledRoute] = []
        self._calls: list[FakeCall[Any]] = []
        self._rejected: list[FakeRejection] = []
        self._sleeps: list[float] = []
        for spec in operations:
            operation: FakeOperation[Any, Any] = FakeOperation(spec, self)
            self._operations[spec.name] = operation
            self._routes.extend(_compile(route, operation) for route in spec.routes)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.base_url} calls={len(self._calls)}>"

    def _operation(self, name: str) -> FakeOperation[Any, Any]:
        try:
            return self._operations[name]
        except KeyError:
            close = difflib.get_close_matches(name, list(self._operations), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise FakeError(f"the fake has no operation {name!r}{hint}") from None

    # What tests read

    @property
    def calls(self) -> list[FakeCall[Any]]:
        """Every request any operation accepted, oldest first (a copy)."""
        with self._lock:
            return list(self._calls)

    @property
    def rejected(self) -> list[FakeRejection]:
        """Every request the fake refused (401, 404, 405, 415, 400/422 ...), oldest first (a copy)."""
        with self._lock:
            return list(self._rejected)

    @property
    def sleeps(self) -> list[float]:
        """The delays, in seconds, that clients from ``client()``/``async_client()`` skipped."""
        with self._lock:
            return list(self._sleeps)

    def reset(self) -> None:
        """Every operation back to the spec's examples; calls, rejections and sleeps forgotten."""
        with self._lock:
            for operation in self._operations.values():
                operation.reset()
            self._calls.clear()
            self._rejected.clear()
            self._sleeps.clear()

    # Test clients

    def _attach(self, client: SyncApiClient | AsyncApiClient) -> None:
        """Let ``client`` retry without waiting: its delays are recorded in ``sleeps`` instead.

        Jitter is pinned to its ceiling, so the recorded delays are the
        policy's longest waits, the same on every run.
        """
        client._rng = lambda: 1.0
        if isinstance(client, AsyncApiClient):

            async def skip_async(seconds: float) -> None:
                self._note_sleep(seconds)

            client._sleep = skip_async
        else:
            client._sleep = self._note_sleep

    def _note_sleep(self, seconds: float) -> None:
        with self._lock:
            self._sleeps.append(seconds)

    # The transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return self._handle(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self._handle(request)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            try:
                matched, path_values = self._route(request)
            except Refusal as refusal:
                return self._refuse(request, None, refusal)
            operation = matched.operation
            spec = operation._spec
            try:
                self._check_credentials(spec, request)
                params = read_params(
                    spec.params + matched.route.params,
                    path_values,
                    request,
                    invalid_status=spec.invalid_status,
                )
                body = read_body(spec.body, request, invalid_status=spec.invalid_status)
            except Refusal as refusal:
                return self._refuse(request, operation.name, refusal)
            try:
                step = operation._next_step()
                response = step._answer(request)
            except (FakeError, httpx.TransportError):
                self._record(operation, matched, params, body, request, None)
                raise
            self._record(operation, matched, params, body, request, response.status_code)
            return response

    def _record(
        self,
        operation: FakeOperation[Any, Any],
        matched: _CompiledRoute,
        params: dict[str, dict[str, Any]],
        body: object,
        request: httpx.Request,
        status: int | None,
    ) -> None:
        call: FakeCall[Any] = FakeCall(
            operation=operation.name,
            operation_id=matched.route.operation_id,
            path_params=params["path"],
            query=params["query"],
            headers=params["header"],
            cookies=params["cookie"],
            body=body,
            request=request,
            status=status,
        )
        operation._record(call)
        self._calls.append(call)

    def _route(self, request: httpx.Request) -> tuple[_CompiledRoute, dict[str, str]]:
        raw = request.url.raw_path.decode("ascii").split("?", 1)[0]
        segments = _segments(raw)
        base = self._base_segments
        if segments[: len(base)] != base or len(segments) == len(base):
            raise Refusal(404, f"No operation at {raw}: the fake serves {self.base_url}")
        segments = segments[len(base) :]
        matches = [(r, v) for r in self._routes if (v := r.match(segments)) is not None]
        if not matches:
            raise Refusal(404, f"No operation at {request.method} {raw}")
        allowed = [(r, v) for r, v in matches if r.route.method == request.method]
        if not allowed:
            methods = ", ".join(sorted({r.route.method for r, _ in matches}))
            raise Refusal(405, f"{raw} takes {methods}, not {request.method}")
        return max(allowed, key=lambda pair: pair[0].specificity)

    def _check_credentials(self, spec: OperationSpec, request: httpx.Request) -> None:
        """Accepts what the client sends: an alternative in full, or in part (see ``_auth``)."""
        requirements = self._default_security if spec.security is None else spec.security
        if not requirements or any(not alternative for alternative in requirements):
            return
        for alternative in requirements:
            schemes = [self._schemes[name] for name in alternative if name in self._schemes]
            if any(_presents(scheme, request) for scheme in schemes):
                return
        raise Refusal(401, "Missing or invalid credentials")

    def _refuse(
        self, request: httpx.Request, operation: str | None, refusal: Refusal
    ) -> httpx.Response:
        self._rejected.append(
            FakeRejection(operation, refusal.status, refusal.message, refusal.problems, request)
        )
        details = [p.as_json() for p in refusal.problems] or None
        body = _error_body(refusal.status, refusal.message, None, details)
        return _json_response(refusal.status, body, None)


def _presents(scheme: SecurityScheme, request: httpx.Request) -> bool:
    """Whether the request carries a credential of the kind ``scheme`` names (any value)."""
    if scheme.kind in ("bearer", "basic"):
        kind, _, credential = request.headers.get("authorization", "").partition(" ")
        if kind.lower() != scheme.kind or not credential.strip():
            return False
        if scheme.kind == "basic":
            try:
                return ":" in base64.b64decode(credential, validate=True).decode()
            except ValueError:
                return False
        return True
    if scheme.location == "query":
        return bool(request.url.params.get(scheme.parameter))
    if scheme.location == "cookie":
        return f"{scheme.parameter}=" in request.headers.get("cookie", "")
    return bool(request.headers.get(scheme.parameter))
