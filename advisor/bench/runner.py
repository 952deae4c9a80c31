"""Plans a benchmark run, starts one child process per sample, and records every result.

Method (the figures have to hold on a small, shared, noisy machine):

- Every sample is a fresh `python -E -m advisor.bench.child` process, so no runtime inherits
  another's heap, caches or imports; the child does its own warm-up and discards it.
- A run is a number of rounds. Each round runs every selected case on every selected runtime
  once, cases in a freshly shuffled order and, within a case, the runtimes back to back in a
  freshly shuffled order: drift in the machine's speed (other jobs, thermal state) falls on
  all runtimes alike, and the ratio to asyncio is taken between samples of the same round,
  seconds apart. The order's seed is stored in `meta.json`.
- Children run one at a time; each has a timeout, and on expiry its whole process group is
  killed. A sample that fails or times out is recorded as such (a row per metric it should
  have produced) and the run goes on.
- Rows are written as each sample ends, through `advisor.benchmarks.ResultsWriter` (atomic
  replacement), so an interrupted run keeps everything measured before the interruption.

Why not pyperf: pyperf's `Runner` was the first candidate, and its method (fresh worker
processes, warm-ups, metadata, median and spread) is the model here. But it runs the worker
processes of one benchmark back to back, so it cannot interleave the runtimes within a round;
it ends the whole program when a worker times out (`sys.exit(124)`), where a `timeout` row must
be recorded and the run continue; a worker reports one timing per loop, where a sample here
reports several metrics of one piece of work (throughput and latency percentiles of the same
round trips, memory per task); its statistics are per benchmark (mean, standard deviation),
where ratios here pair samples of the same round; and its metadata collector is private API.
Using it would mean working around all of it, so the harness uses only the standard library,
and pyperf stays a test-time dependency (`python -m pyperf system show` is still a good check
of a machine before a run).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import random
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from advisor.bench import environment
from advisor.bench.progress import PlannedSample, Progress
from advisor.bench.runtimes import loop_matches
from advisor.bench.spec import CaseSpec
from advisor.bench.workloads import SPECS
from advisor.benchmarks import BenchmarkMeta, Better, ResultRow, ResultsWriter, Status

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
"""The directory that holds the `advisor` package: the children's working directory, so that
`python -E -m advisor.bench.child` finds the package without PYTHONPATH (which -E ignores)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RunOptions:
    """What to run and where to write it."""

    out: Path
    """Directory for `results.csv` and `meta.json`."""
    rounds: int
    """Rounds (each runs every case on every runtime once)."""
    quick: bool
    """Smoke-test mode: the cases marked quick, smaller counts, fewer repetitions."""
    workloads: tuple[str, ...]
    """Workloads to run."""
    runtimes: tuple[str, ...]
    """Runtimes to run them on."""
    timeout_s: float
    """Per-sample (per child process) timeout."""
    seed: int
    """Seed of the shuffled order."""
    command: str
    """The command line, as stored in `meta.json`."""
    python: str = sys.executable
    """Interpreter for the children."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SampleOutcome:
    """What one child process produced."""

    status: Status
    """`ok`, `failed` or `timeout`."""
    metrics: Mapping[str, float] = field(default_factory=dict)
    """Metric -> value (only for `ok`)."""
    event_loop: str = ""
    """The loop the child reported running (only for `ok`)."""
    detail: str = ""
    """Why the sample failed or timed out."""
    seconds: float = 0.0
    """Wall time of the whole child process."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RunReport:
    """The end of a run."""

    meta: BenchmarkMeta
    """The metadata written."""
    rows: Sequence[ResultRow]
    """Every row written."""
    interrupted: bool
    """True if the run was stopped (Ctrl-C) before its plan was done."""

    @property
    def problems(self) -> int:
        """Samples that did not end `ok` (counted once per sample, not per metric)."""
        return len(
            {
                (row.workload, row.case, row.runtime, row.round)
                for row in self.rows
                if row.status is not Status.OK
            }
        )


def selected_cases(workload: str, quick: bool) -> tuple[CaseSpec, ...]:
    """The cases of `workload` a run includes."""
    return tuple(case for case in SPECS[workload].cases if case.quick or not quick)


def plan_run(options: RunOptions) -> list[PlannedSample]:
    """Every sample of the run, in order: rounds in turn, each freshly shuffled."""
    shuffler = random.Random(options.seed)
    cases = [
        (workload, case.name)
        for workload in options.workloads
        for case in selected_cases(workload, options.quick)
    ]
    plan = []
    for round_number in range(1, options.rounds + 1):
        for workload, case in shuffler.sample(cases, len(cases)):
            for runtime in shuffler.sample(options.runtimes, len(options.runtimes)):
                plan.append(
                    PlannedSample(round=round_number, workload=workload, case=case, runtime=runtime)
                )
    return plan


def child_command(sample: PlannedSample, options: RunOptions) -> list[str]:
    """The command line of the child process that measures `sample`."""
    command = [
        options.python,
        "-E",
        "-m",
        "advisor.bench.child",
        "--workload",
        sample.workload,
        "--runtime",
        sample.runtime,
        "--case",
        sample.case,
    ]
    return [*command, "--quick"] if options.quick else command


def _kill_process_group(process: subprocess.Popen[str]) -> None:
    """Kill the child and anything it started (the startup workload starts interpreters)."""
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError):  # it has already gone
            os.killpg(process.pid, signal.SIGKILL)
    else:
        process.kill()


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def run_sample(sample: PlannedSample, options: RunOptions) -> SampleOutcome:
    """Start the child for `sample`, wait for it (up to the timeout) and read its report."""
    started = time.perf_counter()
    with subprocess.Popen(
        child_command(sample, options),
        cwd=_PACKAGE_ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=os.name == "posix",
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=options.timeout_s)
        except subprocess.TimeoutExpired:
            _kill_process_group(process)
            process.communicate()
            return SampleOutcome(
                status=Status.TIMEOUT,
                detail=f"no result within the {options.timeout_s:g} s per-process timeout",
                seconds=time.perf_counter() - started,
            )
        except BaseException:
            _kill_process_group(process)
            process.wait()
            raise
    seconds = time.perf_counter() - started
    outcome = read_report(sample, process.returncode, stdout, stderr)
    return replace(outcome, seconds=seconds)


def read_report(sample: PlannedSample, returncode: int, stdout: str, stderr: str) -> SampleOutcome:
    """Check a child's JSON report against the workload's declaration."""
    try:
        report = json.loads(_last_line(stdout))
        if not isinstance(report, dict):
            raise TypeError("not a JSON object")
    except (ValueError, TypeError):
        reason = _last_line(stderr) or "no output"
        return SampleOutcome(
            status=Status.FAILED, detail=f"child exited with {returncode}: {reason}"
        )
    status = report.get("status")
    if status in (Status.FAILED.value, Status.TIMEOUT.value):
        return SampleOutcome(status=Status(status), detail=str(report.get("detail", "")))
    if status != Status.OK.value or returncode != 0:
        return SampleOutcome(
            status=Status.FAILED,
            detail=f"child exited with {returncode} and status {status!r}",
        )
    metrics = report.get("metrics")
    expected = [metric.name for metric in SPECS[sample.workload].case(sample.case).metrics]
    if not isinstance(metrics, dict) or sorted(metrics) != sorted(expected):
        return SampleOutcome(
            status=Status.FAILED, detail=f"child reported {metrics!r}, expected {expected}"
        )
    values = {}
    for name in expected:
        value = metrics[name]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            return SampleOutcome(status=Status.FAILED, detail=f"metric {name!r} is {value!r}")
        values[name] = float(value)
    event_loop = str(report.get("event_loop", ""))
    if not loop_matches(sample.runtime, event_loop):
        return SampleOutcome(
            status=Status.FAILED,
            detail=f"runtime {sample.runtime!r} reported running on {event_loop!r}",
        )
    return SampleOutcome(status=Status.OK, metrics=values, event_loop=event_loop)


def rows_for(sample: PlannedSample, outcome: SampleOutcome) -> list[ResultRow]:
    """One row per metric the case declares, with the value or the reason it is missing."""
    return [
        ResultRow(
            workload=sample.workload,
            case=sample.case,
            runtime=sample.runtime,
            round=sample.round,
            metric=metric.name,
            unit=metric.unit,
            better=Better(metric.better),
            value=outcome.metrics[metric.name] if outcome.status is Status.OK else None,
            status=outcome.status,
            detail=outcome.detail if outcome.status is not Status.OK else "",
        )
        for metric in SPECS[sample.workload].case(sample.case).metrics
    ]


def describe_machine(options: RunOptions) -> BenchmarkMeta:
    """The metadata of a run that starts now."""
    return BenchmarkMeta(
        cpu=environment.cpu_model(),
        cores=environment.logical_cores(),
        os=platform.platform(),
        python=environment.python_description(),
        packages=environment.package_versions(),
        date=datetime.now(UTC).isoformat(timespec="seconds"),
        command=options.command,
        rounds=options.rounds,
        quick=options.quick,
        usable_cores=environment.usable_cores(),
        machine=platform.machine(),
        workloads=options.workloads,
        runtimes=options.runtimes,
        timeout_s=options.timeout_s,
        seed=options.seed,
        nice=environment.niceness(),
        load_start=environment.load_average(),
    )


def run_benchmarks(options: RunOptions, progress: Progress | None = None) -> RunReport:
    """Run every planned sample, writing rows and metadata to `options.out` as they come."""
    plan = plan_run(options)
    progress = progress if progress is not None else Progress(plan, options.rounds)
    writer = ResultsWriter(options.out)
    meta = describe_machine(options)
    writer.write_meta(meta)
    started = time.monotonic()
    event_loops: dict[str, str] = {}
    interrupted = False
    try:
        for sample in plan:
            outcome = run_sample(sample, options)
            writer.append(rows_for(sample, outcome))
            if outcome.status is Status.OK:
                event_loops.setdefault(sample.runtime, outcome.event_loop)
            progress.sample_done(sample, outcome.seconds, outcome.status.value, outcome.detail)
    except KeyboardInterrupt:
        interrupted = True
        progress.say("Interrupted: keeping every result measured so far.")
    meta = replace(
        meta,
        load_end=environment.load_average(),
        duration_s=round(time.monotonic() - started, 1),
        finished=not interrupted,
        event_loops={runtime: event_loops[runtime] for runtime in sorted(event_loops)},
    )
    writer.write_meta(meta)
    return RunReport(meta=meta, rows=writer.rows, interrupted=interrupted)
