"""Command line: `generate`, `check`, `verify`, `dump-ir` and `breaking`; maps outcomes to exit codes.

Exit codes: 0 success, 1 drift (`check`), a changed vendored copy (`verify`) or breaking changes
(`breaking`), 2 invalid spec or usage (every message names the path and what to do), 3 internal
error (a bug: please report). A closed pipe (`dump-ir | head`) ends the run silently with 141, as a
process killed by SIGPIPE does, so `set -o pipefail` still sees that the output was cut short.

Which clients, with what options: ``config.py`` (the consumer's pyproject.toml), overridden by
flags; the project root: ``project.py``; what each command prints: ``commands.py``, ``report.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import commands, progress
from .config import Client, load_clients, select
from .project import ConfigError, find_project
from .report import FORMATS, Reporter
from .settings import Settings
from .usage import UsageError, shown

if TYPE_CHECKING:
    from .ir import nodes
    from .ir.breaking import Change
    from .models import ModelsModule
    from .pipeline import Result

EXIT_OK, EXIT_DRIFT, EXIT_INVALID, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a process killed by SIGPIPE
NAME = "openapi-client-gen"


# The stages are imported on first use: a `check` the manifest answers (manifest.py) must not pay
# for importing black, Jinja and the model generator.
def run(settings: Settings) -> Result:
    from .pipeline import run as run_pipeline

    return run_pipeline(settings)


def compile_only(settings: Settings) -> Result:
    """The IR and models without rendering: all `dump-ir` and `breaking` read."""
    from .pipeline import compile_spec

    return compile_spec(settings)


def compare(old_api: nodes.Api, old_models: ModelsModule, new_api: nodes.Api, new_models: ModelsModule) -> list[Change]:
    from .ir.breaking import compare as compare_surfaces

    return compare_surfaces(old_api, old_models, new_api, new_models)


COMMANDS = {
    "generate": "write the client package under --out",
    "check": "exit 1 with a diff if --out does not match what the spec generates; writes nothing",
    "verify": "exit 1 listing every file that differs from the package's manifest (_meta.py); needs no spec",
    "dump-ir": "print the intermediate representation as JSON (for debugging templates)",
    "breaking": "list changes to the client's public surface against an older spec; exit 1 if any breaks",
}


def _client_options(sub: argparse.ArgumentParser, command: str) -> None:
    sub.add_argument("--client", metavar="NAME", help="act on this configured client only (default: every one)")
    sub.add_argument("--out", type=Path, help="directory holding the package (default: configured, else generated)")
    sub.add_argument("--package", help="import name of the package (default: info.x-codegen.package)")
    if command == "verify":  # a vendored copy is verified against its own manifest: no spec, no options
        return
    sub.add_argument("--spec", type=Path, help="OpenAPI 3.0/3.1 file (default: configured, else spec/openapi.yaml)")
    sub.add_argument("--client-name", help="client class name stem (default: info.x-codegen.clientName)")
    sub.add_argument("--token-env-var", help="environment variable the client reads its token from")
    sub.add_argument("--templates", type=Path, help="use templates from this directory instead of the built-in ones")
    sub.add_argument("--no-cache", action="store_true", help="recompute everything (the cache only changes speed)")
    sub.add_argument(
        "--cache-dir",
        type=Path,
        help=f"cache directory (default: $OPENAPI_CLIENT_GEN_CACHE_DIR, else {NAME}/ in the user cache directory)",
    )
    sub.add_argument("--no-validate", action="store_true", help="skip openapi-spec-validator (our own checks run)")


class _Version(argparse.Action):
    """``--version``, reading the installed commit only when asked (metadata lookups cost time)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        from ._version import describe

        sys.stdout.write(f"{NAME} {describe()}\n")
        parser.exit()


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n")[0])
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version (and the commit installed from)")
    subcommands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        sub = subcommands.add_parser(name, help=help_text, description=help_text)
        _client_options(sub, name)
        sub.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary line on success")
        if name != "breaking":  # breaking reports changes, not diagnostics: its output is its own
            sub.add_argument("--format", choices=FORMATS, default="text", help="text, json or github (README)")
        if name in ("generate", "check"):
            sub.add_argument(
                "--full",
                action="store_true",
                help="always regenerate and compare every byte, even when the manifest in _meta.py says the "
                "output is up to date (what this repository's CI runs)",
            )
        if name == "check":
            sub.add_argument(
                "--diff",
                action="store_true",
                help="print the whole diff even where nothing was generated yet (by default a package "
                "that was never generated is listed, not printed)",
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
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        try:
            old_spec = _older_spec(args.spec, args.against, Path(scratch))
        except subprocess.CalledProcessError as exc:
            said = (exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else exc.stderr or "").strip()
            sys.stderr.write(f"cannot read the older spec {args.against!r}: git says: {said or exc}\n")
            return EXIT_INVALID
        except OSError as exc:
            sys.stderr.write(f"cannot read the older spec {args.against!r}: {exc}\n")
            return EXIT_INVALID
        if old_spec.exists() and _same_spec(old_spec, args.spec):
            # Nothing the spec is made of changed: no need to compile either side.
            return _nothing_to_compare(args, f"{shown(args.spec)} is unchanged since {args.against}", "patch")
        if not old_spec.exists():
            # The spec is new since that revision: a new client has no callers to break.
            return _nothing_to_compare(args, f"{shown(args.spec)} is new since {args.against}: a new client", "minor")
        old = compile_only(Settings(**{**options, "spec": old_spec}))
        new = compile_only(Settings(**options))
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
    import io  # breaking's own needs: kept off the no-change check's import time
    import subprocess
    import tarfile

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
    listed = subprocess.run(
        ["git", "ls-tree", "--name-only", revision, "--", rel or "."], cwd=top, capture_output=True, text=True
    )
    if listed.returncode == 0 and not listed.stdout.strip():
        return scratch / rel / spec.name  # the folder did not exist then: the caller reports a new spec
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, rel], cwd=top, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(scratch, filter="data")
    return scratch / rel / spec.name


def _nothing_to_compare(args: argparse.Namespace, why: str, effect: str) -> int:
    """breaking's answer when one side needs no compiling: an unchanged or a new spec."""
    if args.format == "json":
        json.dump({"changes": [], "breaking": 0, "semver": effect}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"{why}: nothing to break")
        print(f"semver: {effect}")
    return EXIT_OK


def _same_spec(old: Path, new: Path) -> bool:
    """Whether both sides are the same self-contained spec: equal bytes and no ``$ref`` to another file
    (a spec split into files may change in a file this does not read, so it is compiled)."""
    import re

    try:
        old_bytes, new_bytes = old.read_bytes(), new.read_bytes()
    except OSError:
        return False
    external = re.search(rb"""\$ref['"]?\s*:\s*['"]?[^'"#\s]""", new_bytes)
    return old_bytes == new_bytes and external is None


def _print_diagnostics(text: str) -> None:
    if text:
        sys.stderr.write(text)


def _clients(args: argparse.Namespace) -> list[Client]:
    project = find_project()
    flags = {
        "spec": getattr(args, "spec", None),
        "out": args.out,
        "package": args.package,
        "client_name": getattr(args, "client_name", None),
        "token_env_var": getattr(args, "token_env_var", None),
        "templates": getattr(args, "templates", None),
        "cache_dir": getattr(args, "cache_dir", None),
        "validate": False if getattr(args, "no_validate", False) else None,
        "cache": False if getattr(args, "no_cache", False) else None,
    }
    overrides = {key: value for key, value in flags.items() if value is not None}
    chosen = select(load_clients(project), name=args.client, overrides=overrides, project=project)
    if args.command == "dump-ir" and len(chosen) > 1:
        names = ", ".join(client.name for client in chosen)
        raise UsageError(f"dump-ir prints one client's IR, and {len(chosen)} are configured ({names}): add --client")
    return [Client(c.name, {**c.options, "root": project.root}, c.source, c.overridden) for c in chosen]


_current: list[Client] = []  # the clients worked on so far, for the internal-error message


def main(argv: Sequence[str] | None = None, prog: str = NAME) -> int:
    """``prog``: how the user invoked us, for usage lines and the commands messages suggest."""
    args = _parser(prog).parse_args(argv)
    _current.clear()
    try:
        return _dispatch(args, prog)
    except (UsageError, ConfigError) as exc:
        sys.stderr.write(f"{prog} {args.command}: error: {exc}\n")
        return EXIT_INVALID
    except BrokenPipeError:
        # The reader went away (`dump-ir | head`). Python's documented idiom: point stdout at
        # devnull so the interpreter's last flush does not fail again; a reader that left needs no message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # an internal bug: say so plainly, keep the traceback short
        unchanged = f"{shown(_current[-1].options['out'])}/ was not changed" if _current else "nothing was written"
        sys.stderr.write(
            f"internal error: {type(exc).__name__}: {exc}\n"
            f"{unchanged}. This is a generator bug; please report it with the spec.\n"
        )
        return EXIT_INTERNAL


def _dispatch(args: argparse.Namespace, prog: str = NAME) -> int:
    clients = _clients(args)
    if args.command == "breaking":
        code = EXIT_OK
        for client in clients:
            _current.append(client)
            args.spec = client.options["spec"]
            if len(clients) > 1 and args.format == "text":
                print(f"== {client.name} ({shown(args.spec)})")  # every report says whose it is
            code = max(code, _breaking(args, client.options))
        return code
    for client in clients:  # every usage error before any client is worked on
        commands.preflight(client, args.command)
    reporter = Reporter(args.format, quiet=args.quiet, json_stream=sys.stderr if args.command == "dump-ir" else None)
    watching = not args.quiet and sys.stderr.isatty()
    code = EXIT_OK
    for client in clients:
        _current.append(client)
        prefix = f"[{client.name}] " if len(clients) > 1 else ""
        with progress.reporting(sys.stderr.write, prefix=prefix) if watching else contextlib.nullcontext():
            if args.command == "verify":
                code = max(code, commands.verify(client, reporter, prog=prog))
            elif args.command == "dump-ir":
                code = max(code, commands.dump_ir(client, reporter, run=compile_only))
            elif args.command == "check":
                code = max(code, commands.check(client, reporter, full=args.full, prog=prog, diff=args.diff))
            else:
                code = max(code, commands.generate(client, reporter, full=args.full, prog=prog))
    reporter.finish()
    return code
