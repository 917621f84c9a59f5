"""Usage errors, --version, --format and the pre-commit hook, from a consumer's repository (no generation runs).

Every usage error exits 2 with a message that names the path and says what
to do; exit 3 is for generator bugs alone, and its message names the real
``--out``.
"""

from __future__ import annotations

import gc
import json
import shutil
from pathlib import Path

import pytest

from generator import __version__, cli
from generator.project import tomllib
from generator.settings import builtin_templates
from tests.support.consumer import SCRIPT, config, generator, make_consumer
from tests.support.repo import FIXTURES, REPO

MINI_CLIENT = {"name": "mini", "spec": "spec/mini.yaml", "out": "app/_vendor"}


@pytest.fixture
def consumer(tmp_path: Path) -> Path:
    return make_consumer(tmp_path / "consumer", MINI_CLIENT)


def _usage_error(proc: object) -> str:
    assert getattr(proc, "returncode", None) == 2, proc
    err: str = proc.stderr  # type: ignore[attr-defined]
    assert "internal error" not in err and "Traceback" not in err and "generator bug" not in err, err
    assert proc.stdout == "", proc.stdout  # type: ignore[attr-defined]
    return err


def test_a_directory_as_spec(consumer: Path) -> None:
    err = _usage_error(generator(consumer, "generate", "--spec", "spec"))
    assert "spec is a directory (it holds mini.yaml); --spec takes the OpenAPI file itself" in err


def test_a_missing_spec_named_by_the_configuration(consumer: Path) -> None:
    (consumer / "spec" / "mini.yaml").unlink()
    err = _usage_error(generator(consumer, "check"))
    assert f"spec/mini.yaml: no such file; point spec in {consumer / 'pyproject.toml'}" in err


def test_a_file_as_out(consumer: Path) -> None:
    (consumer / "vendor.txt").write_text("")
    err = _usage_error(generator(consumer, "generate", "--out", "vendor.txt"))
    assert "vendor.txt is a file; --out takes the directory the package is written into" in err
    err = _usage_error(generator(consumer, "check", "--out", "vendor.txt/deeper"))
    assert "vendor.txt/deeper is inside vendor.txt, which is a file" in err


def test_a_missing_templates_folder(consumer: Path) -> None:
    err = _usage_error(generator(consumer, "generate", "--templates", "tpl"))
    assert "tpl: no such directory; --templates takes a folder of templates" in err


def test_a_partial_templates_folder_lists_what_is_missing(consumer: Path) -> None:
    shutil.copytree(builtin_templates(), consumer / "tpl")
    (consumer / "tpl" / "client.py.jinja").unlink()
    (consumer / "tpl" / "static" / "_retry.py").unlink()
    err = _usage_error(generator(consumer, "generate", "--templates", "tpl"))
    assert "tpl is missing 2 template(s): client.py.jinja, static/_retry.py; copy them from" in err


def test_verify_needs_an_existing_out(consumer: Path) -> None:
    err = _usage_error(generator(consumer, "verify"))
    assert "app/_vendor: no such directory; point out in" in err


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        (config({**MINI_CLIENT, "outdir": "x"}), "unknown key 'outdir' in [[tool.openapi-client-gen.client]] entry 1"),
        ("[tool.openapi-client-gen\n", "not valid TOML"),
        (config(MINI_CLIENT, MINI_CLIENT), "two clients are named 'mini'"),
    ],
    ids=["unknown-key", "not-toml", "same-name"],
)
def test_bad_configuration_is_a_usage_error_naming_the_file(tmp_path: Path, pyproject: str, message: str) -> None:
    consumer = make_consumer(tmp_path / "consumer", pyproject=pyproject)
    (consumer / "app" / "deep").mkdir()
    err = _usage_error(generator(consumer / "app" / "deep", "check"))  # found from a subdirectory too
    assert f"{consumer / 'pyproject.toml'}: " in err and message in err


def test_one_client_flags_with_several_clients_need_client(tmp_path: Path) -> None:
    other = {"name": "other", "spec": "spec/mini.yaml", "out": "app/_other", "package": "mini_other"}
    consumer = make_consumer(tmp_path / "consumer", MINI_CLIENT, other)
    err = _usage_error(generator(consumer, "generate", "--out", "x"))
    assert "--out describes one client" in err and "has 2 (mini, other); add --client NAME" in err
    err = _usage_error(generator(consumer, "dump-ir"))
    assert "dump-ir prints one client's IR, and 2 are configured (mini, other)" in err
    err = _usage_error(generator(consumer, "check", "--client", "nope"))
    assert "--client nope: " in err and "configured: mini, other" in err


def test_an_internal_error_names_the_real_out_and_exits_3(
    consumer: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **options: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.chdir(consumer)
    monkeypatch.setattr("generator.api.generate_from", broken)
    assert cli.main(["generate", "--full"]) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: boom" in err
    assert "app/_vendor/ was not changed" in err and "generated/" not in err


def test_a_run_collects_garbage_rarely_and_gives_the_caller_its_thresholds_back(
    consumer: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, int, int]] = []

    def record(*args: object, **options: object) -> object:
        seen.append(gc.get_threshold())
        raise RuntimeError("stop here")

    monkeypatch.chdir(consumer)
    monkeypatch.setattr("generator.api.generate_from", record)
    before = gc.get_threshold()
    assert cli.main(["generate", "--full"]) == 3
    assert seen and seen[0][0] >= 100_000 > before[0], "the run kept the collector's default thresholds"
    assert gc.get_threshold() == before


@pytest.mark.parametrize("how", ["module", "console script"])
def test_version_names_the_tool_however_it_is_invoked(tmp_path: Path, how: str) -> None:
    assert SCRIPT.is_file(), "the console script of [project.scripts] is installed with the test environment"
    proc = generator(tmp_path, "--version", script=how == "console script")
    assert (proc.returncode, proc.stdout) == (0, f"openapi-client-gen {__version__}\n")


def test_the_console_script_is_the_documented_command() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"openapi-client-gen": "openapi_client_gen.cli:main"}


def test_usage_lines_name_the_command_as_invoked(tmp_path: Path) -> None:
    assert generator(tmp_path, "check", "--spec", ".").stderr.startswith("python -m openapi_client_gen check: error: ")
    assert generator(tmp_path, "check", "--spec", ".", script=True).stderr.startswith("openapi-client-gen check: ")


# --- --format ------------------------------------------------------------------------------------

BAD = FIXTURES / "bad" / "undeclared-path-param.yaml"


def test_json_format_is_one_document_of_diagnostics(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "consumer")
    shutil.copy(BAD, consumer / "spec" / "bad.yaml")
    proc = generator(consumer, "check", "--spec", "spec/bad.yaml", "--out", "gen", "--format", "json")
    assert proc.returncode == 2
    found = json.loads(proc.stdout)
    assert found and {tuple(item) for item in found} == {("file", "pointer", "line", "severity", "code", "message")}
    first = found[0]
    assert (first["file"], first["severity"], first["code"]) == ("spec/bad.yaml", "error", "undeclared-path-param")
    assert first["pointer"].startswith("/paths/") and isinstance(first["line"], int)
    assert "cannot check; fix the errors above" in proc.stderr  # the human lines stay on stderr


def test_github_format_is_workflow_commands_and_text_is_unchanged(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "consumer")
    shutil.copy(BAD, consumer / "spec" / "bad.yaml")
    args = ("check", "--spec", "spec/bad.yaml", "--out", "gen")
    github = generator(consumer, *args, "--format", "github")
    text = generator(consumer, *args)
    assert github.returncode == text.returncode == 2
    annotations = github.stdout.splitlines()
    assert annotations and all(
        line.startswith("::error file=spec/bad.yaml,line=") and ",title=undeclared-path-param::#/paths/" in line
        for line in annotations
    )
    assert (
        text.stdout == "" and "spec/bad.yaml#/paths/" in text.stderr and "error[undeclared-path-param]" in text.stderr
    )


def test_the_readme_lists_exactly_the_exit_codes_of_the_one_table() -> None:
    """cli/exit.py is the one table of exit codes; the README's "Exit codes" section must say the same."""
    from generator.cli.exit import Exit

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Exit codes", 1)[1].split("\n###", 1)[0]
    listed = {int(line.split("|")[1]) for line in section.splitlines() if line.startswith("| ") and line[2].isdigit()}
    assert listed == {int(code) for code in Exit}
