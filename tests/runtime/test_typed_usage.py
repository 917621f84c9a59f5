"""A user's typed code that calls every operation type-checks under mypy --strict."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.repo import FIXTURES, GENERATED

pytestmark = pytest.mark.slow  # mypy --strict on user code

USAGE = FIXTURES / "typecheck" / "northflank_usage.py"


def _mypy(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        # The cache is the session's (MYPY_CACHE_DIR, tests/conftest.py).
        [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10", str(path)],
        env={**os.environ, "MYPYPATH": str(GENERATED)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_usage_of_every_operation_type_checks(tmp_path: Path) -> None:
    source = USAGE.read_text()
    for name in ("create_manual_job", "put_cron_job", "get_job", "run_job", "put_manual_job"):
        assert f".{name}(" in source, f"{name} is not exercised"
    proc = _mypy(USAGE)
    assert proc.returncode == 0, proc.stdout


def test_type_errors_in_usage_are_caught(tmp_path: Path) -> None:
    """The check is not vacuous: a wrong return type and a wrong argument are reported."""
    bad = tmp_path / "bad_usage.py"
    bad.write_text(
        "from northflank_jobs import NorthflankClient\n"
        "from northflank_jobs.models import CronJob\n"
        "client = NorthflankClient(token='t')\n"
        "job: CronJob = client.jobs.get_job('j', project_id='p')\n"
        "client.jobs.get_job(job_id=3, project_id='p')\n"
        "client.jobs.get_job('p', 'j')  # the parent id by position: the call that used to swap them\n"
        "client.jobs.create_manual_job('p', body={'name': 'x'}, description=None)\n"
    )
    proc = _mypy(bad)
    assert proc.returncode == 1
    assert (
        'Incompatible types in assignment (expression has type "JobDetails", variable has type "CronJob")'
        in proc.stdout
    )
    assert 'Argument "job_id" to "get_job" of "JobsResource" has incompatible type "int"' in proc.stdout
    assert 'bad_usage.py:6: error: Too many positional arguments for "get_job" of "JobsResource"' in proc.stdout
    assert 'bad_usage.py:7: error: Unexpected keyword argument "description"' in proc.stdout


def test_none_for_a_field_that_is_not_nullable_is_a_type_error(tmp_path: Path) -> None:
    bad = tmp_path / "none_usage.py"
    bad.write_text(
        "from northflank_jobs.models import Billing, CreateManualJobRequest\n"
        "CreateManualJobRequest(name='x', billing=Billing(deployment_plan='p'), backoff_limit=0, description=None)\n"
    )
    proc = _mypy(bad)
    assert proc.returncode == 1
    assert (
        'Argument "description" to "CreateManualJobRequest" has incompatible type "None"; expected "str | MISSING"'
        in proc.stdout
    )


def test_an_integer_enum_is_written_as_its_number_and_checked_by_mypy(tmp_path: Path) -> None:
    """``storage_size=16384`` type-checks; a size the spec does not list is a mypy error, not a runtime surprise."""
    usage = tmp_path / "sizes.py"
    usage.write_text(
        "from northflank_jobs.models import BuildStorageEphemeralStorage, BuildStorageSize\n"
        "size: BuildStorageSize = 32768\n"
        "BuildStorageEphemeralStorage(storage_size=16384)\n"
        "BuildStorageEphemeralStorage(storage_size=size)\n"
        "BuildStorageEphemeralStorage(storage_size=8192)\n"
    )
    proc = _mypy(usage)
    assert proc.returncode == 1
    [error] = [line for line in proc.stdout.splitlines() if ": error:" in line]
    assert error.startswith(f'{usage}:5: error: Argument "storage_size" to "BuildStorageEphemeralStorage"')
