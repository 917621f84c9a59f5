"""A consumer repository in a temporary folder, and the generator run in it the way a user runs it.

The command line is run as a separate process (``python -m openapi_client_gen``, or the
installed ``openapi-client-gen`` console script) with the consumer as its
working directory, so what is tested is what a user gets: argument parsing,
configuration and project-root discovery, exit codes, stdout and stderr.
The generator's cache is the session's (``tests/conftest.py`` exports it)
unless a test passes its own environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.support.repo import FIXTURES

MINI = FIXTURES / "specs" / "mini.yaml"
SCRIPT = Path(sys.executable).parent / "openapi-client-gen"  # the console script of the test environment


def config(*clients: Mapping[str, str], top: str = "") -> str:
    """A pyproject.toml with one ``[[tool.openapi-client-gen.client]]`` per mapping."""
    text = '[project]\nname = "consumer"\nversion = "1"\n\n[tool.openapi-client-gen]\n' + top
    for client in clients:
        text += "\n[[tool.openapi-client-gen.client]]\n" + "".join(f'{k} = "{v}"\n' for k, v in client.items())
    return text


def make_consumer(root: Path, *clients: Mapping[str, str], git: bool = True, pyproject: str | None = None) -> Path:
    """``root`` with ``spec/mini.yaml`` and, when clients are given, a pyproject.toml configuring them."""
    (root / "spec").mkdir(parents=True)
    shutil.copy(MINI, root / "spec" / "mini.yaml")
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    if clients or pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject if pyproject is not None else config(*clients))
    if git:
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def generator(
    cwd: Path, *args: str, env: Mapping[str, str] | None = None, script: bool = False
) -> subprocess.CompletedProcess[str]:
    """``python -m openapi_client_gen ARGS`` (or the console script) in ``cwd``."""
    command: Sequence[str] = [str(SCRIPT)] if script else [sys.executable, "-m", "openapi_client_gen"]
    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def ok(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` but byte-code caches and git's own, by POSIX path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".git" not in p.relative_to(root).parts
    }


def environment_without_cache_settings(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "OPENAPI_CLIENT_GEN_CACHE_DIR"}
    return {**env, **extra}
