"""Forward references spelled by the module's order, not by the tool's.

The tool quotes a class it has not written yet (``Optional["Account"]``,
``Union[bool, MISSING]`` around it) and rebuilds the model afterwards, by its
own order of the run; models/order.py orders the module itself, so the
spelling is redone here from that order: a class named before it is defined
(itself included) is quoted and the union around it written ``Union[...]``,
every other annotation ``A | B``. A model with such a reference is rebuilt
after the last class. Whichever run a class came from, it reads the same.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection

_WRAPPERS = frozenset({"Union", "Optional"})


def respelled(text: str, *, defined: Collection[str], later: Callable[[str], bool]) -> tuple[str, bool]:
    """A class's ``text`` with its field annotations and base parameters respelled; True when it names
    a class defined after it (``later``), so it needs a rebuild."""
    tree = ast.parse(text)
    node = tree.body[0]
    if not isinstance(node, ast.ClassDef):
        return text, False
    lines = text.split("\n")  # not splitlines(): a string may hold U+2028, which ends no line for ast
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    spans: list[tuple[int, int, str]] = []
    forward = False
    targets = [s.annotation for s in node.body if isinstance(s, ast.AnnAssign)]
    targets += [b.slice for b in node.bases if isinstance(b, ast.Subscript)]
    for expr in targets:
        plain = _plain(expr, defined)
        ahead = {n.id for n in ast.walk(plain) if isinstance(n, ast.Name) and n.id in defined and later(n.id)}
        forward = forward or bool(ahead)
        new = _quoted(plain, ahead) if ahead else plain
        if ast.dump(new) != ast.dump(expr):
            start = _offset(lines, starts, expr.lineno, expr.col_offset)
            end = _offset(lines, starts, expr.end_lineno or expr.lineno, expr.end_col_offset or 0)
            spans.append((start, end, ast.unparse(new)))
    for start, end, new_text in sorted(spans, reverse=True):
        text = text[:start] + new_text + text[end:]
    return text, forward


def _offset(lines: list[str], starts: list[int], lineno: int, col: int) -> int:
    """The character offset of ast's (line, UTF-8 byte column)."""
    line = lines[lineno - 1]
    return starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8"))


def _plain(expr: ast.expr, defined: Collection[str]) -> ast.expr:
    """``expr`` with every quoted class unquoted and every ``Union``/``Optional`` written with ``|``;
    ``Annotated``'s metadata and ``Literal``'s values left as they are."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str) and expr.value in defined:
        return ast.Name(id=expr.value, ctx=ast.Load())
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        return _union([_plain(expr.left, defined), _plain(expr.right, defined)])
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name):
        head = expr.value.id
        items = list(expr.slice.elts) if isinstance(expr.slice, ast.Tuple) else [expr.slice]
        if head in _WRAPPERS:
            members = [_plain(i, defined) for i in items]
            return _union(members + ([ast.Constant(value=None)] if head == "Optional" else []))
        if head == "Literal":
            return expr
        if head == "Annotated":
            items = [_plain(items[0], defined), *items[1:]]
        else:
            items = [_plain(i, defined) for i in items]
        inner = ast.Tuple(elts=items, ctx=ast.Load()) if isinstance(expr.slice, ast.Tuple) else items[0]
        return ast.Subscript(value=expr.value, slice=inner, ctx=ast.Load())
    return expr


def _members(expr: ast.expr) -> list[ast.expr]:
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        return _members(expr.left) + _members(expr.right)
    return [expr]


def _union(members: list[ast.expr]) -> ast.expr:
    flat = [m for member in members for m in _members(member)]
    result = flat[0]
    for member in flat[1:]:
        result = ast.BinOp(left=result, op=ast.BitOr(), right=member)
    return result


def _quoted(expr: ast.expr, ahead: set[str]) -> ast.expr:
    """``expr`` with the classes of ``ahead`` quoted, and each union holding one as ``Union[...]``
    (a quoted name cannot take part in ``|`` when the class is created)."""
    if isinstance(expr, ast.Name) and expr.id in ahead:
        return ast.Constant(value=expr.id)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        members = [_quoted(m, ahead) for m in _members(expr)]
        if any(isinstance(m, ast.Constant) and isinstance(m.value, str) for m in members):
            return ast.Subscript(
                value=ast.Name(id="Union", ctx=ast.Load()),
                slice=ast.Tuple(elts=members, ctx=ast.Load()),
                ctx=ast.Load(),
            )
        return _union(members)
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name) and expr.value.id != "Literal":
        items = list(expr.slice.elts) if isinstance(expr.slice, ast.Tuple) else [expr.slice]
        if expr.value.id == "Annotated":
            items = [_quoted(items[0], ahead), *items[1:]]
        else:
            items = [_quoted(i, ahead) for i in items]
        inner = ast.Tuple(elts=items, ctx=ast.Load()) if isinstance(expr.slice, ast.Tuple) else items[0]
        return ast.Subscript(value=expr.value, slice=inner, ctx=ast.Load())
    return expr
