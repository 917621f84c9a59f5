"""Where an allOf child redeclares an inherited field with a type mypy refuses as an override.

The schema narrows the parent on purpose and pydantic validates the child's
type, but mypy sees an incompatible override of the base class's attribute.
Such lines get ``# type: ignore[assignment, unused-ignore]`` (rewrite.py);
``unused-ignore`` too, because whether mypy accepts a narrowing (``str`` over
``str | None``) or refuses it (``list[Trip]`` over ``list[dict[str, Any]]``) is
its own subtyping judgement, and --strict reports an ignore it did not need.
"""

from __future__ import annotations

import ast

from ..pyast import union_operands


def narrowed_override_lines(tree: ast.Module, lines: list[str]) -> list[int]:
    """0-based indices of the one-line field statements that need the comment."""
    inherited: dict[str, dict[str, ast.expr]] = {}  # class -> field -> annotation, own and its bases'
    marked: list[int] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        from_bases: dict[str, ast.expr] = {}
        for base in reversed(node.bases):  # the first base wins, as in the MRO
            if isinstance(base, ast.Name):
                from_bases.update(inherited.get(base.id, {}))
        fields = dict(from_bases)
        for stmt in node.body:
            if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
                continue
            before = from_bases.get(stmt.target.id)
            # Only a one-line statement with nothing after it can take the comment safely.
            if (
                before is not None
                and stmt.end_lineno == stmt.lineno
                and stmt.end_col_offset == len(lines[stmt.lineno - 1].rstrip().encode("utf-8"))
                and not surely_accepted(plain_type(stmt.annotation), plain_type(before))
            ):
                marked.append(stmt.lineno - 1)
            fields[stmt.target.id] = stmt.annotation
        inherited[node.name] = fields
    return marked


def surely_accepted(child: str, parent: str) -> bool:
    """Whether mypy certainly accepts ``child`` overriding ``parent``, so no comment is needed.

    Each member of the child's union is one of the parent's, or a literal of a
    parent member's type (``Literal["cat"]`` over ``str``): the usual narrowing
    of a discriminator. Anything else gets the comment.
    """
    parents = {ast.unparse(m) for m in union_operands(ast.parse(parent, mode="eval").body)}
    parent_types = parents | {_STRICT_BASE.get(p, p) for p in parents}
    for member in union_operands(ast.parse(child, mode="eval").body):
        if ast.unparse(member) in parents:
            continue
        if (
            isinstance(member, ast.Subscript)
            and ast.unparse(member.value) == "Literal"
            and _literal_types(member.slice) <= parent_types
        ):
            continue
        return False
    return True


_STRICT_BASE = {"StrictStr": "str", "StrictInt": "int", "StrictFloat": "float", "StrictBool": "bool"}


def _literal_types(values: ast.expr) -> set[str]:
    """The builtin type of each value in ``Literal[...]``; ``{"?"}`` for anything but str and int."""
    found = values.elts if isinstance(values, ast.Tuple) else [values]
    return {
        type(v.value).__name__ if isinstance(v, ast.Constant) and type(v.value) in (str, int) else "?" for v in found
    }


_RENAMED = {"RootModel": "ApiRootModel"}  # as the rewrite spells them


def _plain(node: ast.expr) -> ast.expr:
    """A copy of ``node`` without ``Annotated`` metadata (the parse itself is left as it is)."""
    if isinstance(node, ast.Subscript):
        if isinstance(node.value, ast.Name) and node.value.id == "Annotated":
            return _plain(node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice)
        return ast.Subscript(_plain(node.value), _plain(node.slice), ast.Load())
    if isinstance(node, ast.Name):
        return ast.Name(_RENAMED.get(node.id, node.id), ast.Load())
    if isinstance(node, ast.BinOp):
        return ast.BinOp(_plain(node.left), node.op, _plain(node.right))
    if isinstance(node, ast.Tuple):
        return ast.Tuple([_plain(e) for e in node.elts], ast.Load())
    return node


def plain_type(annotation: ast.expr) -> str:
    """The annotation as the rewritten source spells it, without ``Annotated`` metadata."""
    return ast.unparse(_plain(annotation))
