"""The stand-in consumer repository (tests/consumer_example) type-checks, and the README shows its test.

Its tests run with the rest of the suite (tests/consumer_example/test_launcher.py);
here they are checked with mypy --strict as the consumer's CI would, and mistakes
in using the fake are shown to be mypy errors.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GENERATED, REPO

EXAMPLE = REPO / "tests" / "consumer_example"


def _mypy(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", *map(str, paths)],
        env={**os.environ, "MYPYPATH": f"{GENERATED}{os.pathsep}{EXAMPLE}"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_readme_shows_the_consumer_test_as_it_is_in_under_25_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```python\n(.*?)```", readme, re.DOTALL) if "def test_launch" in b]
    assert block[block.index("def test_launch") :] in (EXAMPLE / "test_launcher.py").read_text(encoding="utf-8")
    assert len(block.strip().splitlines()) < 25
    for step in ("create_manual_job", "run_job", "get_job", "409", "429"):
        assert step in block
    monkeypatch.syspath_prepend(str(EXAMPLE))
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)  # the snippet runs on its own, and passes
    test = namespace["test_launch_reuses_an_existing_job_and_rides_out_a_rate_limit"]
    assert callable(test)
    test()


@pytest.mark.slow  # mypy
def test_the_consumer_example_passes_mypy_strict() -> None:
    proc = _mypy(EXAMPLE / "launcher.py", EXAMPLE / "test_launcher.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow  # mypy
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
    proc = _mypy(bad)
    assert proc.returncode == 1
    errors = [line.split(": error: ", 1)[1] for line in proc.stdout.splitlines() if ": error: " in line]
    lines = sorted({int(line.split(":")[1]) for line in proc.stdout.splitlines() if ": error: " in line})
    assert lines == [4, 5, 6, 7, 8, 10], proc.stdout  # line 9 is right
    assert '"FakeJobs" has no attribute "get_jb"; maybe "get_job"?  [attr-defined]' in errors
    assert any(
        '"returns" of "FakeOperation" has incompatible type "JobRun"; expected "JobDetails"' in e for e in errors
    )
    assert any('"None" has no attribute "name"' in e for e in errors)
