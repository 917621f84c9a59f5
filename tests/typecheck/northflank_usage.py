"""Typed usage of every Northflank operation; `mypy --strict` must accept it (tests/test_typed_usage.py).

Not run: it documents and type-checks how a user calls the client.
"""

from __future__ import annotations

import asyncio

import httpx
from northflank_jobs import (
    ApiResponse,
    ApiStatusError,
    AsyncNorthflankClient,
    NorthflankClient,
    NotFoundError,
    RequestValidationError,
    RetryPolicy,
)
from northflank_jobs.models import (
    Billing,
    CreateManualJobRequest,
    CronJob,
    JobDetails,
    JobRun,
    ManualJob,
    PutManualJobResult,
    RunJobRequest,
)


def sync_usage() -> None:
    with NorthflankClient(token="nf-token", timeout=10.0, retry=RetryPolicy(max_attempts=5)) as client:
        body = CreateManualJobRequest(
            name="example-job",
            billing=Billing(deployment_plan="nf-compute-20"),
            backoff_limit=0,
        )
        manual: ManualJob = client.jobs.create_manual_job("my-project", body=body)
        cron: CronJob = client.jobs.put_cron_job(
            "my-project",
            body={
                "name": "nightly",
                "billing": {"deploymentPlan": "nf-compute-20"},
                "backoffLimit": 1,
                "schedule": "0 0 * * *",
                "concurrencyPolicy": "forbid",
            },
        )
        details: JobDetails = client.jobs.get_job(manual.id, project_id="my-project")
        run: JobRun = client.jobs.run_job(
            details.id, project_id="my-project", body=RunJobRequest(runtime_environment={"A": "1"})
        )
        legacy: PutManualJobResult = client.jobs.put_manual_job(
            "my-project", team_id="my-team", body={"name": "legacy"}, extra_headers={"X-Trace": "1"}
        )
        full: ApiResponse[JobDetails] = client.jobs.with_raw_response.get_job(
            "job", project_id="my-project", timeout=httpx.Timeout(2.0)
        )
        status: int = full.status_code
        print(manual, cron, run, legacy, status, full.parsed.name)
    try:
        NorthflankClient(token="t").jobs.get_job("missing", project_id="p")
    except NotFoundError as exc:
        code: int = exc.status_code
        print(code, exc.message, exc.error_id)
    except RequestValidationError as exc:
        print(exc.errors)
    except ApiStatusError as exc:
        print(exc.response.status_code)


async def async_usage() -> None:
    async with AsyncNorthflankClient(token="nf-token") as client:
        details: JobDetails = await client.jobs.get_job("job", project_id="my-project")
        run: JobRun = await client.jobs.run_job(details.id, project_id="my-project", body={})
        full: ApiResponse[JobRun] = await client.jobs.with_raw_response.run_job("job", project_id="my-project", body={})
        print(run, full.parsed)


if __name__ == "__main__":
    sync_usage()
    asyncio.run(async_usage())
