"""Wall time and peak memory of each pipeline stage for one `generate` run (what the doc's stage table shows).

    OPENAPI_CLIENT_GEN_CACHE_DIR=$(mktemp -d) .venv/bin/python bench/stages.py \
        generate --spec bench/.work/bench/inputs/github/api.github.com.json --out /tmp/gh --package github_client

Each stage function of ``generator.pipeline`` is wrapped to print, on stderr, its own duration, the
time since the pipeline was imported, this process's peak RSS and the largest child's peak RSS
(the forked validator and black workers). cProfile cannot see into those children; this can.
"""

from __future__ import annotations

import functools
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator import cli, pipeline  # noqa: E402  (after the path is set)

STAGES = ["load_spec", "bundle", "_start_validation", "canonical_schema_names", "hoist_body_schemas",
          "name_union_branches", "adapt_schemas", "generate_models", "build_ir", "vet", "render", "_finish",
          "_run_bundled", "lines_of"]
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
            sys.stderr.write(f"{name:24s} {now - began:8.2f} s   at {now - STARTED:8.2f} s   "
                             f"peak {_mb(resource.RUSAGE_SELF):6.0f} MB   children {_mb(resource.RUSAGE_CHILDREN):6.0f} MB\n")

    return inner


for stage in STAGES:
    setattr(pipeline, stage, _timed(stage, getattr(pipeline, stage)))

if __name__ == "__main__":
    sys.argv = ["generator", *sys.argv[1:]]
    cli.main()
