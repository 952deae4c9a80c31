"""timers: 10,000 tasks each sleep a seeded random short time; total time and timer lateness.

Every task notes the time, sleeps its delay (1 to 100 ms, the same sequence on every runtime)
and records how late it woke: `woke - (noted + delay)` on `time.perf_counter`. Ten thousand
timers in a tenth of a second keep the loop busy for much of the window, so lateness mostly
shows how fast a loop works through due timers and wakes their tasks (the tail also holds
the first timers, due while the 10,000 tasks are still starting); it is a burst, not the
clock's resolution. It can be slightly negative when a loop rounds a deadline to its own
clock tick (libuv, behind uvloop, keeps time in whole milliseconds).
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

import anyio
import trio

from advisor.bench import runtimes
from advisor.bench.measure import Stopwatch, check, percentile, sample_repeatedly
from advisor.bench.spec import (
    CaseSpec,
    Metrics,
    MetricSpec,
    WorkloadSpec,
    cpu_metric,
    wait_metric,
    wall_metric,
)

_TASKS = 10_000
_SEED = 20_261_125
_SHORTEST_S = 0.001
_LONGEST_S = 0.100
_WARMUPS = 1
_REPEATS = 3
_QUICK_REPEATS = 1
_DEADLINE_S = 20.0


@dataclass(slots=True)
class _Lateness:
    delays: list[float]
    late_s: list[float] = field(default_factory=list)

    def metrics(self, stopwatch: Stopwatch) -> Metrics:
        check(len(self.late_s) == _TASKS, f"{len(self.late_s)} of {_TASKS} timers fired")
        return {
            "wall_time": stopwatch.wall,
            "lateness_p50": percentile(self.late_s, 0.50) * 1000,
            "lateness_p99": percentile(self.late_s, 0.99) * 1000,
            "cpu_time": stopwatch.cpu,
        }


def _delays() -> list[float]:
    generator = random.Random(_SEED)
    return [generator.uniform(_SHORTEST_S, _LONGEST_S) for _ in range(_TASKS)]


async def _asyncio_sleeper(delay: float, lateness: _Lateness) -> None:
    start = time.perf_counter()
    await asyncio.sleep(delay)
    lateness.late_s.append(time.perf_counter() - start - delay)


async def _asyncio_once() -> Metrics:
    lateness = _Lateness(_delays())
    async with asyncio.timeout(_DEADLINE_S):
        with Stopwatch() as stopwatch:
            async with asyncio.TaskGroup() as group:
                for delay in lateness.delays:
                    group.create_task(_asyncio_sleeper(delay, lateness))
    return lateness.metrics(stopwatch)


async def _trio_sleeper(delay: float, lateness: _Lateness) -> None:
    start = time.perf_counter()
    await trio.sleep(delay)
    lateness.late_s.append(time.perf_counter() - start - delay)


async def _trio_once() -> Metrics:
    lateness = _Lateness(_delays())
    with trio.fail_after(_DEADLINE_S), Stopwatch() as stopwatch:
        async with trio.open_nursery() as nursery:
            for delay in lateness.delays:
                nursery.start_soon(_trio_sleeper, delay, lateness)
    return lateness.metrics(stopwatch)


async def _anyio_sleeper(delay: float, lateness: _Lateness) -> None:
    start = time.perf_counter()
    await anyio.sleep(delay)
    lateness.late_s.append(time.perf_counter() - start - delay)


async def _anyio_once() -> Metrics:
    lateness = _Lateness(_delays())
    with anyio.fail_after(_DEADLINE_S), Stopwatch() as stopwatch:
        async with anyio.create_task_group() as group:
            for delay in lateness.delays:
                group.start_soon(_anyio_sleeper, delay, lateness)
    return lateness.metrics(stopwatch)


def measure(runtime: str, case: str, quick: bool) -> tuple[Metrics, str]:
    """One sample: a warm-up repetition, then the median of the measured repetitions."""
    SPEC.case(case)
    return sample_repeatedly(
        runtime,
        runtimes.Implementations(asyncio=_asyncio_once, trio=_trio_once, anyio=_anyio_once),
        warmups=0 if quick else _WARMUPS,
        repeats=_QUICK_REPEATS if quick else _REPEATS,
    )


SPEC = WorkloadSpec(
    name="timers",
    description=f"{_TASKS:,} tasks sleeping seeded random times of 1-100 ms: time and lateness.",
    cases=(
        CaseSpec(
            name=f"tasks={_TASKS}",
            metrics=(
                wall_metric(
                    "Time from starting the first sleeper to the last one waking "
                    "(at least the 100 ms longest delay).",
                    headline=True,
                ),
                MetricSpec(
                    name="lateness_p50",
                    unit="ms",
                    better="lower",
                    headline=True,
                    description="Median of how long after its deadline a sleeper resumed.",
                ),
                MetricSpec(
                    name="lateness_p99",
                    unit="ms",
                    better="lower",
                    headline=True,
                    description="99th percentile of the same lateness.",
                ),
                cpu_metric(),
                wait_metric(),
            ),
            quick=True,
        ),
    ),
    measure=measure,
)
