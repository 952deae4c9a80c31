"""The harness end to end: `python -m advisor bench --quick` in fresh processes, as CI runs it."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from advisor.bench.runner import selected_cases
from advisor.benchmarks import RUNTIMES, WORKLOADS, load_results, load_summary_for, summarize

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.bench
def test_quick_run_measures_every_workload_on_every_runtime(tmp_path: Path) -> None:
    """Every quick case on every runtime yields one ok row per declared metric (its elapsed time
    is printed by the harness, never asserted: a loaded CI machine must not fail it)."""
    out = tmp_path / "benchmarks"
    completed = subprocess.run(
        [sys.executable, "-m", "advisor", "bench", "--quick", "--out", str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]

    results = load_results(out)
    assert results.meta.quick
    assert results.meta.finished
    assert results.meta.event_loops["uvloop"].startswith("asyncio:uvloop.")
    assert results.meta.event_loops["asyncio"].startswith("asyncio:asyncio.")
    assert results.meta.event_loops["anyio-asyncio"].startswith("asyncio:asyncio.")
    assert results.meta.event_loops["anyio-uvloop"].startswith("asyncio:uvloop.")
    assert results.meta.event_loops["trio"] == results.meta.event_loops["anyio-trio"] == "trio"
    assert results.meta.python_version == platform.python_version()
    assert set(results.rows["python"]) == {platform.python_version()}

    rows = results.rows
    assert set(rows["status"]) == {"ok"}, rows[rows["status"] != "ok"]["detail"].tolist()
    columns = (rows["workload"], rows["case"], rows["runtime"], rows["metric"])
    found = {(str(w), c, str(r), m) for w, c, r, m in zip(*columns, strict=True)}
    expected = {
        (workload, case.name, runtime, metric.name)
        for workload in WORKLOADS
        for case in selected_cases(workload, quick=True)
        for runtime in RUNTIMES
        for metric in case.metrics
    }
    assert found == expected
    assert len(rows) == len(expected)
    positive = rows[~rows["metric"].str.startswith("lateness") & (rows["metric"] != "cpu_wait")]
    assert (positive["value"] > 0).all()
    assert (rows[rows["metric"] == "cpu_wait"]["value"] >= 0).all()

    summary = summarize(results)
    stored, _ = load_summary_for(out)
    pd.testing.assert_frame_equal(stored, summary)
    assert (summary["n"] == 1).all()
    baseline = summary[(summary["runtime"] == "asyncio") & (summary["median"] != 0)]
    assert (baseline["ratio"] == 1.0).all()
    assert "speedup over asyncio" in completed.stdout
    assert "left ~" in completed.stderr
