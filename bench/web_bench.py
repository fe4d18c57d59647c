"""Web latency and throughput: GET /api/v1/today and POST /api/v1/logs/pain under 16
concurrent clients, beside a bare Starlette endpoint served the same way (the ceiling).

Goal (issue 6): p50, p99 and requests per second for each, on the same machine in the same
run. `hipflex serve` runs in a subprocess on loopback with its SQLite file in a temporary
folder (an assessment recorded first); the ceiling is a one-route Starlette app returning
JSON, run by uvicorn with the same settings in another subprocess. The load generator is
this process: 16 httpx clients (one connection each) on one asyncio loop, each sending its
next request as soon as the last one is answered. Run with `make bench` or
`python bench/web_bench.py [--seconds 20] [--clients 16]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

BIN = Path(sys.executable).parent
TIGHT_ASSESSMENT = {
    "thomas": {
        "left": {"thigh": "raised", "knee_flexion_deg": 70},
        "right": {"thigh": "raised", "knee_flexion_deg": 72},
    },
    "hip_extension": {"left": {"degrees": 5}, "right": {"degrees": 6}},
    "sitting_hours": 9,
    "signs": ["worse_after_sitting"],
    "red_flags": [],  # the safety questions answered: none of them
}


def ceiling_app() -> Any:
    """The ceiling: one Starlette route returning a small JSON object."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def hello(_: Request) -> JSONResponse:
        return JSONResponse({"hello": "world"})

    return Starlette(routes=[Route("/hello", hello)])


def serve_ceiling(port: int) -> None:
    import uvicorn

    # The same uvicorn settings as `hipflex serve`.
    uvicorn.run(ceiling_app(), host="127.0.0.1", port=port, log_level="warning")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server at {url} exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
        except httpx.TransportError:
            time.sleep(0.05)
        else:
            return
    sys.exit(f"the server at {url} did not start")


@dataclass
class Result:
    name: str
    latencies: list[float]
    errors: int
    seconds: float
    client_cpu: float  # CPU seconds the load generator itself used

    def row(self) -> str:
        ordered = sorted(self.latencies)
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        rate = len(ordered) / self.seconds
        client = 100 * self.client_cpu / self.seconds
        return (
            f"{self.name:<36} {len(ordered):>8} {rate:>7.0f} {p50:>7.1f} {p99:>7.1f}"
            f" {self.errors:>6} {client:>9.0f}%"
        )


Send = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


async def _client(
    base_url: str, send: Send, until: float, latencies: list[float], errors: list[int]
) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        if send is not ceiling_hello:  # a visitor of hipflex: its CSRF cookie and header
            client.headers["X-CSRF-Token"] = (await client.get("/api/v1/csrf")).json()["token"]
        while time.perf_counter() < until:
            started = time.perf_counter()
            response = await send(client)
            latencies.append(time.perf_counter() - started)
            if response.status_code >= 300:
                errors.append(response.status_code)


async def _load(base_url: str, send: Send, clients: int, seconds: float) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors: list[int] = []
    until = time.perf_counter() + seconds
    await asyncio.gather(
        *(_client(base_url, send, until, latencies, errors) for _ in range(clients))
    )
    return latencies, len(errors)


def run_load(name: str, base_url: str, send: Send, clients: int, seconds: float) -> Result:
    asyncio.run(_load(base_url, send, clients, min(1.0, seconds)))  # warm up
    started, cpu = time.perf_counter(), time.process_time()
    latencies, errors = asyncio.run(_load(base_url, send, clients, seconds))
    return Result(name, latencies, errors, time.perf_counter() - started, time.process_time() - cpu)


async def ceiling_hello(client: httpx.AsyncClient) -> httpx.Response:
    return await client.get("/hello")


async def hipflex_today(client: httpx.AsyncClient) -> httpx.Response:
    return await client.get("/api/v1/today")


async def hipflex_pain(client: httpx.AsyncClient) -> httpx.Response:
    return await client.post("/api/v1/logs/pain", json={"score": 4})


def start(command: list[str], env: dict[str, str], probe: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_until_up(probe, process)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="load time per endpoint")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--serve-ceiling", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_ceiling:
        serve_ceiling(args.serve_ceiling)
        return

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="hipflex-web-bench-") as folder:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HIPFLEX_")} | {
            "HIPFLEX_DATA_DIR": folder
        }

        port = free_port()
        ceiling = start(
            [sys.executable, __file__, "--serve-ceiling", str(port)],
            env,
            f"http://127.0.0.1:{port}/hello",
        )
        try:
            results.append(
                run_load(
                    "bare Starlette GET /hello (ceiling)",
                    f"http://127.0.0.1:{port}",
                    ceiling_hello,
                    args.clients,
                    args.seconds,
                )
            )
        finally:
            stop(ceiling)

        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        hipflex = start(
            [str(BIN / "hipflex"), "serve", "--port", str(port)],
            env,
            f"{base_url}/api/v1/openapi.json",
        )
        try:
            with httpx.Client(base_url=base_url) as http:
                token = http.get("/api/v1/csrf").json()["token"]
                recorded = http.post(
                    "/api/v1/assessments",
                    json=TIGHT_ASSESSMENT,
                    headers={"X-CSRF-Token": token},
                )
                recorded.raise_for_status()
                http.get("/api/v1/plan").raise_for_status()
            for name, send in (
                ("hipflex GET /api/v1/today", hipflex_today),
                ("hipflex POST /api/v1/logs/pain", hipflex_pain),
            ):
                results.append(run_load(name, base_url, send, args.clients, args.seconds))
        finally:
            stop(hipflex)

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"{args.clients} concurrent clients, {args.seconds:g} s each, {os.cpu_count()} CPUs"
        f" shared by the server and the load generator (load average after: {load})"
    )
    print(
        f"{'endpoint':<36} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'errors':>6} {'load gen CPU':>10}"
    )
    for result in results:
        print(result.row())


if __name__ == "__main__":
    main()
