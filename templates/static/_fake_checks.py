"""How the testing fake reads a request the way the API would: parameters and body, checked.

Used only by ``_fake`` (and so only by ``testing``); the client never imports it.
Bodies are decoded by their media type and checked through the package's own
models with the client's request contract (``_base_client.validate_body``:
strict JSON types, keys the schema does not declare refused). Parameters are
decoded by their OpenAPI style and checked against the schema keywords the
generator kept for them (``generator/ir/param_checks.py``), by ``_params``: the
same checker the client runs on the values a caller passes. Problems are
reported by location and field, never with the offending value, which may be a
secret.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pydantic

from ._base_client import validate_body
from ._params import check_value, load_schema, schema_types
from .errors import RequestValidationError, format_error_location

__all__ = ["BodySpec", "FieldProblem", "ParamSpec", "Refusal", "read_body", "read_params"]

_DELIMITERS = {"form": ",", "simple": ",", "spaceDelimited": " ", "pipeDelimited": "|"}
_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """One declared parameter of an operation."""

    wire_name: str
    python_name: str
    location: str  # "path" | "query" | "header" | "cookie"
    required: bool
    style: str
    explode: bool
    schema: str = "{}"
    """JSON: the schema keywords the fake checks (type, enum, bounds, lengths, patterns, items)."""


@dataclass(frozen=True, slots=True)
class BodySpec:
    """The request body an operation declares."""

    content_type: str
    encoding: str  # "json" | "form" | "multipart" | "text" | "binary"
    model: type[pydantic.BaseModel] | None
    required: bool


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """Why one part of a request was refused: where, which field, the rule, in words."""

    location: str  # "path" | "query" | "header" | "cookie" | "body"
    field: str  # dotted wire path inside the body, the parameter's name, or "" for the whole body
    type: str  # pydantic's error type, or the keyword that failed ("maximum", "pattern", ...)
    message: str

    def as_json(self) -> dict[str, str]:
        return {
            "in": self.location,
            "field": self.field,
            "type": self.type,
            "message": self.message,
        }


class Refusal(Exception):
    """The request is refused with ``status``, for ``problems``."""

    def __init__(self, status: int, message: str, problems: tuple[FieldProblem, ...] = ()) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.problems = problems


# --- Parameters ----------------------------------------------------------------


def read_params(
    params: tuple[ParamSpec, ...],
    path_values: Mapping[str, str],
    request: httpx.Request,
    *,
    invalid_status: int,
) -> dict[str, dict[str, Any]]:
    """Every declared parameter the request carries, decoded and checked, by location and Python name.

    Raises ``Refusal`` with ``invalid_status`` listing every parameter that is
    missing or breaks its schema.
    """
    found: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}, "cookie": {}}
    problems: list[FieldProblem] = []
    query = request.url.params.multi_items()
    cookies = _cookies(request.headers.get("cookie"))
    for param in params:
        schema = load_schema(param.schema)
        raw = _raw_value(param, schema, path_values, query, request.headers, cookies)
        if raw is None:
            if param.required:
                problems.append(
                    FieldProblem(param.location, param.wire_name, "missing", "Required parameter")
                )
            continue
        value, errors = _decode(raw, schema)
        problems.extend(FieldProblem(param.location, param.wire_name, t, m) for t, m in errors)
        if not errors:
            found[param.location][param.python_name] = value
    if problems:
        raise Refusal(invalid_status, _summary("parameters", problems), tuple(problems))
    return found


def _cookies(header: str | None) -> dict[str, str]:
    pairs = (part.strip().partition("=") for part in (header or "").split(";"))
    return {name: value for name, sep, value in pairs if sep and name}


def _raw_value(
    param: ParamSpec,
    schema: Mapping[str, Any],
    path_values: Mapping[str, str],
    query: list[tuple[str, str]],
    headers: httpx.Headers,
    cookies: Mapping[str, str],
) -> str | list[str] | dict[str, str] | None:
    """The parameter's text(s) in the request, split by its style; None when absent."""
    kinds = schema_types(schema)
    is_array, is_object = "array" in kinds, "object" in kinds
    name = param.wire_name
    if param.location == "query":
        if is_object and param.style == "deepObject":
            prefix = name + "["
            members = {
                k[len(prefix) : -1]: v for k, v in query if k.startswith(prefix) and k[-1:] == "]"
            }
            return members or None
        values = [v for k, v in query if k == name]
        if not values:
            return None
        if is_array:
            if param.explode and param.style == "form":
                return values
            return values[0].split(_DELIMITERS.get(param.style, ","))
        if is_object:
            return _pairs(values[0])
        return values[0]
    if param.location == "path":
        text: str | None = path_values.get(name)
    elif param.location == "header":
        text = headers.get(name)
    else:
        text = cookies.get(name)
    if text is None:
        return None
    if is_array:
        return text.split(",")
    if is_object:
        return _pairs(text)
    return text


def _pairs(text: str) -> dict[str, str]:
    parts = text.split(",")
    return dict(zip(parts[::2], parts[1::2]))


def _decode(
    raw: str | list[str] | dict[str, str], schema: Mapping[str, Any]
) -> tuple[Any, list[tuple[str, str]]]:
    """The typed value of a parameter's text(s) and what its schema says is wrong with it."""
    if isinstance(raw, dict):
        return dict(raw), []
    if isinstance(raw, list):
        items = schema.get("items")
        items = items if isinstance(items, dict) else {}
        values: list[Any] = []
        errors: list[tuple[str, str]] = []
        for index, text in enumerate(raw):
            value, item_errors = _decode(text, items)
            values.append(value)
            errors.extend((t, f"item {index}: {m}") for t, m in item_errors)
        errors.extend(check_value(values, {k: v for k, v in schema.items() if k != "items"}))
        return values, errors
    kinds = [k for k in schema_types(schema) if k not in ("array", "object")]
    if not kinds:
        return raw, check_value(raw, schema)
    for kind in kinds:
        ok, value = _scalar(raw, kind)
        if ok:
            return value, check_value(value, schema)
    return raw, [("type", f"Input should be a valid {' or '.join(kinds)}")]


def _scalar(text: str, kind: str) -> tuple[bool, Any]:
    if kind == "string":
        return True, text
    if kind == "integer" and _INTEGER.fullmatch(text):
        return True, int(text)
    if kind == "number" and _NUMBER.fullmatch(text):
        return True, int(text) if _INTEGER.fullmatch(text) else float(text)
    if kind == "boolean" and text in ("true", "false"):
        return True, text == "true"
    if kind == "null" and text in ("", "null"):
        return True, None
    return False, None


# --- Bodies --------------------------------------------------------------------


def read_body(body: BodySpec | None, request: httpx.Request, *, invalid_status: int) -> Any:
    """The request body as the operation's model (or text, or bytes); None when there is none.

    Raises ``Refusal``: 415 for another media type, 400 for a JSON body that
    does not parse (as Prism answers), ``invalid_status`` for a missing
    required body or one the schema refuses.
    """
    content = request.content
    if body is None:
        return None  # like the API, ignore what an operation takes no body for
    if not content:
        if body.required:
            problem = FieldProblem("body", "", "missing", "Request body is required")
            raise Refusal(invalid_status, _summary("request body", [problem]), (problem,))
        return None
    sent = _base_type(request.headers.get("content-type", ""))
    if sent != _base_type(body.content_type):
        raise Refusal(415, f"Unsupported media type {sent or '(none)'}; send {body.content_type}")
    if body.encoding == "text":
        return content.decode(_charset(request.headers.get("content-type", "")), "replace")
    if body.encoding == "binary" or body.model is None:
        return content
    if body.encoding == "json":
        try:
            data = json.loads(content, parse_constant=_refuse_constant)
        except ValueError:
            raise Refusal(400, "Invalid JSON") from None
        return _validated(body.model, data, invalid_status)
    fields = (
        _form(content)
        if body.encoding == "form"
        else _multipart(content, request.headers["content-type"])
    )
    try:
        # Form values are text (and files bytes): read them as the schema's types.
        model = body.model.model_validate(fields, strict=False, by_name=False)
    except pydantic.ValidationError as exc:
        raise _refusal(
            invalid_status, RequestValidationError.from_pydantic(exc, subject="")
        ) from None
    if not getattr(model, "__additional_properties__", True):
        undeclared = [
            FieldProblem(
                "body", key, "undeclared_key", f"Unknown field: the schema declares no {key!r}"
            )
            for key in model.model_extra or {}
        ]
        if undeclared:
            raise Refusal(invalid_status, _summary("request body", undeclared), tuple(undeclared))
    return model


def _validated(model: type[pydantic.BaseModel], data: object, invalid_status: int) -> Any:
    try:
        return validate_body(model, data)
    except RequestValidationError as exc:
        raise _refusal(invalid_status, exc) from None


def _refusal(status: int, exc: RequestValidationError) -> Refusal:
    problems = [
        FieldProblem("body", format_error_location(tuple(e["loc"])), e["type"], e["msg"])
        for e in exc.errors
    ]
    return Refusal(status, _summary("request body", problems), tuple(problems))


def _refuse_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _base_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _charset(content_type: str) -> str:
    match = re.search(r"charset=\"?([\w-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else "utf-8"


def _form(content: bytes) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, value in parse_qsl(content.decode("utf-8", "replace"), keep_blank_values=True):
        _add_field(fields, name, _maybe_json(value))
    return fields


def _multipart(content: bytes, content_type: str) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + content)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        is_file = part.get_param("filename", header="content-disposition") is not None
        _add_field(fields, name, data if is_file else _maybe_json(data.decode("utf-8", "replace")))
    return fields


def _add_field(fields: dict[str, Any], name: str, value: Any) -> None:
    if name not in fields:
        fields[name] = value
    elif isinstance(fields[name], list):
        fields[name].append(value)
    else:
        fields[name] = [fields[name], value]


def _maybe_json(text: str) -> Any:
    """A form value holding a nested object or array is sent as its JSON (``_encoding``)."""
    if text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


def _summary(what: str, problems: list[FieldProblem]) -> str:
    count = len(problems)
    lines = [f"Invalid {what}: {count} validation error{'s' if count != 1 else ''}"]
    for p in problems:
        where = f"{p.location}.{p.field}" if p.field else p.location
        lines.append(f"  {where}: {p.message}")
    return "\n".join(lines)
