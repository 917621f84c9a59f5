"""black's output for an async class, derived from its sync twin's without running black on it.

Every resource class, raw-response class and client has an async twin: the same
lines, with ``async def`` for ``def``, ``await`` before the client's call and
``Async`` names. When black leaves the sync class exactly as rendered, it leaves
the twin alone too, provided each line where the two differ is one of the shapes
below, whose layout black decides without reading what differs (black
26.10.1's ``linegen.py``; black is pinned). Anything else, and any doubt (a
line that will not tokenize, an unpaired class), goes to black as before; a
wrong pairing costs time, never output. About half of black's work on the API
modules is the async classes, most of the tail of a run on a spec with many
operations.

1. ``def name(`` becomes ``async def name(``, the head of a signature that
   ends in a magic trailing comma and closes on a ``) -> ...:`` line of its
   own. black splits a ``def`` with ``left_hand_split`` (the return type holds
   no magic comma: it would not be on one line), which compares no length: the
   head, the parameters one per line and the closing line are each laid out
   alone, and only the head changed.
2. ``x = f.g(`` or ``return f.g(`` gains ``await``, the head of a call that
   ends in a magic trailing comma and closes on a line of its own. With that
   comma black's right-hand split omits no trailer; the optional parentheses
   around the value are dropped (a dotted name after a name, and ``await``,
   are no delimiters) and the split falls at the call's own bracket, whose
   head fits. Again only the head changed.
3. A line that is a whole statement, with names (not keywords, not the name
   after ``def``) replaced by names, that still fits or ends in a ``# type:
   ignore`` comment: black keeps such a line without a magic trailing comma as
   it is, and renaming changes no spacing.
4. Words inside a triple-quoted string that stands alone (a docstring), away
   from its ends: black's docstring handling re-indents, strips and moves
   closing quotes, all decided by a docstring's edges and its last line.

Both sides are the same number of lines, so blank lines agree too.
``tests/codegen/test_twins.py`` compares the result with black's on every async
class of the test specs and of real specs.
"""

from __future__ import annotations

import io
import keyword
import re
import tokenize
from collections.abc import Sequence

from ..settings import LINE_LENGTH
from .layout import pre_layout

_CLASS = re.compile(r"class ([A-Za-z_]\w*)")
_DEF_HEAD = re.compile(r"( *)def [A-Za-z_]\w*\(")
_CALL_HEAD = re.compile(r"( *)((?:[A-Za-z_]\w* = |return )?)[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\(")
# What a changed docstring's words may hold: nothing black's quote, escape or whitespace handling reads.
_PROSE = re.compile(r"[^\"'\\\t]*")


def pairs(pieces: Sequence[str]) -> dict[int, int]:
    """Among one module's pieces: each ``class AsyncX`` piece's index → its ``class X`` piece's."""
    classes: dict[str, int] = {}
    for index, piece in enumerate(pieces):
        match = _CLASS.match(piece)
        if match:
            classes.setdefault(match.group(1), index)
    return {
        index: classes[name[len("Async") :]]
        for name, index in classes.items()
        if name.startswith("Async") and name[len("Async") :] in classes
    }


def derive(sync: str, sync_formatted: str, twin: str) -> str | None:
    """``format_python(twin)``, given ``sync_formatted == format_python(sync)``, where black leaves
    the twin as it is laid out (``layout.pre_layout``) because it left ``sync`` so; else None."""
    sync, twin = pre_layout(sync), pre_layout(twin)
    if sync_formatted != sync:
        return None
    s_lines = sync.split("\n")
    a_lines = twin.split("\n")
    if len(s_lines) != len(a_lines):
        return None
    differing = [index for index, (s, a) in enumerate(zip(s_lines, a_lines, strict=True)) if s != a]
    if not differing:
        return twin
    try:
        statements = _statements(sync)
    except (tokenize.TokenError, SyntaxError):
        return None
    starts = {statement[0].start[0]: statement for statement in statements}
    strings = {
        row: statement[0]
        for statement in statements
        if len(statement) == 1 and statement[0].type == tokenize.STRING
        for row in range(statement[0].start[0], statement[0].end[0] + 1)
    }
    changed = {index + 1 for index in differing}  # rows, counted from 1 as tokenize does
    for row in sorted(changed):
        s, a = s_lines[row - 1], a_lines[row - 1]
        if not a.isascii():
            return None
        statement = starts.get(row)
        if statement is not None:
            last = statement[-1].start[0]
            if last == row:
                if _renamed(s, a):
                    continue
            elif not changed.intersection(range(row + 1, last + 1)) and _exploded(statement):
                if _async_def(s, a) or _awaited_call(s, a, s_lines[last - 1]):
                    continue
        string = strings.get(row)
        if string is not None and _docstring_words(s, a, string, row):
            continue
        return None
    return twin


def _statements(source: str) -> list[list[tokenize.TokenInfo]]:
    """Each logical line's tokens (no comments, no line breaks), in order."""
    statements: list[list[tokenize.TokenInfo]] = []
    current: list[tokenize.TokenInfo] = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.NEWLINE:
            if current:
                statements.append(current)
            current = []
        elif token.type not in _SKIPPED:
            current.append(token)
    if current:
        statements.append(current)
    return statements


_SKIPPED = frozenset({tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT, tokenize.ENDMARKER})


def _exploded(statement: list[tokenize.TokenInfo]) -> bool:
    """Whether the statement's last line starts with the ``)`` closing its first line's last
    bracket, right after a magic trailing comma, and that line holds no comment."""
    last_row = statement[-1].start[0]
    first_on_last = next(index for index, token in enumerate(statement) if token.start[0] == last_row)
    closing = statement[first_on_last]
    head = [token for token in statement if token.start[0] == statement[0].start[0]]
    return (
        closing.string == ")"
        and first_on_last > 0
        and statement[first_on_last - 1].string == ","
        and head[-1].string == "("
        and "#" not in closing.line
    )


def _async_def(s: str, a: str) -> bool:
    match = _DEF_HEAD.fullmatch(s)
    if match is None:
        return False
    indent = match.group(1)
    return a == f"{indent}async {s[len(indent) :]}" and len(a) <= LINE_LENGTH


def _awaited_call(s: str, a: str, closing: str) -> bool:
    match = _CALL_HEAD.fullmatch(s)
    if match is None:
        return False
    indent, prefix = match.group(1), match.group(2)
    lead = len(indent) + len(prefix)
    return a == f"{s[:lead]}await {s[lead:]}" and len(a) <= LINE_LENGTH and closing == f"{indent})"


def _renamed(s: str, a: str) -> bool:
    """Whether ``a`` is the one-line statement ``s`` with names replaced by names, and fits (or
    ends in a ``# type: ignore`` comment: black never splits such a line)."""
    if "**" in a:
        return False
    try:
        mine, theirs = _line_tokens(s), _line_tokens(a)
    except (tokenize.TokenError, SyntaxError):
        return False
    if len(mine) != len(theirs) or not mine:
        return False
    if len(a) > LINE_LENGTH and not (
        mine[-1].type == tokenize.COMMENT and mine[-1].string.startswith("# type: ignore")
    ):
        return False
    for index, (old, new) in enumerate(zip(mine, theirs, strict=True)):
        if old.string == new.string:
            continue
        if not (old.type == new.type == tokenize.NAME and _plain_name(old.string) and _plain_name(new.string)):
            return False
        if index and mine[index - 1].string == "def":
            return False  # black reads a function's name (its rules for overloads' blank lines)
    return True


def _line_tokens(line: str) -> list[tokenize.TokenInfo]:
    """A one-line statement's tokens, its comment included."""
    readline = io.StringIO(line.lstrip(" ") + "\n").readline
    return [t for t in tokenize.generate_tokens(readline) if t.type not in (tokenize.NEWLINE, tokenize.ENDMARKER)]


def _plain_name(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name) and not keyword.issoftkeyword(name)


def _docstring_words(s: str, a: str, string: tokenize.TokenInfo, row: int) -> bool:
    """Whether ``s`` → ``a``, row ``row`` of the lone string ``string``, changes words away from its edges."""
    if not string.string.startswith('"""'):
        return False
    prefix = 0
    limit = min(len(s), len(a))
    while prefix < limit and s[prefix] == a[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and s[-1 - suffix] == a[-1 - suffix]:
        suffix += 1
    removed, added = s[prefix : len(s) - suffix], a[prefix : len(a) - suffix]
    if suffix == 0 or not (_PROSE.fullmatch(removed) and _PROSE.fullmatch(added)):
        return False
    (first_row, first_col), (last_row, last_col) = string.start, string.end
    if row == last_row and (first_row != last_row or len(s) - suffix > last_col - 4):
        return False  # the last line decides where the closing quotes go; keep a character before them
    if row == first_row:
        return prefix >= first_col + 4  # after the quotes and the first character
    return prefix > len(s) - len(s.lstrip())  # after the line's indentation and first character
