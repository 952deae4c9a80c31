"""channel: 30,000 items from one producer task to one consumer through a bounded channel.

The capacity is the same on every runtime (100): `asyncio.Queue(maxsize=100)` with a sentinel
to end the stream (asyncio's queue has no close before Python 3.13),
`trio.open_memory_channel(100)` and `anyio.create_memory_object_stream(100)`, closed by the
producer as their users do. The consumer checks the count and the sum of what it received.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial

import anyio
import trio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

from advisor.bench import runtimes
from advisor.bench.measure import Stopwatch, check, sample_repeatedly
from advisor.bench.spec import (
    CaseSpec,
    Metrics,
    MetricSpec,
    WorkloadSpec,
    cpu_metric,
    wait_metric,
    wall_metric,
)

_ITEMS = 30_000
_CAPACITY = 100
_WARMUPS = 1
_REPEATS = 3
_QUICK_ITEMS = 10_000
_QUICK_REPEATS = 1
_DEADLINE_S = 30.0


@dataclass(slots=True)
class _Received:
    count: int = 0
    total: int = 0

    def metrics(self, items: int, stopwatch: Stopwatch) -> Metrics:
        check(self.count == items, f"{self.count} of {items} items arrived")
        check(self.total == items * (items - 1) // 2, "the items that arrived are not 0..n-1")
        return {
            "items_per_s": items / stopwatch.wall,
            "wall_time": stopwatch.wall,
            "cpu_time": stopwatch.cpu,
        }


async def _asyncio_produce(queue: asyncio.Queue[int | None], items: int) -> None:
    for item in range(items):
        await queue.put(item)
    await queue.put(None)


async def _asyncio_consume(queue: asyncio.Queue[int | None], received: _Received) -> None:
    while (item := await queue.get()) is not None:
        received.count += 1
        received.total += item


async def _asyncio_once(items: int) -> Metrics:
    received = _Received()
    queue: asyncio.Queue[int | None] = asyncio.Queue(maxsize=_CAPACITY)
    async with asyncio.timeout(_DEADLINE_S):
        with Stopwatch() as stopwatch:
            async with asyncio.TaskGroup() as group:
                group.create_task(_asyncio_produce(queue, items))
                group.create_task(_asyncio_consume(queue, received))
    return received.metrics(items, stopwatch)


async def _trio_produce(send: trio.MemorySendChannel[int], items: int) -> None:
    async with send:
        for item in range(items):
            await send.send(item)


async def _trio_consume(receive: trio.MemoryReceiveChannel[int], received: _Received) -> None:
    async with receive:
        async for item in receive:
            received.count += 1
            received.total += item


async def _trio_once(items: int) -> Metrics:
    received = _Received()
    send, receive = trio.open_memory_channel[int](_CAPACITY)
    with trio.fail_after(_DEADLINE_S), Stopwatch() as stopwatch:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(_trio_produce, send, items)
            nursery.start_soon(_trio_consume, receive, received)
    return received.metrics(items, stopwatch)


async def _anyio_produce(send: MemoryObjectSendStream[int], items: int) -> None:
    async with send:
        for item in range(items):
            await send.send(item)


async def _anyio_consume(receive: MemoryObjectReceiveStream[int], received: _Received) -> None:
    async with receive:
        async for item in receive:
            received.count += 1
            received.total += item


async def _anyio_once(items: int) -> Metrics:
    received = _Received()
    send, receive = anyio.create_memory_object_stream[int](_CAPACITY)
    with anyio.fail_after(_DEADLINE_S), Stopwatch() as stopwatch:
        async with anyio.create_task_group() as group:
            group.start_soon(_anyio_produce, send, items)
            group.start_soon(_anyio_consume, receive, received)
    return received.metrics(items, stopwatch)


def measure(runtime: str, case: str, quick: bool) -> tuple[Metrics, str]:
    """One sample: a warm-up repetition, then the median of the measured repetitions."""
    SPEC.case(case)
    items = _QUICK_ITEMS if quick else _ITEMS
    return sample_repeatedly(
        runtime,
        runtimes.Implementations(
            asyncio=partial(_asyncio_once, items),
            trio=partial(_trio_once, items),
            anyio=partial(_anyio_once, items),
        ),
        warmups=0 if quick else _WARMUPS,
        repeats=_QUICK_REPEATS if quick else _REPEATS,
    )


SPEC = WorkloadSpec(
    name="channel",
    description=f"{_ITEMS:,} items from a producer to a consumer, capacity {_CAPACITY}.",
    cases=(
        CaseSpec(
            name=f"capacity={_CAPACITY}",
            metrics=(
                MetricSpec(
                    name="items_per_s",
                    unit="ops/s",
                    better="higher",
                    headline=True,
                    description="Items passed from producer to consumer per second.",
                ),
                wall_metric(f"Time to pass {_ITEMS:,} items and finish both tasks."),
                cpu_metric(),
                wait_metric(),
            ),
            quick=True,
        ),
    ),
    measure=measure,
)
