"""Envelopes callers never handle are private: ``_PutManualJobResponse`` beside the ``PutManualJobResult`` they get.

With ``x-codegen.envelope`` (Northflank's ``{"data": {...}}``) the client unwraps a response
model's member and returns it; the wrapper is parsed into, never handed out. A schema used
*only* that way (every reference to it is a success response's body, and no other model
mentions its class) gets a leading underscore, so ``models`` lists what users meet. The
runtime and the testing fake still import it by that name.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..openapi.toolkit import as_dict, component_ref, deref, operations
from .module import Definition, ModelField, ModelsModule


def envelope_member(models: ModelsModule, model: str, envelope: str | None) -> ModelField | None:
    """The member the client returns from ``model``: the envelope's, when always there and never null."""
    found = models.classes.get(model)
    if envelope is None or found is None or found.kind != "model":
        return None
    field = next((f for f in found.fields if f.wire_name == envelope), None)
    if field is not None and field.required and not field.annotation.endswith("| None"):
        return field
    return None


def envelope_name(document: dict[str, Any]) -> str | None:
    envelope = as_dict(as_dict(document.get("info")).get("x-codegen")).get("envelope")
    return envelope if isinstance(envelope, str) else None


def _success_bodies(document: dict[str, Any]) -> set[int]:
    """The ``{"$ref": ...}`` objects that are the body schema of a success response (by identity)."""
    found: set[int] = set()
    for _path, _method, _item, op in operations(document):
        for status, response in as_dict(op.get("responses")).items():
            if not str(status).startswith("2"):
                continue
            for media_object in as_dict(as_dict(deref(document, response)).get("content")).values():
                schema = as_dict(media_object).get("schema")
                if isinstance(schema, dict) and "$ref" in schema:
                    found.add(id(schema))
    return found


def _references(document: dict[str, Any]) -> dict[str, list[int]]:
    """Every ``$ref`` object of the document by the ref it holds, each object once."""
    refs: dict[str, list[int]] = {}
    seen: set[int] = set()
    todo: list[Any] = [document]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.setdefault(node["$ref"], []).append(id(node))
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return refs


def envelopes(
    document: dict[str, Any], models: ModelsModule, *, mentioned: frozenset[str] | None = None
) -> frozenset[str]:
    """The classes used solely as an envelope the client unwraps.

    ``mentioned``: the names the models' definitions use, when ``models`` has no definitions yet
    (its index only); by default they are read from its definitions.
    """
    envelope = envelope_name(document)
    if envelope is None:
        return frozenset()
    bodies = _success_bodies(document)
    refs = _references(document)
    if mentioned is None:  # a class names no own rebuild
        mentioned = frozenset(name for d in models.definitions if d.defines for name in d.uses)
    found = set()
    for component in as_dict(as_dict(document.get("components")).get("schemas")):
        at = refs.get(component_ref(component), [])
        if not at or not all(i in bodies for i in at) or component in models.request_shapes:
            continue
        model = models.class_for(component, kinds=("model",), role="response")
        if model is not None and model not in mentioned and envelope_member(models, model, envelope) is not None:
            found.add(model)
    return frozenset(found)


def make_private(models: ModelsModule, names: frozenset[str]) -> ModelsModule:
    """``models`` with each class of ``names`` renamed ``_Name`` (its definition and its rebuild)."""
    if not names:
        return models
    new = {name: f"_{name}" for name in names}
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names)) + r")\b")

    def renamed(definition: Definition) -> Definition:
        if definition.name not in names:
            return definition
        # Only the ``class X(`` line and ``X.model_rebuild()``: nothing else mentions it.
        first, sep, rest = definition.text.partition("\n")
        return replace(
            definition,
            name=new[definition.name],
            text=pattern.sub(lambda m: new[m.group(1)], first) + sep + rest,
            uses=frozenset(new.get(n, n) for n in definition.uses),
        )

    return replace(
        models,
        definitions=tuple(renamed(d) for d in models.definitions),
        classes={new.get(k, k): replace(v, name=new.get(k, k)) for k, v in models.classes.items()},
        by_source={k: tuple(new.get(n, n) for n in v) for k, v in models.by_source.items()},
    )
