"""Credentials per security scheme, and which of them an operation sends.

OpenAPI's ``security`` is a list of alternatives (OR); each alternative names
the schemes that go together (AND). The client sends every scheme of the first
alternative the caller gave all credentials for. Real specs also write AND
where they mean "these, as far as you have them" (Appwrite's ``{JWT, Key,
Project}`` is used with a key and a project and no JWT), so when no
alternative is met in full, the one with the most credentials given is sent
with what the caller has; the server then says whether that is enough. With
no credential for any alternative the call fails before anything is sent.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .errors import MissingCredentialsError

__all__ = [
    "Credentials",
    "MissingCredentialsError",
    "Requirement",
    "SecurityScheme",
    "apply_security",
    "choose_requirement",
]

#: Scheme names an operation needs together (AND).
Requirement = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    """One entry of the spec's ``components.securitySchemes``."""

    name: str
    kind: str  # "bearer" | "basic" | "api_key"
    location: str = "header"  # where an api_key goes: "header" | "query" | "cookie"
    parameter: str = "Authorization"  # the header, query or cookie name of an api_key
    arguments: tuple[str, ...] = ()  # the client constructor's argument(s) for it
    env_vars: tuple[str, ...] = ()  # the environment variable each argument falls back to


@dataclass(frozen=True, slots=True)
class Credentials:
    """What the caller gave the client, by scheme name. ``repr`` never shows a secret."""

    secrets: Mapping[str, str | tuple[str, str]] = field(default_factory=dict, repr=False)

    def has(self, scheme: str) -> bool:
        return scheme in self.secrets


def choose_requirement(
    requirements: Sequence[Requirement], credentials: Credentials
) -> Requirement | None:
    """The alternative to send, or None when the caller has a credential for none of them.

    No alternatives at all (``security: []``) and an empty alternative (``{}``,
    "anonymous is fine") both need nothing: ``()``.
    """
    if not requirements:
        return ()
    best: Requirement | None = None
    best_count = 0
    for requirement in requirements:
        count = sum(credentials.has(name) for name in requirement)
        if count == len(requirement):
            return requirement
        if count > best_count:
            best, best_count = requirement, count
    return best


def describe_missing(schemes: Sequence[SecurityScheme], requirements: Sequence[Requirement]) -> str:
    """What the caller could pass, one alternative per "or", naming arguments and variables."""
    by_name = {scheme.name: scheme for scheme in schemes}
    options: list[str] = []
    for requirement in requirements:
        parts: list[str] = []
        for name in requirement:
            scheme = by_name.get(name)
            if scheme is None:
                continue
            args = " and ".join(f"{arg}=..." for arg in scheme.arguments)
            env = " and ".join(scheme.env_vars)
            parts.append(f"{args} (or set {env})" if env else args)
        if parts:
            options.append(" with ".join(parts))
    return " or ".join(options) or "credentials"


def apply_security(
    schemes: Sequence[SecurityScheme],
    requirements: Sequence[Requirement],
    credentials: Credentials,
    headers: dict[str, str],
    query: list[tuple[str, str]],
    cookies: dict[str, str],
) -> None:
    """Add the credentials of the chosen alternative where each scheme says.

    Raises ``MissingCredentialsError`` when no alternative can be sent.
    """
    chosen = choose_requirement(requirements, credentials)
    if chosen is None:
        raise MissingCredentialsError(
            "No credentials for this operation: pass " + describe_missing(schemes, requirements)
        )
    by_name = {scheme.name: scheme for scheme in schemes}
    for name in chosen:
        scheme = by_name.get(name)
        secret = credentials.secrets.get(name)
        if scheme is None or secret is None:
            continue
        if scheme.kind == "basic" and isinstance(secret, tuple):
            pair = f"{secret[0]}:{secret[1]}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        elif isinstance(secret, tuple):
            continue
        elif scheme.kind == "bearer":
            headers["Authorization"] = f"Bearer {secret}"
        elif scheme.location == "query":
            query.append((scheme.parameter, secret))
        elif scheme.location == "cookie":
            cookies[scheme.parameter] = secret
        else:
            headers[scheme.parameter] = secret
