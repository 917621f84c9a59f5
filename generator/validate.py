"""Validate the bundled document with openapi-spec-validator and turn its errors into diagnostics."""

from __future__ import annotations

from typing import Any

from .diagnostics import Diagnostics, pointer

# These two are reported by our own IR rules, with better pointers and advice.
_OWN_RULES = frozenset({"DuplicateOperationIDError", "UnresolvableParameterError"})
_ROOT_KEYS = frozenset({"openapi", "info", "servers", "paths", "components", "security", "tags",
                        "externalDocs", "webhooks", "jsonSchemaDialect"})
MAX_REPORTED = 50


def validate_document(document: dict[str, Any], *, file: str, diags: Diagnostics) -> None:
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    version = str(document.get("openapi", ""))
    validator_cls = OpenAPIV30SpecValidator if version.startswith("3.0") else OpenAPIV31SpecValidator
    seen = 0
    try:
        errors = list(validator_cls(document).iter_errors())
    except Exception as exc:  # the validator itself can trip on very odd input
        diags.error(file, "", "invalid-openapi", f"the OpenAPI validator failed: {exc}; fix the reported area")
        return
    for error in errors:
        if type(error).__name__ in _OWN_RULES:
            continue
        seen += 1
        if seen > MAX_REPORTED:
            diags.error(file, "", "invalid-openapi", f"{len(errors) - MAX_REPORTED} more validation errors not shown")
            break
        path = list(getattr(error, "absolute_path", []) or [])
        message = str(getattr(error, "message", "") or str(error).splitlines()[0])
        if len(message) > 300:
            message = message[:300] + "…"
        if path and path[0] in _ROOT_KEYS:
            diags.error(file, pointer(*path), "invalid-openapi", f"{message}; see the OpenAPI {version} specification")
        else:
            where = "/".join(str(p) for p in path)
            diags.error(file, "", "invalid-schema",
                        f"a schema is invalid at its `{where or '(root)'}`: {message}; fix the schema")
