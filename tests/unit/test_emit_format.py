"""format_python is black.format_str, one pass shorter where the first pass added no comma."""

from __future__ import annotations

from pathlib import Path

import black
import pytest

from generator.emit import chunks, format
from generator.emit.filters import bracketed, def_line, import_from
from generator.emit.format import MODE, FormatError, format_python
from generator.emit.layout import body_argument, parameter, pre_layout, return_line
from generator.emit.render import render
from generator.pipeline import run
from generator.provenance.fingerprint import tool_versions
from generator.settings import Settings
from tests.support.real_specs import GOVUK_PAY
from tests.support.repo import FIXTURES, SPEC


def _count_passes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    once = format._ONCE
    assert once is not None, "black has no _format_str_once: format_python falls back to format_str"

    def counting(text: str, *, mode: black.Mode) -> str:
        seen.append(text)
        result: str = once(text, mode=mode)
        return result

    monkeypatch.setattr(format, "_ONCE", counting)
    return seen


def test_a_blank_line_change_takes_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    source = 'class A:\n    """Doc."""\n    x: int\n\n\n\n    def f(self) -> None:\n        pass\n'
    passes = _count_passes(monkeypatch)
    assert format_python(source, path="m.py") == black.format_str(source, mode=MODE)
    assert len(passes) == 1


def test_a_quote_change_takes_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    source = "class A:\n    x: str = Field(alias='a', pattern='^[a-z]+$')\n"
    passes = _count_passes(monkeypatch)
    assert format_python(source, path="m.py") == black.format_str(source, mode=MODE) != source
    assert len(passes) == 1


def test_an_escape_black_drops_takes_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    source = "x = 'it\\'s'\n"
    passes = _count_passes(monkeypatch)
    assert format_python(source, path="m.py") == black.format_str(source, mode=MODE) == 'x = "it\'s"\n'
    assert len(passes) == 1


_TYPE = "ReposUpdatePullRequestReviewProtectionRequest"


@pytest.mark.parametrize(
    "source",
    [
        # a long conditional argument: black puts it in parentheses, one part per line
        f"def f(self):\n    return self._client.request(\n        endpoint,\n"
        f"        body=None if body is None else validate_body({_TYPE}, body),\n        parse=_parse,\n    )\n",
        # a long parameter annotation: black puts it in parentheses
        f"def f(\n    self,\n    *,\n    body: {_TYPE} | {_TYPE}Contexts | None = None,\n) -> None:\n    pass\n",
        # a long class line: the bases go on a line of their own
        f"class {_TYPE}Something({_TYPE}Base[{_TYPE} | None]):\n    root: int\n",
    ],
    ids=["conditional-argument", "parameter-annotation", "class-bases"],
)
def test_a_split_that_adds_no_comma_takes_one_pass(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    passes = _count_passes(monkeypatch)
    formatted = format_python(source, path="m.py")
    assert formatted == black.format_str(source, mode=MODE) != source
    assert formatted.count("\n") > source.count("\n"), "black split a line"
    assert len(passes) == 1


def test_any_other_change_takes_black_s_second_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    source = "x = {" + ", ".join(f"'key{i}': 'a string long enough'" for i in range(5)) + "}\n"  # a dict: left to black
    passes = _count_passes(monkeypatch)
    assert format_python(source, path="m.py") == black.format_str(source, mode=MODE)
    assert len(passes) == 2


def test_formatted_source_takes_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    source = black.format_str("x = [1,2]\n", mode=MODE)
    passes = _count_passes(monkeypatch)
    assert format_python(source, path="m.py") == source
    assert len(passes) == 1


def test_unparsable_source_names_the_file() -> None:
    with pytest.raises(FormatError, match=r"m\.py"):
        format_python("def (:\n", path="m.py")


@pytest.mark.slow  # black twice over every generated module
@pytest.mark.parametrize("spec", [SPEC, GOVUK_PAY, *sorted((FIXTURES / "specs").glob("*.yaml"))], ids=lambda p: p.name)
def test_every_generated_piece_formats_as_black_format_str(spec: Path, tmp_path: Path) -> None:
    result = run(Settings(spec=spec, out=tmp_path / "out", cache=False))
    assert result.api is not None and result.models is not None, result.diagnostics.render()
    rendered = render(result.api, result.models, tool_versions())
    one_pass = laid_out = 0
    for path, text in rendered.files.items():
        if path.suffix != ".py" or path in rendered.verbatim:
            continue
        for piece in chunks.pieces(text):
            expected = black.format_str(piece, mode=MODE)
            assert format_python(piece, path=str(path)) == expected, path
            one_pass += expected != piece and not format.added_commas(piece, expected)
            split = pre_layout(piece)
            laid_out += split != piece and not format.added_commas(split, expected)
    assert one_pass, "no piece took the one-pass path: the test would show nothing"
    if spec in (SPEC, GOVUK_PAY):  # specs with long model fields: pre_layout does black's split
        assert laid_out, "no piece was split by pre_layout as black splits it"


@pytest.mark.parametrize("indent", [0, 4])
@pytest.mark.parametrize("count", [1, 3, 5, 6, 7, 12])
def test_import_lines_are_written_as_black_writes_them(indent: int, count: int) -> None:
    """Around the line-length limit, black's one pass leaves the filter's import unchanged (so no second pass)."""
    names = [f"ModelNumber{i:02d}Request" for i in range(count)]  # 23 characters each
    line = import_from(names, "..models", indent)
    source = "if True:\n    " + line + "\n" if indent else line + "\n"
    assert black.format_str(source, mode=MODE) == source


_SHORT_SCHEMA = 'schema=\'{"type": ["integer"]}\''
_LONG_SCHEMA = 'schema=\'{"pattern": ["' + "[0-9]{4}-" * 12 + '"], "type": ["string"]}\''


@pytest.mark.parametrize(
    "entries",
    [
        ['ParamEncoding("id", "path", "simple", False)'],  # fits: one line
        [f'ParamEncoding("image_definition_id", "path", "simple", False, {_SHORT_SCHEMA})'] * 2,  # args below
        [f'ParamEncoding("before", "query", "form", True, {_LONG_SCHEMA})', 'ParamEncoding("a", "query")'],
    ],
    ids=["short", "arguments-below", "one-per-line"],
)
def test_long_entries_are_written_as_black_writes_them(entries: list[str]) -> None:
    """A call too long for its line in an exploded literal is laid out as black would: no second pass."""
    source = "_E = Endpoint(\n    " + bracketed(entries, "params=(", ")", 4, ",", magic_comma=True) + "\n)\n"
    assert black.format_str(source, mode=MODE) == source


@pytest.mark.parametrize("name_length", [10, 60, 90])
def test_long_def_lines_are_written_as_black_writes_them(name_length: int) -> None:
    source = (
        def_line("_parse_" + "x" * name_length, ["response: httpx.Response"], "ActionsCacheStorageLimit")
        + "\n    pass\n"
    )
    assert black.format_str(source, mode=MODE) == source


_LONG_NAME = "ActionsListSelectedRepositoriesEnabledGithubActionsOrganizationResponse"


@pytest.mark.parametrize(
    ("text", "indent"),
    [
        (f"return parse_json({_LONG_NAME}, response.content)", 4),
        (f"return parse_json({_LONG_NAME}, response.content).root", 8),
        (f"return parse_json({_LONG_NAME}{_LONG_NAME}, response.content).root", 4),  # one per line
        (f'self.update: FakeOperation[User, {_LONG_NAME} | None] = api._operation("account.update")', 8),
        (f"return parse_json({_LONG_NAME}, response.content).root if is_json(response) else response.content", 4),
        (f"return {_LONG_NAME}", 4),  # not a call: black's business
    ],
    ids=["call", "call-attribute", "one-per-line", "assignment", "conditional", "no-call"],
)
def test_long_statements_are_written_as_black_writes_them(text: str, indent: int) -> None:
    """Where pre_layout splits a statement, black leaves the split alone; elsewhere it leaves the text to black."""
    source = "def f():\n" + ("    if True:\n" if indent == 8 else "") + " " * indent + text + "\n"
    laid_out = pre_layout(source)
    if laid_out == source:
        assert black.format_str(source, mode=MODE) != source or len(text) + indent <= 100
    else:
        assert black.format_str(laid_out, mode=MODE) == laid_out


def test_long_def_lines_split_at_the_parameters_whatever_the_return_type() -> None:
    source = def_line("_parse_" + "x" * 70, ["response: httpx.Response"], "list[ContentFile] | bytes") + "\n    pass\n"
    assert "\n" in source.strip() and black.format_str(source, mode=MODE) == source


_PATTERN = "^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$"


@pytest.mark.parametrize(
    "line",
    [
        f"    tag: Annotated[str, Field(max_length=39, min_length=3, pattern='{_PATTERN}{_PATTERN}')]",
        f"    tag: Annotated[str | MISSING, Field(alias='tagName', pattern='{_PATTERN}')] = MISSING",
        f"    tag: Annotated[str | MISSING, Field(alias='tagName', pattern='{_PATTERN * 3}')] = MISSING",
        f"    image_path: Annotated[str, Field(alias='imagePath', pattern='{_PATTERN * 4}')]",
        f"Tag = Annotated[str, Field(max_length=39, min_length=3, pattern='{_PATTERN}{_PATTERN}')]",
        f"    tags: Annotated[list[str], Field(examples=[['{'a' * 40}', '{'b' * 40}', '{'c' * 40}']])]",
    ],
    ids=["no-default", "default-in-parentheses", "default-split-annotation", "nested", "alias", "nested-list"],
)
def test_model_lines_are_split_as_black_splits_them(line: str) -> None:
    """pre_layout's split of a long model line is black's own: its first pass changes only the quotes."""
    source = ("class A(ApiModel):\n" if line.startswith(" ") else "") + line + "\n"
    laid_out = pre_layout(source)
    assert laid_out != source
    formatted = black.format_str(source, mode=MODE)
    assert not format.added_commas(laid_out, formatted)
    assert [line.replace("'", '"') for line in laid_out.splitlines()] == formatted.splitlines()


def _in_signature(line: str) -> str:
    head = "class R:\n    def f(\n        self,\n        *,\n"
    return f"{head}        {line}\n        timeout: float = 1,\n    ) -> None:\n        pass\n"


def _hints() -> list[tuple[str, str | None]]:
    values = [f'"{"v" * (3 + (7 * i) % 26)}"' for i in range(16)]
    found: list[tuple[str, str | None]] = []
    for count in (1, 3, 6, 10, 16):
        literal = f"Literal[{', '.join(values[:count])}]"
        found += [
            (literal, None),
            (f"{literal} | None", "None"),
            (f"list[{literal}] | None", "None"),
            (f"{literal} | ReposSetStatusCheckContextsRequestContexts | None", "None"),
            (f"{literal} | Literal[{', '.join(values[:2])}] | None", "None"),
        ]
    unions = [
        (f"{_TYPE} | {_TYPE}Contexts | None", "None"),
        ("dict[str, Any] | Mapping[str, Any] | None", "None"),
        # a required body of several shapes: no default
        (f"{_TYPE} | {_TYPE}Contexts | {_TYPE}Other", None),
        (f"{_TYPE} | Mapping[str, Any]", None),
        (f"{_TYPE}{'X' * 60} | Mapping[str, Any]", None),
    ]
    return [*found, *unions]


@pytest.mark.parametrize("name", ["x", "activity_type", "a_parameter_name_of_forty_characters_xx"])
@pytest.mark.parametrize(("hint", "default"), _hints())
def test_parameters_are_written_as_black_writes_them(name: str, hint: str, default: str | None) -> None:
    """The signature's parameter lines: what black's pass over the one-line form gives, so the
    filter's text passes black unchanged; too long for the line, every shape here is split."""
    one_line = f"{name}: {hint}" + ("" if default is None else f" = {default}") + ","
    laid_out = parameter(name, hint, default, 8)
    assert _in_signature(laid_out) == black.format_str(_in_signature(one_line), mode=MODE)
    assert (laid_out != one_line) == (8 + len(one_line) > 100)


@pytest.mark.parametrize(("hint", "default"), _hints()[::4])
def test_a_parameter_name_too_long_for_black_s_layout_is_left_to_black(hint: str, default: str | None) -> None:
    name = "n" * 95  # `name: Literal[` or `name: (` alone is over the line length
    one_line = f"{name}: {hint}" + ("" if default is None else f" = {default}") + ","
    assert parameter(name, hint, default, 8) == one_line


@pytest.mark.parametrize("optional", [True, False])
@pytest.mark.parametrize("length", range(20, 130, 3))
def test_body_arguments_are_written_as_black_writes_them(length: int, optional: bool) -> None:
    """The request call's ``body=`` line for model names of every length around black's thresholds:
    the filter's text is what black makes of the one-line form, so black leaves it unchanged."""
    model = ("ReposUpdatePullRequestReviewProtectionRequest" * 3)[:length]
    value = f"None if body is None else validate_body({model}, body)" if optional else f"validate_body({model}, body)"
    call = "class R:\n    def f(self) -> None:\n        response = self._client.request(\n            _X,\n"
    laid_out = body_argument(model, optional=optional, indent=12)
    one_line = f"{call}            body={value},\n            parse=_p,\n        )\n"
    assert f"{call}            {laid_out}\n            parse=_p,\n        )\n" == black.format_str(one_line, mode=MODE)


def test_pre_layout_parses_only_when_a_long_line_can_start_a_statement(monkeypatch: pytest.MonkeyPatch) -> None:
    import ast

    from generator.emit import layout

    url = "    [the docs](https://example.com/" + "a" * 100 + ")"
    raw = "        self.get_a_long_operation_name = raw_response(resource.get_a_long_operation_name_" + "x" * 20 + ")"
    long_call = "        response = parse_json(" + ", ".join(["SomeLongModelNameForTheResponse"] * 4) + ")"
    source = f'def f():\n    """Doc.\n\n{url}\n    """\n{raw}\n'
    parsed: list[str] = []
    original = ast.parse
    monkeypatch.setattr(layout.ast, "parse", lambda text, *a, **k: parsed.append(text) or original(text, *a, **k))
    assert pre_layout(source) == source
    assert parsed == []  # a docstring's URL and an attribute's assignment: nothing to split, nothing parsed
    laid_out = pre_layout(f"def f():\n{long_call}\n")
    assert parsed and laid_out.count("\n") > 2  # a name's assignment too long: parsed and split


def _return_types() -> list[str]:
    names = [f"{'Labeled' * (1 + i % 3)}IssueEvent{i}" for i in range(12)]
    found = []
    for count in (1, 2, 4, 7, 12):
        union = " | ".join(names[:count])
        found += [union, f"list[{union}]", f"list[{union}] | None", f"dict[str, {union}]"]
    return [*found, "list[" + "X" * 110 + "]", "X" * 110, "list[" + "X" * 110 + " | int]"]


@pytest.mark.parametrize("returns", _return_types())
def test_return_lines_are_written_as_black_writes_them(returns: str) -> None:
    """An exploded signature's last line: black leaves the filter's text as it is, where the filter
    splits it; where the filter leaves a long line, black's result is what it would be anyway."""
    head = "class R:\n    def f(\n        self,\n"
    one_line = f"{head}    ) -> {returns}:\n        pass\n"
    laid_out = f"{head}    {return_line(returns, 4)}\n        pass\n"
    formatted = black.format_str(one_line, mode=MODE)
    assert black.format_str(laid_out, mode=MODE) == formatted
    if laid_out != one_line:
        assert laid_out == formatted
