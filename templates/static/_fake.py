"""The engine of the testing fake: an in-process httpx transport that plays the API from its spec.

``testing.py`` loads every operation from ``_fake_operations.json`` (data the
generator writes beside it; ``load_operations``) and gives each one a typed
handle (``FakeOperation``); this module does the rest, for any API:

* routing: method and path template, the most specific template first (a
  literal segment beats a parameter); an unknown path is a 404, a known path
  with another method a 405;
* checking: credentials (401, or 403 when the operation declares only a 403,
  without any alternative the operation accepts), parameters and body
  (``_fake_checks``, which decodes the wire by the OpenAPI rules), answered
  with the operation's ``invalid_status`` (422 unless the spec declares only
  a 400);
* answering: the next configured step, else the spec's example response;
* recording: every request it accepted (``FakeCall``) and every one it
  refused (``FakeRejection``).

Error bodies (a refusal, ``fails()``, ``error()``) take the shape the spec
declares for the status: its exact response, else its range (``4XX``), else
``default``. The body is that response's example with the message put in the
first string property named ``message``, ``description``, ``detail``,
``error_description``, ``title``, ``msg`` or ``error`` (at the top level, else
one level down, as in ``{"error": {"message": ...}}``), the offending field in
one named ``field``, ``param``, ``parameter``, ``path``, ``pointer`` or
``location``, and ``error_id``, ``details`` and the status in ``id``,
``details`` and ``status`` when the schema has them; it is sent with the
declared media type. Should the filled-in body not fit the declared model, the
example is sent as it is. Only for a status the spec declares nothing for is
the fallback shape used: ``{"error": {"status", "message", "id", "details"}}``
(``application/json``), where ``details`` lists each offending field of a
refusal (``{"in", "field", "type", "message"}``).

Nothing here sleeps or touches the network. The client never imports this
module; only ``testing`` does.
"""

from __future__ import annotations

import base64
import copy
import difflib
import enum
import json
import re
import threading
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar, cast
from urllib.parse import unquote

import httpx
import pydantic

from ._auth import SecurityScheme
from ._base_client import AsyncApiClient, SyncApiClient, _jsonable
from ._fake_checks import (
    BodySpec,
    FieldEncodingSpec,
    FieldProblem,
    ParamSpec,
    Refusal,
    read_body,
    read_params,
)
from ._models import parse_json
from ._params import load_schema
from .errors import format_error_location

__all__ = [
    "FAKE_CREDENTIAL",
    "BodySpec",
    "ErrorSpec",
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
class ErrorSpec:
    """One error response the spec declares for an operation, with a JSON body."""

    status: str  # "404", "4XX", "default"
    model: type[pydantic.BaseModel] | None
    example: str | None  # JSON text of the spec's example (or one built from the schema)
    media_type: str = "application/json"


@dataclass(frozen=True, slots=True)
class OperationSpec:
    name: str  # "jobs.get_job": how the test reaches it, fake.jobs.get_job
    routes: tuple[Route, ...]
    params: tuple[ParamSpec, ...]
    body: BodySpec | None
    responses: tuple[ResponseSpec, ...]
    invalid_status: int = 422
    security: tuple[tuple[str, ...], ...] | None = None  # alternatives; None: the API's default
    errors: tuple[ErrorSpec, ...] = ()


def load_operations(
    table: str, model: Callable[[str], type[pydantic.BaseModel]]
) -> tuple[OperationSpec, ...]:
    """The operations of ``_fake_operations.json`` (generated beside ``testing.py``).

    ``{"//": <marker>, "operations": [...]}``, one operation per line. Every row is keyed by the
    field names of the record it becomes (``OperationSpec``, ``Route``, ``ParamSpec``,
    ``BodySpec``, ``FieldEncodingSpec``, ``ResponseSpec``, ``ErrorSpec``); models are named,
    and ``model`` looks each name up.
    """

    def params(rows: list[dict[str, Any]]) -> tuple[ParamSpec, ...]:
        return tuple(ParamSpec(**row) for row in rows)

    def named(name: str | None) -> type[pydantic.BaseModel] | None:
        return None if name is None else model(name)

    def body_spec(row: dict[str, Any] | None) -> BodySpec | None:
        if row is None:
            return None
        fields = tuple(FieldEncodingSpec(**field) for field in row["fields"])
        return BodySpec(
            content_type=row["content_type"],
            encoding=row["encoding"],
            model=named(row["model"]),
            required=row["required"],
            fields=fields,
        )

    specs: list[OperationSpec] = []
    for row in json.loads(table)["operations"]:
        specs.append(
            OperationSpec(
                name=row["name"],
                routes=tuple(
                    Route(
                        operation_id=route["operation_id"],
                        method=route["method"],
                        path=route["path"],
                        params=params(route["params"]),
                    )
                    for route in row["routes"]
                ),
                params=params(row["params"]),
                body=body_spec(row["body"]),
                responses=tuple(
                    ResponseSpec(**{**response, "model": named(response["model"])})
                    for response in row["responses"]
                ),
                invalid_status=row["invalid_status"],
                security=(
                    None
                    if row["security"] is None
                    else tuple(tuple(alternative) for alternative in row["security"])
                ),
                errors=tuple(
                    ErrorSpec(**{**error, "model": named(error["model"])})
                    for error in row["errors"]
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

    def __init__(
        self,
        describe: str,
        answer: Callable[[httpx.Request], httpx.Response],
        *,
        error: _ErrorAnswer | None = None,
    ) -> None:
        self._describe = describe
        self._answer = answer
        self._error = error

    def __repr__(self) -> str:
        return f"<FakeStep {self._describe}>"

    def _respond(self, request: httpx.Request, errors: tuple[ErrorSpec, ...]) -> httpx.Response:
        """The answer; an error in the shape the answering operation declares for its status."""
        if self._error is not None:
            return self._error.response(errors)
        return self._answer(request)


def _json_response(status: int, data: object, headers: Mapping[str, str] | None) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(data).encode(),
        headers={"content-type": "application/json", **(headers or {})},
    )


def _error_body(status: int, message: str, error_id: str | None, details: object) -> dict[str, Any]:
    """The fallback error shape, for a status the spec declares nothing for (``errors`` reads it)."""
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
    """Answer ``status`` with the error body the spec declares for it, ``message`` filled in.

    The operation that answers picks the shape (see the module docstring): its
    declared response for ``status`` (exact, else ``4XX``, else ``default``)
    with ``message``, ``error_id`` and ``details`` put where its schema has room
    for them. For a status the spec declares nothing for, the fallback shape
    ``{"error": {"status", "message", "id", "details"}}``. ``retry_after`` sets
    the ``Retry-After`` header (seconds), as a 429 or 503 may carry.
    """
    if isinstance(status, bool) or not isinstance(status, int) or not 300 <= status <= 599:
        raise ValueError(f"an error status is 300-599, got {status!r}")
    text = message if message is not None else httpx.codes.get_reason_phrase(status) or "Error"
    sent = dict(headers or {})
    if retry_after is not None:
        sent["Retry-After"] = f"{retry_after:g}"
    answer = _ErrorAnswer(status, text, error_id=error_id, details=details, headers=sent)
    return FakeStep(f"error({status})", lambda request: answer.response(()), error=answer)


# --- Error bodies in the spec's shape --------------------------------------------

_MESSAGE_KEYS = ("message", "description", "detail", "error_description", "title", "msg", "error")
_FIELD_KEYS = ("field", "param", "parameter", "path", "pointer", "location")
_ID_KEYS = ("id", "error_id", "errorId")
_STATUS_KEYS = ("status", "statusCode", "status_code")


@dataclass(frozen=True)
class _ErrorAnswer:
    """An error to answer with; its body takes the shape the answering operation declares."""

    status: int
    message: str
    where: str | None = None  # the offending field: a parameter's name or a dotted body path
    error_id: str | None = None
    details: object = None
    headers: Mapping[str, str] | None = None

    def response(self, errors: tuple[ErrorSpec, ...]) -> httpx.Response:
        declared = _declared_error(errors, self.status)
        body = None if declared is None else self._declared_body(declared)
        if declared is None or body is None:
            fallback = _error_body(self.status, self.message, self.error_id, self.details)
            return _json_response(self.status, fallback, self.headers)
        return httpx.Response(
            self.status,
            content=json.dumps(body).encode(),
            headers={"content-type": declared.media_type, **(self.headers or {})},
        )

    def _declared_body(self, declared: ErrorSpec) -> object:
        """The declared example, filled in, that fits the declared model; None when none does."""
        if declared.example is None and declared.model is None:
            return None
        example: object = {} if declared.example is None else json.loads(declared.example)
        candidates = [
            _filled(example, declared.model, self, extras=True),
            _filled(example, declared.model, self, extras=False),
        ]
        if declared.example is None:  # built from the schema alone: only with the message in it
            candidates = [c for c in candidates if c != {} and _holds(c, self.message)]
        else:
            candidates.append(example)
        for body in candidates:
            if declared.model is None or _fits_model(declared.model, body):
                return body
        return None


def _declared_error(errors: tuple[ErrorSpec, ...], status: int) -> ErrorSpec | None:
    """The response the spec declares for ``status``: exact, else its range, else ``default``."""
    code = str(status)
    for wanted in (code, f"{code[:1]}XX", "DEFAULT"):
        for declared in errors:
            if declared.status.upper() == wanted:
                return declared
    return None


def _fits_model(model: type[pydantic.BaseModel], body: object) -> bool:
    try:
        model.model_validate_json(json.dumps(body))
    except (pydantic.ValidationError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class _Node:
    """One object of an error body: its data (changed in place) and its schema's properties."""

    data: dict[str, Any]
    properties: Mapping[str, tuple[frozenset[str], type[pydantic.BaseModel] | None]]

    def takes(self, key: str, kind: str | None) -> bool:
        """Whether the schema (else the example) has a property ``key`` holding a ``kind``."""
        declared = self.properties.get(key)
        if declared is not None:
            kinds = declared[0]
            return (
                kind is None
                or bool({kind, "any"} & kinds)
                or (kind == "integer" and "number" in kinds)
            )
        if key not in self.data:
            return False
        value = self.data[key]
        if kind == "string":
            return isinstance(value, str)
        if kind == "integer":
            return isinstance(value, int) and not isinstance(value, bool)
        return True


def _filled(
    example: object, model: type[pydantic.BaseModel] | None, answer: _ErrorAnswer, *, extras: bool
) -> object:
    """A copy of ``example`` holding the answer's message (and field, id, details, status)."""
    data = copy.deepcopy(example)
    if not isinstance(data, dict):
        return data
    top = _Node(data, _properties(model))
    for key, (_, nested_model) in top.properties.items():
        if nested_model is not None and key not in data:
            data[key] = {}  # an object the example leaves out: dropped again if nothing goes in
    nodes = [top]
    for key, value in data.items():
        if isinstance(value, dict):
            nested = top.properties.get(key)
            nodes.append(_Node(value, _properties(nested[1] if nested else None)))
    _put(nodes, _MESSAGE_KEYS, answer.message, "string")
    if answer.where:
        _put(nodes, _FIELD_KEYS, answer.where, "string")
    if extras:
        if answer.error_id is not None:
            _put(nodes, _ID_KEYS, answer.error_id, "string")
        if answer.details is not None:
            _put(
                nodes, ("details",), json.loads(json.dumps(answer.details, default=_jsonable)), None
            )
        _put(nodes, _STATUS_KEYS, answer.status, "integer")
    for key in [k for k, v in data.items() if v == {} and not _has(example, k)]:
        del data[key]
    return data


def _has(example: object, key: str) -> bool:
    return isinstance(example, dict) and key in example


def _holds(body: object, message: str) -> bool:
    """Whether the message went into ``body`` (at its top level or one level down)."""
    if not isinstance(body, dict):
        return False
    values = list(body.values())
    values += [v for child in values if isinstance(child, dict) for v in child.values()]
    return message in values


def _put(nodes: list[_Node], keys: tuple[str, ...], value: object, kind: str | None) -> None:
    for node in nodes:
        for key in keys:
            if node.takes(key, kind):
                node.data[key] = value
                return


def _properties(
    model: type[pydantic.BaseModel] | None,
) -> dict[str, tuple[frozenset[str], type[pydantic.BaseModel] | None]]:
    """A model's properties by wire name: the JSON types each holds, and its model if an object."""
    if model is None or issubclass(model, pydantic.RootModel):
        return {}
    return {
        info.alias or name: _kinds(info.annotation) for name, info in model.model_fields.items()
    }


def _kinds(
    annotation: Any, depth: int = 0
) -> tuple[frozenset[str], type[pydantic.BaseModel] | None]:
    """The JSON types an annotation allows (``"any"`` when it does not say), and its model."""
    if depth > 8 or annotation is Any:
        return frozenset({"any"}), None
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _kinds(typing.get_args(annotation)[0], depth + 1)
    if origin is typing.Union or origin is types.UnionType or origin is typing.Literal:
        kinds: set[str] = set()
        found: type[pydantic.BaseModel] | None = None
        for arg in typing.get_args(annotation):
            if origin is typing.Literal:
                arg = type(arg)
            elif arg is not Any and not isinstance(arg, type) and typing.get_origin(arg) is None:
                continue  # a sentinel (MISSING)
            arg_kinds, arg_model = _kinds(arg, depth + 1)
            kinds |= arg_kinds
            found = found or arg_model
        return frozenset(kinds), found
    if origin is not None:
        annotation = origin
    if not isinstance(annotation, type):
        return frozenset({"any"}), None
    if issubclass(annotation, enum.Enum):
        return frozenset().union(*(_kinds(type(m.value), depth + 1)[0] for m in annotation)), None
    if issubclass(annotation, pydantic.RootModel):
        root = annotation.model_fields.get("root")
        return _kinds(root.annotation if root is not None else Any, depth + 1)
    if issubclass(annotation, pydantic.BaseModel):
        return frozenset({"object"}), annotation
    for python, kind in _JSON_KINDS:
        if issubclass(annotation, python):
            return frozenset({kind}), None
    return frozenset({"any"}), None


_JSON_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (dict, "object"),
    (list, "array"),
    (tuple, "array"),
    (type(None), "null"),
)


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
        """Answer every request with ``status`` and the error body the spec declares for it.

        The declared response for ``status`` (exact, else its range such as
        ``4XX``, else ``default``) gives the shape: its example, with
        ``message`` (default: the status's reason phrase) in its message
        property, and ``error_id``, ``details`` where its schema has ``id`` and
        ``details`` (see the module docstring). For a status the spec declares
        nothing for, the documented fallback shape
        ``{"error": {"status", "message", "id", "details"}}``.
        """
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
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]")

#: What a parameter's value looks like on the wire, by its style, when it shares its segment
#: with another parameter; typed values are tried first (``{a}-{b}`` with integers is unambiguous).
_SHARED_STYLE = {"label": r"(\..*?)", "matrix": r"(;.*?)"}
_TYPED = {
    "integer": "-?[0-9]+",
    "number": "-?[0-9][0-9.eE+-]*",
    "boolean": "true|false",
}


@dataclass(frozen=True)
class _CompiledRoute:
    route: Route
    operation: FakeOperation[Any, Any]
    segments: tuple[re.Pattern[str], ...]  # one per segment of the template, on the raw segment
    names: tuple[str, ...]
    specificity: tuple[
        tuple[int, int], ...
    ]  # per segment: (literal 2, mixed 1, parameter 0; literal length)

    def match(self, segments: list[str]) -> dict[str, str] | None:
        """The path parameters' raw texts, when the raw segments are this route's; else None."""
        if len(segments) != len(self.segments):
            return None
        values: list[str] = []
        for pattern, segment in zip(self.segments, segments, strict=False):
            found = pattern.fullmatch(segment)
            if found is None:
                return None
            values.extend(found.groups())
        return dict(zip(self.names, values, strict=False))


def _segments(path: str) -> list[str]:
    """The decoded segments of a raw (percent-encoded) path: an encoded ``/`` stays inside its segment."""
    return [unquote(segment) for segment in path.lstrip("/").split("/")]


def _literal(text: str) -> str:
    """A regex for literal template text on the wire: each character as is or percent-encoded."""
    parts: list[str] = []
    for char in text:
        encoded = "".join(
            "%" + "".join(f"[{d}{d.lower()}]" if d.isalpha() else d for d in f"{byte:02X}")
            for byte in char.encode("utf-8")
        )
        parts.append(f"(?:{re.escape(char)}|{encoded})")
    return "".join(parts)


def _param_pattern(param: ParamSpec | None, shared: bool) -> str:
    """The group a path parameter's raw text is matched by."""
    if not shared or param is None:
        return "(.+?)"
    if param.style in _SHARED_STYLE:
        return _SHARED_STYLE[param.style]
    kinds = load_schema(param.schema).get("type") or []
    typed = [_TYPED[kind] for kind in kinds if kind in _TYPED]
    return f"({'|'.join(typed)}|.+?)" if typed else "(.+?)"


def _compile(route: Route, operation: FakeOperation[Any, Any]) -> _CompiledRoute:
    declared = {
        p.wire_name: p for p in operation._spec.params + route.params if p.location == "path"
    }
    patterns: list[re.Pattern[str]] = []
    names: list[str] = []
    specificity: list[tuple[int, int]] = []
    for segment in route.path.lstrip("/").split("/"):
        placeholders = list(_PLACEHOLDER.finditer(segment))
        parts: list[str] = []
        position = 0
        literal = 0
        for match in placeholders:
            parts += [
                _literal(segment[position : match.start()]),
                _param_pattern(declared.get(match.group(1)), len(placeholders) > 1),
            ]
            literal += match.start() - position
            names.append(match.group(1))
            position = match.end()
        parts.append(_literal(segment[position:]))
        literal += len(segment) - position
        patterns.append(re.compile("".join(parts), re.DOTALL))
        specificity.append((0 if not literal else 1, literal) if placeholders else (2, literal))
    return _CompiledRoute(route, operation, tuple(patterns), tuple(names), tuple(specificity))


def _absolute(base_url: str) -> str:
    """The base URL to serve at: a relative (``/api``) or protocol-relative (``//host/v1``) one made absolute."""
    url = base_url.strip()
    if url.startswith("//"):
        return "https:" + url
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", url):
        return "https://api.invalid" + ("/" + url.lstrip("/") if url.strip("/") else "")
    return url


class _RouteRefusal(Refusal):
    """A 404 or 405; ``errors`` are those of an operation at that path (for a 405), for its shape."""

    def __init__(self, status: int, message: str, errors: tuple[ErrorSpec, ...] = ()) -> None:
        super().__init__(status, message)
        self.errors = errors


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
        self.base_url = _absolute(base_url).rstrip("/")
        # The path of the base URL as written (urlsplit would drop tabs and newlines from it).
        base_path = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*", "", self.base_url).strip("/")
        self._base_segments = _segments(base_path) if base_path else []
        self._schemes = {scheme.name: scheme for scheme in security_schemes}
        # Query keys and cookies that carry credentials, not parameters.
        self._reserved = {
            location: frozenset(
                s.parameter
                for s in security_schemes
                if s.kind == "api_key" and s.location == location
            )
            for location in ("query", "cookie")
        }
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
            except _RouteRefusal as refusal:
                return self._refuse(request, None, refusal, refusal.errors)
            operation = matched.operation
            spec = operation._spec
            try:
                self._check_credentials(spec, request)
                params = read_params(
                    spec.params + matched.route.params,
                    path_values,
                    request,
                    invalid_status=spec.invalid_status,
                    reserved=self._reserved,
                )
                body = read_body(spec.body, request, invalid_status=spec.invalid_status)
            except Refusal as refusal:
                return self._refuse(request, operation.name, refusal, spec.errors)
            try:
                step = operation._next_step()
                response = step._respond(request, spec.errors)
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
        segments = raw.lstrip("/").split("/")
        base = self._base_segments
        if _segments(raw)[: len(base)] != base or len(segments) == len(base):
            raise _RouteRefusal(404, f"No operation at {raw}: the fake serves {self.base_url}")
        segments = segments[len(base) :]
        matches = [(r, v) for r in self._routes if (v := r.match(segments)) is not None]
        if not matches:
            raise _RouteRefusal(404, f"No operation at {request.method} {raw}")
        allowed = [(r, v) for r, v in matches if r.route.method == request.method]
        if not allowed:
            methods = ", ".join(sorted({r.route.method for r, _ in matches}))
            errors = max(matches, key=lambda pair: pair[0].specificity)[0].operation._spec.errors
            raise _RouteRefusal(405, f"{raw} takes {methods}, not {request.method}", errors)
        return max(allowed, key=lambda pair: pair[0].specificity)

    def _check_credentials(self, spec: OperationSpec, request: httpx.Request) -> None:
        """Accepts what the client sends: an alternative in full, or in part (see ``_auth``).

        Refused with a 401, or a 403 when the operation declares a 403 and no 401.
        """
        requirements = self._default_security if spec.security is None else spec.security
        if not requirements or any(not alternative for alternative in requirements):
            return
        for alternative in requirements:
            schemes = [self._schemes[name] for name in alternative if name in self._schemes]
            if any(_presents(scheme, request) for scheme in schemes):
                return
        declared = {error.status for error in spec.errors}
        status = 403 if "403" in declared and "401" not in declared else 401
        raise Refusal(status, "Missing or invalid credentials")

    def _refuse(
        self,
        request: httpx.Request,
        operation: str | None,
        refusal: Refusal,
        errors: tuple[ErrorSpec, ...],
    ) -> httpx.Response:
        self._rejected.append(
            FakeRejection(operation, refusal.status, refusal.message, refusal.problems, request)
        )
        answer = _ErrorAnswer(
            refusal.status,
            refusal.message,
            where=next((p.field for p in refusal.problems if p.field), None),
            details=[p.as_json() for p in refusal.problems] or None,
        )
        return answer.response(errors)


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
        crumbs = (
            c.strip().partition("=")
            for h in request.headers.get_list("cookie")
            for c in h.split(";")
        )
        return any(name == scheme.parameter and value for name, _, value in crumbs)
    return bool(request.headers.get(scheme.parameter))
