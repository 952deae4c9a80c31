"""Helpers a workload uses inside a child: stopwatch, percentiles, repeats, checks, memory.

Everything here is runtime-agnostic: it only awaits what it is given, so the same code drives
asyncio, Trio and AnyIO implementations alike.

On a small machine shared with other work, a repetition can lose the CPU to another process
for part of its run, and then its wall time measures the other process. Linux accounts that
time exactly (the run-queue delay in `/proc/self/schedstat`), so each repetition's share of
waiting is known: repetitions continue until enough of them ran undisturbed, and the figures
come from the least disturbed ones, with the share kept as the `cpu_wait` metric. Elsewhere
the share is unknown (taken as 0) and the first repetitions are used as they are.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from types import TracebackType

from advisor.bench import runtimes
from advisor.bench.spec import Metrics


class WorkloadError(Exception):
    """A workload found that it did not do the work it was asked to (wrong count, bad echo)."""


def check(condition: bool, problem: str) -> None:
    """Fail the sample loudly with `problem` unless `condition` holds."""
    if not condition:
        raise WorkloadError(problem)


class Stopwatch:
    """Wall time (`perf_counter`) and process CPU time (`process_time`) of a `with` block."""

    __slots__ = ("_cpu0", "_wall0", "cpu", "wall")

    def __init__(self) -> None:
        self.wall = 0.0
        """Seconds of wall time."""
        self.cpu = 0.0
        """Seconds of CPU time of this process (user + system, all threads)."""
        self._wall0 = 0.0
        self._cpu0 = 0.0

    def start(self) -> None:
        """Start (or restart) timing."""
        self._cpu0 = time.process_time()
        self._wall0 = time.perf_counter()

    def stop(self) -> None:
        """Stop timing and store the elapsed times."""
        wall = time.perf_counter()
        cpu = time.process_time()
        self.wall = wall - self._wall0
        self.cpu = cpu - self._cpu0

    def __enter__(self) -> Stopwatch:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile (0..1) of `values`, by linear interpolation between ranks."""
    check(len(values) > 0, "no values to take a percentile of")
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


MAX_WAIT_SHARE = 0.05
"""A repetition is undisturbed if it spent at most this share of its wall time waiting for a
CPU that another process had (the run-queue delay the Linux scheduler accounts)."""

ATTEMPTS_PER_REPETITION = 3
"""At most this many attempts per repetition kept, to find undisturbed ones."""

EXTRA_ATTEMPTS_BUDGET_S = 2.0
"""No attempt beyond the first `repeats` starts after this many seconds of measuring. Short on
purpose: on a busy shared machine, hunting for undisturbed repetitions made samples last up to
15 s each (a full run would take over an hour); the disturbance left is recorded as
`cpu_wait`, and the run's median of it as `cpu_wait_median` in meta.json."""


def scheduler_wait() -> float | None:
    """Seconds this process's main thread has so far been ready to run but not running
    because other processes had the CPUs (Linux `/proc/self/schedstat`); None elsewhere."""
    try:
        with open("/proc/self/schedstat", encoding="ascii") as schedstat:
            return int(schedstat.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


@dataclass(frozen=True, slots=True)
class Attempt:
    """One measured repetition and how much other processes disturbed it."""

    metrics: Metrics
    """What the repetition measured."""
    wait_share: float
    """Share of its wall time spent waiting for a CPU (0 where that cannot be known)."""

    @property
    def undisturbed(self) -> bool:
        """Whether the repetition had the CPU (nearly) all the time it wanted it."""
        return self.wait_share <= MAX_WAIT_SHARE


def wait_share(waited: float | None, wall: float) -> float:
    """The share of `wall` seconds spent waiting for a CPU (0 if unknown)."""
    return 0.0 if waited is None or wall <= 0 else max(0.0, waited) / wall


def enough_attempts(attempts: Sequence[Attempt], repeats: int, started: float) -> bool:
    """Stop once `repeats` attempts were undisturbed, or the attempts or time budget is spent
    (but never before `repeats` attempts)."""
    if len(attempts) < repeats:
        return False
    if sum(attempt.undisturbed for attempt in attempts) >= repeats:
        return True
    if len(attempts) >= ATTEMPTS_PER_REPETITION * repeats:
        return True
    return time.perf_counter() - started > EXTRA_ATTEMPTS_BUDGET_S


def least_disturbed(attempts: Sequence[Attempt], repeats: int) -> dict[str, float]:
    """Each metric's median over the `repeats` least disturbed attempts, plus `cpu_wait`.

    The choice looks only at how much other processes took the CPU away (never at the values
    measured), so it removes interference without favouring any runtime's results. `cpu_wait`
    (percent) is the median wait share of the attempts kept: near 0 means undisturbed.
    """
    check(len(attempts) >= repeats >= 1, "not enough measured repetitions")
    kept = sorted(attempts, key=lambda attempt: attempt.wait_share)[:repeats]
    result = {
        name: statistics.median(attempt.metrics[name] for attempt in kept)
        for name in kept[0].metrics
    }
    result["cpu_wait"] = statistics.median(attempt.wait_share for attempt in kept) * 100
    return result


async def repeat(
    once: Callable[[], Awaitable[Metrics]], *, warmups: int, repeats: int
) -> dict[str, float]:
    """Run `once` `warmups` times (discarded), then measure until `repeats` repetitions ran
    undisturbed by other processes (at most `ATTEMPTS_PER_REPETITION` times as many, within
    `EXTRA_ATTEMPTS_BUDGET_S`); each metric's median over the least disturbed (see
    `least_disturbed`).

    A full garbage collection runs before each repetition, outside its timing, so garbage
    left by the previous one is not collected inside the next.
    """
    for _ in range(warmups):
        await once()
    attempts: list[Attempt] = []
    started = time.perf_counter()
    while not enough_attempts(attempts, repeats, started):
        gc.collect()
        waited = scheduler_wait()
        begun = time.perf_counter()
        metrics = await once()
        wall = time.perf_counter() - begun
        after = scheduler_wait()
        attempts.append(
            Attempt(
                metrics,
                wait_share(None if waited is None or after is None else after - waited, wall),
            )
        )
    return least_disturbed(attempts, repeats)


def sample_repeatedly(
    runtime: str,
    implementations: runtimes.Implementations[Metrics],
    *,
    warmups: int,
    repeats: int,
) -> tuple[Metrics, str]:
    """One sample on `runtime`: its implementation of one repetition, through `repeat`.

    Returns the per-metric medians and the description of the (checked) event loop.
    """
    return runtimes.run(
        runtime,
        runtimes.Implementations(
            asyncio=partial(repeat, implementations.asyncio, warmups=warmups, repeats=repeats),
            trio=partial(repeat, implementations.trio, warmups=warmups, repeats=repeats),
            anyio=partial(repeat, implementations.anyio, warmups=warmups, repeats=repeats),
        ),
    )


def resident_bytes() -> int:
    """The resident set size of this process now, in bytes.

    Linux reads `/proc/self/statm`. Elsewhere only the peak is available
    (`ru_maxrss`, kilobytes on Linux and BSD, bytes on macOS); a delta of peaks is still the
    growth when, as in the memory workload, memory only grows between the two readings.
    """
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except FileNotFoundError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024
