"""Paths and helpers shared by run.py and ours.py: where each tool writes, our cache, our spec copy.

Our generator's manifest (``<out>/<package>/_meta.py``, ``generator/manifest.py``) records the spec
by its path relative to the *project root*, the parent of ``--out``, as ``make generate`` lays it out
(``spec/openapi.yaml`` beside ``generated/``). A spec outside that root is recorded by its bare file
name, which the fast path then cannot find, so it would always fall back to the full path. So our
runs read a copy of each input inside their project root: ``out/ours/spec/<input>/<file>`` beside
``out/ours/<input>/``, with the same bytes (for a repo input, its whole directory is copied so
relative references still resolve). The peers read the inputs where they are.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from inputs import WORK, Input
from peers import Tool

OUT = WORK / "out"
OUR_PROJECT = OUT / "ours"  # the project root of our runs: the parent of every --out of ours
CACHES = WORK / "cache"
CACHE_ENV = "OPENAPI_CLIENT_GEN_CACHE_DIR"  # our generator's content-addressed cache (generator/cache.py)
LOGS = WORK / "logs"
TIMEOUT_S = {"small": 120.0, "medium": 300.0, "large": 900.0}


def log(message: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def out_dir(tool: Tool, item: Input) -> Path:
    return OUT / tool.key / item.key


def our_spec(item: Input) -> Path:
    """Where our runs read ``item`` from: a copy inside their project root (see the module docstring)."""
    return OUR_PROJECT / "spec" / item.key / item.path.name


def copy_our_spec(item: Input) -> Path:
    """(Re)create our copy of ``item``; returns its path."""
    target = our_spec(item)
    if target.parent.exists():
        shutil.rmtree(target.parent)
    if item.repo_path is not None:  # a repo spec may reference files beside it
        shutil.copytree(item.path.parent, target.parent)
    else:
        target.parent.mkdir(parents=True)
        shutil.copyfile(item.path, target)
    return target


def spec_for(tool: Tool, item: Input) -> Path | None:
    """The ``--spec`` override for ``tool`` (ours: its copy), None for the input's own path."""
    return our_spec(item) if tool.key == "ours" else None


def cache_env(env: dict[str, str], name: str, *, fresh: bool) -> dict[str, str]:
    """``env`` with our generator's cache in its own directory, emptied first when ``fresh`` (a cold run)."""
    root = CACHES / name
    if fresh and root.exists():
        shutil.rmtree(root)
    return {**env, CACHE_ENV: str(root)}


def tree_state(root: Path) -> dict[str, tuple[int, int]]:
    """Size and mtime of every file under ``root`` (bytecode caches excluded): to see that nothing was written."""
    return {
        path.relative_to(root).as_posix(): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
