"""Figures read off a summary: absolute per-operation costs, ratios in words, quoted figures.

Ratios alone overstate what an application feels: Trio adding tens of microseconds to an echo
round trip is "0.5x" but matters little to a request that waits a millisecond on a database.
So every ratio is shown beside the absolute cost per operation, and `request_overhead` gives
the performance rules the per-request time a runtime adds against plain asyncio in the
`http_service` workload, to weigh against a realistic per-request budget.

All functions take the frame `summarize` (or `load_summary_for`) returns and are pure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from advisor.benchmarks.format import BASELINE, RUNTIMES

REQUEST_CASE = "db=1ms,loads=25/50/80"
"""The `http_service` case whose light-load median is the per-request time."""
REQUEST_METRIC = "p50_ms_at_25"
"""Median latency at 25% of the runtime's maximum: service time with little queueing."""

RUNTIME_LABELS: Mapping[str, str] = {
    "asyncio": "asyncio",
    "uvloop": "asyncio on uvloop",
    "trio": "Trio",
    "anyio-asyncio": "AnyIO on asyncio",
    "anyio-uvloop": "AnyIO on uvloop",
    "anyio-trio": "AnyIO on Trio",
}
"""How the page names each runtime."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Figure:
    """One runtime's median on one measure, and its ratio to asyncio."""

    runtime: str
    """One of `RUNTIMES`."""
    median: float
    """The median in `unit`."""
    unit: str
    """The measure's unit."""
    ratio: float
    """Median of the per-round ratios value / asyncio's value (NaN for asyncio or no pairs)."""
    ratio_low: float
    """Lower end of the ratio's confidence interval."""
    ratio_high: float
    """Upper end."""
    better: str
    """`higher` or `lower`."""


def figures(summary: pd.DataFrame, workload: str, case: str, metric: str) -> dict[str, Figure]:
    """Runtime -> its `Figure` on one measure ({} if the summary lacks it)."""
    rows = summary[
        (summary["workload"] == workload)
        & (summary["case"] == case)
        & (summary["metric"] == metric)
        & (summary["n"] > 0)
    ]
    found = {}
    for _, row in rows.iterrows():
        runtime = str(row["runtime"])
        found[runtime] = Figure(
            runtime=runtime,
            median=float(row["median"]),
            unit=str(row["unit"]),
            ratio=math.nan if runtime == BASELINE else float(row["ratio"]),
            ratio_low=float(row["ratio_low"]),
            ratio_high=float(row["ratio_high"]),
            better=str(row["better"]),
        )
    return {runtime: found[runtime] for runtime in RUNTIMES if runtime in found}


_TIME_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def format_amount(value: float, unit: str) -> str:
    """`12 us`, `3.4 ms`, `2.5 KB`, `5,790 req/s`: an absolute figure in the handiest unit."""
    if math.isnan(value):
        return "-"
    if unit in _TIME_UNITS:
        seconds = value * _TIME_UNITS[unit]
        for name, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
            if abs(seconds) >= scale or name == "ns":
                return f"{seconds / scale:.3g} {name}"
    if unit == "bytes":
        return f"{value / 1000:.2g} KB" if abs(value) >= 1000 else f"{value:.0f} bytes"
    if unit == "ops/s":
        return f"{value:,.0f}/s"
    return f"{value:.3g} {unit}"


def ratio_words(figure: Figure) -> str:
    """The ratio as words that cannot be misread: `1.9x more bytes`, `2.1x the time`,
    `1.3x as much`, `about the same` (within 5%), or `no clear difference` when the ratio's
    confidence interval spans 1 (the per-round ratios point both ways)."""
    ratio = figure.ratio
    if math.isnan(ratio) or ratio <= 0:
        return "no paired rounds"
    if 0.95 <= ratio <= 1.05:
        return "about the same"
    if figure.ratio_low < 1 < figure.ratio_high:
        return "no clear difference"
    if figure.unit == "bytes":
        return f"{ratio:.2g}x more bytes" if ratio > 1 else f"{1 / ratio:.2g}x fewer bytes"
    if figure.unit in _TIME_UNITS:
        return f"{ratio:.2g}x the time" if ratio > 1 else f"{1 / ratio:.2g}x less time"
    return f"{ratio:.2g}x as much" if ratio > 1 else f"{1 / ratio:.2g}x less"


def describe_figure(figure: Figure) -> str:
    """`Trio 58 us (3.9x the time)`: the absolute figure, then the ratio in words. Ratios are
    the median of per-round paired ratios, so they can differ from the ratio of the medians."""
    label = RUNTIME_LABELS.get(figure.runtime, figure.runtime)
    amount = format_amount(figure.median, figure.unit)
    if figure.runtime == BASELINE:
        return f"{label} {amount}"
    return f"{label} {amount} ({ratio_words(figure)})"


def per_op_costs(summary: pd.DataFrame, workload: str, case: str, metric: str) -> dict[str, float]:
    """Runtime -> median of the measure in seconds (time units) or its own unit otherwise:
    the absolute cost to weigh beside the ratio."""
    return {
        runtime: figure.median * _TIME_UNITS.get(figure.unit, 1.0)
        for runtime, figure in figures(summary, workload, case, metric).items()
    }


def request_overhead(summary: pd.DataFrame) -> dict[str, float]:
    """Runtime -> milliseconds it adds to (or saves from, if negative) a request's median time
    against plain asyncio, in the `http_service` workload at light load (1 ms simulated DB
    call, a little CPU work, h11 parsing). Rules weigh this against a per-request budget."""
    found = figures(summary, "http_service", REQUEST_CASE, REQUEST_METRIC)
    if BASELINE not in found:
        return {}
    base = found[BASELINE].median
    return {runtime: figure.median - base for runtime, figure in found.items()}


def budget_share(summary: pd.DataFrame, runtime: str, budget_ms: float) -> float:
    """The share (0..) of a per-request time budget that `runtime` adds over asyncio
    (`request_overhead` / budget); NaN when the summary has no http_service figures."""
    overhead = request_overhead(summary)
    if runtime not in overhead or budget_ms <= 0:
        return math.nan
    return overhead[runtime] / budget_ms


def speedup(summary: pd.DataFrame, workload: str, case: str, metric: str, runtime: str) -> float:
    """The summary's oriented speedup (above 1 is better than asyncio), NaN if absent."""
    rows = summary[
        (summary["workload"] == workload)
        & (summary["case"] == case)
        & (summary["metric"] == metric)
        & (summary["runtime"] == runtime)
    ]
    return float(rows["speedup"].iloc[0]) if len(rows) else math.nan


def linearity(summary: pd.DataFrame, workload: str, metric: str) -> dict[str, float]:
    """Runtime -> per-task cost at the larger size / at the smaller (1 is perfectly linear),
    for a workload measured at two `tasks=` sizes with an otherwise equal case."""
    rows = summary[(summary["workload"] == workload) & (summary["metric"] == metric)]
    groups: dict[tuple[str, str], dict[int, float]] = {}
    for _, row in rows.iterrows():
        parts = dict(part.split("=", 1) for part in str(row["case"]).split(",") if "=" in part)
        if "tasks" not in parts:
            continue
        tasks = int(parts.pop("tasks"))
        rest = ",".join(f"{key}={value}" for key, value in sorted(parts.items()))
        groups.setdefault((str(row["runtime"]), rest), {})[tasks] = float(row["median"])
    result: dict[str, float] = {}
    for (runtime, rest), sizes in groups.items():
        if len(sizes) == 2:
            small, large = sorted(sizes)
            key = f"{runtime} {rest}".strip()
            result[key] = sizes[large] / sizes[small]
    return result
