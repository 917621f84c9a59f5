"""The figures only our generator has: no-change ``check``/``generate``, the warm full check,
incremental regeneration after an edit, and the cProfile run. Standard library only."""

from __future__ import annotations

import io
import pstats
import shutil
from pathlib import Path

from common import LOGS, OUT, TIMEOUT_S, cache_env, log, our_spec, out_dir, tree_state
from harness import clean_dir, run_measured
from inputs import ROOT, WORK, Input, edit_yaml_spec, write_spec_copy
from peers import PROJECT_PYTHON, SNAPSHOT, TOOLS
from results import FAST_MARK, Cell, Failure, Incremental, NoChange, RunRow, spread_of

OURS = next(t for t in TOOLS if t.key == "ours")
NO_CHANGE_SAMPLES = 7  # of each command, interleaved check / generate
INCREMENTAL_RUNS = {"small": 3, "medium": 1, "large": 1}


def _short(line: str) -> str:
    """A line our generator printed, with the checkout's absolute path taken out."""
    return line.replace(f"{ROOT}/", "")


def _generate_cache(env: dict[str, str], item: Input) -> dict[str, str]:
    """The cache our cold ``generate`` runs of ``item`` filled (the last one's, as a developer has it)."""
    return cache_env(env, f"ours-{item.key}-generate", fresh=False)


def no_change(item: Input, env: dict[str, str], cell: Cell, samples: int = NO_CHANGE_SAMPLES) -> None:
    """``check`` and ``generate`` without ``--full``, alternating, against the output the last cold
    ``generate`` wrote, untouched: what every CI build and every ``make generate`` with nothing to do costs.

    A run counts as answered from the manifest when it exits 0 and prints generator/cli.py's
    "from the manifest" line; the report flags any run that did not. When the first pair falls back to
    the full path on the large input, it is not repeated (14 full runs would take half an hour).
    """
    if cell.failure is not None or not cell.runs:
        return
    out, spec = out_dir(OURS, item), our_spec(item)
    result = NoChange()
    before = tree_state(out)
    for index in range(samples):
        for command in ("check", "generate"):
            if command == "check":
                argv = OURS.check_argv(item, out, spec=spec)
                assert argv is not None
            else:
                argv = OURS.generate_argv(item, out, spec=spec)
            run = run_measured(
                argv,
                log_dir=LOGS,
                name=f"ours-{item.key}-nochange-{command}-{index}",
                timeout_s=TIMEOUT_S[item.size],
                env=_generate_cache(env, item),
                cwd=SNAPSHOT,
            )
            said = run.stdout_text().strip().splitlines()
            fast = run.ok and any(FAST_MARK in line for line in said)
            (result.check_runs if command == "check" else result.generate_runs).append(RunRow.of(run, fast_path=fast))
            if command == "check" and not result.said:
                result.said = _short(said[-1] if said else "")
            if not run.ok and result.failure is None:
                result.failure = Failure.of(f"no-change {command}", run)
        last = (result.check_runs[-1], result.generate_runs[-1])
        log(
            f"  ours  {item.key:10} no change #{index + 1}/{samples}: check {last[0].wall_s:6.2f}s, "
            f"generate {last[1].wall_s:6.2f}s"
            + ("" if all(r.fast_path for r in last) else "  (NOT answered from the manifest)")
        )
        if item.size == "large" and not all(r.fast_path for r in last) and index + 1 < samples:
            result.note = "the fast path was not taken, so the full runs were not repeated"
            break
    result.output_untouched = tree_state(out) == before
    result.check, result.generate = spread_of(result.check_runs), spread_of(result.generate_runs)
    cell.no_change = result


def warm_check(item: Input, env: dict[str, str], cell: Cell) -> None:
    """One ``check --full`` with the cache the last generate filled (a developer's second full check)."""
    if cell.failure is not None or not cell.runs:
        return
    argv = OURS.check_argv(item, out_dir(OURS, item), spec=our_spec(item), full=True)
    assert argv is not None
    run = run_measured(
        argv,
        log_dir=LOGS,
        name=f"ours-{item.key}-check-full-warm",
        timeout_s=TIMEOUT_S[item.size],
        env=_generate_cache(env, item),
        cwd=SNAPSHOT,
    )
    log(f"  ours  {item.key:10} check --full, warm cache: {run.wall_s:7.2f}s exit {run.exit_code}")
    if run.ok:
        cell.check_warm_s = run.wall_s


def incremental(item: Input, cell: Cell, env: dict[str, str]) -> Incremental | None:
    """Edit one schema's description in our copy of the spec and time ``generate`` into the same output,
    with the cache the cold runs filled: what a developer's next run after an edit costs.

    On a small input it is repeated (``INCREMENTAL_RUNS``), each run with a description text of its
    own, so every run is a genuine one-schema edit against the previous output, never a cache hit.
    Our spec copy is restored afterwards (the output keeps the last edit).
    """
    if cell.generate is None or cell.failure is not None:
        return None
    out, spec = out_dir(OURS, item), our_spec(item)
    original = WORK / "inputs" / f"{item.key}.original{spec.suffix}"
    original.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(spec, original)
    result = Incremental(item.key, "", cell.generate.median)
    runs = INCREMENTAL_RUNS[item.size]
    try:
        for index in range(1, runs + 1):
            if spec.suffix == ".json":
                result.schema = write_spec_copy(original, spec, edit=True, run=index)
            else:
                result.schema = edit_yaml_spec(original, spec, run=index)
            log(f"  incremental #{index}/{runs}: edited components.schemas.{result.schema}.description")
            run = run_measured(
                OURS.generate_argv(item, out, spec=spec),
                log_dir=LOGS,
                name=f"ours-{item.key}-incremental-{index}",
                timeout_s=TIMEOUT_S[item.size],
                env=_generate_cache(env, item),
                cwd=SNAPSHOT,
            )
            said = run.stdout_text().strip().splitlines()
            result.runs.append(RunRow.of(run, fast_path=any(FAST_MARK in line for line in said)))
            result.reported.append(_short(said[-1] if said else ""))
            log(f"  incremental #{index}/{runs}: {run.wall_s:.2f}s exit {run.exit_code}")
            if not run.ok:
                result.failure = Failure.of("incremental generate", run)
                break
    finally:
        shutil.copyfile(original, spec)
        original.unlink()
    result.incremental = spread_of(result.runs)
    return result


def profile(item: Input, env: dict[str, str]) -> tuple[str, str]:
    """cProfile of our generator on the large input (cold cache, ``--full``): top 15 by cumulative and
    by own time, and the time of each pipeline stage (the callees of ``stages._run_bundled``)."""
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
        "--full",
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


def py_lines(out: Path) -> dict[str, int]:
    """Lines of every generated ``.py`` file under ``out`` (bytecode caches excluded), by relative path."""
    found: dict[str, int] = {}
    for path in sorted(out.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        with path.open("rb") as handle:
            found[path.relative_to(out).as_posix()] = sum(1 for _ in handle)
    return found
