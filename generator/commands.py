"""`generate`, `check`, `verify` and `dump-ir` for one client: run, report, and return the exit code.

Every path in a message is shown the same way (``usage.shown``: relative to
the current directory), in the summary, the per-file lines and the diff
headers alike, and every message names the actual ``--out``.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

from .config import Client
from .manifest import META, Manifest, find_manifest, input_changes, quick_check, read_manifest, tree_changes
from .report import Reporter
from .settings import Settings
from .usage import check_out, check_spec, check_templates, shown

EXIT_OK, EXIT_DRIFT, EXIT_INVALID = 0, 1, 2


def preflight(client: Client, command: str) -> None:
    """Usage errors (exit 2) before any work; ``origin`` tells the user where the bad value came from."""
    options = client.options

    def origin(key: str, flag: str) -> str:
        return flag if client.source == "command line" or key in client.overridden else f"{key} in {client.source}"

    if command == "verify":
        check_out(options["out"], origin("out", "--out"), must_exist=True)
        return
    check_spec(options["spec"], origin("spec", "--spec"))
    check_out(options["out"], origin("out", "--out"))
    if options.get("templates") is not None:
        check_templates(options["templates"], origin("templates", "--templates"))


def _held(reporter: Reporter, out: str, held: list[str] | tuple[str, ...]) -> int:
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
    return EXIT_INVALID


def _up_to_date(settings: Settings, reporter: Reporter, done: str, started: float) -> bool:
    verdict = quick_check(settings)
    if verdict.up_to_date:
        reporter.info(
            f"{shown(settings.out)}/ is up to date with {shown(settings.spec)} ({verdict.files} files, "
            f"from the manifest: {done}; {time.perf_counter() - started:.2f}s)"
        )
    return verdict.up_to_date


def generate(client: Client, reporter: Reporter, *, full: bool, prog: str) -> int:
    started = time.perf_counter()
    settings = Settings(**client.options)
    out, spec = shown(settings.out), shown(settings.spec)
    if not full and _up_to_date(settings, reporter, "nothing to write", started):
        return EXIT_OK
    from . import api  # the stages: only once the manifest could not answer

    outcome = api.generate(**client.options)
    reporter.diagnostics(outcome.result.diagnostics)
    if outcome.report is None:
        reporter.note(f"{spec}: not generated; fix the errors above ({out}/ is unchanged)")
        return EXIT_INVALID
    report = outcome.report
    if report.held:
        return _held(reporter, out, report.held)
    reporter.info(
        f"generated {len(outcome.result.files or {})} files in {out}/ ({len(report.written)} written, "
        f"{report.unchanged} unchanged, {len(report.removed)} removed) in {time.perf_counter() - started:.2f}s"
    )
    for rel in report.replaced_edits:
        reporter.note(f"{out}/{rel}: your hand edit was replaced (generated files are rewritten; keep changes outside)")
    for rel in report.kept_foreign:
        reporter.note(f"{out}/{rel}: not generated (a user file); left in place")
    return EXIT_OK


def _why(settings: Settings) -> list[str]:
    manifest = find_manifest(settings.out, settings.spec_display)
    if manifest is None:
        return [f"no manifest for {settings.spec_display} under {shown(settings.out)}/ (never generated there?)"]
    return input_changes(manifest, settings)


def check(client: Client, reporter: Reporter, *, full: bool, prog: str, diff: bool = False) -> int:
    started = time.perf_counter()
    settings = Settings(**client.options)
    out, spec = shown(settings.out), shown(settings.spec)
    if not full and _up_to_date(settings, reporter, "nothing ran", started):
        return EXIT_OK
    from . import api  # the stages: only once the manifest could not answer

    checked = api.check(**client.options, diff_label=out)
    reporter.diagnostics(checked.result.diagnostics)
    if checked.drift is None:
        reporter.note(f"{spec}: cannot check; fix the errors above")
        return EXIT_INVALID
    drift = checked.drift
    if drift.held:
        return _held(reporter, out, drift.held)
    if drift.clean:
        files = len(checked.result.files or {})
        reporter.info(f"{out}/ is up to date with {spec} ({files} files, {time.perf_counter() - started:.2f}s)")
        return EXIT_OK
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
    return EXIT_DRIFT


def _manifests(settings: Settings) -> list[Manifest | Path]:
    """The packages to verify: the configured package, else the one from the spec, else every one under out."""
    if settings.package:
        meta = settings.out / settings.package / META
        return [read_manifest(meta) or meta]
    found = find_manifest(settings.out, settings.spec_display)
    if found is not None:
        return [found]
    return [read_manifest(meta) or meta for meta in sorted(settings.out.glob(f"*/{META}"))]


def verify(client: Client, reporter: Reporter, *, prog: str) -> int:
    settings = Settings(**client.options)
    out = shown(settings.out)
    manifests = _manifests(settings)
    if not manifests:
        reporter.problem(out, "no-manifest", f"no generated package under {out}/", f"missing: {out}/*/{META}")
        reporter.note(f"{out}/: nothing to verify (no <package>/{META}); generate first, or point --out at it")
        return EXIT_DRIFT
    failed = False
    for manifest in manifests:
        if isinstance(manifest, Path):
            name = f"{out}/{manifest.parent.name}/{META}"
            state = "missing" if not manifest.exists() else "edited by hand"
            reporter.problem(name, state.replace(" ", "-"), f"{name}: not a readable manifest", f"{state}: {name}")
            failed = True
            continue
        lines = tree_changes(manifest)
        for line in lines:
            kind, _, rel = line.partition(": ")
            reporter.problem(f"{out}/{rel}", kind.replace(" ", "-"), f"{out}/{rel}: {kind}", f"{kind}: {out}/{rel}")
        package = f"{out}/{manifest.package_dir.name}"
        if lines:
            failed = True
            reporter.note(
                f"{package}: {len(lines)} file(s) differ from its manifest ({META}); restore them from version "
                f"control, or regenerate with `{prog} generate`"
            )
        else:
            reporter.info(f"{package}: every file is as generated ({len(manifest.files) + 1} files)")
    return EXIT_DRIFT if failed else EXIT_OK


def dump_ir(client: Client, reporter: Reporter, *, run: Any) -> int:
    result = run(Settings(**client.options))
    reporter.diagnostics(result.diagnostics)
    if result.api is None:
        return EXIT_INVALID
    json.dump(dataclasses.asdict(result.api), sys.stdout, indent=2)
    sys.stdout.write("\n")
    sys.stdout.flush()  # a closed pipe shows here, inside main's handler, not at interpreter exit
    return EXIT_OK
