"""What an operation puts on the wire and takes back beyond its parameters: Accept, body encodings, error bodies."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .. import naming
from ..models import ModelsModule
from ..openapi import media
from ..openapi.toolkit import as_dict, as_list, deref, is_openapi30, ref_name
from . import nodes as ir
from .synthesize import derived, synthesize
from .synthesize import warm as warm_schemas

# Exact statuses first, then ranges (4XX), then default: the order the client looks them up in.
_ERROR_ORDER = {"default": 2}


def accept_header(responses: dict[str, Any], doc: dict[str, Any]) -> str:
    """Every media type the responses declare, JSON ones first: what the client can take back."""
    found: dict[str, None] = {}
    for status in sorted(responses, key=str):
        response = deref(doc, responses[status])
        content = response.get("content") if isinstance(response, dict) else None
        if isinstance(content, dict):
            found.update(dict.fromkeys(str(m).strip() for m in content if str(m).strip()))
    if not found:
        return "application/json"
    ranked = sorted(found, key=lambda m: media.encoding_of(m) != "json")
    return ", ".join(ranked)


def field_encodings(raw: Any) -> tuple[ir.FieldEncoding, ...]:
    """The body's ``encoding`` map: per property, its content type and explicit style."""
    fields: list[ir.FieldEncoding] = []
    for name, entry in sorted(as_dict(raw).items()):
        if not isinstance(entry, dict):
            continue
        explicit = any(key in entry for key in ("style", "explode", "allowReserved"))
        style = entry.get("style") if isinstance(entry.get("style"), str) else ("form" if explicit else None)
        explode = entry.get("explode")
        fields.append(
            ir.FieldEncoding(
                name=str(name),
                content_type=str(entry["contentType"]) if isinstance(entry.get("contentType"), str) else None,
                style=style,
                explode=explode if isinstance(explode, bool) else (style == "form" if style else None),
                allow_reserved=entry.get("allowReserved") is True,
            )
        )
    return tuple(fields)


def error_cases(doc: dict[str, Any], models: ModelsModule, responses: dict[str, Any]) -> tuple[ir.ErrorCase, ...]:
    """Non-2xx responses with a JSON body: the class it parses into (a named schema) and its example."""
    cases: list[ir.ErrorCase] = []
    for key, raw in responses.items():
        status = "default" if str(key) == "default" else str(key).upper()
        if status.startswith(("1", "2", "3")):
            continue
        response = deref(doc, raw)
        chosen = media.pick(response.get("content")) if isinstance(response, dict) else None
        if chosen is None or chosen[1] != "json":
            continue
        media_type, _, media_object = chosen
        schema = media_object.get("schema")
        model = None
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            model = models.class_for(ref_name(schema["$ref"]), kinds=("model", "root"), role="response")
        cases.append(
            ir.ErrorCase(
                status=status, model=model, example_json=answer_example(doc, media_object), media_type=media_type
            )
        )
    cases.sort(key=lambda c: (_ERROR_ORDER.get(c.status, 1 if "X" in c.status else 0), c.status))
    return tuple(cases)


def first_example(media_object: dict[str, Any]) -> str | None:
    examples = media_object.get("examples")
    if isinstance(examples, dict) and examples:
        first = examples[sorted(examples)[0]]
        if isinstance(first, dict) and "value" in first:
            return json.dumps(first["value"], indent=2, ensure_ascii=False)
    if "example" in media_object:
        return json.dumps(media_object["example"], indent=2, ensure_ascii=False)
    return None


def other_kinds(content: Any) -> tuple[ir.CaseKind, ...]:
    """Besides JSON, what a response's media types may carry: ``text`` and/or ``binary``, in that order."""
    kinds = {media.encoding_of(str(m)) for m in as_dict(content)}
    found: list[ir.CaseKind] = []
    if "text" in kinds:
        found.append("text")
    if kinds & {"binary", "form", "multipart"}:
        found.append("binary")
    return tuple(found)


def answer_example(doc: dict[str, Any], media_object: dict[str, Any], *, raw: bool = False) -> str | None:
    """The spec's example of a response, else one built from its schema: what the testing fake answers.

    ``raw``: a text or binary body, whose answer is a string (JSON-quoted here, as examples are);
    without a schema to build from it is empty. Kept per document and media object (``derived``):
    a response shared through ``components.responses`` is built once.
    """
    return derived(doc, media_object, ("answer", raw), lambda: _answer_example(doc, media_object, raw=raw))


def _answer_example(doc: dict[str, Any], media_object: dict[str, Any], *, raw: bool) -> str | None:
    example = first_example(media_object)
    if example is not None:
        return example
    if "schema" not in media_object:
        return json.dumps("") if raw else None
    ok, value = synthesize(doc, media_object["schema"], openapi30=is_openapi30(doc))
    if raw and not (ok and isinstance(value, str)):
        return json.dumps("")
    return json.dumps(value, indent=2, ensure_ascii=False) if ok else None


def warm(doc: dict[str, Any]) -> Iterator[None]:
    """Build the examples the IR will ask for, one step at a time, for a caller that waits for
    something else meanwhile (the pipeline, for the models): each component schema's
    (``synthesize.warm``), then each parameter's and each response's. The IR's results are the same
    either way."""
    yield from warm_schemas(doc)
    try:  # never a new failure: the IR meets it again, as it always did
        for path_item in as_dict(doc.get("paths")).values():
            for holder in [path_item, *as_dict(path_item).values()]:
                for raw in as_list(as_dict(holder).get("parameters")):
                    param = deref(doc, raw)
                    if isinstance(param, dict) and isinstance(param.get("name"), str):
                        param_example_json(doc, param, param["name"])
                        yield
                for response in as_dict(as_dict(holder).get("responses")).values():
                    chosen = media.pick(as_dict(deref(doc, response)).get("content"))
                    if chosen is not None:
                        answer_example(doc, chosen[2], raw=chosen[1] != "json")
                        yield
    except Exception:
        return


def param_example_json(doc: dict[str, Any], param: dict[str, Any], wire: str) -> str:
    """A value the parameter's schema accepts, as JSON, for examples: the spec's, else a readable
    ``my-<name>`` where the schema allows it (``my-project-id``), else one built from the schema.
    Kept per document and parameter (``derived``): a shared parameter is built once."""
    return derived(doc, param, ("param example", wire), lambda: _param_example_json(doc, param, wire))


def _param_example_json(doc: dict[str, Any], param: dict[str, Any], wire: str) -> str:
    schema = param.get("schema")
    openapi30 = is_openapi30(doc)

    def accepted(value: Any) -> bool:
        # Built from a schema that allows this value and nothing else: possible only if it is valid.
        return schema is None or synthesize(doc, {"allOf": [schema], "enum": [value]}, openapi30=openapi30)[0]

    examples = as_dict(param.get("examples"))
    candidates = [param.get("example"), as_dict(examples[sorted(examples)[0]]).get("value") if examples else None]
    candidates.append(as_dict(deref(doc, schema)).get("example"))
    candidates.append(f"my-{'-'.join(naming.words(wire)) or 'value'}")
    for value in candidates:
        if value is not None and accepted(value):
            return json.dumps(value, ensure_ascii=False)
    ok, value = synthesize(doc, schema if schema is not None else {"type": "string"}, openapi30=openapi30)
    return json.dumps(value if ok else candidates[-1], ensure_ascii=False)
