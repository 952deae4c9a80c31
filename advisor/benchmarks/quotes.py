"""The benchmark figures that rule rationales quote, computed from the stored summary.

Rules live in `data/rules/*.toml` and their rationales quote benchmark figures in words
("1.2x the requests per second", "2.5 KB per idle task"). `quoted_figures` computes, from a
summary, the exact text of every figure each quoting rule should contain; a test checks each
rationale against it, so a rerun that moves a figure fails the test until the sentence is
rewritten. `figure_problems` is the check itself, usable from any test.

The figures come from one run (the served run for the app's Python version); ratios are the
medians of per-round ratios to plain asyncio, written the way `figures.ratio_words` writes them
(never an inverted "0.53x").
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from advisor.benchmarks.figures import (
    REQUEST_CASE,
    figures,
    format_amount,
    ratio_words,
    request_overhead,
)

QUOTING_RULES: tuple[str, ...] = (
    "perf-critical-uvloop",
    "perf-critical-anyio-layer",
    "large-server",
    "cli-startup",
    "cli-startup-api",
)
"""Rule ids whose rationale quotes stored benchmark figures."""


def _words(summary: pd.DataFrame, workload: str, case: str, metric: str, runtime: str) -> str:
    """The ratio to asyncio in words (`figures.ratio_words`): "2.7x less", "4.1x the time",
    "no clear difference"."""
    found = figures(summary, workload, case, metric)
    return ratio_words(found[runtime]) if runtime in found else "n/a"


def _median(summary: pd.DataFrame, workload: str, case: str, metric: str, runtime: str) -> str:
    found = figures(summary, workload, case, metric)
    if runtime not in found:
        return "n/a"
    return format_amount(found[runtime].median, found[runtime].unit)


def _added_ms(summary: pd.DataFrame, runtime: str) -> str:
    overhead = request_overhead(summary).get(runtime, math.nan)
    return "n/a" if math.isnan(overhead) else f"{overhead:+.1f} ms"


def quoted_figures(summary: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Rule id -> figure name -> the exact text the rationale should contain."""
    http = REQUEST_CASE
    echo = "conns=10,size=1024"
    rss = "wait=event,tasks=10000,probe=rss"
    cancel = "scope=cancel,tasks=10000"
    return {
        "perf-critical-uvloop": {
            "uvloop echo": _words(summary, "tcp_echo", echo, "round_trips_per_s", "uvloop"),
            "uvloop max requests": _words(
                summary, "http_service", http, "max_requests_per_s", "uvloop"
            ),
            "uvloop added per request": _added_ms(summary, "uvloop"),
            # One fact (asyncio on uvloop measured fastest, Trio slower): one rule says both.
            "trio echo": _words(summary, "tcp_echo", echo, "round_trips_per_s", "trio"),
            "trio channel": _words(summary, "channel", "capacity=100", "items_per_s", "trio"),
            "trio cancel": _words(summary, "cancel", cancel, "per_task_us", "trio"),
            "trio added per request": _added_ms(summary, "trio"),
        },
        "perf-critical-anyio-layer": {
            "anyio echo": _words(summary, "tcp_echo", echo, "round_trips_per_s", "anyio-asyncio"),
            "anyio spawn": _words(summary, "spawn", "tasks=10000", "wall_time", "anyio-asyncio"),
            "anyio added per request": _added_ms(summary, "anyio-asyncio"),
        },
        "large-server": {
            "asyncio idle task": _median(summary, "memory", rss, "rss_per_task", "asyncio"),
            "trio idle task": _median(summary, "memory", rss, "rss_per_task", "trio"),
            "anyio idle task": _median(summary, "memory", rss, "rss_per_task", "anyio-asyncio"),
        },
        "cli-startup": {
            "asyncio start-up": _median(summary, "startup", "-", "cpu_time", "asyncio"),
            "anyio start-up": _median(summary, "startup", "-", "cpu_time", "anyio-asyncio"),
            "trio start-up": _median(summary, "startup", "-", "cpu_time", "trio"),
        },
        "cli-startup-api": {
            "asyncio start-up": _median(summary, "startup", "-", "cpu_time", "asyncio"),
            "anyio start-up": _median(summary, "startup", "-", "cpu_time", "anyio-asyncio"),
        },
    }


def figure_problems(rationales: Mapping[str, str], summary: pd.DataFrame) -> list[str]:
    """One sentence per quoting rule whose rationale lacks a figure it should quote (or that
    is missing); [] when every quoted figure matches the stored summary."""
    problems = []
    for rule, expected in quoted_figures(summary).items():
        text = rationales.get(rule)
        if text is None:
            problems.append(f"rule {rule!r} is missing")
            continue
        for name, figure in expected.items():
            if figure not in text:
                problems.append(f"rule {rule!r}: {name} should read {figure!r}")
    return problems
