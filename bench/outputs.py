"""What a tool generated: its modules, whether each imports, and how long the package takes to import.

Runs in the project venv (standard library only) and drives ``import_check.py`` in the peer venv.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import IGNORED_DIRS
from inputs import BENCH
from peers import PEER_PYTHON

WORKER = BENCH / "import_check.py"


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the generated code is: sys.path entries, every module, and the import a user starts with."""

    paths: tuple[str, ...]
    modules: tuple[str, ...]
    top: tuple[str, ...]  # the top-level package(s) or module(s)


def discover(out: Path) -> Layout:
    """Packages (directories with ``__init__.py`` whose parent has none) and loose top-level modules."""
    paths: set[str] = set()
    modules: list[str] = []
    top: list[str] = []
    for init in sorted(out.rglob("__init__.py")):
        package = init.parent
        if IGNORED_DIRS & set(package.relative_to(out).parts) or (package.parent / "__init__.py").exists():
            continue
        paths.add(str(package.parent))
        top.append(package.name)
        for source in sorted(package.rglob("*.py")):
            rel = source.relative_to(package.parent).with_suffix("")
            if IGNORED_DIRS & set(rel.parts):
                continue
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            modules.append(".".join(parts))
    for loose in sorted(out.glob("*.py")):
        paths.add(str(out))
        top.append(loose.stem)
        modules.append(loose.stem)
    return Layout(tuple(sorted(paths)), tuple(modules), tuple(top))


def _worker(command: str, request: dict[str, Any], timeout: float) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(request, handle)
        request_path = handle.name
    try:
        done = subprocess.run(
            [str(PEER_PYTHON), str(WORKER), command, request_path], capture_output=True, text=True, timeout=timeout
        )
    finally:
        Path(request_path).unlink(missing_ok=True)
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"import worker failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@dataclass(slots=True)
class ImportCheck:
    modules: int = 0
    failures: int = 0
    mode: str = ""
    seconds: float = 0.0
    first_failures: list[str] = field(default_factory=list)
    failed_modules: list[str] = field(default_factory=list)
    error: str = ""  # the check itself could not run


FRESH_LIMIT = 300  # above this many modules, one sweep process instead of one fork per module


def check_imports(layout: Layout, *, preload: tuple[str, ...], per_module_timeout: float, budget: float) -> ImportCheck:
    result = ImportCheck(modules=len(layout.modules))
    if not layout.modules:
        result.error = "no Python modules were generated"
        return result
    request = {
        "paths": list(layout.paths),
        "modules": list(layout.modules),
        "preload": list(preload),
        "timeout": per_module_timeout,
        "budget": budget,
        "fresh_limit": FRESH_LIMIT,
        "jobs": 2,
    }
    try:
        answer = _worker("check", request, timeout=budget + 120)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        result.error = str(exc)[:500]
        return result
    result.mode, result.seconds = str(answer["mode"]), float(answer["seconds"])
    failed = [r for r in answer["results"] if not r["ok"]]
    result.failures = len(failed)
    result.first_failures = [f"{r['module']}: {r['error']}" for r in failed[:5]]
    result.failed_modules = [str(r["module"]) for r in failed]
    return result


@dataclass(frozen=True, slots=True)
class ImportTime:
    baseline_s: float  # median: the third-party runtime dependencies alone
    top_s: float  # median: the top-level package (what `import pkg` costs in a fresh interpreter)
    full_s: float  # median: every generated module
    samples: int
    error: str = ""
    first_use_module: str = ""  # the tag module of `first_use_s` ("" when not measured)
    first_use_s: float = 0.0  # median: the top package plus that tag's module, the heaviest first use of one tag
    # every sample in run order (seconds), by figure: "deps", "top", "all" and (with tags) "first_use"
    samples_s: dict[str, list[float]] = field(default_factory=dict)

    @property
    def first_use_over_deps_s(self) -> float:
        return self.first_use_s - self.baseline_s

    @property
    def top_over_deps_s(self) -> float:
        return self.top_s - self.baseline_s

    @property
    def full_over_deps_s(self) -> float:
        return self.full_s - self.baseline_s


def _sample_imports(
    targets: list[tuple[tuple[str, ...], tuple[str, ...]]], samples: int, timeout: float
) -> list[list[float]]:
    """``samples`` import times of each (paths, modules) target, in run order, taken round-robin.

    One fresh interpreter per target per round, so load that drifts during the
    measurement (the machine is shared) falls on every target alike, and the
    differences between them stay meaningful.
    """
    values: list[list[float]] = [[] for _ in targets]
    for _ in range(samples):
        for index, (where, modules) in enumerate(targets):
            result = _worker("time", {"paths": list(where), "modules": list(modules)}, timeout)
            values[index].append(float(result["seconds"]))
    return values


def heaviest_tag(layout: Layout) -> str | None:
    """The ``<pkg>.api.<tag>`` module whose first import costs most, for a layout with one module per tag.

    The tag with the largest ``models/<tag>.py`` (every tag also loads
    ``models/_shared.py``), else with the largest ``api/<tag>.py``. None for
    other layouts (openapi-python-client has a package per tag and a module
    per operation), where this figure would mean something else.
    """

    def size(module: str) -> int:
        for path in layout.paths:
            candidate = Path(path, *module.split(".")).with_suffix(".py")
            if candidate.is_file():
                return candidate.stat().st_size
        return -1

    tags = [m for m in layout.modules if m.count(".") == 2 and m.split(".")[1] == "api" and size(m) >= 0]
    if not tags:
        return None
    return max(tags, key=lambda m: (size(m.replace(".api.", ".models.")), size(m), m))


def time_imports(
    layout: Layout, *, deps: tuple[str, ...], importable: tuple[str, ...], samples: int, timeout: float
) -> ImportTime:
    """Medians over ``samples`` fresh interpreters each: deps alone, the top package, the top package
    with its heaviest tag (where the layout has tags), every importable module."""
    tag = heaviest_tag(layout)
    targets = [((), deps), (layout.paths, layout.top), (layout.paths, importable)]
    if tag:
        targets.append((layout.paths, (*layout.top, tag)))
    try:
        values = _sample_imports(targets, samples, timeout)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        return ImportTime(0.0, 0.0, 0.0, samples, error=str(exc)[:300])
    baseline, top, full, *rest = (statistics.median(found) for found in values)
    first_use = rest[0] if rest else 0.0
    named = dict(zip(("deps", "top", "all", "first_use"), values, strict=False))
    return ImportTime(baseline, top, full, samples, first_use_module=tag or "", first_use_s=first_use, samples_s=named)
