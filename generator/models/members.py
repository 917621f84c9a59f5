"""Literal and enum members as users meet them: exact literals (JSON ``true`` is not ``1``), readable enum names."""

from __future__ import annotations

import ast
import hashlib

from .. import naming
from .aliases import exact_literal_text
from .edits import SourceEdits


def _literal_members(node: ast.Subscript) -> list[ast.expr] | None:
    """The members of a ``Literal[...]`` subscript, or None when ``node`` is not one."""
    if not (isinstance(node.value, ast.Name) and node.value.id == "Literal"):
        return None
    return list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]


def _is_number_or_bool(member: ast.expr) -> bool:
    if isinstance(member, ast.UnaryOp) and isinstance(member.op, (ast.USub, ast.UAdd)):
        member = member.operand
    return isinstance(member, ast.Constant) and type(member.value) in (int, float, bool)


def exact_literals(
    tree: ast.Module, edits: SourceEdits, added: dict[str, set[str]], walked: dict[int, list[ast.AST]]
) -> None:
    """``Literal[1]`` → ``Annotated[Literal[1], ExactLiteral(1)]``: JSON ``true`` is not ``1`` (see _models).

    ``walked`` holds each top-level statement's nodes, by the statement's ``id``."""
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef):
            owner = statement.name
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
            if not isinstance(target, ast.Name):
                continue
            owner = target.id
        else:
            continue
        for node in walked[id(statement)]:
            if not isinstance(node, ast.Subscript):
                continue
            members = _literal_members(node)
            if not members or not any(_is_number_or_bool(m) for m in members):
                continue
            values = [edits.text[slice(*edits.span(m))] for m in members]
            edits.replace(node, exact_literal_text(values))
            added.setdefault(owner, set()).update({"Annotated", "ExactLiteral"})


def enum_members(tree: ast.Module, edits: SourceEdits, every: list[ast.AST], *, skip: frozenset[str]) -> None:
    """Name each string member after its value's words (``"a Thing WIth spaces"`` → ``A_THING_WITH_SPACES``).

    The tool's own names split ``WIth`` into ``W_ITH`` and keep non-ASCII letters; values
    are untouched. A name that would repeat another member's, or says nothing (a value
    of only symbols or only non-ASCII letters), gets a short digest of the value.
    """
    renames: dict[tuple[str, str], str] = {}
    for node in tree.body:
        if (
            not isinstance(node, ast.ClassDef)
            or node.name in skip
            or not any(isinstance(b, ast.Name) and b.id == "Enum" for b in node.bases)
        ):
            continue
        members = [
            (b.targets[0], b.value.value)
            for b in node.body
            if isinstance(b, ast.Assign)
            and len(b.targets) == 1
            and isinstance(b.targets[0], ast.Name)
            and isinstance(b.value, ast.Constant)
        ]
        taken: set[str] = set()
        for target, value in members:
            if not isinstance(value, str):
                taken.add(target.id)
                continue
            new = "EMPTY" if value == "" else naming.constant_case(value, fallback="value")
            if new == "VALUE" or new in taken:
                new = f"{new}_{hashlib.sha256(value.encode()).hexdigest()[:6].upper()}"
            taken.add(new)
            if new != target.id:
                renames[(node.name, target.id)] = new
                edits.replace(target, new)
    if not renames:
        return
    for sub in every:  # every node of ``tree``
        if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and (sub.value.id, sub.attr) in renames:
            edits.replace(sub, f"{sub.value.id}.{renames[(sub.value.id, sub.attr)]}")
