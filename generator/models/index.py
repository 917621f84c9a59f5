"""Index the generated classes: what each is, its fields, and the schema the tool says it came from."""

from __future__ import annotations

import ast

from .module import ClassKind, ModelClass, ModelField
from .overrides import plain_type
from .tool import ToolClass


def index_classes(
    tree: ast.Module, report: tuple[ToolClass, ...], aliased: frozenset[str]
) -> tuple[dict[str, ModelClass], dict[str, tuple[str, ...]]]:
    """The classes by name, and the class names generated from each schema pointer."""
    reported = {c.name: c for c in report}
    classes: dict[str, ModelClass] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or node.name in aliased:
            continue
        tool = reported.get(node.name)
        required = {f.name: f.required for f in tool.fields} if tool else {}
        classes[node.name] = ModelClass(node.name, _kind(node), _fields(node, required), tool.source if tool else "")
    by_source: dict[str, list[str]] = {}
    for model in classes.values():
        if model.source:
            by_source.setdefault(model.source, []).append(model.name)
    return classes, {source: tuple(sorted(names)) for source, names in sorted(by_source.items())}


def _kind(node: ast.ClassDef) -> ClassKind:
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id == "Enum":
            return "enum"
        if isinstance(base, ast.Subscript) and isinstance(base.value, ast.Name) and base.value.id == "RootModel":
            return "root"
    return "model"


def _fields(node: ast.ClassDef, required: dict[str, bool]) -> tuple[ModelField, ...]:
    fields: list[ModelField] = []
    for stmt in node.body:
        if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
            continue
        wire = stmt.target.id
        annotation = stmt.annotation
        if (
            isinstance(annotation, ast.Subscript)
            and isinstance(annotation.value, ast.Name)
            and annotation.value.id == "Annotated"
            and isinstance(annotation.slice, ast.Tuple)
        ):
            for meta in annotation.slice.elts[1:]:
                if isinstance(meta, ast.Call):
                    for kw in meta.keywords:
                        if kw.arg == "alias" and isinstance(kw.value, ast.Constant):
                            wire = str(kw.value.value)
        name = stmt.target.id
        fields.append(ModelField(name, wire, plain_type(annotation), required.get(name, stmt.value is None)))
    return tuple(fields)
