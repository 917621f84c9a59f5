"""Cold ``generate`` of one spec by two generator trees, alternating, paired by round.

    .venv/bin/python bench/ab.py SPEC ROUNDS new=DIR old=bench/.work/cold/base-REV

Each DIR holds a ``generator/`` and ``templates/`` (``bench/cold.py --baseline REV`` leaves one per
revision under ``bench/.work/cold/``; for the working tree, ``git archive HEAD generator templates``
into a directory, then ``bench/precompile.py``). Every run gets an empty cache and output
directory; the order flips every round. Prints each tree's median wall and CPU seconds (user +
system of the whole process tree) with every sample, then the median of the per-round
differences, which holds on a machine whose speed drifts more than the difference itself.
Standard library only.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "python"


def run(spec: str, tree: str) -> tuple[float, float]:
    out, cache = tempfile.mkdtemp(), tempfile.mkdtemp()
    env = dict(os.environ, OPENAPI_CLIENT_GEN_CACHE_DIR=cache, PYTHONPATH=tree)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    command = [str(PYTHON), "-P", "-m", "generator", "generate", "--spec", spec, "--out", f"{out}/pk", "-q"]
    subprocess.run(command, env=env, cwd=tempfile.gettempdir(), check=True, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(out)
    shutil.rmtree(cache)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    spec, rounds = str(Path(sys.argv[1]).resolve()), int(sys.argv[2])
    trees = dict(argument.split("=", 1) for argument in sys.argv[3:])
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for index in range(rounds):
        for name in list(trees) if index % 2 == 0 else list(reversed(trees)):
            samples[name].append(run(spec, str(Path(trees[name]).resolve())))
    for name, values in samples.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        print(f"{name}: wall {wall:.3f} s, CPU {cpu:.3f} s;", " ".join(f"{w:.2f}/{c:.2f}" for w, c in values))
    if len(samples) == 2:
        (a, first), (b, second) = samples.items()
        wall = statistics.median(x[0] - y[0] for x, y in zip(first, second, strict=True))
        cpu = statistics.median(x[1] - y[1] for x, y in zip(first, second, strict=True))
        print(f"paired by round, {a} - {b}: wall {wall:+.3f} s, CPU {cpu:+.3f} s")


if __name__ == "__main__":
    main()
