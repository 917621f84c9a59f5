"""Validate the bundled document with openapi-spec-validator and turn its errors into diagnostics.

The library validates the document against the OpenAPI schema with a jsonschema validator whose
reference resolver holds that schema *uncrawled*: every ``$dynamicRef`` it follows (OpenAPI 3.1's
schema uses one per Schema Object) indexes the whole OpenAPI schema again, because the indexed
registry lives only as long as that one lookup (87 times over on Northflank's 75 schemas, about a
quarter of the validation). ``_document_validator`` hands it the same validator with the same
registry indexed once per process: lookups find exactly what they found before, only without
redoing the index each time.
"""

from __future__ import annotations

import functools
from typing import Any

from ..diagnostics import Diagnostics, pointer
from .toolkit import SCHEMA_CHILD, SCHEMA_LIST, SCHEMA_MAP, is_openapi30

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


@functools.cache
def _spec_validator(v30: bool) -> Any:
    """openapi-spec-validator's validator class for 3.0 or 3.1, its document validator indexed (see the module doc)."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    base: Any = OpenAPIV30SpecValidator if v30 else OpenAPIV31SpecValidator
    keywords = dict(base.keyword_validators)
    keywords["schema"] = _with_id_sets(keywords["schema"])
    indexed = _indexed(base.schema_validator)
    extra = (
        {"keyword_validators": keywords}
        if indexed is None
        else {"keyword_validators": keywords, "schema_validator": indexed}
    )
    return type(base.__name__, (base,), extra)


class _Ids(list[int]):
    """A list of ids whose ``in`` is a set lookup.

    The library's schema keyword records every schema it has visited and meta-checked in two lists
    and asks ``id in list`` before each one: quadratic in the number of schemas (about a third of
    validating GitHub's spec). Same contents, same answers, in constant time.
    """

    def __init__(self) -> None:
        super().__init__()
        self._members: set[int] = set()

    def append(self, item: int) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _with_id_sets(schema_keyword: Any) -> Any:
    """The library's schema keyword, its two registries of ids ``_Ids`` (where it keeps them as lists)."""

    class SchemaKeyword(schema_keyword):  # type: ignore[misc]
        def __init__(self, registry: Any) -> None:
            super().__init__(registry)
            if isinstance(getattr(self, "visited_schema_ids", None), list):
                self.visited_schema_ids = _Ids()
            if isinstance(getattr(self, "meta_checked_schema_ids", None), list):
                self.meta_checked_schema_ids = _Ids()

    return SchemaKeyword


def _indexed(validator: Any) -> Any:
    """``validator`` with its resolver's registry crawled once; None where it is not jsonschema's (other backend)."""
    try:
        resolver = validator._resolver
        registry = resolver._registry.crawl()
        return validator.evolve(_resolver=registry.resolver(base_uri=resolver._base_uri))
    except AttributeError:
        return None


def validate_document(document: dict[str, Any], *, file: str, diags: Diagnostics) -> None:
    check_schemas(document, file=file, diags=diags)
    report_library(document, file=file, diags=diags)


def library_accepts(document: dict[str, Any]) -> bool:
    """Whether openapi-spec-validator finds nothing in ``document`` beyond what our own rules report.

    Stops at the first finding: a document part by part (validate_parts.py) only needs the verdict.
    """
    validator_cls = _spec_validator(is_openapi30(document))
    try:
        return all(type(error).__name__ in _OWN_RULES for error in validator_cls(document).iter_errors())
    except Exception:  # the validator tripped on odd input: not a verdict of "valid"
        return False


def report_library(document: dict[str, Any], *, file: str, diags: Diagnostics) -> bool:
    """openapi-spec-validator's findings on the whole document as diagnostics; True when it found nothing."""
    version = str(document.get("openapi", ""))
    validator_cls = _spec_validator(is_openapi30(document))
    seen = 0
    try:
        errors = list(validator_cls(document).iter_errors())
    except Exception as exc:  # the validator itself can trip on very odd input
        diags.error(file, "", "invalid-openapi", f"the OpenAPI validator failed: {exc}; fix the reported area")
        return False
    clean = all(type(error).__name__ in _OWN_RULES for error in errors)
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
    return clean
