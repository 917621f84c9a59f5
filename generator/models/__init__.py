"""The models stage: component schemas → the ``models`` source, via datamodel-code-generator.

``prepare`` shapes the schemas, ``tool`` runs the tool (cached by content),
``rewrite`` edits its output through one parse, and ``index`` records each
class and the schema it came from.
"""

from __future__ import annotations

from typing import Any

from ..cache import Cache, NoCache, json_key
from ..diagnostics import Diagnostics
from ..spec.toolkit import as_dict, as_list, deref, resolve
from .index import index_aliases, index_classes
from .module import ClassKind, Definition, FieldKeyword, ImportFrom, ModelClass, ModelField, ModelsModule, Role
from .prepare import prepare
from .rewrite import rewrite
from .tool import ToolFailed, ToolOutput, run_tool

__all__ = [
    "ClassKind",
    "Definition",
    "FieldKeyword",
    "ImportFrom",
    "ModelClass",
    "ModelField",
    "ModelsModule",
    "Role",
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
) -> ModelsModule | None:
    """The models of the (bundled, normalised) document; None, with an ERROR, when the tool fails."""
    prepared = prepare(document)
    if not (prepared.document.get("components") or {}).get("schemas"):
        return ModelsModule(header, (), ())

    def compute() -> str:
        return run_tool(prepared.document, header=header, aliases=prepared.aliases).to_json()

    key = json_key([prepared.document, header, prepared.aliases])
    try:
        output = ToolOutput.from_json((cache or NoCache()).get_or_compute("models", key, compute))
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
    unique_items = _unique_items(prepared.document, output)
    rewritten = rewrite(
        output.source,
        keep_root_models=keep_root_models,
        python_patterns=prepared.python_patterns,
        unique_items=unique_items,
    )
    classes, by_source = index_classes(rewritten.tree, output.classes, rewritten.aliased, unique_items=unique_items)
    return ModelsModule(
        header,
        rewritten.imports,
        rewritten.definitions,
        classes,
        by_source,
        prepared.variants.request,
        prepared.variants.response,
        rewritten.splittable,
        index_aliases(rewritten.tree, output.classes, rewritten.aliased),
    )


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
