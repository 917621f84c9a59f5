"""The models stage: component schemas → the ``models`` source, via datamodel-code-generator.

``prepare`` shapes the schemas, ``tool`` runs the tool (cached by content),
``rewrite`` edits its output through one parse, and ``index`` records each
class and the schema it came from.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..diagnostics import Diagnostics, pointer
from ..openapi.toolkit import as_dict, as_list, deref, resolve
from ..provenance.cache import Cache, NoCache
from .aliases import aliased_classes, escape_control_characters
from .directions import READ_ONLY_KEY, Contradiction
from .index import index_aliases, index_classes
from .module import ClassKind, Definition, FieldKeyword, ImportFrom, ModelClass, ModelField, ModelsModule, Role
from .prepare import prepare
from .private import envelope_member, envelopes, make_private
from .rewrite import rewrite
from .run import Fork, tool_output
from .structure import mentioned_by_definitions
from .tool import ToolFailed, ToolOutput

__all__ = [
    "ClassKind",
    "Definition",
    "FieldKeyword",
    "ImportFrom",
    "ModelClass",
    "ModelField",
    "ModelsModule",
    "Role",
    "envelope_member",
    "generate_models",
]


def generate_models(
    document: dict[str, Any],
    *,
    header: str,
    diags: Diagnostics,
    spec_file: str,
    keep_root_models: frozenset[str] = frozenset(),
    cache: Cache | None = None,
    groups: int | None = None,
    fork: Fork | None = None,
    on_index: Callable[[ModelsModule], object] | None = None,
) -> ModelsModule | None:
    """The models of the (bundled, normalised) document; None, with an ERROR, when the tool fails.

    ``groups`` and ``fork`` say how the tool runs (models/run.py); the result does not depend on them.
    ``on_index`` is called with the index (the result without its source: no imports, no
    definitions) once it is known, before the source is rewritten; the IR needs only the index,
    so a caller can build it meanwhile. A caller that uses it compares it with the result's.
    """
    prepared = prepare(document)
    if not (prepared.document.get("components") or {}).get("schemas"):
        return ModelsModule(header=header, imports=(), definitions=())

    try:
        output = tool_output(
            prepared.document,
            header=header,
            aliases=prepared.aliases,
            cache=cache or NoCache(),
            groups=groups,
            fork=fork,
        )
    except ToolFailed as exc:
        diags.error(
            spec_file,
            "/components/schemas",
            "model-generation-failed",
            f"datamodel-code-generator could not build the models: {exc}",
        )
        return None
    for note in output.notes:
        diags.warning(spec_file, "/components/schemas", "model-generator-note", f"datamodel-code-generator: {note}")
    for found in prepared.contradictions:
        diags.warning(
            spec_file, pointer("components", "schemas", found.schema, "properties", found.prop), *_note(found)
        )
    unique_items = _unique_items(prepared.document, output)
    list_items = _list_items(prepared.document, output)
    source = escape_control_characters(output.source)
    tree = ast.parse(source)
    aliased = aliased_classes(tree, keep_root_models)
    classes, by_source = index_classes(tree, output.classes, aliased, unique_items=unique_items)
    for name, item in list_items.items():  # the index reads the tree before the rewrite's edits
        if name in classes:
            fields = tuple(
                replace(f, annotation=f"list[{item}]") if f.python_name == "root" else f for f in classes[name].fields
            )
            classes[name] = replace(classes[name], fields=fields)
    index = ModelsModule(
        header=header,
        imports=(),
        definitions=(),
        classes=classes,
        by_source=by_source,
        request_shapes=prepared.variants.request,
        response_shapes=prepared.variants.response,
        aliases=index_aliases(tree, output.classes, aliased),
    )
    if on_index is not None:
        # Envelopes are decided by what the definitions mention; the parse already says (the
        # rewrite changes only names of enums, literals and the base classes, never an envelope's).
        on_index(make_private(index, envelopes(document, index, mentioned=mentioned_by_definitions(tree))))
    rewritten = rewrite(
        source,
        keep_root_models=keep_root_models,
        python_patterns=prepared.python_patterns,
        unique_items=unique_items,
        read_only=_read_only(prepared.document, output),
        list_items=list_items,
        tree=tree,
    )
    models = replace(
        index, imports=rewritten.imports, definitions=rewritten.definitions, splittable=rewritten.splittable
    )
    return make_private(models, envelopes(document, models))


def _note(found: Contradiction) -> tuple[str, str]:
    """The code and message of a required-and-readOnly (or writeOnly) warning: what the client does."""
    keyword, sent = found.keyword, "request" if found.keyword == "readOnly" else "response"
    code = "required-and-" + ("read-only" if keyword == "readOnly" else "write-only")
    if found.kept:
        return code, (
            f"{found.prop!r} is required and {keyword}, and the schema is used only in {sent}s: the "
            f"{sent} model keeps it as an optional field, so it can be sent but is not demanded. "
            f"Remove `{keyword}` (or `required`) to say which you mean"
        )
    return code, (
        f"{found.prop!r} is required and {keyword}: as OpenAPI says, `required` applies to the other "
        f"direction only, so the {sent} model leaves it out. Remove one of the two if you meant otherwise"
    )


def _list_items(document: dict[str, Any], output: ToolOutput) -> dict[str, str]:
    """Per array root model, the class of its items when they refer to a model.

    The tool writes a bare ``list`` for an array whose items refer back to it
    (``Tree = list[Tree]``), losing the item type and failing ``mypy --strict``.
    """
    by_source = {model.source: model.name for model in output.classes}
    found: dict[str, str] = {}
    for model in output.classes:
        schema = as_dict(resolve(document, model.source))
        items = as_dict(schema.get("items"))
        if schema.get("type") == "array" and isinstance(items.get("$ref"), str) and items["$ref"] in by_source:
            found[model.name] = by_source[items["$ref"]]
    return found


def _read_only(document: dict[str, Any], output: ToolOutput) -> dict[str, frozenset[str]]:
    """Per request model, the readOnly properties its schema left out (see directions.py)."""
    found: dict[str, frozenset[str]] = {}
    for model in output.classes:
        names = as_dict(resolve(document, model.source)).get(READ_ONLY_KEY)
        if isinstance(names, list) and names:
            found[model.name] = frozenset(str(n) for n in names)
    return found


def _unique_items(document: dict[str, Any], output: ToolOutput) -> dict[str, frozenset[str]]:
    """Per class, the fields whose schema (as the tool reports its source) says ``uniqueItems``."""
    found: dict[str, frozenset[str]] = {}
    for model in output.classes:
        schema = as_dict(resolve(document, model.source))
        if schema.get("uniqueItems") is True:
            found[model.name] = frozenset({"root"})
            continue
        properties: dict[str, Any] = {}
        for part in [schema, *as_list(schema.get("allOf"))]:
            properties.update(as_dict(as_dict(part).get("properties")))
        unique = {
            f.name for f in model.fields if as_dict(deref(document, properties.get(f.alias))).get("uniqueItems") is True
        }
        if unique:
            found[model.name] = frozenset(unique)
    return found
