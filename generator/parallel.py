"""Run spec validation in a forked process while the parent generates models (the machine has cores to spare).

Fork shares the parsed document with the child for free; only the (small)
list of diagnostics travels back. Where fork is unavailable the work simply
runs in-process, with the same result.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable
from typing import Any

from .diagnostics import Diagnostic, Diagnostics
from .validate import validate_document

_JOB: tuple[dict[str, Any], str] | None = None  # set just before forking, read by the child


def _child(conn: Any) -> None:
    assert _JOB is not None
    document, display = _JOB
    diags = Diagnostics()
    try:
        validate_document(document, file=display, diags=diags)
        conn.send_bytes(pickle.dumps(diags.items))
    finally:
        conn.close()


def start_validation(document: dict[str, Any], display: str) -> Callable[[], list[Diagnostic]]:
    """Begin validating; the returned function waits for and returns the diagnostics."""
    global _JOB
    if "fork" not in multiprocessing.get_all_start_methods():
        return lambda: _inline(document, display)
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    _JOB = (document, display)
    try:
        process = context.Process(target=_child, args=(child,), daemon=True)
        process.start()
    finally:
        _JOB = None
    child.close()

    def wait() -> list[Diagnostic]:
        try:
            items: list[Diagnostic] = pickle.loads(parent.recv_bytes())
        except EOFError:  # the child died (out of memory, killed): validate here instead
            items = _inline(document, display)
        finally:
            parent.close()
            process.join()
        return items

    return wait


def _inline(document: dict[str, Any], display: str) -> list[Diagnostic]:
    diags = Diagnostics()
    validate_document(document, file=display, diags=diags)
    return diags.items
