"""tcp_echo: an echo server and its clients on 127.0.0.1; round trips per second and latency.

Server and clients run on the same event loop in one process, so the figure is the runtime's
cost on both ends of a connection (uvloop's own benchmark instead drives a server from a
separate client process; see the harness docs). Each client connects, waits until every client
is connected, then does a fixed number of round trips (send a message, read back exactly as
many bytes, check they are the same). The measured phase runs from the start signal to the last
client's last reply; connecting and closing are outside it. Every sample is bounded by its
message count and by a deadline.

Each runtime uses its own stream API, as its users would: asyncio streams
(`start_server`/`open_connection`, `StreamReader.readexactly`) in a `TaskGroup` under
`asyncio.timeout`; Trio's `serve_tcp`/`open_tcp_stream` in nurseries under `fail_after`;
AnyIO's `create_tcp_listener`/`connect_tcp` with `BufferedByteReceiveStream.receive_exactly`.
All three set TCP_NODELAY on their sockets by default.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from functools import partial

import anyio
import trio
from anyio.abc import SocketAttribute, SocketStream
from anyio.streams.buffered import BufferedByteReceiveStream

from advisor.bench import runtimes
from advisor.bench.measure import Stopwatch, check, percentile, sample_repeatedly
from advisor.bench.spec import (
    CaseSpec,
    Metrics,
    MetricSpec,
    WorkloadSpec,
    cpu_metric,
    parse_case,
    wait_metric,
    wall_metric,
)

HOST = "127.0.0.1"
"""Loopback only: the harness never opens a port reachable from another machine."""

_READ_SIZE = 65536
_DEADLINE_S = 20.0
_WARMUPS = 1

_CASES = ((1, 1024), (10, 1024), (100, 1024))
"""(connections, message size): 1 KiB messages at three connection counts (the 64 KiB cases
were dropped to keep a full run near ten minutes per interpreter on a small shared machine)."""
_QUICK_CASES = frozenset({(10, 1024)})

# Round trips per connection in one measured repetition, by (connections, size): enough for
# about a tenth of a second or more of work on a small machine, and enough latencies for a p99.
_MESSAGES = {
    (1, 1024): 3000,
    (10, 1024): 600,
    (100, 1024): 80,
    (1, 65536): 800,
    (10, 65536): 150,
    (100, 65536): 40,
}
_REPEATS = 3
_QUICK_MESSAGES_DIVISOR = 4
_QUICK_REPEATS = 1

_METRICS = (
    MetricSpec(
        name="round_trips_per_s",
        unit="ops/s",
        better="higher",
        headline=True,
        description="Completed echo round trips per second over all connections.",
    ),
    MetricSpec(
        name="latency_p50",
        unit="us",
        better="lower",
        headline=True,
        description="Median time from sending a message to having read all of its echo.",
    ),
    MetricSpec(
        name="latency_p99",
        unit="us",
        better="lower",
        headline=True,
        description="99th percentile of the same round-trip time.",
    ),
    wall_metric("Time from the start signal to the last client's last echo."),
    cpu_metric(),
    wait_metric(),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Plan:
    conns: int
    """Concurrent connections."""
    messages: int
    """Round trips per connection."""
    payload: bytes
    """The message each client sends (and expects back)."""


@dataclass(slots=True)
class _Tally:
    """Shared by the clients of one repetition: who is connected, latencies, when it ended."""

    plan: _Plan
    connected: int = 0
    finished: int = 0
    latencies_ns: list[int] = field(default_factory=list)
    stopwatch: Stopwatch = field(default_factory=Stopwatch)

    def client_connected(self) -> bool:
        """Count a connection; True for the last one."""
        self.connected += 1
        return self.connected == self.plan.conns

    def client_finished(self) -> None:
        """Count a client whose round trips are done; the last one stops the clock."""
        self.finished += 1
        if self.finished == self.plan.conns:
            self.stopwatch.stop()

    def metrics(self) -> Metrics:
        expected = self.plan.conns * self.plan.messages
        check(self.finished == self.plan.conns, f"{self.finished} of {self.plan.conns} finished")
        check(
            len(self.latencies_ns) == expected,
            f"{len(self.latencies_ns)} round trips instead of {expected}",
        )
        latencies_us = [latency / 1000 for latency in self.latencies_ns]
        return {
            "round_trips_per_s": expected / self.stopwatch.wall,
            "latency_p50": percentile(latencies_us, 0.50),
            "latency_p99": percentile(latencies_us, 0.99),
            "wall_time": self.stopwatch.wall,
            "cpu_time": self.stopwatch.cpu,
        }


def _check_echo(reply: bytes | bytearray, payload: bytes) -> None:
    check(reply == payload, f"echo of {len(payload)} bytes came back as {len(reply)} other bytes")


# --- asyncio (and uvloop) ----------------------------------------------------------------------


async def _asyncio_echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(_READ_SIZE):
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()
        await writer.wait_closed()


async def _asyncio_client(
    port: int, tally: _Tally, all_connected: asyncio.Event, go: asyncio.Event
) -> None:
    payload = tally.plan.payload
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        if tally.client_connected():
            all_connected.set()
        await go.wait()
        for _ in range(tally.plan.messages):
            sent = time.perf_counter_ns()
            writer.write(payload)
            await writer.drain()
            reply = await reader.readexactly(len(payload))
            tally.latencies_ns.append(time.perf_counter_ns() - sent)
            _check_echo(reply, payload)
        tally.client_finished()
    finally:
        writer.close()
        await writer.wait_closed()


async def _asyncio_once(plan: _Plan) -> Metrics:
    tally = _Tally(plan)
    all_connected = asyncio.Event()
    go = asyncio.Event()
    async with asyncio.timeout(_DEADLINE_S):
        server = await asyncio.start_server(_asyncio_echo, HOST, 0)
        async with server:
            port = server.sockets[0].getsockname()[1]
            async with asyncio.TaskGroup() as clients:
                for _ in range(plan.conns):
                    clients.create_task(_asyncio_client(port, tally, all_connected, go))
                await all_connected.wait()
                tally.stopwatch.start()
                go.set()
    return tally.metrics()


# --- Trio --------------------------------------------------------------------------------------


async def _trio_echo(stream: trio.SocketStream) -> None:
    async with stream:
        while data := await stream.receive_some(_READ_SIZE):
            await stream.send_all(data)


async def _trio_receive_exactly(stream: trio.SocketStream, size: int) -> bytearray:
    """Trio streams have no `readexactly`; this is the usual loop."""
    buffer = bytearray()
    while len(buffer) < size:
        chunk = await stream.receive_some(size - len(buffer))
        check(bool(chunk), "the server closed the connection early")
        buffer += chunk
    return buffer


async def _trio_client(port: int, tally: _Tally, all_connected: trio.Event, go: trio.Event) -> None:
    payload = tally.plan.payload
    async with await trio.open_tcp_stream(HOST, port) as stream:
        if tally.client_connected():
            all_connected.set()
        await go.wait()
        for _ in range(tally.plan.messages):
            sent = time.perf_counter_ns()
            await stream.send_all(payload)
            reply = await _trio_receive_exactly(stream, len(payload))
            tally.latencies_ns.append(time.perf_counter_ns() - sent)
            _check_echo(reply, payload)
        tally.client_finished()


async def _trio_once(plan: _Plan) -> Metrics:
    tally = _Tally(plan)
    all_connected = trio.Event()
    go = trio.Event()
    with trio.fail_after(_DEADLINE_S):
        async with trio.open_nursery() as server:
            listeners = await server.start(partial(trio.serve_tcp, _trio_echo, 0, host=HOST))
            port = listeners[0].socket.getsockname()[1]
            async with trio.open_nursery() as clients:
                for _ in range(plan.conns):
                    clients.start_soon(_trio_client, port, tally, all_connected, go)
                await all_connected.wait()
                tally.stopwatch.start()
                go.set()
            server.cancel_scope.cancel()
    return tally.metrics()


# --- AnyIO -------------------------------------------------------------------------------------


async def _anyio_echo(stream: SocketStream) -> None:
    async with stream:
        async for data in stream:
            await stream.send(data)


async def _anyio_client(
    port: int, tally: _Tally, all_connected: anyio.Event, go: anyio.Event
) -> None:
    payload = tally.plan.payload
    async with await anyio.connect_tcp(HOST, port) as stream:
        receiver = BufferedByteReceiveStream(stream)
        if tally.client_connected():
            all_connected.set()
        await go.wait()
        for _ in range(tally.plan.messages):
            sent = time.perf_counter_ns()
            await stream.send(payload)
            reply = await receiver.receive_exactly(len(payload))
            tally.latencies_ns.append(time.perf_counter_ns() - sent)
            _check_echo(reply, payload)
        tally.client_finished()


async def _anyio_once(plan: _Plan) -> Metrics:
    tally = _Tally(plan)
    all_connected = anyio.Event()
    go = anyio.Event()
    with anyio.fail_after(_DEADLINE_S):
        listener = await anyio.create_tcp_listener(local_host=HOST)
        port = listener.extra(SocketAttribute.local_port)
        async with listener, anyio.create_task_group() as server:
            server.start_soon(listener.serve, _anyio_echo)
            async with anyio.create_task_group() as clients:
                for _ in range(plan.conns):
                    clients.start_soon(_anyio_client, port, tally, all_connected, go)
                await all_connected.wait()
                tally.stopwatch.start()
                go.set()
            server.cancel_scope.cancel()
    return tally.metrics()


# --- The workload ------------------------------------------------------------------------------


def _case_name(conns: int, size: int) -> str:
    return f"conns={conns},size={size}"


def measure(runtime: str, case: str, quick: bool) -> tuple[Metrics, str]:
    """One sample: a warm-up repetition, then the median of the measured repetitions."""
    parameters = parse_case(SPEC.case(case).name)
    conns, size = int(parameters["conns"]), int(parameters["size"])
    messages = _MESSAGES[conns, size]
    plan = _Plan(
        conns=conns,
        messages=messages // _QUICK_MESSAGES_DIVISOR if quick else messages,
        payload=bytes(range(256)) * (size // 256),
    )
    return sample_repeatedly(
        runtime,
        runtimes.Implementations(
            asyncio=partial(_asyncio_once, plan),
            trio=partial(_trio_once, plan),
            anyio=partial(_anyio_once, plan),
        ),
        warmups=0 if quick else _WARMUPS,
        repeats=_QUICK_REPEATS if quick else _REPEATS,
    )


SPEC = WorkloadSpec(
    name="tcp_echo",
    description="Echo server and clients over 127.0.0.1: round trips per second and latency.",
    cases=tuple(
        CaseSpec(
            name=_case_name(conns, size),
            metrics=_METRICS,
            quick=(conns, size) in _QUICK_CASES,
        )
        for conns, size in _CASES
    ),
    measure=measure,
)
