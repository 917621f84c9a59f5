"""A consumer's own code on the vendored Northflank client: launch the nightly report job."""

from __future__ import annotations

import re

from app._vendor.northflank_jobs import AsyncNorthflankClient, ConflictError, NorthflankClient, RateLimitError
from app._vendor.northflank_jobs.models import Billing, CreateManualJobRequest, JobDetails, RunJobRequest


class LaunchDelayed(Exception):
    """Northflank kept refusing the run (429) after the client's retries; try again later."""

    def __init__(self, retry_after: float | None) -> None:
        super().__init__(f"rate limited; retry after {retry_after} s")
        self.retry_after = retry_after


def job_id_for(name: str) -> str:
    """Northflank derives a job's id from its name: lower case, runs of other characters as one dash."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def report_job(name: str) -> CreateManualJobRequest:
    return CreateManualJobRequest(name=name, billing=Billing(deployment_plan="nf-compute-20"), backoff_limit=2)


def launch_report_job(client: NorthflankClient, project_id: str, name: str) -> JobDetails:
    """Create the job (or reuse it when an earlier launch created it), run it, and read it back."""
    try:
        job_id = client.jobs.create_manual_job(project_id, body=report_job(name)).id
    except ConflictError:
        job_id = job_id_for(name)
    try:
        client.jobs.run_job(job_id, project_id=project_id, body=RunJobRequest())
    except RateLimitError as exc:  # still limited after the client's own retries
        raise LaunchDelayed(exc.retry_after) from exc
    return client.jobs.get_job(job_id, project_id=project_id)


async def launch_report_job_async(client: AsyncNorthflankClient, project_id: str, name: str) -> JobDetails:
    """``launch_report_job`` on the async client."""
    try:
        job_id = (await client.jobs.create_manual_job(project_id, body=report_job(name))).id
    except ConflictError:
        job_id = job_id_for(name)
    try:
        await client.jobs.run_job(job_id, project_id=project_id, body=RunJobRequest())
    except RateLimitError as exc:
        raise LaunchDelayed(exc.retry_after) from exc
    return await client.jobs.get_job(job_id, project_id=project_id)
