"""Markdown tables of a benchmark store, for release notes (a script, not a test).

    .venv/bin/python tests/perf/bench_report.py [--store data/benchmarks] [--previous DIR]

Per served Python version: every headline measure with each runtime's absolute median and its
ratio to asyncio in words; the http_service latencies and rates at each offered load; the
linearity of cancel and memory between their two sizes; with --previous (an older run folder),
the same measures then and now for the app's Python version.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from advisor.benchmarks import RUNTIMES, load_summary_for
from advisor.benchmarks.figures import (
    REQUEST_CASE,
    describe_figure,
    figures,
    format_amount,
    linearity,
    ratio_words,
    request_overhead,
)
from advisor.benchmarks.store import served_runs

MEASURES = (
    ("http_service", REQUEST_CASE, "max_requests_per_s"),
    ("http_service", REQUEST_CASE, "p50_ms_at_25"),
    ("tcp_echo", "conns=1,size=1024", "round_trips_per_s"),
    ("tcp_echo", "conns=10,size=1024", "round_trips_per_s"),
    ("tcp_echo", "conns=100,size=1024", "round_trips_per_s"),
    ("spawn", "tasks=10000", "wall_time"),
    ("timers", "tasks=10000", "lateness_p99"),
    ("channel", "capacity=100", "items_per_s"),
    ("cancel", "scope=unfired", "overhead_ns"),
    ("cancel", "scope=cancel,tasks=10000", "per_task_us"),
    ("cancel", "scope=cancel,tasks=20000", "per_task_us"),
    ("memory", "wait=event,tasks=10000,probe=rss", "rss_per_task"),
    ("memory", "wait=timeout,tasks=10000,probe=rss", "rss_per_task"),
    ("memory", "wait=event,tasks=10000,probe=tracemalloc", "traced_per_task"),
    ("startup", "-", "wall_time"),
)


def _cell(summary: pd.DataFrame, measure: tuple[str, str, str], runtime: str) -> str:
    found = figures(summary, *measure)
    if runtime not in found:
        return "-"
    figure = found[runtime]
    amount = format_amount(figure.median, figure.unit)
    if runtime == "asyncio":
        return amount
    interval = ""
    if not math.isnan(figure.ratio_low):
        interval = f", ratio {figure.ratio:.2f} [{figure.ratio_low:.2f}-{figure.ratio_high:.2f}]"
    return f"{amount} ({ratio_words(figure)}{interval})"


def measures_table(summary: pd.DataFrame) -> str:
    """One row per measure, one column per runtime."""
    lines = [
        "| measure | " + " | ".join(RUNTIMES) + " |",
        "|---|" + "---|" * len(RUNTIMES),
    ]
    for measure in MEASURES:
        cells = [_cell(summary, measure, runtime) for runtime in RUNTIMES]
        lines.append(f"| {measure[0]} {measure[1]} {measure[2]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def http_table(summary: pd.DataFrame) -> str:
    """Offered and achieved rates and latency percentiles at each load, per runtime."""
    lines = [
        "| runtime | max req/s | load | offered/s | achieved/s | p50 | p99 | p99.9 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for runtime in RUNTIMES:
        maximum = figures(summary, "http_service", REQUEST_CASE, "max_requests_per_s")
        if runtime not in maximum:
            continue
        for load in (25, 50, 80):
            values = []
            for metric in ("offered_per_s", "achieved_per_s", "p50_ms", "p99_ms", "p999_ms"):
                found = figures(summary, "http_service", REQUEST_CASE, f"{metric}_at_{load}")
                figure = found.get(runtime)
                values.append(format_amount(figure.median, figure.unit) if figure else "-")
            lines.append(
                f"| {runtime} | {maximum[runtime].median:,.0f} | {load}% | "
                + " | ".join(values)
                + " |"
            )
    overhead = request_overhead(summary)
    lines.append("")
    lines.append(
        "Per-request time added over asyncio at 25% load (median): "
        + "; ".join(f"{runtime} {value:+.3f} ms" for runtime, value in overhead.items())
    )
    return "\n".join(lines)


def linearity_lines(summary: pd.DataFrame) -> str:
    """Per-task cost at the larger size over the smaller, per runtime and case."""
    parts = []
    for workload, metric in (("cancel", "per_task_us"), ("memory", "rss_per_task")):
        ratios = linearity(summary, workload, metric)
        parts.append(
            f"- {workload} {metric}: "
            + ", ".join(f"{key} {value:.2f}" for key, value in sorted(ratios.items()))
        )
    return "\n".join(parts)


def main() -> int:
    """Print the report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=Path("data/benchmarks"))
    parser.add_argument("--previous", type=Path, default=None)
    args = parser.parse_args()
    for minor in served_runs(args.store):
        summary, meta = load_summary_for(args.store, minor)
        print(
            f"\n### Python {meta.python_version}: {meta.date}, {meta.rounds} rounds, "
            f"{meta.duration_s} s, load during {list(meta.load_during)}, median cpu_wait "
            f"{meta.cpu_wait_median}%\n"
        )
        print(measures_table(summary))
        print()
        print(http_table(summary))
        print()
        print(linearity_lines(summary))
    if args.previous is not None:
        old, old_meta = load_summary_for(args.previous)
        new, _ = load_summary_for(args.store, old_meta.minor)
        print(f"\n### Previous run ({old_meta.date}) against now, Python {old_meta.minor}\n")
        for measure in MEASURES:
            before = figures(old, *measure)
            after = figures(new, *measure)
            if not before:
                continue
            print(
                f"- {' '.join(measure)}: before "
                + "; ".join(describe_figure(f) for f in before.values())
                + " | now "
                + "; ".join(describe_figure(f) for f in after.values())
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
