"""Unit tests of generator/emit/filters.py, checked by compiling and evaluating the results (no black)."""

from __future__ import annotations

import ast
import dataclasses
import io
import tokenize
from typing import Any

import pytest

from generator.emit import filters
from generator.ir import nodes as ir
from generator.settings import LINE_LENGTH


def _docstring_value(text: str) -> str | None:
    """The __doc__ a module gets from `\"\"\"<text>\"\"\"` (compiled, so a broken literal raises)."""
    source = f'"""{text}"""\nx = 1\n'
    compile(source, "<doc>", "exec")
    return ast.get_docstring(ast.parse(source), clean=False)


def _param(wire: str, python: str, style: str = "form", explode: bool = True) -> ir.Param:
    return ir.Param(
        wire_name=wire,
        python_name=python,
        location="query",
        required=False,
        type_hint="str",
        description="",
        example="x",
        style=style,
        explode=explode,
    )


# --- docstring_text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "plain words",
        'say """hi""" twice """"',
        'ends with a quote "',
        'ends with two quotes ""',
        '"starts with a quote',
        '""""""',
        "''' single quotes '''",
        "a backslash \\ in the middle",
        "ends with a backslash \\",
        "escapes stay text: \\n \\t \\x00 \\N{BULLET} \\u2028",
        'backslash then quote \\"',
        "control \x00 \x07 \x08 \x0b \x0c \x1b \x7f characters",
        "a lone \r carriage return",
        "line\u2028separator and paragraph\u2029separator",
        "first line\nsecond line\n\nafter a blank",
        "ünïcødé ✓ 名前",
    ],
)
def test_docstring_reads_back_as_the_input(text: str) -> None:
    """Quotes, backslashes and control characters are escaped so the docstring's value is the original text."""
    escaped = filters.docstring_text(text)
    assert "\n" not in escaped or "\n" in text  # no line break is invented for short lines
    assert _docstring_value(escaped) == text


@pytest.mark.parametrize("text", ['say "hi" ', 'say "hi"\n\n  '])
def test_docstring_with_a_quote_before_trailing_whitespace_compiles(text: str) -> None:
    """A quote followed only by whitespace (which is stripped) must still not close the docstring."""
    assert _docstring_value(filters.docstring_text(text)) == text.rstrip()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("\n\nsurrounding newlines\n\n", "surrounding newlines"),
        ("windows\r\nline ends", "windows\nline ends"),
        ("a\ttab", "a    tab"),
        ("trailing spaces   \nnext", "trailing spaces\nnext"),
    ],
)
def test_docstring_normalisations(text: str, value: str) -> None:
    """Line ends become \\n, tabs four spaces, surrounding newlines and trailing spaces go."""
    assert _docstring_value(filters.docstring_text(text)) == value


def test_docstring_wraps_long_lines_at_spaces_only() -> None:
    """Long lines are wrapped at the width on spaces; words and URLs are never broken."""
    url = "https://example.com/" + "a" * 120
    text = " ".join(["word"] * 40) + " " + url + " end"
    escaped = filters.docstring_text(text, width=40)
    lines = escaped.split("\n")
    assert all(len(line) <= 40 or line == url for line in lines)
    assert url in lines
    assert escaped.split() == text.split()
    assert _docstring_value(escaped) is not None


def test_docstring_short_lines_are_not_wrapped() -> None:
    """A line no longer than the width stays one line."""
    text = "x" * 88
    assert filters.docstring_text(text) == text


# --- comment_text, marker_line --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "two\nlines",
        "carriage\rreturn",
        "windows\r\nend",
        "nul\x00 bell\x07 esc\x1b del\x7f",
        "form\x0cfeed vertical\x0btab",
        "separators\u2028and\u2029",
        "  padded  ",
        "x = 1  # not code",
    ],
)
def test_comment_text_stays_one_comment(text: str) -> None:
    """After `# `, the text is a single comment token on one line; the next line is still code."""
    comment = filters.comment_text(text)
    source = f"# {comment}\nx = 1\n"
    compile(source, "<comment>", "exec")
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    comments = [t for t in tokens if t.type == tokenize.COMMENT]
    assert [(t.string, t.start[0]) for t in comments] == [(f"# {comment}", 1)]
    assert ast.parse(source).body[0].lineno == 2
    assert comment == comment.strip()


def test_comment_text_keeps_ordinary_text() -> None:
    """Printable text is left as it is (only line breaks and controls become spaces)."""
    assert filters.comment_text("Jobs API — v2 (beta)") == "Jobs API — v2 (beta)"
    assert filters.comment_text("a\nb\x00c") == "a b c"


def test_marker_line_is_one_line_with_the_marker() -> None:
    """The marker line names the spec path safely and always carries "DO NOT EDIT." (what output.py looks for)."""
    line = filters.marker_line("spec/evil\n{path}.yaml")
    assert "\n" not in line
    assert line == "# Code generated by openapi-client-gen from spec/evil {path}.yaml. DO NOT EDIT."
    compile(line + "\n", "<marker>", "exec")


# --- markdown ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Jobs", "Jobs"),
        ("two\nlines", "two lines"),
        ("  lots \t of\r\n\n  space  ", "lots of space"),
        ("nul\x00here", "nul here"),
    ],
)
def test_markdown_line(text: str, line: str) -> None:
    """A Markdown line has no line breaks and single spaces."""
    assert filters.markdown_line(text) == line


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("```python\nimport os\n```", "\\`\\`\\`python\nimport os\n\\`\\`\\`"),
        ("~~~\ncode", "\\~\\~\\~\ncode"),
        ("`````", "\\`\\`\\`\\`\\`"),
        ("inline `code` and ``two``", "inline `code` and ``two``"),
        ("~~strike~~", "~~strike~~"),
    ],
)
def test_markdown_text_cannot_open_a_fence(text: str, escaped: str) -> None:
    """Runs of three or more backticks or tildes are escaped; shorter ones (inline code) stay."""
    result = filters.markdown_text(text)
    assert result == escaped
    assert not any(line.lstrip().startswith(("```", "~~~")) for line in result.split("\n"))


@pytest.mark.parametrize("text", ["print(1)", "```\nnested\n```", "a ```` b", "``````", "", "~~~"])
def test_markdown_code_fence_cannot_be_closed_by_the_content(text: str) -> None:
    """The fence is longer than any backtick run of the content, and the content is kept verbatim."""
    block = filters.markdown_code(text)
    first, _, rest = block.partition("\n")
    body, _, last = rest.rpartition("\n")
    assert first == last and set(first) == {"`"} and len(first) >= 3
    assert first not in text
    assert body == text


# --- py_literal ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -5,
        10**30,
        "",
        "plain",
        "it's",
        'say "hi"',
        "both ' and \"",
        "back\\slash",
        "nul\x00 newline\n tab\t",
        "ünï 名前",
        "sep\u2028",
        "{braces} %s",
        "\"\"\"'''",
    ],
)
def test_py_literal_evaluates_to_the_value(value: Any) -> None:
    """py_literal gives a literal that compiles and evaluates to the same value of the same type."""
    literal = filters.py_literal(value)
    compile(f"x = {literal}\n", "<literal>", "exec")
    result = ast.literal_eval(literal)
    assert result == value and type(result) is type(value)
    assert "\n" not in literal


@pytest.mark.parametrize(
    ("value", "literal"),
    [("plain", '"plain"'), ("", '""'), ("it's", '"it\'s"'), ('say "hi"', "'say \"hi\"'"), ("a\\b", '"a\\\\b"')],
)
def test_py_literal_prefers_double_quotes(value: str, literal: str) -> None:
    """Strings use black's double quotes unless a quote inside would need changing."""
    assert filters.py_literal(value) == literal


@pytest.mark.parametrize("value", [1.5, [1], {"a": 1}, b"bytes"])
def test_py_literal_refuses_other_types(value: Any) -> None:
    """Only str, int, bool and None are accepted."""
    with pytest.raises(TypeError, match="unsupported literal"):
        filters.py_literal(value)


# --- bracketed, wire_entries, style_entries ------------------------------------------------------


def _entries(count: int, width: int) -> list[str]:
    return [filters.py_literal(f"k{i}".ljust(width, "x")) + f": {i}" for i in range(count)]


def _evaluate(statement: str, indent: int) -> Any:
    """Compile the statement at this indentation and return the value it assigns to x."""
    source = "if True:\n" + " " * indent + statement + "\n" if indent else statement + "\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, "<bracketed>", "exec"), namespace)
    return namespace["x"]


def test_bracketed_on_one_line_when_it_fits() -> None:
    """A short literal stays on one line, entries joined by ', '."""
    assert filters.bracketed(['"a": 1', '"b": 2'], "x = {", "}", 0) == 'x = {"a": 1, "b": 2}'


@pytest.mark.parametrize(("magic_comma", "expected"), [(False, "x = {}"), (True, "x = {}")])
def test_bracketed_empty(magic_comma: bool, expected: str) -> None:
    """No entries give the empty literal, without a comma."""
    assert filters.bracketed([], "x = {", "}", 0, magic_comma=magic_comma) == expected


@pytest.mark.parametrize("indent", [0, 4, 12])
def test_bracketed_splits_when_too_long(indent: int) -> None:
    """A literal longer than the line is split one entry per line, each with a comma, closing at the indent."""
    entries = _entries(6, 20)
    result = filters.bracketed(entries, "x = {", "}", indent)
    lines = result.split("\n")
    assert lines[0] == "x = {"
    assert lines[1:-1] == [" " * (indent + 4) + entry + "," for entry in entries]
    assert lines[-1] == " " * indent + "}"
    assert _evaluate(result, indent) == ast.literal_eval("{" + ", ".join(entries) + "}")


@pytest.mark.parametrize(("extra", "split"), [(0, False), (1, True)])
def test_bracketed_splits_exactly_past_the_line_length(extra: int, split: bool) -> None:
    """A line of exactly LINE_LENGTH columns (indent included) fits; one more column splits it."""
    indent = 8
    opening, closing = "x = [", "]"
    entry = '"' + "a" * (LINE_LENGTH - indent - len(opening) - len(closing) - 2 + extra) + '"'
    result = filters.bracketed([entry], opening, closing, indent)
    assert ("\n" in result) is split
    assert _evaluate(result, indent) == [ast.literal_eval(entry)]


def test_bracketed_trailer_follows_the_closing_bracket() -> None:
    """The trailer ends the one-line form and the last line of the split form."""
    short = filters.bracketed(['"a": a'], "query={", "}", 12, ",")
    assert short == 'query={"a": a},'
    long = filters.bracketed(_entries(6, 20), "query={", "}", 12, ",")
    assert long.endswith("\n" + " " * 12 + "},")


@pytest.mark.parametrize(
    ("entries", "one_line"),
    [
        (['"a"'], True),  # one entry: (x,) stays, black keeps it on one line
        (['"a"', '"b"'], False),  # the magic trailing comma makes black split
    ],
)
def test_bracketed_magic_comma(entries: list[str], one_line: bool) -> None:
    """With magic_comma the one-line form ends with a comma, and two or more entries are always split."""
    result = filters.bracketed(entries, "x = (", ")", 0, magic_comma=True)
    assert ("\n" not in result) is one_line
    if one_line:
        assert result == 'x = ("a",)'
    assert _evaluate(result, 0) == tuple(ast.literal_eval(e) for e in entries)


def test_bracketed_never_splits_non_ascii() -> None:
    """A line holding non-ASCII text is left to black (it counts wide characters differently)."""
    entries = [filters.py_literal("名前" * 30), filters.py_literal("ü" * 60)]
    result = filters.bracketed(entries, "x = [", "]", 0)
    assert "\n" not in result
    assert _evaluate(result, 0) == ["名前" * 30, "ü" * 60]


@pytest.mark.parametrize("wire", ["teamId", "X-Trace-Id", 'quote"and\\backslash', "it's", "名前", "a\nb"])
def test_wire_entries_map_wire_names_to_python_names(wire: str) -> None:
    """wire_entries gives `"wire": python_name` entries that evaluate to {wire: value}, whatever the wire name."""
    params = [_param(wire, "first"), _param("other", "second")]
    entries = filters.wire_entries(params)
    assert entries[1] == '"other": second'
    literal = filters.bracketed(entries, "x = {", "}", 0)
    namespace: dict[str, Any] = {"first": 1, "second": 2}
    exec(compile(literal + "\n", "<wire>", "exec"), namespace)
    assert namespace["x"] == {wire: 1, "other": 2}


def test_param_encodings_evaluate_to_the_parameters_encoding() -> None:
    """param_encodings gives ``ParamEncoding(...)`` calls that evaluate to each parameter's wire facts."""
    from northflank_jobs._encoding import ParamEncoding

    params = [_param("ids", "ids", "form", False), _param('we"ird', "weird", "deepObject", True)]
    params.append(dataclasses.replace(params[0], wire_name="q", allow_reserved=True))
    entries = filters.param_encodings(params)
    assert entries[0] == 'ParamEncoding("ids", "query", "form", False)'
    literal = filters.bracketed(entries, "x = (", ")", 0, magic_comma=True)
    assert eval(literal.removeprefix("x = "), {"ParamEncoding": ParamEncoding}) == (
        ParamEncoding("ids", "query", "form", False),
        ParamEncoding('we"ird', "query", "deepObject", True),
        ParamEncoding("q", "query", "form", False, allow_reserved=True),
    )


@pytest.mark.parametrize(
    ("requirements", "expected"),
    [((), ()), (((),), ((),)), ((("a",),), (("a",),)), ((("a", "b"), ("c",)), (("a", "b"), ("c",)))],
)
def test_requirement_entries_evaluate_to_the_alternatives(
    requirements: tuple[tuple[str, ...], ...], expected: tuple[tuple[str, ...], ...]
) -> None:
    literal = filters.bracketed(filters.requirement_entries(list(requirements)), "x = (", ")", 0, magic_comma=True)
    assert eval(literal.removeprefix("x = ")) == expected


def test_indent_lines_leaves_blank_lines_empty() -> None:
    """indent_lines prefixes non-empty lines only, so no trailing whitespace appears."""
    assert filters.indent_lines("a\n\nb", "    ") == "    a\n\n    b"
