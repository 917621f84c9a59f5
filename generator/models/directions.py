"""Split schemas with readOnly/writeOnly properties into what is sent and what is received.

A readOnly property is never part of a request and a writeOnly one never part
of a response. A schema holding either (or referring to one that does) gets
one shape per direction it is used in, decided from the operations:

* used in requests and in responses: ``X`` is what the API returns (readOnly
  properties kept, writeOnly ones left out) and ``XRequest`` what is sent
  (readOnly ones left out);
* used in one direction only: ``X`` keeps its name and takes that direction's
  shape; a schema no operation uses takes the response shape.

References inside a shape point at the same direction's shape, so a request
model never contains a response-only class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .. import naming
from ..openapi import media
from ..openapi.toolkit import as_dict, as_list, component_ref, deref, operations, ref_name, walk

Direction = Literal["request", "response"]
READ_ONLY_KEY = "x-codegen-read-only"


@dataclass(frozen=True, slots=True, kw_only=True)
class Contradiction:
    """A property both required and readOnly (or writeOnly): it cannot be left out of its direction."""

    schema: str  # component name
    prop: str
    keyword: str  # "readOnly" | "writeOnly"
    # Kept: the schema is used in one direction only, the one its mark excludes: the property
    # stays, optional; otherwise OpenAPI's rule applies and it is left out.
    kept: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Variants:
    """For each split schema: the component that holds each direction's shape."""

    request: dict[str, str]
    response: dict[str, str]

    def of(self, component: str, direction: Direction) -> str:
        table = self.request if direction == "request" else self.response
        return table.get(component, component)


def _refs(schema: Any) -> set[str]:
    return {
        ref_name(node["$ref"])
        for _, node in walk(schema)
        if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/components/schemas/")
    }


def _own_marks(schema: Any) -> bool:
    return any(
        isinstance(p, dict) and (p.get("readOnly") is True or p.get("writeOnly") is True)
        for _, node in walk(schema)
        for p in as_dict(node.get("properties")).values()
    )


def _closure(seeds: set[str], refs: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    stack = [s for s in seeds if s in refs]
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(r for r in refs[name] if r in refs)
    return seen


def _body_roots(document: dict[str, Any]) -> tuple[set[str], set[str]]:
    """Component names the operations send and receive directly."""
    sent: set[str] = set()
    received: set[str] = set()
    for _path, _method, _item, op in operations(document):
        body = deref(document, op.get("requestBody"))
        chosen = media.pick(body.get("content")) if isinstance(body, dict) else None
        if chosen is not None:
            sent |= _refs(chosen[2].get("schema"))
        for status, response in as_dict(op.get("responses")).items():
            response = deref(document, response)
            chosen = media.pick(response.get("content")) if isinstance(response, dict) else None
            if chosen is not None and str(status).startswith("2"):
                received |= _refs(chosen[2].get("schema"))
    return sent, received


def _contradictions(name: str, schema: Any, keep: Direction | None) -> list[Contradiction]:
    """Every property ``schema`` both requires and marks readOnly or writeOnly, on its top level."""
    found: list[Contradiction] = []
    for part in [schema, *as_list(as_dict(schema).get("allOf"))]:
        required = {str(r) for r in as_list(as_dict(part).get("required"))}
        for prop, sub in sorted(as_dict(as_dict(part).get("properties")).items()):
            for keyword, direction in (("readOnly", "request"), ("writeOnly", "response")):
                if prop in required and isinstance(sub, dict) and sub.get(keyword) is True:
                    found.append(Contradiction(schema=name, prop=prop, keyword=keyword, kept=keep == direction))
    return found


def split(
    document: dict[str, Any], schemas: dict[str, Any]
) -> tuple[dict[str, Any], Variants, tuple[Contradiction, ...]]:
    """The schemas with one shape per direction, and the required-and-marked properties found.

    OpenAPI 3.0 says a required readOnly property is required in responses only; so it is
    left out of requests, unless the schema is only ever sent: there leaving it out could
    make the operation impossible to call (GOV.UK Pay marks a create request's own fields
    readOnly), so it stays as an optional property. writeOnly mirrors it.
    """
    refs = {name: _refs(schema) for name, schema in schemas.items()}
    marked = {name for name, schema in schemas.items() if _own_marks(schema)}
    if not marked:
        return schemas, Variants(request={}, response={}), ()
    split_names = set(marked)
    changed = True
    while changed:  # a schema referring to a split one is split too
        changed = False
        for name, found in refs.items():
            if name not in split_names and found & split_names:
                split_names.add(name)
                changed = True
    sent, received = _body_roots(document)
    in_requests, in_responses = _closure(sent, refs), _closure(received, refs)
    taken = set(schemas)
    request: dict[str, str] = {}
    response: dict[str, str] = {}
    for name in sorted(split_names):
        both = name in in_requests and name in in_responses
        if both:
            request[name] = naming.unique(f"{name}Request", taken)
            taken.add(request[name])
            response[name] = name
        elif name in in_requests:
            request[name] = name
        else:
            response[name] = name
    result = {name: schema for name, schema in schemas.items() if name not in split_names}
    variants = Variants(request=request, response=response)
    notes: list[Contradiction] = []
    for name in sorted(split_names):
        only: Direction | None = (
            None if name in request and name in response else "request" if name in request else "response"
        )
        notes += _contradictions(name, schemas[name], only)
        if name in response:
            result[response[name]] = _shape(schemas[name], "response", variants, keep_required=only == "response")
        if name in request:
            result[request[name]] = _shape(schemas[name], "request", variants, keep_required=only == "request")
    return result, variants, tuple(notes)


def _shape(schema: Any, direction: Direction, variants: Variants, *, keep_required: bool = False) -> Any:
    """``schema`` without the properties the other direction owns, its refs aimed at this direction.

    ``keep_required``: marked properties the schema requires stay, required (see ``split``).
    """
    if isinstance(schema, list):
        return [_shape(item, direction, variants, keep_required=keep_required) for item in schema]
    if not isinstance(schema, dict):
        return schema
    left_out = "readOnly" if direction == "request" else "writeOnly"
    required = {str(r) for r in as_list(schema.get("required"))}
    marked = {
        prop
        for prop, sub in as_dict(schema.get("properties")).items()
        if isinstance(sub, dict) and sub.get(left_out) is True
    }
    # In a one-way schema a required marked property stays, optional: it may be sent (a
    # readOnly mistake does not block the call) and is not demanded (it may be server-set).
    dropped = marked - required if keep_required else marked
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$ref" and isinstance(value, str) and value.startswith("#/components/schemas/"):
            result[key] = component_ref(variants.of(ref_name(value), direction))
        elif key == "properties" and isinstance(value, dict):
            result[key] = {
                prop: _shape(sub, direction, variants, keep_required=keep_required)
                for prop, sub in value.items()
                if prop not in dropped
            }
        elif key in ("example", "examples", "default", "enum", "const"):
            result[key] = value
        else:
            result[key] = _shape(value, direction, variants, keep_required=keep_required)
    if marked & required and isinstance(schema.get("required"), list):
        result["required"] = [r for r in as_list(schema["required"]) if r not in marked]
    if dropped and direction == "request":
        # Read back by models/__init__.py: the request model names what it left out, so a
        # caller who sends one is told it is read-only rather than unknown.
        result[READ_ONLY_KEY] = sorted(dropped)
    if isinstance(schema.get("discriminator"), dict) and isinstance(schema["discriminator"].get("mapping"), dict):
        mapping = schema["discriminator"]["mapping"]
        result["discriminator"] = {
            **schema["discriminator"],
            "mapping": {
                k: component_ref(variants.of(ref_name(v), direction)) if isinstance(v, str) else v
                for k, v in mapping.items()
            },
        }
    return result
