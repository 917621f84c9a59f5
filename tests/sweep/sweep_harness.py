"""The sweep of public specs through Prism (issue 20): generate, serve, call every 2xx operation, judge.

For one spec (``run_spec``):

1. the client is generated in-process (``generator.api.generate``, no cache) into a
   temporary directory under a package name of its own, and imported;
2. Prism mocks a copy of the spec whose regexes were respelt for JavaScript
   (``prism_patterns``), on a free port of 127.0.0.1;
3. every operation that declares a 2xx response is called through the client with
   arguments built from the spec alone (``ValueBuilder``: the parameter's or media
   type's ``example``/``examples`` first, then the schema's ``example``/``default``/
   first ``enum``, else a value drawn from the schema, deterministically, that the
   independent validator of ``tests/support/spec_schemas.py`` accepts); every parameter the
   method takes is passed, optional ones too, so every serialisation is exercised;
4. a recording transport keeps the raw request and Prism's answer, which is judged:

   * **refused**: Prism said the request is invalid: its answer carries the
     ``sl-violations`` header, or is its own ``application/problem+json`` with a
     ``https://stoplight.io/prism/errors#...`` type (401 for missing security,
     406 for an Accept it cannot serve, 415, 404 for a path it cannot match...);
   * **client_refused**: the client raised ``RequestValidationError`` on arguments
     built to be valid; **crashed**: any other exception before a response;
   * **accepted**: a 2xx without violations; **response_invalid**: accepted, but
     the client could not parse Prism's mock (``ResponseValidationError``),
     recorded and reported, not failed; **other_status**: a non-2xx that is not
     Prism's verdict (recorded);
   * where Prism cannot judge (path parameters in ``label``/``matrix`` style,
     query parameters in ``pipeDelimited``/``spaceDelimited`` style, arrays in
     form-urlencoded bodies), Prism's violations about those parts are recorded
     as ``prism_unjudged`` and the raw request is compared with the OpenAPI
     serialisation rules (``expected_*``): a difference is a **mismatch**.

Refused, client_refused, crashed and mismatch fail the spec's test.

5. while Prism still runs, the fake leg (issue 22, ``sweep_fake.py``): the same calls through
   the package's testing fake, invalid requests to both Prism and the fake, and the fake's
   default answers and configured error bodies validated against the spec's schemas; its
   failures (``SpecReport.fake_failures``) fail the test too, as does ``mypy --strict``.
"""

from __future__ import annotations

import base64
import copy
import importlib
import json
import random
import re
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

import httpx
from hypothesis import HealthCheck, find, settings
from hypothesis.errors import NoSuchExample, Unsatisfiable

from generator.api import generate
from tests.support import spec_schemas
from tests.support.prism_patterns import rewrite_spec_patterns
from tests.support.prism_server import start_prism
from tests.support.schema_strategy import from_schema
from tests.sweep.sweep_fake import FakeCheck, Planned, fake_counts, run_fake_leg
from tests.sweep.sweep_specs import REPO, SweepSpec

SEED = 20  # issue 20
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
PRISM_ERROR_TYPE = "https://stoplight.io/prism/errors#"
FAILING = ("refused", "client_refused", "crashed", "mismatch", "not_generated")


# --- Credentials -------------------------------------------------------------------------------


def credentials_for(api: Any) -> dict[str, str]:
    """A value for every credential argument of the client's constructor.

    One argument per security scheme (``SecurityScheme.arguments``: one for
    bearer/apiKey, user name and password for basic) when the IR has them; the
    older constructor's shared names (``token``, ``api_key``, ``username``/``password``)
    otherwise.
    """
    values: dict[str, str] = {}
    schemes = getattr(api, "security_schemes", ())
    if schemes and all(getattr(s, "arguments", ()) for s in schemes):
        for scheme in schemes:
            for index, argument in enumerate(scheme.arguments):
                if scheme.kind == "basic":
                    values[argument] = ("sweep-user", "sweep-password")[index]
                else:
                    values[argument] = f"sweep-{scheme.name}-secret"
        return values
    old = {"token": "sweep-token", "api_key": "sweep-api-key", "username": "sweep-user", "password": "sweep-password"}
    for argument in getattr(api, "credential_args", ()):
        values[argument] = old.get(argument, f"sweep-{argument}")
    return values


# --- The spec, as the harness reads it ---------------------------------------------------------


class Unbuildable(Exception):
    """No value valid for a schema could be built: the operation is skipped with this reason."""


_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_CHILDREN = ("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else")
_SCHEMA_LISTS = ("allOf", "oneOf", "anyOf", "prefixItems")


def _schema_examples(node: Any) -> Any:
    """A copy of a schema tree where ``example`` also appears as ``examples: [example]``.

    ``spec_schemas`` drops ``example`` (an OpenAPI keyword) but keeps ``examples``,
    an annotation the validator ignores, which the builder reads.
    """
    if not isinstance(node, dict):
        return node
    result = dict(node)
    for key in _SCHEMA_MAPS:
        if isinstance(node.get(key), dict):
            result[key] = {name: _schema_examples(sub) for name, sub in node[key].items()}
    for key in _SCHEMA_CHILDREN:
        if isinstance(node.get(key), dict):
            result[key] = _schema_examples(node[key])
    for key in _SCHEMA_LISTS:
        if isinstance(node.get(key), list):
            result[key] = [_schema_examples(sub) for sub in node[key]]
    if "example" in node and "examples" not in node:
        result["examples"] = [node["example"]]
    return result


class SpecView:
    """The spec's JSON with local ``$ref`` resolution and per-schema validators."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        schemas = (data.get("components") or {}).get("schemas") or {}
        self._defs: dict[bool, dict[str, Any]] = {}
        self._schemas = {name: _schema_examples(sub) for name, sub in schemas.items()}
        self._validators: dict[str, Any] = {}

    def resolve(self, node: Any, depth: int = 0) -> Any:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and depth < 30:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise Unbuildable(f"external $ref {ref}")
            target: Any = self.data
            for part in ref[2:].split("/"):
                part = unquote(part).replace("~1", "/").replace("~0", "~")
                if isinstance(target, list) and part.isdigit() and int(part) < len(target):
                    target = target[int(part)]
                    continue
                if not isinstance(target, dict) or part not in target:
                    raise Unbuildable(f"unresolvable $ref {ref}")
                target = target[part]
            node, depth = target, depth + 1
        return node

    def defs(self, closed: bool) -> dict[str, Any]:
        """``components.schemas`` for requests; objects closed where ``spec_schemas`` can close them."""
        if closed not in self._defs:
            converted: dict[str, Any] = {}
            for name, sub in self._schemas.items():
                try:
                    converted[name] = spec_schemas._convert(sub, "request", closed)
                except NotImplementedError:
                    converted[name] = spec_schemas._convert(sub, "request", False)
            self._defs[closed] = converted
        return self._defs[closed]

    def request_schema(self, schema: Any, *, closed: bool) -> dict[str, Any]:
        """``schema`` as a Draft 2020-12 schema for a request (readOnly properties left out)."""
        schema = _schema_examples(schema if isinstance(schema, dict) else {})
        try:
            body = spec_schemas._convert(schema, "request", closed)
        except NotImplementedError:
            body = spec_schemas._convert(schema, "request", False)
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", **body, "$defs": self.defs(closed)}

    def is_valid(self, schema: dict[str, Any], value: Any) -> bool:
        key = json.dumps({k: v for k, v in schema.items() if k != "$defs"}, sort_keys=True, default=str)
        key += f"#{id(schema.get('$defs'))}"
        validator = self._validators.get(key)
        if validator is None:
            validator = spec_schemas.EcmaValidator(schema, format_checker=spec_schemas._FORMATS)
            self._validators[key] = validator
        try:
            return bool(validator.is_valid(value))
        except Exception as exc:  # an unresolvable ref, a regex regress cannot compile...
            raise Unbuildable(f"the schema cannot be checked: {type(exc).__name__}: {exc}") from None

    def operation(self, method: str, path: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The operation object and its parameters (path-level ones it does not override, refs resolved)."""
        item = self.resolve(self.data["paths"][path])
        operation = self.resolve(item[method.lower()])
        params: dict[tuple[str, str], dict[str, Any]] = {}
        for raw in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
            param = self.resolve(raw)
            location = param.get("in", "")
            name = str(param.get("name", ""))
            params[(location, name.lower() if location == "header" else name)] = param
        return operation, list(params.values())


# --- Values from a schema ----------------------------------------------------------------------

_FORMAT_VALUES: dict[str, Any] = {
    "date-time": "2024-05-06T07:08:09Z",
    "date": "2024-05-06",
    "time": "07:08:09Z",
    "uuid": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "email": "sweep@example.com",
    "idn-email": "sweep@example.com",
    "uri": "https://example.com/sweep",
    "url": "https://example.com/sweep",
    "uri-reference": "https://example.com/sweep",
    "iri": "https://example.com/sweep",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": base64.b64encode(b"sweep").decode(),
    "password": "sweep-password",
    "int32": 7,
    "int64": 7,
}


class ValueBuilder:
    """Deterministic values valid for request schemas (Draft 2020-12 from ``SpecView.request_schema``)."""

    def __init__(self, view: SpecView) -> None:
        self.view = view

    def value(self, schema: dict[str, Any], candidates: list[Any]) -> tuple[Any, str]:
        """The first of ``candidates`` (examples) that ``schema`` accepts, else a built one, and its source."""
        for source, candidate in candidates:
            if self.view.is_valid(schema, candidate):
                return copy.deepcopy(candidate), source
        defs = schema.get("$defs", {})
        try:
            built = self._build(schema, defs, 0, top=True)
        except (Unbuildable, RecursionError, KeyError, TypeError, ValueError):
            built = _MISSING
        if built is not _MISSING and self.view.is_valid(schema, built):
            return built, "schema"
        try:
            drawn = find(
                from_schema(schema, defs),
                lambda v: self.view.is_valid(schema, v),
                settings=settings(
                    max_examples=300, database=None, deadline=None, suppress_health_check=list(HealthCheck)
                ),
                random=random.Random(SEED),
            )
        except (NoSuchExample, Unsatisfiable, Exception) as exc:
            raise Unbuildable(f"no value satisfies the schema ({type(exc).__name__})") from None
        return drawn, "drawn"

    def _valid_here(self, node: Any, defs: dict[str, Any], value: Any) -> bool:
        if not isinstance(node, dict):
            return node is not False
        return self.view.is_valid({**node, "$defs": defs}, value)

    def _build(self, node: Any, defs: dict[str, Any], depth: int, *, top: bool = False) -> Any:
        if depth > 12:
            raise Unbuildable("schema nests too deep")
        if node is True or node == {} or not isinstance(node, dict):
            if node is False:
                raise Unbuildable("false schema")
            return "sweep"
        if "$ref" in node and node["$ref"].startswith("#/$defs/"):
            target = defs[node["$ref"].rsplit("/", 1)[1]]
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return self._build({**target, **rest} if rest else target, defs, depth + 1)
        if "const" in node:
            return node["const"]
        if node.get("enum"):
            non_null = [v for v in node["enum"] if v is not None]
            return (non_null or node["enum"])[0]
        for source in (node.get("examples") if isinstance(node.get("examples"), list) else [], [node.get("default")]):
            for candidate in source[:1]:
                if candidate is not None and not top and self._valid_here(node, defs, candidate):
                    return copy.deepcopy(candidate)
        if "allOf" in node:
            return self._build(_merge_all_of(node, defs), defs, depth + 1)
        for key in ("oneOf", "anyOf"):
            if key in node:
                rest = {k: v for k, v in node.items() if k != key}
                for branch in node[key]:
                    try:
                        candidate = self._build({**rest, **_resolve(branch, defs)} if rest else branch, defs, depth + 1)
                    except Unbuildable:
                        continue
                    if self._valid_here(node, defs, candidate):
                        return candidate
                raise Unbuildable(f"no {key} branch could be built")
        kind = node.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"] or ["null"]
            kind = kinds[0]
        if kind is None:
            kind = "object" if "properties" in node or "required" in node else "array" if "items" in node else None
        if kind is None:
            return "sweep"
        if kind == "object":
            return self._object(node, defs, depth, top=top)
        if kind == "array":
            items = node.get("items", True)
            if node.get("maxItems") == 0:
                return []
            # Two items where allowed, so that arrays are told apart from scalars on the wire.
            count = max(int(node.get("minItems", 0)), min(2, int(node.get("maxItems", 2))))
            first = self._build(items, defs, depth + 1)
            for attempt in ([first, *(_vary(first, i) for i in range(1, count))], [first] * count, [first]):
                if len(attempt) >= int(node.get("minItems", 0)) and self._valid_here(node, defs, attempt):
                    return [copy.deepcopy(item) for item in attempt]
            return [copy.deepcopy(first) for _ in range(count)]
        if kind == "string":
            return self._string(node)
        if kind in ("integer", "number"):
            return self._number(node, integer=kind == "integer")
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return "sweep"

    def _object(self, node: dict[str, Any], defs: dict[str, Any], depth: int, *, top: bool) -> dict[str, Any]:
        properties: dict[str, Any] = node.get("properties") or {}
        required = [name for name in node.get("required") or [] if isinstance(name, str)]
        result: dict[str, Any] = {}
        for name in required:
            result[name] = self._build(properties.get(name, True), defs, depth + 1)
        if depth <= 1:  # optional properties near the top, where they exercise the client most
            for name, sub in properties.items():
                if name in result:
                    continue
                try:
                    candidate = self._build(sub, defs, depth + 1)
                except (Unbuildable, RecursionError):
                    continue
                trial = {**result, name: candidate}
                if self._valid_here(node, defs, trial):
                    result = trial
        extra = node.get("additionalProperties")
        while len(result) < int(node.get("minProperties", 0)):
            result[f"sweep{len(result)}"] = self._build(extra if isinstance(extra, dict) else True, defs, depth + 1)
        return result

    @staticmethod
    def _string(node: dict[str, Any]) -> str:
        low = int(node.get("minLength", 0))
        high = node.get("maxLength")
        fmt = node.get("format")
        if fmt == "binary" or node.get("contentMediaType") or node.get("contentEncoding") == "binary":
            text = "sweep-file-content"
        elif isinstance(_FORMAT_VALUES.get(str(fmt)), str):
            text = _FORMAT_VALUES[str(fmt)]
        elif "pattern" in node:
            text = _from_pattern(node["pattern"], low, high)
        else:
            text = "sweep"
        if len(text) < low:
            text = text + "x" * (low - len(text))
        if high is not None and len(text) > int(high):
            text = text[: int(high)]
        return text

    @staticmethod
    def _number(node: dict[str, Any], *, integer: bool) -> int | float:
        low = node.get("minimum")
        xlow = node.get("exclusiveMinimum")
        high = node.get("maximum")
        xhigh = node.get("exclusiveMaximum")
        value: float = 1
        if low is not None:
            value = max(value, low) if high is None or high >= 1 else low
        if xlow is not None and value <= xlow:
            value = xlow + 1 if integer else xlow + 0.5
        if high is not None and value > high:
            value = high
        if xhigh is not None and value >= xhigh:
            value = xhigh - 1
        step = node.get("multipleOf")
        if step:
            value = step * max(1, int(-(-value // step)))
        if integer:
            return int(value)
        return int(value) if float(value).is_integer() else value


_MISSING = object()


def _vary(value: Any, index: int) -> Any:
    """Another item like ``value`` (for arrays of distinct items)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + index
    if isinstance(value, str):
        return f"{value}{index}"
    return copy.deepcopy(value)


def _resolve(schema: Any, defs: dict[str, Any]) -> Any:
    while isinstance(schema, dict) and str(schema.get("$ref", "")).startswith("#/$defs/"):
        schema = defs[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _merge_all_of(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
    merged.setdefault("properties", {})
    merged.setdefault("required", [])
    merged = {**merged, "properties": dict(merged["properties"]), "required": list(merged["required"])}
    for part in node["allOf"]:
        part = _resolve(part, defs)
        if isinstance(part, dict) and "allOf" in part:
            part = _merge_all_of(part, defs)
        if not isinstance(part, dict):
            continue
        for key, value in part.items():
            if key == "properties":
                merged["properties"].update(value)
            elif key == "required":
                merged["required"] += [r for r in value if r not in merged["required"]]
            elif key not in merged:
                merged[key] = value
    if not merged["properties"]:
        del merged["properties"]
    return merged


def _from_pattern(pattern: str, low: int, high: Any) -> str:
    from hypothesis import strategies as st

    from generator.models import patterns

    try:
        compiled = patterns.python_compatible(pattern)
        re.compile(compiled)
    except Exception:
        raise Unbuildable(f"pattern {pattern!r} has no Python equivalent") from None
    try:
        return str(
            find(
                st.from_regex(compiled),
                lambda s: low <= len(s) and (high is None or len(s) <= int(high)) and s.isprintable(),
                settings=settings(
                    max_examples=300, database=None, deadline=None, suppress_health_check=list(HealthCheck)
                ),
                random=random.Random(SEED),
            )
        )
    except Exception:
        raise Unbuildable(f"no string matches {pattern!r}") from None


# --- Arguments of one operation ----------------------------------------------------------------


def _media_candidates(view: SpecView, holder: dict[str, Any], schema: Any) -> list[tuple[str, Any]]:
    """``example``, then each of ``examples`` (of a parameter or media type), then the schema's own."""
    found: list[tuple[str, Any]] = []
    if "example" in holder:
        found.append(("example", holder["example"]))
    examples = holder.get("examples")
    if isinstance(examples, dict):
        for name, example in examples.items():
            try:
                example = view.resolve(example)
            except Unbuildable:
                continue
            if isinstance(example, dict) and "value" in example:
                found.append((f"examples.{name}", example["value"]))
    schema = view.resolve(schema) if isinstance(schema, dict) else {}
    if isinstance(schema, dict):
        if "example" in schema:
            found.append(("schema.example", schema["example"]))
        if isinstance(schema.get("examples"), list) and schema["examples"]:
            found.append(("schema.examples", schema["examples"][0]))
        if "default" in schema:
            found.append(("schema.default", schema["default"]))
        if schema.get("enum"):
            found.append(("schema.enum", schema["enum"][0]))
    return found


@dataclass
class Plan:
    """How one operation is called, and what the direct checks compare."""

    args: list[Any] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    # (location, wire name, style, explode, value) of every parameter passed
    passed: list[tuple[str, str, str, bool, Any]] = field(default_factory=list)
    unjudged: list[str] = field(default_factory=list)  # what Prism cannot judge here
    form_arrays: dict[str, tuple[str, bool, list[Any]]] = field(default_factory=dict)  # field -> style, explode
    multipart_structured: dict[str, Any] = field(default_factory=dict)  # multipart fields: arrays and objects
    offline: bool = False  # label/matrix path parameters: not sent to Prism, which dies on them


_DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}


def plan_operation(view: SpecView, ir_op: Any) -> Plan:
    """Arguments for ``ir_op`` (an IR Operation) from the spec; ``Unbuildable`` when a required one cannot be."""
    operation, spec_params = view.operation(ir_op.method, ir_op.path)
    by_key = {
        (p.get("in"), str(p.get("name")).lower() if p.get("in") == "header" else p.get("name")): p for p in spec_params
    }
    builder = ValueBuilder(view)
    plan = Plan()
    ir_params = [*ir_op.path_params, *ir_op.query_params, *ir_op.header_params, *ir_op.cookie_params]
    for param in ir_params:
        key = (param.location, param.wire_name.lower() if param.location == "header" else param.wire_name)
        spec_param = by_key.get(key)
        if spec_param is None:
            if param.required:
                raise Unbuildable(f"parameter {param.wire_name} ({param.location}) is not in the spec")
            continue
        if "schema" in spec_param:
            raw_schema = view.resolve(spec_param["schema"])
            holder = spec_param
        else:  # content: one media type
            media = next(iter((spec_param.get("content") or {}).values()), {})
            raw_schema = view.resolve(media.get("schema") or {})
            holder = {**media, **{k: v for k, v in spec_param.items() if k in ("example", "examples")}}
        schema = view.request_schema(raw_schema, closed=False)
        try:
            value, source = builder.value(schema, _media_candidates(view, holder, raw_schema))
        except Unbuildable as exc:
            if param.required:
                raise Unbuildable(f"{param.location} parameter {param.wire_name}: {exc}") from None
            plan.sources[param.wire_name] = f"left out: {exc}"
            continue
        if param.location == "path" and value in ("", [], {}):
            raise Unbuildable(f"path parameter {param.wire_name}: no non-empty value")
        style = spec_param.get("style", _DEFAULT_STYLE[param.location])
        explode = bool(spec_param.get("explode", style == "form"))
        plan.passed.append((param.location, param.wire_name, style, explode, value))
        plan.sources[param.wire_name] = source
        # Prism 5.14.2 dies (the connection drops) on label/matrix path parameters, on arrays and objects
        # in the path and on pipeDelimited/spaceDelimited query parameters: those requests are not sent,
        # only compared with the rules.
        if (param.location == "path" and (style in ("label", "matrix") or isinstance(value, list | dict))) or (
            param.location == "query" and style in ("pipeDelimited", "spaceDelimited")
        ):
            plan.unjudged.append(f"{param.location}:{param.wire_name}")
            plan.offline = True
        # Two more parts Prism misjudges, compared with the rules instead:
        # - an object in a form-style query parameter whose members are objects or arrays: RFC 6570
        #   (and so OpenAPI) has no form for nested values; the client sends each member as compact
        #   JSON, and Prism reads members as strings ("must be object") or not at all;
        # - an enum without a `type` whose members are not strings: Prism compares the query text
        #   with the members uncoerced ("must be equal to one of the allowed values: true, false").
        nested = isinstance(value, dict) and any(isinstance(v, dict | list) for v in value.values())
        untyped_enum = "type" not in raw_schema and any(not isinstance(m, str) for m in raw_schema.get("enum") or ())
        if param.location == "query" and ((nested and style == "form") or untyped_enum):
            plan.unjudged.append(f"{param.location}:{param.wire_name}")
        if param.positional:
            plan.args.append(value)
        else:
            plan.kwargs[param.python_name] = value
    if ir_op.body is not None:
        _plan_body(view, builder, operation, ir_op.body, plan)
    return plan


def _plan_body(view: SpecView, builder: ValueBuilder, operation: dict[str, Any], body: Any, plan: Plan) -> None:
    request_body = view.resolve(operation.get("requestBody") or {})
    content = request_body.get("content") or {}
    media = content.get(body.content_type)
    if media is None:
        media = next((m for t, m in content.items() if t.split(";")[0].strip() == body.content_type), {})
    media = media or {}
    raw_schema = view.resolve(media.get("schema") or {})
    encoding = body.encoding
    if encoding == "binary" and raw_schema.get("type") != "string":
        # No schema to build from: the media type's example (as JSON for a JSON type), else fixed bytes.
        examples = _media_candidates(view, media, raw_schema)
        if examples:
            source, example = examples[0]
            is_json = "json" in body.content_type
            text = json.dumps(example) if is_json or not isinstance(example, str) else example
            plan.kwargs["body"] = text.encode()
            plan.sources["body"] = source
        else:
            plan.kwargs["body"] = b"sweep-binary-body"
            plan.sources["body"] = "fixed bytes"
        return
    closed = encoding == "json"  # the client's documented request contract (docs/design.md)
    schema = view.request_schema(raw_schema, closed=closed)
    candidates = _media_candidates(view, media, raw_schema)
    if encoding in ("multipart", "binary"):
        candidates = []  # examples of files are text placeholders; the builder marks binary fields
    try:
        value, source = builder.value(schema, candidates)
    except Unbuildable as exc:
        if body.required:
            raise Unbuildable(f"request body ({body.content_type}): {exc}") from None
        plan.sources["body"] = f"left out: {exc}"
        return
    if encoding == "binary":
        value = value.encode() if isinstance(value, str) else b"sweep-binary-body"
    elif encoding == "text" and not isinstance(value, str):
        value = json.dumps(value) if not isinstance(value, str) else value
    elif encoding == "multipart" and isinstance(value, dict):
        value = _binary_fields(schema, value)
    if encoding == "multipart" and isinstance(value, dict):
        for name, item in value.items():
            if isinstance(item, list | dict):  # Prism reads one part as a string, and JSON parts as reserved chars
                plan.multipart_structured[name] = item
                plan.unjudged.append(f"body:{name}")
    if encoding == "form" and isinstance(value, dict):
        properties = _resolve(schema, schema.get("$defs", {})).get("properties") or {}
        encodings = media.get("encoding") or {}
        for name, item in value.items():
            if isinstance(item, list):
                spec_encoding = encodings.get(name) or {}
                style = spec_encoding.get("style", "form")
                plan.form_arrays[name] = (style, bool(spec_encoding.get("explode", style == "form")), item)
                plan.unjudged.append(f"body:{name}")
        del properties
    plan.kwargs["body"] = value
    plan.sources["body"] = source


def _binary_fields(schema: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    defs = schema.get("$defs", {})
    node = _resolve(schema, defs)
    if "allOf" in node:
        node = _merge_all_of(node, defs)
    properties = node.get("properties") or {}
    result = dict(value)
    for name, item in value.items():
        sub = _resolve(properties.get(name) or {}, defs)
        if _is_binary(sub) and isinstance(item, str):
            result[name] = item.encode()
        elif (
            sub.get("type") == "array" and _is_binary(_resolve(sub.get("items") or {}, defs)) and isinstance(item, list)
        ):
            result[name] = [i.encode() if isinstance(i, str) else i for i in item]
    return result


def _is_binary(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("format") == "binary" or "contentMediaType" in schema or schema.get("contentEncoding") == "binary"
    )


# --- Serialisation rules, for what Prism cannot judge ------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def expected_path_value(style: str, explode: bool, name: str, value: Any) -> str:
    """The path template's ``{name}`` replaced per OpenAPI's style table (unencoded)."""
    if isinstance(value, list):
        items = [_text(v) for v in value]
        if style == "label":
            return "." + ("." if explode else ",").join(items)
        if style == "matrix":
            return "".join(f";{name}={i}" for i in items) if explode else f";{name}=" + ",".join(items)
        return ",".join(items)
    if isinstance(value, dict):
        pairs = [(str(k), _text(v)) for k, v in value.items()]
        if style == "label":
            return "." + (".".join(f"{k}={v}" for k, v in pairs) if explode else ",".join(f"{k},{v}" for k, v in pairs))
        if style == "matrix":
            if explode:
                return "".join(f";{k}={v}" for k, v in pairs)
            return f";{name}=" + ",".join(f"{k},{v}" for k, v in pairs)
        return ",".join(f"{k}={v}" if explode else f"{k},{v}" for k, v in pairs)
    text = _text(value)
    return {"label": "." + text, "matrix": f";{name}={text}"}.get(style, text)


def _member_text(value: Any) -> str:
    """A member with no RFC 6570 form (an object or array inside an object): compact JSON."""
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return _text(value)


def expected_query_pairs(style: str, explode: bool, name: str, value: Any) -> list[tuple[str, str]]:
    """The (name, value) pairs of a query parameter (or a form field) per its style (unencoded)."""
    delimiter = {"pipeDelimited": "|", "spaceDelimited": " "}.get(style, ",")
    if isinstance(value, dict) and style == "form" and any(isinstance(v, dict | list) for v in value.values()):
        if explode:
            return [(str(k), _member_text(v)) for k, v in value.items()]
        return [(name, ",".join(f"{k},{_member_text(v)}" for k, v in value.items()))]
    if isinstance(value, list):
        items = [_text(v) for v in value]
        return [(name, i) for i in items] if explode else [(name, delimiter.join(items))]
    if isinstance(value, dict):
        if style == "deepObject":
            return [(f"{name}[{k}]", _text(v)) for k, v in value.items()]
        if explode:
            return [(str(k), _text(v)) for k, v in value.items()]
        return [(name, delimiter.join(f"{k}{delimiter}{_text(v)}" for k, v in value.items()))]
    return [(name, _text(value))]


def direct_check(ir_op: Any, plan: Plan, request: httpx.Request) -> list[str]:
    """Differences between the raw request and the serialisation rules, for the parts Prism cannot judge."""
    problems: list[str] = []
    raw_path = request.url.raw_path.decode("ascii")
    path_part, _, query_part = raw_path.partition("?")
    query_pairs = [(unquote(k), unquote(v)) for k, _, v in (p.partition("=") for p in query_part.split("&") if p)]
    for location, name, style, explode, value in plan.passed:
        key = f"{location}:{name}"
        if key not in plan.unjudged:
            continue
        if location == "path":
            expected = ir_op.path
            for other_location, other, other_style, other_explode, other_value in plan.passed:
                if other_location == "path":
                    expected = expected.replace(
                        "{" + other + "}", expected_path_value(other_style, other_explode, other, other_value)
                    )
            sent = unquote(path_part)
            if not sent.endswith(expected):
                problems.append(f"path {name} ({style}, explode={explode}): sent {sent!r}, the rules give {expected!r}")
        else:
            want = expected_query_pairs(style, explode, name, value)
            names = {n for n, _ in want}
            got = [(n, v) for n, v in query_pairs if n in names]
            if sorted(got) != sorted(want):
                problems.append(f"query {name} ({style}, explode={explode}): sent {got!r}, the rules give {want!r}")
    if plan.form_arrays:
        body = request.content.decode("utf-8", "replace")
        sent_pairs = parse_qsl(body, keep_blank_values=True)
        for name, (style, explode, items) in plan.form_arrays.items():
            want = expected_query_pairs(style, explode, name, items)
            got = [(n, v) for n, v in sent_pairs if n == name]
            if sorted(got) != sorted(want):
                problems.append(
                    f"form field {name} ({style}, explode={explode}): sent {got!r}, the rules give {want!r}"
                )
    if plan.multipart_structured:
        problems += _multipart_check(request, plan.multipart_structured)
    return problems


def _multipart_check(request: httpx.Request, fields: dict[str, Any]) -> list[str]:
    """Arrays as one part per item, objects as one ``application/json`` part (OpenAPI 3.0 §Encoding Object)."""
    import email.parser
    import email.policy

    head = f"Content-Type: {request.headers.get('content-type', '')}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content)
    parts: dict[str, list[tuple[str, bytes]]] = {}
    for part in message.iter_parts() if message.is_multipart() else []:
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        parts.setdefault(str(name), []).append((part.get_content_type(), payload))
    problems: list[str] = []
    for name, value in fields.items():
        sent = parts.get(name, [])
        if isinstance(value, list):
            want = [item if isinstance(item, bytes) else _text(item).encode() for item in value]
            got = [payload for _, payload in sent]
            if all(not isinstance(item, dict | list) for item in value) and got != want:
                problems.append(f"multipart field {name}: parts {got!r}, the rules give one part per item {want!r}")
        else:
            ok = len(sent) == 1 and sent[0][0] == "application/json"
            if ok:
                try:
                    ok = json.loads(sent[0][1]) == value
                except ValueError:
                    ok = False
            if not ok:
                problems.append(f"multipart field {name}: parts {sent!r}, the rules give one application/json part")
    return problems


# --- Recording what went over the wire ---------------------------------------------------------


class RecordingTransport(httpx.BaseTransport):
    """``httpx.HTTPTransport`` that keeps the last request and response (body read).

    With ``offline`` set the request is recorded and not sent: Prism 5.14.2 dies on
    ``label``/``matrix`` path parameters (``deserializeLabelStyle``: ``startsWith is
    not a function``), so those requests are only checked against the rules.
    """

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self.request: httpx.Request | None = None
        self.response: httpx.Response | None = None
        self.offline = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.request = request
        if self.offline:
            self.response = httpx.Response(599, content=b"not sent", request=request)
            return httpx.Response(599, content=b"not sent", request=request)
        response = self._inner.handle_request(request)
        content = response.read()
        self.response = httpx.Response(response.status_code, headers=response.headers, content=content, request=request)
        response.close()
        return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)

    def close(self) -> None:
        self._inner.close()


# --- Judging -----------------------------------------------------------------------------------


def prism_verdict(response: httpx.Response) -> list[dict[str, Any]] | None:
    """Prism's violations of the request, or None when Prism did not refuse it.

    An empty list means Prism refused the request without listing violations (its
    own problem document: 401, 404, 405, 406, 415...).
    """
    raw = response.headers.get("sl-violations")
    if raw:
        violations = header_violations(raw) or [{"message": raw}]
        errors = [v for v in violations if str(v.get("severity", "Error")).lower() == "error" and _about_request(v)]
        if errors:
            return errors
    if not response.is_success and response.headers.get("content-type", "").startswith("application/problem+json"):
        try:
            problem = response.json()
        except ValueError:
            return None
        if response.status_code >= 500:  # Prism could not build its mock answer: no verdict on the request
            return None
        if isinstance(problem, dict) and isinstance(problem.get("validation"), list):
            request_errors = [v for v in problem["validation"] if isinstance(v, dict) and _about_request(v)]
            if request_errors:
                return request_errors
        if isinstance(problem, dict) and str(problem.get("type", "")).startswith(PRISM_ERROR_TYPE):
            return [
                {"message": f"{problem['type'].rsplit('#', 1)[1]}: {problem.get('detail') or problem.get('title')}"}
            ]
    return None


_TOO_MANY = "Too many violations! "
_LOCATION = re.compile(r'"location":(\[[^\]]*\])')


def header_violations(raw: str) -> list[dict[str, Any]]:
    """The violations Prism lists in its ``sl-violations`` header; empty when none can be read.

    Past a size Prism writes ``Too many violations! [...]`` and cuts the list short; each violation
    whose location survived is kept. Those cut off are taken to be of the same kind: Prism refuses
    an invalid request with its own 4xx, so a long list beside a mock it served is about the mock.
    """
    text = raw.removeprefix(_TOO_MANY)
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, list):
        return [v for v in parsed if isinstance(v, dict)]
    if text is raw:
        return []
    found = []
    for location in _LOCATION.findall(text):
        try:
            found.append({"location": json.loads(location), "message": "(one of too many violations)"})
        except ValueError:
            continue
    return found


def _about_request(violation: dict[str, Any]) -> bool:
    """Whether a violation is about the request (not about Prism's own mock response)."""
    location = [str(p) for p in violation.get("location") or []]
    return not location or location[0] != "response"


def mock_notes(response: httpx.Response) -> str:
    """What Prism said about its own answer: response violations, or the 5xx it sent instead of a mock."""
    notes: list[str] = []
    raw = response.headers.get("sl-violations")
    if raw:
        notes += [_violation_text(v) for v in header_violations(raw) if not _about_request(v)]
    if response.status_code >= 500 and response.headers.get("content-type", "").startswith("application/problem+json"):
        try:
            problem = response.json()
            notes.append(f"{str(problem.get('type', '')).rsplit('#', 1)[-1]}: {problem.get('detail')}")
        except ValueError:
            pass
    return "; ".join(notes)[:400]


def _violation_text(violation: dict[str, Any]) -> str:
    where = ".".join(str(p) for p in violation.get("location") or violation.get("path") or [])
    return (f"{where}: " if where else "") + str(violation.get("message", violation))


def _concerns(violation: dict[str, Any], unjudged: list[str]) -> bool:
    """Whether a violation is about a part Prism cannot judge."""
    location = [str(p) for p in violation.get("location") or []]
    text = ".".join(location) + " " + str(violation.get("message", ""))
    for key in unjudged:
        where, name = key.split(":", 1)
        if where == "body" and "body" in location and (name in location or name in text):
            return True
        if where == "query" and "query" in location and (name in location or f"'{name}'" in text):
            return True
        if where == "path" and ("path" in location or "NO_PATH_MATCHED" in text):
            return True
    return False


@dataclass
class Call:
    operation_id: str
    method: str
    path: str
    outcome: str
    detail: str = ""
    status: int | None = None
    sources: dict[str, str] = field(default_factory=dict)
    request: str = ""


@dataclass
class SpecReport:
    spec: str
    path: str
    features: tuple[str, ...]
    generated: bool = False
    generate_seconds: float = 0.0
    prism_seconds: float = 0.0
    calls_seconds: float = 0.0
    error: str = ""
    calls: list[Call] = field(default_factory=list)
    fake_seconds: float = 0.0
    fake_error: str = ""  # the fake leg itself broke
    fake: list[FakeCheck] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for call in self.calls:
            counts[call.outcome] = counts.get(call.outcome, 0) + 1
        return counts

    def failures(self) -> list[str]:
        if not self.generated:
            return [f"not generated: {self.error}"]
        return [f"{c.operation_id} [{c.outcome}] {c.detail}" for c in self.calls if c.outcome in FAILING]

    def fake_failures(self) -> list[str]:
        if not self.generated:
            return []
        failures = [f"the fake leg broke: {self.fake_error}"] if self.fake_error else []
        return failures + [
            f"{c.leg} {c.operation_id} [{c.outcome}]{' ' + c.kind if c.kind else ''} {c.detail}"
            + (f" | Prism: {c.prism}" if c.leg == "refusal" else "")
            for c in self.fake
            if c.failing
        ]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["counts"] = self.counts()
        data["fake_counts"] = fake_counts(self.fake)
        return data


def _describe(request: httpx.Request | None) -> str:
    if request is None:
        return ""
    headers = {
        k: v for k, v in request.headers.items() if k.lower() not in ("user-agent", "accept-encoding", "connection")
    }
    content = request.content[:300].decode("utf-8", "replace") if request.content else ""
    return f"{request.method} {request.url.raw_path.decode('ascii')} {headers} {content!r}"


def call_operation(client: Any, package: str, tag: Any, ir_op: Any, plan: Plan, transport: RecordingTransport) -> Call:
    errors = importlib.import_module(f"{package}.errors")
    call = Call(ir_op.operation_id, ir_op.method, ir_op.path, "accepted", sources=plan.sources)
    transport.request = transport.response = None
    transport.offline = plan.offline
    method = getattr(getattr(client, tag.attribute), ir_op.python_name)
    outcome_error: BaseException | None = None
    try:
        method(*plan.args, **plan.kwargs)
    except errors.RequestValidationError as exc:
        call.outcome, call.detail = "client_refused", _first_line(str(exc), 400)
        return call
    except errors.ResponseValidationError as exc:
        outcome_error = exc
    except errors.ApiStatusError as exc:
        outcome_error = exc
    except Exception as exc:
        if transport.response is None:
            call.outcome = "crashed"
            call.detail = f"{type(exc).__name__}: {_first_line(str(exc), 300)} @ {_innermost(exc)}"
            call.request = _describe(transport.request)
            return call
        outcome_error = exc
    request, response = transport.request, transport.response
    call.request = _describe(request)
    assert response is not None and request is not None
    call.status = response.status_code
    verdict = prism_verdict(response)
    if plan.offline:
        call.outcome, call.status = "prism_unjudged", None
        call.detail = "not sent to Prism (it dies on label/matrix path parameters)"
    elif verdict is not None:
        judged = [v for v in verdict if not (plan.unjudged and _concerns(v, plan.unjudged))]
        if (verdict and not judged) or (not verdict and plan.unjudged and response.status_code == 404):
            call.outcome = "prism_unjudged"
            call.detail = "; ".join(_violation_text(v) for v in verdict)
        else:
            call.outcome = "refused"
            call.detail = f"{response.status_code} " + "; ".join(_violation_text(v) for v in judged or verdict)
    elif isinstance(outcome_error, errors.ResponseValidationError):
        call.outcome, call.detail = "response_invalid", _first_line(str(outcome_error), 300)
    elif response.status_code >= 500 and mock_notes(response):
        call.outcome, call.detail = "prism_cannot_mock", mock_notes(response)
    elif not response.is_success:
        call.outcome, call.detail = "other_status", f"{response.status_code} {response.text[:200]}"
    elif outcome_error is not None:
        call.outcome = "crashed"
        call.detail = (
            f"after a {response.status_code}: {type(outcome_error).__name__}: {_first_line(str(outcome_error), 300)}"
        )
    if call.outcome in ("accepted", "response_invalid") and mock_notes(response):
        call.detail = (
            (call.detail + " | " if call.detail else "") + "Prism's mock breaks the spec: " + mock_notes(response)
        )
    if plan.unjudged and call.outcome in ("accepted", "prism_unjudged", "response_invalid", "other_status"):
        problems = direct_check(ir_op, plan, request)
        if problems:
            call.outcome, call.detail = "mismatch", "; ".join(problems)
        elif call.outcome == "prism_unjudged":
            call.detail = "serialisation checked directly: ok; Prism said: " + call.detail
    return call


def _first_line(text: str, limit: int) -> str:
    return " | ".join(line.strip() for line in text.strip().splitlines()[:4])[:limit]


def _innermost(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"


# --- One spec ----------------------------------------------------------------------------------


def _has_2xx(view: SpecView, ir_op: Any) -> bool:
    operation, _ = view.operation(ir_op.method, ir_op.path)
    return any(str(code).startswith("2") for code in (operation.get("responses") or {}))


def _operations(api: Any) -> Iterator[tuple[Any, Any]]:
    for tag in api.tags:
        for op in tag.operations:
            yield tag, op


def write_prism_copy(spec: SweepSpec, directory: Path) -> Path:
    data = json.loads(spec.file.read_text(encoding="utf-8"))
    try:
        data, _ = rewrite_spec_patterns(data)
    except Exception:  # a pattern the rewriter cannot respell: Prism gets it as written
        pass
    target = directory / "prism-spec.json"
    target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return target


def run_spec(spec: SweepSpec, workdir: Path) -> SpecReport:
    report = SpecReport(spec.id, spec.path, spec.features)
    data = json.loads(spec.file.read_text(encoding="utf-8"))
    view = SpecView(data)
    out = workdir / "out"
    started = time.monotonic()
    try:
        outcome = generate(spec=spec.file, out=out, package=spec.package, cache=False, root=REPO)
    except Exception as exc:
        report.error = f"the generator raised {type(exc).__name__}: {_first_line(str(exc), 300)} @ {_innermost(exc)}"
        return report
    finally:
        report.generate_seconds = round(time.monotonic() - started, 2)
    result = outcome.result
    if not result.ok or result.api is None or outcome.report is None or outcome.report.held:
        errors = [str(d) for d in result.diagnostics if "error" in str(getattr(d, "level", "")).lower()]
        report.error = "generation failed: " + _first_line("\n".join(errors[:3]) or "no files", 600)
        return report
    api = result.api
    sys.path.insert(0, str(out))
    try:
        package = importlib.import_module(spec.package)
        retry = importlib.import_module(f"{spec.package}._retry").RetryPolicy
    except Exception as exc:
        report.error = f"the generated package does not import: {type(exc).__name__}: {_first_line(str(exc), 300)}"
        return report
    report.generated = True
    started = time.monotonic()
    server = start_prism(write_prism_copy(spec, workdir), log_path=workdir / "prism.log")
    report.prism_seconds = round(time.monotonic() - started, 2)
    transport = RecordingTransport()
    planned: list[Planned] = []
    started = time.monotonic()
    try:
        client = getattr(package, api.client_class)(
            base_url=server.base_url,
            retry=retry.disabled(),
            timeout=20.0,
            transport=transport,
            **credentials_for(api),
        )
        for tag, ir_op in _operations(api):
            if not _has_2xx(view, ir_op):
                report.calls.append(Call(ir_op.operation_id, ir_op.method, ir_op.path, "skipped", "no 2xx response"))
                try:  # not called through Prism; the fake leg still checks its declared error bodies
                    planned.append(Planned(tag, ir_op, plan_operation(view, ir_op), "", None))
                except Unbuildable:
                    planned.append(Planned(tag, ir_op, None, "", None))
                continue
            try:
                plan = plan_operation(view, ir_op)
            except Unbuildable as exc:
                report.calls.append(Call(ir_op.operation_id, ir_op.method, ir_op.path, "skipped", str(exc)))
                planned.append(Planned(tag, ir_op, None, "skipped", None))
                continue
            call = call_operation(client, spec.package, tag, ir_op, plan, transport)
            if call.outcome == "crashed" and "Connection" in call.detail:
                deadline = time.monotonic() + 3
                while server.is_running() and time.monotonic() < deadline:
                    time.sleep(0.05)
            if not server.is_running():  # Prism died on this request: not the client's fault to judge
                call.outcome = "prism_crashed"
                call.detail = "Prism exited on this request: " + _first_line(server.output(600)[-600:], 300)
                server.stop()
                server = start_prism(server.spec, log_path=workdir / f"prism-{len(report.calls)}.log", port=server.port)
            report.calls.append(call)
            planned.append(Planned(tag, ir_op, plan, call.outcome, transport.request))
        report.calls_seconds = round(time.monotonic() - started, 2)
        # Issue 22: the same calls through the package's testing fake, invalid requests to both, and
        # the fake's answers against the spec (sweep_fake.py).
        started = time.monotonic()

        def restart(dead: Any) -> Any:
            dead.stop()
            return start_prism(dead.spec, log_path=workdir / f"prism-fake-{time.monotonic_ns()}.log", port=dead.port)

        try:
            report.fake, server = run_fake_leg(spec.package, api, view, planned, server, restart)
        except Exception as exc:
            report.fake_error = f"{type(exc).__name__}: {_first_line(str(exc), 300)} @ {_innermost(exc)}"
        report.fake_seconds = round(time.monotonic() - started, 2)
    finally:
        if not report.calls_seconds:
            report.calls_seconds = round(time.monotonic() - started, 2)
        server.stop()
        transport.close()
    return report


def summary_table(reports: list[SpecReport]) -> str:
    kinds = (
        "accepted",
        "refused",
        "client_refused",
        "crashed",
        "mismatch",
        "prism_unjudged",
        "prism_crashed",
        "prism_cannot_mock",
        "response_invalid",
        "other_status",
        "skipped",
    )
    head = f"{'spec':24} {'gen s':>6} " + " ".join(f"{k[:9]:>9}" for k in kinds)
    lines = [head]
    for report in reports:
        counts = report.counts()
        if not report.generated:
            lines.append(f"{report.spec:24} {report.generate_seconds:6.1f} NOT GENERATED: {report.error[:100]}")
            continue
        lines.append(
            f"{report.spec:24} {report.generate_seconds:6.1f} " + " ".join(f"{counts.get(k, 0):9}" for k in kinds)
        )
    return "\n".join(lines)


FAKE_COLUMNS = (
    ("call", "accepted"),
    ("call", "refused"),
    ("call", "no_answer"),
    ("call", "answer_unparsed"),
    ("call", "error"),
    ("call", "client_refused"),
    ("refusal", "agree_refused"),
    ("refusal", "agree_accepted"),
    ("refusal", "disagree"),
    ("refusal", "prism_crashed"),
    ("answer", "valid"),
    ("answer", "invalid"),
    ("answer", "no_answer"),
    ("answer", "unchecked"),
    ("error", "valid"),
    ("error", "invalid"),
    ("error", "unreached"),
)


def fake_table(reports: list[SpecReport]) -> str:
    """The fake leg's counts per spec (issue 22): calls, invalid requests to both, default answers, error bodies."""
    head = f"{'spec':24} {'fake s':>6} " + " ".join(f"{(leg[:3] + '.' + kind)[:13]:>13}" for leg, kind in FAKE_COLUMNS)
    lines = [head]
    for report in reports:
        if not report.generated:
            continue
        counts = fake_counts(report.fake)
        cells = " ".join(f"{counts.get(f'{leg}.{kind}', 0):13}" for leg, kind in FAKE_COLUMNS)
        lines.append(f"{report.spec:24} {report.fake_seconds:6.1f} {cells}")
    return "\n".join(lines)


def check_spec(spec: SweepSpec, tmp_path_factory: Any) -> None:
    """The test of one spec: run it, write its JSON report, print its row, assert nothing was refused."""
    import os

    workdir = tmp_path_factory.mktemp(spec.package)
    report = run_spec(spec, workdir)
    reports = Path(os.environ.get("SWEEP_REPORT_DIR") or tmp_path_factory.getbasetemp() / "sweep-reports")
    reports.mkdir(parents=True, exist_ok=True)
    (reports / f"{spec.id}.json").write_text(json.dumps(report.to_json(), indent=1, default=str), encoding="utf-8")
    print(summary_table([report]))
    print(fake_table([report]))
    print(f"report: {reports / (spec.id + '.json')}")
    problems: list[str] = []
    failures = report.failures()
    if failures:
        problems.append(f"{spec.id}: {len(failures)} request(s) wrong or refused:\n" + "\n".join(failures))
    fake_failures = report.fake_failures()
    if fake_failures:
        problems.append(
            f"{spec.id}: the testing fake disagrees with Prism or the spec ({len(fake_failures)}):\n"
            + "\n".join(fake_failures)
        )
    # Issue 21's invariant: every package the generator writes passes `mypy --strict`, as a
    # consumer runs it (no configuration of ours); the cache is per xdist worker.
    if report.generated:
        cache = tmp_path_factory.getbasetemp() / "mypy-cache"
        proc = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), spec.package],
            cwd=workdir / "out",
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            problems.append(f"{spec.id}: mypy --strict on the generated package:\n{proc.stdout[-3000:]}")
    assert not problems, "\n\n".join(problems)
