"""Work spread over cores gives exactly the in-process result."""

from __future__ import annotations

import pytest

from generator import parallel
from generator.diagnostics import Diagnostics
from generator.format import format_python
from generator.parallel import format_many, start_validation
from generator.validate import validate_document


def test_parallel_black_equals_sequential(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "_PARALLEL_FORMAT_BYTES", 1_000)  # force worker processes
    module = "".join(f"def f{i}( a,b ):\n  return {{'k':a,'v':[b,{i}]}}\n" for i in range(60))
    items = [(f"m{n}.py", module.replace("def f", f"def g{n}_")) for n in range(3)]
    assert format_many(items) == [format_python(text, path=path) for path, text in items]


def test_forked_validation_reports_what_inline_validation_reports() -> None:
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                "paths": {"/a": {"get": {"parameters": [{"name": "q", "in": "qury"}],
                                         "responses": {"200": {"description": "ok"}}}}}}
    inline = Diagnostics()
    validate_document(document, file="t.yaml", diags=inline)
    assert inline.items and start_validation(document, "t.yaml")() == inline.items
