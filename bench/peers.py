"""The tools under test and the benchmark's own virtualenv (``bench/.venv-peers``).

The peer venv holds openapi-python-client and datamodel-code-generator, pinned in
``bench/requirements-peers.txt``; it is also the *runtime* venv in which every tool's generated
code is imported and timed (it has httpx, pydantic, attrs and python-dateutil), so all outputs are
imported by the same interpreter with the same dependency versions. Our generator runs from the
project venv (``.venv``), exactly as ``make generate`` runs it. Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inputs import BENCH, ROOT, Input
from precompile import precompile

PEER_VENV = BENCH / ".venv-peers"
PEER_BIN = PEER_VENV / "bin"
PEER_PYTHON = PEER_BIN / "python"
REQUIREMENTS = BENCH / "requirements-peers.txt"
PROJECT_PYTHON = Path(sys.executable)  # run.py is started with .venv/bin/python (make bench)
# Our generator runs from a copy of generator/ and templates/ taken when the run starts, so every
# figure of one run is of one version even while the tree is being edited (the cache fingerprint and
# the incremental measurement depend on that). `python -m generator` with this as the working
# directory imports the copy (the working directory comes first on sys.path).
SNAPSHOT = BENCH / ".work" / "bench" / "snapshot"


def snapshot_generator() -> str:
    """Copy generator/ and templates/ to SNAPSHOT; return a short hash of what was copied."""
    if SNAPSHOT.exists():
        shutil.rmtree(SNAPSHOT)
    digest = hashlib.sha256()
    for name in ("generator", "templates"):
        shutil.copytree(ROOT / name, SNAPSHOT / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for path in sorted((SNAPSHOT / name).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(SNAPSHOT).as_posix().encode())
                digest.update(path.read_bytes())
    # Bytecode and compiled templates, as an installed generator has them (precompile.py): the runs
    # set PYTHONDONTWRITEBYTECODE, so without this every run would compile them again.
    precompile(PROJECT_PYTHON, SNAPSHOT)
    return digest.hexdigest()[:12]


def ensure_peer_venv(log: Callable[[str], None]) -> None:
    """Create bench/.venv-peers and install the pinned requirements (skipped when already current)."""
    stamp = PEER_VENV / ".installed"
    want = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if stamp.is_file() and stamp.read_text() == want and PEER_PYTHON.exists():
        return
    if not PEER_PYTHON.exists():
        log(f"creating {PEER_VENV.relative_to(ROOT)}")
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", str(PEER_VENV)], check=True)
    log(f"installing {REQUIREMENTS.relative_to(ROOT)} into {PEER_VENV.relative_to(ROOT)}")
    subprocess.run(
        [str(PEER_PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
        check=True,
    )
    stamp.write_text(want)


def tool_env() -> dict[str, str]:
    """Environment for every tool run: the peer venv's bin first on PATH (openapi-python-client runs
    ``ruff`` from PATH for its post-hooks, as it would in a user's activated venv)."""
    env = dict(os.environ)
    env["PATH"] = f"{PEER_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # identical work on every repeat; nothing stray in outputs
    env.pop("VIRTUAL_ENV", None)
    return env


@dataclass(frozen=True, slots=True)
class Tool:
    key: str
    title: str
    scope: str  # "client" or "models only"
    runtime_deps: tuple[str, ...]  # what the generated code imports from third parties: the import baseline

    def generate_argv(self, item: Input, out: Path, *, spec: Path | None = None, full: bool = False) -> list[str]:
        """The command line; ``spec`` replaces the input's path (ours runs from a copy beside its output,
        see ``ours.py``); ``full`` adds ``--full`` (ours: never answer from the manifest)."""
        if self.key == "ours":
            where = spec or item.path
            argv = [str(PROJECT_PYTHON), "-m", "generator", "generate", "--spec", str(where), "--out", str(out)]
            argv += [] if item.repo_path else ["--package", item.package]
            return [*argv, "--full"] if full else argv
        if self.key == "opc":
            return [
                str(PEER_BIN / "openapi-python-client"),
                "generate",
                "--path",
                str(item.path),
                "--output-path",
                str(out),
                "--overwrite",
            ]
        if self.key == "dmcg":
            return [
                str(PEER_BIN / "datamodel-codegen"),
                "--input",
                str(item.path),
                "--input-file-type",
                "openapi",
                "--output-model-type",
                "pydantic_v2.BaseModel",
                "--output",
                str(out / "models.py"),
            ]
        raise ValueError(self.key)

    def check_argv(self, item: Input, out: Path, *, spec: Path | None = None, full: bool = False) -> list[str] | None:
        """The drift check, for tools that have one (only ours)."""
        if self.key != "ours":
            return None
        argv = self.generate_argv(item, out, spec=spec, full=full)
        argv[argv.index("generate")] = "check"
        return argv

    def display_command(self, item: Input) -> str:
        """The command as a reader would type it (relative paths, placeholders)."""
        argv = self.generate_argv(item, Path("OUT"))
        shown = [a.replace(str(ROOT) + "/", "") for a in argv]
        if self.key == "ours":
            shown[0] = ".venv/bin/python"
        else:
            shown[0] = Path(shown[0]).name
        return " ".join(shown)


TOOLS: tuple[Tool, ...] = (
    Tool("ours", "ours (this repo)", "client", ("httpx", "pydantic")),
    Tool("opc", "openapi-python-client", "client", ("httpx", "attrs")),
    Tool("dmcg", "datamodel-code-generator", "models only", ("pydantic",)),
)


def peer_versions() -> dict[str, str]:
    """Installed versions in the peer venv of the packages the doc reports."""
    wanted = (
        "openapi-python-client",
        "datamodel-code-generator",
        "black",
        "isort",
        "ruff",
        "httpx",
        "pydantic",
        "pydantic-core",
        "attrs",
        "python-dateutil",
    )
    code = (
        "import json, importlib.metadata as m\n"
        f"names = {wanted!r}\n"
        "out = {}\n"
        "for n in names:\n"
        "    try: out[n] = m.version(n)\n"
        "    except m.PackageNotFoundError: out[n] = 'missing'\n"
        "print(json.dumps(out))"
    )
    done = subprocess.run([str(PEER_PYTHON), "-c", code], capture_output=True, text=True, check=True)
    import json

    return dict(json.loads(done.stdout))


def our_versions() -> dict[str, str]:
    """Our generator's version, the pinned output-shaping tools in .venv, and the git state of the tree."""
    code = (
        "import json, importlib.metadata as m, generator\n"
        "print(json.dumps({'generator': generator.__version__, "
        "'black': m.version('black'), 'datamodel-code-generator': m.version('datamodel-code-generator'), "
        "'openapi-spec-validator': m.version('openapi-spec-validator')}))"
    )
    done = subprocess.run(
        [str(PROJECT_PYTHON), "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=SNAPSHOT if SNAPSHOT.is_dir() else ROOT,
    )
    import json

    versions: dict[str, str] = dict(json.loads(done.stdout))
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "generator", "templates"], capture_output=True, text=True, cwd=ROOT
    )
    if head.returncode == 0:
        versions["git"] = head.stdout.strip() + (
            " + uncommitted changes in generator/ or templates/" if dirty.stdout.strip() else ""
        )
    return versions
