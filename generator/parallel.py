"""Use the machine's other cores: spec validation beside model generation, and black beside everything else.

Fork shares the parsed document with the child for free; only the (small)
list of diagnostics travels back. Where fork is unavailable the work simply
runs in-process, with the same result.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
from concurrent.futures import Future, ProcessPoolExecutor
from collections.abc import Callable
from typing import Any

from .cache import Cache
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
# Pieces travel to the workers in batches of about this size (one round trip each).
_BATCH_BYTES = 64_000


def _format_piece(item: tuple[str, str]) -> str | None:
    from .format import FormatError, format_python

    path, text = item
    try:
        return format_python(text, path=path)
    except FormatError:
        return None


def _format_batch(items: list[tuple[str, str]]) -> list[str | None]:
    return [_format_piece(item) for item in items]


class Formatter:
    """black over pieces of Python: cached, started as soon as a piece is known, spread over the cores.

    ``prefetch`` hands pieces over early (the models, while the templates are
    still rendering); ``format`` returns each piece's result, waiting where it
    must. A result is None for a piece black cannot parse; the caller decides
    what that means (for a piece of a module: format the module whole, which
    names the error). Results depend only on the text, never on the timing.
    """

    def __init__(self, cache: Cache, *, expect_bytes: int = 0) -> None:
        """``expect_bytes``: a guess of how much Python is coming; enough of it starts the workers now.

        Forking copies the parent's page tables, so each worker's resident size
        starts at the parent's: workers forked before model generation (which
        is what makes the parent large) stay small.
        """
        self._cache = cache
        self._done: dict[str, str | None] = {}
        self._pending: dict[str, tuple[Future[list[str | None]], int]] = {}
        self._pool: ProcessPoolExecutor | None = None
        self._pool_for(expect_bytes)

    def __enter__(self) -> Formatter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def prefetch(self, items: list[tuple[str, str]]) -> None:
        """Start formatting (label, text) pairs that are neither cached nor already started."""
        todo: dict[str, str] = {}
        for label, text in items:
            if text in self._done or text in self._pending or text in todo:
                continue
            cached = self._cache.get("black", text)
            if cached is None:
                todo[text] = label
            else:
                self._done[text] = cached
        pool = self._pool_for(sum(len(text) for text in todo))
        if pool is None:
            for text, label in todo.items():
                self._finished(text, _format_piece((label, text)))
            return
        batch: list[tuple[str, str]] = []
        size = 0
        # Largest first, so one big piece does not start last and leave a core idle.
        for text, label in sorted(todo.items(), key=lambda item: -len(item[0])):
            batch.append((label, text))
            size += len(text)
            if size >= _BATCH_BYTES:
                self._submit(pool, batch)
                batch, size = [], 0
        if batch:
            self._submit(pool, batch)

    def format(self, items: list[tuple[str, str]]) -> list[str | None]:
        """black's output for each (label, text) pair, in order."""
        self.prefetch(items)
        for _, text in items:
            if text not in self._done:
                future, index = self._pending.pop(text)
                self._finished(text, future.result()[index])
        return [self._done[text] for _, text in items]

    def _finished(self, text: str, formatted: str | None) -> None:
        self._done[text] = formatted
        if formatted is not None:
            self._cache.store("black", text, formatted)

    def _submit(self, pool: ProcessPoolExecutor, batch: list[tuple[str, str]]) -> None:
        future = pool.submit(_format_batch, batch)
        for index, (_, text) in enumerate(batch):
            self._pending[text] = (future, index)

    def _pool_for(self, size: int) -> ProcessPoolExecutor | None:
        if self._pool is not None:
            return self._pool
        workers = os.cpu_count() or 1
        if workers < 2 or size < _PARALLEL_FORMAT_BYTES or "fork" not in multiprocessing.get_all_start_methods():
            return None
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
        # Workers fork on the first submit. Frozen objects are skipped by the children's garbage
        # collector, which would otherwise touch (and so copy) every page of a large parent.
        gc.freeze()
        try:
            pool.submit(int).result()
        finally:
            gc.unfreeze()
        self._pool = pool
        return pool
