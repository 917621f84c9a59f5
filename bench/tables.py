"""The timing and size tables of the report, each with median (min–max, n) and the samples in run order.

Standard library only; reads results.json (as a dict), like report.py.
"""

from __future__ import annotations

import statistics
from typing import Any

import fmt
from fmt import cell, generate_median, median, runs, s, samples, spread, spread_note, title
from targets import BASELINE_GITHUB_PY_LINES, NF_JOBS_MODULE


def _size(size: dict[str, Any] | None) -> str:
    if not size:
        return "–"
    return f"{size['files']} / {size['py_files']} / {size['bytes'] / 1024:,.0f} KiB / {size['py_lines']:,}"


def status(found: dict[str, Any]) -> str:
    failure = found.get("failure")
    if failure:
        what = "timed out" if failure["timed_out"] else f"exit {failure['exit_code']}"
        return f"**failed: {failure['what']} {what}**"
    return "ok" + (f" ({found['note']})" if found.get("note") else "")


def _imports(found: dict[str, Any]) -> str:
    check = found.get("imports")
    if not check:
        return "–"
    if check.get("error"):
        return f"**check failed**: {check['error'][:80]}"
    ok = check["modules"] - check["failures"]
    text = f"{ok}/{check['modules']}" + (" (sweep)" if check["mode"] == "sweep" else "")
    return text if not check["failures"] else f"**{text}**"


def _import_time(found: dict[str, Any], key: str) -> str:
    timing = found.get("import_time")
    if not timing:
        return "–"
    if timing.get("error"):
        return "**error**"
    if key == "first_use_over_deps_s":  # only measured where the layout has one module per tag
        module = timing.get("first_use_module")
        return f"{fmt.ms(timing[key])} (`{module.split('.')[-1]}`)" if module else "–"
    return fmt.ms(timing[key])


def main_table(results: dict[str, Any]) -> list[str]:
    lines = [
        "Cold `generate` (empty output directory; ours with an empty cache), one run per repeat; within a "
        "repeat the tools run back to back, in an order reversed every other repeat. "
        '"runs" lists every successful run in the order it ran.',
        "",
        "| input | tool | generate: median (min–max, n) | runs | peak RSS | output: files / .py / size / .py lines "
        "| modules that import | import over deps: top package | with the heaviest tag | all modules | status |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for info in results["inputs"]:
        for found in (c for c in results["cells"] if c["input"] == info["key"]):
            lines.append(
                f"| {info['key']} | {title(found['tool'])} | {spread(found['generate'])} | "
                f"{runs(samples(found['generate']))} | {fmt.mb(found['peak_rss_kib'])} | {_size(found['size'])} | "
                f"{_imports(found)} | {_import_time(found, 'top_over_deps_s')} | "
                f"{_import_time(found, 'first_use_over_deps_s')} | {_import_time(found, 'full_over_deps_s')} | "
                f"{status(found)} |"
            )
    return lines


def _pairs(ours: dict[str, Any], other: dict[str, Any]) -> str:
    pairs = fmt.pair_ratios(ours, other)
    if not pairs:
        return "–"
    text = f"{statistics.median(pairs):.2f}×"
    return text if len(pairs) == 1 else f"{text} ({min(pairs):.2f}–{max(pairs):.2f}×, {len(pairs)} pairs)"


def ratios(results: dict[str, Any]) -> list[str]:
    lines = [
        '"median ÷ median" divides the two tools\' medians; "per repeat" is the median of ours ÷ the peer '
        "within each repeat (the two runs back to back, so both saw the same background load).",
        "",
        "| input | ours ÷ openapi-python-client: median ÷ median | per repeat | memory "
        "| ours ÷ datamodel-code-generator: median ÷ median | per repeat | memory |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for info in results["inputs"]:
        ours = cell(results, "ours", info["key"])
        if ours is None:
            continue
        row = [info["key"]]
        for peer in ("opc", "dmcg"):
            other = cell(results, peer, info["key"])
            if other is None:
                row += ["–", "–", "–"]
                continue
            row.append(fmt.ratio(median(ours["generate"]), median(other["generate"])))
            row.append(_pairs(ours, other))
            both = ours["peak_rss_kib"] and other["peak_rss_kib"] and ours["generate"] and other["generate"]
            row.append(f"{ours['peak_rss_kib'] / other['peak_rss_kib']:.2f}×" if both else "–")
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _fast(rows: list[dict[str, Any]]) -> str:
    fast = sum(1 for r in rows if r.get("fast_path"))
    text = f"{fast}/{len(rows)}"
    return text if fast == len(rows) else f"**{text}: not every run answered from the manifest**"


def _times(theirs: float | None, mine: float | None) -> str:
    return f"{theirs / mine:.1f}×" if theirs and mine else "–"


def no_change(results: dict[str, Any]) -> list[str]:
    lines = [
        "Our `check` and `generate` without `--full`, alternating, against the output the last cold "
        "`generate` wrote, untouched, with its cache: what every CI build and every `make generate` with "
        'nothing to do costs. "from the manifest" counts the runs that printed generator/cli.py\'s '
        '"from the manifest" line (no tool ran); "OPC ÷ ours" is openapi-python-client\'s cold `generate` '
        "(median, same run) over ours.",
        "",
        "| input | `check`: median (min–max, n) | runs | `generate`: median (min–max, n) | runs "
        "| from the manifest: check / generate | openapi-python-client `generate` | OPC ÷ ours: check | generate "
        "| status |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for info in results["inputs"]:
        ours = cell(results, "ours", info["key"])
        found = (ours or {}).get("no_change")
        if not found:
            continue
        opc = generate_median(results, "opc", info["key"])
        notes = []
        if found.get("failure"):
            failure = found["failure"]
            notes.append(f"**{failure['what']}: exit {failure['exit_code']}**")
        if not found.get("output_untouched", True):
            notes.append("**the output changed during the samples**")
        if found.get("note"):
            notes.append(found["note"])
        lines.append(
            f"| {info['key']} | {spread(found['check'])} | {runs(samples(found['check']))} | "
            f"{spread(found['generate'])} | {runs(samples(found['generate']))} | "
            f"{_fast(found['check_runs'])} / {_fast(found['generate_runs'])} | {s(opc)} | "
            f"{_times(opc, median(found['check']))} | {_times(opc, median(found['generate']))} | "
            f"{'; '.join(notes) or 'ok (exit 0)'} |"
        )
    said = next(
        (c["no_change"]["said"] for c in results["cells"] if c.get("no_change") and c["no_change"].get("said")), ""
    )
    if said:
        lines += ["", f"What the first no-change `check` printed: `{said}`"]
    return lines if len(lines) > 5 else ["Not measured in this run (our generator was not run or failed)."]


def checks(results: dict[str, Any]) -> list[str]:
    lines = [
        "`check --full` regenerates in memory and compares every byte (it never answers from the manifest): "
        "cold is with an emptied cache, once per repeat after that repeat's `generate`; warm is one run "
        "with the cache the last `generate` filled.",
        "",
        "| input | ours `check --full`, cold: median (min–max, n) | runs | ÷ ours `generate` "
        "| ÷ openapi-python-client `generate` | `check --full`, warm (1 run) | status |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for info in results["inputs"]:
        ours = cell(results, "ours", info["key"])
        if ours is None:
            continue
        failure = ours.get("check_failure")
        state = (
            "ok (exit 0: up to date)"
            if not failure
            else f"**exit {failure['exit_code']}{' (timeout)' if failure['timed_out'] else ''}**"
        )
        lines.append(
            f"| {info['key']} | {spread(ours['check'])} | {runs(samples(ours['check']))} | "
            f"{fmt.ratio(median(ours['check']), median(ours['generate']))} | "
            f"{fmt.ratio(median(ours['check']), generate_median(results, 'opc', info['key']))} | "
            f"{s(ours.get('check_warm_s'))} | {state} |"
        )
    return lines


def incremental(results: dict[str, Any]) -> list[str]:
    found = fmt.incrementals(results)
    if not found:
        return ["Not measured in this run (the inputs were skipped or our generator failed on them)."]
    lines = [
        "One schema's description edited in our copy of the spec (the first schema by name that has a "
        "one-line description), then `generate` into the same output directory with the cache the cold "
        "runs filled. Repeated on a small input, each run with a new description text (so no run is a cache "
        "hit of an earlier one).",
        "",
        "| input | edited | ours full `generate`, cold (median) | after the edit: median (min–max, n) | runs "
        "| fraction of ours full | openapi-python-client full `generate` | ÷ it | what the last run reported |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for inc in found:
        took = median(inc.get("incremental"))
        full = float(inc["full_median_s"])
        opc = generate_median(results, "opc", inc["input"])
        said = (inc.get("reported") or [""])[-1] or "–"
        if any(r.get("fast_path") for r in inc.get("runs", [])):
            said += " (**answered from the manifest: the edit was not seen**)"
        if inc.get("failure"):
            said = f"**{inc['failure']['what']}: exit {inc['failure']['exit_code']}**"
        lines.append(
            f"| {inc['input']} | description of `components.schemas.{inc['schema']}` | {s(full)} | "
            f"{spread(inc.get('incremental'))} | {runs(samples(inc.get('incremental')))} | "
            f"{f'{took / full:.0%}' if took and full else '–'} | {s(opc)} | {fmt.ratio(took, opc)} | {said} |"
        )
    return lines


def sizes(results: dict[str, Any]) -> list[str]:
    lines = [
        f"Total `.py` lines each tool wrote; ours' largest module; the GitHub baseline is "
        f"{BASELINE_GITHUB_PY_LINES:,} lines (issue 15).",
        "",
        "| input | ours .py lines | openapi-python-client | datamodel-code-generator | ours ÷ openapi-python-client "
        "| ours' largest module | notes |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for info in results["inputs"]:
        counts = {}
        for tool in ("ours", "opc", "dmcg"):
            found = cell(results, tool, info["key"])
            counts[tool] = ((found or {}).get("size") or {}).get("py_lines")
        ours = cell(results, "ours", info["key"]) or {}
        per_file = ours.get("py_lines") or {}
        largest = max(per_file.items(), key=lambda kv: kv[1]) if per_file else None
        notes = []
        if NF_JOBS_MODULE in per_file:
            notes.append(f"`{NF_JOBS_MODULE}`: {per_file[NF_JOBS_MODULE]:,} lines")
        if info["key"] == "github" and counts["ours"]:
            change = counts["ours"] / BASELINE_GITHUB_PY_LINES - 1
            notes.append(f"{change:+.0%} against {BASELINE_GITHUB_PY_LINES:,}")
        shown = [f"{counts[t]:,}" if counts[t] else "–" for t in ("ours", "opc", "dmcg")]
        shown.append(f"{counts['ours'] / counts['opc']:.2f}×" if counts["ours"] and counts["opc"] else "–")
        shown.append(f"`{largest[0]}` ({largest[1]:,})" if largest else "–")
        lines.append(f"| {info['key']} | " + " | ".join(shown) + f" | {'; '.join(notes) or '–'} |")
    return lines


IMPORT_FIGURES = (
    ("deps", "deps alone"),
    ("top", "top package"),
    ("first_use", "with the heaviest tag"),
    ("all", "all"),
)


def import_samples(results: dict[str, Any]) -> list[str]:
    """Every fresh-interpreter import time, in run order (the main table shows medians over the deps)."""
    lines = []
    for found in results["cells"]:
        taken = (found.get("import_time") or {}).get("samples_s") or {}
        if not taken:
            continue
        parts = [f"{label} {runs(taken[key], 'ms')}" for key, label in IMPORT_FIGURES if taken.get(key)]
        lines.append(f"* {found['input']}, {title(found['tool'])}: " + "; ".join(parts))
    return lines or ["Not recorded in this run."]


def spread_notes(results: dict[str, Any]) -> list[str]:
    """Every timing whose samples are spread over more than ``fmt.WIDE``× or split into two groups."""
    found: list[tuple[str, list[float], str]] = []
    for c in results["cells"]:
        where = f"{c['input']}, {title(c['tool'])}"
        found.append((f"{where}: cold `generate`", samples(c.get("generate")), ""))
        found.append((f"{where}: `check --full`, cold", samples(c.get("check")), ""))
        nc = c.get("no_change") or {}
        found.append((f"{where}: no-change `check`", samples(nc.get("check")), ""))
        found.append((f"{where}: no-change `generate`", samples(nc.get("generate")), ""))
        for key, label in IMPORT_FIGURES:
            values = ((c.get("import_time") or {}).get("samples_s") or {}).get(key) or []
            found.append((f"{where}: import, {label}", values, "ms"))
    for inc in fmt.incrementals(results):
        found.append((f"{inc['input']}, ours: incremental `generate`", samples(inc.get("incremental")), ""))
    for row in (results.get("client") or {}).get("calls_results", []):
        for side in ("client", "raw"):
            found.append(
                (
                    f"per call {row['mode']}/{row['body']}, {side} (µs/call per round)",
                    row.get(f"{side}_rounds", []),
                    "us",
                )
            )
    lines = [
        f"* {name}: {note} (runs: {runs(values, unit)})"
        for name, values, unit in found
        if values and (note := spread_note(values, unit))
    ]
    header = (
        f"Flagged: samples whose max/min is over {fmt.WIDE}×, or that split into two groups (a gap between "
        f"consecutive sorted samples over {fmt.GAP:.0%} of the median, at least two samples on each side). "
        "Such a median hides that runs take one of two times; read the runs."
    )
    return [header, "", *lines] if lines else [header, "", "None flagged in this run."]
