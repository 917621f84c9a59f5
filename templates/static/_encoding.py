"""Turning Python values into the wire format an operation declares.

Pure functions, no I/O: OpenAPI parameter styles (``form``, ``spaceDelimited``,
``pipeDelimited``, ``deepObject``, ``simple``) and request bodies by media type
(JSON, form, multipart, text, binary).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pydantic

__all__ = ["encode_body", "encode_cookies", "encode_header", "encode_query", "to_text"]

_DELIMITERS = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}


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


def _is_sequence(value: object) -> bool:
    return isinstance(value, (list, tuple, set, frozenset))


def encode_query(
    query: Mapping[str, Any] | None, styles: Sequence[tuple[str, str, bool]] = ()
) -> list[tuple[str, str]]:
    """Query pairs per parameter style; ``None`` values are left out.

    ``styles`` holds ``(name, style, explode)`` for each parameter; the
    OpenAPI default (``form``, exploded) applies to the rest.
    """
    style_of = {name: (style, explode) for name, style, explode in styles}
    pairs: list[tuple[str, str]] = []
    for name, value in (query or {}).items():
        if value is None:
            continue
        style, explode = style_of.get(name, ("form", True))
        if isinstance(value, pydantic.BaseModel):
            value = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
        if isinstance(value, Mapping):
            items = [(str(k), v) for k, v in value.items() if v is not None]
            if style == "deepObject":
                pairs.extend((f"{name}[{k}]", to_text(v)) for k, v in items)
            elif explode:
                pairs.extend((k, to_text(v)) for k, v in items)
            else:
                pairs.append((name, ",".join(f"{k},{to_text(v)}" for k, v in items)))
        elif _is_sequence(value):
            texts = [to_text(item) for item in value if item is not None]
            if explode:
                pairs.extend((name, text) for text in texts)
            else:
                pairs.append((name, _DELIMITERS.get(style, ",").join(texts)))
        else:
            pairs.append((name, to_text(value)))
    return pairs


def encode_header(value: object) -> str:
    """A header parameter in the ``simple`` style: lists and objects comma-separated."""
    if isinstance(value, Mapping):
        return ",".join(f"{k},{to_text(v)}" for k, v in value.items())
    if _is_sequence(value):
        return ",".join(to_text(item) for item in value)  # type: ignore[attr-defined]
    return to_text(value)


def encode_cookies(cookies: Mapping[str, Any] | None) -> str | None:
    """A ``Cookie`` header value for cookie parameters, or None when all are unset."""
    parts = [
        f"{name}={encode_header(value)}"
        for name, value in (cookies or {}).items()
        if value is not None
    ]
    return "; ".join(parts) or None


def encode_body(body: object, content_type: str | None) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client.build_request`` that carry ``body``.

    JSON sends the fields the caller set, by wire name. Form bodies are
    URL-encoded (nested values as JSON). Multipart sends ``bytes`` fields as
    files and the rest as form fields. Text and binary bodies go as given.
    """
    if body is None:
        return {}
    content_type = content_type or "application/json"
    base = content_type.split(";", 1)[0].strip().lower()
    if isinstance(body, pydantic.BaseModel):
        if base == "application/x-www-form-urlencoded":
            return {"data": _form_fields(body)}
        if base == "multipart/form-data":
            fields = body.model_dump(by_alias=True, exclude_unset=True)
            files = {k: v for k, v in fields.items() if isinstance(v, (bytes, bytearray))}
            data = _form_fields(body, exclude=set(files))
            if files:
                return {"data": data, "files": {k: (k, bytes(v)) for k, v in files.items()}}
            # httpx URL-encodes `data` when there are no files; a multipart operation must get
            # multipart, so every field goes as a part without a filename (what a form field is).
            return {"files": [(k, (None, _part_text(v))) for k, v in _flat_fields(data)]}
        content = body.model_dump_json(by_alias=True, exclude_unset=True).encode()
        return {"content": content, "headers": {"Content-Type": content_type}}
    if isinstance(body, str):
        return {"content": body.encode(), "headers": {"Content-Type": content_type}}
    if isinstance(body, (bytes, bytearray)):
        return {"content": bytes(body), "headers": {"Content-Type": content_type}}
    raise TypeError(f"cannot send a {type(body).__name__} as {content_type}")


def _form_fields(body: pydantic.BaseModel, exclude: set[str] | None = None) -> dict[str, Any]:
    fields = body.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude=exclude)
    return {
        k: (json.dumps(v) if isinstance(v, (dict, list)) and not _all_scalars(v) else v)
        for k, v in fields.items()
        if v is not None
    }


def _flat_fields(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """A repeated field (a list of scalars) as one (name, value) pair per item, as forms send it."""
    return [(k, item) for k, v in data.items() for item in (v if isinstance(v, list) else [v])]


def _part_text(value: object) -> str:
    """A form field's text, spelled as httpx spells it in a URL-encoded form."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _all_scalars(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, (str, int, float, bool)) for item in value
    )
