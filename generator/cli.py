"""Command line: `generate`, `check` and `dump-ir`; prints diagnostics and diffs, maps outcomes to exit codes.

Exit codes: 0 success, 1 drift (`check`) or breaking changes (`breaking`), 2 invalid spec or usage,
3 internal error (a bug: please report).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .settings import Settings

if TYPE_CHECKING:
    from .ir import nodes
    from .ir.breaking import Change
    from .models import ModelsModule
    from .pipeline import Result

EXIT_OK, EXIT_DRIFT, EXIT_INVALID, EXIT_INTERNAL = 0, 1, 2, 3


# The stages are imported on first use: a `check` the manifest answers (manifest.py) must not pay
# for importing black, Jinja and the model generator.
def run(settings: Settings) -> Result:
    from .pipeline import run as run_pipeline

    return run_pipeline(settings)


def compare(old_api: nodes.Api, old_models: ModelsModule, new_api: nodes.Api, new_models: ModelsModule) -> list[Change]:
    from .ir.breaking import compare as compare_surfaces

    return compare_surfaces(old_api, old_models, new_api, new_models)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text in (
        ("generate", "write the client package under --out"),
        ("check", "exit 1 with a diff if --out does not match what the spec generates; writes nothing"),
        ("dump-ir", "print the intermediate representation as JSON (for debugging templates)"),
        ("breaking", "list changes to the client's public surface against an older spec; exit 1 if any breaks"),
    ):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--spec", type=Path, default=Path("spec/openapi.yaml"), help="OpenAPI 3.0/3.1 file")
        sub.add_argument("--out", type=Path, default=Path("generated"), help="directory holding the package")
        sub.add_argument("--package", help="import name of the package (default: info.x-codegen.package)")
        sub.add_argument("--client-name", help="client class name stem (default: info.x-codegen.clientName)")
        sub.add_argument("--token-env-var", help="environment variable the client reads its token from")
        sub.add_argument(
            "--templates", type=Path, help="use templates from this directory instead of the built-in ones"
        )
        sub.add_argument(
            "--no-cache", action="store_true", help="recompute everything (the cache never changes output, only speed)"
        )
        sub.add_argument(
            "--no-validate", action="store_true", help="skip openapi-spec-validator (our own checks still run)"
        )
        if name in ("generate", "check"):
            sub.add_argument(
                "--full",
                action="store_true",
                help="always regenerate and compare every byte, even when the manifest in _meta.py says the "
                "output is up to date (what this repository's CI runs)",
            )
        if name == "breaking":
            sub.add_argument(
                "--against",
                default="git:HEAD",
                help="the older spec: a file, or git:REV for the same path at a git revision (default: git:HEAD)",
            )
            sub.add_argument(
                "--format",
                choices=("text", "json"),
                default="text",
                help="text: one line per change, then the totals and the semver verdict; json: one document",
            )
    return parser


def _breaking(args: argparse.Namespace, options: dict[str, Any]) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        try:
            old_spec = _older_spec(args.spec, args.against, Path(scratch))
        except (OSError, subprocess.CalledProcessError) as exc:
            sys.stderr.write(f"cannot read the older spec {args.against!r}: {exc}\n")
            return EXIT_INVALID
        old = run(Settings(**{**options, "spec": old_spec}))
        new = run(Settings(**options))
    for label, result in (("older", old), ("current", new)):
        _print_diagnostics(result.diagnostics.render())
        if result.api is None or result.models is None:
            sys.stderr.write(f"the {label} spec has errors; fix them first\n")
            return EXIT_INVALID
    assert old.api and old.models and new.api and new.models
    from .ir.breaking import report, semver

    changes = compare(old.api, old.models, new.api, new.models)
    broken = sum(c.breaking for c in changes)
    if args.format == "json":
        json.dump(report(changes), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for change in changes:
            print(change.render())
        print(f"{broken} breaking change(s), {len(changes) - broken} other change(s) against {args.against}")
        print(f"semver: {semver(changes)}")
    return EXIT_DRIFT if broken else EXIT_OK


def _older_spec(spec: Path, against: str, scratch: Path) -> Path:
    """A path to the older spec; `git:REV` checks out the spec's directory at REV into ``scratch``."""
    if not against.startswith("git:"):
        return Path(against)
    revision = against[len("git:") :]
    spec_dir = spec.resolve().parent
    top = Path(
        subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=spec_dir, check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    rel = spec_dir.relative_to(top).as_posix()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, rel], cwd=top, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(scratch, filter="data")
    return scratch / rel / spec.name


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "spec": args.spec,
        "out": args.out,
        "package": args.package,
        "client_name": args.client_name,
        "token_env_var": args.token_env_var,
        "validate": not args.no_validate,
        "templates": args.templates,
        "cache": not args.no_cache,
    }


def _print_diagnostics(text: str) -> None:
    if text:
        sys.stderr.write(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    try:
        return _dispatch(args, started)
    except Exception as exc:  # an internal bug: say so plainly, keep the traceback short
        sys.stderr.write(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "generated/ was not changed. This is a generator bug; please report it with the spec.\n"
        )
        return EXIT_INTERNAL


def _dispatch(args: argparse.Namespace, started: float) -> int:
    options = _settings(args)
    if args.command == "breaking":
        return _breaking(args, options)
    if args.command == "dump-ir":
        result = run(Settings(**options))
        _print_diagnostics(result.diagnostics.render())
        if result.api is None:
            return EXIT_INVALID
        json.dump(dataclasses.asdict(result.api), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    if args.command in ("generate", "check") and not args.full:
        from .manifest import quick_check

        verdict = quick_check(Settings(**options))
        if verdict.up_to_date:
            elapsed = time.perf_counter() - started
            done = "nothing to write" if args.command == "generate" else "nothing ran"
            print(
                f"{args.out}/ is up to date with {args.spec} ({verdict.files} files, from the manifest: "
                f"{done}; {elapsed:.2f}s)"
            )
            return EXIT_OK
        causes = verdict.causes
    else:
        causes = ()
    from .api import check, generate

    if args.command == "generate":
        outcome = generate(**options)
        _print_diagnostics(outcome.result.diagnostics.render())
        if outcome.report is None:
            sys.stderr.write(f"{args.spec}: not generated; fix the errors above ({args.out} is unchanged)\n")
            return EXIT_INVALID
        report = outcome.report
        elapsed = time.perf_counter() - started
        print(
            f"generated {len(outcome.result.files or {})} files in {args.out}/ "
            f"({len(report.written)} written, {report.unchanged} unchanged, {len(report.removed)} removed) "
            f"in {elapsed:.2f}s"
        )
        for rel in report.kept_foreign:
            sys.stderr.write(f"{args.out}/{rel}: not generated and not ours (no marker); left in place\n")
        return EXIT_OK
    checked = check(**options)
    _print_diagnostics(checked.result.diagnostics.render())
    if checked.drift is None:
        sys.stderr.write(f"{args.spec}: cannot check; fix the errors above\n")
        return EXIT_INVALID
    drift = checked.drift
    elapsed = time.perf_counter() - started
    if drift.clean:
        print(f"{args.out}/ is up to date with {args.spec} ({len(checked.result.files or {})} files, {elapsed:.2f}s)")
        return EXIT_OK
    sys.stderr.write(drift.diff)
    for kind, names in (("changed", drift.changed), ("missing", drift.missing), ("stale extra", drift.extra)):
        for name in names:
            sys.stderr.write(f"{kind}: {args.out}/{name}\n")
    for cause in causes:  # why, as the manifest tells it
        sys.stderr.write(f"why: {cause}\n")
    sys.stderr.write(f"{args.out}/ is out of date with {args.spec}: run `make generate` and commit the result\n")
    return EXIT_DRIFT
