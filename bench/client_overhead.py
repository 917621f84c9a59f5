"""Per-call overhead of the generated Northflank client against raw httpx + ``json.loads``, and model throughput.

Run inside the peer venv (it has httpx, pydantic and PyYAML) with the generated package importable,
e.g. ``PYTHONPATH=generated bench/.venv-peers/bin/python bench/client_overhead.py --spec spec/openapi.yaml``;
``bench/run.py`` does that and reads the JSON this prints.

* A loopback server (``http.server.ThreadingHTTPServer``, HTTP/1.1 keep-alive, in a *separate
  process* so it does not share the GIL with the client) answers
  ``GET /v1/projects/{projectId}/jobs/{jobId}`` with the get-job page example from the spec
  (``small``) or with that example grown to about 100 KB by more tags and a longer description
  (``large``, when the job id is ``large``). It binds 127.0.0.1 only and exits when its stdin closes
  or after ``--server-lifetime`` seconds, whichever is first.
* For sync and async, each body size: ``NorthflankClient(...).jobs.get_job(...)`` (request built,
  sent, status checked, envelope unwrapped, body validated into ``JobDetails``) against
  ``httpx.Client().get(...)`` + ``json.loads``: a warm-up, then ``rounds`` rounds of ``calls`` calls
  each, the two alternating; per-call microseconds are the median over rounds.
* Model throughput: for every request/response example in the spec, ``model_validate_json`` and
  ``model_dump_json(by_alias=True)`` operations per second on the model named by its schema.

Standard library plus the generated client's own dependencies.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import timeit
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

GET_JOB = "/v1/projects/{projectId}/jobs/{jobId}"
TOKEN = "bench-token"
LARGE_TARGET_BYTES = 100_000


# --------------------------------------------------------------------------- bodies


def load_spec(path: Path) -> dict[str, Any]:
    import yaml  # PyYAML is in the peer venv (a dependency of datamodel-code-generator)

    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))


def bodies(spec: dict[str, Any]) -> dict[str, bytes]:
    """The get-job page example (small) and the same job grown to ~100 KB (large)."""
    content = spec["paths"][GET_JOB]["get"]["responses"]["200"]["content"]["application/json"]
    example = next(iter(content["examples"].values()))["value"]
    large = copy.deepcopy(example)
    job = large["data"]
    job["description"] = ((job.get("description") or "") + " lorem ipsum dolor sit amet") * 400
    base = len(json.dumps(large).encode())
    count = max(0, (LARGE_TARGET_BYTES - base) // len('"tag-a000000", '))
    job["tags"] = list(job.get("tags") or []) + [f"tag-a{i:06d}" for i in range(count)]
    return {"small": json.dumps(example).encode(), "large": json.dumps(large).encode()}


# --------------------------------------------------------------------------- server (child process)


def serve(body_dir: Path, lifetime: float) -> None:
    payload = {name: (body_dir / f"{name}.json").read_bytes() for name in ("small", "large")}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            parts = self.path.split("?")[0].strip("/").split("/")
            if len(parts) == 5 and parts[0] == "v1" and parts[1] == "projects" and parts[3] == "jobs":
                status, body = "200 OK", payload["large" if parts[4] == "large" else "small"]
            else:
                status, body = "404 Not Found", b'{"error": {"status": 404, "message": "not found"}}'
            # One write for status line, headers and body: no Nagle/delayed-ACK stall between them.
            head = (
                f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode()
            self.wfile.write(head + body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdout.write(f"{server.server_address[1]}\n")
    sys.stdout.flush()
    deadline = threading.Timer(lifetime, lambda: os._exit(0))
    deadline.daemon = True
    deadline.start()
    sys.stdin.read()  # until the parent closes our stdin (or dies)
    server.shutdown()


# --------------------------------------------------------------------------- timing


def _per_call_us(calls: int, fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - started) / calls * 1e6


async def _per_call_us_async(calls: int, fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        await fn()
    return (time.perf_counter() - started) / calls * 1e6


def _summary(client: list[float], raw: list[float]) -> dict[str, Any]:
    c, r = statistics.median(client), statistics.median(raw)
    return {
        "client_us": c,
        "raw_us": r,
        "ratio": c / r,
        "overhead_us": c - r,
        "client_rounds": client,
        "raw_rounds": raw,
    }


def bench_sync(base_url: str, size: str, calls: int, rounds: int, warmup: int) -> dict[str, Any]:
    import httpx
    from northflank_jobs import NorthflankClient  # type: ignore[import-not-found]  # the package under test

    url = f"{base_url}/v1/projects/bench-project/jobs/{size}"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with NorthflankClient(token=TOKEN, base_url=base_url) as client, httpx.Client() as raw:

        def ours() -> object:
            return client.jobs.get_job(job_id=size, project_id="bench-project")

        def plain() -> object:
            return json.loads(raw.get(url, headers=headers).content)

        for _ in range(warmup):
            ours()
            plain()
        client_rounds: list[float] = []
        raw_rounds: list[float] = []
        for index in range(rounds):
            pair = [(ours, client_rounds), (plain, raw_rounds)]
            for fn, sink in pair if index % 2 == 0 else reversed(pair):
                sink.append(_per_call_us(calls, fn))
    return _summary(client_rounds, raw_rounds)


def bench_async(base_url: str, size: str, calls: int, rounds: int, warmup: int) -> dict[str, Any]:
    import httpx
    from northflank_jobs import AsyncNorthflankClient

    url = f"{base_url}/v1/projects/bench-project/jobs/{size}"
    headers = {"Authorization": f"Bearer {TOKEN}"}

    async def main() -> dict[str, Any]:
        async with AsyncNorthflankClient(token=TOKEN, base_url=base_url) as client, httpx.AsyncClient() as raw:

            async def ours() -> object:
                return await client.jobs.get_job(job_id=size, project_id="bench-project")

            async def plain() -> object:
                return json.loads((await raw.get(url, headers=headers)).content)

            for _ in range(warmup):
                await ours()
                await plain()
            client_rounds: list[float] = []
            raw_rounds: list[float] = []
            for index in range(rounds):
                pair = [(ours, client_rounds), (plain, raw_rounds)]
                for fn, sink in pair if index % 2 == 0 else reversed(pair):
                    sink.append(await _per_call_us_async(calls, fn))
            return _summary(client_rounds, raw_rounds)

    return asyncio.run(main())


def _ops_per_s(fn: Callable[[], object], repeats: int) -> float:
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()  # enough loops for >= 0.2 s
    return statistics.median([number / t for t in timer.repeat(repeat=repeats, number=number)])


def model_throughput(spec: dict[str, Any], repeats: int) -> list[dict[str, Any]]:
    """ops/s of model_validate_json and model_dump_json for every example in the spec."""
    from northflank_jobs import models

    rows: list[dict[str, Any]] = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            places: list[tuple[str, dict[str, Any]]] = []
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json")
            if body:
                places.append(("request", body))
            for status, response in op["responses"].items():
                media = (response.get("content") or {}).get("application/json") if isinstance(response, dict) else None
                if media:
                    places.append((f"response {status}", media))
            for role, media in places:
                examples = [e["value"] for e in (media.get("examples") or {}).values() if "value" in e]
                if "example" in media:
                    examples.append(media["example"])
                ref = (media.get("schema") or {}).get("$ref", "")
                name = ref.rsplit("/", 1)[-1]
                model = getattr(models, name, None)
                for example in examples:
                    row: dict[str, Any] = {"operation": f"{method.upper()} {path}", "role": role, "model": name}
                    raw = json.dumps(example).encode()
                    row["bytes"] = len(raw)
                    if model is None or not hasattr(model, "model_validate_json"):
                        row["error"] = f"no model class {name!r} in northflank_jobs.models"
                        rows.append(row)
                        continue
                    try:
                        instance = model.model_validate_json(raw)
                    except Exception as exc:
                        row["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
                        rows.append(row)
                        continue
                    row["validate_ops"] = _ops_per_s(lambda m=model, r=raw: m.model_validate_json(r), repeats)
                    row["dump_ops"] = _ops_per_s(lambda i=instance: i.model_dump_json(by_alias=True), repeats)
                    rows.append(row)
    return rows


# --------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--calls", type=int, default=2000, help="calls per round (bounded loop)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--model-repeats", type=int, default=5)
    parser.add_argument("--server-lifetime", type=float, default=1200.0, help="the server exits after this")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # internal: run as the server
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.server_lifetime)
        return
    calls = max(1, min(args.calls, 20_000))  # bounded whatever is asked
    spec = load_spec(args.spec)
    payloads = bodies(spec)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for name, data in payloads.items():
            (Path(tmp) / f"{name}.json").write_bytes(data)
        server = subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--spec",
                str(args.spec),
                "--serve",
                tmp,
                "--server-lifetime",
                str(args.server_lifetime),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            port = int(server.stdout.readline())
            base_url = f"http://127.0.0.1:{port}"
            result: dict[str, Any] = {
                "calls": calls,
                "rounds": args.rounds,
                "warmup": args.warmup,
                "body_bytes": {k: len(v) for k, v in payloads.items()},
                "calls_results": [],
            }
            for mode, bench in (("sync", bench_sync), ("async", bench_async)):
                for size in ("small", "large"):
                    row = {"mode": mode, "body": size}
                    try:
                        row.update(bench(base_url, size, calls, args.rounds, args.warmup))
                    except Exception as exc:
                        row["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                    result["calls_results"].append(row)
        finally:
            if server.stdin is not None:
                server.stdin.close()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    result["models"] = model_throughput(spec, args.model_repeats)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
