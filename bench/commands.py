"""What the compile seam saves: `dump-ir` and `breaking` against a cold `generate`, on one spec (issue 23).

    .venv/bin/python bench/commands.py                       # Northflank, 5 rounds
    .venv/bin/python bench/commands.py --spec path/to/openapi.yaml --repeats 7
    .venv/bin/python bench/commands.py --clients             # breaking in a repository with three clients

``generate --full`` renders and formats; ``dump-ir`` compiles once and renders nothing; ``breaking``
compiles two specs (the working tree's and the committed one, which differ by one description so
both sides are compiled) and renders nothing. Every run is cold (an emptied cache directory),
commands alternate in an order that reverses every round, and the table gives medians of wall and
CPU seconds (``getrusage(RUSAGE_CHILDREN)``: the whole process tree) and each command's ratio to
``generate``. ``--clients`` times ``breaking`` in a scratch git repository configured with three
clients of which one changed since ``HEAD``, against the same repository with all three changed.
Standard library only.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"


def _timed(argv: list[str], cwd: Path, cache: Path, prepare: list[str] | None) -> tuple[float, float, int, str]:
    """One cold run of ``argv``; ``prepare`` runs first, untimed, on the emptied cache."""
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "OPENAPI_CLIENT_GEN_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    if prepare is not None:
        subprocess.run(prepare, cwd=cwd, env=env, check=True, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.returncode, proc.stderr


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _repository(scratch: Path, spec: Path, clients: int, changed: int) -> Path:
    """A git repository with ``clients`` copies of ``spec`` configured, ``changed`` of them edited since HEAD."""
    repo = scratch / f"repo-{clients}-{changed}"
    lines = ["[tool.openapi-client-gen]"]
    for number in range(clients):
        (repo / f"spec{number}").mkdir(parents=True)
        shutil.copy(spec, repo / f"spec{number}" / "openapi.yaml")
        lines += [
            "[[tool.openapi-client-gen.client]]",
            f'name = "c{number}"',
            f'spec = "spec{number}/openapi.yaml"',
            f'out = "out{number}"',
            f'package = "client{number}"',
        ]
    (repo / "pyproject.toml").write_text("\n".join(lines) + "\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-qm", "specs")
    for number in range(changed):
        _edit(repo / f"spec{number}" / "openapi.yaml")
    return repo


def _edit(spec: Path) -> None:
    """A top-level extension added: the surface is the same, but both sides must be compiled to know it (YAML)."""
    spec.write_text(spec.read_text().rstrip("\n") + "\nx-bench-edited: true\n")


def _report(name: str, samples: list[tuple[float, float]], base: tuple[float, float] | None) -> tuple[float, float]:
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    ratio = f"{wall / base[0]:.2f}x / {cpu / base[1]:.2f}x" if base else "1.00x / 1.00x"
    shown = ", ".join(f"{s[0]:.2f}" for s in samples)
    print(f"| {name} | {wall:.2f} / {cpu:.2f} | {ratio} | {shown} |")
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spec", type=Path, default=ROOT / "spec" / "openapi.yaml")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--clients", action="store_true", help="breaking with three configured clients")
    args = parser.parse_args()
    spec = args.spec.resolve()
    with tempfile.TemporaryDirectory(prefix="bench-commands-") as tmp:
        scratch = Path(tmp)
        cache = scratch / "cache"
        cli = [str(PYTHON), "-m", "generator"]
        if args.clients:
            commands = {
                "breaking, 3 clients, 1 changed": ([*cli, "breaking"], _repository(scratch, spec, 3, 1), None),
                "breaking, 3 clients, 3 changed": ([*cli, "breaking"], _repository(scratch, spec, 3, 3), None),
            }
        else:
            repo = _repository(scratch, spec, 1, 1)
            own = ["--spec", "spec0/openapi.yaml"]
            # The committed spec generated under its own path, as `git stash` would give it.
            head = [
                "sh",
                "-c",
                f"git stash -q && {' '.join(cli)} generate --full {' '.join(own)} --out out0; git stash pop -q",
            ]
            commands = {
                "generate --full (cold)": ([*cli, "generate", "--full", *own, "--out", "out0"], repo, None),
                "dump-ir (cold)": ([*cli, "dump-ir", *own], repo, None),
                "breaking --against git:HEAD (cold, 2 compiles)": ([*cli, "breaking", *own], repo, None),
                # What a developer usually has: the committed spec was generated on this machine,
                # so its compile is in the cache and only the edited side is compiled cold.
                "breaking, HEAD's spec generated here": ([*cli, "breaking", *own], repo, head),
                # dump-ir right after a generate of the same spec: the compile comes from the cache.
                "dump-ir after generate": (
                    [*cli, "dump-ir", *own],
                    repo,
                    [*cli, "generate", "--full", *own, "--out", "out0"],
                ),
            }
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        names = list(commands)
        for round_number in range(args.repeats):
            for name in names if round_number % 2 == 0 else reversed(names):
                argv, cwd, prepare = commands[name]
                wall, cpu, code, err = _timed(argv, cwd, cache, prepare)
                if code not in (0, 1):
                    print(f"{name} exited {code}: {err}", file=sys.stderr)
                    return 1
                samples[name].append((wall, cpu))
        print(f"spec: {spec.relative_to(ROOT) if spec.is_relative_to(ROOT) else spec}; {args.repeats} rounds, cold")
        print("| command | median wall / CPU s | ratio to the first | wall samples |")
        print("| --- | --- | --- | --- |")
        base = None
        for name in names:
            measured = _report(name, samples[name], base)
            base = base or measured
    return 0


if __name__ == "__main__":
    sys.exit(main())
