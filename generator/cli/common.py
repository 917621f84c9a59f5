"""What `generate` and `check` share: the manifest's quick answer, and refusing to overwrite a user's file."""

from __future__ import annotations

import time

from ..provenance.manifest import quick_check
from ..settings import Settings
from .exit import Exit
from .report import Reporter
from .usage import shown


def held(reporter: Reporter, out: str, held: list[str] | tuple[str, ...]) -> Exit:
    for rel in held:
        path = f"{out}/{rel}"
        reporter.problem(
            path,
            "user-file-in-the-way",
            f"{path} is not a file the generator wrote (its package's _meta.py does not list it), and generating "
            "must write that path; move or rename your file, then generate again",
            f"user file in the way: {path} (not written by the generator, so never overwritten; move or rename it)",
        )
    reporter.note(f"{out}/: nothing was written")
    return Exit.INVALID


def up_to_date(settings: Settings, reporter: Reporter, done: str, started: float) -> bool:
    verdict = quick_check(settings)
    if verdict.up_to_date:
        reporter.info(
            f"{shown(settings.out)}/ is up to date with {shown(settings.spec)} ({verdict.files} files, "
            f"from the manifest: {done}; {time.perf_counter() - started:.2f}s)"
        )
    return verdict.up_to_date
