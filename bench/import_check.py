"""Worker run *inside the peer venv* (bench/.venv-peers/bin/python): does generated code import?

Two commands, each reading a JSON request file and printing one JSON answer on stdout:

``check REQUEST``
    Import every listed module. The worker first imports only the third-party runtime
    dependencies (``preload``), then, for each module, forks a child that imports just that
    module under an alarm (``timeout`` seconds): every module starts from a clean slate as far as
    generated code is concerned, without paying interpreter start-up each time. Up to ``jobs``
    children run at once. When there are more than ``fresh_limit`` modules, one child imports
    them all in sorted order instead (a "sweep": a failure is still counted per module, but a
    module may already have been imported by an earlier one); the answer says which mode ran.

``time REQUEST``
    One sample of import time: seconds to import ``modules`` (in order) in this fresh interpreter.

Standard library only; Linux (fork, SIGALRM).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import select
import signal
import sys
import time
import traceback
from typing import Any


def _short_error(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = next(
        (f"{os.path.basename(f.filename)}:{f.lineno}" for f in reversed(frames) if "importlib" not in f.filename), ""
    )
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:300]
    return f"{text} ({where})" if where else text


def _child_import(module: str, timeout: float, write_fd: int) -> None:
    signal.alarm(max(1, int(timeout)))
    code = 0
    try:
        importlib.import_module(module)
        message = ""
    except BaseException as exc:
        message, code = _short_error(exc), 1
    os.write(write_fd, message.encode()[:4000])
    os.close(write_fd)
    os._exit(code)


def _fresh(modules: list[str], timeout: float, jobs: int) -> list[dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    pending = list(modules)
    running: dict[int, tuple[str, int, float, bytearray]] = {}
    while pending or running:
        while pending and len(running) < jobs:
            module = pending.pop(0)
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # child
                os.close(read_fd)
                _child_import(module, timeout, write_fd)
            os.close(write_fd)
            running[pid] = (module, read_fd, time.perf_counter(), bytearray())
        fds = {entry[1]: pid for pid, entry in running.items()}
        ready, _, _ = select.select(list(fds), [], [], 1.0)
        for fd in ready:
            pid = fds[fd]
            chunk = os.read(fd, 4096)
            if chunk:
                running[pid][3].extend(chunk)
                continue
            module, _, started, buffer = running.pop(pid)
            os.close(fd)
            _, status = os.waitpid(pid, 0)
            elapsed = time.perf_counter() - started
            if os.WIFSIGNALED(status):
                sig = os.WTERMSIG(status)
                error = f"timed out after {timeout:.0f}s" if sig == signal.SIGALRM else f"killed by signal {sig}"
                results[module] = {"module": module, "ok": False, "error": error, "seconds": elapsed}
            else:
                ok = os.WEXITSTATUS(status) == 0
                results[module] = {
                    "module": module,
                    "ok": ok,
                    "error": buffer.decode(errors="replace"),
                    "seconds": elapsed,
                }
    return [results[m] for m in modules]


def _sweep(modules: list[str], budget: float) -> list[dict[str, Any]]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        signal.alarm(max(1, int(budget)))
        with os.fdopen(write_fd, "w") as out:
            for module in modules:
                started = time.perf_counter()
                try:
                    importlib.import_module(module)
                    error = ""
                except BaseException as exc:
                    error = _short_error(exc)
                out.write(
                    json.dumps(
                        {"module": module, "ok": not error, "error": error, "seconds": time.perf_counter() - started}
                    )
                    + "\n"
                )
                out.flush()
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd) as stream:
        lines = stream.read().splitlines()
    _, status = os.waitpid(pid, 0)
    done = {row["module"]: row for row in map(json.loads, lines)}
    reason = "sweep timed out" if os.WIFSIGNALED(status) else "sweep died"
    return [
        done.get(m, {"module": m, "ok": False, "error": f"not checked ({reason})", "seconds": 0.0}) for m in modules
    ]


def check(request: dict[str, Any]) -> dict[str, Any]:
    sys.path[:0] = request["paths"]
    for dep in request.get("preload", []):
        with contextlib.suppress(ImportError):
            importlib.import_module(dep)
    modules: list[str] = request["modules"]
    started = time.perf_counter()
    if len(modules) <= request["fresh_limit"]:
        mode, results = "fresh", _fresh(modules, request["timeout"], request.get("jobs", 2))
    else:
        mode, results = "sweep", _sweep(modules, request["budget"])
    return {"mode": mode, "results": results, "seconds": time.perf_counter() - started}


def time_imports(request: dict[str, Any]) -> dict[str, Any]:
    sys.path[:0] = request["paths"]
    started = time.perf_counter()
    for module in request["modules"]:
        importlib.import_module(module)
    return {"seconds": time.perf_counter() - started}


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]  # only the generated code and deps
    command, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8") as handle:
        request = json.load(handle)
    answer = check(request) if command == "check" else time_imports(request)
    sys.stdout.write(json.dumps(answer) + "\n")


if __name__ == "__main__":
    main()
