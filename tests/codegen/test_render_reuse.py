"""Rendered files reused from the cache: only when nothing their templates read changed, and equal to
rendering them again (generator/emit/reuse.py)."""

from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
import pytest

from generator.emit.render import environment, render_api
from generator.emit.reuse import Reuse, store
from generator.ir.nodes import Api
from generator.pipeline import compile_spec, run
from generator.provenance.cache import ENV_DIR, Cache, NoCache
from generator.provenance.fingerprint import tool_versions
from generator.settings import Settings, builtin_templates
from tests.support.repo import FIXTURES, SPEC

COVERAGE = FIXTURES / "specs" / "coverage.yaml"  # two tags: pets and store


@pytest.fixture(scope="module")
def api() -> Api:
    result = compile_spec(Settings(spec=COVERAGE, out=Path("generated"), cache=False))
    assert result.api is not None
    return result.api


def _misses(api: Api, cache: Cache, templates: Path | None = None) -> set[str]:
    """The files a render of ``api`` renders (rather than reuses) with ``cache``, then kept in it."""
    folder = templates or builtin_templates()
    env = environment(folder)
    rendered = render_api(api, tool_versions(), templates=folder, env=env, reuse=Reuse(env, cache))
    store(cache, rendered.keys, rendered.files)
    return {str(path.relative_to(api.package)) for path in rendered.keys}


def _summary_changed(api: Api, module: str) -> Api:
    tags = tuple(
        replace(tag, operations=(replace(tag.operations[0], summary="Changed."), *tag.operations[1:]))
        if tag.module == module
        else tag
        for tag in api.tags
    )
    return replace(api, tags=tags)


def test_a_second_run_renders_only_what_needs_the_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DIR, str(tmp_path / "cache"))
    settings = Settings(spec=SPEC, out=tmp_path / "out")
    uncached = run(replace(settings, cache=False)).files
    assert run(settings).files == uncached  # fills the cache
    rendered: list[str] = []
    original = jinja2.Template.render

    def counting(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        rendered.append(str(self.name))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", counting)
    assert run(settings).files == uncached
    # _meta.py records every file's digest; the models' files need the models' source.
    assert set(rendered) <= {"meta.py.jinja", "models_init.py.jinja", "models_init.pyi.jinja", "models_module.py.jinja"}
    assert "meta.py.jinja" in rendered


def test_an_edited_operation_renders_its_own_module_again_not_the_others(api: Api, tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    everything = _misses(api, cache)
    assert {"api/pets.py", "api/store.py", "_client.py", "README.md", "api.md"} <= everything
    assert _misses(api, cache) == set()
    again = _misses(_summary_changed(api, "store"), cache)
    assert "api/store.py" in again and "api/pets.py" not in again
    # The files that list every tag's operations (the client reads api.tags whole) follow it.
    assert {"_client.py", "testing.py", "api.md"} <= again


def test_a_new_spec_digest_renders_only_what_reads_the_whole_api(api: Api, tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    _misses(api, cache)
    # Any edit of the spec changes its digest, which only _meta.py shows; README.md passes the
    # whole Api to its filters, so it cannot be told apart from a file that shows it.
    assert _misses(replace(api, spec_sha256="0" * 64), cache) == {"README.md"}


def test_a_copied_template_that_reads_more_is_keyed_by_more(api: Api, tmp_path: Path) -> None:
    copy = tmp_path / "templates"
    shutil.copytree(builtin_templates(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    cache = Cache(tmp_path / "cache")
    _misses(api, cache)
    assert "api/pets.py" not in _misses(replace(api, title="Another"), cache)  # the built-in module ignores it
    module = copy / "api_module.py.jinja"
    module.write_text(module.read_text() + "# {{ api.title }}\n")
    _misses(api, cache, copy)
    assert {"api/pets.py", "api/store.py"} <= _misses(replace(api, title="Third"), cache, copy)


def test_a_template_chosen_at_render_time_is_never_reused(api: Api, tmp_path: Path) -> None:
    copy = tmp_path / "templates"
    shutil.copytree(builtin_templates(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    readme = copy / "readme.md.jinja"
    readme.write_text(readme.read_text() + '{% set extra = "gitattributes.jinja" %}{% include extra %}\n')
    cache = Cache(tmp_path / "cache")
    env = environment(copy)
    first = render_api(api, tool_versions(), templates=copy, env=env, reuse=Reuse(env, cache))
    store(cache, first.keys, first.files)
    second = render_api(api, tool_versions(), templates=copy, env=env, reuse=Reuse(env, cache))
    readme_path = PurePosixPath(api.package) / "README.md"
    assert readme_path not in first.keys and readme_path not in second.verbatim
    assert second.files[readme_path] == first.files[readme_path]
    assert PurePosixPath(api.package) / "_client.py" in second.verbatim  # the others still are


@pytest.mark.parametrize(
    ("template", "reads"),
    [
        ("{{ a.x }} {{ a.y }}", {"a": frozenset({"x", "y"})}),
        ("{{ a.x }} {{ a | string }}", {"a": None}),  # passed whole to a filter
        ("{% for item in a.items %}{{ item.x }}{% endfor %}", {"a": frozenset({"items"}), "item": frozenset({"x"})}),
        ('{% import "lib.jinja" as lib %}{{ lib.f(a.x) }}', {"a": frozenset({"x"}), "lib": frozenset({"f"})}),
        ('{% include "lib.jinja" %}', {"b": None}),  # an include sees the context
        ('{% import "lib.jinja" as lib with context %}', {"b": None}),
    ],
)
def test_what_a_template_reads(template: str, reads: dict[str, frozenset[str] | None], tmp_path: Path) -> None:
    (tmp_path / "page.jinja").write_text(template)
    (tmp_path / "lib.jinja").write_text("{% macro f(v) %}{{ v }}{% endmacro %}{{ b }}")
    found = Reuse(environment(tmp_path), Cache(tmp_path / "cache"))._template("page.jinja")[1]
    assert found is not None
    assert {k: v for k, v in found.items() if k in reads} == reads
    assert set(found) - set(reads) <= {"v"}  # the macro's own parameter: over-counted, never missed


def test_an_edited_imported_template_changes_the_key(tmp_path: Path) -> None:
    (tmp_path / "page.jinja").write_text('{% import "lib.jinja" as lib %}{{ lib.f(a) }}')
    (tmp_path / "lib.jinja").write_text("{% macro f(v) %}{{ v }}{% endmacro %}")
    cache = Cache(tmp_path / "cache")
    before = Reuse(environment(tmp_path), cache).key("page.jinja", {"a": 1})
    (tmp_path / "lib.jinja").write_text("{% macro f(v) %}[{{ v }}]{% endmacro %}")
    after = Reuse(environment(tmp_path), cache).key("page.jinja", {"a": 1})
    assert before is not None and after is not None and before != after
    assert Reuse(environment(tmp_path), cache).key("page.jinja", {"a": 2}) != after


def test_without_a_cache_nothing_is_keyed(api: Api) -> None:
    env = environment(builtin_templates())
    rendered = render_api(api, tool_versions(), env=env, reuse=Reuse(env, NoCache()))
    assert rendered.keys == {}


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every template source Jinja parses from now on."""
    parsed: list[str] = []
    original = jinja2.Environment.parse

    def counting(self: jinja2.Environment, source: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "parse", counting)
    return parsed


def test_what_a_template_reads_is_noted_beside_its_bytecode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)  # as a user's run (this suite's shell may set it)
    (tmp_path / "page.jinja").write_text('{% import "lib.jinja" as lib %}{{ lib.f(a.x) }}')
    (tmp_path / "lib.jinja").write_text("{% macro f(v) %}{{ v }}{% endmacro %}")
    cache = Cache(tmp_path / "cache")
    first = Reuse(environment(tmp_path), cache)._template("page.jinja")
    assert len(list((tmp_path / "__pycache__").glob("*.reads.json"))) == 2
    parses = _parses(monkeypatch)
    assert Reuse(environment(tmp_path), cache)._template("page.jinja") == first
    assert parses == []  # both read from their notes
    (tmp_path / "page.jinja").write_text('{% import "lib.jinja" as lib %}{{ lib.f(a) }}')
    edited = Reuse(environment(tmp_path), cache)._template("page.jinja")
    assert parses == ['{% import "lib.jinja" as lib %}{{ lib.f(a) }}'] and edited[1] == {
        "a": None,
        "lib": frozenset({"f"}),
    }
    for note in (tmp_path / "__pycache__").glob("*.reads.json"):
        checksum, _, _ = note.read_text().partition("\n")
        note.write_text(checksum + "\n" + '[{"a": 7}, "not a list"]')  # damaged: derived again
    assert Reuse(environment(tmp_path), cache)._template("page.jinja") == edited
    assert len(parses) == 3


def test_no_note_is_written_where_bytecode_is_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    (tmp_path / "page.jinja").write_text("{{ a.x }}")
    assert Reuse(environment(tmp_path), Cache(tmp_path / "cache"))._template("page.jinja")[1] == {"a": frozenset("x")}
    assert not list(tmp_path.rglob("*.reads.json"))
