"""Index the generated classes: what each is, its fields, and the schema the tool says it came from."""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping

from .module import ClassKind, FieldKeyword, ModelClass, ModelField
from .overrides import plain_type
from .tool import ToolClass

# The keywords of ``Field(...)`` that limit a field's values or tell callers something (``breaking`` compares them).
KEYWORDS = frozenset({"max_length", "min_length", "ge", "gt", "le", "lt", "multiple_of", "pattern", "deprecated"})


def index_classes(
    tree: ast.Module,
    report: tuple[ToolClass, ...],
    aliased: frozenset[str],
    *,
    unique_items: Mapping[str, frozenset[str]] | None = None,
) -> tuple[dict[str, ModelClass], dict[str, tuple[str, ...]]]:
    """The classes by name, and the class names generated from each schema pointer.

    ``unique_items`` names, per class, the fields the rewrite made ``UniqueList``
    (``tree`` is the parse before the edits, so it still says ``list``).
    """
    reported = {c.name: c for c in report}
    classes: dict[str, ModelClass] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or node.name in aliased:
            continue
        unique = (unique_items or {}).get(node.name, frozenset())
        classes[node.name] = _model_class(node, reported.get(node.name), unique)
    by_source: dict[str, list[str]] = {}
    for model in classes.values():
        if model.source:
            by_source.setdefault(model.source, []).append(model.name)
    return classes, {source: tuple(sorted(names)) for source, names in sorted(by_source.items())}


def index_aliases(tree: ast.Module, report: tuple[ToolClass, ...], aliased: frozenset[str]) -> dict[str, ModelClass]:
    """The classes that became type aliases, indexed as what they were: a root's type and keywords, an enum's values."""
    reported = {c.name: c for c in report}
    return {
        node.name: _model_class(node, reported.get(node.name), frozenset())
        for node in tree.body
        if isinstance(node, ast.ClassDef) and node.name in aliased
    }


def _model_class(node: ast.ClassDef, tool: ToolClass | None, unique: frozenset[str]) -> ModelClass:
    required = {f.name: f.required for f in tool.fields} if tool else {}
    kind = _kind(node)
    return ModelClass(
        name=node.name,
        kind=kind,
        fields=_fields(node, required),
        source=tool.source if tool else "",
        values=_values(node) if kind == "enum" else (),
        bases=tuple(ast.unparse(base) for base in node.bases),
        keywords=_keywords(node, unique),
    )


def _kind(node: ast.ClassDef) -> ClassKind:
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id == "Enum":
            return "enum"
        if isinstance(base, ast.Subscript) and isinstance(base.value, ast.Name) and base.value.id == "RootModel":
            return "root"
    return "model"


def _annotated_calls(annotation: ast.expr) -> list[ast.Call]:
    """The calls in ``Annotated[T, Field(...), ...]`` metadata (none for a plain annotation)."""
    if (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id == "Annotated"
        and isinstance(annotation.slice, ast.Tuple)
    ):
        return [meta for meta in annotation.slice.elts[1:] if isinstance(meta, ast.Call)]
    return []


def _field_statements(node: ast.ClassDef) -> list[tuple[str, ast.AnnAssign]]:
    return [(s.target.id, s) for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]


def _fields(node: ast.ClassDef, required: dict[str, bool]) -> tuple[ModelField, ...]:
    fields: list[ModelField] = []
    for name, stmt in _field_statements(node):
        wire = name
        for meta in _annotated_calls(stmt.annotation):
            for kw in meta.keywords:
                if kw.arg == "alias" and isinstance(kw.value, ast.Constant):
                    wire = str(kw.value.value)
        fields.append(
            ModelField(
                python_name=name,
                wire_name=wire,
                annotation=plain_type(stmt.annotation),
                required=required.get(name, stmt.value is None),
            )
        )
    return tuple(fields)


def _keywords(node: ast.ClassDef, unique: frozenset[str]) -> tuple[FieldKeyword, ...]:
    found: list[FieldKeyword] = []
    for name, stmt in _field_statements(node):
        for meta in _annotated_calls(stmt.annotation):
            found.extend(
                FieldKeyword(field=name, keyword=kw.arg, value=_json(kw.value))
                for kw in meta.keywords
                if kw.arg in KEYWORDS
            )
        if name in unique:
            found.append(FieldKeyword(field=name, keyword="unique_items", value="true"))
    return tuple(found)


def _values(node: ast.ClassDef) -> tuple[str, ...]:
    """An enum's member values, as JSON, in the order the tool wrote them."""
    return tuple(
        _json(stmt.value)
        for stmt in node.body
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
    )


def _json(value: ast.expr) -> str:
    """A literal as JSON (``'allow'`` → ``"allow"``, ``-1`` → ``-1``); anything else as its source text, quoted."""
    try:
        return json.dumps(ast.literal_eval(value))
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return json.dumps(ast.unparse(value))
