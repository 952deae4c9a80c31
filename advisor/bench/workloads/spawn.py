"""spawn: start 10,000 tasks in a task group (nursery) and wait for all of them to finish.

Each task passes one checkpoint (yields to the scheduler once) and counts itself, so the
figure is the cost of creating, scheduling, running and joining a task, which every
fan-out pays. The count is checked after the group exits.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import anyio
import anyio.lowlevel
import trio
import trio.lowlevel

from advisor.bench import runtimes
from advisor.bench.measure import Stopwatch, check, sample_repeatedly
from advisor.bench.spec import CaseSpec, Metrics, WorkloadSpec, cpu_metric, wait_metric, wall_metric

_TASKS = 10_000
_WARMUPS = 1
_REPEATS = 3
_QUICK_REPEATS = 2
_DEADLINE_S = 20.0


@dataclass(slots=True)
class _Counter:
    finished: int = 0


def _metrics(counter: _Counter, stopwatch: Stopwatch) -> Metrics:
    check(counter.finished == _TASKS, f"{counter.finished} of {_TASKS} tasks finished")
    return {"wall_time": stopwatch.wall, "cpu_time": stopwatch.cpu}


async def _asyncio_task(counter: _Counter) -> None:
    await asyncio.sleep(0)
    counter.finished += 1


async def _asyncio_once() -> Metrics:
    counter = _Counter()
    async with asyncio.timeout(_DEADLINE_S):
        with Stopwatch() as stopwatch:
            async with asyncio.TaskGroup() as group:
                for _ in range(_TASKS):
                    group.create_task(_asyncio_task(counter))
    return _metrics(counter, stopwatch)


async def _trio_task(counter: _Counter) -> None:
    await trio.lowlevel.checkpoint()
    counter.finished += 1


async def _trio_once() -> Metrics:
    counter = _Counter()
    with trio.fail_after(_DEADLINE_S), Stopwatch() as stopwatch:
        async with trio.open_nursery() as nursery:
            for _ in range(_TASKS):
                nursery.start_soon(_trio_task, counter)
    return _metrics(counter, stopwatch)


async def _anyio_task(counter: _Counter) -> None:
    await anyio.lowlevel.checkpoint()
    counter.finished += 1


async def _anyio_once() -> Metrics:
    counter = _Counter()
    with anyio.fail_after(_DEADLINE_S), Stopwatch() as stopwatch:
        async with anyio.create_task_group() as group:
            for _ in range(_TASKS):
                group.start_soon(_anyio_task, counter)
    return _metrics(counter, stopwatch)


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
    name="spawn",
    description=f"Start and join {_TASKS:,} tasks in one task group / nursery.",
    cases=(
        CaseSpec(
            name=f"tasks={_TASKS}",
            metrics=(
                wall_metric(f"Time to start {_TASKS:,} tasks and join them all.", headline=True),
                cpu_metric(),
                wait_metric(),
            ),
            quick=True,
        ),
    ),
    measure=measure,
)
