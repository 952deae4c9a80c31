"""Statistics over a run: medians, spread and per-round paired ratios to the baseline."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import pandas as pd

from advisor.benchmarks.format import (
    BASELINE,
    CONFIDENCE,
    RUNTIMES,
    SUMMARY_COLUMNS,
    WORKLOADS,
    Better,
    Status,
)
from advisor.benchmarks.loading import BenchmarkResults


def median_confidence_interval(
    values: Sequence[float], level: float = CONFIDENCE
) -> tuple[float, float, float]:
    """The median of `values` and a distribution-free confidence interval around it.

    The interval runs between two order statistics, chosen from the binomial distribution
    (each value falls below the true median with probability 1/2), as narrow as possible while
    covering the median with at least `level` probability. Below six values no pair reaches
    95%, and the interval is the full range (93.75% with five values). NaNs are dropped; with
    no values every result is NaN.
    """
    ordered = sorted(value for value in values if not math.isnan(value))
    n = len(ordered)
    if n == 0:
        return (math.nan, math.nan, math.nan)
    middle = n // 2
    median = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    tail = (1 - level) / 2
    # The largest k with P(Binomial(n, 1/2) < k) <= tail gives the interval
    # (ordered[k - 1], ordered[n - k]); k = 1 (the full range) when none qualifies.
    k = 1
    below = 0.0
    for candidate in range(1, middle + 1):
        below += math.comb(n, candidate - 1) / 2**n
        if below > tail:
            break
        k = candidate
    return (median, ordered[k - 1], ordered[n - k])


def _natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort `conns=10` after `conns=2`: digit runs compare as numbers."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part
    )


@dataclass(slots=True)
class _Cell:
    """What `summarize` gathers for one (workload, case, metric, runtime)."""

    unit: str
    better: str
    failed: int = 0
    values: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)


_FLOAT_COLUMNS: Final = (
    "median",
    "q1",
    "q3",
    "rel_iqr",
    "ratio",
    "ratio_low",
    "ratio_high",
    "speedup",
    "speedup_low",
    "speedup_high",
)


def summarize(results: BenchmarkResults) -> pd.DataFrame:
    """Medians, spread and ratios to `BASELINE`, one row per (workload, case, metric, runtime).

    Over the `ok` rows of each cell: `n`, `median`, quartiles `q1`/`q3` and
    `rel_iqr = (q3 - q1) / |median|`. The ratio pairs each round's value with the baseline's
    value in the same round (`value / baseline`); `ratio` is the median of those per-round
    ratios (`pairs` of them) and `ratio_low`/`ratio_high` its confidence interval
    (`median_confidence_interval`). `speedup` orients the same per-round ratios so that above
    1 always means better than the baseline (the ratio when higher is better, its inverse
    when lower is better). `failed` counts the cell's rows whose status is not `ok`; a cell
    with only such rows is kept, with `n` 0 and NaN statistics. Rows come in the order of
    `WORKLOADS`, natural case order, metric order of the file, and `RUNTIMES`.

    Ratios are meaningful for positive values; a round whose baseline value is zero gives no
    ratio, and a zero value gives no oriented speedup where lower is better (no infinities:
    a `cpu_wait` of 0 on an idle machine is common). Timer lateness and `cpu_wait`, which can
    be near zero, are best read from the medians.
    """
    rows = results.rows
    cells: dict[tuple[str, str, str, str], _Cell] = {}
    metric_order: dict[tuple[str, str], int] = {}
    baseline: dict[tuple[str, str, str, int], float] = {}
    records = list(
        zip(
            rows["workload"].astype("str"),
            rows["case"],
            rows["metric"],
            rows["runtime"].astype("str"),
            rows["round"],
            rows["unit"],
            rows["better"],
            rows["value"],
            rows["status"],
            strict=True,
        )
    )
    for workload, case, metric, runtime, round_, unit, better, value, status in records:
        metric_order.setdefault((workload, metric), len(metric_order))
        cell = cells.setdefault((workload, case, metric, runtime), _Cell(unit, better))
        if status != Status.OK.value:
            cell.failed += 1
            continue
        cell.values.append(float(value))
        if runtime == BASELINE:
            baseline[(workload, case, metric, int(round_))] = float(value)
    for workload, case, metric, runtime, round_, _, _, value, status in records:
        base = baseline.get((workload, case, metric, int(round_)))
        if status == Status.OK.value and base is not None and base != 0:
            cells[(workload, case, metric, runtime)].ratios.append(float(value) / base)

    summary_rows = []
    for (workload, case, metric, runtime), cell in cells.items():
        values = pd.Series(cell.values, dtype="float64")
        median, q1, q3 = (float(values.quantile(q)) for q in (0.5, 0.25, 0.75))
        ratio, ratio_low, ratio_high = median_confidence_interval(cell.ratios)
        if cell.better == Better.HIGHER.value:
            oriented = cell.ratios
        else:
            oriented = [1 / ratio if ratio != 0 else math.nan for ratio in cell.ratios]
        speedup, speedup_low, speedup_high = median_confidence_interval(oriented)
        summary_rows.append(
            {
                "workload": workload,
                "case": case,
                "metric": metric,
                "unit": cell.unit,
                "better": cell.better,
                "runtime": runtime,
                "n": len(cell.values),
                "median": median,
                "q1": q1,
                "q3": q3,
                "rel_iqr": (q3 - q1) / abs(median) if median else math.nan,
                "pairs": len(cell.ratios),
                "ratio": ratio,
                "ratio_low": ratio_low,
                "ratio_high": ratio_high,
                "speedup": speedup,
                "speedup_low": speedup_low,
                "speedup_high": speedup_high,
                "failed": cell.failed,
            }
        )
    summary_rows.sort(
        key=lambda row: (
            WORKLOADS.index(str(row["workload"])),
            _natural_key(str(row["case"])),
            metric_order[(str(row["workload"]), str(row["metric"]))],
            RUNTIMES.index(str(row["runtime"])),
        )
    )
    return typed_summary(pd.DataFrame.from_records(summary_rows, columns=list(SUMMARY_COLUMNS)))


def typed_summary(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary frame with the column types `summarize` promises."""
    return summary.astype(
        {
            "workload": pd.CategoricalDtype(list(WORKLOADS), ordered=True),
            "case": "str",
            "metric": "str",
            "unit": "str",
            "better": "str",
            "runtime": pd.CategoricalDtype(list(RUNTIMES), ordered=True),
            "n": "int64",
            "pairs": "int64",
            "failed": "int64",
            **dict.fromkeys(_FLOAT_COLUMNS, "float64"),
        }
    )
