"""black piece by piece gives exactly black on the whole module, and unsafe cuts fall back to the whole."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from generator.emit import chunks
from generator.emit.format import format_python
from generator.emit.render import render
from generator.emit.rendered import Rendered
from generator.parallel import Formatter
from generator.pipeline import run
from generator.provenance.cache import NoCache
from generator.provenance.fingerprint import tool_versions
from generator.settings import Settings
from tests.support.codegen import HOSTILE_FIXTURES
from tests.support.repo import FIXTURES, SPEC

pytestmark = pytest.mark.slow  # black formats every module of every fixture twice

SPECS = [SPEC, *sorted((FIXTURES / "specs").glob("*.yaml")), *sorted(HOSTILE_FIXTURES.glob("*.yaml"))]


def _pieces_formatted(source: str) -> str:
    return chunks.join([format_python(piece, path="piece") for piece in chunks.pieces(source)])


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_every_generated_module_formats_the_same_piece_by_piece_as_whole(spec: Path, tmp_path: Path) -> None:
    # The hostile specs break OpenAPI's name rules on purpose; the generator's own checks still run.
    result = run(Settings(spec=spec, out=tmp_path / "out", validate=spec.parent != HOSTILE_FIXTURES, cache=False))
    assert result.api is not None and result.models is not None, result.diagnostics.render()
    rendered = render(result.api, result.models, tool_versions())
    modules = {
        path: text for path, text in rendered.files.items() if path.suffix == ".py" and path not in rendered.verbatim
    }
    cut = 0
    for path, text in modules.items():
        pieces = chunks.split(text)
        assert "".join(pieces) == text
        cut += len(pieces) > 1
        assert _pieces_formatted(text) == format_python(text, path=str(path)), path
    assert cut, "no module was cut: the test would not show anything"


def test_a_class_per_piece_and_the_header_keeps_the_first_definition() -> None:
    source = (
        '"""Doc."""\nimport a\nclass A( object ):\n  x=1\nY = 2\n'
        "@decorate\n@decorate( 2 )\nclass B:\n  pass\n"
        "# about C\ndef c(): return 1\n"
        "async def d(): return 2\n"
    )
    pieces = chunks.split(source)
    assert [p.splitlines()[0] for p in pieces] == ['"""Doc."""', "@decorate", "async def d(): return 2"]
    assert "".join(pieces) == source
    assert _pieces_formatted(source) == format_python(source, path="m.py")


def test_fmt_off_anywhere_keeps_the_module_whole() -> None:
    source = "import a\ndef f( ):\n  pass\n# fmt: off\ndef g( ):\n  pass\n"
    assert chunks.split(source) == [source]


def test_a_cut_inside_a_string_makes_a_piece_black_rejects_so_the_module_is_formatted_whole() -> None:
    source = 'import a\ndef f():\n  pass\nX = """\nclass Inside:\n"""\ndef g( ):\n  pass\n'
    pieces = chunks.split(source)
    assert any(p.startswith("class Inside") for p in pieces)  # the text rule is fooled...
    with Formatter(NoCache()) as formatter:
        files = formatter.files(Rendered(files={PurePosixPath("m.py"): source}, verbatim=frozenset()))
    assert files[PurePosixPath("m.py")] == format_python(source, path="m.py")  # ...and the result is still right
