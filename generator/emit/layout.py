"""Long one-line statements split the way black splits them, before black sees them.

black formats a piece twice whenever its first pass added a comma (format.py): most second passes
on generated code are long one-line statements the first pass exploded, adding a trailing comma,
such as the model tool's ``name: Annotated[str, Field(alias='x', pattern='...')]``. Split here at
the same place, such a piece comes out of black's first pass unchanged but for its quotes, and the
second pass is skipped.

The rule is black's right-hand split, for the shapes generated code has: a statement (``x: T = v``,
``X = v``, ``return v``) too long for its line is split at its last bracket pair; the contents go on
one line below when they fit, else one per line with a trailing comma, and a line still too long
is split the same way in turn. Anything else (a statement black would split elsewhere, an operand
with no brackets, a comment) is left as it is for black. A layout black disagrees with costs only
the second pass; black's output is the result either way, since nothing here adds a trailing comma
where black would not (tests/unit/test_emit_format.py compares with ``black.format_str`` on every
piece of the fixtures' output).
"""

from __future__ import annotations

import ast
import re

from ..pyast import union_operands
from ..settings import LINE_LENGTH

# How a line that ``_statement`` may split starts: ``return``, ``name =``, ``target: annotation``.
_STATEMENT = re.compile(r" *(?:return\b|[A-Za-z_]\w*\s*=(?!=)|[A-Za-z_][\w.]*(?:\[[^\]]*\])?\s*:)")


def pre_layout(text: str) -> str:
    """``text`` with each too-long one-line statement split as black would split it."""
    lines = text.split("\n")
    # Only the statements below can be split here: a long line that cannot start one (a docstring's
    # URL, ``self.x = f(...)``) costs no parse.
    if not any(len(line) > LINE_LENGTH and _STATEMENT.match(line) for line in lines):
        return text
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    for node in ast.walk(tree):
        if not isinstance(node, (ast.AnnAssign, ast.Assign, ast.Return)) or node.lineno != node.end_lineno:
            continue
        line = lines[node.lineno - 1]
        indent = node.col_offset
        if len(line) <= LINE_LENGTH or not line.isascii() or line[:indent].strip():
            continue
        if node.end_col_offset != len(line):  # a comment or another statement after it
            continue
        laid_out = _statement(line[indent:], indent)
        if laid_out is not None:
            lines[node.lineno - 1] = " " * indent + laid_out
    return "\n".join(lines)


def _statement(source: str, indent: int) -> str | None:
    try:
        node = ast.parse(source).body[0]
    except (SyntaxError, IndexError):
        return None
    if isinstance(node, ast.AnnAssign):
        if node.value is not None and not _bracketless(node.value):
            return None  # black would split the value's brackets, not the annotation's
        if node.value is not None:
            # black keeps the value's own (invisible) parentheses, the value alone inside them,
            # when the left side holds brackets and fits up to the opening one (_prefer_split_rhs_oop).
            head = source[: node.value.col_offset] + "("
            if not head.endswith("= (") or not any(c in "([{" for c in head[:-1]):
                return None
            if indent + len(head) <= LINE_LENGTH:
                return f"{head}\n{' ' * (indent + 4)}{source[node.value.col_offset :]}\n{' ' * indent})"
        split = node.annotation
    elif isinstance(node, (ast.Assign, ast.Return)) and node.value is not None:
        if isinstance(node, ast.Assign) and not (len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            return None
        split = node.value
    else:
        return None
    return _split(source, split, indent)


def _bracketless(node: ast.expr) -> bool:
    return isinstance(node, (ast.Name, ast.Constant)) or (isinstance(node, ast.Attribute) and _bracketless(node.value))


def _split(source: str, node: ast.expr, indent: int, *, skip: int = 0, cut: int = 0, trailer: str = "") -> str | None:
    """``source[skip:len - cut] + trailer``, one line at ``indent``, split at the brackets of ``node``.

    ``node`` (positions in ``source``) must hold the line's last bracket pair, as black's
    right-hand split requires.
    """
    while isinstance(node, ast.Attribute):  # `parse_json(...).root`: the call's brackets are the last
        node = node.value
    parts = _parts(source, node)
    if parts is None or node.end_col_offset is None:
        return None
    head, items, closing = parts
    head = head[skip:]
    rest = source[node.end_col_offset : len(source) - cut]
    tail = closing + rest + trailer
    if any(c in "([{" for c in rest) or head + ", ".join(items) + closing + rest != source[skip : len(source) - cut]:
        return None
    if indent + len(head) > LINE_LENGTH or indent + len(tail) > LINE_LENGTH:
        return None
    inner = indent + 4
    body = ", ".join(items)
    if inner + len(body) <= LINE_LENGTH:
        return f"{head}\n{' ' * inner}{body}\n{' ' * indent}{tail}"
    if len(items) == 1:  # no comma to split at: black splits the item at its own brackets, if it can
        only = split_item(items[0], inner, trailer="")
        return f"{head}\n{' ' * inner}{only}\n{' ' * indent}{tail}"
    lines = []
    for item in items:  # black's split at the commas, which adds the trailing one
        line = item + ","
        if inner + len(line) > LINE_LENGTH:
            line = split_item(item, inner, trailer=",")
        lines.append(" " * inner + line)
    return head + "\n" + "\n".join(lines) + "\n" + " " * indent + tail


def split_item(item: str, indent: int, *, trailer: str) -> str:
    """One item (an expression or ``name=value``) and ``trailer`` at ``indent``, split at its own last
    brackets as black would when the line is too long; as it is otherwise (black decides)."""
    if indent + len(item) + len(trailer) <= LINE_LENGTH or not item.isascii():
        return item + trailer
    return _split_item(item, indent, trailer=trailer) or item + trailer


def _split_item(item: str, indent: int, *, trailer: str) -> str | None:
    wrapped = f"_({item})"  # parsed as the argument it is, so `pattern=...` parses too
    try:
        call = ast.parse(wrapped, mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(call, ast.Call) or len(call.args) + len(call.keywords) != 1:
        return None
    node = call.args[0] if call.args else call.keywords[0].value
    return _split(wrapped, node, indent, skip=2, cut=1, trailer=trailer)


def _parts(source: str, node: ast.expr) -> tuple[str, list[str], str] | None:
    """The text up to ``node``'s opening bracket, its items' texts, and its closing bracket."""
    elements: list[ast.expr | ast.keyword]
    if isinstance(node, ast.Call):
        elements = sorted((*node.args, *node.keywords), key=lambda e: (e.lineno, e.col_offset))
        opening = node.func.end_col_offset
    elif isinstance(node, ast.Subscript):
        inside = node.slice
        elements = list(inside.elts) if isinstance(inside, ast.Tuple) else [inside]
        opening = node.value.end_col_offset
    elif isinstance(node, (ast.List, ast.Set)):
        elements, opening = list(node.elts), node.col_offset
    else:
        return None
    if opening is None or node.end_col_offset is None or not elements:
        return None
    brackets = {"(": ")", "[": "]", "{": "}"}
    if source[opening : opening + 1] not in brackets:
        return None
    items = [ast.get_source_segment(source, e) or "" for e in elements]
    if not all(items):
        return None
    return source[: opening + 1], items, brackets[source[opening]]


def parameter(name: str, hint: str, default: str | None, indent: int) -> str:
    """A parameter line of an exploded ``def`` (``name: hint = default,``) as black lays it out.

    Too long for its line, black puts a union annotation in parentheses, on one line below when it
    fits, else one ``|`` operand per line (the first split at its own brackets if it must be); an
    annotation without a default that is one subscript (``Literal[...]``) is split at its brackets.
    Other shapes are left on one line, to black.
    """
    line = f"{name}: {hint}" + ("" if default is None else f" = {default}") + ","
    if indent + len(line) <= LINE_LENGTH or not line.isascii():
        return line
    try:
        statement = ast.parse(f"{name}: {hint}").body[0]
    except (SyntaxError, IndexError):
        return line
    if not isinstance(statement, ast.AnnAssign):
        return line
    node = statement.annotation
    if default is None and isinstance(node, ast.Subscript):
        split = _split(f"{name}: {hint}", node, indent, trailer=",")
        return line if split is None else split
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr)):
        return line
    tail = ")," if default is None else f") = {default},"
    return _wrapped(f"{name}: (", tail, f"{name}: {hint}", node, indent) or line


def body_argument(model: str, *, optional: bool, indent: int) -> str:
    """The request call's ``body=`` argument, validated as ``model`` (``None`` passed through when
    ``optional``), with its trailing comma, as black lays it out at ``indent`` when too long.

    black splits the call at its brackets; a conditional it puts in parentheses, on one line below
    when it fits, else one clause per line, the last split at the call's brackets if it must be.
    """
    call = f"validate_body({model}, body)"
    if not optional:
        return split_item(f"body={call}", indent, trailer=",")
    line = f"body=None if body is None else {call},"
    inner = indent + 4
    if indent + len(line) <= LINE_LENGTH or not line.isascii() or indent + len("body=(") > LINE_LENGTH:
        return line
    if inner + len(line) - len("body=,") <= LINE_LENGTH:
        body = [line[len("body=") : -1]]
    elif inner + len(f"else {call}") <= LINE_LENGTH:
        body = ["None", "if body is None", f"else {call}"]
    elif inner + 4 + len(f"{model}, body") <= LINE_LENGTH:
        body = ["None", "if body is None", "else validate_body(", f"    {model}, body", ")"]
    else:
        body = ["None", "if body is None", "else validate_body(", f"    {model},", "    body,", ")"]
    return "body=(" + "".join(f"\n{' ' * inner}{part}" for part in body) + f"\n{' ' * indent}),"


def return_line(returns: str, indent: int) -> str:
    """The last line of an exploded signature, ``) -> returns:``, as black lays it out at ``indent``.

    Too long, black splits the annotation: a union in parentheses, a subscript of one item at its
    brackets; the contents on one line below when they fit, else a union one ``|`` operand per
    line. Other shapes are left on one line, to black.
    """
    line = f") -> {returns}:"
    if indent + len(line) <= LINE_LENGTH or not line.isascii():
        return line
    try:
        node = ast.parse(returns, mode="eval").body
    except SyntaxError:
        return line
    contents: ast.expr
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        head, tail, contents = ") -> (", "):", node
    elif isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Tuple):
        value = ast.get_source_segment(returns, node.value)
        head, tail, contents = f") -> {value}[", "]:", node.slice
    else:
        return line
    return _wrapped(head, tail, returns, contents, indent) or line


def _wrapped(head: str, tail: str, source: str, contents: ast.expr, indent: int) -> str | None:
    """``head``, the expression ``contents`` (positions in ``source``) and ``tail`` on lines of their
    own as black writes a split annotation: the contents on one line when they fit, else one ``|``
    operand per line, the first split at its own brackets if it must be. None where black would
    lay it out otherwise (a part still too long, which it splits further)."""
    if indent + len(head) > LINE_LENGTH or indent + len(tail) > LINE_LENGTH:
        return None
    inner = indent + 4
    text = ast.get_source_segment(source, contents) or ""
    if inner + len(text) <= LINE_LENGTH:
        body = [text]
    else:
        operands = [ast.get_source_segment(source, operand) or "" for operand in union_operands(contents)]
        if len(operands) < 2:
            return None
        body = [split_item(operands[0], inner, trailer=""), *(f"| {op}" for op in operands[1:])]
        # The first operand's own lines (its brackets' contents, at their own depth) must fit too.
        if any(len(part) > LINE_LENGTH for part in body[0].split("\n")[1:]) or any(
            inner + len(part) > LINE_LENGTH for part in body[1:]
        ):
            return None
    return head + "".join(f"\n{' ' * inner}{part}" for part in body) + f"\n{' ' * indent}{tail}"
