"""Children that each run one call: ``Worker``, forked before its call exists, and ``fork_call``.

The models stage is the longest on every spec, and on a small one most of it is
datamodel-code-generator's imports and first use; a ``Worker`` forked first,
while this process reads the spec, takes that off the critical path. Its call
reports its result's first part (the models' index) as soon as it has it, so
this process can build the IR while the child finishes the rest. ``fork_call``
forks once its arguments exist, which the child then shares for free.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")
E = TypeVar("E")

# Set just before forking, read by the child: warm, the job pipe's end, the result pipe's end, the parent's ends.
_STARTING: tuple[Callable[[], object], Any, Any, tuple[Any, ...]] | None = None

_EARLY, _DONE = "early", "done"
_END = object()  # ``meanwhile`` has no more steps


def _stop(*_: object) -> None:
    raise SystemExit(0)  # so that ``finally`` blocks run (the tool's temporary files go)


def _receive_job(jobs: Any) -> bytes:
    try:
        return jobs.recv_bytes()  # type: ignore[no-any-return]
    except (EOFError, OSError):
        return b""


def _serve() -> None:
    assert _STARTING is not None
    warm, jobs, results, parents_ends = _STARTING
    signal.signal(signal.SIGTERM, _stop)
    for end in parents_ends:  # else this child's own copy of the job pipe would keep it from ever closing
        end.close()
    gc.freeze()  # inherited objects are never garbage: the collector need not walk (and copy) them

    def report(value: object) -> None:
        results.send_bytes(pickle.dumps((_EARLY, value), protocol=pickle.HIGHEST_PROTOCOL))

    # The job is read while warming up: a job larger than the pipe's buffer (64 KiB; Northflank's is
    # 95 KiB) would otherwise keep the parent blocked in ``call`` until the warm-up ends.
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(_receive_job(jobs)), daemon=True)
    reader.start()
    try:
        warm()
    except Exception:
        pass  # a failed warm-up only costs the call its head start
    reader.join()  # before anything here forks: a fork beside a running thread is unsafe
    try:
        if not received or not received[0]:
            return  # the parent is gone or sent nothing
        function, args = pickle.loads(received[0])
        result = function(*args, report=report)
        results.send_bytes(pickle.dumps((_DONE, result), protocol=pickle.HIGHEST_PROTOCOL))
    except SystemExit:
        raise
    except BaseException:
        pass  # the parent sees the pipe close and runs the call itself
    finally:
        results.close()


class Job(Generic[E, T]):
    """A call sent to a ``Worker``: ``early()`` is its first part or None, ``result()`` the whole."""

    def __init__(self, function: Callable[..., T], args: tuple[Any, ...], worker: Worker | None) -> None:
        self._function = function
        self._args = args
        self._worker = worker  # None: runs in this process when asked, reporting nothing early
        self._early: E | None = None
        self._asked_early = False
        self._result: tuple[T] | None = None

    def early(self, meanwhile: Iterable[object] = ()) -> E | None:
        """The part the call reported early: waits for it, or returns None when the call reported
        nothing before it finished (or runs in this process, or its child failed). Until something
        arrives, this process takes ``meanwhile``'s steps, one at a time, instead of idling."""
        if not self._asked_early:
            steps = iter(meanwhile)
            while self._worker is not None and not self._worker.results.poll() and next(steps, _END) is not _END:
                pass
            self._asked_early = True
            self._early = self._receive(want_early=True)
        return self._early

    def result(self) -> T:
        while self._result is None:
            self._receive(want_early=False)
        return self._result[0]

    def _receive(self, *, want_early: bool) -> E | None:
        worker = self._worker
        if worker is None:
            if self._result is None:
                self._result = (self._function(*self._args, report=None),)
            return None
        try:
            kind, value = pickle.loads(worker.results.recv_bytes())
        except (EOFError, OSError):  # the child died or raised: the same call, here
            self._worker = None
            worker.close()
            return self._receive(want_early=want_early)
        if kind == _EARLY:
            return value if want_early else None
        self._result = (value,)
        self._worker = None
        worker.close()
        return None


class Later(Generic[T]):
    """A value this process needs only after a wait: computed as one step of ``Job.early``'s
    ``meanwhile``, or when first asked for if the wait ended before that step."""

    def __init__(self, compute: Callable[[], T]) -> None:
        self._compute = compute
        self._held: list[T] = []

    def step(self) -> Iterator[None]:
        self.get()
        yield None

    def get(self) -> T:
        if not self._held:
            self._held.append(self._compute())
        return self._held[0]


# Set just before ``fork_call`` forks, read by its child.
_CALL: tuple[Callable[..., Any], tuple[Any, ...], int] | None = None


def _call_child(conn: Any) -> None:
    assert _CALL is not None
    function, args, niceness = _CALL
    if niceness:
        os.nice(niceness)
    # The inherited objects are never garbage: freezing them keeps the child's
    # collector from walking (and so copying) every page of a large parent.
    gc.freeze()
    try:
        conn.send_bytes(pickle.dumps(function(*args), protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:
        pass
    finally:
        conn.close()


def fork_call(function: Callable[..., T], *args: Any, niceness: int = 0, daemon: bool = True) -> Callable[[], T]:
    """Start ``function(*args)`` in a forked child; the returned function waits for its result.

    The result comes back pickled. Where fork is unavailable, or the child
    raised or died (out of memory, killed), the call runs in this process
    instead: same result, and a real error surfaces with its own traceback.
    A positive ``niceness`` lowers the child's priority, for work whose result
    is needed late. Fork before any thread is started (the black workers' pool
    has one). ``daemon=False`` lets the child fork children of its own (a whole
    compile does); it is still waited for.
    """
    global _CALL
    if "fork" not in multiprocessing.get_all_start_methods():
        return lambda: function(*args)
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    _CALL = (function, args, niceness)
    try:
        process = context.Process(target=_call_child, args=(child,), daemon=daemon)
        process.start()
    finally:
        _CALL = None
    child.close()

    def wait() -> T:
        try:
            result: T = pickle.loads(parent.recv_bytes())
        except EOFError:
            result = function(*args)
        finally:
            parent.close()
            process.join()
        return result

    return wait


class Worker:
    """A child forked before the spec is read: it pays ``warm()``'s one-time costs (imports, first
    use) while this process loads the spec, then runs the one call it is sent.

    Unlike ``fork_call``, whose child shares its arguments for free but can start only once
    they exist, the call's arguments travel pickled (about 0.2 s for GitHub's 13 MB spec). Where
    fork is unavailable, or the child fails, the call runs in this process, with the same result.
    Leaving the ``with`` block stops a child that was never sent work (or whose result was never
    collected). The child may fork children of its own: it is not a daemon.
    """

    def __init__(self, warm: Callable[[], object]) -> None:
        global _STARTING
        self._process: Any = None
        self._sent = False
        if "fork" not in multiprocessing.get_all_start_methods() or multiprocessing.current_process().daemon:
            return
        context = multiprocessing.get_context("fork")
        jobs_in, self._jobs = context.Pipe(duplex=False)
        self.results, results_out = context.Pipe(duplex=False)
        _STARTING = (warm, jobs_in, results_out, (self._jobs, self.results))
        try:
            self._process = context.Process(target=_serve, daemon=False)
            self._process.start()
        finally:
            _STARTING = None
        jobs_in.close()
        results_out.close()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        # Never sent work (the spec did not load), or its result never collected (an error here):
        # stopped now rather than waited for, which could be the whole models stage.
        if self._process is not None:
            self._process.terminate()
        self.close()

    def call(self, function: Callable[..., T], *args: Any) -> Job[Any, T]:
        """Send ``function(*args, report=...)`` to the child (once). The function may call ``report``
        once with the first part of its result, which ``Job.early`` then returns; run in this
        process instead, it gets ``report=None``."""
        if self._process is None or self._sent:
            return Job(function, args, None)
        job = pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL)
        self._sent = True
        self._jobs.send_bytes(job)
        return Job(function, args, self)

    def close(self) -> None:
        if self._process is not None:
            self._jobs.close()
            self.results.close()
            self._process.join()
            self._process = None
