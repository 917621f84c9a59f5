"""Classify request and response media types: which one an operation uses, and how it is encoded."""

from __future__ import annotations

from typing import Any, Literal

Encoding = Literal["json", "form", "multipart", "text", "binary"]

# Preference order when an operation offers several media types.
_ORDER: tuple[Encoding, ...] = ("json", "form", "multipart", "text", "binary")


def encoding_of(media_type: str) -> Encoding:
    """``json`` | ``form`` | ``multipart`` | ``text`` | ``binary`` for a media type string."""
    base = media_type.split(";", 1)[0].strip().lower()
    if base == "application/json" or base.endswith("+json") or base == "*/*json":
        return "json"
    if base == "application/x-www-form-urlencoded":
        return "form"
    if base == "multipart/form-data":
        return "multipart"
    if base.startswith("text/"):
        return "text"
    return "binary"


def pick(content: Any) -> tuple[str, Encoding, dict[str, Any]] | None:
    """The preferred (media type, encoding, media object) of a `content` map, or None if empty."""
    if not isinstance(content, dict) or not content:
        return None
    ranked = sorted(
        (str(media_type) for media_type in content),
        key=lambda m: (_ORDER.index(encoding_of(m)), m),
    )
    chosen = ranked[0]
    media = content[chosen] if isinstance(content[chosen], dict) else {}
    return chosen, encoding_of(chosen), media


def is_structured(encoding: str) -> bool:
    """Bodies of these encodings are described by a schema and validated through a model."""
    return encoding in ("json", "form", "multipart")
