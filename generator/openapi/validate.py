"""Validate the bundled document with openapi-spec-validator and turn its errors into diagnostics."""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostics, pointer
from .toolkit import SCHEMA_CHILD, SCHEMA_LIST, SCHEMA_MAP

# These two are reported by our own IR rules, with better pointers and advice.
_OWN_RULES = frozenset({"DuplicateOperationIDError", "UnresolvableParameterError"})
_ROOT_KEYS = frozenset(
    {
        "openapi",
        "info",
        "servers",
        "paths",
        "components",
        "security",
        "tags",
        "externalDocs",
        "webhooks",
        "jsonSchemaDialect",
    }
)
MAX_REPORTED = 50


_TYPES = frozenset({"string", "integer", "number", "boolean", "array", "object", "null"})


def _check_schema(schema: Any, at: tuple[str | int, ...], file: str, diags: Diagnostics) -> None:
    """The shape checks that locate a broken schema precisely (the validator loses the path)."""
    if isinstance(schema, bool):
        return
    if not isinstance(schema, dict):
        diags.error(
            file,
            pointer(*at),
            "invalid-schema",
            f"expected a schema object, found {type(schema).__name__}; fix or remove it",
        )
        return
    kinds = schema.get("type")
    for kind in kinds if isinstance(kinds, list) else [kinds] if kinds is not None else []:
        if not isinstance(kind, str) or kind not in _TYPES:
            diags.error(
                file,
                pointer(*at, "type"),
                "invalid-schema",
                f"unknown type {kind!r}; use one of {', '.join(sorted(_TYPES))}",
            )
    for key in SCHEMA_MAP:
        if key in schema:
            if not isinstance(schema[key], dict):
                diags.error(
                    file,
                    pointer(*at, key),
                    "invalid-schema",
                    f"`{key}` must map names to schemas, found {type(schema[key]).__name__}",
                )
            else:
                for name, sub in schema[key].items():
                    _check_schema(sub, (*at, key, name), file, diags)
    for key in SCHEMA_LIST:
        if key in schema:
            if not isinstance(schema[key], list):
                diags.error(file, pointer(*at, key), "invalid-schema", f"`{key}` must be a list of schemas")
            else:
                for index, sub in enumerate(schema[key]):
                    _check_schema(sub, (*at, key, index), file, diags)
    for key in SCHEMA_CHILD:
        if key in schema:
            _check_schema(schema[key], (*at, key), file, diags)
    required = schema.get("required")
    if required is not None and not (isinstance(required, list) and all(isinstance(r, str) for r in required)):
        diags.error(file, pointer(*at, "required"), "invalid-schema", "`required` must be a list of property names")


def check_schemas(document: dict[str, Any], *, file: str, diags: Diagnostics) -> None:
    schemas = (document.get("components") or {}).get("schemas") or {}
    if isinstance(schemas, dict):
        for name, schema in schemas.items():
            _check_schema(schema, ("components", "schemas", name), file, diags)


def validate_document(document: dict[str, Any], *, file: str, diags: Diagnostics) -> None:
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    check_schemas(document, file=file, diags=diags)
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
        elif getattr(error, "instance", None) is document:
            # The document as a whole: OpenAPI 3.1 needs at least one of paths, components, webhooks.
            diags.error(
                file,
                "",
                "invalid-openapi",
                f"the document is not valid OpenAPI {version}: "
                + (
                    "it needs at least one of `paths`, `components` or `webhooks`"
                    if not any(k in document for k in ("paths", "components", "webhooks"))
                    else "its root object does not match the specification's"
                ),
            )
        # Otherwise the validator lost the location: in practice a `default` or `example` that
        # breaks its own schema, which spec/values.py reports with its pointer.
