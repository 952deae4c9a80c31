"""Helpers a workload uses inside a child: stopwatch, percentiles, repeats, checks, memory.

Everything here is runtime-agnostic: it only awaits what it is given, so the same code drives
asyncio, Trio and AnyIO implementations alike.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
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


async def repeat(
    once: Callable[[], Awaitable[Metrics]], *, warmups: int, repeats: int
) -> dict[str, float]:
    """Run `once` `warmups` times (discarded), then `repeats` times; each metric's median.

    A full garbage collection runs before each measured repetition, outside its timing, so
    garbage left by the previous one is not collected inside the next.
    """
    check(repeats >= 1, "at least one measured repetition is needed")
    for _ in range(warmups):
        await once()
    samples = []
    for _ in range(repeats):
        gc.collect()
        samples.append(await once())
    return {name: statistics.median(sample[name] for sample in samples) for name in samples[0]}


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
