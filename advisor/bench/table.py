"""The summary table printed at the end of a run: medians, spread and speedups against asyncio.

One line per (workload, case, headline metric); one column per runtime. The baseline's column
gives its median and relative IQR; every other column gives the speedup over the baseline
(above 1 is better, whichever way the metric points) with its confidence interval, then the
runtime's own relative IQR. The full table, every metric included, is what
`advisor.benchmarks.summarize` returns; this is its digest for a terminal.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from typing import Any

import pandas as pd

from advisor.benchmarks import BASELINE, RUNTIMES


def format_value(value: float, unit: str) -> str:
    """Three significant digits with a k/M suffix for large numbers, then the unit."""
    if math.isnan(value):
        return "-"
    magnitude = abs(value)
    if magnitude >= 1e6:
        text = f"{value / 1e6:.3g}M"
    elif magnitude >= 1e4:
        text = f"{value / 1e3:.3g}k"
    else:
        text = f"{value:.3g}"
    return f"{text} {unit}"


def _spread(rel_iqr: float) -> str:
    return "" if math.isnan(rel_iqr) else f" ±{rel_iqr:.0%}"


def _cell(row: pd.Series) -> str:
    failed = f" ({row['failed']} failed)" if row["failed"] else ""
    if row["n"] == 0:
        return "failed" + failed
    if row["runtime"] == BASELINE:
        return format_value(row["median"], row["unit"]) + _spread(row["rel_iqr"]) + failed
    if math.isnan(row["speedup"]):
        return "no pairs" + _spread(row["rel_iqr"]) + failed
    speedup = "-".join(_times(row[key]) for key in ("speedup_low", "speedup_high"))
    return f"{_times(row['speedup'])}x [{speedup}]" + _spread(row["rel_iqr"]) + failed


def _times(factor: float) -> str:
    """Two decimals, or two significant digits below 0.1 (so 0.0045 does not print as 0.00)."""
    return f"{factor:.2f}" if factor >= 0.1 else f"{factor:.2g}"


def format_summary_table(
    summary: pd.DataFrame, headline: Collection[tuple[str, str, str]] | None = None
) -> str:
    """The digest of `summarize`'s frame; `headline` limits it to those (workload, case,
    metric)."""
    runtimes: Sequence[str] = [
        runtime for runtime in RUNTIMES if runtime in set(summary["runtime"].astype("str"))
    ]
    header = [
        "workload",
        "case",
        "metric",
        *[f"{r} (median)" if r == BASELINE else r for r in runtimes],
    ]
    lines: list[list[str]] = []
    keys = ["workload", "case", "metric"]
    for (workload, case, metric), group in summary.groupby(keys, sort=False, observed=True):
        if headline is not None and (str(workload), str(case), str(metric)) not in headline:
            continue
        cells = {str(row["runtime"]): _cell(row) for _, row in group.iterrows()}
        lines.append(
            [str(workload), str(case), str(metric), *[cells.get(r, "-") for r in runtimes]]
        )
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    rendered = [
        "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip()
        for line in [header, *lines]
    ]
    legend = (
        f"{BASELINE}: median and relative IQR. Others: speedup over {BASELINE} (above 1 is "
        "better: more throughput, less time or memory), the median of the per-round ratios "
        "with its confidence interval (at least 95% from 6 rounds; with fewer, the range of "
        "the ratios), then the runtime's own relative IQR."
    )
    return "\n".join([*rendered, "", legend])


def format_comparison(
    ours: tuple[pd.DataFrame, Any],
    theirs: tuple[pd.DataFrame, Any],
    ours_name: str,
    theirs_name: str,
) -> str:
    """Each headline ratio in both runs and how far apart they are (host-to-host spread)."""
    keys = ["workload", "case", "metric", "runtime"]
    left = ours[0][ours[0]["runtime"] != BASELINE].set_index(keys)["speedup"]
    right = theirs[0][theirs[0]["runtime"] != BASELINE].set_index(keys)["speedup"]
    joined = pd.concat([left.rename("ours"), right.rename("theirs")], axis=1, join="inner").dropna()
    header = ["workload", "case", "metric", "runtime", ours_name, theirs_name, "theirs/ours"]
    lines = [
        [str(w), str(c), str(m), str(r), f"{a:.2f}x", f"{b:.2f}x", f"{b / a:.2f}"]
        for (w, c, m, r), a, b in zip(joined.index, joined["ours"], joined["theirs"], strict=True)
        if m not in ("cpu_time", "cpu_wait")
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    rendered = [
        "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip()
        for line in [header, *lines]
    ]
    spread = [abs(b / a - 1) for a, b in zip(joined["ours"], joined["theirs"], strict=True) if a]
    median = sorted(spread)[len(spread) // 2] if spread else math.nan
    legend = (
        f"Speedups over {BASELINE} (above 1 is better) in each run; ours is "
        f"{ours[1].python} on {ours[1].cpu}, theirs {theirs[1].python} on {theirs[1].cpu}. "
        f"Median difference between the two: {median:.0%}."
    )
    return "\n".join([*rendered, "", legend])
