"""Formatting and lookups shared by report.py and targets.py (they read results.json, never the classes).

Standard library only. Every timing is shown as median (min–max, n) *and* its samples in run order,
and ``spread_note`` says when a spread is too wide (max/min above ``WIDE``) or splits into two groups,
so a bimodal figure is never hidden in a median.
"""

from __future__ import annotations

import math
import statistics
from typing import Any

MB = 1_000_000  # memory is reported in MB (10^6 bytes), as the targets are stated
WIDE = 1.5  # max/min above this is flagged
GAP = 0.25  # a gap between consecutive sorted samples above this fraction of the median splits them in two

TOOL_TITLES = {"ours": "ours", "opc": "openapi-python-client", "dmcg": "datamodel-code-generator (models only)"}


def title(tool: str) -> str:
    return TOOL_TITLES.get(tool, tool)


def s(value: float | None) -> str:
    """Seconds, or milliseconds below one second."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.2f} s" if value >= 0.995 else f"{value * 1000:.0f} ms"


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value * 1000:.0f} ms"


def samples(spread: dict[str, Any] | None) -> list[float]:
    return [float(v) for v in (spread or {}).get("samples") or []]


def spread(value: dict[str, Any] | None) -> str:
    """median (min–max, n)."""
    if not value:
        return "–"
    if value["n"] == 1:
        return f"{s(value['median'])} (n=1)"
    return f"{s(value['median'])} ({s(value['low'])}–{s(value['high'])}, n={value['n']})"


def runs(values: list[float], unit: str = "") -> str:
    """Samples in run order, compactly: seconds with 2 decimals, or whole ms when all are under 1 s."""
    if not values:
        return "–"
    if unit == "ms" or (not unit and max(values) < 0.995):
        return ", ".join(f"{v * 1000:.0f}" for v in values) + " ms"
    if unit == "us":
        return ", ".join(f"{v:,.0f}" for v in values) + " µs"
    return ", ".join(f"{v:.2f}" for v in values) + " s"


def spread_note(values: list[float], unit: str = "") -> str:
    """Why a sample's spread deserves a note ("" when it does not): over-wide and/or bimodal.

    ``unit`` as in ``runs``: "" or "ms" for seconds, "us" for microseconds."""
    if len(values) < 2 or min(values) <= 0:
        return ""
    notes = []
    ratio = max(values) / min(values)
    if ratio > WIDE:
        notes.append(f"max/min {ratio:.2f}× (> {WIDE}×)")
    ordered = sorted(values)
    middle = statistics.median(values)
    gaps = [(ordered[i + 1] - ordered[i], i + 1) for i in range(len(ordered) - 1)]
    gap, split = max(gaps)
    if len(values) >= 4 and split >= 2 and len(ordered) - split >= 2 and gap > GAP * middle:
        low, high = ordered[:split], ordered[split:]
        show = (lambda v: f"{v:,.0f} µs") if unit == "us" else s
        notes.append(
            f"two groups: {len(low)} runs at {show(low[0])}–{show(low[-1])}, "
            f"{len(high)} at {show(high[0])}–{show(high[-1])}"
        )
    return "; ".join(notes)


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "–"
    r = a / b
    return f"{r:.2f}×" + (" (faster)" if r < 1 else " (slower)" if r > 1 else "")


def mb(kib: int | float) -> str:
    return f"{kib * 1024 / MB:.0f} MB" if kib else "–"


def cell(results: dict[str, Any], tool: str, item: str) -> dict[str, Any] | None:
    return next((c for c in results["cells"] if c["tool"] == tool and c["input"] == item), None)


def median(value: dict[str, Any] | None) -> float | None:
    return None if not value else float(value["median"])


def generate_median(results: dict[str, Any], tool: str, item: str) -> float | None:
    found = cell(results, tool, item)
    return median(found["generate"]) if found else None


def ok_walls(rows: list[dict[str, Any]]) -> list[float | None]:
    """Wall time of each run in run order, None where it failed (so repeats stay aligned)."""
    return [float(r["wall_s"]) if r["exit_code"] == 0 and not r["timed_out"] else None for r in rows]


def pair_ratios(ours: dict[str, Any], peer: dict[str, Any]) -> list[float]:
    """ours ÷ peer for each repeat in which both generated (the runs of one repeat are back to back)."""
    return [a / b for a, b in zip(ok_walls(ours["runs"]), ok_walls(peer["runs"]), strict=False) if a and b]


def incrementals(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The incremental measurements, also from a results file of the older one-input format."""
    found = results.get("incremental")
    if not found:
        return []
    if isinstance(found, dict):  # before bench-15: one run on the large input
        value = float(found["incremental_s"])
        one = {"n": 1, "median": value, "low": value, "high": value, "samples": [value]}
        return [{**found, "incremental": one, "reported": [found.get("stdout", "")], "runs": []}]
    return list(found)
