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
- A run writes only into its own new folder in the store (`runs/<id>/`), appending each
  sample's rows as it ends, and serves it (points `current.json` at it, an atomic rename) only
  once every sample has run; a killed or interrupted run leaves the served results untouched.
  The store's lock refuses a second concurrent run. SIGTERM is handled like Ctrl-C (the child's
  process group is killed); children die with the runner even on SIGKILL (`lifeline`).
- Children may run on another interpreter (`--python`), in a venv built with the pinned
  runtimes (`interpreters`); every row records the interpreter's version.

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
from advisor.bench.boot import module_command
from advisor.bench.progress import PlannedSample, Progress
from advisor.bench.runtimes import loop_matches
from advisor.bench.spec import CaseSpec
from advisor.bench.workloads import SPECS
from advisor.benchmarks import BenchmarkMeta, Better, ResultRow, ResultsWriter, Status
from advisor.benchmarks.loading import load_run
from advisor.benchmarks.statistics import summarize
from advisor.benchmarks.store import RUNS_DIR, publish, run_lock
from advisor.benchmarks.summary_file import write_summary

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
"""The directory that holds the `advisor` package: the children's working directory."""


class Stopped(Exception):
    """The run was asked to stop (SIGTERM)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RunOptions:
    """What to run and where to write it."""

    out: Path
    """The store the run goes into (its own folder under `runs/`, served when finished)."""
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
    """Interpreter for the children (a venv's, for `--python`)."""
    interpreter: Mapping[str, object] = field(default_factory=dict)
    """`environment.describe_interpreter()` as the children's interpreter reports it."""
    note: str = ""
    """Conditions of the run, in the words of whoever ran it (stored in meta.json)."""


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
    """True if the run was stopped (Ctrl-C, SIGTERM) before its plan was done."""
    folder: Path
    """The run's own folder."""

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
    command = module_command(
        options.python,
        "advisor.bench.child",
        "--workload",
        sample.workload,
        "--runtime",
        sample.runtime,
        "--case",
        sample.case,
    )
    return [*command, "--quick"] if options.quick else command


def _kill_process_group(process: subprocess.Popen[str]) -> None:
    """Kill the child and anything it started (the startup workload starts interpreters)."""
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError):  # it has already gone
            os.killpg(process.pid, signal.SIGKILL)
    else:
        process.kill()


def _plain(detail: str) -> str:
    """A failure detail as one plain-text line the stored format accepts."""
    text = " ".join(detail.split())
    for character in "<>[]`|\\":
        text = text.replace(character, " ")
    return text.replace("://", ": //")[:500]


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


def rows_for(sample: PlannedSample, outcome: SampleOutcome, python: str = "") -> list[ResultRow]:
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
            detail=_plain(outcome.detail) if outcome.status is not Status.OK else "",
            python=python,
        )
        for metric in SPECS[sample.workload].case(sample.case).metrics
    ]


def describe_machine(options: RunOptions, run_id: str) -> BenchmarkMeta:
    """The metadata of a run that starts now."""
    interpreter = options.interpreter or environment.describe_interpreter()
    packages = interpreter.get("packages")
    return BenchmarkMeta(
        cpu=environment.cpu_model(),
        cores=environment.logical_cores(),
        os=platform.platform(),
        python=str(interpreter.get("python", environment.python_description())),
        packages=dict(packages) if isinstance(packages, dict) else environment.package_versions(),
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
        python_version=str(interpreter.get("python_version", environment.python_version())),
        note=options.note,
        run_id=run_id,
    )


def _raise_stopped(signum: int, frame: object) -> None:
    raise Stopped(f"signal {signum}")


def _median(values: Sequence[float]) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def run_benchmarks(options: RunOptions, progress: Progress | None = None) -> RunReport:
    """Run every planned sample into a new run folder of the store `options.out`; serve it
    when every sample has run. Raises `RunInProgress` if another run holds the store."""
    plan = plan_run(options)
    progress = progress if progress is not None else Progress(plan, options.rounds)
    with run_lock(options.out):
        previous = signal.getsignal(signal.SIGTERM)
        signal.signal(signal.SIGTERM, _raise_stopped)
        try:
            return _run_locked(options, plan, progress)
        finally:
            signal.signal(signal.SIGTERM, previous)


def _run_locked(options: RunOptions, plan: list[PlannedSample], progress: Progress) -> RunReport:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    interpreter_version = str(
        options.interpreter.get("python_version", environment.python_version())
    )
    run_id = f"{interpreter_version}-{stamp}-{os.getpid()}"
    folder = options.out / RUNS_DIR / run_id
    writer = ResultsWriter(folder)
    meta = describe_machine(options, run_id)
    writer.write_meta(meta)
    started = time.monotonic()
    event_loops: dict[str, str] = {}
    loads: list[float] = []
    waits: list[float] = []
    interrupted = False
    try:
        for sample in plan:
            outcome = run_sample(sample, options)
            writer.append(rows_for(sample, outcome, meta.python_version))
            if outcome.status is Status.OK:
                event_loops.setdefault(sample.runtime, outcome.event_loop)
                if "cpu_wait" in outcome.metrics:
                    waits.append(outcome.metrics["cpu_wait"])
            load = environment.load_average()
            if load:
                loads.append(load[0])
            progress.sample_done(sample, outcome.seconds, outcome.status.value, outcome.detail)
    except (KeyboardInterrupt, Stopped):
        interrupted = True
        progress.say(
            f"Interrupted: the served results are unchanged; this run's rows stay in {folder}."
        )
    median_load = _median(loads)
    meta = replace(
        meta,
        load_end=environment.load_average(),
        duration_s=round(time.monotonic() - started, 1),
        finished=not interrupted,
        event_loops={runtime: event_loops[runtime] for runtime in sorted(event_loops)},
        load_during=(min(loads), median_load, max(loads))
        if loads and median_load is not None
        else (),
        cpu_wait_median=None if not waits else round(_median(waits) or 0.0, 2),
    )
    writer.write_meta(meta)
    if not interrupted:
        write_summary(folder, summarize(load_run(folder)))
        publish(options.out, folder, meta)
    return RunReport(meta=meta, rows=writer.rows, interrupted=interrupted, folder=folder)
