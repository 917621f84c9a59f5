"""A user's typed code that calls every operation type-checks under mypy --strict."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import GENERATED, REPO

USAGE = REPO / "tests" / "typecheck" / "northflank_usage.py"


def _mypy(path: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), "--python-version", "3.10", str(path)],
        env={**os.environ, "MYPYPATH": str(GENERATED)}, capture_output=True, text=True, check=False,
    )


def test_usage_of_every_operation_type_checks(tmp_path: Path) -> None:
    source = USAGE.read_text()
    for name in ("create_manual_job", "put_cron_job", "get_job", "run_job", "put_manual_job"):
        assert f".{name}(" in source, f"{name} is not exercised"
    proc = _mypy(USAGE, tmp_path)
    assert proc.returncode == 0, proc.stdout


def test_type_errors_in_usage_are_caught(tmp_path: Path) -> None:
    """The check is not vacuous: a wrong return type and a wrong argument are reported."""
    bad = tmp_path / "bad_usage.py"
    bad.write_text(
        "from northflank_jobs import NorthflankClient\n"
        "from northflank_jobs.models import CronJob\n"
        "client = NorthflankClient(token='t')\n"
        "job: CronJob = client.jobs.get_job('p', 'j')\n"
        "client.jobs.get_job('p', job_id=3)\n"
    )
    proc = _mypy(bad, tmp_path / "cache")
    assert proc.returncode == 1
    assert 'Incompatible types in assignment (expression has type "JobDetails", variable has type "CronJob")' in proc.stdout
    assert 'Argument "job_id" to "get_job" of "JobsResource" has incompatible type "int"' in proc.stdout
