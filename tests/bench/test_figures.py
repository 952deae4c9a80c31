"""Figures in words: absolute amounts, ratios that cannot be misread, the per-request budget."""

from __future__ import annotations

import math

import pytest

from advisor.benchmarks.figures import Figure, budget_share, format_amount, ratio_words
from advisor.benchmarks.figures import request_overhead as overhead_of
from advisor.benchmarks.format import Better, ResultRow, Status
from advisor.benchmarks.loading import BenchmarkResults, rows_frame
from advisor.benchmarks.statistics import summarize
from tests.bench.stored import write_meta


def _figure(ratio: float, unit: str, low: float, high: float, better: str = "lower") -> Figure:
    return Figure(
        runtime="trio",
        median=1.0,
        unit=unit,
        ratio=ratio,
        ratio_low=low,
        ratio_high=high,
        better=better,
    )


@pytest.mark.parametrize(
    ("figure", "words"),
    [
        (_figure(1.9, "bytes", 1.8, 2.0), "1.9x more bytes"),
        (_figure(0.53, "bytes", 0.5, 0.6), "1.9x fewer bytes"),
        (_figure(2.1, "us", 2.0, 2.2), "2.1x the time"),
        (_figure(0.5, "ms", 0.4, 0.6), "2x less time"),
        (_figure(0.25, "ops/s", 0.2, 0.3, "higher"), "4x less"),
        (_figure(1.3, "ops/s", 1.2, 1.4, "higher"), "1.3x as much"),
        (_figure(1.02, "ops/s", 0.9, 1.1, "higher"), "about the same"),
        (_figure(1.4, "ops/s", 0.6, 1.9, "higher"), "no clear difference"),
    ],
)
def test_ratios_are_written_the_way_they_point(figure: Figure, words: str) -> None:
    """Lower-is-better ratios are never inverted into "0.53x"; noisy ones say so."""
    assert ratio_words(figure) == words


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (4780.0, "ns", "4.78 us"),
        (0.0647, "s", "64.7 ms"),
        (2511.0, "bytes", "2.5 KB"),
        (5794.2, "ops/s", "5,794/s"),
        (1.5, "ms", "1.5 ms"),
    ],
)
def test_absolute_amounts_use_the_handiest_unit(value: float, unit: str, text: str) -> None:
    """Times are rescaled to s/ms/us/ns, bytes to KB, rates get thousands separators."""
    assert format_amount(value, unit) == text


def _http_rows(runtime: str, p50: list[float]) -> list[ResultRow]:
    return [
        ResultRow(
            workload="http_service",
            case="db=1ms,loads=25/50/80",
            runtime=runtime,
            round=index,
            metric="p50_ms_at_25",
            unit="ms",
            better=Better.LOWER,
            value=value,
            status=Status.OK,
        )
        for index, value in enumerate(p50, start=1)
    ]


def test_request_overhead_and_budget_share_come_from_the_http_medians(tmp_path: object) -> None:
    """A runtime whose median request takes 0.2 ms longer uses 2% of a 10 ms budget."""
    from pathlib import Path

    from advisor.benchmarks.loading import load_meta

    directory = Path(str(tmp_path))
    write_meta(directory)
    rows = _http_rows("asyncio", [1.1, 1.2, 1.3]) + _http_rows("trio", [1.3, 1.4, 1.5])
    summary = summarize(
        BenchmarkResults(rows=rows_frame(rows), meta=load_meta(directory / "meta.json"))
    )
    overhead = overhead_of(summary)
    assert overhead["asyncio"] == 0
    assert overhead["trio"] == pytest.approx(0.2)
    assert budget_share(summary, "trio", 10.0) == pytest.approx(0.02)
    assert math.isnan(budget_share(summary, "uvloop", 10.0))
