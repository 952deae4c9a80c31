"""http_service: an HTTP/1.1 keep-alive service under open-loop load (what a service feels).

Each runtime serves the same service: connections are parsed by `h11` (the same sans-I/O
parser on every runtime, so the runtimes differ and nothing else); every request awaits a
simulated database call (a fixed 1 ms sleep) and then does a little CPU work (building and
encoding a small JSON document, tens of microseconds), all under a per-request timeout of 1 s
(`asyncio.timeout`, `trio.fail_after`, `anyio.fail_after`) that never fires; the response is a
keep-alive `200` with a JSON body. The server runs in the child process on the runtime under
test; the load comes from `advisor.bench.loadgen`, a separate process that is the same program
for every runtime: a closed-loop probe measures the runtime's maximum rate, then open-loop
phases offer 25%, 50% and 80% of that maximum and record p50/p99/p99.9 latency (from when each
request was due, so queueing shows) and the achieved rate. Latencies at the same share of each
runtime's own maximum compare the runtimes at equal utilisation; `max_requests_per_s` compares
their capacity. At 25% load the p50 is close to the per-request time: 1 ms of waiting plus
what the runtime and the work add.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

import anyio
import h11
import trio
from anyio.abc import SocketAttribute, SocketStream

from advisor.bench import runtimes
from advisor.bench.boot import module_command
from advisor.bench.lifeline import die_with_parent
from advisor.bench.measure import check, scheduler_wait, wait_share
from advisor.bench.spec import CaseSpec, Metrics, MetricSpec, WorkloadSpec, cpu_metric, wait_metric

HOST = "127.0.0.1"
"""Loopback only."""
DB_CALL_S = 0.001
"""The simulated database call every request awaits."""
REQUEST_TIMEOUT_S = 1.0
"""Per-request deadline (never reached in a healthy run)."""
LOADS = (25, 50, 80)
"""Offered load of the open-loop phases, in percent of the measured maximum."""
CASE = "db=1ms,loads=25/50/80"

_FULL = {"warmup": 0.3, "probe": 1.0, "phase": 1.2}
_QUICK = {"warmup": 0.1, "probe": 0.3, "phase": 0.3}
_CONNECTIONS = 32
_DEADLINE_S = 60.0
_READ_SIZE = 65536


def cpu_work() -> bytes:
    """The request's CPU work: build and encode a small JSON document (tens of us)."""
    items = [{"id": index, "name": f"item-{index}", "price": index * 1.25} for index in range(20)]
    return json.dumps({"order": 42, "items": items}).encode()


@dataclass(slots=True)
class _Served:
    requests: int = 0


async def serve_connection(
    receive: Callable[[], Awaitable[bytes]],
    send: Callable[[bytes], Awaitable[None]],
    handle: Callable[[], Awaitable[bytes]],
    served: _Served,
) -> None:
    """One keep-alive connection, parsed by h11: answer each request with `handle()`'s body."""
    connection = h11.Connection(h11.SERVER)
    while True:
        event = connection.next_event()
        if event is h11.NEED_DATA:
            data = await receive()
            connection.receive_data(data)
            if not data:
                return
        elif isinstance(event, h11.EndOfMessage):
            body = await handle()
            headers = [("content-type", "application/json"), ("content-length", str(len(body)))]
            await send(
                connection.send(h11.Response(status_code=200, headers=headers))
                + connection.send(h11.Data(data=body))
                + connection.send(h11.EndOfMessage())
            )
            served.requests += 1
            connection.start_next_cycle()
        elif isinstance(event, h11.ConnectionClosed) or event is h11.PAUSED:
            return


def _start_load(port: int, quick: bool) -> subprocess.Popen[str]:
    timing = _QUICK if quick else _FULL
    arguments = [
        "--port",
        str(port),
        "--loads",
        ",".join(str(load) for load in LOADS),
        "--connections",
        str(_CONNECTIONS),
        *(item for name, value in timing.items() for item in (f"--{name}", str(value))),
    ]
    return subprocess.Popen(
        module_command(sys.executable, "advisor.bench.loadgen", *arguments),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=die_with_parent if sys.platform.startswith("linux") else None,
    )


async def _wait_for_load(
    process: subprocess.Popen[str], sleep: Callable[[float], Awaitable[None]]
) -> dict[str, float]:
    """Keep serving (by sleeping on the runtime) until the generator exits; its report."""
    while process.poll() is None:
        await sleep(0.02)
    stdout, stderr = process.communicate()
    check(process.returncode == 0, f"load generator failed: {stderr.strip()[-300:]}")
    report = json.loads(stdout.strip().splitlines()[-1])
    check(isinstance(report, dict), "load generator printed no report")
    return {str(name): float(value) for name, value in report.items()}


@dataclass(slots=True)
class _Clock:
    cpu: float = 0.0
    wall: float = 0.0
    waited: float | None = None

    def start(self) -> None:
        self.cpu, self.wall, self.waited = (
            time.process_time(),
            time.perf_counter(),
            scheduler_wait(),
        )

    def metrics(self, report: dict[str, float], served: _Served) -> Metrics:
        wall = time.perf_counter() - self.wall
        after = scheduler_wait()
        waited = None if self.waited is None or after is None else after - self.waited
        expected = sum(1 for name in report if name.startswith("offered_per_s_at_"))
        check(expected == len(LOADS), f"the generator reported {sorted(report)}")
        check(served.requests > 0, "the server answered no request")
        for load in LOADS:
            check(report[f"p50_ms_at_{load}"] >= DB_CALL_S * 1000, "a request skipped its wait")
        return {
            **report,
            "cpu_time": time.process_time() - self.cpu,
            "cpu_wait": wait_share(waited, wall) * 100,
        }


# --- asyncio -----------------------------------------------------------------------------------


async def _asyncio_handle() -> bytes:
    async with asyncio.timeout(REQUEST_TIMEOUT_S):
        await asyncio.sleep(DB_CALL_S)
        return cpu_work()


async def _asyncio_service(quick: bool) -> Metrics:
    served = _Served()

    async def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def send(data: bytes) -> None:
            writer.write(data)
            await writer.drain()

        try:
            with contextlib.suppress(ConnectionError):
                await serve_connection(
                    partial(reader.read, _READ_SIZE), send, _asyncio_handle, served
                )
        finally:
            writer.close()

    clock = _Clock()
    async with asyncio.timeout(_DEADLINE_S):
        server = await asyncio.start_server(on_connection, HOST, 0)
        try:
            port = server.sockets[0].getsockname()[1]
            process = _start_load(port, quick)
            clock.start()
            report = await _wait_for_load(process, asyncio.sleep)
        finally:
            server.close()
    return clock.metrics(report, served)


# --- Trio --------------------------------------------------------------------------------------


async def _trio_handle() -> bytes:
    with trio.fail_after(REQUEST_TIMEOUT_S):
        await trio.sleep(DB_CALL_S)
        return cpu_work()


async def _trio_service(quick: bool) -> Metrics:
    served = _Served()

    async def on_connection(stream: trio.SocketStream) -> None:
        async with stream:
            with contextlib.suppress(trio.BrokenResourceError):
                await serve_connection(
                    partial(stream.receive_some, _READ_SIZE), stream.send_all, _trio_handle, served
                )

    clock = _Clock()
    with trio.fail_after(_DEADLINE_S):
        async with trio.open_nursery() as nursery:
            listeners = await trio.open_tcp_listeners(0, host=HOST)
            port = listeners[0].socket.getsockname()[1]
            nursery.start_soon(trio.serve_listeners, on_connection, listeners)
            process = _start_load(port, quick)
            clock.start()
            report = await _wait_for_load(process, trio.sleep)
            nursery.cancel_scope.cancel()
    return clock.metrics(report, served)


# --- AnyIO -------------------------------------------------------------------------------------


async def _anyio_handle() -> bytes:
    with anyio.fail_after(REQUEST_TIMEOUT_S):
        await anyio.sleep(DB_CALL_S)
        return cpu_work()


async def _anyio_service(quick: bool) -> Metrics:
    served = _Served()

    async def on_connection(stream: SocketStream) -> None:
        async def receive() -> bytes:
            try:
                return await stream.receive(_READ_SIZE)
            except anyio.EndOfStream:
                return b""

        async with stream:
            with contextlib.suppress(anyio.BrokenResourceError):
                await serve_connection(receive, stream.send, _anyio_handle, served)

    clock = _Clock()
    with anyio.fail_after(_DEADLINE_S):
        async with anyio.create_task_group() as group:
            listener = await anyio.create_tcp_listener(local_host=HOST, local_port=0)
            port = listener.extra(SocketAttribute.local_port)
            group.start_soon(listener.serve, on_connection)
            process = _start_load(port, quick)
            clock.start()
            report = await _wait_for_load(process, anyio.sleep)
            group.cancel_scope.cancel()
    return clock.metrics(report, served)


# --- The workload ------------------------------------------------------------------------------


def measure(runtime: str, case: str, quick: bool) -> tuple[Metrics, str]:
    """One sample: serve the generator's probe and three open-loop phases."""
    SPEC.case(case)
    return runtimes.run(
        runtime,
        runtimes.Implementations(
            asyncio=partial(_asyncio_service, quick),
            trio=partial(_trio_service, quick),
            anyio=partial(_anyio_service, quick),
        ),
    )


def _load_metrics(load: int) -> tuple[MetricSpec, ...]:
    at = f"at {load}% of the runtime's measured maximum rate"
    return (
        MetricSpec(
            name=f"offered_per_s_at_{load}",
            unit="ops/s",
            better="higher",
            headline=False,
            description=f"Requests per second the open-loop generator offered {at}.",
        ),
        MetricSpec(
            name=f"achieved_per_s_at_{load}",
            unit="ops/s",
            better="higher",
            headline=False,
            description=f"Requests per second answered {at}.",
        ),
        MetricSpec(
            name=f"p50_ms_at_{load}",
            unit="ms",
            better="lower",
            headline=load == LOADS[0],
            description=f"Median request latency (from when it was due) {at}.",
        ),
        MetricSpec(
            name=f"p99_ms_at_{load}",
            unit="ms",
            better="lower",
            headline=True,
            description=f"99th-percentile request latency {at}.",
        ),
        MetricSpec(
            name=f"p999_ms_at_{load}",
            unit="ms",
            better="lower",
            headline=False,
            description=f"99.9th-percentile request latency {at} (few samples: noisy).",
        ),
    )


SPEC = WorkloadSpec(
    name="http_service",
    description="An h11 keep-alive HTTP service (1 ms simulated DB call, a little CPU work, a "
    "per-request timeout) under open-loop load at 25/50/80% of its measured maximum.",
    cases=(
        CaseSpec(
            name=CASE,
            metrics=(
                MetricSpec(
                    name="max_requests_per_s",
                    unit="ops/s",
                    better="higher",
                    headline=True,
                    description="Closed-loop maximum: requests per second with 32 keep-alive "
                    "connections sending back to back.",
                ),
                *(metric for load in LOADS for metric in _load_metrics(load)),
                cpu_metric(),
                wait_metric(),
            ),
            quick=True,
        ),
    ),
    measure=measure,
)
