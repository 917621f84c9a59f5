"""Credentials and the security schemes that decide where each one goes."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Credentials", "SecurityScheme", "apply_security"]


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """One entry of the spec's ``components.securitySchemes``."""

    name: str
    kind: str  # "bearer" | "basic" | "api_key"
    location: str = "header"  # where an api_key goes: "header" | "query" | "cookie"
    parameter: str = "Authorization"  # the header, query or cookie name of an api_key


@dataclass(frozen=True, slots=True)
class Credentials:
    """What the caller gave the client. ``repr`` never shows a secret."""

    token: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    username: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)

    def can_satisfy(self, scheme: SecurityScheme) -> bool:
        if scheme.kind == "bearer":
            return self.token is not None
        if scheme.kind == "basic":
            return self.username is not None and self.password is not None
        return self.api_key is not None


def apply_security(
    schemes: Sequence[SecurityScheme],
    names: Sequence[str],
    credentials: Credentials,
    headers: dict[str, str],
    query: list[tuple[str, str]],
    cookies: dict[str, str],
) -> None:
    """Add the credentials of the first listed scheme the caller can satisfy.

    OpenAPI lists alternatives; one satisfied scheme is enough. Nothing is
    added for an operation that needs no security (``names`` empty).
    """
    by_name = {scheme.name: scheme for scheme in schemes}
    for name in names:
        scheme = by_name.get(name)
        if scheme is None or not credentials.can_satisfy(scheme):
            continue
        if scheme.kind == "bearer":
            headers["Authorization"] = f"Bearer {credentials.token}"
        elif scheme.kind == "basic":
            pair = f"{credentials.username}:{credentials.password}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        elif scheme.location == "query":
            query.append((scheme.parameter, credentials.api_key or ""))
        elif scheme.location == "cookie":
            cookies[scheme.parameter] = credentials.api_key or ""
        else:
            headers[scheme.parameter] = credentials.api_key or ""
        return
