"""A real HTTP server on 127.0.0.1 whose every answer a test scripts in advance.

Mocked transports cannot produce the failures that matter for retries: a
request that reached the server and then timed out, a connection reset after
the server read the body. This server does, and it records each request it
received, so a test can assert how many times the server was really hit::

    with FaultServer([Reply.delay(1.0), Reply(200, json_body={"ok": True})]) as server:
        ...  # point a client at server.url
        assert server.hits == 2

Replies are used in order, one per request; when they run out the server
answers 599 so that an unexpected extra request fails loudly instead of
hanging. Everything is bounded: delays are cut short when the server stops,
and stopping closes any connection still open.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Literal

__all__ = ["FaultServer", "RecordedRequest", "Reply", "refused_port"]

Action = Literal["respond", "reset", "close"]


@dataclass(frozen=True)
class Reply:
    """What the server does with one request.

    ``action`` is ``"respond"`` (send status/headers/body after ``delay``
    seconds), ``"reset"`` (abort the TCP connection with RST, no response) or
    ``"close"`` (close the connection cleanly without a response).
    """

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    action: Action = "respond"

    @classmethod
    def json(cls, status: int, payload: object, headers: Mapping[str, str] | None = None) -> Reply:
        return cls(
            status,
            {"Content-Type": "application/json", **(headers or {})},
            json.dumps(payload).encode(),
        )

    @classmethod
    def stall(cls, seconds: float) -> Reply:
        """Read the request, then say nothing for ``seconds`` (a read timeout)."""
        return cls(200, {}, b"{}", delay=seconds)

    @classmethod
    def reset(cls) -> Reply:
        return cls(action="reset")

    @classmethod
    def close(cls) -> Reply:
        return cls(action="close")


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it."""

    method: str
    path: str  # raw request target: percent-encoding and query preserved
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


#: Answer for a request nobody scripted: a status no real server sends.
_UNSCRIPTED = Reply(599, {"Content-Type": "text/plain"}, b"fault server: no scripted reply left")


class FaultServer:
    """Threaded HTTP/1.1 server on a free port of 127.0.0.1; a context manager."""

    def __init__(self, replies: Iterable[Reply] = ()) -> None:
        self._replies: deque[Reply] = deque(replies)
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    # -- test-facing API --

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def hits(self) -> int:
        with self._lock:
            return len(self._requests)

    def enqueue(self, *replies: Reply) -> None:
        with self._lock:
            self._replies.extend(replies)

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping through a delay
        self._httpd.shutdown()
        with self._lock:
            open_connections = list(self._connections)
        for conn in open_connections:  # unblocks handlers waiting on keep-alive
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()  # joins the handler threads
        self._thread.join(timeout=5)

    # -- used by the handler --

    def _record(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self._requests.append(request)
            return self._replies.popleft() if self._replies else _UNSCRIPTED

    def _track(self, conn: socket.socket, *, open_: bool) -> None:
        with self._lock:
            if open_:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)


def _make_handler(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, like a real API
        timeout = 5  # backstop: no handler thread outlives a test by much

        def setup(self) -> None:
            super().setup()
            server._track(self.connection, open_=True)

        def finish(self) -> None:
            try:
                super().finish()
            except (OSError, ValueError):  # the client or we closed first; expected here
                pass
            server._track(self.connection, open_=False)

        def handle_one_request(self) -> None:
            try:
                super().handle_one_request()
            except OSError:  # write to a client that already timed out
                self.close_connection = True

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            reply = server._record(
                RecordedRequest(
                    method=self.command,
                    path=self.path,
                    headers={name.lower(): value for name, value in self.headers.items()},
                    body=body,
                )
            )
            if reply.delay and server._stopping.wait(reply.delay):
                self.close_connection = True
                return
            if reply.action == "reset":
                # SO_LINGER 0 turns close() into a TCP RST.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self._drop_connection()
            elif reply.action == "close":
                self.connection.shutdown(socket.SHUT_RDWR)
                self._drop_connection()
            else:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

        def _drop_connection(self) -> None:
            self.close_connection = True
            self.connection.close()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    return Handler


@contextmanager
def refused_port() -> Iterator[int]:
    """A port on 127.0.0.1 where connecting is refused, held for the block.

    The socket is bound but never listens, so the kernel answers SYN with
    RST, and no other process can grab the port meanwhile.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])
    finally:
        sock.close()
