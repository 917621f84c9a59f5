"""Classes of the tool's output that become type aliases instead.

* a root model of a constrained scalar (``class Tag(RootModel[str])``) becomes
  ``Tag = Annotated[str, Field(...)]``, so users never write ``.root``;
* an enum whose values are of several JSON types (``[1, "one", true]``)
  becomes ``Literal[1, "one", True]`` (with ``OpenLiteral``, since pydantic compares
  literals by equality): a Python ``Enum`` cannot hold ``1`` and
  ``True`` apart (``True == 1``), so ``True`` would be sent as ``1``;
* an enum of numbers (``[16384, 32768]``) becomes ``Literal[16384, 32768]`` too: a
  member has no name better than its value (``INTEGER_16384``), and the caller
  writes ``storage_size=16384``, which mypy checks against the values.
  ``OpenLiteral`` keeps the enum's openness: unknown values are refused in
  requests and kept in responses.

Either way the alias keeps the class's name and docstring, so every use stays valid.
"""

from __future__ import annotations

import ast
import re

from .edits import SourceEdits

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

_PRIMITIVES = frozenset({"str", "int", "float", "bool"})


def escape_control_characters(source: str) -> str:
    """Escape raw control characters the tool leaves in docstrings.

    They are legal inside a string literal, but a raw CR ends a line for the
    tokenizer and a NUL makes the file unparseable. They can only occur in
    string literals (the tool's code uses plain newlines), so the escape
    sequence has exactly the same value.
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", source)


def aliased_classes(tree: ast.Module, keep_root_models: frozenset[str]) -> frozenset[str]:
    """The classes the rewrite turns into type aliases (``Rewritten.aliased``), known from the parse alone."""
    return frozenset(
        node.name
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and (is_literal_enum(node) or (is_primitive_root(node) and node.name not in keep_root_models))
    )


def union_members(node: ast.expr) -> list[ast.expr]:
    """The members of ``A | B`` or ``Union[A, B]`` (the tool writes the latter around forward references)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return union_members(node.left) + union_members(node.right)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Union":
        members = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return [m for member in members for m in union_members(member)]
    return [node]


def _root_field(node: ast.ClassDef) -> ast.AnnAssign | None:
    fields = [b for b in node.body if not isinstance(b, ast.Expr)]
    if len(fields) == 1 and isinstance(fields[0], ast.AnnAssign) and fields[0].value is None:
        return fields[0]
    return None


def is_primitive_root(node: ast.ClassDef) -> bool:
    """``class Tag(RootModel[str]): root: Annotated[str, Field(...)]`` (also ``int | float``)."""
    if len(node.bases) != 1:
        return False
    base = node.bases[0]
    if not (isinstance(base, ast.Subscript) and isinstance(base.value, ast.Name) and base.value.id == "RootModel"):
        return False
    members = union_members(base.slice)
    return all(isinstance(m, ast.Name) and m.id in _PRIMITIVES for m in members) and _root_field(node) is not None


def alias_text(node: ast.ClassDef, edits: SourceEdits) -> str:
    field = _root_field(node)
    assert field is not None
    start, end = edits.span(field.annotation)
    return f"{node.name} = {edits.text[start:end]}" + _alias_docstring(node)


def is_literal_enum(node: ast.ClassDef) -> bool:
    """An enum whose values are of several JSON types (``[1, "one", true]``), or all numbers.

    A Python ``Enum`` cannot hold mixed values apart: ``True == 1``, so ``True`` would
    become the member of ``1`` and be sent as ``1``. A number has no better name than
    itself (``INTEGER_16384``). Such an enum becomes a ``Literal`` of its values instead.
    """
    if not any(isinstance(b, ast.Name) and b.id == "Enum" for b in node.bases):
        return False
    kinds = {_json_kind(stmt.value) for stmt in node.body if isinstance(stmt, ast.Assign)} - {None}
    return len(kinds) > 1 or kinds == {"number"}


def _json_kind(value: ast.expr) -> str | None:
    """``number``, ``str``, ``bool`` or ``NoneType`` for a member's value (``-1`` is a number too)."""
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, (ast.USub, ast.UAdd)):
        value = value.operand
    if not isinstance(value, ast.Constant):
        return None
    return "number" if type(value.value) in (int, float) else type(value.value).__name__


def member_values(node: ast.ClassDef, edits: SourceEdits) -> dict[str, str]:
    return {
        t.id: edits.text[slice(*edits.span(stmt.value))]
        for stmt in node.body
        if isinstance(stmt, ast.Assign)
        for t in stmt.targets
        if isinstance(t, ast.Name)
    }


def literal_alias_text(node: ast.ClassDef, values: dict[str, str]) -> str:
    """``X = Annotated[Literal[...], OpenLiteral(...)]``: the enum's values, open like an enum."""
    members = list(dict.fromkeys(values.values()))
    return f"{node.name} = {exact_literal_text(members, marker='OpenLiteral')}" + _alias_docstring(node)


def exact_literal_text(members: list[str], *, marker: str = "ExactLiteral") -> str:
    """``Annotated[Literal[1, "a"], ExactLiteral(1, "a")]`` for members given as Python source.

    ``Literal`` cannot hold a float (PEP 586); with one among the members the
    type is the union of the members' types, still checked member by member.
    """
    joined = ", ".join(members)
    values = [ast.literal_eval(m) for m in members]
    if not any(isinstance(v, float) for v in values):
        return f"Annotated[Literal[{joined}], {marker}({joined})]"
    types = dict.fromkeys("None" if v is None else type(v).__name__ for v in values)
    return f"Annotated[{' | '.join(types)}, {marker}({joined})]"


def _alias_docstring(node: ast.ClassDef) -> str:
    """The class's docstring, to follow the alias that replaces it (empty when it has none)."""
    docs = [
        b.value.value
        for b in node.body
        if isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant) and isinstance(b.value.value, str)
    ]
    if not docs:
        return ""
    doc = "\n\n".join(d.strip() for d in docs).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return f'\n"""{escape_control_characters(doc)}\n"""'
