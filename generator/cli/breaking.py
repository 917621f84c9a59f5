"""`breaking`: compare one client's public surface with an older spec's and say what breaks callers.

Either side may need no compiling: an unchanged self-contained spec has nothing to break, and a spec that
is new since the compared revision is a new client. Otherwise both sides are compiled (never rendered)
and compared by ``generator.breaking``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from ..settings import Settings
from .exit import Exit
from .usage import shown


def run(args: argparse.Namespace, settings: Settings) -> Exit:
    import subprocess
    import tempfile

    from ..breaking import compare, report, semver
    from ..pipeline import compile_spec  # the stages, without rendering: only the IR and models are compared
    from ..worker import fork_call

    with tempfile.TemporaryDirectory() as scratch:
        try:
            old_spec, old_root = _older_spec(args.spec, args.against, Path(scratch), settings.project_root)
        except subprocess.CalledProcessError as exc:
            said = (exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else exc.stderr or "").strip()
            sys.stderr.write(f"cannot read the older spec {args.against!r}: git says: {said or exc}\n")
            return Exit.INVALID
        except OSError as exc:
            sys.stderr.write(f"cannot read the older spec {args.against!r}: {exc}\n")
            return Exit.INVALID
        if old_spec.exists() and _same_spec(old_spec, args.spec):
            # Nothing the spec is made of changed: no need to compile either side.
            return _nothing_to_compare(args, f"{shown(args.spec)} is unchanged since {args.against}", "patch")
        if not old_spec.exists():
            # The spec is new since that revision: a new client has no callers to break.
            return _nothing_to_compare(args, f"{shown(args.spec)} is new since {args.against}: a new client", "minor")
        # Both sides at once, the older in a child: each compile waits mostly on its own model
        # generation child, so on two cores the pair costs about one compile. The older side skips
        # openapi-spec-validator: it is compiled for its surface, and our own checks still run.
        # Its project root is the checkout's mirror, so its files are named as they were committed and
        # its cached compile (from when that revision was generated here) is found.
        old_settings = dataclasses.replace(settings, spec=old_spec, validate=False, root=old_root or settings.root)
        older = fork_call(compile_spec, old_settings, daemon=False)
        new = compile_spec(settings)
        old = older()
    for label, result in (("older", old), ("current", new)):
        _print_diagnostics(result.diagnostics.render())
        if result.api is None or result.models is None:
            sys.stderr.write(f"the {label} spec has errors; fix them first\n")
            return Exit.INVALID
    assert old.api and old.models and new.api and new.models

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
    return Exit.DRIFT if broken else Exit.OK


def _older_spec(spec: Path, against: str, scratch: Path, project_root: Path) -> tuple[Path, Path | None]:
    """A path to the older spec, and the project root it is under; `git:REV` checks out the spec's
    directory at REV into ``scratch``, which then stands for the repository's top level."""
    import io  # breaking's own needs: kept off the no-change check's import time
    import subprocess
    import tarfile

    if not against.startswith("git:"):
        return Path(against), None
    revision = against[len("git:") :]
    spec_dir = spec.resolve().parent
    top = Path(
        subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=spec_dir, check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    rel = spec_dir.relative_to(top).as_posix()
    root = scratch / project_root.relative_to(top) if project_root.is_relative_to(top) else None
    listed = subprocess.run(
        ["git", "ls-tree", "--name-only", revision, "--", rel or "."], cwd=top, capture_output=True, text=True
    )
    if listed.returncode == 0 and not listed.stdout.strip():
        return scratch / rel / spec.name, root  # the folder did not exist then: the caller reports a new spec
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, rel], cwd=top, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(scratch, filter="data")
    return scratch / rel / spec.name, root


def _nothing_to_compare(args: argparse.Namespace, why: str, effect: str) -> Exit:
    """breaking's answer when one side needs no compiling: an unchanged or a new spec."""
    if args.format == "json":
        json.dump({"changes": [], "breaking": 0, "semver": effect}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"{why}: nothing to break")
        print(f"semver: {effect}")
    return Exit.OK


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
