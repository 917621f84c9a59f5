"""Wall time and peak memory of each pipeline stage for one `generate` run (what the doc's stage table shows).

    OPENAPI_CLIENT_GEN_CACHE_DIR=$(mktemp -d) .venv/bin/python bench/stages.py \
        generate --spec bench/.work/bench/inputs/github/api.github.com.json --out /tmp/gh --package github_client

Each stage function is wrapped to print, on stderr, its own duration, the time since the pipeline
was imported, the peak RSS of the process it ran in and the largest peak among that process's
finished children. Validation (``_validate``) and model generation (``generate_models``) run in
forked children, so their lines are the children's own figures; the black workers report through
``_finish``'s children column once they exit. cProfile cannot see into those children; this can.
"""

from __future__ import annotations

import functools
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator import cli, parallel, stages
from generator.emit import render
from generator.ir import build as build_ir
from generator.ir import vet

# Where each stage function is looked up when it is called (the stages import the late ones lazily).
# Importing generator.stages here moves the models child's fork later: bench/trace.py does not.
STAGES = [
    (stages, name)
    for name in [
        "load_spec",
        "bundle",
        "_start_validation",
        "normalize",
        "find_unenforced",
        "_run_bundled",
        "lines_of",
    ]
]
STAGES += [(build_ir, "build_ir"), (vet, "vet"), (render, "compiled"), (render, "render"), (parallel, "_validate")]
STARTED = time.perf_counter()


def _mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def _timed(name: str, fn: Any) -> Any:
    @functools.wraps(fn)
    def inner(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            now = time.perf_counter()
            sys.stderr.write(
                f"{name:24s} {now - began:8.2f} s   at {now - STARTED:8.2f} s   "
                f"peak {_mb(resource.RUSAGE_SELF):6.0f} MB   children {_mb(resource.RUSAGE_CHILDREN):6.0f} MB\n"
            )

    return inner


for module, stage in STAGES:
    setattr(module, stage, _timed(stage, getattr(module, stage)))

if __name__ == "__main__":
    sys.argv = ["generator", *sys.argv[1:]]
    cli.main()
