"""Format generated Python with black, in-process, with one explicit mode.

``black.format_str`` formats twice whenever its first pass changed anything: the
second pass is black's workaround for trailing commas the first pass added
("becoming forced trailing commas on pass 2") changing how optional parentheses
are split. When the first pass changed only blank lines and the quotes of
strings (``'a'`` to ``"a"``: same length, no comma or bracket moved), every
line break, comma and bracket is what black already saw, and the second pass
has nothing to work around; ``format_python`` then stops after one pass, which
is most of the second passes on generated code (a blank line after a class
docstring, one too many between methods, the model tool's single quotes).
Anything else gets the second pass, exactly as ``format_str`` does.
``tests/unit/test_emit_format.py`` compares the two on every piece of the
fixtures' output.

A piece black's first pass leaves unchanged needs no second pass at all, so
the templates write the long lines they commonly produce already in black's
layout (the ``import_from``, ``bracketed`` and ``def_line`` filters), and
``layout.pre_layout`` splits long one-line statements (the model tool's field
lines, a template's ``return``) as black would before black runs; the tests ask black that it leaves each of
those layouts alone, and compare the result with ``format_str`` on every piece.
"""

from __future__ import annotations

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

from ..settings import LINE_LENGTH, TARGET_PYTHON
from .layout import pre_layout

# black does not read pyproject.toml when called as a library; this Mode is the
# whole configuration, shared (LINE_LENGTH, TARGET_PYTHON) with the model generator.
MODE = Mode(
    target_versions={TargetVersion[f"PY{TARGET_PYTHON[0]}{TARGET_PYTHON[1]}"]},
    line_length=LINE_LENGTH,
    string_normalization=True,
    is_pyi=False,
)

# One pass of black (what format_str runs once or twice); format_str itself where a black
# release no longer has it.
_ONCE = getattr(black, "_format_str_once", None)


class FormatError(Exception):
    """A template or model produced Python that black cannot parse: a generator bug."""


def format_python(text: str, *, path: str) -> str:
    """``black.format_str(text)``, without the second pass where the first changed blank lines and quotes only."""
    try:
        if _ONCE is None:
            return black.format_str(text, mode=MODE)
        laid_out = pre_layout(text)
        once: str = _ONCE(laid_out, mode=MODE)
        if once == laid_out or _same_but_blank_lines_and_quotes(laid_out, once):
            return once
        twice: str = _ONCE(once, mode=MODE)
        return twice
    except InvalidInput as exc:
        raise FormatError(f"black could not parse generated {path}: {exc}") from exc


def _same_but_blank_lines_and_quotes(before: str, after: str) -> bool:
    """Whether ``after`` is ``before`` with only empty lines added or removed and ``'`` swapped for ``"``.

    A swap that changed anything else (an escape black removed) changes a line's length and fails.
    """
    if len(before) - before.count("\n") != len(after) - after.count("\n"):
        return False
    kept = [line.replace("'", '"') for line in before.split("\n") if line]
    return kept == [line.replace("'", '"') for line in after.split("\n") if line]
