"""How the testing fake reads a request the way the API would: parameters and body, checked.

Used only by ``_fake`` (and so only by ``testing``); the client never imports it.
Everything is decoded from the wire by the OpenAPI rules, not by undoing what
this package's encoder does, so a client that encodes wrongly is refused here
as the API would refuse it:

* path parameters by their style (``simple`` ``a,b``, ``label`` ``.a.b``,
  ``matrix`` ``;id=5``), each piece percent-decoded after the style's own
  delimiters are split off, so ``a%2Cb`` stays one value;
* query parameters and cookies in the ``form`` style (an exploded object's
  members are top-level keys: ``?name=foo``), ``spaceDelimited``,
  ``pipeDelimited`` and ``deepObject`` (nested brackets, ``a[b][c]=1``);
  headers in the ``simple`` style;
* bodies by media type and, for form and multipart bodies, by each property's
  ``encoding`` entry (``BodySpec.fields``): an explicit ``style`` as for a
  query parameter (``metadata[order]=1``), else by content type (objects as
  JSON, arrays as repeated fields or parts, a property whose schema is an
  array always a list, JSON parts parsed, binary parts bytes).

Bodies are checked through the package's own models with the client's request
contract (``_base_client.validate_body``: strict JSON types, keys the schema
does not declare refused; form and multipart values are text, so they are
read as the schema's types). Parameters are checked against the schema
keywords the generator kept for them (``generator/ir/param_checks.py``), by
``_params``: the same checker the client runs on the values a caller passes.
Problems are reported by location and field, never with the offending value,
which may be a secret.
"""

from __future__ import annotations

import email.parser
import email.policy
import enum
import json
import re
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, unquote_plus

import httpx
import pydantic

from ._base_client import validate_body
from ._params import check_value, load_schema, schema_types
from .errors import RequestValidationError, format_error_location

__all__ = [
    "BodySpec",
    "FieldEncodingSpec",
    "FieldProblem",
    "ParamSpec",
    "Refusal",
    "read_body",
    "read_params",
]

_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")


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
class FieldEncodingSpec:
    """The spec's ``encoding`` entry for one property of a form or multipart body."""

    name: str
    content_type: str | None = None
    style: str | None = None
    explode: bool | None = None
    allow_reserved: bool = False


@dataclass(frozen=True, slots=True)
class BodySpec:
    """The request body an operation declares."""

    content_type: str
    encoding: str  # "json" | "form" | "multipart" | "text" | "binary"
    model: type[pydantic.BaseModel] | None
    required: bool
    fields: tuple[FieldEncodingSpec, ...] = ()
    """The ``encoding`` entries of a form or multipart body, by property."""


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


class _Malformed(Exception):
    """A parameter is present but not written in its declared style."""


# --- Parameters ----------------------------------------------------------------


def read_params(
    params: tuple[ParamSpec, ...],
    path_values: Mapping[str, str],
    request: httpx.Request,
    *,
    invalid_status: int,
    reserved: Mapping[str, frozenset[str]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Every declared parameter the request carries, decoded and checked, by location and Python name.

    ``path_values`` holds each path parameter's text as it is on the wire
    (still percent-encoded). ``reserved`` names, by location, query keys and
    cookies that are not parameters (credentials), which an exploded object
    parameter without declared properties must not take as its members.

    Raises ``Refusal`` with ``invalid_status`` listing every parameter that is
    missing or breaks its schema.
    """
    found: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}, "cookie": {}}
    problems: list[FieldProblem] = []
    wire = _Wire(
        query=_query_pairs(request.url.query.decode("ascii", "replace")),
        cookies=_cookie_pairs(request.headers.get_list("cookie")),
        headers=request.headers,
        path=path_values,
        params=params,
        reserved=reserved or {},
    )
    for param in params:
        schema = load_schema(param.schema)
        try:
            raw = wire.value(param, schema)
        except _Malformed as exc:
            problems.append(FieldProblem(param.location, param.wire_name, "style", str(exc)))
            continue
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


def _query_pairs(query: str) -> list[tuple[str, str]]:
    """``(decoded key, raw value)`` of each ``key=value`` of a query string, in order."""
    pairs: list[tuple[str, str]] = []
    for piece in query.split("&"):
        if piece:
            key, _, value = piece.partition("=")
            pairs.append((unquote_plus(key), value))
    return pairs


def _cookie_pairs(headers: list[str]) -> list[tuple[str, str]]:
    """``(name, raw value)`` of each cookie, in order (a name may repeat: an exploded array)."""
    pairs: list[tuple[str, str]] = []
    for header in headers:
        for crumb in header.split(";"):
            name, sep, value = crumb.strip().partition("=")
            if sep and name:
                pairs.append((name, value))
    return pairs


def _text(raw: str) -> str:
    """One value of a query, form body or cookie: percent-decoded (``+`` is a space, as forms say)."""
    return unquote_plus(raw)


def _split_raw(raw: str, delimiter: str) -> list[str]:
    """Split on a delimiter the value's own characters are percent-encoded against, then decode."""
    return [_text(piece) for piece in raw.split(delimiter)]


def _split_decoded(raw: str, delimiter: str) -> list[str]:
    """Split on a delimiter that is itself percent-encoded on the wire (``%20``, ``%7C``)."""
    return _text(raw).split(delimiter)


def _pairs_of(items: list[str]) -> dict[str, Any]:
    if len(items) % 2:
        raise _Malformed("An object is written as name,value pairs")
    return dict(zip(items[::2], items[1::2], strict=True))


def _assignments(items: Sequence[str], decode: bool = False) -> dict[str, Any]:
    members: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise _Malformed("An exploded object is written as name=value pairs")
        members[unquote(key) if decode else key] = unquote(value) if decode else value
    return members


def _properties(schema: Mapping[str, Any]) -> Mapping[str, Any] | None:
    properties = schema.get("properties")
    return properties if isinstance(properties, dict) else None


@dataclass
class _Wire:
    """The request's parameters as sent: query and cookie pairs, headers, path texts."""

    query: list[tuple[str, str]]
    cookies: list[tuple[str, str]]
    headers: httpx.Headers
    path: Mapping[str, str]
    params: tuple[ParamSpec, ...]
    reserved: Mapping[str, frozenset[str]]

    def value(
        self, param: ParamSpec, schema: Mapping[str, Any]
    ) -> str | list[Any] | dict[str, Any] | None:
        """The parameter's decoded text(s), split by its style; None when absent."""
        if param.location == "path":
            text = self.path.get(param.wire_name)
            return None if text is None else _path_value(param, schema, text)
        if param.location == "header":
            header = self.headers.get(param.wire_name)
            return None if header is None else _header_value(param, schema, header)
        pairs = self.query if param.location == "query" else self.cookies
        return self._form_value(param, schema, pairs)

    def _claimed(self, param: ParamSpec) -> set[str]:
        """Keys other parameters of the same location (and credentials) take."""
        claimed = set(self.reserved.get(param.location, frozenset()))
        for other in self.params:
            if other.location == param.location and other is not param:
                claimed.add(other.wire_name)
        return claimed

    def _form_value(
        self, param: ParamSpec, schema: Mapping[str, Any], pairs: list[tuple[str, str]]
    ) -> str | list[Any] | dict[str, Any] | None:
        kinds = schema_types(schema)
        is_array, is_object = "array" in kinds, "object" in kinds
        name = param.wire_name
        if param.style == "deepObject" and param.location == "query":
            prefix = name + "["
            tree: dict[str, Any] = {}
            for key, raw in pairs:
                if key.startswith(prefix):
                    path = _bracket_path(key[len(name) :])
                    if path is None:
                        raise _Malformed(f"deepObject keys are written {name}[name]")
                    _assign(tree, path, _text(raw))
            return tree or None
        if is_object and param.explode and param.style == "form":
            properties = _properties(schema)
            claimed = self._claimed(param)
            members: dict[str, Any] = {}
            # Declared members, and any key no other parameter claims unless the schema closes it.
            closed = properties is not None and schema.get("additionalProperties") is False
            for key, raw in pairs:
                if (properties is not None and key in properties) or (
                    not closed and key not in claimed
                ):
                    _add_field(members, key, _text(raw))
            return members or None
        values = [raw for key, raw in pairs if key == name]
        if not values:
            return None
        exploded = param.explode and param.style in ("form", "spaceDelimited", "pipeDelimited")
        if is_array:
            if exploded:
                return [_text(v) for v in values]
            return _delimited(param.style, values[0])
        if is_object:
            return _pairs_of(_delimited(param.style, values[0]))
        return _text(values[0])


def _delimited(style: str, raw: str) -> list[str]:
    if style == "spaceDelimited":
        return _split_decoded(raw, " ")
    if style == "pipeDelimited":
        return _split_decoded(raw, "|")
    return _split_raw(raw, ",")


def _bracket_path(text: str) -> list[str] | None:
    """``[a][b]`` as ``["a", "b"]``; None when it is not only brackets."""
    keys = _BRACKETS.findall(text)
    return keys if keys and "".join(f"[{k}]" for k in keys) == text else None


def _assign(tree: dict[str, Any], path: list[str], value: Any) -> None:
    node = tree
    for key in path[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    _add_field(node, path[-1], value)


def _header_value(
    param: ParamSpec, schema: Mapping[str, Any], header: str
) -> str | list[Any] | dict[str, Any]:
    """``simple`` style, not percent-encoded (a header is not a URI)."""
    kinds = schema_types(schema)
    if "array" in kinds:
        return [item.strip() for item in header.split(",")]
    if "object" in kinds:
        items = [item.strip() for item in header.split(",")]
        return _assignments(items) if param.explode else _pairs_of(items)
    return header


def _path_value(
    param: ParamSpec, schema: Mapping[str, Any], raw: str
) -> str | list[Any] | dict[str, Any]:
    """A path parameter by its style, from its raw (percent-encoded) text in the segment."""
    kinds = schema_types(schema)
    is_array, is_object = "array" in kinds, "object" in kinds
    name = param.wire_name
    if param.style == "label":
        if not raw.startswith("."):
            raise _Malformed("A label-style parameter starts with '.'")
        body = raw[1:]
        return _split_value(body, body.split("." if param.explode else ","), param, schema)
    if param.style == "matrix":
        if not raw.startswith(";"):
            raise _Malformed(f"A matrix-style parameter is written ;{name}=...")
        crumbs = raw[1:].split(";")
        if is_object and param.explode:
            return _assignments([c if "=" in c else c + "=" for c in crumbs], decode=True)
        values: list[str] = []
        for crumb in crumbs:
            key, _, value = crumb.partition("=")
            if unquote(key) != name:
                raise _Malformed(f"A matrix-style parameter is written ;{name}=...")
            values.append(value)
        if is_array and param.explode:
            return [unquote(v) for v in values]
        if len(values) != 1:
            raise _Malformed(f"{name} is given more than once")
        pieces = values[0].split(",")
        if is_array:
            return [unquote(p) for p in pieces]
        if is_object:
            return _pairs_of([unquote(p) for p in pieces])
        return unquote(values[0])
    return _split_value(raw, raw.split(","), param, schema)


def _split_value(
    whole: str, pieces: list[str], param: ParamSpec, schema: Mapping[str, Any]
) -> str | list[Any] | dict[str, Any]:
    """A simple- or label-style value from its pieces: an object's pairs, an array's items, a scalar."""
    kinds = schema_types(schema)
    if "object" in kinds:
        if param.explode:
            return _assignments(pieces, decode=True)
        return _pairs_of([unquote(p) for p in pieces])
    if "array" in kinds:
        return [unquote(p) for p in pieces]
    return unquote(whole)


def _decode(
    raw: str | list[Any] | dict[str, Any], schema: Mapping[str, Any]
) -> tuple[Any, list[tuple[str, str]]]:
    """The typed value of a parameter's text(s) and what its schema says is wrong with it."""
    if isinstance(raw, dict):
        kinds = schema_types(schema)
        if kinds and "object" not in kinds:
            return raw, [("type", f"Input should be a valid {' or '.join(kinds)}")]
        properties = _properties(schema) or {}
        members: dict[str, Any] = {}
        errors: list[tuple[str, str]] = []
        for key, text in raw.items():
            member_schema = properties.get(key)
            if (
                isinstance(member_schema, dict)
                and isinstance(text, str)
                and _structured(member_schema)
            ):
                # A member RFC 6570 has no form for (an object or array) travels as JSON text.
                try:
                    value = json.loads(text)
                except ValueError:
                    value = text
                member_errors = check_value(value, member_schema)
                errors.extend((t, f"{key}: {m}") for t, m in member_errors)
            elif isinstance(member_schema, dict):
                value, member_errors = _decode(text, member_schema)
                errors.extend((t, f"{key}: {m}") for t, m in member_errors)
            else:
                value = text
            members[key] = value
        return members, errors
    if isinstance(raw, list):
        items = schema.get("items")
        items = items if isinstance(items, dict) else {}
        values: list[Any] = []
        errors = []
        for index, text in enumerate(raw):
            value, item_errors = _decode(text, items)
            values.append(value)
            errors.extend((t, f"item {index}: {m}") for t, m in item_errors)
        errors.extend(check_value(values, {k: v for k, v in schema.items() if k != "items"}))
        return values, errors
    kinds = [k for k in schema_types(schema) if k not in ("array", "object")]
    if not kinds:
        listed = schema.get("enum")
        if isinstance(listed, list):  # no type: the text names a member by its JSON spelling
            for member in listed:
                if _spelling(member) == raw:
                    return member, []
        return raw, check_value(raw, schema)
    for kind in kinds:
        ok, value = _scalar(raw, kind)
        if ok:
            return value, check_value(value, schema)
    return raw, [("type", f"Input should be a valid {' or '.join(kinds)}")]


def _structured(schema: Mapping[str, Any]) -> bool:
    kinds = schema_types(schema)
    return bool({"object", "array"} & set(kinds)) or "properties" in schema or "items" in schema


def _spelling(value: object) -> str:
    """How a JSON value is written in a URL: ``true``, ``1``, ``text``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


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
    shapes = _model_shapes(body.model)
    encodings = {f.name: f for f in body.fields}
    if body.encoding == "form":
        fields = _form(content, shapes, encodings)
    else:
        fields = _multipart(content, request.headers["content-type"], shapes, encodings)
    try:
        # Form values are text (and files bytes): read them as the schema's types.
        model = body.model.model_validate(fields, strict=False, by_name=False)
    except pydantic.ValidationError as exc:
        raise _refusal(
            invalid_status, RequestValidationError.from_pydantic(exc, subject="")
        ) from None
    undeclared = [
        FieldProblem(
            "body",
            format_error_location(loc),
            "undeclared_key",
            f"Unknown field: the schema declares no {loc[-1]!r}",
        )
        for loc in _undeclared(model, ())
    ]
    if undeclared:
        raise Refusal(invalid_status, _summary("request body", undeclared), tuple(undeclared))
    return model


def _undeclared(value: object, loc: tuple[int | str, ...]) -> Iterator[tuple[int | str, ...]]:
    """Where the model holds a key its schema does not declare (and allow)."""
    if isinstance(value, pydantic.RootModel):
        yield from _undeclared(value.root, loc)
    elif isinstance(value, pydantic.BaseModel):
        if not getattr(value, "__additional_properties__", True):
            for key in value.model_extra or {}:
                yield (*loc, key)
        fields = type(value).model_fields
        for name in value.model_fields_set:
            info = fields.get(name)
            if info is not None:
                yield from _undeclared(getattr(value, name), (*loc, info.alias or name))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _undeclared(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _undeclared(item, (*loc, key))


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


def _is_json(media: str) -> bool:
    media = _base_type(media)
    return media == "application/json" or media.endswith("+json")


def _charset(content_type: str) -> str:
    match = re.search(r"charset=\"?([\w-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else "utf-8"


# What a property's schema is, read from the model's annotations.


@dataclass(frozen=True)
class _Shape:
    kind: str  # "array" | "object" | "binary" | "scalar" | "any"
    items: _Shape | None = None
    model: type[pydantic.BaseModel] | None = None


_ANY = _Shape("any")


def _shape(annotation: Any, depth: int = 0) -> _Shape:
    """The kind of value an annotation holds (the schema's type, as far as decoding needs it)."""
    if depth > 8:
        return _ANY
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _shape(typing.get_args(annotation)[0], depth + 1)
    if origin is typing.Union or origin is types.UnionType:
        shapes = [
            _shape(arg, depth + 1)
            for arg in typing.get_args(annotation)
            if arg is not type(None) and (isinstance(arg, type) or typing.get_origin(arg))
        ]
        for kind in ("array", "binary", "object", "scalar"):
            for shape in shapes:
                if shape.kind == kind:
                    return shape
        return _ANY
    if origin in (list, tuple, set, frozenset) or annotation in (list, tuple, set, frozenset):
        args = typing.get_args(annotation)
        return _Shape("array", items=_shape(args[0], depth + 1) if args else _ANY)
    if origin is dict or annotation is dict:
        return _Shape("object")
    if isinstance(annotation, type):
        if issubclass(annotation, (bytes, bytearray)):
            return _Shape("binary")
        if issubclass(annotation, pydantic.RootModel):
            root = annotation.model_fields.get("root")
            return _shape(root.annotation, depth + 1) if root is not None else _ANY
        if issubclass(annotation, pydantic.BaseModel):
            return _Shape("object", model=annotation)
        if issubclass(annotation, (str, int, float, bool, enum.Enum)):
            return _Shape("scalar")
        return _Shape("scalar")
    if origin is typing.Literal:
        return _Shape("scalar")
    return _ANY


def _model_shapes(model: type[pydantic.BaseModel] | None) -> dict[str, _Shape]:
    """Each property of the model by wire name, and its shape."""
    if model is None:
        return {}
    return {
        info.alias or name: _shape(info.annotation) for name, info in model.model_fields.items()
    }


def _form(
    content: bytes, shapes: Mapping[str, _Shape], encodings: Mapping[str, FieldEncodingSpec]
) -> dict[str, Any]:
    """An ``application/x-www-form-urlencoded`` body, each property decoded by its encoding."""
    pairs = _query_pairs(content.decode("utf-8", "replace"))
    fields: dict[str, Any] = {}
    styled = {
        name: encoding
        for name, encoding in encodings.items()
        if encoding.style is not None or encoding.explode is not None or encoding.allow_reserved
    }
    taken: set[str] = set()
    for name, styled_encoding in styled.items():
        shape = shapes.get(name, _ANY)
        found = _styled_field(name, styled_encoding, shape, pairs, set(shapes))
        if found is not None:
            fields[name] = _shaped(found[0], shape)
            taken |= found[1]
    for key, raw in pairs:
        if key in taken:
            continue
        text = _text(raw)
        if key in styled:
            # Not in its style (JSON text for a deepObject, say): the schema refuses the text.
            _add_field(fields, key, text)
            continue
        shape = shapes.get(key, _ANY)
        encoding = encodings.get(key)
        if shape.kind == "array":
            items = fields.setdefault(key, [])
            item = shape.items or _ANY
            decoded = _by_content_type(text, encoding, item)
            if (
                isinstance(decoded, list)
                and item.kind != "array"
                and (encoding is None or encoding.content_type is None)
            ):
                items.extend(decoded)  # the whole array as one JSON value
            else:
                items.append(decoded)
        else:
            _add_field(fields, key, _by_content_type(text, encoding, shape))
    return fields


def _by_content_type(text: str, encoding: FieldEncodingSpec | None, shape: _Shape) -> Any:
    """A form field's text by its declared content type, else by its schema's default one."""
    declared = encoding.content_type if encoding is not None else None
    if declared is not None:
        return _json_or_text(text) if _is_json(declared) else text
    if shape.kind in ("object", "array") or (shape.kind == "any" and text[:1] in ("{", "[")):
        return _json_or_text(text)  # an object's default content type is application/json
    return text


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except ValueError:
        return text  # the schema then refuses it, naming the field


def _styled_field(
    name: str,
    encoding: FieldEncodingSpec,
    shape: _Shape,
    pairs: list[tuple[str, str]],
    declared: set[str],
) -> tuple[Any, set[str]] | None:
    """A property with an explicit ``style``/``explode``, read as a query parameter of that style.

    Returns the value and the keys it took; None when the body does not hold it.
    """
    style = encoding.style or "form"
    explode = encoding.explode if encoding.explode is not None else style == "form"
    if style == "deepObject":
        tree: dict[str, Any] = {}
        taken: set[str] = set()
        for key, raw in pairs:
            path = _bracket_path(key[len(name) :]) if key.startswith(name + "[") else None
            if path is not None:
                _assign(tree, path, _text(raw))
                taken.add(key)
        return (tree, taken) if tree else None
    if shape.kind == "object" and explode and style == "form":
        model_keys = set(_model_shapes(shape.model)) if shape.model is not None else set()
        members: dict[str, Any] = {}
        taken = set()
        for key, raw in pairs:
            if key in model_keys and key not in declared:
                _add_field(members, key, _text(raw))
                taken.add(key)
        return (members, taken) if members else None
    values = [raw for key, raw in pairs if key == name]
    if not values:
        return None
    if shape.kind == "array":
        if explode:
            return [_text(v) for v in values], {name}
        return _delimited(style, values[0]), {name}
    if shape.kind == "object":
        try:
            return _pairs_of(_delimited(style, values[0])), {name}
        except _Malformed:
            return None  # not in its style: left to the schema, as text
    return (_text(values[0]) if len(values) == 1 else [_text(v) for v in values]), {name}


def _shaped(value: Any, shape: _Shape) -> Any:
    """A decoded form value with its arrays made lists (``a[0]=x`` indexes, one repeated key)."""
    if shape.kind == "array":
        if isinstance(value, dict) and all(k.isdigit() for k in value):
            value = [value[k] for k in sorted(value, key=int)]
        if not isinstance(value, list):
            value = [value]
        return [_shaped(item, shape.items or _ANY) for item in value]
    if shape.kind == "object" and isinstance(value, dict) and shape.model is not None:
        shapes = _model_shapes(shape.model)
        return {k: _shaped(v, shapes.get(k, _ANY)) for k, v in value.items()}
    return value


def _multipart(
    content: bytes,
    content_type: str,
    shapes: Mapping[str, _Shape],
    encodings: Mapping[str, FieldEncodingSpec],
) -> dict[str, Any]:
    """A ``multipart/form-data`` body: one part per property, or per item of an array."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + content)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        shape = shapes.get(name, _ANY)
        item = (shape.items or _ANY) if shape.kind == "array" else shape
        encoding = encodings.get(name)
        media: str | None = str(part["content-type"]) if "content-type" in part else None
        if media is None and encoding is not None:
            media = encoding.content_type
        is_file = part.get_param("filename", header="content-disposition") is not None
        value: Any
        if media and _is_json(media):
            value = _json_or_text(data.decode(_charset(media), "replace"))
        elif item.kind == "binary" or (is_file and item.kind in ("any", "binary")):
            value = data
        else:
            text = data.decode(_charset(media or ""), "replace")
            value = _json_or_text(text) if item.kind in ("object", "array") else text
        if shape.kind == "array":
            if isinstance(value, list) and item.kind not in ("array", "any") and not media:
                fields.setdefault(name, []).extend(value)
            else:
                fields.setdefault(name, []).append(value)
        else:
            _add_field(fields, name, value)
    return fields


def _add_field(fields: dict[str, Any], name: str, value: Any) -> None:
    if name not in fields:
        fields[name] = value
    elif isinstance(fields[name], list):
        fields[name].append(value)
    else:
        fields[name] = [fields[name], value]


def _summary(what: str, problems: list[FieldProblem]) -> str:
    count = len(problems)
    lines = [f"Invalid {what}: {count} validation error{'s' if count != 1 else ''}"]
    for p in problems:
        where = f"{p.location}.{p.field}" if p.field else p.location
        lines.append(f"  {where}: {p.message}")
    return "\n".join(lines)
