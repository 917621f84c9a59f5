"""Compiled templates kept beside the templates: reused when current, never trusted when not, and
never a reason for a run to fail."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import jinja2
import pytest

from generator import pipeline
from generator.emit.render import environment
from generator.settings import Settings, builtin_templates
from tests.support.repo import REPO, SPEC

_MACROS = "{% macro greet(name) %}hello {{ name | upper }}{% endmacro %}\n"
_PAGE = '{% import "_macros.jinja" as m %}{{ m.greet(who) }}, {{ n }} item{{ "s" if n != 1 }}\n'


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as a user's run (this suite's shell may set it)
    root = tmp_path / "templates"
    root.mkdir()
    (root / "_macros.jinja").write_text(_MACROS)
    (root / "page.jinja").write_text(_PAGE)
    return root


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles from source from now on."""
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(str(name))
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return compiled


def _render(templates: Path) -> str:
    return environment(templates).get_template("page.jinja").render(who="ada", n=2)


def test_a_second_environment_loads_what_the_first_compiled(templates: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _render(templates)
    assert first == "hello ADA, 2 items\n"
    assert len(list((templates / "__pycache__").iterdir())) == 2  # the page and the macros it imports
    compiles = _compiles(monkeypatch)
    assert _render(templates) == first
    assert compiles == []


def test_an_edited_template_is_compiled_again(templates: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _render(templates)
    (templates / "_macros.jinja").write_text(_MACROS.replace("hello", "goodbye"))
    compiles = _compiles(monkeypatch)
    assert _render(templates) == "goodbye ADA, 2 items\n"
    assert compiles == ["_macros.jinja"]


def test_corrupt_bytecode_is_compiled_again(templates: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _render(templates)
    for stored in (templates / "__pycache__").iterdir():
        stored.write_bytes(stored.read_bytes()[:20] + b"\x00garbage")
    compiles = _compiles(monkeypatch)
    assert _render(templates) == "hello ADA, 2 items\n"
    assert sorted(compiles) == ["_macros.jinja", "page.jinja"]


def test_an_unwritable_place_costs_the_cache_not_the_run(templates: Path) -> None:
    (templates / "__pycache__").write_text("a file where the directory would go")  # unwritable even as root
    assert _render(templates) == "hello ADA, 2 items\n"
    assert (templates / "__pycache__").read_text() == "a file where the directory would go"


def test_nothing_is_written_under_pythondontwritebytecode(templates: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert _render(templates) == "hello ADA, 2 items\n"
    assert not (templates / "__pycache__").exists()


def test_a_package_rendered_from_bytecode_is_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    copy = tmp_path / "templates"
    shutil.copytree(builtin_templates(), copy, ignore=shutil.ignore_patterns("__pycache__"))

    def files(out: str) -> dict[str, str]:
        settings = Settings(spec=SPEC, out=tmp_path / out, templates=copy, cache=False, root=REPO)
        result = pipeline.run(settings)
        assert result.files is not None
        return {str(path): text for path, text in result.files.items()}

    compiled = files("compiled")
    assert (copy / "__pycache__").is_dir()
    compiles = _compiles(monkeypatch)
    assert files("loaded") == compiled
    assert compiles == []
