"""The terminal summary: the baseline's median, the others' speedups with intervals."""

from __future__ import annotations

from pathlib import Path

from advisor.bench.table import format_summary_table, format_value
from advisor.benchmarks import load_results, summarize
from tests.bench.stored import throughput_rows, time_rows, write_csv, write_meta


def test_the_table_shows_medians_speedups_intervals_and_failures(tmp_path: Path) -> None:
    """One line per case and metric, one column per runtime present."""
    write_meta(tmp_path, rounds=2)
    write_csv(
        tmp_path,
        *throughput_rows("asyncio", [1_000_000.0, 1_000_000.0]),
        *throughput_rows("trio", [5_000.0, 6_000.0]),
        *time_rows("asyncio", [1.0, 1.0]),
        "spawn,tasks=10000,trio,1,wall_time,s,lower,,timeout,slow",
        "spawn,tasks=10000,trio,2,wall_time,s,lower,,timeout,slow",
    )
    table = format_summary_table(summarize(load_results(tmp_path)))
    lines = table.splitlines()
    assert lines[0].split() == ["workload", "case", "metric", "asyncio", "(median)", "trio"]
    assert lines[1].startswith("spawn")  # workloads in their declared order
    assert "failed (2 failed)" in lines[1]
    assert "1M ops/s ±0%" in lines[2]
    assert "0.0055x [0.005-0.006]" in lines[2]
    assert "speedup over asyncio" in table


def test_values_get_three_significant_digits_and_a_suffix() -> None:
    """Large throughputs read as 57.3k or 1.62M."""
    assert format_value(57_312.0, "ops/s") == "57.3k ops/s"
    assert format_value(1_620_000.0, "ops/s") == "1.62M ops/s"
    assert format_value(0.04811, "s") == "0.0481 s"
