"""`check`: the drift check; compare one client's package with what its spec generates, write nothing.

Every path in a message is shown the same way (``usage.shown``: relative to the current directory),
in the summary, the per-file lines and the diff headers alike, and every message names the actual ``--out``.
"""

from __future__ import annotations

import time

from ..provenance.manifest import find_manifest, input_changes
from ..settings import Settings
from .common import held, up_to_date
from .config import Client
from .exit import Exit
from .report import Reporter
from .usage import shown


def _why(settings: Settings) -> list[str]:
    manifest = find_manifest(settings.out, settings.spec_display)
    if manifest is None:
        return [f"no manifest for {settings.spec_display} under {shown(settings.out)}/ (never generated there?)"]
    return input_changes(manifest, settings)


def run(client: Client, reporter: Reporter, *, full: bool, prog: str, diff: bool = False) -> Exit:
    started = time.perf_counter()
    settings = client.settings
    out, spec = shown(settings.out), shown(settings.spec)
    if not full and up_to_date(settings, reporter, "nothing ran", started):
        return Exit.OK
    from .. import api  # the stages: only once the manifest could not answer

    checked = api.check_from(settings, diff_label=out)
    reporter.diagnostics(checked.result.diagnostics)
    if checked.drift is None:
        reporter.note(f"{spec}: cannot check; fix the errors above")
        return Exit.INVALID
    drift = checked.drift
    if drift.held:
        return held(reporter, out, drift.held)
    if drift.clean:
        files = len(checked.result.files or {})
        reporter.info(f"{out}/ is up to date with {spec} ({files} files, {time.perf_counter() - started:.2f}s)")
        return Exit.OK
    never = bool(drift.missing) and not (drift.changed or drift.extra or drift.edited)
    never = never and len(drift.missing) == len(checked.result.files or {})
    if never and not diff:
        # Nothing of it exists yet: the diff would be the whole package (megabytes for a large API).
        reporter.note(
            f"{out}/ was never generated from {spec}: `{prog} generate` writes the {len(drift.missing)} files "
            f"below (`{prog} check --diff` prints them in full)"
        )
    else:
        reporter.note(drift.diff)
    for kind, code, names, message in (
        ("edited by hand", "edited-by-hand", drift.edited, "changed since it was generated; generate would undo it"),
        ("out of date", "out-of-date", drift.changed, f"not what {spec} generates now"),
        ("missing", "missing", drift.missing, "generated, but not on disk"),
        ("stale extra", "stale-extra", drift.extra, "generated earlier, no longer; generate would remove it"),
    ):
        for name in names:
            reporter.problem(f"{out}/{name}", code, f"{out}/{name}: {message}", f"{kind}: {out}/{name}")
    why = _why(settings)
    for cause in why:
        reporter.note(f"why: {cause}")
    if drift.edited and not (drift.changed or drift.missing or drift.extra or why):
        reporter.note(
            f"{out}/ has hand edits; generate would replace them with what {spec} gives: move your change out of "
            f"the generated package (your own module, a template or the spec), then run `{prog} generate`"
        )
    else:
        reporter.note(f"{out}/ is out of date with {spec}: run `{prog} generate` and commit the result")
    return Exit.DRIFT
