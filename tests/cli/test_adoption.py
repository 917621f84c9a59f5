"""A consumer repository uses the generator: configured clients, its project root, its cache, its own files.

Each test builds a consumer (``tests/support/consumer.py``: ``spec/mini.yaml``, an
``app/`` package, usually a git repository and a ``pyproject.toml``), runs the
command line in it as a separate process, and looks at what a user would:
exit codes, messages, and the files on disk.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator._version import __version__
from tests.support.consumer import environment_without_cache_settings, generator, make_consumer, ok, tree

pytestmark = pytest.mark.slow  # whole generations, in subprocesses

MINI = {"name": "mini", "spec": "spec/mini.yaml", "out": "app/_vendor"}
OTHER = {"name": "other", "spec": "spec/mini.yaml", "out": "app/_other", "package": "other_jobs"}


def _spec_path(package: Path) -> str:
    found = re.search(r'^SPEC_PATH = "(.*)"$', (package / "_meta.py").read_text(), re.MULTILINE)
    assert found is not None
    return found.group(1)


# --- 1. the configuration ------------------------------------------------------------------------


def test_two_configured_clients_need_no_flags(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "c", MINI, OTHER)
    generated = ok(generator(consumer, "generate")).stdout
    assert "files in app/_vendor/" in generated and "files in app/_other/" in generated
    assert (consumer / "app/_vendor/mini_jobs/_client.py").is_file()
    assert (consumer / "app/_other/other_jobs/_client.py").is_file()
    checked = ok(generator(consumer, "check")).stdout.splitlines()
    assert [line.split()[0] for line in checked] == ["app/_vendor/", "app/_other/"]
    one = ok(generator(consumer, "check", "--client", "other")).stdout
    assert one.startswith("app/_other/ is up to date") and "_vendor" not in one
    ok(generator(consumer, "verify"))


def test_flags_override_the_configuration(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "c", MINI)
    ok(generator(consumer, "generate", "--token-env-var", "OVERRIDDEN_TOKEN"))
    assert "OVERRIDDEN_TOKEN" in (consumer / "app/_vendor/mini_jobs/_client.py").read_text()
    drift = generator(consumer, "check")  # the configuration alone generates MINI_API_TOKEN
    assert drift.returncode == 1 and "why: generator options changed" in drift.stderr
    ok(generator(consumer, "check", "--token-env-var", "OVERRIDDEN_TOKEN"))
    elsewhere = ok(generator(consumer, "generate", "--out", "app/_elsewhere")).stdout
    assert "files in app/_elsewhere/" in elsewhere and (consumer / "app/_elsewhere/mini_jobs").is_dir()


# --- 2. the project root -------------------------------------------------------------------------


def test_the_root_is_the_configuration_s_folder_from_any_subdirectory(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "c", MINI)
    (consumer / "app" / "pyproject.toml").write_text('[project]\nname = "inner"\n')  # no table: passed over
    ok(generator(consumer / "app", "generate"))
    assert _spec_path(consumer / "app/_vendor/mini_jobs") == "spec/mini.yaml"


def test_without_configuration_the_root_is_the_git_top_level(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "c")
    (consumer / "tools").mkdir()
    ok(generator(consumer / "tools", "generate", "--spec", "../spec/mini.yaml", "--out", "../app/_vendor"))
    assert _spec_path(consumer / "app/_vendor/mini_jobs") == "spec/mini.yaml"  # not "mini.yaml" (out's parent)


def test_without_configuration_or_git_the_root_is_the_current_directory(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "c", git=False)
    ok(generator(consumer, "generate", "--spec", "spec/mini.yaml", "--out", "app/deep/_vendor"))
    assert _spec_path(consumer / "app/deep/_vendor/mini_jobs") == "spec/mini.yaml"


def test_moving_out_changes_no_generated_byte(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "c", MINI)
    ok(generator(consumer, "generate"))
    ok(generator(consumer, "generate", "--out", "vendored"))
    assert tree(consumer / "app/_vendor") == tree(consumer / "vendored")


# --- 3. the cache --------------------------------------------------------------------------------


def test_the_cache_is_in_the_user_cache_directory_never_in_the_consumer_tree(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "c", MINI)
    before = set(tree(consumer))
    home = tmp_path / "home"
    env = environment_without_cache_settings(HOME=str(home), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    ok(generator(consumer, "generate", env=env))
    default = tmp_path / "xdg" / "openapi-client-gen" / __version__
    assert any(p.is_file() for p in default.rglob("*")), "the cache was not written to the user cache directory"
    added = set(tree(consumer)) - before
    assert added and all(name.startswith("app/_vendor/mini_jobs/") for name in added), sorted(added)
    by_flag, by_env = tmp_path / "flag-cache", tmp_path / "env-cache"
    ok(generator(consumer, "generate", "--full", "--cache-dir", str(by_flag), env=env))
    ok(generator(consumer, "generate", "--full", env={**env, "OPENAPI_CLIENT_GEN_CACHE_DIR": str(by_env)}))
    assert any(by_flag.rglob("*")) and any(by_env.rglob("*"))
    assert not home.exists() or not any(home.rglob("*"))


# --- 4. user files -------------------------------------------------------------------------------


def test_generate_refuses_to_overwrite_a_user_file_and_check_agrees(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "c", MINI)
    mine = consumer / "app/_vendor/mini_jobs/errors.py"
    mine.parent.mkdir(parents=True)
    mine.write_text("class MyOwnError(Exception):\n    pass\n")
    refused = generator(consumer, "generate")
    assert refused.returncode == 2, refused.stderr
    assert "user file in the way: app/_vendor/mini_jobs/errors.py" in refused.stderr
    assert "app/_vendor/: nothing was written" in refused.stderr
    assert tree(consumer / "app/_vendor") == {"mini_jobs/errors.py": b"class MyOwnError(Exception):\n    pass\n"}
    checked = generator(consumer, "check")
    assert checked.returncode == 2 and "user file in the way: app/_vendor/mini_jobs/errors.py" in checked.stderr
    mine.unlink()
    ok(generator(consumer, "generate"))


def test_a_user_file_beside_the_generated_ones_is_left_alone_by_both(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "c", MINI)
    ok(generator(consumer, "generate"))
    helper = consumer / "app/_vendor/mini_jobs/helpers.py"
    helper.write_text("def mine() -> int:\n    return 1\n")
    assert ok(generator(consumer, "check", "--full")).stderr == ""
    kept = ok(generator(consumer, "generate", "--full")).stderr
    assert "app/_vendor/mini_jobs/helpers.py: not generated (a user file); left in place" in kept
    assert helper.read_text() == "def mine() -> int:\n    return 1\n"


def test_a_hand_edit_under_a_nested_out_is_named_alike_in_the_summary_and_the_diff(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "c", MINI)
    ok(generator(consumer, "generate"))
    models = consumer / "app/_vendor/mini_jobs/models.py"
    models.write_text(models.read_text() + "# mine\n")
    for cwd, shown in (
        (consumer, "app/_vendor/mini_jobs/models.py"),
        (consumer / "app", "_vendor/mini_jobs/models.py"),
    ):
        drift = generator(cwd, "check")
        assert drift.returncode == 1
        assert f"edited by hand: {shown}\n" in drift.stderr
        assert f"--- a/{shown}\n+++ b/{shown}\n" in drift.stderr
        assert "out of date" not in drift.stderr and "has hand edits" in drift.stderr


# --- 6. a closed pipe ----------------------------------------------------------------------------


def test_dump_ir_into_a_closed_pipe_ends_quietly_with_141(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "c", MINI)
    proc = subprocess.Popen(
        [sys.executable, "-m", "openapi_client_gen", "dump-ir"],
        cwd=consumer,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `| head` does once it has its lines
    err = proc.stderr.read()
    assert (proc.wait(timeout=300), err) == (141, b"")


# --- 8. .gitattributes ---------------------------------------------------------------------------


def test_git_sees_the_generated_package_as_generated_and_the_manifest_covers_the_marking(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "c", MINI)
    ok(generator(consumer, "generate"))
    attributes = consumer / "app/_vendor/mini_jobs/.gitattributes"
    assert '".gitattributes": "' in (attributes.parent / "_meta.py").read_text()
    for path, expected in (("app/_vendor/mini_jobs/api/jobs.py", "true"), ("app/__init__.py", "unspecified")):
        answer = subprocess.run(
            ["git", "check-attr", "linguist-generated", "--", path], cwd=consumer, capture_output=True, text=True
        )
        assert answer.stdout == f"{path}: linguist-generated: {expected}\n"
    attributes.write_text(attributes.read_text().replace("=true", "=false"))
    assert "edited by hand: app/_vendor/mini_jobs/.gitattributes" in generator(consumer, "check").stderr
    assert "edited by hand: app/_vendor/mini_jobs/.gitattributes" in generator(consumer, "verify").stderr


# --- 9. progress ---------------------------------------------------------------------------------


def _stderr_on_a_terminal(cwd: Path, *args: str) -> tuple[int, str]:
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "openapi_client_gen", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=slave
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # the other side closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.stdout is not None
    proc.stdout.read()
    return proc.wait(timeout=300), b"".join(chunks).decode().replace("\r\n", "\n")


def test_progress_shows_on_a_terminal_only_and_not_with_quiet(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "c", MINI)
    code, err = _stderr_on_a_terminal(consumer, "generate", "--full")
    assert code == 0
    stages = [line.split("…")[0] for line in err.splitlines() if "…" in line]
    assert stages == [
        "reading spec/mini.yaml",
        "validating",
        "models",
        "operations",
        "rendering",
        "formatting",
        "writing",
    ]
    code, err = _stderr_on_a_terminal(consumer, "generate", "--full", "--quiet")
    assert (code, err) == (0, "")
    piped = ok(generator(consumer, "generate", "--full"))
    assert "…" not in piped.stderr and piped.stderr == ""
