"""examples/consumer, run the way its README says: a repository of its own that vendors the client.

The example is copied to a temporary folder with a virtual environment of its
own, into which the generator is installed non-editable from this checkout
(``pip install path/to/checkout``; ``tests/cli/test_install.py`` covers the git+ install).
Every command of its README then runs there, and must succeed: generate from
its pyproject.toml alone, check, verify (with the generator and with the
standard library), mypy --strict over its code, its tests, its make target.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.repo import GENERATED, REPO

pytestmark = pytest.mark.slow

EXAMPLE = REPO / "examples" / "consumer"
PACKAGE = Path("app/_vendor/northflank_jobs")


class Consumer:
    def __init__(self, root: Path, venv: Path, cache: Path) -> None:
        self.root = root
        self.bin = venv / "bin"
        # A cache of its own, and no trace of this checkout on the path: only the install counts.
        self.env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")} | {
            "XDG_CACHE_HOME": str(cache),
            "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        }

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(argv, cwd=self.root, env=self.env, capture_output=True, text=True, check=False)

    def ok(self, *argv: str) -> str:
        proc = self.run(*argv)
        assert proc.returncode == 0, f"{' '.join(argv)}\n{proc.stdout}\n{proc.stderr}"
        return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def consumer(tmp_path_factory: pytest.TempPathFactory) -> Consumer:
    base = tmp_path_factory.mktemp("consumer-example")
    root = base / "report-launcher"
    shutil.copytree(EXAMPLE, root, symlinks=False, ignore=shutil.ignore_patterns("_vendor", "__pycache__"))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "-c",
            str(REPO / "constraints.txt"),
            # The working tree, as a newcomer installs a checkout (README "Use it in your repository").
            str(REPO),
            "mypy",
            "pytest",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    made = Consumer(root, venv, base / "user-cache")
    made.ok("openapi-client-gen", "generate")
    return made


def test_the_readme_lists_the_commands_this_test_runs() -> None:
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```sh\n(.*?)```", readme, re.DOTALL)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands[2:] == [
        ".venv/bin/openapi-client-gen generate",
        ".venv/bin/openapi-client-gen check",
        ".venv/bin/openapi-client-gen verify",
        ".venv/bin/python app/_vendor/northflank_jobs/_meta.py",
        ".venv/bin/python -m mypy",
        ".venv/bin/python -m pytest",
        "make ci GEN=.venv/bin/openapi-client-gen PYTHON=.venv/bin/python",
    ]


def test_generate_writes_the_nested_package_from_the_configuration_alone(consumer: Consumer) -> None:
    package = consumer.root / PACKAGE
    assert (package / "__init__.py").is_file() and (package / "testing.py").is_file()
    meta = (package / "_meta.py").read_text(encoding="utf-8")
    assert 'SPEC_PATH = "spec/northflank.yaml"' in meta  # relative to the repository, not to out's parent
    # The vendored client is the one this repository commits, byte for byte, _meta.py aside
    # and the spec's path where a file names it (headers, docstring, README).
    for committed in (GENERATED / "northflank_jobs").rglob("*"):
        if committed.is_file() and committed.name != "_meta.py" and "__pycache__" not in committed.parts:
            vendored = package / committed.relative_to(GENERATED / "northflank_jobs")
            expected = committed.read_bytes().replace(b"spec/openapi.yaml", b"spec/northflank.yaml")
            assert vendored.read_bytes() == expected, vendored
    # Nothing but the package was written into the consumer's tree (the cache is the user's).
    written = {p.relative_to(consumer.root).parts[0] for p in consumer.root.rglob("*") if ".git" not in p.parts}
    assert written == {".gitignore", "Makefile", "README.md", "app", "pyproject.toml", "spec", "tests"}
    assert not any(p.name == ".cache" for p in consumer.root.rglob("*"))


def test_check_and_verify_pass_on_the_vendored_copy(consumer: Consumer) -> None:
    assert "up to date" in consumer.ok("openapi-client-gen", "check")
    consumer.ok("openapi-client-gen", "check", "--full")
    consumer.ok("openapi-client-gen", "verify")
    consumer.ok("python", str(PACKAGE / "_meta.py"))


def test_the_application_type_checks_and_its_tests_pass(consumer: Consumer) -> None:
    consumer.ok("python", "-m", "mypy")
    out = consumer.ok("python", "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert re.search(r"\b4 passed\b", out), out


def test_make_ci_runs_it_all(consumer: Consumer) -> None:
    consumer.ok("make", "ci", f"GEN={consumer.bin / 'openapi-client-gen'}", f"PYTHON={consumer.bin / 'python'}")


def test_a_hand_edit_of_the_vendored_copy_fails_verify_and_check(consumer: Consumer) -> None:
    target = consumer.root / PACKAGE / "errors.py"
    original = target.read_bytes()
    target.write_bytes(original + b"# patched\n")
    try:
        verified = consumer.run("openapi-client-gen", "verify")
        assert verified.returncode == 1 and "errors.py" in verified.stdout + verified.stderr
        stdlib = consumer.run("python", str(PACKAGE / "_meta.py"))
        assert stdlib.returncode == 1 and "errors.py" in stdlib.stdout + stdlib.stderr
        checked = consumer.run("openapi-client-gen", "check")
        assert checked.returncode == 1 and "edited by hand" in checked.stdout + checked.stderr
    finally:
        target.write_bytes(original)


def test_the_project_readme_shows_the_example_s_test_as_it_is(consumer: Consumer) -> None:
    """The README's testing example is the example's own test, imports included, under 25 lines, and passes."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```python\n(.*?)```", readme, re.DOTALL) if "def test_launch" in b]
    own = (EXAMPLE / "tests" / "test_launcher.py").read_text(encoding="utf-8")
    assert block[block.index("def test_launch") :] in own
    own_imports = {
        (module, name.strip())
        for module, names in re.findall(r"^from (\S+) import (.+)$", own, re.M)
        for name in names.split(",")
    }
    for module, names in re.findall(r"^from (\S+) import (.+)$", block, re.M):
        assert {(module, name.strip()) for name in names.split(",")} <= own_imports, (module, names)
    assert len(block.strip().splitlines()) < 25
    for step in ("create_manual_job", "run_job", "get_job", "409", "429"):
        assert step in block
    (consumer.root / "tests" / "test_readme_block.py").write_text(block, encoding="utf-8")
    try:
        out = consumer.ok("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_readme_block.py")
    finally:
        (consumer.root / "tests" / "test_readme_block.py").unlink()
    assert re.search(r"\b1 passed\b", out), out


def test_misusing_the_fake_is_a_mypy_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad_fake_usage.py"
    bad.write_text(
        "from northflank_jobs.models import JobRun\n"
        "from northflank_jobs.testing import FakeNorthflank, error\n"
        "fake = FakeNorthflank()\n"
        "fake.jobs.get_jb.returns(fake.jobs.get_job.example())\n"
        "fake.jobs.get_job.returns(fake.jobs.run_job.example())\n"
        "run: JobRun = fake.jobs.get_job.example()\n"
        "fake.jobs.run_job.answers(error(429), fake.jobs.get_job.example())\n"
        "fake.jobs.get_job.last_call.body.name\n"
        "name: str = fake.jobs.create_manual_job.last_call.body.name\n"
        "fake.jobs.get_job.times_out('lunch')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", str(bad)],
        env={**os.environ, "MYPYPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    errors = [line.split(": error: ", 1)[1] for line in proc.stdout.splitlines() if ": error: " in line]
    lines = sorted({int(line.split(":")[1]) for line in proc.stdout.splitlines() if ": error: " in line})
    assert lines == [4, 5, 6, 7, 8, 10], proc.stdout  # line 9 is right
    assert '"FakeJobs" has no attribute "get_jb"; maybe "get_job"?  [attr-defined]' in errors
    assert any(
        '"returns" of "FakeOperation" has incompatible type "JobRun"; expected "JobDetails"' in e for e in errors
    )
    assert any('"None" has no attribute "name"' in e for e in errors)
