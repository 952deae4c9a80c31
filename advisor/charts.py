"""Altair chart builders: pure functions from domain data to `alt.Chart` (no Streamlit).

The page places these charts and the HTML export renders the very same specs, so what a wiki
page shows is what the app showed. Data is inlined in each spec, which keeps exports offline.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from advisor.recommendation import Recommendation
from advisor.report import RUNTIME_LABELS
from advisor.rules.model import Runtime

RUNTIME_COLORS = {
    "asyncio": "#4c78a8",
    "anyio": "#54a24b",
    "trio": "#e45756",
}
"""One colour per verdict runtime, used by every chart so a legend reads the same everywhere."""

BENCH_RUNTIME_LABELS = {
    "asyncio": "asyncio",
    "uvloop": "asyncio + uvloop",
    "trio": "Trio",
    "anyio-asyncio": "AnyIO on asyncio",
    "anyio-trio": "AnyIO on Trio",
}
"""Display names of the benchmarked runtimes."""

BENCH_RUNTIME_COLORS = {
    "asyncio": "#4c78a8",
    "uvloop": "#72b7b2",
    "trio": "#e45756",
    "anyio-asyncio": "#54a24b",
    "anyio-trio": "#b279a2",
}


def build_reasons_chart(rec: Recommendation) -> alt.Chart:
    """How each fired rule moved each runtime's score (grouped horizontal bars)."""
    rows = [
        {
            "rule": reason.title,
            "rule_id": reason.rule_id,
            "runtime": RUNTIME_LABELS[runtime],
            "effect": reason.effect.on(runtime),
            "rationale": reason.rationale,
        }
        for reason in rec.reasons
        for runtime in Runtime
        if reason.effect.on(runtime)
    ]
    data = pd.DataFrame(rows, columns=["rule", "rule_id", "runtime", "effect", "rationale"])
    order = [reason.title for reason in rec.reasons]
    labels = [RUNTIME_LABELS[r] for r in Runtime]
    chart: alt.Chart = (
        alt.Chart(data, title="How each rule moved the scores")
        .mark_bar()
        .encode(
            x=alt.X("effect:Q", title="points added (negative: taken away)"),
            y=alt.Y("rule:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
            yOffset=alt.YOffset("runtime:N", sort=labels),
            color=alt.Color(
                "runtime:N",
                scale=alt.Scale(domain=labels, range=[RUNTIME_COLORS[r.value] for r in Runtime]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=["rule:N", "rule_id:N", "runtime:N", "effect:Q", "rationale:N"],
        )
        .properties(width="container", height=alt.Step(9))
    )
    return chart


def build_scores_chart(rec: Recommendation) -> alt.Chart:
    """Each runtime's total score, with blocked runtimes marked."""
    data = pd.DataFrame(
        [
            {
                "runtime": RUNTIME_LABELS[r],
                "score": rec.scores.of(r),
                "status": "ruled out" if r in rec.blocked else "allowed",
            }
            for r in Runtime
        ]
    )
    labels = [RUNTIME_LABELS[r] for r in Runtime]
    chart: alt.Chart = (
        alt.Chart(data, title="Total scores")
        .mark_bar()
        .encode(
            x=alt.X("score:Q"),
            y=alt.Y("runtime:N", sort=labels, title=None),
            color=alt.Color(
                "runtime:N",
                scale=alt.Scale(domain=labels, range=[RUNTIME_COLORS[r.value] for r in Runtime]),
                legend=None,
            ),
            opacity=alt.Opacity(
                "status:N",
                scale=alt.Scale(domain=["allowed", "ruled out"], range=[1.0, 0.3]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=["runtime:N", "score:Q", "status:N"],
        )
        .properties(width="container", height=alt.Step(22))
    )
    return chart


def build_speedup_chart(rows: pd.DataFrame, title: str | None = None) -> alt.LayerChart:
    """Each runtime relative to plain asyncio on one workload: medians with 95% intervals.

    `rows` are `advisor.benchmarks.summarize()` rows of one workload, without the asyncio
    baseline. `speedup` is oriented so that above 1 is always better than asyncio (faster, or
    less memory), whatever the metric's unit.
    """
    data = pd.DataFrame(
        {
            "measure": rows["case"].astype(str) + " · " + rows["metric"].astype(str),
            "runtime": rows["runtime"].map(lambda r: BENCH_RUNTIME_LABELS.get(r, r)),
            "speedup": rows["speedup"].astype(float),
            "low": rows["speedup_low"].astype(float),
            "high": rows["speedup_high"].astype(float),
            "median": rows["median"].astype(float),
            "unit": rows["unit"].astype(str),
            "rel_iqr": rows["rel_iqr"].astype(float),
            "n": rows["n"].astype(int),
        }
    )
    labels = [BENCH_RUNTIME_LABELS[r] for r in BENCH_RUNTIME_COLORS if r != "asyncio"]
    colors = [BENCH_RUNTIME_COLORS[r] for r in BENCH_RUNTIME_COLORS if r != "asyncio"]
    color = alt.Color(
        "runtime:N",
        scale=alt.Scale(domain=labels, range=colors),
        legend=alt.Legend(orient="bottom", title=None),
    )
    base = alt.Chart(data).encode(
        y=alt.Y("measure:N", title=None, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("runtime:N", sort=labels),
        color=color,
    )
    x = alt.X(
        "speedup:Q",
        title="relative to plain asyncio (above 1 = better)",
        scale=alt.Scale(type="log"),
    )
    points = base.mark_point(filled=True, size=60).encode(
        x=x,
        tooltip=[
            "measure:N",
            "runtime:N",
            alt.Tooltip("speedup:Q", format=".2f"),
            alt.Tooltip("low:Q", format=".2f", title="95% CI low"),
            alt.Tooltip("high:Q", format=".2f", title="95% CI high"),
            alt.Tooltip("median:Q", format=".4g"),
            "unit:N",
            alt.Tooltip("rel_iqr:Q", format=".1%", title="relative IQR"),
            "n:Q",
        ],
    )
    intervals = base.mark_rule().encode(x=alt.X("low:Q"), x2="high:Q")
    baseline = (
        alt.Chart(pd.DataFrame({"speedup": [1.0]}))
        .mark_rule(strokeDash=[4, 3], color="#4c78a8")
        .encode(x="speedup:Q")
    )
    chart = alt.LayerChart(
        layer=[intervals, points, baseline], width="container", height=alt.Step(10)
    )
    return chart.properties(title=title) if title else chart
