"""startup: wall and CPU time of a fresh interpreter that imports the runtime and runs a no-op.

CLI tools pay this on every invocation. The child starts `python -E -c <program>` once to warm
the file cache (discarded), then several more times, and reports the medians of the starts
least disturbed by other processes (each program reports its own run-queue delay). Each program is
the smallest idiomatic main for its runtime (`asyncio.run`, `uvloop.run`, `trio.run`,
`anyio.run(..., backend=...)`) and prints which loop ran it, which the child checks. The
interpreter alone is part of every figure; the ratios to asyncio show what the runtime adds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from advisor.bench.lifeline import die_with_parent
from advisor.bench.measure import Attempt, check, enough_attempts, least_disturbed, wait_share
from advisor.bench.spec import CaseSpec, Metrics, WorkloadSpec, cpu_metric, wait_metric, wall_metric

_WARMUPS = 1
_REPEATS = 5
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
_ANYIO_ASYNCIO_MAIN = """
async def main():
    await anyio.sleep(0)
    loop = type(asyncio.get_running_loop())
    return f"asyncio:{loop.__module__}.{loop.__qualname__}"
"""
_ANYIO_TRIO_MAIN = """
async def main():
    await anyio.sleep(0)
    return sniffio.current_async_library()
"""
PROGRAMS = {
    "asyncio": "import asyncio\n" + _ASYNCIO_MAIN + "print(asyncio.run(main()))\n",
    "uvloop": "import asyncio\nimport uvloop\n" + _ASYNCIO_MAIN + "print(uvloop.run(main()))\n",
    "trio": "import trio\n" + _TRIO_MAIN + "print(trio.run(main))\n",
    "anyio-asyncio": "import asyncio\nimport anyio\n"
    + _ANYIO_ASYNCIO_MAIN
    + 'print(anyio.run(main, backend="asyncio"))\n',
    "anyio-uvloop": "import asyncio\nimport anyio\n"
    + _ANYIO_ASYNCIO_MAIN
    + 'print(anyio.run(main, backend="asyncio", backend_options={"use_uvloop": True}))\n',
    "anyio-trio": "import anyio\nimport sniffio\n"
    + _ANYIO_TRIO_MAIN
    + 'print(anyio.run(main, backend="trio"))\n',
}
"""Runtime -> the program a fresh interpreter runs: the smallest idiomatic main, importing only
what it uses (AnyIO on Trio does not import asyncio; a test checks that it is not loaded)."""

_REPORT_WAIT = """
try:
    with open("/proc/self/schedstat") as schedstat:
        waited = int(schedstat.read().split()[1])
except (OSError, ValueError, IndexError):
    waited = -1
print(waited)
"""
"""Appended to each program: its own run-queue delay in ns (-1 if unknown), read at its end,
so a start slowed by other processes can be told apart (see `measure.least_disturbed`)."""

_EXPECTED = {
    "asyncio": "asyncio:asyncio.",
    "uvloop": "asyncio:uvloop.",
    "trio": "trio",
    "anyio-asyncio": "asyncio:asyncio.",
    "anyio-uvloop": "asyncio:uvloop.",
    "anyio-trio": "trio",
}


def _children_cpu() -> float:
    """CPU seconds used by waited-for child processes of this one so far (`getrusage` counts
    in microseconds where `os.times` counts in 10 ms ticks)."""
    try:
        import resource
    except ImportError:  # not POSIX
        times = os.times()
        return times.children_user + times.children_system
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _start_once(runtime: str) -> tuple[Attempt, str]:
    command = [sys.executable, "-E", "-c", PROGRAMS[runtime] + _REPORT_WAIT]
    cpu_before = _children_cpu()
    started = time.perf_counter()
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=_DEADLINE_S,
        check=False,
        preexec_fn=die_with_parent if sys.platform.startswith("linux") else None,
    )
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    last_error = completed.stderr.strip().splitlines()[-1:] or [""]
    check(
        completed.returncode == 0,
        f"the {runtime} program exited with {completed.returncode}: {last_error[0]}",
    )
    lines = completed.stdout.split()
    check(len(lines) == 2, f"the {runtime} program printed {completed.stdout!r}")
    running, waited_ns = lines[0], int(lines[1])
    check(running.startswith(_EXPECTED[runtime]), f"the {runtime} program ran on {running!r}")
    waited = waited_ns / 1e9 if waited_ns >= 0 else None
    attempt = Attempt({"wall_time": wall, "cpu_time": cpu}, wait_share(waited, wall))
    return attempt, running


def measure(runtime: str, case: str, quick: bool) -> tuple[Metrics, str]:
    """One sample: a warm-up start, then the medians of the least disturbed measured starts."""
    SPEC.case(case)
    for _ in range(0 if quick else _WARMUPS):
        _start_once(runtime)
    repeats = _QUICK_REPEATS if quick else _REPEATS
    attempts: list[Attempt] = []
    started = time.perf_counter()
    running = ""
    while not enough_attempts(attempts, repeats, started):
        attempt, running = _start_once(runtime)
        attempts.append(attempt)
    return least_disturbed(attempts, repeats), running


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
                wait_metric(),
            ),
            quick=True,
        ),
    ),
    measure=measure,
)
