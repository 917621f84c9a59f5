"""What the README offers a consumer's CI, run for real: the Makefile recipe, the workflow, the pre-commit hooks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.project import tomllib
from tests.support.consumer import generator, make_consumer, ok
from tests.support.repo import REPO

MINI = {"name": "mini", "spec": "spec/mini.yaml", "out": "app/_vendor"}


def _readme_block(language: str, after: str) -> str:
    text = (REPO / "README.md").read_text()
    found = re.search(rf"{re.escape(after)}.*?```{language}\n(.*?)```", text, re.DOTALL)
    assert found is not None, f"no ```{language} block after {after!r} in README.md"
    return found.group(1)


@pytest.mark.slow  # two generations
def test_the_readme_makefile_snippet_works_in_a_consumer(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "c", MINI)
    (consumer / "Makefile").write_text(_readme_block("make", "### CI recipe"))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for target in ("client", "client-check"):
        proc = subprocess.run(["make", "-s", target], cwd=consumer, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    (consumer / "app/_vendor/mini_jobs/py.typed").unlink()
    proc = subprocess.run(["make", "-s", "client-check"], cwd=consumer, env=env, capture_output=True, text=True)
    assert proc.returncode != 0 and "missing: app/_vendor/mini_jobs/py.typed" in proc.stdout + proc.stderr


def test_the_readme_github_workflow_runs_check_and_verify_with_annotations() -> None:
    workflow = yaml.safe_load(_readme_block("yaml", "### CI recipe"))
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any("openapi-client-gen check --full --format github" in run for run in steps), steps
    assert any("openapi-client-gen verify --format github" in run for run in steps), steps


def test_the_pre_commit_hook_runs_check_through_the_console_script() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    [hook] = [h for h in hooks if h["id"] == "openapi-client-gen-check"]
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == ("openapi-client-gen check", "python", False)
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert hook["entry"].split()[0] in scripts


@pytest.mark.slow  # one generation
def test_the_hook_entry_checks_a_consumer(tmp_path: Path) -> None:
    consumer = make_consumer(tmp_path / "c", MINI)
    ok(generator(consumer, "generate"))
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        command, *args = hook["entry"].split()
        assert command == "openapi-client-gen"
        ok(generator(consumer, *args, script=True))
