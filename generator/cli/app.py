"""The command line: parse the flags, resolve which clients to act on, run the command for each, exit.

Exit codes: ``exit.py``. Which clients, with what options: ``config.py`` (the consumer's
pyproject.toml), overridden by flags; the project root: ``generator/project.py``. Each command is its
own module (``generate``, ``check``, ``verify``, ``dump_ir``, ``breaking``); what they print: ``report.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import progress
from ..project import ConfigError, find_project
from . import breaking, check, dump_ir, generate, verify
from .config import Client, load_clients, select
from .exit import Exit
from .report import FORMATS, Reporter
from .usage import UsageError, preflight, shown

NAME = "openapi-client-gen"
DESCRIPTION = "Generate, check and compare typed Python clients of OpenAPI 3.0/3.1 specs."


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
        from .._version import describe

        sys.stdout.write(f"{NAME} {describe()}\n")
        parser.exit()


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=DESCRIPTION)
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
    return chosen


_current: list[Client] = []  # the clients worked on so far, for the internal-error message


def main(argv: Sequence[str] | None = None, prog: str = NAME) -> int:
    """``prog``: how the user invoked us, for usage lines and the commands messages suggest."""
    args = _parser(prog).parse_args(argv)
    _current.clear()
    # A run builds millions of objects that live until it ends (the spec, the IR, the models, black's
    # trees), and the collector's default thresholds walk them again and again: a tenth to a fifth
    # of the CPU on a large spec. mypy runs with these thresholds for the same reason. Forked
    # children inherit them; a caller embedding main() gets its own back.
    thresholds = gc.get_threshold()
    gc.set_threshold(200_000, 30, 30)
    try:
        return _dispatch(args, prog)
    except (UsageError, ConfigError) as exc:
        sys.stderr.write(f"{prog} {args.command}: error: {exc}\n")
        return Exit.INVALID
    except BrokenPipeError:
        # The reader went away (`dump-ir | head`). Python's documented idiom: point stdout at
        # devnull so the interpreter's last flush does not fail again; a reader that left needs no message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return Exit.BROKEN_PIPE
    except Exception as exc:  # an internal bug: say so plainly, keep the traceback short
        unchanged = f"{shown(_current[-1].settings.out)}/ was not changed" if _current else "nothing was written"
        sys.stderr.write(
            f"internal error: {type(exc).__name__}: {exc}\n"
            f"{unchanged}. This is a generator bug; please report it with the spec.\n"
        )
        return Exit.INTERNAL
    finally:
        gc.set_threshold(*thresholds)


def _dispatch(args: argparse.Namespace, prog: str = NAME) -> int:
    clients = _clients(args)
    if args.command == "breaking":
        code = Exit.OK
        for client in clients:
            _current.append(client)
            args.spec = client.settings.spec
            if len(clients) > 1 and args.format == "text":
                print(f"== {client.name} ({shown(args.spec)})")  # every report says whose it is
            code = max(code, breaking.run(args, client.settings))
        return code
    for client in clients:  # every usage error before any client is worked on
        preflight(client, args.command)
    reporter = Reporter(args.format, quiet=args.quiet, json_stream=sys.stderr if args.command == "dump-ir" else None)
    watching = not args.quiet and sys.stderr.isatty()
    code = Exit.OK
    for client in clients:
        _current.append(client)
        prefix = f"[{client.name}] " if len(clients) > 1 else ""
        with progress.reporting(sys.stderr.write, prefix=prefix) if watching else contextlib.nullcontext():
            if args.command == "verify":
                code = max(code, verify.run(client, reporter, prog=prog))
            elif args.command == "dump-ir":
                code = max(code, dump_ir.run(client, reporter))
            elif args.command == "check":
                code = max(code, check.run(client, reporter, full=args.full, prog=prog, diff=args.diff))
            else:
                code = max(code, generate.run(client, reporter, full=args.full, prog=prog))
    reporter.finish()
    return code
