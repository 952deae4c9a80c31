"""memory: bytes per idle task, for a task waiting on an event and for one with a pending timeout.

Two batches of N tasks go to sleep one after the other and stay asleep; the figure is the
growth over the second batch divided by N, the marginal cost of one more idle task. The first
batch is the warm-up: it fills the holes that imports and start-up left in the allocator's
arenas, which would otherwise absorb part of the growth. Freed memory is never reused in
between, so nothing hides the growth.

What a task waits on (`wait=`), as idiomatic code does, one wait object per task:

- `wait=event`: the task awaits its own event (a connection handler waiting for data, a
  worker waiting for a job): the cost of the task itself.
- `wait=timeout`: the same wait under a one-hour timeout (`asyncio.timeout`,
  `trio.move_on_after`, `anyio.move_on_after`): what a handler with a per-request deadline
  holds, a pending timer included. (An earlier version measured only tasks sleeping on a
  one-hour timer, and called that the cost of an idle task; the timer was most of it.)

Two sizes (N = 5,000 and 10,000) show that the cost per task is linear (a test checks the
per-task figures agree within 25%). Two probes, each in its own child process:

- `probe=rss`: growth of the resident set size (what the operating system charges).
- `probe=tracemalloc`: growth of the memory Python's allocators report to `tracemalloc`,
  started only for the second batch; it excludes allocator slack and native memory (such as
  uvloop's C handles), and tracing slows everything down, which is why it is not measured
  beside RSS or any timing.

This measures idle tasks, not open connections: a connection also holds a socket, buffers and
a transport or stream object, which this workload does not open. The probe checks that every
task started and was cancelled.
"""

from __future__ import annotations

import asyncio
import gc
import tracemalloc
from dataclasses import dataclass, field
from functools import partial

import anyio
import trio

from advisor.bench import runtimes
from advisor.bench.measure import Stopwatch, check, resident_bytes
from advisor.bench.spec import (
    CaseSpec,
    Metrics,
    MetricSpec,
    WorkloadSpec,
    cpu_metric,
    parse_case,
    wall_metric,
)

_SIZES = (5_000, 10_000)
"""Tasks per batch, for the linearity check."""
_WAITS = ("event", "timeout")
_TIMEOUT_S = 3600.0
_DEADLINE_S = 30.0


def case_name(wait: str, tasks: int, probe: str) -> str:
    """`wait=event,tasks=10000,probe=rss`."""
    return f"wait={wait},tasks={tasks},probe={probe}"


@dataclass(slots=True)
class _Probe:
    """Counts sleeping tasks and reads memory around the second batch."""

    traced: bool
    tasks: int
    asleep: int = 0
    target: int = 0
    cancelled: int = 0
    before: int = 0
    after: int = 0
    stopwatch: Stopwatch = field(default_factory=Stopwatch)

    def _read(self) -> int:
        gc.collect()
        return tracemalloc.get_traced_memory()[0] if self.traced else resident_bytes()

    def task_asleep(self) -> bool:
        """Count a task about to sleep; True for the last one of its batch."""
        self.asleep += 1
        return self.asleep == self.target

    def first_batch(self) -> None:
        self.target = self.tasks

    def second_batch(self) -> None:
        check(self.asleep == self.tasks, f"{self.asleep} of the first {self.tasks} started")
        if self.traced:
            tracemalloc.start()
        self.before = self._read()
        self.target = 2 * self.tasks
        self.stopwatch.start()

    def all_asleep(self) -> None:
        self.stopwatch.stop()
        self.after = self._read()
        if self.traced:
            tracemalloc.stop()

    def metrics(self) -> Metrics:
        expected = 2 * self.tasks
        check(self.asleep == expected, f"{self.asleep} of {expected} tasks started")
        check(self.cancelled == expected, f"{self.cancelled} of {expected} were cancelled")
        per_task = (self.after - self.before) / self.tasks
        if self.traced:
            return {"traced_per_task": per_task}
        return {
            "rss_per_task": per_task,
            "wall_time": self.stopwatch.wall,
            "cpu_time": self.stopwatch.cpu,
        }


# --- asyncio -----------------------------------------------------------------------------------


async def _asyncio_sleeper(probe: _Probe, batch_asleep: asyncio.Event, timeout: bool) -> None:
    own = asyncio.Event()
    if probe.task_asleep():
        batch_asleep.set()
    try:
        if timeout:
            async with asyncio.timeout(_TIMEOUT_S):
                await own.wait()
        else:
            await own.wait()
    finally:
        probe.cancelled += 1


async def _asyncio_probe(traced: bool, tasks: int, timeout: bool) -> Metrics:
    probe = _Probe(traced, tasks)
    started: list[asyncio.Task[None]] = []
    async with asyncio.timeout(_DEADLINE_S), asyncio.TaskGroup() as group:
        for start_batch in (probe.first_batch, probe.second_batch):
            start_batch()
            batch_asleep = asyncio.Event()
            started += [
                group.create_task(_asyncio_sleeper(probe, batch_asleep, timeout))
                for _ in range(tasks)
            ]
            await batch_asleep.wait()
        probe.all_asleep()
        for task in started:
            task.cancel()
    return probe.metrics()


# --- Trio --------------------------------------------------------------------------------------


async def _trio_sleeper(probe: _Probe, batch_asleep: trio.Event, timeout: bool) -> None:
    own = trio.Event()
    if probe.task_asleep():
        batch_asleep.set()
    try:
        if timeout:
            with trio.move_on_after(_TIMEOUT_S):
                await own.wait()
        else:
            await own.wait()
    finally:
        probe.cancelled += 1


async def _trio_probe(traced: bool, tasks: int, timeout: bool) -> Metrics:
    probe = _Probe(traced, tasks)
    with trio.fail_after(_DEADLINE_S):
        async with trio.open_nursery() as nursery:
            for start_batch in (probe.first_batch, probe.second_batch):
                start_batch()
                batch_asleep = trio.Event()
                for _ in range(tasks):
                    nursery.start_soon(_trio_sleeper, probe, batch_asleep, timeout)
                await batch_asleep.wait()
            probe.all_asleep()
            nursery.cancel_scope.cancel()
    return probe.metrics()


# --- AnyIO -------------------------------------------------------------------------------------


async def _anyio_sleeper(probe: _Probe, batch_asleep: anyio.Event, timeout: bool) -> None:
    own = anyio.Event()
    if probe.task_asleep():
        batch_asleep.set()
    try:
        if timeout:
            with anyio.move_on_after(_TIMEOUT_S):
                await own.wait()
        else:
            await own.wait()
    finally:
        probe.cancelled += 1


async def _anyio_probe(traced: bool, tasks: int, timeout: bool) -> Metrics:
    probe = _Probe(traced, tasks)
    with anyio.fail_after(_DEADLINE_S):
        async with anyio.create_task_group() as group:
            for start_batch in (probe.first_batch, probe.second_batch):
                start_batch()
                batch_asleep = anyio.Event()
                for _ in range(tasks):
                    group.start_soon(_anyio_sleeper, probe, batch_asleep, timeout)
                await batch_asleep.wait()
            probe.all_asleep()
            group.cancel_scope.cancel()
    return probe.metrics()


# --- The workload ------------------------------------------------------------------------------


def measure(runtime: str, case: str, quick: bool) -> tuple[Metrics, str]:
    """One sample: the memory growth of the second batch (the same in quick mode)."""
    parameters = parse_case(SPEC.case(case).name)
    traced = parameters["probe"] == "tracemalloc"
    tasks = int(parameters["tasks"])
    timeout = parameters["wait"] == "timeout"
    return runtimes.run(
        runtime,
        runtimes.Implementations(
            asyncio=partial(_asyncio_probe, traced, tasks, timeout),
            trio=partial(_trio_probe, traced, tasks, timeout),
            anyio=partial(_anyio_probe, traced, tasks, timeout),
        ),
    )


_WHAT = {
    "event": "an idle task waiting on its own event",
    "timeout": "a task waiting on its own event under a one-hour timeout",
}


def _rss_case(wait: str, tasks: int) -> CaseSpec:
    return CaseSpec(
        name=case_name(wait, tasks, "rss"),
        metrics=(
            MetricSpec(
                name="rss_per_task",
                unit="bytes",
                better="lower",
                headline=True,
                description=f"Growth of the resident set size per task, for {_WHAT[wait]}.",
            ),
            wall_metric(f"Time to start {tasks:,} tasks until all are waiting."),
            cpu_metric(),
        ),
        quick=wait == "event" and tasks == _SIZES[0],
    )


def _traced_case(wait: str, tasks: int) -> CaseSpec:
    return CaseSpec(
        name=case_name(wait, tasks, "tracemalloc"),
        metrics=(
            MetricSpec(
                name="traced_per_task",
                unit="bytes",
                better="lower",
                headline=True,
                description=f"Growth of Python-allocated memory (tracemalloc) per task, for "
                f"{_WHAT[wait]}.",
            ),
        ),
        quick=False,
    )


SPEC = WorkloadSpec(
    name="memory",
    description="Bytes per idle task (own event; own event under a timeout), at two sizes.",
    cases=(
        *(_rss_case(wait, tasks) for wait in _WAITS for tasks in _SIZES),
        _traced_case("event", _SIZES[-1]),
    ),
    measure=measure,
)
