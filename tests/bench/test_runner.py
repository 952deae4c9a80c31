"""The runner: its plan, and how it records children that fail, time out or lie about their loop.

Misbehaving children are played by small shell scripts standing in for the interpreter, so
these tests run real processes without running any workload.
"""

from __future__ import annotations

import json
import os
import stat
import time
from collections import Counter
from pathlib import Path

import pytest

from advisor.bench.child import describe_failure
from advisor.bench.progress import PlannedSample, Progress
from advisor.bench.runner import RunOptions, plan_run, read_report, run_benchmarks, run_sample
from advisor.bench.workloads import SPECS
from advisor.benchmarks import RUNTIMES, Status, load_results, summarize

pytestmark = pytest.mark.skipif(os.name != "posix", reason="fake interpreters are shell scripts")


def _options(tmp_path: Path, **overrides: object) -> RunOptions:
    settings: dict[str, object] = {
        "out": tmp_path / "out",
        "rounds": 3,
        "quick": False,
        "workloads": ("spawn", "cancel"),
        "runtimes": RUNTIMES,
        "timeout_s": 30.0,
        "seed": 7,
        "command": "test",
    }
    settings.update(overrides)
    return RunOptions(**settings)  # type: ignore[arg-type]


def _fake_python(tmp_path: Path, script: str) -> str:
    path = tmp_path / "fake-python"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


SPAWN_ON_UVLOOP = PlannedSample(round=1, workload="spawn", case="tasks=10000", runtime="uvloop")


def test_each_round_runs_every_case_on_every_runtime_once_in_a_fresh_order() -> None:
    """Rounds are complete, shuffled differently, and reproducible from the seed."""
    options = _options(Path("unused"), rounds=4)
    plan = plan_run(options)
    cases = {("spawn", "tasks=10000")} | {("cancel", case.name) for case in SPECS["cancel"].cases}
    for round_number in range(1, 5):
        in_round = [s for s in plan if s.round == round_number]
        assert Counter((s.workload, s.case, s.runtime) for s in in_round) == Counter(
            {(workload, case, runtime): 1 for workload, case in cases for runtime in RUNTIMES}
        )
    orders = {
        tuple((s.workload, s.case, s.runtime) for s in plan if s.round == r) for r in (1, 2, 3, 4)
    }
    assert len(orders) > 1
    assert plan == plan_run(options)
    assert [s.round for s in plan] == sorted(s.round for s in plan)


def test_runtimes_of_a_case_run_back_to_back() -> None:
    """In a round, a case's samples on all runtimes are adjacent: ratios pair close samples."""
    plan = plan_run(_options(Path("unused"), rounds=2))
    for start in range(0, len(plan), len(RUNTIMES)):
        block = plan[start : start + len(RUNTIMES)]
        assert len({(s.round, s.workload, s.case) for s in block}) == 1
        assert {s.runtime for s in block} == set(RUNTIMES)


def test_a_child_past_its_timeout_is_killed_with_everything_it_started(tmp_path: Path) -> None:
    """The whole process group goes, and the sample is recorded as a timeout."""
    pid_file = tmp_path / "grandchild.pid"
    python = _fake_python(tmp_path, f"sleep 30 &\necho $! > {pid_file}\nsleep 30\n")
    started = time.monotonic()
    outcome = run_sample(SPAWN_ON_UVLOOP, _options(tmp_path, python=python, timeout_s=0.5))
    assert time.monotonic() - started < 10
    assert outcome.status is Status.TIMEOUT
    assert "0.5 s per-process timeout" in outcome.detail
    grandchild = int(pid_file.read_text())
    for _ in range(50):
        try:
            os.kill(grandchild, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the grandchild survived its group being killed")


def test_a_child_that_crashes_is_recorded_with_its_last_error_line(tmp_path: Path) -> None:
    """No JSON on stdout: status failed, with the exit status and the end of stderr."""
    python = _fake_python(
        tmp_path, "echo 'Traceback ...' >&2\necho 'ImportError: no trio' >&2\nexit 1\n"
    )
    outcome = run_sample(SPAWN_ON_UVLOOP, _options(tmp_path, python=python))
    assert outcome.status is Status.FAILED
    assert outcome.detail == "child exited with 1: ImportError: no trio"


def test_a_report_from_the_wrong_event_loop_is_rejected() -> None:
    """A 'uvloop' figure measured on the standard loop is never stored as ok."""
    report = {
        "status": "ok",
        "event_loop": "asyncio:asyncio.unix_events._UnixSelectorEventLoop",
        "metrics": {"wall_time": 0.05, "cpu_time": 0.05, "cpu_wait": 0.0},
    }
    outcome = read_report(SPAWN_ON_UVLOOP, 0, json.dumps(report), "")
    assert outcome.status is Status.FAILED
    assert "reported running on" in outcome.detail
    report["event_loop"] = "asyncio:uvloop.Loop"
    assert read_report(SPAWN_ON_UVLOOP, 0, json.dumps(report), "").status is Status.OK


def test_a_report_with_missing_or_bad_metrics_is_rejected() -> None:
    """Every declared metric must be there, as a finite number."""
    base = {"status": "ok", "event_loop": "asyncio:uvloop.Loop"}
    missing = {**base, "metrics": {"wall_time": 0.05, "cpu_time": 0.05}}
    infinite = {**base, "metrics": {"wall_time": 0.05, "cpu_time": "inf", "cpu_wait": 0.0}}
    for report in (missing, infinite):
        outcome = read_report(SPAWN_ON_UVLOOP, 0, json.dumps(report), "")
        assert outcome.status is Status.FAILED


def test_a_child_timeout_report_keeps_its_status() -> None:
    """A workload that hit its own deadline reports timeout, and so does its row."""
    report = {"status": "timeout", "detail": "TimeoutError"}
    outcome = read_report(SPAWN_ON_UVLOOP, 3, json.dumps(report), "")
    assert (outcome.status, outcome.detail) == (Status.TIMEOUT, "TimeoutError")


def test_failed_samples_are_stored_as_rows_the_loader_accepts(tmp_path: Path) -> None:
    """A run of failing children still writes valid files: a failed row per declared metric."""
    python = _fake_python(tmp_path, "echo 'RuntimeError: broken' >&2\nexit 1\n")
    options = _options(tmp_path, python=python, rounds=2)
    progress_lines = tmp_path / "progress.txt"
    with progress_lines.open("w", encoding="utf-8") as stream:
        report = run_benchmarks(options, Progress(plan_run(options), options.rounds, stream))
    assert report.problems == len(plan_run(options))
    results = load_results(options.out)
    assert set(results.rows["status"]) == {"failed"}
    assert set(results.rows["detail"]) == {"child exited with 1: RuntimeError: broken"}
    assert results.meta.finished
    assert results.meta.load_end
    summary = summarize(results)
    assert (summary["n"] == 0).all()
    assert (summary["failed"] == 2).all()
    assert not list(options.out.glob(".*.tmp"))
    assert "left ~" in progress_lines.read_text(encoding="utf-8")


def test_failures_are_described_by_their_innermost_errors() -> None:
    """Timeouts inside task groups count as timeouts; anything else as a failure."""
    group = ExceptionGroup("group", [TimeoutError(), TimeoutError()])
    assert describe_failure(group) == ("timeout", "TimeoutError (and 1 more)")
    mixed = ExceptionGroup("group", [TimeoutError(), ValueError("bad\necho")])
    assert describe_failure(mixed) == ("failed", "TimeoutError (and 1 more)")
    assert describe_failure(ValueError("bad\necho")) == ("failed", "ValueError: bad echo")
