"""Turning Python values into the wire format an operation declares.

Pure functions, no I/O. Parameters follow the OpenAPI "Style Values" table
(RFC 6570 for ``simple``, ``label``, ``matrix`` and ``form``; the spec's own
rules for ``spaceDelimited``, ``pipeDelimited`` and ``deepObject``), spelled
byte for byte as the spec's "Style Examples" table spells them: a delimiter
that is not a URI delimiter (``|``, ``[``, ``]``) is percent-encoded
(``%7C``, ``%5B``, ``%5D``), as the OpenAPI 3.0.4/3.1.1 table does. Request
bodies are encoded by media type: JSON, form, multipart, text and binary.

Choices where OpenAPI leaves the result undefined:

* ``None`` (and ``None`` inside arrays and objects) is left out; an empty
  array or object in the query is left out too (RFC 6570 calls both
  undefined).
* A nested array or object where the style only defines scalars (an object
  inside a ``form`` array, say) is sent as compact JSON text.
* ``deepObject``: nested objects nest brackets (``a[b][c]=1``); arrays of
  scalars repeat the key (``a[b]=1&a[b]=2``) in a query, and are indexed
  (``a[b][0]=1``, ``items[0][price]=x``) in a form body, as Stripe reads it.
* ``allowReserved`` keeps RFC 3986 reserved characters and existing
  percent-encoded triples, except ``[ ] #`` (not allowed in a query) and
  ``& + =`` (which form decoders would split on or read as a space).
* Spaces are ``%20``, never ``+``, in queries and form bodies alike.
"""

from __future__ import annotations

import enum
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import pydantic
from pydantic_core import ErrorDetails

from .errors import RequestValidationError

__all__ = [
    "FieldEncoding",
    "ParamEncoding",
    "encode_body",
    "encode_cookies",
    "encode_headers",
    "encode_path",
    "encode_query",
    "to_text",
]


@dataclass(frozen=True, slots=True)
class ParamEncoding:
    """How one parameter goes on the wire, as the spec declares it."""

    name: str
    location: str  # "path" | "query" | "header" | "cookie"
    style: str  # simple, label, matrix, form, spaceDelimited, pipeDelimited, deepObject
    explode: bool
    allow_reserved: bool = False
    schema: str = "{}"
    """JSON: the schema keywords its values must satisfy (see ``_params``)."""


@dataclass(frozen=True, slots=True)
class FieldEncoding:
    """The spec's ``encoding`` entry for one property of a form or multipart body."""

    name: str
    content_type: str | None = None
    style: str | None = None
    explode: bool | None = None
    allow_reserved: bool = False
    headers: tuple[tuple[str, str], ...] = ()


_PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")
_PLACEHOLDER_SPLIT = re.compile(r"(\{[^{}/]+\})")  # literal text and placeholders, alternating
# What a path template's own text keeps: RFC 3986 pchar, and `%` (a template may be encoded already).
_PATH_LITERAL_SAFE = "!$&'()*+,;=:@%-._~"
_TRIPLE = re.compile(r"(%[0-9A-Fa-f]{2})")
# RFC 3986 reserved characters a query value may carry as they are (allowReserved):
# gen-delims and sub-delims without "[ ] #" (not allowed in a query) and "& + =".
_QUERY_RESERVED = ":/?@!$'()*,;"
# RFC 6265 cookie-octets (printable ASCII but space " , ; \) without "%", kept as is.
_COOKIE_SAFE = "".join(
    chr(c) for c in range(0x21, 0x7F) if chr(c) not in '",;\\%' and not chr(c).isalnum()
)
_DELIMITER = {"spaceDelimited": "%20", "pipeDelimited": "%7C"}
_DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}


# --- Values ------------------------------------------------------------------


def to_text(value: object) -> str:
    """A scalar as the API expects it on the wire."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump_json(by_alias=True, exclude_unset=True)
    return str(value)


def _plain(value: object) -> object:
    """Models dumped by wire name, enums by value, ``None`` left out: what styles are defined on."""
    if isinstance(value, pydantic.BaseModel):
        value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(item) for item in value if item is not None]
    return value


def _jsonable(value: object) -> object:
    """Like ``_plain`` but keeping ``None`` (an explicit JSON null) and JSON's own types."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, enum.Enum):
        return _jsonable(value.value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(item) for item in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _json_text(value: object) -> str:
    """Compact JSON, as the spec's form example shows it."""
    return json.dumps(_jsonable(value), separators=(",", ":"), ensure_ascii=False)


def _scalar_text(value: object) -> str:
    """A value inside a style: scalars as text, anything nested as JSON (the style has no syntax)."""
    if isinstance(value, (dict, list)):
        return _json_text(value)
    return to_text(value)


def _segment(text: str) -> str:
    """Percent-encode all but RFC 3986 unreserved characters: stays inside its delimiters."""
    return quote(text, safe="")


def _reserved(text: str) -> str:
    """RFC 6570 reserved expansion for a query value (allowReserved)."""
    pieces = _TRIPLE.split(text)
    return "".join(
        piece if i % 2 else quote(piece, safe=_QUERY_RESERVED) for i, piece in enumerate(pieces)
    )


def _lookup(params: Sequence[ParamEncoding], location: str) -> dict[str, ParamEncoding]:
    """This location's declared encodings by name: a namesake elsewhere has its own style."""
    return {p.name: p for p in params if p.location == location}


def _style(name: str, params: Mapping[str, ParamEncoding], location: str) -> tuple[str, bool, bool]:
    param = params.get(name)
    if param is None:
        style = _DEFAULT_STYLE[location]
        return style, style == "form", False
    return param.style, param.explode, param.allow_reserved


# --- Path ----------------------------------------------------------------------


def _expand_path(name: str, value: object, style: str, explode: bool) -> str:
    """One RFC 6570 expression (``{x}``, ``{.x}``, ``{;x}``, with ``*`` when exploded)."""
    enc = _segment
    if isinstance(value, dict):
        items = [(enc(k), enc(_scalar_text(v))) for k, v in value.items()]
        if style == "matrix" and explode:
            return "".join(f";{k}={v}" if v else f";{k}" for k, v in items)
        if style == "matrix":
            return f";{enc(name)}=" + ",".join(f"{k},{v}" for k, v in items)
        joiner = "." if style == "label" and explode else ","
        pairs = [f"{k}={v}" for k, v in items] if explode else [f"{k},{v}" for k, v in items]
        return ("." if style == "label" else "") + joiner.join(pairs)
    if isinstance(value, list):
        texts = [enc(_scalar_text(item)) for item in value]
        if style == "matrix" and explode and texts:
            return "".join(f";{enc(name)}={t}" if t else f";{enc(name)}" for t in texts)
        if style == "matrix":
            return f";{enc(name)}" + (f"={','.join(texts)}" if texts else "")
        joiner = "." if style == "label" and explode else ","
        return ("." if style == "label" else "") + joiner.join(texts)
    text = enc(to_text(value))
    if style == "matrix":
        return f";{enc(name)}={text}" if text else f";{enc(name)}"
    return ("." if style == "label" else "") + text


def encode_path(
    template: str,
    values: Mapping[str, object],
    params: Sequence[ParamEncoding] = (),
    *,
    operation_id: str = "",
) -> str:
    """The path with every ``{name}`` expanded in its style, each value kept in its segment.

    Values are percent-encoded down to RFC 3986 unreserved characters, so a job
    id ``"a/b"`` is sent as ``a%2Fb`` rather than adding a segment; only the
    style's own delimiters stay literal. Empty, ``"."`` and ``".."`` values
    (and segments) are refused: URL normalisation would silently aim the
    request at a different resource (``/jobs/..`` is ``/``).
    """
    declared = _lookup(params, "path")
    unused = set(values)
    errors: list[ErrorDetails] = []

    def refuse(name: str, text: str) -> None:
        errors.append(
            ErrorDetails(
                type="path_segment",
                loc=(name,),
                msg=f"Path parameter must not be empty, '.' or '..' (got {text!r})",
                input=text,
            )
        )

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if values.get(name) is None:
            raise ValueError(f"{operation_id}: missing path parameter {name!r}")
        unused.discard(name)
        style, explode, _ = _style(name, declared, "path")
        value = _plain(values[name])
        expanded = _expand_path(name, value, style, explode)
        if style not in ("label", "matrix") and expanded in ("", ".", ".."):
            refuse(name, expanded)
        return expanded

    segments = []
    for segment in template.split("/"):
        before = len(errors)
        # The template's own text is encoded too: a `#` or `?` in a path key would otherwise
        # end the path (httpx would send the rest as a fragment or a query).
        segment = "".join(
            part if index % 2 else quote(part, safe=_PATH_LITERAL_SAFE)
            for index, part in enumerate(_PLACEHOLDER_SPLIT.split(segment))
        )
        filled = _PLACEHOLDER.sub(substitute, segment)
        names = _PLACEHOLDER.findall(segment)
        if names and filled in ("", ".", "..") and len(errors) == before:
            refuse(names[0], filled)  # "{a}{b}" with "." and ".", or an empty label
        segments.append(filled)
    if unused:
        raise ValueError(f"{operation_id}: unknown path parameters {sorted(unused)}")
    if errors:
        raise RequestValidationError.from_errors(f"path parameters for {operation_id}", errors)
    return "/".join(segments)


# --- Query ---------------------------------------------------------------------


def _deep_pairs(key: str, value: object, *, index_arrays: bool) -> list[tuple[str, object]]:
    """``deepObject`` leaves: ``(a[b][c], scalar)``; arrays repeat the key or add an index."""
    if isinstance(value, dict):
        return [
            pair
            for k, v in value.items()
            for pair in _deep_pairs(f"{key}[{k}]", v, index_arrays=index_arrays)
        ]
    if isinstance(value, list):
        nested = index_arrays or any(isinstance(item, (dict, list)) for item in value)
        if nested:
            return [
                pair
                for i, item in enumerate(value)
                for pair in _deep_pairs(f"{key}[{i}]", item, index_arrays=index_arrays)
            ]
        return [(key, item) for item in value]
    return [(key, value)]


def _form_pieces(
    name: str,
    value: object,
    style: str,
    explode: bool,
    allow_reserved: bool,
    *,
    index_arrays: bool = False,
) -> list[str]:
    """``name=value`` pieces, already percent-encoded, of one query-style parameter."""
    enc_value = _reserved if allow_reserved else _segment
    key = _segment(name)
    if isinstance(value, dict):
        if not value:
            return []
        if style == "deepObject":
            pairs = _deep_pairs(name, value, index_arrays=index_arrays)
            return [f"{_segment(k)}={enc_value(_scalar_text(v))}" for k, v in pairs]
        items = [(k, _scalar_text(v)) for k, v in value.items()]
        if explode:
            return [f"{_segment(k)}={enc_value(v)}" for k, v in items]
        joiner = _DELIMITER.get(style, ",")
        return [f"{key}=" + joiner.join(f"{enc_value(k)}{joiner}{enc_value(v)}" for k, v in items)]
    if isinstance(value, list):
        if not value:
            return []
        texts = [enc_value(_scalar_text(item)) for item in value]
        if explode or style == "deepObject":
            if style == "deepObject" and index_arrays:
                pairs = _deep_pairs(name, value, index_arrays=True)
                return [f"{_segment(k)}={enc_value(_scalar_text(v))}" for k, v in pairs]
            return [f"{key}={text}" for text in texts]
        return [f"{key}=" + _DELIMITER.get(style, ",").join(texts)]
    return [f"{key}={enc_value(to_text(value))}"]


def encode_query(values: Mapping[str, object] | None, params: Sequence[ParamEncoding] = ()) -> str:
    """The encoded query string, without ``?``; ``""`` when no parameter is set.

    Parameters not in ``params`` are ``form``, exploded (the OpenAPI default).
    The result is final: put it after ``?`` as it is (httpx keeps it as is).
    """
    declared = _lookup(params, "query")
    pieces: list[str] = []
    for name, raw in (values or {}).items():
        if raw is None:
            continue
        style, explode, allow_reserved = _style(name, declared, "query")
        pieces += _form_pieces(name, _plain(raw), style, explode, allow_reserved)
    return "&".join(pieces)


# --- Headers and cookies -------------------------------------------------------


def _simple_text(value: object, explode: bool) -> str:
    """RFC 6570 ``simple`` without percent-encoding: a header value is not a URI."""
    if isinstance(value, dict):
        sep = "=" if explode else ","
        return ",".join(f"{k}{sep}{_scalar_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ",".join(_scalar_text(item) for item in value)
    return to_text(value)


def encode_headers(
    values: Mapping[str, object] | None, params: Sequence[ParamEncoding] = ()
) -> dict[str, str]:
    """Header name to value in the ``simple`` style (the only one OpenAPI allows for headers)."""
    declared = _lookup(params, "header")
    return {
        name: _simple_text(_plain(value), _style(name, declared, "header")[1])
        for name, value in (values or {}).items()
        if value is not None
    }


def _cookie_value(text: str) -> str:
    """Percent-encode what RFC 6265 forbids in a cookie value (and ``%``, to stay reversible)."""
    return quote(text, safe=_COOKIE_SAFE)


def encode_cookies(
    values: Mapping[str, object] | None, params: Sequence[ParamEncoding] = ()
) -> str | None:
    """A ``Cookie`` header value (``form`` style, ``; ``-separated), or None when all are unset."""
    declared = _lookup(params, "cookie")
    crumbs: list[str] = []
    for name, raw in (values or {}).items():
        if raw is None:
            continue
        value = _plain(raw)
        explode = _style(name, declared, "cookie")[1]
        if isinstance(value, dict):
            items = [(k, _cookie_value(_scalar_text(v))) for k, v in value.items()]
            if explode:
                crumbs += [f"{_cookie_value(k)}={v}" for k, v in items]
            else:
                flat = ",".join(f"{_cookie_value(k)},{v}" for k, v in items)
                crumbs.append(f"{_cookie_value(name)}={flat}")
        elif isinstance(value, list):
            texts = [_cookie_value(_scalar_text(item)) for item in value]
            if explode:
                crumbs += [f"{_cookie_value(name)}={text}" for text in texts]
            else:
                crumbs.append(f"{_cookie_value(name)}={','.join(texts)}")
        else:
            crumbs.append(f"{_cookie_value(name)}={_cookie_value(to_text(value))}")
    return "; ".join(crumbs) or None


# --- Bodies ----------------------------------------------------------------------


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def _is_binary(value: object) -> bool:
    return isinstance(value, (bytes, bytearray)) or callable(getattr(value, "read", None))


def _read(value: object) -> bytes:
    """The bytes of ``bytes`` or of a readable file-like object."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    data = getattr(value, "read")()
    return data.encode() if isinstance(data, str) else bytes(data)


def _filename(value: object, default: str) -> str:
    name = getattr(value, "name", None)
    return os.path.basename(name) if isinstance(name, str) and name else default


def _collision(key: str) -> RequestValidationError:
    detail = ErrorDetails(
        type="extra_body",
        loc=(key,),
        msg=f"extra_body key {key!r} collides with a declared field; set it on the body instead",
        input=None,
    )
    return RequestValidationError.from_errors("request body", [detail])


def _merge_extra(
    fields: dict[str, Any], body: object, extra: Mapping[str, object] | None
) -> dict[str, Any]:
    """``fields`` plus ``extra``; a key the body sets or its model declares is refused."""
    if not extra:
        return fields
    declared = set(fields)
    if isinstance(body, pydantic.BaseModel):
        for name, info in type(body).model_fields.items():
            declared |= {name, info.alias or name, info.serialization_alias or name}
    for key in extra:
        if key in declared:
            raise _collision(key)
    return {**fields, **extra}


def _not_an_object(body: object) -> RequestValidationError:
    detail = ErrorDetails(
        type="extra_body",
        loc=(),
        msg=f"extra_body needs an object body, not {type(body).__name__}",
        input=None,
    )
    return RequestValidationError.from_errors("request body", [detail])


def _json_body(body: object, extra: Mapping[str, object] | None) -> bytes:
    """The model's own JSON bytes; re-serialized only when ``extra`` keys join it."""
    if not extra:
        if isinstance(body, pydantic.BaseModel):
            return body.model_dump_json(by_alias=True, exclude_unset=True).encode()
        return _json_text(body).encode()
    data = _jsonable(body)
    if not isinstance(data, dict):
        raise _not_an_object(body)
    merged = _merge_extra(data, body, extra)
    return _json_text(merged).encode()


def _form_body(
    body: object, fields: Sequence[FieldEncoding], extra: Mapping[str, object] | None
) -> str:
    """``application/x-www-form-urlencoded`` text, each property in its declared encoding.

    With an explicit ``style``, ``explode`` or ``allowReserved`` a property is
    encoded as a query parameter of that style (``deepObject`` arrays indexed,
    ``items[0][price]=x``, as Stripe reads them). Otherwise by content type:
    scalars as text, arrays of scalars as repeated fields, objects and arrays
    holding objects as JSON text (the Encoding Object's default content type).
    """
    values = _plain(body)
    if not isinstance(values, dict):
        raise TypeError(f"cannot send a {type(body).__name__} as application/x-www-form-urlencoded")
    values = _plain(_merge_extra(values, body, extra))
    assert isinstance(values, dict)
    encodings = {f.name: f for f in fields}
    pieces: list[str] = []
    for name, value in values.items():
        field = encodings.get(name)
        if field is not None and (
            field.style is not None or field.explode is not None or field.allow_reserved
        ):
            style = field.style or "form"
            explode = field.explode if field.explode is not None else style == "form"
            pieces += _form_pieces(
                name, value, style, explode, field.allow_reserved, index_arrays=True
            )
            continue
        declared_type = field.content_type if field is not None else None
        as_json = declared_type is not None and _is_json(_media(declared_type))
        if as_json or isinstance(value, dict):
            texts = [_json_text(value)]
        elif isinstance(value, list):
            if any(isinstance(item, (dict, list)) for item in value):
                texts = [_json_text(value)]
            else:
                texts = [to_text(item) for item in value]
        else:
            texts = [to_text(value)]
        pieces += [f"{_segment(name)}={_segment(text)}" for text in texts]
    return "&".join(pieces)


def _holds_binary(value: object) -> bool:
    if isinstance(value, (list, tuple)):
        return any(_is_binary(item) for item in value)
    return _is_binary(value)


def _multipart_fields(body: object) -> dict[str, Any]:
    """Property values by wire name: binary ones as given, the rest as JSON-mode values.

    Binary values are taken from the model's attributes, never dumped: a dump
    would decode bytes as text and iterate (so consume) a file object.
    """
    if isinstance(body, Mapping):
        return {str(k): v for k, v in body.items()}
    if not isinstance(body, pydantic.BaseModel):
        raise TypeError(f"cannot send a {type(body).__name__} as multipart/form-data")
    declared = type(body).model_fields
    attributes = {name: getattr(body, name, None) for name in declared}
    attributes.update(body.model_extra or {})
    binary = {name for name, value in attributes.items() if _holds_binary(value)}
    text = body.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude=binary)
    values: dict[str, Any] = {}
    for name in attributes:
        info = declared.get(name)
        key = (info.serialization_alias or info.alias or name) if info is not None else name
        if name in binary and (info is None or name in body.model_fields_set):
            values[key] = attributes[name]
        elif key in text:
            values[key] = text[key]
    return values


def _multipart_body(
    body: object, fields: Sequence[FieldEncoding], extra: Mapping[str, object] | None
) -> list[tuple[str, tuple[Any, ...]]]:
    """httpx ``files`` entries: one part per property, or per item of an array.

    Binary values (``bytes``, file-like objects) go once, as a file part with
    a filename; objects as one JSON part; scalars as text parts.
    """
    values = _merge_extra(_multipart_fields(body), body, extra)
    encodings = {f.name: f for f in fields}
    parts: list[tuple[str, tuple[Any, ...]]] = []
    for name, value in values.items():
        field = encodings.get(name, FieldEncoding(name))
        headers = {k: v for k, v in field.headers if k.lower() != "content-type"}
        items = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
        for item in items:
            if item is None:
                continue
            if _is_binary(item):
                content_type = field.content_type or "application/octet-stream"
                part: tuple[Any, ...] = (_filename(item, name), _read(item), content_type)
            else:
                shown = _plain(item)
                if isinstance(shown, (dict, list)):
                    part = (None, _json_text(shown), field.content_type or "application/json")
                else:
                    part = (None, to_text(shown), field.content_type)
            parts.append((name, (*part, headers) if headers else part))
    return parts


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def encode_body(
    body: object,
    content_type: str | None,
    *,
    fields: Sequence[FieldEncoding] = (),
    extra: Mapping[str, object] | None = None,
) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client.build_request`` that carry ``body``.

    JSON sends the fields the caller set, by wire name, plus ``extra`` keys
    (never overriding a declared field). Form bodies are encoded here, not by
    httpx, so each property gets its declared style. Multipart sends every
    property as a part, binary ones once as files. Text and binary bodies go
    as given; ``str`` and ``bytes`` are taken as already encoded.
    """
    if body is None:
        return {}
    content_type = content_type or "application/json"
    media = _media(content_type)
    headers = {"Content-Type": content_type}
    if isinstance(body, (str, bytes, bytearray)) or _is_binary(body):
        if extra:
            raise _not_an_object(body)
        data = body.encode() if isinstance(body, str) else _read(body)
        return {"content": data, "headers": headers}
    if _is_json(media):
        return {"content": _json_body(body, extra), "headers": headers}
    if media == "application/x-www-form-urlencoded":
        return {"content": _form_body(body, fields, extra).encode(), "headers": headers}
    if media == "multipart/form-data":
        parts = _multipart_body(body, fields, extra)
        if parts:
            return {"files": parts}
        boundary = os.urandom(16).hex()
        return {
            "content": f"--{boundary}--\r\n".encode(),
            "headers": {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        }
    raise TypeError(f"cannot send a {type(body).__name__} as {content_type}")
