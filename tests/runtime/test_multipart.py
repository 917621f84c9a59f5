"""A multipart operation sends multipart/form-data, whatever the body's fields are.

The bytes httpx would put on the wire are read back with the standard library's
MIME parser (``email``), not with anything of the client's, and compared with
the same body sent URL-encoded (read back with ``urllib.parse``): the same
fields with the same text, only the encoding differs. A body without ``bytes``
fields used to go out URL-encoded under a multipart operation, because httpx
switches to multipart only when it is given files.
"""

from __future__ import annotations

import email.parser
import email.policy
from urllib.parse import parse_qsl

import httpx
import pydantic
from northflank_jobs._encoding import encode_body


class Upload(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)

    display_name: str = pydantic.Field(alias="displayName")
    tags: list[str] | None = None
    enabled: bool | None = None
    count: int | None = None
    note: str | None = None
    photo: bytes | None = None


def _sent(body: Upload, content_type: str) -> httpx.Request:
    request = httpx.Request("POST", "https://api.example/upload", **encode_body(body, content_type))
    request.read()
    return request


def _parts(request: httpx.Request) -> list[tuple[str, str | None, bytes]]:
    """(field name, filename, content) of every part, as a MIME parser reads the request."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content)
    assert message.is_multipart(), request.headers["content-type"]
    return [
        (part.get_param("name", header="content-disposition"), part.get_filename(), part.get_payload(decode=True))
        for part in message.iter_parts()
    ]


def test_a_body_without_files_goes_as_multipart_with_the_form_s_fields() -> None:
    body = Upload(display_name="Nightly report", tags=["a", "b"], enabled=True, count=3)
    multipart = _sent(body, "multipart/form-data")
    assert multipart.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = _parts(multipart)
    assert all(filename is None for _, filename, _ in parts)  # fields, not files
    form = _sent(body, "application/x-www-form-urlencoded")
    assert form.headers["content-type"] == "application/x-www-form-urlencoded"
    assert [(name, content.decode()) for name, _, content in parts] == parse_qsl(form.content.decode())
    assert [name for name, _, _ in parts] == ["displayName", "tags", "tags", "enabled", "count"]  # unset: absent


def test_bytes_fields_go_as_files_beside_the_other_fields() -> None:
    body = Upload(display_name="Nightly report", enabled=False, photo=b"\x89PNG\r\n\x00")
    parts = _parts(_sent(body, "multipart/form-data"))
    assert sorted(parts) == [
        ("displayName", None, b"Nightly report"),
        ("enabled", None, b"false"),
        ("photo", "photo", b"\x89PNG\r\n\x00"),
    ]
