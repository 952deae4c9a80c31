"""An open-loop HTTP/1.1 load generator on loopback: `python -E -m advisor.bench.loadgen`.

The `http_service` workload starts this in its own process against the server under test, so
the generator is the same program whatever runtime serves. Arguments:
`--port P --warmup S --probe S --phase S --loads 25,50,80 [--connections N]`.

1. Warm-up, then a closed-loop probe: N keep-alive connections send requests back to back for
   `--probe` seconds; completed requests per second is the *measured maximum*.
2. For each load in `--loads` (percent of that maximum), an open-loop phase of `--phase`
   seconds: request i is *due* at `start + i / rate`, whether or not earlier ones have been
   answered; a due request waits for a free connection if all are busy, and its latency runs
   from when it was due (so queueing shows, with no coordinated omission).

Prints one JSON object: the maximum, and per load the offered and achieved rates and the p50,
p99 and p99.9 latencies in milliseconds. Loopback only; every phase is bounded in time and in
requests (`MAX_REQUESTS_PER_PHASE`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

HOST = "127.0.0.1"
MAX_REQUESTS_PER_PHASE = 200_000
REQUEST = b"GET /order HTTP/1.1\r\nHost: bench\r\nUser-Agent: advisor-loadgen\r\n\r\n"


class LoadError(Exception):
    """A response was malformed or the server closed a connection."""


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(REQUEST)
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise LoadError(f"unexpected response {head[:40]!r}")
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length <= 0:
        raise LoadError("response without a body")
    await reader.readexactly(length)


@dataclass(slots=True)
class _Phase:
    latencies: list[float] = field(default_factory=list)
    sent: int = 0


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile of `values` (linear interpolation between ranks)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = fraction * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


async def _closed_loop(port: int, connections: int, seconds: float) -> float:
    """Requests per second with `connections` clients sending back to back."""
    deadline = time.perf_counter() + seconds
    done = 0

    async def client() -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while time.perf_counter() < deadline and done < MAX_REQUESTS_PER_PHASE:
                await _request(reader, writer)
                done += 1
        finally:
            writer.close()

    started = time.perf_counter()
    async with asyncio.TaskGroup() as group:
        for _ in range(connections):
            group.create_task(client())
    return done / (time.perf_counter() - started)


async def _open_loop(port: int, connections: int, rate: float, seconds: float) -> dict[str, float]:
    """Offered and achieved rate and latency percentiles of one open-loop phase."""
    total = min(MAX_REQUESTS_PER_PHASE, max(1, round(rate * seconds)))
    due: asyncio.Queue[float | None] = asyncio.Queue()
    phase = _Phase()
    finished_at = 0.0

    async def client() -> None:
        nonlocal finished_at
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            while (when := await due.get()) is not None:
                await _request(reader, writer)
                now = time.perf_counter()
                phase.latencies.append(now - when)
                finished_at = max(finished_at, now)
        finally:
            writer.close()

    async with asyncio.TaskGroup() as group:
        for _ in range(connections):
            group.create_task(client())
        await asyncio.sleep(0.05)  # let the connections open before the clock starts
        start = time.perf_counter()
        for index in range(total):
            when = start + index / rate
            delay = when - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            due.put_nowait(when)
            phase.sent += 1
        last_due = time.perf_counter()
        for _ in range(connections):
            due.put_nowait(None)
    if len(phase.latencies) != total:
        raise LoadError(f"{len(phase.latencies)} of {total} requests answered")
    offered_span = max(last_due - start, 1e-9)
    achieved_span = max(finished_at - start, 1e-9)
    milliseconds = [latency * 1000 for latency in phase.latencies]
    return {
        "offered_per_s": (total - 1) / offered_span if total > 1 else rate,
        "achieved_per_s": total / achieved_span,
        "p50_ms": percentile(milliseconds, 0.5),
        "p99_ms": percentile(milliseconds, 0.99),
        "p999_ms": percentile(milliseconds, 0.999),
    }


async def generate(
    port: int,
    *,
    warmup: float,
    probe: float,
    phase: float,
    loads: Sequence[int],
    connections: int,
    rate: float | None = None,
) -> dict[str, float]:
    """Warm up, measure the maximum (or take `rate` as it), then one phase per load."""
    await _closed_loop(port, connections, warmup)
    maximum = rate if rate is not None else await _closed_loop(port, connections, probe)
    report = {"max_requests_per_s": maximum}
    for load in loads:
        figures = await _open_loop(port, connections, maximum * load / 100, phase)
        report.update({f"{name}_at_{load}": value for name, value in figures.items()})
    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Run the phases against `--port` and print the JSON report."""
    parser = argparse.ArgumentParser(prog="python -E -m advisor.bench.loadgen")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--warmup", type=float, default=0.5)
    parser.add_argument("--probe", type=float, default=1.5)
    parser.add_argument("--phase", type=float, default=2.0)
    parser.add_argument("--loads", default="25,50,80")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rate", type=float, default=None, help="skip the probe: this maximum")
    arguments = parser.parse_args(sys.argv[1:] if argv is None else argv)
    runner: Callable[[Coroutine[Any, Any, dict[str, float]]], dict[str, float]]
    try:
        import uvloop  # the same fast client loop whatever runtime serves

        runner = uvloop.run
    except ImportError:  # no uvloop on this platform
        runner = asyncio.run
    loads = [int(load) for load in arguments.loads.split(",")]
    report = runner(
        generate(
            arguments.port,
            warmup=min(arguments.warmup, 30.0),
            probe=min(arguments.probe, 30.0),
            phase=min(arguments.phase, 30.0),
            loads=loads,
            connections=max(1, min(arguments.connections, 256)),
            rate=arguments.rate,
        )
    )
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
