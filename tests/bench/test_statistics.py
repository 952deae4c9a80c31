"""summarize and median_confidence_interval, checked by hand on small made-up results."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from advisor.benchmarks import SUMMARY_COLUMNS, load_results, median_confidence_interval, summarize
from tests.bench.stored import throughput_rows, time_rows, write_csv, write_meta


def _summary(tmp_path: Path, *lines: str, rounds: int = 5) -> pd.DataFrame:
    write_meta(tmp_path, rounds=rounds)
    write_csv(tmp_path, *lines)
    return summarize(load_results(tmp_path))


def _cell(summary: pd.DataFrame, runtime: str, metric: str | None = None) -> pd.Series:
    selected = summary[summary["runtime"] == runtime]
    if metric is not None:
        selected = selected[selected["metric"] == metric]
    assert len(selected) == 1
    return selected.iloc[0]


def test_median_quartiles_and_relative_iqr(tmp_path: Path) -> None:
    """Quartiles interpolate linearly; rel_iqr is the IQR over the median."""
    summary = _summary(tmp_path, *throughput_rows("asyncio", [10.0, 20.0, 30.0, 40.0, 50.0]))
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    cell = _cell(summary, "asyncio")
    assert (cell["n"], cell["median"], cell["q1"], cell["q3"]) == (5, 30.0, 20.0, 40.0)
    assert cell["rel_iqr"] == pytest.approx(20.0 / 30.0)
    assert (cell["ratio"], cell["ratio_low"], cell["ratio_high"]) == (1.0, 1.0, 1.0)
    assert cell["failed"] == 0


def test_ratios_pair_values_of_the_same_round(tmp_path: Path) -> None:
    """Round-by-round pairing: a drift that hits both runtimes alike cancels out."""
    summary = _summary(
        tmp_path,
        *throughput_rows("asyncio", [100.0, 200.0, 400.0, 800.0, 1600.0]),
        *throughput_rows("trio", [50.0, 100.0, 200.0, 400.0, 800.0]),
    )
    trio = _cell(summary, "trio")
    assert trio["pairs"] == 5
    assert (trio["ratio"], trio["ratio_low"], trio["ratio_high"]) == (0.5, 0.5, 0.5)
    assert (trio["speedup"], trio["speedup_low"], trio["speedup_high"]) == (0.5, 0.5, 0.5)
    # Unpaired, the medians alone would give the same 0.5 here only by luck of the shape:
    assert trio["median"] / _cell(summary, "asyncio")["median"] == 0.5


def test_ratio_is_the_median_of_per_round_ratios_with_its_interval(tmp_path: Path) -> None:
    """Five rounds: the median ratio, and the full range as the (93.75%) interval."""
    summary = _summary(
        tmp_path,
        *throughput_rows("asyncio", [100.0, 100.0, 100.0, 100.0, 100.0]),
        *throughput_rows("uvloop", [150.0, 110.0, 130.0, 200.0, 120.0]),
    )
    uvloop = _cell(summary, "uvloop")
    assert uvloop["ratio"] == pytest.approx(1.3)
    assert uvloop["ratio_low"] == pytest.approx(1.1)
    assert uvloop["ratio_high"] == pytest.approx(2.0)
    assert uvloop["speedup"] == pytest.approx(1.3)


def test_speedup_inverts_ratios_when_lower_is_better(tmp_path: Path) -> None:
    """Taking twice as long is a ratio of 2 and a speedup of 0.5, interval flipped too."""
    summary = _summary(
        tmp_path,
        *time_rows("asyncio", [1.0, 1.0, 1.0]),
        *time_rows("trio", [2.0, 4.0, 1.0]),
        rounds=3,
    )
    trio = _cell(summary, "trio")
    assert (trio["ratio"], trio["ratio_low"], trio["ratio_high"]) == (2.0, 1.0, 4.0)
    assert (trio["speedup"], trio["speedup_low"], trio["speedup_high"]) == (0.5, 0.25, 1.0)


def test_a_round_without_a_baseline_gives_no_ratio(tmp_path: Path) -> None:
    """If asyncio failed in a round, the other runtimes' values of that round pair with nothing."""
    summary = _summary(
        tmp_path,
        *throughput_rows("asyncio", [100.0, 100.0]),
        "channel,capacity=100,asyncio,3,items_per_s,ops/s,higher,,timeout,no result",
        *throughput_rows("trio", [50.0, 50.0, 500.0]),
    )
    trio = _cell(summary, "trio")
    assert (trio["n"], trio["pairs"], trio["ratio"]) == (3, 2, 0.5)
    assert _cell(summary, "asyncio")["failed"] == 1


def test_a_cell_with_only_failures_is_kept_and_counted(tmp_path: Path) -> None:
    """Failures are visible in the summary, with no statistics."""
    summary = _summary(
        tmp_path,
        *throughput_rows("asyncio", [100.0, 100.0]),
        "channel,capacity=100,anyio-trio,1,items_per_s,ops/s,higher,,failed,boom",
        "channel,capacity=100,anyio-trio,2,items_per_s,ops/s,higher,,failed,boom",
    )
    cell = _cell(summary, "anyio-trio")
    assert (cell["n"], cell["pairs"], cell["failed"]) == (0, 0, 2)
    assert math.isnan(cell["median"])
    assert math.isnan(cell["speedup"])


def test_rows_come_in_workload_natural_case_and_runtime_order(tmp_path: Path) -> None:
    """conns=2 sorts before conns=10, runtimes in their declared order."""
    lines = [
        f'tcp_echo,"conns={conns},size=1024",{runtime},1,round_trips_per_s,ops/s,higher,1.0,ok,'
        for conns in (10, 2)
        for runtime in ("trio", "asyncio")
    ]
    summary = _summary(tmp_path, *time_rows("asyncio", [1.0]), *lines)
    assert list(zip(summary["workload"], summary["case"], summary["runtime"], strict=True)) == [
        ("tcp_echo", "conns=2,size=1024", "asyncio"),
        ("tcp_echo", "conns=2,size=1024", "trio"),
        ("tcp_echo", "conns=10,size=1024", "asyncio"),
        ("tcp_echo", "conns=10,size=1024", "trio"),
        ("spawn", "tasks=10000", "asyncio"),
    ]


def test_no_rows_summarize_to_an_empty_frame(tmp_path: Path) -> None:
    """An empty run still has the summary's columns."""
    summary = _summary(tmp_path)
    assert summary.empty
    assert list(summary.columns) == list(SUMMARY_COLUMNS)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], (math.nan, math.nan, math.nan)),
        ([3.0], (3.0, 3.0, 3.0)),
        ([5.0, 1.0, 4.0, 2.0, 3.0], (3.0, 1.0, 5.0)),  # n=5: full range (93.75%)
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], (3.5, 1.0, 6.0)),  # n=6: full range (96.9%)
        ([float(v) for v in range(1, 10)], (5.0, 2.0, 8.0)),  # n=9: 2nd and 8th (96.1%)
        ([float(v) for v in range(1, 21)], (10.5, 6.0, 15.0)),  # n=20: 6th and 15th (95.9%)
        ([1.0, math.nan, 3.0], (2.0, 1.0, 3.0)),
    ],
)
def test_median_interval_uses_the_right_order_statistics(
    values: list[float], expected: tuple[float, float, float]
) -> None:
    """The narrowest pair of order statistics that still covers the median 95% of the time."""
    result = median_confidence_interval(values)
    for got, want in zip(result, expected, strict=True):
        assert (math.isnan(got) and math.isnan(want)) or got == want


def test_a_zero_value_gives_no_infinite_speedup(tmp_path: Path) -> None:
    """A lower-is-better value of 0 (cpu_wait on an idle machine) yields no speedup, not inf."""
    write_meta(tmp_path)
    write_csv(
        tmp_path,
        "spawn,tasks=10000,asyncio,1,cpu_wait,%,lower,3.0,ok,",
        "spawn,tasks=10000,asyncio,2,cpu_wait,%,lower,2.0,ok,",
        "spawn,tasks=10000,trio,1,cpu_wait,%,lower,0.0,ok,",
        "spawn,tasks=10000,trio,2,cpu_wait,%,lower,1.0,ok,",
    )
    summary = summarize(load_results(tmp_path))
    trio = summary[summary["runtime"] == "trio"].iloc[0]
    assert trio["speedup"] == 2.0
    assert all(math.isfinite(float(trio[c])) for c in ("speedup", "speedup_low", "speedup_high"))
