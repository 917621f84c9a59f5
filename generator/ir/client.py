"""What the client class is, read from the spec: its package and class names, base URL and credentials."""

from __future__ import annotations

from typing import Any, Literal

from .. import naming
from ..diagnostics import Diagnostics, pointer
from ..openapi.toolkit import as_dict, as_list
from ..settings import Settings
from . import nodes as ir


class ClientReader:
    """Reads ``info.x-codegen`` (overridden by the settings), ``servers`` and ``securitySchemes``."""

    def __init__(self, doc: dict[str, Any], settings: Settings, file: str, diags: Diagnostics) -> None:
        self.doc = doc
        self.settings = settings
        self.file = file
        self.diags = diags
        self.codegen: dict[str, Any] = as_dict(as_dict(doc.get("info")).get("x-codegen"))

    def security_schemes(self, package: str) -> tuple[ir.SecurityScheme, ...]:
        """Every supported scheme, with the constructor arguments and environment variables naming it."""
        components = as_dict(self.doc.get("components"))
        raw = as_dict(components.get("securitySchemes"))
        found: list[tuple[str, ir.SchemeKind, Literal["header", "query", "cookie"], str, str]] = []
        for name in sorted(raw):
            scheme = raw[name] if isinstance(raw[name], dict) else {}
            kind = scheme.get("type")
            http_scheme = str(scheme.get("scheme") or "").lower()
            description = str(scheme.get("description") or "").strip()
            if kind == "http" and http_scheme == "basic":
                found.append((name, "basic", "header", "Authorization", description))
            elif (kind == "http" and http_scheme == "bearer") or kind in ("oauth2", "openIdConnect"):
                found.append((name, "bearer", "header", "Authorization", description))
            elif kind == "apiKey" and scheme.get("in") in _KEY_LOCATIONS and scheme.get("name"):
                found.append((name, "api_key", _KEY_LOCATIONS[scheme["in"]], str(scheme["name"]), description))
            else:
                self.diags.warning(
                    self.file,
                    pointer("components", "securitySchemes", name),
                    "unsupported-security-scheme",
                    f"security scheme type {kind!r} is not supported; send its credentials with default_headers",
                )
        arguments = scheme_arguments([(name, kind) for name, kind, *_ in found])
        token_env = self.token_env_var()
        prefix = package.upper()
        schemes: list[ir.SecurityScheme] = []
        for name, kind, location, parameter, description in found:
            args = arguments[name]
            if kind == "bearer" and args == ("token",) and token_env:
                env_vars: tuple[str, ...] = (token_env,)
            else:
                env_vars = tuple(f"{prefix}_{arg.upper()}" for arg in args)
            schemes.append(
                ir.SecurityScheme(
                    name=name,
                    kind=kind,
                    location=location,
                    parameter=parameter,
                    arguments=args,
                    env_vars=env_vars,
                    description=description,
                )
            )
        return tuple(schemes)

    def default_security(self, known: set[str]) -> tuple[tuple[str, ...], ...]:
        return security_requirements(self.doc.get("security"), known) or ()

    def client_class(self, title: str) -> str:
        name = self.settings.client_name or self.codegen.get("clientName") or title
        base = naming.pascal_case(str(name), fallback="Api")
        return base if base.endswith("Client") else base + "Client"

    def package(self, title: str) -> str:
        chosen = self.settings.package or self.codegen.get("package")
        if chosen is None:
            return naming.module_name(title)
        if not naming.is_identifier(str(chosen)):
            fallback = naming.module_name(str(chosen))
            self.diags.warning(
                self.file,
                "/info/x-codegen/package",
                "invalid-package-name",
                f"package name {str(chosen)!r} is not a Python identifier; using {fallback!r}. "
                "Use letters, digits and underscores (e.g. my_api_client)",
            )
            return fallback
        return str(chosen)

    def token_env_var(self) -> str | None:
        value = self.settings.token_env_var or self.codegen.get("tokenEnvVar")
        if not value:
            return None
        if "=" in str(value) or "\x00" in str(value):
            self.diags.warning(
                self.file,
                "/info/x-codegen/tokenEnvVar",
                "invalid-token-env-var",
                f"{str(value)!r} cannot be an environment variable name (it holds '=' or NUL), so "
                "the client reads no token from the environment; use e.g. MY_API_TOKEN",
            )
            return None
        return str(value)

    def base_url(self) -> str:
        servers = as_list(self.doc.get("servers"))
        if not servers or not isinstance(servers[0], dict) or not isinstance(servers[0].get("url"), str):
            return ""
        url: str = servers[0]["url"]
        variables = as_dict(servers[0].get("variables"))
        for var, spec in variables.items():
            if isinstance(spec, dict) and "default" in spec:
                url = url.replace("{" + str(var) + "}", str(spec["default"]))
        return url.rstrip("/")


_KEY_LOCATIONS: dict[str, Literal["header", "query", "cookie"]] = {
    "header": "header",
    "query": "query",
    "cookie": "cookie",
}
_CONVENTIONAL_ARGS: dict[str, tuple[str, ...]] = {
    "bearer": ("token",),
    "api_key": ("api_key",),
    "basic": ("username", "password"),
}
# What the client constructor already takes: a credential argument never shadows one of these.
CONSTRUCTOR_ARGS = frozenset(
    {"self", "base_url", "timeout", "retry", "default_headers", "http_client", "transport", "credentials"}
)


def scheme_arguments(schemes: list[tuple[str, ir.SchemeKind]]) -> dict[str, tuple[str, ...]]:
    """Constructor arguments per scheme name.

    A scheme that is the only one of its kind gets the conventional name
    (``token``, ``api_key``, ``username``/``password``), what a reader expects of
    a one-credential API; kinds with several schemes name each after the scheme
    (Appwrite's ``JWT``, ``Key`` and ``Project`` become ``jwt``, ``key``, ``project``).
    """
    per_kind: dict[str, int] = {}
    for _, kind in schemes:
        per_kind[kind] = per_kind.get(kind, 0) + 1
    taken = set(CONSTRUCTOR_ARGS)
    result: dict[str, tuple[str, ...]] = {}
    for name, kind in sorted(schemes, key=lambda s: (per_kind[s[1]] > 1, s[0])):
        if per_kind[kind] == 1 and not taken & set(_CONVENTIONAL_ARGS[kind]):
            args = _CONVENTIONAL_ARGS[kind]
        else:
            stem = naming.snake_case(name) or "credential"
            wanted = (f"{stem}_username", f"{stem}_password") if kind == "basic" else (stem,)
            args = tuple(naming.unique(arg, taken) for arg in wanted)
        taken.update(args)
        result[name] = args
    return result


def security_requirements(raw: Any, known: set[str]) -> tuple[tuple[str, ...], ...] | None:
    """A ``security`` list as alternatives of scheme names (AND within one), None when not a list.

    An alternative naming a scheme the client cannot send (unknown or unsupported)
    is dropped, since no credential could satisfy it; an empty alternative means
    the operation may be called without credentials.
    """
    if not isinstance(raw, list):
        return None
    alternatives: list[tuple[str, ...]] = []
    for requirement in raw:
        if not isinstance(requirement, dict):
            continue
        names = tuple(str(k) for k in requirement)
        if all(name in known for name in names) and names not in alternatives:
            alternatives.append(names)
    return tuple(alternatives)


def credential_args(schemes: tuple[ir.SecurityScheme, ...]) -> tuple[str, ...]:
    """Every credential argument of the constructor, in the order of the schemes."""
    return tuple(arg for scheme in schemes for arg in scheme.arguments)
