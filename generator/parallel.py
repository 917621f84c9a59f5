"""Use the machine's other cores: validation in a child, black in a pool of workers.

Fork shares the parsed document with a child for free (worker.fork_call); only
the result (diagnostics) travels back. Where fork is unavailable the
work simply runs in-process, with the same result.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import PurePosixPath
from typing import Any

from .diagnostics import Diagnostic, Diagnostics
from .emit import chunks, reuse
from .emit.output import FileMap
from .emit.rendered import Rendered
from .openapi.validate_parts import validate_cached
from .provenance.cache import Cache
from .worker import fork_call


def _validate(document: dict[str, Any], display: str, cache: Cache) -> list[Diagnostic]:
    diags = Diagnostics()
    validate_cached(document, file=display, diags=diags, cache=cache)
    return diags.items


def start_validation(document: dict[str, Any], display: str, cache: Cache) -> Callable[[], list[Diagnostic]]:
    """Begin validating in a child; the returned function waits for and returns the diagnostics.

    Its verdict is needed last, so the child yields the cores to model generation and black. The
    child also finds what the cache already knows (a valid document, or its valid parts), which
    costs a pass over the document the parent need not wait for.
    """
    # This process imports jsonschema anyway (``check_values``); imported before the fork, the child
    # shares it instead of importing it again (about 0.1 CPU-s, on a 2-core machine a tenth of a
    # small spec's run).
    import jsonschema  # type: ignore[import-untyped, unused-ignore]  # noqa: F401

    return fork_call(_validate, document, display, cache, niceness=5)


# Below this much Python, starting worker processes costs more than it saves (~50 ms to fork two).
_PARALLEL_FORMAT_BYTES = 50_000
# Pieces travel to the workers in batches (one round trip each): at most this size, and small
# enough that each worker gets several, so no core sits idle while another finishes a big one.
_BATCH_BYTES = 64_000
_BATCHES_PER_WORKER = 4


def _pieces(rendered: Rendered) -> dict[PurePosixPath, list[str]]:
    """The pieces black formats, per Python file that is not verbatim."""
    return {
        path: chunks.pieces(text.replace("\r\n", "\n"))
        for path, text in sorted(rendered.files.items())
        if path.suffix == ".py" and path not in rendered.verbatim
    }


def _twins(items: list[tuple[str, str]], todo: dict[str, str]) -> dict[str, str]:
    """Each async class to be formatted → its sync twin, also to be formatted (same module)."""
    from .emit import twins

    by_label: dict[str, list[str]] = {}
    for label, text in items:
        by_label.setdefault(label, []).append(text)
    found: dict[str, str] = {}
    for texts in by_label.values():
        for twin, sync in twins.pairs(texts).items():
            if texts[twin] in todo and texts[sync] in todo and texts[sync] not in found:
                found.setdefault(texts[twin], texts[sync])
    return {twin: sync for twin, sync in found.items() if sync not in found}


def _format_piece(item: tuple[str, str]) -> str | None:
    from .emit.format import FormatError, format_python

    path, text = item
    try:
        return format_python(text, path=path)
    except FormatError:
        return None


def _format_batch(
    items: list[tuple[str, str]], cache: Cache, twins_of: dict[str, str] | None = None
) -> list[str | None]:
    """Each piece from the cache, or formatted and stored (in a worker: thousands of small cache
    reads and writes, off the parent). ``twins_of`` maps an async class to its sync twin earlier
    in ``items``, whose result may stand for black's on it (emit/twins.py)."""
    from .emit import twins

    results: list[str | None] = []
    done: dict[str, str | None] = {}
    for item in items:
        _, text = item
        formatted = cache.get("black", text)
        if formatted is None:
            sync = twins_of.get(text) if twins_of else None
            sync_formatted = None if sync is None else done.get(sync)
            if sync is not None and sync_formatted is not None:
                formatted = twins.derive(sync, sync_formatted, text)
            if formatted is None:
                formatted = _format_piece(item)
            if formatted is not None:
                cache.store("black", text, formatted)
        done[text] = formatted
        results.append(formatted)
    return results


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
        self._workers = os.cpu_count() or 1
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
            # With the workers running, they read the cache too: it is most of an edit's black stage.
            cached = None if self._pool is not None else self._cache.get("black", text)
            if cached is None:
                todo[text] = label
            else:
                self._done[text] = cached
        twins_of = _twins(items, todo)
        # An async class travels right after its sync twin, in the same batch (see _format_batch).
        units: dict[str, list[tuple[str, str]]] = {
            text: [(label, text)] for text, label in todo.items() if text not in twins_of
        }
        for twin, sync in twins_of.items():
            units[sync].append((todo[twin], twin))
        total = sum(len(text) for text in todo)
        pool = self._pool_for(total)
        if pool is None:
            ordered = [item for unit in units.values() for item in unit]
            results = _format_batch(ordered, self._cache, twins_of)
            self._done.update(zip((text for _, text in ordered), results, strict=True))
            return
        batch: list[tuple[str, str]] = []
        size = 0
        limit = min(_BATCH_BYTES, total // (self._workers * _BATCHES_PER_WORKER))
        # Largest first, so one big piece does not start last and leave a core idle.
        for unit in sorted(units.values(), key=lambda unit: -sum(len(text) for _, text in unit)):
            batch.extend(unit)
            size += sum(len(text) for _, text in unit)
            if size >= limit:
                self._submit(pool, batch, twins_of)
                batch, size = [], 0
        if batch:
            self._submit(pool, batch, twins_of)

    def prefetch_files(self, rendered: Rendered) -> None:
        """Start formatting the files ``files`` will format."""
        self.prefetch([(str(path), piece) for path, texts in _pieces(rendered).items() for piece in texts])

    def files(self, rendered: Rendered) -> FileMap:
        """The files formatted: Python piece by piece (see chunks.py); LF only, exactly one final newline."""
        from .emit.format import format_python

        files = {path: text.replace("\r\n", "\n") for path, text in sorted(rendered.files.items())}
        pieces = _pieces(rendered)
        results = iter(self.format([(str(path), piece) for path, texts in pieces.items() for piece in texts]))
        for path, texts in pieces.items():
            formatted = [next(results) for _ in texts]
            if all(piece is not None for piece in formatted):
                files[path] = chunks.join([piece for piece in formatted if piece is not None])
            else:  # a cut black could not parse (or a real error, which this reports)
                files[path] = self._cache.get_or_compute(
                    "black", files[path], functools.partial(format_python, files[path], path=str(path))
                )
        final = {path: text.rstrip("\n") + "\n" for path, text in files.items()}
        reuse.store(self._cache, rendered.keys, final)
        return final

    def format(self, items: list[tuple[str, str]]) -> list[str | None]:
        """black's output for each (label, text) pair, in order."""
        self.prefetch(items)
        for _, text in items:
            if text not in self._done:
                future, index = self._pending.pop(text)
                self._done[text] = future.result()[index]
        return [self._done[text] for _, text in items]

    def _submit(self, pool: ProcessPoolExecutor, batch: list[tuple[str, str]], twins_of: dict[str, str]) -> None:
        texts = {text for _, text in batch}
        future = pool.submit(
            _format_batch, batch, self._cache, {twin: sync for twin, sync in twins_of.items() if twin in texts}
        )
        for index, (_, text) in enumerate(batch):
            self._pending[text] = (future, index)

    def _pool_for(self, size: int) -> ProcessPoolExecutor | None:
        if self._pool is not None:
            return self._pool
        if self._workers < 2 or size < _PARALLEL_FORMAT_BYTES or "fork" not in multiprocessing.get_all_start_methods():
            return None
        pool = ProcessPoolExecutor(max_workers=self._workers, mp_context=multiprocessing.get_context("fork"))
        # Workers fork on the first submit. Frozen objects are skipped by the children's garbage
        # collector, which would otherwise touch (and so copy) every page of a large parent.
        gc.freeze()
        try:
            pool.submit(int).result()
        finally:
            gc.unfreeze()
        self._pool = pool
        return pool
