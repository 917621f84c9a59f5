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
    # A concrete type wins over a range of the same encoding: a range is what the server
    # accepts, never what a client may send as its Content-Type.
    ranked = sorted(
        (str(media_type) for media_type in content),
        key=lambda m: (_ORDER.index(encoding_of(m)), "*" in m, m),
    )
    chosen = ranked[0]
    media = content[chosen] if isinstance(content[chosen], dict) else {}
    return chosen, encoding_of(chosen), media


def is_structured(encoding: str) -> bool:
    """Bodies of these encodings are described by a schema and validated through a model."""
    return encoding in ("json", "form", "multipart")


def concrete(media_type: str) -> str:
    """A media type a request can carry for a declared one, which may be a range.

    ``*/*`` and ``application/*`` become ``application/octet-stream``, ``text/*``
    ``text/plain``, and a structured-suffix range (``application/*+json``) the
    suffix's own type (``application/json``); anything concrete stays as written.
    """
    base, _, parameters = media_type.partition(";")
    kind, _, subtype = base.strip().lower().partition("/")
    if "*" not in base:
        return media_type.strip()
    if "+" in subtype:
        chosen = f"{'application' if kind == '*' else kind}/{subtype.rsplit('+', 1)[1]}"
    elif kind == "text":
        chosen = "text/plain"
    elif kind == "multipart":
        chosen = "multipart/form-data"
    else:
        chosen = "application/octet-stream"
    return chosen + (f";{parameters}" if parameters else "")
