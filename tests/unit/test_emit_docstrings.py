"""Unit tests of generator/emit/prose.py and docstrings.py: spec prose to safe, readable docstrings."""

from __future__ import annotations

import ast
import dataclasses

import pytest

from generator import ir
from generator.emit import docstrings, prose
from generator.settings import LINE_LENGTH
from tests.support import ir_factory as f


def _method_doc(body: str) -> str | None:
    """The __doc__ of a method whose docstring is ``body`` (compiled, so a broken literal raises)."""
    source = f'class C:\n    def m(self) -> None:\n        """{body}"""\n        return None\n'
    tree = ast.parse(source)
    compile(tree, "<doc>", "exec")
    method = tree.body[0].body[0]  # type: ignore[attr-defined]
    assert isinstance(method, ast.FunctionDef) and len(method.body) == 2, "the docstring ended early"
    return ast.get_docstring(method)


# --- html_to_text --------------------------------------------------------------------------------


def test_html_paragraphs_links_code_lists_and_entities_become_plain_text() -> None:
    html = (
        '<p>Creates a <a href="https://ex.com/c">customer</a> with <code>email</code> &amp; more.</p>'
        "<p>Options:</p><ul><li>one <b>bold</b></li><li>two</li></ul><ol><li>first</li><li>second</li></ol>"
    )
    assert prose.html_to_text(html) == (
        "Creates a customer <https://ex.com/c> with ``email`` & more.\n\n"
        "Options:\n\n- one **bold**\n- two\n\n1. first\n2. second"
    )


def test_a_link_whose_text_is_its_address_is_not_repeated() -> None:
    assert prose.html_to_text('<p>See <a href="https://ex.com">https://ex.com</a>.</p>') == "See https://ex.com."


@pytest.mark.parametrize(
    "text",
    ["a < b and c > d", "the <projectId> placeholder", "https://ex.com/?a=1&para=2&amp", "<script>x</script>"],
)
def test_text_without_known_html_tags_is_left_exactly_as_written(text: str) -> None:
    assert prose.html_to_text(text) == text


def test_unknown_tags_inside_html_are_kept_as_text() -> None:
    assert prose.html_to_text("<p>use <projectid> here</p>") == "use <projectid> here"


# --- reflow --------------------------------------------------------------------------------------


def test_a_paragraph_is_rejoined_and_leaves_no_word_alone_on_its_last_line() -> None:
    text = "Creates a new manual job that only runs when\ninitiated via the UI, CLI, API or JS client."
    lines = prose.reflow(text, 40).split("\n")
    assert all(len(line) <= 40 for line in lines)
    assert " " in lines[-1], lines
    assert " ".join(lines) == " ".join(text.split())


def test_reflow_never_splits_a_long_word_or_url() -> None:
    url = "https://example.com/" + "a" * 80
    lines = prose.reflow(f"see {url} now please", 30).split("\n")
    assert url in lines


def test_list_items_keep_their_lines_and_continue_under_their_text() -> None:
    text = "Intro:\n\n- first item " + "word " * 12 + "\n- second"
    paragraphs = prose.reflow(text, 30).split("\n\n")
    assert paragraphs[0] == "Intro:"
    items = paragraphs[1].split("\n")
    assert items[0].startswith("- first") and items[-1] == "- second"
    assert all(line.startswith("  ") for line in items[1:-1])


def test_a_hanging_indent_applies_to_every_line_but_the_first() -> None:
    lines = prose.reflow("name: " + "word " * 20 + "\n\nsecond paragraph", 30, hanging=4).split("\n")
    assert not lines[0].startswith(" ")
    assert all(line.startswith("    ") for line in lines[1:] if line)


# --- operation docstrings ------------------------------------------------------------------------


def test_the_envelope_member_is_named_from_the_ir_not_assumed() -> None:
    wrapped = dataclasses.replace(
        f.case("Resp", result="Job"), envelope=ir.EnvelopeMember(wire_name="payload", python_name="payload")
    )
    op = f.op("getJob", responses=(wrapped,), result_type="Job")
    doc = _method_doc(docstrings.operation_doc(op))
    assert doc is not None and "``payload`` member of the response body" in doc
    plain = f.op("getJob", responses=(f.case("Job", result="Job"),), result_type="Job")
    assert "member of the response body" not in (_method_doc(docstrings.operation_doc(plain)) or "")


def test_the_deprecation_sentence_is_the_warning_and_the_docstring() -> None:
    op = f.op("putJob", deprecated=True, replaced_by="create_job")
    sentence = docstrings.deprecation(op)
    assert sentence == "putjob is deprecated; use create_job instead."
    doc = _method_doc(docstrings.operation_doc(op)) or ""
    assert doc.count(sentence) == 1
    assert docstrings.deprecation(f.op("old", deprecated=True)) == "old is deprecated."


def test_html_in_a_description_reaches_the_docstring_as_text() -> None:
    op = f.op("listThings", summary="List things", description="<p>Lists <code>things</code>.</p><p>Then more.</p>")
    doc = _method_doc(docstrings.operation_doc(op)) or ""
    assert "Lists ``things``.\n\nThen more." in doc
    assert "<p>" not in doc


@pytest.mark.parametrize(
    "hostile",
    [
        'ends """ + __import__("os").system("x") + """',
        "<p>ends &quot;&quot;&quot; + evil() + &quot;&quot;&quot;</p>",
        'a final quote "',
        "a final backslash \\",
        "<p>a final backslash \\</p>",
        "control \x00 \x0b \u2028 characters",
    ],
)
def test_hostile_spec_text_cannot_end_the_docstring(hostile: str) -> None:
    param = f.param("q", description=hostile)
    op = f.op("x", summary=hostile, description=hostile + " more", permission=hostile, query_params=(param,))
    doc = _method_doc(docstrings.operation_doc(op))
    plain = prose.html_to_text(hostile)
    assert doc is not None and " ".join(plain.split()) in " ".join(doc.split())


def test_every_docstring_line_fits_the_line_length() -> None:
    words = "alpha beta gamma delta " * 30
    param = f.param("q", description=words)
    op = f.op("x", summary="S", description=words, query_params=(param,))
    body = docstrings.operation_doc(op)
    first, *rest = body.split("\n")  # the first line follows the opening quotes; the rest carry their indent
    assert docstrings.METHOD_INDENT + 3 + len(first) <= LINE_LENGTH
    assert rest and all(len(line) <= LINE_LENGTH for line in rest)
    for section in ("Args:", "Returns:", "Raises:"):
        assert f"\n        {section}\n" in body
