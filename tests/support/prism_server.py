"""Run Stoplight Prism (the independent OpenAPI mock the contract tests talk to) in a subprocess.

Prism comes from ``node_modules/.bin/prism``, pinned in ``package.json`` /
``package-lock.json`` and installed by ``npm ci`` (``make test`` runs it). It is
started in its own session, hence its own process group, and stopped by signalling
that whole group: killing only a wrapper (``npx``, a shell) would leave the node
server running and holding its port.

Prism is given a copy of the spec whose regex patterns were respelt for JavaScript's
unicode mode (see ``prism_patterns``); with the original spec Prism silently skips
validating every job request body.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import httpx
import yaml  # type: ignore[import-untyped, unused-ignore]  # types-PyYAML may be absent

from tests.support.prism_patterns import rewrite_spec_patterns

__all__ = [
    "PRISM_BIN",
    "REPO",
    "SPEC",
    "PrismError",
    "PrismNotInstalled",
    "PrismServer",
    "free_port",
    "load_spec",
    "prism_executable",
    "start_prism",
    "write_prism_spec",
]

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "spec" / "openapi.yaml"
PRISM_BIN = REPO / "node_modules" / ".bin" / "prism"

#: How long Prism may take to load the spec and listen (it needs about 2 s here).
READY_TIMEOUT = 60.0
#: How long Prism may take to exit after SIGTERM before it gets SIGKILL.
STOP_TIMEOUT = 10.0
#: How much of Prism's output goes into an error message.
_OUTPUT_TAIL = 8000


class PrismError(RuntimeError):
    """Prism could not be started, or died."""


class PrismNotInstalled(PrismError):
    """``node_modules/.bin/prism`` is missing."""


def prism_executable() -> Path:
    """The pinned Prism CLI, or ``PrismNotInstalled`` saying how to install it."""
    if not PRISM_BIN.exists():
        raise PrismNotInstalled(
            f"Prism is not installed: {PRISM_BIN} does not exist. The contract tests need the "
            "mock server pinned in package.json; install it with `npm ci` in the repository root "
            "(`make test` does this, and so does CI)."
        )
    if not os.access(PRISM_BIN, os.X_OK):
        raise PrismNotInstalled(f"{PRISM_BIN} is not executable; reinstall with `npm ci`.")
    return PRISM_BIN


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def load_spec(path: Path = SPEC) -> Any:
    """The spec as plain JSON data."""
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def write_prism_spec(directory: Path, *, source: Path = SPEC, rewrite: bool = True) -> Path:
    """Write the spec Prism should serve into ``directory`` and return its path.

    With ``rewrite`` (the default) every pattern is respelt by
    ``prism_patterns.rewrite_spec_patterns``. Written as JSON, which
    ``json.dumps`` refuses to write if YAML parsing produced anything JSON
    cannot hold (dates, non-string keys), rather than Prism reading it differently.
    """
    spec = load_spec(source)
    if rewrite:
        spec, _ = rewrite_spec_patterns(spec)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / ("openapi.prism.json" if rewrite else "openapi.original.json")
    target.write_text(json.dumps(spec, indent=1, ensure_ascii=False), encoding="utf-8")
    return target


class PrismServer:
    """A running ``prism mock``; a context manager that stops it."""

    def __init__(
        self,
        process: subprocess.Popen[bytes],
        *,
        spec: Path,
        port: int,
        log_path: Path,
        log_file: IO[bytes],
    ) -> None:
        self.process = process
        self.spec = spec
        self.port = port
        self.log_path = log_path
        self._log_file = log_file
        self.base_url = f"http://127.0.0.1:{port}"

    def __repr__(self) -> str:
        return f"PrismServer(pid={self.process.pid}, base_url={self.base_url!r}, spec={str(self.spec)!r})"

    def output(self, tail: int = _OUTPUT_TAIL) -> str:
        """The last ``tail`` characters Prism printed (stdout and stderr)."""
        if not self._log_file.closed:
            self._log_file.flush()
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            return f"(could not read {self.log_path}: {exc})"
        return text[-tail:]

    def is_running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Stop every process of Prism's group: SIGTERM, then SIGKILL after ``timeout``."""
        pgid = self.process.pid  # start_new_session: the group id is the leader's pid
        try:
            _signal_group(pgid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and _group_alive(pgid, self.process):
                time.sleep(0.05)
            if _group_alive(pgid, self.process):
                _signal_group(pgid, signal.SIGKILL)
            self.process.wait(timeout=timeout)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and _group_alive(pgid, self.process):
                time.sleep(0.05)
        finally:
            self._log_file.close()

    def __enter__(self) -> PrismServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _signal_group(pgid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


def _group_alive(pgid: int, leader: subprocess.Popen[bytes]) -> bool:
    """Whether any process of the group is still there (the leader is reaped first)."""
    leader.poll()
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - the group id was reused by someone else
        return False
    return True


def start_prism(
    spec: Path,
    *,
    log_path: Path,
    port: int | None = None,
    extra_args: Sequence[str] = (),
    ready_timeout: float = READY_TIMEOUT,
    attempts: int = 3,
) -> PrismServer:
    """Start ``prism mock`` on 127.0.0.1 serving ``spec`` and wait until it answers HTTP.

    Without ``port`` a free one is picked, and another is tried (up to
    ``attempts`` times) should something else take it before Prism binds it.
    Raises ``PrismNotInstalled``, or ``PrismError`` with Prism's output when it
    exits or does not answer within ``ready_timeout`` seconds.
    """
    executable = prism_executable()
    last_error: PrismError | None = None
    for _ in range(attempts if port is None else 1):
        chosen = port if port is not None else free_port()
        server = _launch(executable, spec, chosen, log_path, extra_args)
        try:
            _wait_until_ready(server, ready_timeout)
        except PrismError as exc:
            server.stop()
            last_error = exc
            if "EADDRINUSE" in str(exc) and port is None:
                continue
            raise
        return server
    assert last_error is not None
    raise last_error


def _launch(executable: Path, spec: Path, port: int, log_path: Path, extra_args: Sequence[str]) -> PrismServer:
    command = [
        str(executable),
        "mock",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        *extra_args,
        str(spec),
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # A file, not a pipe: Prism logs every request, and a pipe nobody drains
    # would block it once full.
    log_file = log_path.open("wb")
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=REPO,
            env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"},
        )
    except OSError as exc:
        log_file.close()
        raise PrismError(f"Could not run {' '.join(command)}: {exc}") from exc
    return PrismServer(process, spec=spec, port=port, log_path=log_path, log_file=log_file)


#: A path no spec has: Prism answers it with its own 404 problem document. Deep, so that a spec's
#: `/{source}` does not match it (opendatasoft's did, and Prism answered it with a 401).
_PROBE_PATH = "/__prism_readiness_probe__/0/1/2/3/4/5/6/7/8/9"


def _wait_until_ready(server: PrismServer, timeout: float) -> None:
    """Poll until Prism answers HTTP: an unknown path gets its "no path matched" 404."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=httpx.Timeout(2.0, connect=1.0)) as client:
        while True:
            if not server.is_running():
                raise PrismError(
                    f"Prism exited with status {server.process.returncode} before answering on "
                    f"{server.base_url}.\n--- Prism output ({server.log_path}) ---\n{server.output()}"
                )
            try:
                response = client.get(server.base_url + _PROBE_PATH)
            except httpx.TransportError:
                pass
            else:
                # Prism's own answer, not some other server that holds the port.
                if response.status_code == 404 and "NO_PATH_MATCHED" in response.text:
                    return
                if "https://stoplight.io/prism/errors#" in response.text:
                    return  # a spec path matched the probe after all: still Prism's own answer
            if time.monotonic() >= deadline:
                raise PrismError(
                    f"Prism did not answer on {server.base_url} within {timeout:.0f} s.\n"
                    f"--- Prism output ({server.log_path}) ---\n{server.output()}"
                )
            time.sleep(0.1)
