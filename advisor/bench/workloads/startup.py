"""startup: wall and CPU time of a fresh interpreter that imports the runtime and runs a no-op.

CLI tools pay this on every invocation. The child starts `python -E -c <program>` once to warm
the file cache (discarded), then several more times, and reports the medians. Each program is
the smallest idiomatic main for its runtime (`asyncio.run`, `uvloop.run`, `trio.run`,
`anyio.run(..., backend=...)`) and prints which loop ran it, which the child checks. The
interpreter alone is part of every figure; the ratios to asyncio show what the runtime adds.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from advisor.bench.measure import check
from advisor.bench.spec import CaseSpec, Metrics, WorkloadSpec, cpu_metric, wall_metric

_WARMUPS = 1
_REPEATS = 7
_QUICK_REPEATS = 2
_DEADLINE_S = 20.0

# Each program ends by printing what ran it, in the form `runtimes.describe_event_loop` uses.
_ASYNCIO_MAIN = """
async def main():
    await asyncio.sleep(0)
    loop = type(asyncio.get_running_loop())
    return f"asyncio:{loop.__module__}.{loop.__qualname__}"
"""
_TRIO_MAIN = """
async def main():
    await trio.sleep(0)
    return "trio"
"""
_ANYIO_MAIN = """
import sniffio

async def main():
    await anyio.sleep(0)
    if sniffio.current_async_library() == "trio":
        return "trio"
    loop = type(asyncio.get_running_loop())
    return f"asyncio:{loop.__module__}.{loop.__qualname__}"
"""
PROGRAMS = {
    "asyncio": "import asyncio\n" + _ASYNCIO_MAIN + "print(asyncio.run(main()))\n",
    "uvloop": "import asyncio\nimport uvloop\n" + _ASYNCIO_MAIN + "print(uvloop.run(main()))\n",
    "trio": "import trio\n" + _TRIO_MAIN + "print(trio.run(main))\n",
    "anyio-asyncio": "import asyncio\nimport anyio\n"
    + _ANYIO_MAIN
    + 'print(anyio.run(main, backend="asyncio"))\n',
    "anyio-trio": "import asyncio\nimport anyio\n"
    + _ANYIO_MAIN
    + 'print(anyio.run(main, backend="trio"))\n',
}
"""Runtime -> the program a fresh interpreter runs (AnyIO imports asyncio itself anyway)."""

_EXPECTED = {
    "asyncio": "asyncio:asyncio.",
    "uvloop": "asyncio:uvloop.",
    "trio": "trio",
    "anyio-asyncio": "asyncio:asyncio.",
    "anyio-trio": "trio",
}


def _children_cpu() -> float:
    """CPU seconds used by waited-for child processes of this one so far."""
    times = os.times()
    return times.children_user + times.children_system


def _start_once(runtime: str) -> tuple[float, float, str]:
    command = [sys.executable, "-E", "-c", PROGRAMS[runtime]]
    cpu_before = _children_cpu()
    started = time.perf_counter()
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=_DEADLINE_S, check=False
    )
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    last_error = completed.stderr.strip().splitlines()[-1:] or [""]
    check(
        completed.returncode == 0,
        f"the {runtime} program exited with {completed.returncode}: {last_error[0]}",
    )
    running = completed.stdout.strip()
    check(
        running.startswith(_EXPECTED[runtime]),
        f"the {runtime} program ran on {running!r}",
    )
    return wall, cpu, running


def measure(runtime: str, case: str, quick: bool) -> tuple[Metrics, str]:
    """One sample: a warm-up start, then the medians of the measured starts."""
    SPEC.case(case)
    for _ in range(0 if quick else _WARMUPS):
        _start_once(runtime)
    starts = [_start_once(runtime) for _ in range(_QUICK_REPEATS if quick else _REPEATS)]
    metrics = {
        "wall_time": statistics.median(wall for wall, _, _ in starts),
        "cpu_time": statistics.median(cpu for _, cpu, _ in starts),
    }
    return metrics, starts[-1][2]


SPEC = WorkloadSpec(
    name="startup",
    description="A fresh `python -E` that imports the runtime and runs a trivial main.",
    cases=(
        CaseSpec(
            name="-",
            metrics=(
                wall_metric(
                    "Wall time of the whole interpreter run, from spawn to exit.", headline=True
                ),
                cpu_metric(),
            ),
            quick=True,
        ),
    ),
    measure=measure,
)
