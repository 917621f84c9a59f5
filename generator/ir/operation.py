"""Build one IR operation (parameters, body, responses) from its spec dict."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .. import naming
from ..diagnostics import Diagnostics, pointer
from ..models import ModelsModule, Role
from ..openapi import media
from ..openapi.toolkit import as_dict, deref, ref_name
from . import nodes as ir
from .client import security_requirements
from .names import OperationNames, RawOperation
from .param_checks import checkable
from .param_types import param_type
from .responses import response_cases
from .testing import invalid_request_status
from .wire import (
    accept_header,
    error_cases,
    field_encodings,
    first_example,
    param_example_json,
)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
# Names a generated method already uses: its own arguments, its locals, and the
# module-level names its body calls (a parameter must not shadow any of them).
METHOD_RESERVED = frozenset(
    {
        "self",
        "body",
        "timeout",
        "extra_headers",
        "extra_query",
        "extra_body",
        "endpoint",
        "path_params",
        "response",
        "validate_body",
        "warnings",
        "httpx",
        "lenient_enums",
    }
)
_DEFAULT_STYLE: dict[ir.Location, str] = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}
_LOCATIONS: dict[str, ir.Location] = {location: location for location in _DEFAULT_STYLE}
_RAW_BODY_HINT = {"text": "str", "binary": "bytes"}
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
# Header parameters OpenAPI says to ignore: the media types and the security schemes decide them.
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})


class OperationBuilder:
    """Turns ``paths[path][method]`` into an :class:`ir.Operation`; problems go to ``diags``."""

    def __init__(
        self, doc: dict[str, Any], models: ModelsModule, file: str, diags: Diagnostics, envelope: str | None
    ) -> None:
        self.doc = doc
        self.models = models
        self.file = file
        self.diags = diags
        self.envelope = envelope
        self.known_schemes: set[str] = set()  # security scheme names the client can send (build.py sets it)

    def params(self, path: str, path_item: dict[str, Any], op: dict[str, Any], at: tuple[str, ...]) -> list[ir.Param]:
        merged: dict[tuple[ir.Location, str], dict[str, Any]] = {}
        requirements = self._requirements(op)
        credentials = self._credential_fields(requirements)
        for source, where in ((path_item.get("parameters"), at[:-1]), (op.get("parameters"), at)):
            for index, raw in enumerate(source if isinstance(source, list) else []):
                param = deref(self.doc, raw)
                if (
                    not isinstance(param, dict)
                    or not isinstance(param.get("name"), str)
                    or param.get("in") not in _DEFAULT_STYLE
                ):
                    self.diags.error(
                        self.file,
                        pointer(*where, "parameters", index),
                        "invalid-parameter",
                        "a parameter needs a `name` and `in` (path, query, header or cookie)",
                    )
                    continue
                if param["in"] == "header" and param["name"].lower() in _IGNORED_HEADERS:
                    unsecured = param["name"].lower() == "authorization" and not any(requirements)
                    self.diags.warning(
                        self.file,
                        pointer(*where, "parameters", index),
                        "ignored-header-parameter",
                        f"header parameter {param['name']!r} is ignored, as OpenAPI says: the client sets "
                        "it from the operation's media types and security schemes"
                        + (
                            "; this operation has none, so callers send it with the client's `default_headers` "
                            "or a call's `extra_headers`. Declare a security scheme to make it a credential"
                            if unsecured
                            else ""
                        ),
                    )
                    continue
                scheme = credentials.get((param["in"], _field_key(param["in"], param["name"])))
                if scheme is not None:
                    # Sent by the credential already: as a parameter too it would go twice (`?key=a&key=b`).
                    self.diags.warning(
                        self.file,
                        pointer(*where, "parameters", index),
                        "credential-parameter",
                        f"{param['in']} parameter {param['name']!r} is what security scheme {scheme!r} sends: the "
                        "client sends it from the configured credential, so the method does not take it",
                    )
                    continue
                merged[(_LOCATIONS[param["in"]], param["name"])] = param
        taken = set(METHOD_RESERVED)
        result: list[ir.Param] = []
        # Path parameters in the template's order (the last one is the operation's own resource,
        # the only positional argument); the others by location and name.
        placeholders = [m.group(1) for m in _PLACEHOLDER.finditer(path)]
        order = {name: index for index, name in enumerate(placeholders)}

        def position(item: tuple[tuple[ir.Location, str], dict[str, Any]]) -> tuple[bool, int, str, str]:
            (location, wire), _ = item
            return location != "path", order.get(wire, len(order)), location, wire

        last = placeholders[-1] if placeholders else None
        for (location, wire), param in sorted(merged.items(), key=position):
            python_name = naming.unique(naming.snake_case(wire), taken)
            taken.add(python_name)
            style = str(param.get("style") or _DEFAULT_STYLE[location])
            explode = param.get("explode")
            result.append(
                ir.Param(
                    wire_name=wire,
                    python_name=python_name,
                    location=location,
                    required=bool(param.get("required")) or location == "path",
                    type_hint=param_type(self.doc, self.models, param.get("schema")),
                    description=str(
                        param.get("description")
                        or as_dict(deref(self.doc, param.get("schema"))).get("description")
                        or ""
                    ).strip(),
                    example=_param_example(param, wire),
                    example_json=param_example_json(self.doc, param, wire),
                    style=style,
                    explode=bool(explode) if isinstance(explode, bool) else style == "form",
                    deprecated=bool(param.get("deprecated")),
                    positional=location == "path" and wire == last,
                    schema_json=checkable(self.doc, param.get("schema")),
                    allow_reserved=location == "query" and param.get("allowReserved") is True,
                )
            )
        return result

    def model_for(self, schema: Any, at: str, role: Role) -> str | None:
        if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
            return None
        cls = self.models.class_for(ref_name(schema["$ref"]), kinds=("model", "root"), role=role)
        if cls is None:
            self.diags.error(
                self.file,
                at,
                "model-not-found",
                f"no model class was generated for {schema['$ref']!r}; this is a generator bug, "
                "please report it with the spec",
            )
        return cls

    def body(self, op: dict[str, Any], at: tuple[str, ...]) -> tuple[bool, ir.Body | None]:
        body = deref(self.doc, op.get("requestBody"))
        chosen = media.pick(body.get("content")) if isinstance(body, dict) else None
        if chosen is None:
            return True, None
        declared, encoding, media_object = chosen
        where = pointer(*at, "requestBody", "content", declared, "schema")
        media_type = media.concrete(declared)
        required = bool(body.get("required"))
        description = str(body.get("description") or "")
        if not media.is_structured(encoding) or "schema" not in media_object:
            hint = _RAW_BODY_HINT.get(encoding, "bytes")
            return True, ir.Body(
                content_type=media_type,
                encoding="text" if encoding == "text" else "binary",
                model=None,
                type_hint=hint,
                required=required,
                description=description,
                example_json=first_example(media_object),
            )
        model = self.model_for(media_object["schema"], where, "request")
        if model is None:
            return False, None
        root = self.models.root_annotation(model)
        hint = f"{model} | {root}" if root else f"{model} | Mapping[str, Any]"
        fields = field_encodings(media_object.get("encoding")) if encoding in ("form", "multipart") else ()
        return True, ir.Body(
            content_type=media_type,
            encoding=encoding,
            model=model,
            type_hint=hint,
            required=required,
            description=description,
            example_json=first_example(media_object),
            fields=fields,
        )

    def _requirements(self, op: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
        """The operation's security alternatives (its own, else the document's), as schemes the client can send."""
        raw = op.get("security") if isinstance(op.get("security"), list) else self.doc.get("security")
        return security_requirements(raw, self.known_schemes) or ()

    def _credential_fields(self, requirements: tuple[tuple[str, ...], ...]) -> dict[tuple[str, str], str]:
        """(location, name) -> scheme, for each apiKey scheme of ``requirements``."""
        schemes = as_dict(as_dict(self.doc.get("components")).get("securitySchemes"))
        found: dict[tuple[str, str], str] = {}
        for name in sorted({n for alternative in requirements for n in alternative}):
            scheme = as_dict(deref(self.doc, schemes.get(name)))
            where, field = scheme.get("in"), scheme.get("name")
            if scheme.get("type") == "apiKey" and where in ("query", "header", "cookie") and isinstance(field, str):
                found.setdefault((where, _field_key(where, field)), name)
        return found

    def responses(self, op: dict[str, Any], at: tuple[str, ...]) -> tuple[ir.ResponseCase, ...]:
        return response_cases(self.doc, op, at, model_for=self.model_for, models=self.models, envelope=self.envelope)

    def build(
        self, raw: RawOperation, names: OperationNames, replaced_by: str | None, variants: tuple[ir.Variant, ...]
    ) -> ir.Operation | None:
        """The operation, under the names decided for it (``names.plan_names``); None if it cannot be built."""
        path, method, op = raw.path, raw.method, raw.spec
        at = ("paths", path, method)
        if "#" in path or "?" in path:
            self.diags.warning(
                self.file,
                pointer(*at),
                "path-with-query-or-fragment",
                f"path {path!r} holds a {'fragment' if '#' in path else 'query'}, which an OpenAPI path cannot: "
                "the client sends it percent-encoded as part of the path, which a server reads as another path. "
                "Declare it as a query parameter and drop it from the path",
            )
        ok, body = self.body(op, at)
        if not ok:
            return None
        params = self.params(path, raw.item, op, at)
        responses = self.responses(op, at)
        return ir.Operation(
            operation_id=raw.operation_id,
            python_name=names.python_name,
            constant_name=names.constant_name,
            method=method.upper(),
            path=path,
            pointer=pointer(*at),
            summary=str(op.get("summary") or "").strip(),
            description=str(op.get("description") or "").strip(),
            deprecated=bool(op.get("deprecated")),
            replaced_by=replaced_by,
            idempotent=method.upper() in IDEMPOTENT_METHODS,
            permission=_permission_note(op),
            path_params=tuple(p for p in params if p.location == "path"),
            query_params=tuple(p for p in params if p.location == "query"),
            header_params=tuple(p for p in params if p.location == "header"),
            cookie_params=tuple(p for p in params if p.location == "cookie"),
            body=body,
            responses=responses,
            result_type=" | ".join(dict.fromkeys(c.result_type for c in responses)),
            security=security_requirements(op.get("security"), self.known_schemes),
            variants=variants,
            invalid_request_status=invalid_request_status(as_dict(op.get("responses"))),
            accept=accept_header(as_dict(op.get("responses")), self.doc),
            errors=error_cases(self.doc, self.models, as_dict(op.get("responses"))),
        )

    def variant(self, raw: RawOperation, names: OperationNames, primary: ir.Operation) -> ir.Variant:
        """Another path of ``primary``; its extra parameters are the ones the primary's path lacks."""
        known = {p.wire_name for p in primary.path_params}
        params = self.params(raw.path, raw.item, raw.spec, ("paths", raw.path, raw.method))
        # The extra parameters join the primary's signature: their names must not repeat any of it.
        taken = set(METHOD_RESERVED) | {
            p.python_name
            for p in primary.path_params + primary.query_params + primary.header_params + primary.cookie_params
        }
        extra: list[ir.Param] = []
        for param in params:
            if param.location == "path" and param.wire_name not in known:
                python_name = naming.unique(param.python_name, taken)
                taken.add(python_name)
                extra.append(replace(param, python_name=python_name, positional=False))
        return ir.Variant(
            operation_id=raw.operation_id, constant_name=names.constant_name, path=raw.path, extra_params=tuple(extra)
        )


def _field_key(location: str, name: str) -> str:
    """A parameter's or credential's name as the server tells them apart: headers ignore case."""
    return name.lower() if location == "header" else name


def _permission_note(op: dict[str, Any]) -> str | None:
    """The x-required-permission text, unless the description already states it."""
    permission = op.get("x-required-permission")
    if not isinstance(permission, str) or permission in str(op.get("description") or ""):
        return None
    return permission


def _param_example(param: dict[str, Any], wire: str) -> str:
    schema = as_dict(param.get("schema"))
    for value in (param.get("example"), schema.get("example")):
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
    return f"my-{'-'.join(naming.words(wire)) or 'value'}"
