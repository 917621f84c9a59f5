"""Template output already in black's layout: never a different result, and one black pass instead of two."""

from __future__ import annotations

import ast
import keyword

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.emit.filters import bracketed, py_literal
from generator.emit.format import format_python

# Python names, as the templates emit them: never a keyword (`{"": as}` is not Python).
NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,30}", fullmatch=True).filter(lambda name: not keyword.iskeyword(name))
WIRE = st.text(st.characters(codec="ascii", exclude_categories=("Cc",)), max_size=40)


@given(st.text(max_size=60))
def test_py_literal_reads_back_as_the_same_string(text: str) -> None:
    assert ast.literal_eval(py_literal(text)) == text


@given(st.text(st.characters(codec="ascii", exclude_categories=("Cc",)), max_size=60))
def test_py_literal_is_black_stable(text: str) -> None:
    line = f"x = {py_literal(text)}\n"
    # With both quote kinds inside, black picks the quotes by a rule of its own; that costs a pass, not output.
    if len(line) <= 100 and "\\" not in text and not ("'" in text and '"' in text):
        assert format_python(line, path="t.py") == line


def _dict(pairs: list[tuple[str, str]]) -> list[str]:
    return [f"{py_literal(key)}: {value}" for key, value in pairs]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(WIRE, NAMES), max_size=8), st.sampled_from([4, 8, 12]))
def test_bracketed_dict_changes_nothing_black_decides(pairs: list[tuple[str, str]], depth: int) -> None:
    entries = _dict(pairs)

    def module(statement: str) -> str:  # the statement at ``depth`` columns, as in a generated method
        blocks = ["class C:", "def f(self):", "if self:"][: depth // 4]
        return (
            "".join(" " * (4 * level) + block + "\n" for level, block in enumerate(blocks))
            + " " * depth
            + statement
            + "\n"
        )

    laid_out = module(bracketed(entries, "value = {", "}", depth))
    one_line = module("value = {" + ", ".join(entries) + "}")
    assert format_python(laid_out, path="t.py") == format_python(one_line, path="t.py")
    if not any("\\" in key or ("'" in key and '"' in key) for key, _ in pairs):
        assert format_python(laid_out, path="t.py") == laid_out  # already black's: one pass


@settings(max_examples=40, deadline=None)
@given(st.lists(NAMES, max_size=6))
def test_bracketed_tuple_keeps_blacks_magic_trailing_comma(names: list[str]) -> None:
    entries = [py_literal(name) for name in names]
    laid_out = "x = " + bracketed(entries, "(", ")", 0, magic_comma=True) + "\n"
    written = "x = (" + "".join(f"{entry}, " for entry in entries) + ")\n"  # the old template's form
    assert format_python(laid_out, path="t.py") == format_python(written, path="t.py") == laid_out


def test_bracketed_splits_a_long_literal_as_black_does() -> None:
    entries = [f'"parameterNumber{n}": parameter_number_{n}' for n in range(5)]
    laid_out = "class C:\n    def f(self):\n        " + bracketed(entries, "query = {", "}", 8) + "\n"
    assert laid_out.count("\n") == 9 and format_python(laid_out, path="t.py") == laid_out
