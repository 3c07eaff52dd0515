"""Load benchmark of the REST service on loopback: requests/s and p50 / p99 latency of
`POST /v1/check` (one typical post) at concurrency 1, 8 and 64, next to `GET /healthz` of the
same app as the ceiling of the same run (what the server, the framework and this client cost
with no engine work).

It starts `compliance serve` on a free port of 127.0.0.1 with a fresh data directory and key,
waits for /readyz, and drives it with a small keep-alive HTTP/1.1 client on asyncio (cheaper
per request than a general client, so that the client's own cost stays small next to the
server's: both share this machine). Every phase is bounded in time and count, traffic goes to
127.0.0.1 only, and the server is stopped at the end.

Targets (issue 4): sequential p99 of /v1/check under 10 ms; at concurrency 8, /v1/check
throughput at least half of the /healthz ceiling.

Run: python3 bench/bench_api.py [--seconds 3] [--workers 1] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import orjson

HOST = "127.0.0.1"  # loopback only, by design
MAX_REQUESTS = 200_000  # per phase, whatever --seconds says
TYPICAL_POST = {
    "id": "bench-1",
    "platform": "instagram",
    "text": "Obsessed with my new glow serum from @lumiskin ✨ Use code MIA20 for 20% off!\n"
    "#skincare #glow #selfcare",
    "material_connection": "free_product",
    "brands": ["@lumiskin"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from compliance.cli import main; main()", *args]


@dataclass
class Phase:
    endpoint: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    def pct(self, q: float) -> float:
        lat = sorted(self.latencies_ms)
        if not lat:
            return float("nan")
        return lat[min(len(lat) - 1, int(q * len(lat)))]

    def as_dict(self) -> dict[str, float | int | str]:
        return {
            "endpoint": self.endpoint,
            "concurrency": self.concurrency,
            "requests": self.requests,
            "errors": self.errors,
            "rps": round(self.requests / self.seconds, 1),
            "p50_ms": round(self.pct(0.50), 3),
            "p99_ms": round(self.pct(0.99), 3),
        }


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    body = await reader.readexactly(length)
    return status, body


async def worker(
    port: int, request: bytes, deadline: float, budget: list[int], out: list[float]
) -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    errors = 0
    try:
        while time.perf_counter() < deadline and budget[0] > 0:
            budget[0] -= 1
            t0 = time.perf_counter()
            writer.write(request)
            status, _ = await read_response(reader)
            out.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                errors += 1
    finally:
        writer.close()
    return errors


async def run_phase(
    port: int, name: str, request: bytes, concurrency: int, seconds: float
) -> Phase:
    # warm-up: open connections and let the server settle
    await asyncio.gather(
        *(worker(port, request, time.perf_counter() + 0.3, [50], []) for _ in range(concurrency))
    )
    latencies: list[float] = []
    budget = [MAX_REQUESTS]
    start = time.perf_counter()
    deadline = start + seconds
    errors = await asyncio.gather(
        *(worker(port, request, deadline, budget, latencies) for _ in range(concurrency))
    )
    elapsed = time.perf_counter() - start
    return Phase(name, concurrency, len(latencies), sum(errors), elapsed, latencies)


def build_requests(key: str) -> dict[str, bytes]:
    body = orjson.dumps(TYPICAL_POST)
    check = (
        f"POST /v1/check HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    trivial = f"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()
    return {"GET /healthz": trivial, "POST /v1/check": check}


def start_server(data_dir: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLIANCE_")}
    env["COMPLIANCE_DATA_DIR"] = str(data_dir)
    return subprocess.Popen(
        cli(
            "serve",
            "--host",
            HOST,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
        ),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def wait_ready(port: int, proc: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"server exited ({proc.returncode}):\n{err}")
        try:
            with socket.create_connection((HOST, port), timeout=1) as s:
                s.sendall(f"GET /readyz HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit("server not ready in time")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per phase (max 30)")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--concurrency", default="1,8,64")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    seconds = min(max(args.seconds, 0.5), 30.0)
    levels = [int(c) for c in args.concurrency.split(",")]

    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        data_dir = Path(tmp)
        env = {**os.environ, "COMPLIANCE_DATA_DIR": str(data_dir)}
        env.pop("COMPLIANCE_DATABASE_URL", None)
        created = subprocess.run(
            cli("keys", "create", "--org", "bench", "--role", "submitter"),
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        key = created.stdout.strip().splitlines()[-1]
        port = free_port()
        proc = start_server(data_dir, port, args.workers)
        try:
            wait_ready(port, proc)
            requests = build_requests(key)
            phases: list[Phase] = []
            for c in levels:
                for name, request in requests.items():
                    phases.append(asyncio.run(run_phase(port, name, request, c, seconds)))
        finally:
            stop(proc)

    rows = [p.as_dict() for p in phases]
    by = {(r["endpoint"], r["concurrency"]): r for r in rows}
    seq = by.get(("POST /v1/check", 1))
    c8 = by.get(("POST /v1/check", 8))
    ceil8 = by.get(("GET /healthz", 8))
    verdict = {}
    if seq:
        verdict["sequential_p99_ms"] = seq["p99_ms"]
        verdict["sequential_p99_under_10ms"] = float(seq["p99_ms"]) < 10.0
    if c8 and ceil8:
        ratio = float(c8["rps"]) / float(ceil8["rps"])
        verdict["c8_check_over_ceiling"] = round(ratio, 3)
        verdict["c8_at_least_half_of_ceiling"] = ratio >= 0.5
    meta = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "server_workers": args.workers,
        "seconds_per_phase": seconds,
    }
    if args.json:
        print(json.dumps({"meta": meta, "results": rows, "targets": verdict}, indent=2))
        return
    print(f"# {meta}")
    print(
        f"{'endpoint':<16} {'conc':>4} {'requests':>9} {'err':>4} {'req/s':>9} "
        f"{'p50 ms':>8} {'p99 ms':>8}"
    )
    for r in rows:
        print(
            f"{r['endpoint']:<16} {r['concurrency']:>4} {r['requests']:>9} {r['errors']:>4} "
            f"{r['rps']:>9} {r['p50_ms']:>8} {r['p99_ms']:>8}"
        )
    for c in levels:
        check, ceil = by.get(("POST /v1/check", c)), by.get(("GET /healthz", c))
        if check and ceil:
            print(
                f"c={c}: /v1/check at {float(check['rps']) / float(ceil['rps']):.2f} of the "
                "/healthz ceiling"
            )
    print(f"targets: {verdict}")


if __name__ == "__main__":
    main()
