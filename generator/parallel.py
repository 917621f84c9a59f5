"""Use the machine's other cores: spec validation beside model generation, and black over many files.

Fork shares the parsed document with the child for free; only the (small)
list of diagnostics travels back. Where fork is unavailable the work simply
runs in-process, with the same result.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
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


# Below this much Python, starting worker processes costs more than it saves (~50 ms to fork two).
_PARALLEL_FORMAT_BYTES = 50_000


def _format_piece(item: tuple[str, str]) -> str | None:
    from .format import FormatError, format_python

    path, text = item
    try:
        return format_python(text, path=path)
    except FormatError:
        return None


def format_many(items: list[tuple[str, str]]) -> list[str | None]:
    """black over (path, text) pairs, spread over the cores when there is enough of it.

    None for a text black cannot parse: the caller decides what that means
    (for a piece of a module, format the module whole, which names the error).
    """
    workers = min(os.cpu_count() or 1, len(items))
    if workers < 2 or sum(len(t) for _, t in items) < _PARALLEL_FORMAT_BYTES \
            or "fork" not in multiprocessing.get_all_start_methods():
        return [_format_piece(item) for item in items]
    # Largest first, so one big piece does not start last and leave a core idle.
    order = sorted(range(len(items)), key=lambda i: -len(items[i][1]))
    batch = max(1, len(items) // (workers * 16))
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        results = list(pool.map(_format_piece, [items[i] for i in order], chunksize=batch))
    formatted: list[str | None] = [None] * len(items)
    for index, text in zip(order, results, strict=True):
        formatted[index] = text
    return formatted
