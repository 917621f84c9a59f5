"""What the client class is, read from the spec: its package and class names, base URL and credentials."""

from __future__ import annotations

from typing import Any, Literal

from .. import naming
from ..diagnostics import Diagnostics, pointer
from ..settings import Settings
from ..spec.toolkit import as_dict, as_list
from . import nodes as ir


class ClientReader:
    """Reads ``info.x-codegen`` (overridden by the settings), ``servers`` and ``securitySchemes``."""

    def __init__(self, doc: dict[str, Any], settings: Settings, file: str, diags: Diagnostics) -> None:
        self.doc = doc
        self.settings = settings
        self.file = file
        self.diags = diags
        self.codegen: dict[str, Any] = as_dict(as_dict(doc.get("info")).get("x-codegen"))

    def security_schemes(self) -> tuple[ir.SecurityScheme, ...]:
        components = as_dict(self.doc.get("components"))
        raw = as_dict(components.get("securitySchemes"))
        schemes: list[ir.SecurityScheme] = []
        for name in sorted(raw):
            scheme = raw[name] if isinstance(raw[name], dict) else {}
            kind = scheme.get("type")
            http_scheme = str(scheme.get("scheme") or "").lower()
            if kind == "http" and http_scheme == "basic":
                schemes.append(ir.SecurityScheme(name, "basic", "header", "Authorization"))
            elif (kind == "http" and http_scheme == "bearer") or kind in ("oauth2", "openIdConnect"):
                schemes.append(ir.SecurityScheme(name, "bearer", "header", "Authorization"))
            elif kind == "apiKey" and scheme.get("in") in _KEY_LOCATIONS:
                schemes.append(
                    ir.SecurityScheme(name, "api_key", _KEY_LOCATIONS[scheme["in"]], str(scheme.get("name") or ""))
                )
            else:
                self.diags.warning(
                    self.file,
                    pointer("components", "securitySchemes", name),
                    "unsupported-security-scheme",
                    f"security scheme type {kind!r} is not supported; send its credentials with default_headers",
                )
        return tuple(schemes)

    def default_security(self, known: set[str]) -> tuple[str, ...]:
        requirements = as_list(self.doc.get("security"))
        names: dict[str, None] = {}
        for requirement in requirements:
            if isinstance(requirement, dict):
                names.update(dict.fromkeys(str(k) for k in requirement if str(k) in known))
        return tuple(names)

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
_CREDENTIAL_ARGS = {"bearer": ("token",), "api_key": ("api_key",), "basic": ("username", "password")}


def credential_args(schemes: tuple[ir.SecurityScheme, ...]) -> tuple[str, ...]:
    kinds = {scheme.kind for scheme in schemes}
    return tuple(arg for kind in ("bearer", "api_key", "basic") if kind in kinds for arg in _CREDENTIAL_ARGS[kind])
