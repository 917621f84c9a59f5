"""Format generated Python with black, in-process, with one explicit mode.

``black.format_str`` formats twice whenever its first pass changed anything: the
second pass is black's workaround for trailing commas the first pass added
("optional trailing commas (becoming forced trailing commas on pass 2)
interacting differently with optional parentheses"). Black adds commas only as
trailing commas when it explodes brackets, and in its default mode never removes
one; so when the first pass left the number of commas unchanged, it added none,
the second pass sees the same magic trailing commas the first saw, and
``format_python`` stops after one pass. That covers every change of blank lines,
quotes and escapes, and every split black makes without exploding a collection
(a long annotation or conditional argument put in parentheses, a class's bases
on their own line): on GitHub's spec all 488 second passes left their input
unchanged, and 368 of them added no comma. Where commas were added, the second
pass runs exactly as in ``format_str``. ``tests/unit/test_emit_format.py``
compares the two on every piece of the fixtures' output.

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
    """``black.format_str(text)``, without the second pass where the first added no comma."""
    try:
        if _ONCE is None:
            return black.format_str(text, mode=MODE)
        laid_out = pre_layout(text)
        once: str = _ONCE(laid_out, mode=MODE)
        if not added_commas(laid_out, once):
            return once
        twice: str = _ONCE(once, mode=MODE)
        return twice
    except InvalidInput as exc:
        raise FormatError(f"black could not parse generated {path}: {exc}") from exc


def added_commas(before: str, after: str) -> bool:
    """Whether black's pass from ``before`` to ``after`` added a (trailing) comma: the one change its
    second pass is for. Strings keep their commas (only their quotes and escapes change)."""
    return after.count(",") != before.count(",")
