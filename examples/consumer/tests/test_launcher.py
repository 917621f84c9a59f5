"""The consumer's tests of launcher.py: only the public testing API of the vendored client, sync and async."""

from __future__ import annotations

import asyncio

import pytest
from app._vendor.northflank_jobs.testing import FakeNorthflank, error
from app.launcher import LaunchDelayed, launch_report_job, launch_report_job_async


def test_launch_reuses_an_existing_job_and_rides_out_a_rate_limit() -> None:
    fake = FakeNorthflank()
    fake.jobs.create_manual_job.fails(409, "A job with this name already exists")
    fake.jobs.run_job.answers(error(429, retry_after=5), fake.jobs.run_job.example())
    with fake.client() as client:
        job = launch_report_job(client, "reports", "Nightly Report")
    assert job == fake.jobs.get_job.example()
    assert fake.jobs.create_manual_job.last_call.body.name == "Nightly Report"
    assert fake.jobs.run_job.call_count == 2 and fake.sleeps == [5.0]
    assert fake.jobs.get_job.last_call.path_params == {"project_id": "reports", "job_id": "nightly-report"}
    assert fake.rejected == []


def test_a_new_job_is_run_and_read_back_by_the_id_the_api_gave_it() -> None:
    fake = FakeNorthflank()
    created = fake.jobs.create_manual_job.example().model_copy(update={"id": "nightly-report-2"})
    fake.jobs.create_manual_job.returns(created)
    with fake.client() as client:
        launch_report_job(client, "reports", "Nightly Report")
    assert [call.operation for call in fake.calls] == ["jobs.create_manual_job", "jobs.run_job", "jobs.get_job"]
    assert fake.jobs.run_job.last_call.path_params["job_id"] == "nightly-report-2"
    assert fake.jobs.get_job.last_call.path_params["job_id"] == "nightly-report-2"
    assert fake.jobs.create_manual_job.last_call.body.backoff_limit == 2


def test_a_lasting_rate_limit_is_reported_with_the_servers_hint() -> None:
    fake = FakeNorthflank()
    fake.jobs.run_job.fails(429, "Too many runs", retry_after=30)
    with fake.client() as client, pytest.raises(LaunchDelayed) as caught:
        launch_report_job(client, "reports", "Nightly Report")
    assert caught.value.retry_after == 30
    assert fake.jobs.run_job.call_count == 3  # the client's default policy: three attempts
    assert fake.jobs.get_job.call_count == 0


def test_the_async_launch_does_the_same() -> None:
    fake = FakeNorthflank()
    fake.jobs.create_manual_job.fails(409)
    fake.jobs.run_job.answers(error(429), fake.jobs.run_job.example())

    async def launch() -> None:
        async with fake.async_client() as client:
            job = await launch_report_job_async(client, "reports", "Nightly Report")
        assert job.id == fake.jobs.get_job.example().id

    asyncio.run(launch())
    assert fake.jobs.run_job.call_count == 2 and fake.sleeps == [0.5]
    assert fake.jobs.get_job.last_call.path_params == {"project_id": "reports", "job_id": "nightly-report"}
