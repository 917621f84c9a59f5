"""Benchmark our generator against openapi-python-client and datamodel-code-generator, side by side.

``make bench`` runs ``.venv/bin/python bench/run.py``. One run installs the peers into their own
venv (``bench/.venv-peers``, pinned in ``bench/requirements-peers.txt``), fetches the public inputs
from npm (pinned in ``bench/package.json`` + lock, into ``bench/.work/bench``), then measures on the
same inputs: wall time (median and spread), peak memory, output size, whether every generated module
imports, import time over the runtime dependencies, our ``check`` time, incremental regeneration,
the generated client's per-call overhead and model throughput; and writes the tables into
``docs/benchmarks.md`` between the generated-section markers (prose outside them is kept).

Standard library only (it runs in the project venv; the peers run from their own venv).
Failures of a tool are results (rows with the exit code and stderr head), never a crash of the run.
"""

from __future__ import annotations

import argparse
import dataclasses
import fnmatch
import io
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import report
from harness import OutputSize, RunResult, Spread, clean_dir, output_size, run_measured
from inputs import INPUTS, ROOT, WORK, Input, npm_versions, prepare_inputs, shape, write_spec_copy
from outputs import ImportCheck, ImportTime, check_imports, discover, time_imports
from peers import (
    PEER_PYTHON,
    PROJECT_PYTHON,
    SNAPSHOT,
    TOOLS,
    Tool,
    ensure_peer_venv,
    our_versions,
    peer_versions,
    snapshot_generator,
    tool_env,
)

OUT = WORK / "out"
CACHES = WORK / "cache"
CACHE_ENV = "OPENAPI_CLIENT_GEN_CACHE_DIR"  # our generator's content-addressed cache (generator/cache.py)
LOGS = WORK / "logs"
RESULTS = WORK / "results.json"
DOC = ROOT / "docs" / "benchmarks.md"

TIMEOUT_S = {"small": 120.0, "medium": 300.0, "large": 900.0}
REPEATS = {"small": 5, "medium": 3, "large": 3}
QUICK_REPEATS = {"small": 2, "medium": 1, "large": 1}
SLOW_LARGE_S = 120.0  # a large-input run slower than this is not repeated (the doc says so)
IMPORT_SAMPLES = 7


def log(message: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


# --------------------------------------------------------------------------- results


@dataclass(slots=True)
class RunRow:
    exit_code: int | None
    wall_s: float
    max_rss_kib: int
    timed_out: bool

    @classmethod
    def of(cls, run: RunResult) -> RunRow:
        return cls(run.exit_code, run.wall_s, run.max_rss_kib, run.timed_out)


@dataclass(slots=True)
class Failure:
    what: str  # "generate" | "check" | ...
    exit_code: int | None
    timed_out: bool
    stderr_head: list[str]


@dataclass(slots=True)
class Cell:
    """One tool on one input."""

    tool: str
    input: str
    command: str
    runs: list[RunRow] = field(default_factory=list)
    generate: Spread | None = None
    peak_rss_kib: int = 0
    failure: Failure | None = None
    note: str = ""
    size: OutputSize | None = None
    imports: ImportCheck | None = None
    import_time: ImportTime | None = None
    check_runs: list[RunRow] = field(default_factory=list)
    check: Spread | None = None
    check_failure: Failure | None = None
    check_warm_s: float | None = None  # one check with the cache the last generate filled


@dataclass(slots=True)
class Incremental:
    input: str
    schema: str
    full_median_s: float
    incremental_s: float
    exit_code: int | None
    stdout: str
    failure: Failure | None = None

    @property
    def fraction(self) -> float:
        return self.incremental_s / self.full_median_s if self.full_median_s else float("nan")


@dataclass(slots=True)
class Results:
    started: str
    argv: list[str]
    quick: bool
    only: list[str]
    machine: dict[str, str]
    versions: dict[str, dict[str, str]]
    inputs: list[dict[str, Any]] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    incremental: Incremental | None = None
    profile: str = ""
    profile_note: str = ""
    client: dict[str, Any] | None = None
    client_note: str = ""
    load_end: str = ""
    finished: str = ""
    elapsed_s: float = 0.0


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


def _failure(what: str, run: RunResult) -> Failure:
    return Failure(what, run.exit_code, run.timed_out, run.stderr_head())


def out_dir(tool: Tool, item: Input) -> Path:
    return OUT / tool.key / item.key


def cache_env(env: dict[str, str], name: str, *, fresh: bool) -> dict[str, str]:
    """``env`` with our generator's cache in its own directory, emptied first when ``fresh`` (a cold run)."""
    root = CACHES / name
    if fresh and root.exists():
        shutil.rmtree(root)
    return {**env, CACHE_ENV: str(root)}


def measure_cell(tool: Tool, item: Input, repeats: int, env: dict[str, str], cell: Cell, rep: int) -> bool:
    """One repeat of generate (and our check), both cold. Returns False when this cell should not be repeated.

    Cold means our generator starts with an empty cache, like a fresh clone in CI; the peers have none.
    """
    out = out_dir(tool, item)
    clean_dir(out)
    timeout = TIMEOUT_S[item.size]
    gen_env = cache_env(env, f"{tool.key}-{item.key}-generate", fresh=True)
    run = run_measured(
        tool.generate_argv(item, out),
        log_dir=LOGS,
        name=f"{tool.key}-{item.key}-gen-{rep}",
        timeout_s=timeout,
        env=gen_env,
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
        cell.failure = _failure("generate", run)
        return False
    check_argv = tool.check_argv(item, out)
    if check_argv is not None:
        checked = run_measured(
            check_argv,
            log_dir=LOGS,
            name=f"{tool.key}-{item.key}-check-{rep}",
            timeout_s=timeout,
            env=cache_env(env, f"{tool.key}-{item.key}-check", fresh=True),
            cwd=SNAPSHOT,
        )
        cell.check_runs.append(RunRow.of(checked))
        log(
            f"  {tool.key:5} {item.key:10} check    #{rep + 1}/{repeats}: {checked.wall_s:7.2f}s "
            f"{'timeout' if checked.timed_out else f'exit {checked.exit_code}'}"
        )
        if not checked.ok and cell.check_failure is None:
            cell.check_failure = _failure("check", checked)
    if item.size == "large" and run.wall_s > SLOW_LARGE_S and rep + 1 < repeats:
        cell.note = f"1 run only: the first took {run.wall_s:.0f}s (> {SLOW_LARGE_S:.0f}s), so it was not repeated"
        return False
    return True


def warm_check(tool: Tool, item: Input, env: dict[str, str], cell: Cell) -> None:
    """One more check, with the cache the last generate filled (a developer's second run)."""
    check_argv = tool.check_argv(item, out_dir(tool, item))
    if check_argv is None or cell.failure is not None or not cell.runs:
        return
    run = run_measured(
        check_argv,
        log_dir=LOGS,
        name=f"{tool.key}-{item.key}-check-warm",
        timeout_s=TIMEOUT_S[item.size],
        env=cache_env(env, f"{tool.key}-{item.key}-generate", fresh=False),
        cwd=SNAPSHOT,
    )
    log(f"  {tool.key:5} {item.key:10} check, warm cache: {run.wall_s:7.2f}s exit {run.exit_code}")
    if run.ok:
        cell.check_warm_s = run.wall_s


def finish_cell(tool: Tool, item: Input, cell: Cell, samples: int) -> None:
    """Output size, import check and import time of the last (successful) output."""
    good = [r.wall_s for r in cell.runs if r.exit_code == 0 and not r.timed_out]
    cell.generate = Spread.of(good)
    cell.check = Spread.of([r.wall_s for r in cell.check_runs if r.exit_code == 0 and not r.timed_out])
    if cell.failure is not None:  # the output on disk is the failed run's
        return
    out = out_dir(tool, item)
    cell.size = output_size(out)
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


def incremental(item: Input, cell: Cell, env: dict[str, str]) -> Incremental | None:
    """Edit one schema's description in (a copy of) the large spec and time generate into the same output,
    with the cache the last full (cold) generate filled: what a developer's next run after an edit costs."""
    if cell.generate is None:
        return None
    ours = next(t for t in TOOLS if t.key == "ours")
    out = out_dir(ours, item)
    original = WORK / "inputs" / f"{item.key}.original.json"
    shutil.copyfile(item.path, original)
    try:
        schema = write_spec_copy(original, item.path, edit=True)
        log(f"  incremental: edited the description of components.schemas.{schema}; regenerating")
        run = run_measured(
            ours.generate_argv(item, out),
            log_dir=LOGS,
            name=f"ours-{item.key}-incremental",
            timeout_s=TIMEOUT_S[item.size],
            env=cache_env(env, f"ours-{item.key}-generate", fresh=False),
            cwd=SNAPSHOT,
        )
    finally:
        shutil.copyfile(original, item.path)
        original.unlink()
    log(f"  incremental: {run.wall_s:.2f}s exit {run.exit_code}")
    result = Incremental(
        item.key, schema, cell.generate.median, run.wall_s, run.exit_code, run.stdout_text().strip()[-400:]
    )
    if not run.ok:
        result.failure = _failure("incremental generate", run)
    return result


def profile(item: Input, env: dict[str, str]) -> tuple[str, str]:
    """cProfile of our generator on the large input (cold cache): top 15 by cumulative and by own time,
    and the time of each pipeline stage (the callees of ``pipeline._run_bundled``)."""
    out = OUT / "profile" / item.key
    clean_dir(out)
    prof = WORK / f"profile-{item.key}.prof"
    argv = [
        str(PROJECT_PYTHON),
        "-m",
        "cProfile",
        "-o",
        str(prof),
        "-m",
        "generator",
        "generate",
        "--spec",
        str(item.path),
        "--out",
        str(out),
        "--package",
        item.package,
    ]
    log("  profiling ours on the large input (cProfile)")
    run = run_measured(
        argv,
        log_dir=LOGS,
        name=f"ours-{item.key}-profile",
        timeout_s=TIMEOUT_S[item.size] * 2,
        env=cache_env(env, f"ours-{item.key}-profile", fresh=True),
        cwd=SNAPSHOT,
    )
    note = f"cProfile run: {run.wall_s:.0f}s wall, exit {run.exit_code}{' (timed out)' if run.timed_out else ''}"
    if not prof.is_file():
        return "", note + "; no profile written"
    text = io.StringIO()
    stats = pstats.Stats(str(prof), stream=text)
    stats.strip_dirs().sort_stats("cumulative").print_stats(15)
    stats.sort_stats("tottime").print_stats(15)
    stats.sort_stats("cumulative").print_callees("_run_bundled")
    return _trim_pstats(text.getvalue()), note


def _trim_pstats(text: str) -> str:
    keep = [
        line.rstrip()
        for line in text.splitlines()
        if line.strip() and ".prof" not in line and "List reduced" not in line
    ]
    return "\n".join(keep)


def client_overhead(quick: bool) -> tuple[dict[str, Any] | None, str]:
    """Run client_overhead.py in the peer venv against our freshly generated Northflank package."""
    fresh = OUT / "ours" / "northflank"
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
        active = {t.key for t in tools}
        for rep in range(repeats):  # interleaved, so background load hits every tool alike
            for tool in tools:
                if tool.key in active and not measure_cell(tool, item, repeats, env, cells[tool.key], rep):
                    active.discard(tool.key)
        for tool in tools:
            warm_check(tool, item, env, cells[tool.key])
            finish_cell(tool, item, cells[tool.key], samples)
            results.cells.append(cells[tool.key])
        if item.size == "large" and "ours" in cells:
            results.incremental = incremental(item, cells["ours"], env)
            if not args.no_profile:
                results.profile, results.profile_note = profile(item, env)
        _save(results)
    if not args.no_client and selected(args.only, "ours", "northflank"):
        results.client, results.client_note = client_overhead(args.quick)
    results.load_end = load()
    results.finished = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    results.elapsed_s = time.perf_counter() - started
    _save(results)
    partial = args.quick or bool(args.only)
    doc = args.doc or (WORK / "report.md" if partial else DOC)
    report.write(doc, _as_json(results))
    log(f"done in {results.elapsed_s / 60:.1f} min; raw results in {RESULTS.parent.relative_to(ROOT)}; tables: {doc}")
    return 0


def _as_json(results: Results) -> dict[str, Any]:
    data = dataclasses.asdict(results)
    data["incremental"] = (
        None
        if results.incremental is None
        else {**dataclasses.asdict(results.incremental), "fraction": results.incremental.fraction}
    )
    for cell, raw in zip(results.cells, data["cells"], strict=False):
        if cell.import_time is not None:
            raw["import_time"]["top_over_deps_s"] = cell.import_time.top_over_deps_s
            raw["import_time"]["full_over_deps_s"] = cell.import_time.full_over_deps_s
            raw["import_time"]["first_use_over_deps_s"] = cell.import_time.first_use_over_deps_s
    return data


def _save(results: Results) -> None:
    path = RESULTS if not (results.quick or results.only) else RESULTS.with_name("results-partial.json")
    path.write_text(json.dumps(_as_json(results), indent=2, default=str) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
