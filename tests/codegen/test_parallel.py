"""Work spread over cores gives exactly the in-process result."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from generator import parallel
from generator.diagnostics import Diagnostics
from generator.emit.format import format_python
from generator.openapi.validate import validate_document
from generator.parallel import Formatter, start_validation
from generator.provenance.cache import Cache, NoCache


def test_parallel_black_equals_sequential(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(parallel, "_PARALLEL_FORMAT_BYTES", 1_000)  # force worker processes
    monkeypatch.setattr(parallel, "_BATCH_BYTES", 500)  # and several batches
    pieces = [(f"m{n}.py", f"def f{n}( a,b ):\n  return {{'k':a,'v':[b,{n}]}}\n" * 3) for n in range(60)]
    broken = ("bad.py", "def broken(:\n")
    expected = [format_python(text, path=path) for path, text in pieces]
    with Formatter(NoCache()) as formatter:
        formatter.prefetch(pieces[:20])  # started early, collected later: same result
        assert formatter.format([*pieces, broken]) == [*expected, None]
    cache = Cache(tmp_path / "cache")
    with Formatter(cache) as formatter:
        assert formatter.format(pieces) == expected
    assert cache.misses == 60 and cache.hits == 0
    with Formatter(cache) as formatter:
        assert formatter.format(pieces) == expected
    assert cache.hits == 60


def test_running_workers_read_the_cache_themselves(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(parallel, "_PARALLEL_FORMAT_BYTES", 1_000)
    monkeypatch.setattr(parallel, "_BATCH_BYTES", 500)
    pieces = [(f"m{n}.py", f"x{n} = [ {n} ]\n" * 20) for n in range(30)]
    cache = Cache(tmp_path / "cache")
    cache.store("black", pieces[0][1], "# what the cache holds\n")  # not black's output: proves it was read
    with Formatter(cache, expect_bytes=10_000) as formatter:  # the workers run before the first piece
        results = formatter.format(pieces)
    assert cache.hits == cache.misses == 0, "the parent looked nothing up"
    assert results[0] == "# what the cache holds\n"
    assert results[1:] == [format_python(text, path=path) for path, text in pieces[1:]]
    assert cache.get("black", pieces[1][1]) == results[1], "a worker stored what it formatted"


def test_forked_validation_reports_what_inline_validation_reports() -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {"get": {"parameters": [{"name": "q", "in": "qury"}], "responses": {"200": {"description": "ok"}}}}
        },
    }
    inline = Diagnostics()
    validate_document(document, file="t.yaml", diags=inline)
    assert inline.items and start_validation(document, "t.yaml", NoCache())() == inline.items


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def test_fork_call_runs_in_a_child_and_returns_its_result() -> None:
    child_pid, value = parallel.fork_call(_pid_and_square, 12)()
    assert value == 144 and child_pid != os.getpid()


def _pids_of_a_nested_fork(n: int) -> tuple[int, int, int]:
    grandchild, value = parallel.fork_call(_pid_and_square, n)()
    return os.getpid(), grandchild, value


def test_a_non_daemon_fork_call_may_fork_again_as_breaking_does() -> None:
    """breaking compiles the older spec in a child, and a compile forks its own model child."""
    child, grandchild, value = parallel.fork_call(_pids_of_a_nested_fork, 5, daemon=False)()
    assert value == 25
    assert len({os.getpid(), child, grandchild}) == 3, "each call ran in its own process, none fell back"


def _raise_in_child(n: int) -> int:
    if multiprocessing.parent_process() is not None:
        raise RuntimeError("boom in the child")
    return n + 1


def _die_in_child(n: int) -> int:
    if multiprocessing.parent_process() is not None:
        os._exit(3)  # killed, out of memory: no result comes back
    return n + 1


def test_fork_call_reruns_in_process_when_the_child_fails() -> None:
    # Either way the caller still gets the in-process result, so a real error
    # would surface in the caller with its own traceback.
    assert parallel.fork_call(_raise_in_child, 1)() == 2
    assert parallel.fork_call(_die_in_child, 5)() == 6


def _raises(message: str) -> None:
    raise ValueError(message)


def test_fork_call_surfaces_a_real_error_in_the_caller() -> None:
    with pytest.raises(ValueError, match="bad input"):
        parallel.fork_call(_raises, "bad input")()
