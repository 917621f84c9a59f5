"""Benchmark our generator against openapi-python-client and datamodel-code-generator, side by side.

``make bench`` runs ``.venv/bin/python bench/run.py``. One run installs the peers into their own
venv (``bench/.venv-peers``, pinned in ``bench/requirements-peers.txt``), fetches the public inputs
from npm (pinned in ``bench/package.json`` + lock, into ``bench/.work/bench``), then measures on the
same inputs: wall time (median, spread and every sample), peak memory, output size, whether every
generated module imports, import time over the runtime dependencies, our ``check --full`` (cold and
warm), our no-change ``check`` and ``generate`` (answered from the manifest), incremental
regeneration after a one-schema edit, the generated client's per-call overhead and model
throughput; and writes the tables into ``docs/benchmarks.md`` between the generated-section
markers (prose outside them is kept).

Standard library only (it runs in the project venv; the peers run from their own venv).
Failures of a tool are results (rows with the exit code and stderr head), never a crash of the run.
"""

from __future__ import annotations

import argparse
import dataclasses
import fnmatch
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ours
import report
from common import LOGS, TIMEOUT_S, cache_env, copy_our_spec, log, out_dir, spec_for
from harness import clean_dir, output_size, run_measured
from inputs import INPUTS, ROOT, WORK, Input, npm_versions, prepare_inputs, shape
from outputs import check_imports, discover, time_imports
from peers import (
    PEER_PYTHON,
    SNAPSHOT,
    TOOLS,
    Tool,
    ensure_peer_venv,
    our_versions,
    peer_versions,
    snapshot_generator,
    tool_env,
)
from results import Cell, Failure, Results, RunRow, as_json, spread_of

RESULTS = WORK / "results.json"
DOC = ROOT / "docs" / "benchmarks.md"

REPEATS = {"small": 5, "medium": 3, "large": 3}
QUICK_REPEATS = {"small": 2, "medium": 1, "large": 1}
SLOW_LARGE_S = 120.0  # a large-input run slower than this is not repeated (the doc says so)
IMPORT_SAMPLES = 7
INCREMENTAL_INPUTS = ("northflank", "github")  # a one-schema edit, then ours' generate again


# --------------------------------------------------------------------------- machine


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    node = subprocess.run(["node", "--version"], capture_output=True, text=True)
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version() + f" ({platform.python_implementation()})",
        "os": f"{platform.system()} {platform.release()}",
        "node": node.stdout.strip() if node.returncode == 0 else "n/a",
        "load_start": load(),
    }


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


# --------------------------------------------------------------------------- selection


def selected(pattern_list: list[str], tool: str, item: str) -> bool:
    """``--only`` patterns: TOOL/INPUT with shell wildcards; a bare word matches a tool or an input."""
    if not pattern_list:
        return True
    for pattern in pattern_list:
        if "/" in pattern:
            tool_pat, input_pat = pattern.split("/", 1)
            if fnmatch.fnmatch(tool, tool_pat) and fnmatch.fnmatch(item, input_pat):
                return True
        elif fnmatch.fnmatch(tool, pattern) or fnmatch.fnmatch(item, pattern):
            return True
    return False


# --------------------------------------------------------------------------- the runs


def measure_cell(tool: Tool, item: Input, repeats: int, env: dict[str, str], cell: Cell, rep: int) -> bool:
    """One cold ``generate``. Returns False when this cell should not be repeated.

    Cold means our generator starts with an empty cache, like a fresh clone in CI; the peers have none.
    The output directory is emptied first, so there is no manifest to answer from either.
    """
    out = out_dir(tool, item)
    clean_dir(out)
    run = run_measured(
        tool.generate_argv(item, out, spec=spec_for(tool, item)),
        log_dir=LOGS,
        name=f"{tool.key}-{item.key}-gen-{rep}",
        timeout_s=TIMEOUT_S[item.size],
        env=cache_env(env, f"{tool.key}-{item.key}-generate", fresh=True),
        cwd=SNAPSHOT,
    )
    cell.runs.append(RunRow.of(run))
    cell.peak_rss_kib = max(cell.peak_rss_kib, run.max_rss_kib)
    status = "timeout" if run.timed_out else f"exit {run.exit_code}"
    log(
        f"  {tool.key:5} {item.key:10} generate #{rep + 1}/{repeats}: {run.wall_s:7.2f}s "
        f"{run.max_rss_kib / 1024:7.1f} MiB  {status}"
    )
    if not run.ok:
        cell.failure = Failure.of("generate", run)
        return False
    if item.size == "large" and run.wall_s > SLOW_LARGE_S and rep + 1 < repeats:
        cell.note = f"1 run only: the first took {run.wall_s:.0f}s (> {SLOW_LARGE_S:.0f}s), so it was not repeated"
        return False
    return True


def cold_check(tool: Tool, item: Input, repeats: int, env: dict[str, str], cell: Cell, rep: int) -> None:
    """Our ``check --full`` with an emptied cache against the output this repeat's ``generate`` wrote."""
    argv = tool.check_argv(item, out_dir(tool, item), spec=spec_for(tool, item), full=True)
    if argv is None:
        return
    checked = run_measured(
        argv,
        log_dir=LOGS,
        name=f"{tool.key}-{item.key}-check-full-{rep}",
        timeout_s=TIMEOUT_S[item.size],
        env=cache_env(env, f"{tool.key}-{item.key}-check", fresh=True),
        cwd=SNAPSHOT,
    )
    cell.check_runs.append(RunRow.of(checked))
    log(
        f"  {tool.key:5} {item.key:10} check --full #{rep + 1}/{repeats}: {checked.wall_s:7.2f}s "
        f"{'timeout' if checked.timed_out else f'exit {checked.exit_code}'}"
    )
    if not checked.ok and cell.check_failure is None:
        cell.check_failure = Failure.of("check --full", checked)


def measure_repeats(tools: list[Tool], item: Input, repeats: int, env: dict[str, str], cells: dict[str, Cell]) -> None:
    """Every tool's cold ``generate`` once per repeat, back to back, in an order that reverses every other
    repeat (so no tool always runs first); then, per repeat, our cold ``check --full``."""
    active = {t.key for t in tools}
    for rep in range(repeats):
        order = tools if rep % 2 == 0 else tools[::-1]
        generated = []
        for tool in order:
            if tool.key not in active:
                continue
            if not measure_cell(tool, item, repeats, env, cells[tool.key], rep):
                active.discard(tool.key)
            if cells[tool.key].failure is None:
                generated.append(tool)
        for tool in generated:
            cold_check(tool, item, repeats, env, cells[tool.key], rep)


def finish_cell(tool: Tool, item: Input, cell: Cell, samples: int) -> None:
    """Output size, import check and import time of the last (successful) output."""
    cell.generate = spread_of(cell.runs)
    cell.check = spread_of(cell.check_runs)
    if cell.failure is not None:  # the output on disk is the failed run's
        return
    out = out_dir(tool, item)
    cell.size = output_size(out)
    if tool.key == "ours":
        cell.py_lines = ours.py_lines(out)
    layout = discover(out)
    large = item.size == "large"
    log(f"  {tool.key:5} {item.key:10} import check of {len(layout.modules)} modules")
    cell.imports = check_imports(
        layout,
        preload=tool.runtime_deps,
        per_module_timeout=300.0 if large else 60.0,
        budget=1800.0 if large else 600.0,
    )
    failed = set(cell.imports.failed_modules)
    importable = tuple(m for m in layout.modules if m not in failed)
    log(f"  {tool.key:5} {item.key:10} import time ({samples} fresh interpreters each)")
    cell.import_time = time_imports(
        layout, deps=tool.runtime_deps, importable=importable, samples=samples, timeout=600.0 if large else 120.0
    )


def client_overhead(quick: bool) -> tuple[dict[str, Any] | None, str]:
    """Run client_overhead.py in the peer venv against our freshly generated Northflank package."""
    fresh = out_dir(ours.OURS, next(i for i in INPUTS if i.key == "northflank"))
    use = fresh if (fresh / "northflank_jobs" / "__init__.py").is_file() else ROOT / "generated"
    note = f"client under test: {use.relative_to(ROOT)}/northflank_jobs"
    env = dict(os.environ, PYTHONPATH=str(use))
    argv = [
        str(PEER_PYTHON),
        str(Path(__file__).parent / "client_overhead.py"),
        "--spec",
        str(ROOT / "spec/openapi.yaml"),
    ]
    if quick:
        argv += ["--calls", "500", "--rounds", "3", "--warmup", "50", "--model-repeats", "3"]
    log(f"client overhead and model throughput ({note})")
    try:
        done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=1800)
    except subprocess.TimeoutExpired:
        return None, note + "; timed out after 1800s"
    if done.returncode != 0 or not done.stdout.strip():
        return None, note + f"; failed (exit {done.returncode}): {done.stderr.strip()[-600:]}"
    return dict(json.loads(done.stdout.strip().splitlines()[-1])), note


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats, skip the large input (and with it incremental and profile)"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TOOL/INPUT",
        help="run only matching cells, e.g. ours/northflank, 'opc/*', '*/startrek', github; "
        f"tools: {', '.join(t.key for t in TOOLS)}; inputs: {', '.join(i.key for i in INPUTS)}",
    )
    parser.add_argument("--repeats", type=int, help="override the number of repeats for every input")
    parser.add_argument(
        "--doc",
        type=Path,
        help="markdown file to write the tables into "
        "(default: docs/benchmarks.md for a full run, bench/.work/bench/report.md otherwise)",
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run on the large input")
    parser.add_argument("--no-client", action="store_true", help="skip the client overhead / model throughput part")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    items = tuple(
        i
        for i in INPUTS
        if not (args.quick and i.size == "large") and any(selected(args.only, t.key, i.key) for t in TOOLS)
    )
    WORK.mkdir(parents=True, exist_ok=True)
    ensure_peer_venv(log)
    prepare_inputs(items, log)
    code_hash = snapshot_generator()
    log(f"measuring our generator as copied to {SNAPSHOT.relative_to(ROOT)} (code hash {code_hash})")
    env = tool_env()
    results = Results(
        started=time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        argv=sys.argv[1:] if argv is None else argv,
        quick=args.quick,
        only=args.only,
        machine=machine(),
        versions={
            "ours": {**our_versions(), "code hash": code_hash},
            "peers": peer_versions(),
            "npm inputs": npm_versions(),
        },
    )
    for item in items:
        info = shape(item.path)
        results.inputs.append(
            {"key": item.key, "title": item.title, "source": item.source, "size": item.size, **dataclasses.asdict(info)}
        )
    samples = 3 if args.quick else IMPORT_SAMPLES
    for item in items:
        tools = [t for t in TOOLS if selected(args.only, t.key, item.key)]
        repeats = args.repeats or (QUICK_REPEATS if args.quick else REPEATS)[item.size]
        log(f"{item.key}: {', '.join(t.key for t in tools)} x{repeats} (load {load()})")
        cells = {t.key: Cell(t.key, item.key, t.display_command(item)) for t in tools}
        if "ours" in cells:
            copy_our_spec(item)
        measure_repeats(tools, item, repeats, env, cells)  # interleaved, so background load hits every tool alike
        if "ours" in cells:  # on the output the last cold generate wrote, before anything imports it
            ours.no_change(item, env, cells["ours"])
            ours.warm_check(item, env, cells["ours"])
        for tool in tools:
            finish_cell(tool, item, cells[tool.key], samples)
            results.cells.append(cells[tool.key])
        if "ours" in cells and item.key in INCREMENTAL_INPUTS:
            measured = ours.incremental(item, cells["ours"], env)
            if measured is not None:
                results.incremental.append(measured)
        if item.size == "large" and "ours" in cells and not args.no_profile:
            results.profile, results.profile_note = ours.profile(item, env)
        _save(results)
    if not args.no_client and selected(args.only, "ours", "northflank"):
        results.client, results.client_note = client_overhead(args.quick)
    results.load_end = load()
    results.finished = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    results.elapsed_s = time.perf_counter() - started
    _save(results)
    partial = args.quick or bool(args.only)
    doc = args.doc or (WORK / "report.md" if partial else DOC)
    report.write(doc, as_json(results))
    log(f"done in {results.elapsed_s / 60:.1f} min; raw results in {RESULTS.parent.relative_to(ROOT)}; tables: {doc}")
    return 0


def _save(results: Results) -> None:
    path = RESULTS if not (results.quick or results.only) else RESULTS.with_name("results-partial.json")
    path.write_text(json.dumps(as_json(results), indent=2, default=str) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
