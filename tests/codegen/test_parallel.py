"""Work spread over cores gives exactly the in-process result."""

from __future__ import annotations

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
