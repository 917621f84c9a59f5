"""`generate`: write one client's package, unless its manifest says it is already up to date."""

from __future__ import annotations

import time

from .common import held, up_to_date
from .config import Client
from .exit import Exit
from .report import Reporter
from .usage import shown


def run(client: Client, reporter: Reporter, *, full: bool, prog: str) -> Exit:
    started = time.perf_counter()
    settings = client.settings
    out, spec = shown(settings.out), shown(settings.spec)
    if not full and up_to_date(settings, reporter, "nothing to write", started):
        return Exit.OK
    from .. import api  # the stages: only once the manifest could not answer

    outcome = api.generate_from(settings)
    reporter.diagnostics(outcome.result.diagnostics)
    if outcome.report is None:
        reporter.note(f"{spec}: not generated; fix the errors above ({out}/ is unchanged)")
        return Exit.INVALID
    report = outcome.report
    if report.held:
        return held(reporter, out, report.held)
    reporter.info(
        f"generated {len(outcome.result.files or {})} files in {out}/ ({len(report.written)} written, "
        f"{report.unchanged} unchanged, {len(report.removed)} removed) in {time.perf_counter() - started:.2f}s"
    )
    for rel in report.replaced_edits:
        reporter.note(f"{out}/{rel}: your hand edit was replaced (generated files are rewritten; keep changes outside)")
    for rel in report.kept_foreign:
        reporter.note(f"{out}/{rel}: not generated (a user file); left in place")
    return Exit.OK
