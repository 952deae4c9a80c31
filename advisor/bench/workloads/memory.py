"""memory: bytes per idle task, with 10,000 tasks asleep at once.

Two batches of 10,000 tasks go to sleep one after the other and stay asleep; the figure is the
growth over the second batch divided by 10,000, the marginal cost of one more idle task. The
first batch is the warm-up: it fills the holes that imports and start-up left in the
allocator's arenas, which would otherwise absorb part of the growth (measured over a single
batch, RSS grew by less than tracemalloc counted). Freed memory is never reused in between, so
nothing hides the growth.

Two probes, each in its own child process so neither distorts the other:

- `probe=rss`: growth of the resident set size (what the operating system charges).
- `probe=tracemalloc`: growth of the memory Python's allocators report to `tracemalloc`,
  started only for the second batch; it excludes allocator slack and native memory (such as
  uvloop's C handles), and tracing slows everything down, which is why it is not measured
  beside RSS or any timing.

A task sleeps with `asyncio.sleep`, `trio.sleep` or `anyio.sleep` (an hour; the tasks are
cancelled once counted). The probe checks that every task started and was cancelled.
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
from advisor.bench.spec import CaseSpec, Metrics, MetricSpec, WorkloadSpec, cpu_metric, wall_metric

_TASKS = 10_000
"""Tasks per batch."""
_SLEEP_S = 3600.0
_DEADLINE_S = 30.0

RSS = f"tasks={_TASKS},probe=rss"
TRACEMALLOC = f"tasks={_TASKS},probe=tracemalloc"


@dataclass(slots=True)
class _Probe:
    """Counts sleeping tasks and reads memory around the second batch."""

    traced: bool
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
        self.target = _TASKS

    def second_batch(self) -> None:
        check(self.asleep == _TASKS, f"{self.asleep} of the first {_TASKS} tasks started")
        if self.traced:
            tracemalloc.start()
        self.before = self._read()
        self.target = 2 * _TASKS
        self.stopwatch.start()

    def all_asleep(self) -> None:
        self.stopwatch.stop()
        self.after = self._read()
        if self.traced:
            tracemalloc.stop()

    def metrics(self) -> Metrics:
        check(self.asleep == 2 * _TASKS, f"{self.asleep} of {2 * _TASKS} tasks started")
        check(self.cancelled == 2 * _TASKS, f"{self.cancelled} of {2 * _TASKS} were cancelled")
        per_task = (self.after - self.before) / _TASKS
        if self.traced:
            return {"traced_per_task": per_task}
        return {
            "rss_per_task": per_task,
            "wall_time": self.stopwatch.wall,
            "cpu_time": self.stopwatch.cpu,
        }


# --- asyncio -----------------------------------------------------------------------------------


async def _asyncio_sleeper(probe: _Probe, batch_asleep: asyncio.Event) -> None:
    if probe.task_asleep():
        batch_asleep.set()
    try:
        await asyncio.sleep(_SLEEP_S)
    finally:
        probe.cancelled += 1


async def _asyncio_probe(traced: bool) -> Metrics:
    probe = _Probe(traced)
    tasks = []
    async with asyncio.timeout(_DEADLINE_S), asyncio.TaskGroup() as group:
        for start_batch in (probe.first_batch, probe.second_batch):
            start_batch()
            batch_asleep = asyncio.Event()
            tasks += [
                group.create_task(_asyncio_sleeper(probe, batch_asleep)) for _ in range(_TASKS)
            ]
            await batch_asleep.wait()
        probe.all_asleep()
        for task in tasks:
            task.cancel()
    return probe.metrics()


# --- Trio --------------------------------------------------------------------------------------


async def _trio_sleeper(probe: _Probe, batch_asleep: trio.Event) -> None:
    if probe.task_asleep():
        batch_asleep.set()
    try:
        await trio.sleep(_SLEEP_S)
    finally:
        probe.cancelled += 1


async def _trio_probe(traced: bool) -> Metrics:
    probe = _Probe(traced)
    with trio.fail_after(_DEADLINE_S):
        async with trio.open_nursery() as nursery:
            for start_batch in (probe.first_batch, probe.second_batch):
                start_batch()
                batch_asleep = trio.Event()
                for _ in range(_TASKS):
                    nursery.start_soon(_trio_sleeper, probe, batch_asleep)
                await batch_asleep.wait()
            probe.all_asleep()
            nursery.cancel_scope.cancel()
    return probe.metrics()


# --- AnyIO -------------------------------------------------------------------------------------


async def _anyio_sleeper(probe: _Probe, batch_asleep: anyio.Event) -> None:
    if probe.task_asleep():
        batch_asleep.set()
    try:
        await anyio.sleep(_SLEEP_S)
    finally:
        probe.cancelled += 1


async def _anyio_probe(traced: bool) -> Metrics:
    probe = _Probe(traced)
    with anyio.fail_after(_DEADLINE_S):
        async with anyio.create_task_group() as group:
            for start_batch in (probe.first_batch, probe.second_batch):
                start_batch()
                batch_asleep = anyio.Event()
                for _ in range(_TASKS):
                    group.start_soon(_anyio_sleeper, probe, batch_asleep)
                await batch_asleep.wait()
            probe.all_asleep()
            group.cancel_scope.cancel()
    return probe.metrics()


# --- The workload ------------------------------------------------------------------------------


def measure(runtime: str, case: str, quick: bool) -> tuple[Metrics, str]:
    """One sample: the memory growth of the second batch (the same in quick mode)."""
    traced = SPEC.case(case).name == TRACEMALLOC
    return runtimes.run(
        runtime,
        runtimes.Implementations(
            asyncio=partial(_asyncio_probe, traced),
            trio=partial(_trio_probe, traced),
            anyio=partial(_anyio_probe, traced),
        ),
    )


SPEC = WorkloadSpec(
    name="memory",
    description=f"Bytes per idle task with {_TASKS:,} sleeping tasks (RSS and tracemalloc).",
    cases=(
        CaseSpec(
            name=RSS,
            metrics=(
                MetricSpec(
                    name="rss_per_task",
                    unit="bytes",
                    better="lower",
                    headline=True,
                    description="Growth of the resident set size per sleeping task.",
                ),
                wall_metric(f"Time to start {_TASKS:,} tasks until all are asleep."),
                cpu_metric(),
            ),
            quick=True,
        ),
        CaseSpec(
            name=TRACEMALLOC,
            metrics=(
                MetricSpec(
                    name="traced_per_task",
                    unit="bytes",
                    better="lower",
                    headline=True,
                    description="Growth of Python-allocated memory (tracemalloc) per task.",
                ),
            ),
            quick=True,
        ),
    ),
    measure=measure,
)
