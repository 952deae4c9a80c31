"""cancel: what a timeout costs when it does not fire, and how long cancelling 10,000 tasks takes.

`scope=unfired`: a request handler typically wraps each await in a timeout that almost never
fires. Each iteration enters and leaves `asyncio.timeout(10)` / `trio.move_on_after(10)` /
`anyio.move_on_after(10)` around one checkpoint; the same loop without the scope is timed too,
so the scope's own cost is the difference.

`scope=cancel,tasks=N` (N = 10,000 and 20,000): N tasks each block on their own event, as
idiomatic code waits (one wait object per task: a response, a connection, a signal); once all
are waiting, the whole group is cancelled through a scope, and the figure is the time until the
group has exited, per task. Trio and AnyIO cancel the nursery's / task group's cancel scope;
asyncio 3.11 has no cancel method on `TaskGroup`, so the group runs inside
`asyncio.timeout(None)`, rescheduled to fire now (asyncio's cancel scope). Every task counts its
own cancellation. Two sizes show that the cost is linear: the per-task figures of both agree
(a test checks within 25%). The sizes start at 10,000 because the cyclic garbage collector
takes part: cancelling allocates, and once enough objects are alive a full collection (whose
cost grows with the live objects) runs during the cancellation. Measured once with Trio, CPU
per task at 5,000 / 10,000 / 20,000 tasks was 18.8 / 26.7 / 25.3 us with the collector on and
15.0 / 15.7 / 15.4 us with it off: a step near 10,000, not growth with n. Applications run with
the collector on, so it stays on here.

An earlier version made all tasks wait on one shared event. asyncio keeps an event's waiters in
a deque and removes each cancelled waiter by a linear scan, so that version measured an O(n^2)
artefact of sharing, not the cost of cancellation, and reported asyncio as slower than Trio
when with one event per task it is faster.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial

import anyio
import anyio.lowlevel
import trio
import trio.lowlevel

from advisor.bench import runtimes
from advisor.bench.measure import Stopwatch, check, sample_repeatedly
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

_ITERATIONS = 30_000
_QUICK_ITERATIONS = 10_000
_TIMEOUT_S = 10.0
_SIZES = (10_000, 20_000)
_WARMUPS = 1
_REPEATS = 3
_QUICK_REPEATS = 1
_DEADLINE_S = 30.0

UNFIRED = "scope=unfired"
BLOCKED = tuple(f"scope=cancel,tasks={tasks}" for tasks in _SIZES)


def _unfired_metrics(iterations: int, bare: Stopwatch, scoped: Stopwatch) -> Metrics:
    per_bare = bare.wall / iterations * 1e9
    per_scoped = scoped.wall / iterations * 1e9
    return {
        "scoped_ns": per_scoped,
        "bare_ns": per_bare,
        "overhead_ns": per_scoped - per_bare,
        "wall_time": scoped.wall,
        "cpu_time": scoped.cpu,
    }


@dataclass(slots=True)
class _Blocked:
    tasks: int
    waiting: int = 0
    cancelled: int = 0

    def metrics(self, stopwatch: Stopwatch) -> Metrics:
        check(self.cancelled == self.tasks, f"{self.cancelled} of {self.tasks} were cancelled")
        return {
            "per_task_us": stopwatch.wall / self.tasks * 1e6,
            "wall_time": stopwatch.wall,
            "cpu_time": stopwatch.cpu,
        }


# --- asyncio -----------------------------------------------------------------------------------


async def _asyncio_unfired(iterations: int) -> Metrics:
    async with asyncio.timeout(_DEADLINE_S):
        with Stopwatch() as bare:
            for _ in range(iterations):
                await asyncio.sleep(0)
        with Stopwatch() as scoped:
            for _ in range(iterations):
                async with asyncio.timeout(_TIMEOUT_S) as scope:
                    await asyncio.sleep(0)
        check(not scope.expired(), "the timeout fired")
    return _unfired_metrics(iterations, bare, scoped)


async def _asyncio_blocked_task(blocked: _Blocked, all_waiting: asyncio.Event) -> None:
    own = asyncio.Event()
    blocked.waiting += 1
    if blocked.waiting == blocked.tasks:
        all_waiting.set()
    try:
        await own.wait()
    finally:
        blocked.cancelled += 1


async def _asyncio_cancel(tasks: int) -> Metrics:
    blocked = _Blocked(tasks)
    all_waiting = asyncio.Event()
    stopwatch = Stopwatch()
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(_DEADLINE_S):
        try:
            async with asyncio.timeout(None) as scope, asyncio.TaskGroup() as group:
                for _ in range(tasks):
                    group.create_task(_asyncio_blocked_task(blocked, all_waiting))
                await all_waiting.wait()
                stopwatch.start()
                scope.reschedule(loop.time())
        except TimeoutError:
            stopwatch.stop()
        check(scope.expired(), "the group was not cancelled")
    return blocked.metrics(stopwatch)


# --- Trio --------------------------------------------------------------------------------------


async def _trio_unfired(iterations: int) -> Metrics:
    with trio.fail_after(_DEADLINE_S):
        with Stopwatch() as bare:
            for _ in range(iterations):
                await trio.lowlevel.checkpoint()
        with Stopwatch() as scoped:
            for _ in range(iterations):
                with trio.move_on_after(_TIMEOUT_S) as scope:
                    await trio.lowlevel.checkpoint()
        check(not scope.cancelled_caught, "the timeout fired")
    return _unfired_metrics(iterations, bare, scoped)


async def _trio_blocked_task(blocked: _Blocked, all_waiting: trio.Event) -> None:
    own = trio.Event()
    blocked.waiting += 1
    if blocked.waiting == blocked.tasks:
        all_waiting.set()
    try:
        await own.wait()
    finally:
        blocked.cancelled += 1


async def _trio_cancel(tasks: int) -> Metrics:
    blocked = _Blocked(tasks)
    all_waiting = trio.Event()
    with trio.fail_after(_DEADLINE_S):
        stopwatch = Stopwatch()
        async with trio.open_nursery() as nursery:
            for _ in range(tasks):
                nursery.start_soon(_trio_blocked_task, blocked, all_waiting)
            await all_waiting.wait()
            stopwatch.start()
            nursery.cancel_scope.cancel()
        stopwatch.stop()
    return blocked.metrics(stopwatch)


# --- AnyIO -------------------------------------------------------------------------------------


async def _anyio_unfired(iterations: int) -> Metrics:
    with anyio.fail_after(_DEADLINE_S):
        with Stopwatch() as bare:
            for _ in range(iterations):
                await anyio.lowlevel.checkpoint()
        with Stopwatch() as scoped:
            for _ in range(iterations):
                with anyio.move_on_after(_TIMEOUT_S) as scope:
                    await anyio.lowlevel.checkpoint()
        check(not scope.cancelled_caught, "the timeout fired")
    return _unfired_metrics(iterations, bare, scoped)


async def _anyio_blocked_task(blocked: _Blocked, all_waiting: anyio.Event) -> None:
    own = anyio.Event()
    blocked.waiting += 1
    if blocked.waiting == blocked.tasks:
        all_waiting.set()
    try:
        await own.wait()
    finally:
        blocked.cancelled += 1


async def _anyio_cancel(tasks: int) -> Metrics:
    blocked = _Blocked(tasks)
    all_waiting = anyio.Event()
    with anyio.fail_after(_DEADLINE_S):
        stopwatch = Stopwatch()
        async with anyio.create_task_group() as group:
            for _ in range(tasks):
                group.start_soon(_anyio_blocked_task, blocked, all_waiting)
            await all_waiting.wait()
            stopwatch.start()
            group.cancel_scope.cancel()
        stopwatch.stop()
    return blocked.metrics(stopwatch)


# --- The workload ------------------------------------------------------------------------------


def measure(runtime: str, case: str, quick: bool) -> tuple[Metrics, str]:
    """One sample: a warm-up repetition, then the median of the measured repetitions."""
    SPEC.case(case)
    if case == UNFIRED:
        iterations = _QUICK_ITERATIONS if quick else _ITERATIONS
        implementations = runtimes.Implementations(
            asyncio=partial(_asyncio_unfired, iterations),
            trio=partial(_trio_unfired, iterations),
            anyio=partial(_anyio_unfired, iterations),
        )
    else:
        tasks = int(parse_case(case)["tasks"])
        implementations = runtimes.Implementations(
            asyncio=partial(_asyncio_cancel, tasks),
            trio=partial(_trio_cancel, tasks),
            anyio=partial(_anyio_cancel, tasks),
        )
    return sample_repeatedly(
        runtime,
        implementations,
        warmups=0 if quick else _WARMUPS,
        repeats=_QUICK_REPEATS if quick else _REPEATS,
    )


SPEC = WorkloadSpec(
    name="cancel",
    description="Cost of a timeout that does not fire; time per task to cancel a group of "
    "blocked tasks (each on its own event), at two sizes.",
    cases=(
        CaseSpec(
            name=UNFIRED,
            metrics=(
                MetricSpec(
                    name="scoped_ns",
                    unit="ns",
                    better="lower",
                    headline=True,
                    description="One checkpoint inside a 10 s timeout scope that never fires.",
                ),
                MetricSpec(
                    name="bare_ns",
                    unit="ns",
                    better="lower",
                    headline=False,
                    description="One checkpoint with no scope around it.",
                ),
                MetricSpec(
                    name="overhead_ns",
                    unit="ns",
                    better="lower",
                    headline=True,
                    description="What the scope adds: scoped minus bare.",
                ),
                wall_metric("Time for all the scoped iterations."),
                cpu_metric(),
                wait_metric(),
            ),
            quick=True,
        ),
        *(
            CaseSpec(
                name=name,
                metrics=(
                    MetricSpec(
                        name="per_task_us",
                        unit="us",
                        better="lower",
                        headline=True,
                        description=f"Time from cancelling a group of {tasks:,} tasks, each "
                        "blocked on its own event, to the group's exit, divided by the tasks.",
                    ),
                    wall_metric(
                        f"From cancelling the group of {tasks:,} blocked tasks to its exit."
                    ),
                    cpu_metric(),
                    wait_metric(),
                ),
                quick=tasks == _SIZES[0],
            )
            for tasks, name in zip(_SIZES, BLOCKED, strict=True)
        ),
    ),
    measure=measure,
)
