"""Unit tests of the project root, the configuration, the cache location and the diagnostic formats."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from generator.cli.config import load_clients, select
from generator.cli.report import Reporter, as_json, github_annotation
from generator.diagnostics import Diagnostic, Level
from generator.project import ConfigError, Project, find_project, relative_to_root
from generator.provenance import cache

TABLE = '[tool.openapi-client-gen]\nspec = "spec/a.yaml"\nout = "gen"\n'


# --- the project root ----------------------------------------------------------------------------


def test_the_nearest_pyproject_with_the_table_wins_over_one_without_and_over_git(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(TABLE)
    nested = tmp_path / "app" / "sub"
    nested.mkdir(parents=True)
    (tmp_path / "app" / "pyproject.toml").write_text('[project]\nname = "app"\n')  # no table: not the root
    project = find_project(nested)
    assert (project.root, project.pyproject) == (tmp_path, tmp_path / "pyproject.toml")


def test_without_the_table_the_git_top_level_is_the_root(tmp_path: Path) -> None:
    (tmp_path / ".git").write_text("gitdir: elsewhere\n")  # a worktree's or submodule's .git is a file
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    assert find_project(tmp_path / "tools") == Project(root=tmp_path, pyproject=None, table=None)


def test_without_table_or_git_the_start_is_the_root(tmp_path: Path) -> None:
    assert find_project(tmp_path).root == tmp_path


def test_a_broken_pyproject_that_names_the_table_is_an_error_on_the_command_line_only(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.openapi-client-gen\nspec = \n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: not valid TOML"):
        find_project(tmp_path)
    assert find_project(tmp_path, strict=False).pyproject is None


def test_recorded_paths_are_relative_to_the_root_or_just_the_name(tmp_path: Path) -> None:
    assert relative_to_root(tmp_path / "spec" / "a.yaml", tmp_path) == "spec/a.yaml"
    assert relative_to_root(tmp_path / "a.yaml", tmp_path / "elsewhere") == "a.yaml"


# --- the configuration ---------------------------------------------------------------------------


def _clients(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "pyproject.toml").write_text(text)
    return [client.name for client in load_clients(find_project(tmp_path))]


def test_the_table_alone_is_one_client_and_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(TABLE + 'token-env-var = "TOKEN"\nvalidate = false\n')
    [client] = load_clients(find_project(tmp_path))
    assert client.name == "a"  # no name, no package: the spec's stem
    assert client.options == {
        "spec": tmp_path / "spec/a.yaml",
        "out": tmp_path / "gen",
        "token_env_var": "TOKEN",
        "validate": False,
    }


def test_top_level_keys_are_every_clients_defaults(tmp_path: Path) -> None:
    text = (
        '[tool.openapi-client-gen]\nout = "vendor"\n'
        '[[tool.openapi-client-gen.client]]\nspec = "a.yaml"\npackage = "pa"\n'
        '[[tool.openapi-client-gen.client]]\nname = "b"\nspec = "b.yaml"\nout = "other"\n'
    )
    (tmp_path / "pyproject.toml").write_text(text)
    a, b = load_clients(find_project(tmp_path))
    assert (a.name, a.options["out"], b.name, b.options["out"]) == ("pa", tmp_path / "vendor", "b", tmp_path / "other")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (TABLE + "spek = 'x'\n", r"unknown key 'spek' in \[tool\.openapi-client-gen\]; known keys: cache, client-name"),
        (
            '[tool.openapi-client-gen]\n[[tool.openapi-client-gen.client]]\nspec = "a"\nout = "b"\nname = "x"\n'
            "tokenEnvVar = 'T'\n",
            r"unknown key 'tokenEnvVar' in \[\[tool\.openapi-client-gen\.client\]\] entry 1",
        ),
        (TABLE + "validate = 'no'\n", r"key 'validate' must be true or false, not 'no'"),
        (TABLE + "package = 3\n", r"key 'package' must be a non-empty string"),
        ('[tool.openapi-client-gen]\nspec = "a.yaml"\n', r"has no 'out'; add out = \"path\""),
        ('[tool.openapi-client-gen]\nclient = "x"\n', r"client must be a list of tables"),
        (
            '[tool.openapi-client-gen]\nout = "o"\n[[tool.openapi-client-gen.client]]\nspec = "a.yaml"\n'
            '[[tool.openapi-client-gen.client]]\nspec = "x/a.yaml"\n',
            r"two clients are named 'a'",
        ),
    ],
    ids=["unknown-top", "unknown-client", "not-bool", "not-string", "no-out", "not-list", "same-name"],
)
def test_bad_configuration_names_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        _clients(tmp_path, text)
    assert str(caught.value).startswith(f"{tmp_path / 'pyproject.toml'}: ")


def test_selection_flags_and_the_one_client_rule(tmp_path: Path) -> None:
    text = (
        '[tool.openapi-client-gen]\nout = "o"\n[[tool.openapi-client-gen.client]]\nspec = "a.yaml"\n'
        '[[tool.openapi-client-gen.client]]\nspec = "b.yaml"\n'
    )
    (tmp_path / "pyproject.toml").write_text(text)
    project = find_project(tmp_path)
    clients = load_clients(project)
    assert [c.name for c in select(clients, name=None, overrides={"cache": False}, project=project)] == ["a", "b"]
    [b] = select(clients, name="b", overrides={"package": "p"}, project=project)
    assert (b.options["package"], b.overridden) == ("p", frozenset({"package"}))
    with pytest.raises(ConfigError, match=r"--package describes one client .* has 2 \(a, b\); add --client NAME"):
        select(clients, name=None, overrides={"package": "p"}, project=project)
    with pytest.raises(ConfigError, match=r"--client c: .* has no such client; configured: a, b"):
        select(clients, name="c", overrides={}, project=project)


def test_without_configuration_the_defaults_are_todays_flags(tmp_path: Path) -> None:
    project = find_project(tmp_path)
    [client] = select([], name=None, overrides={}, project=project)
    assert client.options == {"spec": Path("spec/openapi.yaml"), "out": Path("generated")}
    with pytest.raises(ConfigError, match="--client x: no clients are configured"):
        select([], name="x", overrides={}, project=project)


# --- the cache's place ---------------------------------------------------------------------------


def test_the_cache_defaults_to_the_users_cache_directory_per_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache.ENV_DIR, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", "/x/cache")
    assert cache.default_root() == Path("/x/cache/openapi-client-gen") / cache_version()
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # the XDG spec: a relative path is ignored
    assert cache.default_root() == Path.home() / ".cache" / "openapi-client-gen" / cache_version()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert cache.user_cache_dir() == Path.home() / "Library" / "Caches" / "openapi-client-gen"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", "/appdata")
    assert cache.user_cache_dir() == Path("/appdata/openapi-client-gen/Cache")


def test_the_environment_and_the_flag_override_the_cache_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV_DIR, "/from/env")
    assert cache.default_root() == Path("/from/env")
    assert cache.default_root(Path("/from/flag")) == Path("/from/flag")


def cache_version() -> str:
    from generator._version import __version__

    return __version__


# --- formats -------------------------------------------------------------------------------------

ITEM = Diagnostic(
    file="spec/a,b.yaml",
    pointer="/paths/~1x",
    code="bad-thing",
    level=Level.ERROR,
    message="100% wrong:\nsee docs",
    line=7,
)


def test_json_objects_have_the_documented_keys() -> None:
    assert as_json(ITEM) == {
        "file": "spec/a,b.yaml",
        "pointer": "/paths/~1x",
        "line": 7,
        "severity": "error",
        "code": "bad-thing",
        "message": "100% wrong:\nsee docs",
    }


def test_github_annotations_escape_properties_and_data() -> None:
    assert github_annotation(ITEM) == (
        "::error file=spec/a%2Cb.yaml,line=7,title=bad-thing::#/paths/~1x: 100%25 wrong:%0Asee docs"
    )


def test_json_format_prints_one_document_even_when_empty(capsys: pytest.CaptureFixture[str]) -> None:
    reporter = Reporter("json")
    reporter.info("a summary")
    reporter.finish()
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [] and captured.err == "a summary\n"
