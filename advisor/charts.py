"""Altair chart builders: pure functions from domain data to `alt.Chart` (no Streamlit).

The page places these charts and the HTML export renders the very same specs, so what a wiki
page shows is what the app showed. Data is inlined in each spec, which keeps exports offline.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

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
    "anyio-uvloop": "AnyIO on asyncio + uvloop",
    "anyio-trio": "AnyIO on Trio",
}
"""Display names of the benchmarked runtimes."""

BASELINE_LABEL = "plain asyncio (the baseline, = 1)"
"""The legend entry of the baseline rule."""

BENCH_RUNTIME_COLORS = {
    "asyncio": "#4c78a8",
    "uvloop": "#72b7b2",
    "trio": "#e45756",
    "anyio-asyncio": "#54a24b",
    "anyio-uvloop": "#9ecae9",
    "anyio-trio": "#b279a2",
}


LABEL_WIDTH = 26
"""Characters per line of a wrapped axis label (rule titles, benchmark measures)."""

LABEL_LIMIT_PX = 170
"""An axis label's widest line in pixels: at 390 px (a phone) the bars keep half the width."""


def wrap_label(text: str, width: int = LABEL_WIDTH) -> str:
    """`text` wrapped into lines joined by "|" (the axis splits them: see `_WRAPPED_AXIS`)."""
    return "|".join(textwrap.wrap(text.replace("|", "/"), width)) or text


def _wrapped_axis() -> alt.Axis:
    return alt.Axis(
        labelExpr="split(datum.label, '|')", labelLimit=LABEL_LIMIT_PX, labelFontSize=11
    )


def _titled(title: str, provenance: Sequence[str] | None) -> alt.TitleParams:
    """A chart title with the provenance lines (machine, date, versions) as its subtitle."""
    if provenance:
        return alt.TitleParams(
            title, subtitle=list(provenance), subtitleFontSize=10, subtitleColor="#52606d"
        )
    return alt.TitleParams(title)


def build_reasons_chart(rec: Recommendation, provenance: Sequence[str] | None = None) -> alt.Chart:
    """How each fired rule moved each runtime's score (grouped horizontal bars).

    Rule titles wrap onto several lines beside the bars, so the chart stays readable from a
    phone (390 px) to a wide screen. `provenance`: subtitle lines for an exported image.
    """
    rows = [
        {
            "rule": wrap_label(reason.title),
            "title": reason.title,
            "rule_id": reason.rule_id,
            "runtime": RUNTIME_LABELS[runtime],
            "effect": reason.effect.on(runtime),
            "rationale": reason.rationale,
        }
        for reason in rec.reasons
        for runtime in Runtime
        if reason.effect.on(runtime)
    ]
    data = pd.DataFrame(
        rows, columns=["rule", "title", "rule_id", "runtime", "effect", "rationale"]
    )
    order = [wrap_label(reason.title) for reason in rec.reasons]
    labels = [RUNTIME_LABELS[r] for r in Runtime]
    chart: alt.Chart = (
        alt.Chart(data, title=_titled("How each rule moved the scores", provenance))
        .mark_bar()
        .encode(
            x=alt.X("effect:Q", title="points added (negative: taken away)"),
            y=alt.Y("rule:N", sort=order, title=None, axis=_wrapped_axis()),
            yOffset=alt.YOffset("runtime:N", sort=labels),
            color=alt.Color(
                "runtime:N",
                scale=alt.Scale(domain=labels, range=[RUNTIME_COLORS[r.value] for r in Runtime]),
                legend=alt.Legend(orient="bottom", title=None),
            ),
            tooltip=[
                alt.Tooltip("title:N", title="rule"),
                "rule_id:N",
                "runtime:N",
                "effect:Q",
                "rationale:N",
            ],
        )
        .properties(width="container", height=alt.Step(12))
    )
    return chart


def build_scores_chart(rec: Recommendation, provenance: Sequence[str] | None = None) -> alt.Chart:
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
        alt.Chart(data, title=_titled("Total scores", provenance))
        .mark_bar()
        .encode(
            x=alt.X("score:Q", title="total score (sum of the reasons' points)"),
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


METRIC_WORDS = {
    "round_trips_per_s": "round trips per second",
    "items_per_s": "items per second",
    "latency_p50": "median latency",
    "latency_p99": "p99 latency",
    "lateness_p50": "median timer lateness",
    "lateness_p99": "p99 timer lateness",
    "wall_time": "wall time",
    "cpu_time": "CPU time",
    "cpu_wait": "time waiting for a CPU",
    "overhead_ns": "timeout overhead per call",
    "scoped_ns": "call inside a timeout",
    "bare_ns": "call without a timeout",
    "rss_per_task": "resident memory per task",
    "traced_per_task": "Python-allocated memory per task",
}
"""Benchmark metric ids in words (an unknown id is shown with underscores as spaces)."""

_SCOPE_WORDS = {"cancel": "cancelling blocked tasks", "unfired": "a timeout that does not fire"}
_PROBE_WORDS = {"rss": "measured as RSS", "tracemalloc": "measured by tracemalloc"}


def _case_part(key: str, value: str) -> str:
    """One `key=value` of a case id in words (ValueError for a malformed number)."""
    if key == "conns":
        return f"{int(value):,} connection" + ("" if int(value) == 1 else "s")
    if key == "size":
        return f"{_bytes(float(value))} messages"
    if key == "tasks":
        return f"{int(value):,} tasks"
    if key == "capacity":
        return f"capacity {int(value):,}"
    if key == "scope":
        return _SCOPE_WORDS.get(value, value)
    if key == "probe":
        return _PROBE_WORDS.get(value, value)
    return f"{key}={value}"


def _bytes(value: float) -> str:
    for unit, size in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if abs(value) >= size:
            number = value / size
            return f"{number:.0f} {unit}" if number == int(number) else f"{number:.1f} {unit}"
    return f"{value:.0f} bytes"


def describe_case(case: str) -> str:
    """A benchmark case id in words: "conns=100,size=65536" -> "100 connections, 64 KiB
    messages"; unknown keys are kept as they are."""
    if case in ("", "-"):
        return ""
    parts: list[str] = []
    for item in case.split(","):
        key, _, value = item.partition("=")
        try:
            parts.append(_case_part(key, value))
        except ValueError:
            parts.append(item)
    return ", ".join(parts)


def describe_measure(case: str, metric: str) -> str:
    """One chart row's label in words: the case, then the metric."""
    words = METRIC_WORDS.get(metric, metric.replace("_", " "))
    described = describe_case(case)
    return f"{described}: {words}" if described else words[:1].upper() + words[1:]


_SI = ((1e9, "G"), (1e6, "M"), (1e3, "k"))


def format_quantity(value: float, unit: str) -> str:
    """An absolute measurement in readable units: 92877 ops/s -> "92.9k/s", 1644.7 us ->
    "1.64 ms", 0.0123 s -> "12.3 ms", 1536 bytes -> "1.5 KiB"."""
    if not math.isfinite(value):
        return "n/a"
    if unit == "ops/s":
        for size, prefix in _SI:
            if abs(value) >= size:
                return f"{value / size:.3g}{prefix}/s"
        return f"{value:.3g}/s"
    if unit == "bytes":
        return _bytes(value)
    seconds = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}.get(unit)
    if seconds is not None:
        value_s = value * seconds
        for size, name in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs")):
            if abs(value_s) >= size:
                return f"{value_s / size:.3g} {name}"
        return f"{value_s / 1e-9:.3g} ns"
    return f"{value:.3g} {unit}".strip()


ERROR_BAR_NOTE = (
    "Dot: median ratio to plain asyncio over the stored rounds; line: its 95% interval. "
    "Above 1 is better (faster, or less memory). Beside each dot: the measured value."
)
"""What the marks mean (the chart's subtitle, so it travels with an exported image)."""


def _axis_domain(low: pd.Series, high: pd.Series) -> list[float]:
    """A log axis that spans the data and 1 with a little room, not decades of empty space."""
    values = [v for v in [*low, *high, 1.0] if math.isfinite(v) and v > 0]
    lo, hi = min(values), max(values)
    return [lo / 1.25, hi * 1.6]  # room on the right for the value labels


def build_speedup_chart(
    rows: pd.DataFrame,
    title: str | None = None,
    *,
    baseline: pd.DataFrame | None = None,
    provenance: Sequence[str] | None = None,
) -> alt.LayerChart:
    """Each runtime relative to plain asyncio on one workload: medians with 95% intervals.

    `rows` are `advisor.benchmarks.summarize()` rows of one workload, without the asyncio
    baseline (columns case, metric, unit, runtime, speedup, speedup_low, speedup_high, median,
    n). `speedup` is oriented so that above 1 is always better than asyncio (faster, or less
    memory), whatever the metric's unit. `baseline`: the asyncio rows of the same measures,
    whose absolute values join the row labels. `provenance`: subtitle lines (machine, date,
    versions) for an exported image; the page states them once, below its charts.
    """
    asyncio_values: dict[tuple[str, str], str] = {}
    if baseline is not None:
        for case, metric, median, unit in zip(
            baseline["case"].astype(str),
            baseline["metric"].astype(str),
            baseline["median"].astype(float),
            baseline["unit"].astype(str),
            strict=True,
        ):
            asyncio_values[(case, metric)] = format_quantity(median, unit)
    measures = []
    for case, metric in zip(rows["case"].astype(str), rows["metric"].astype(str), strict=True):
        text = describe_measure(case, metric)
        if (case, metric) in asyncio_values:
            text += f" (asyncio {asyncio_values[(case, metric)]})"
        measures.append(text)
    data = pd.DataFrame(
        {
            "measure": [wrap_label(m, 30) for m in measures],
            "measure_text": measures,
            "runtime": rows["runtime"].map(lambda r: BENCH_RUNTIME_LABELS.get(r, r)).to_list(),
            "speedup": rows["speedup"].astype(float).to_list(),
            "low": rows["speedup_low"].astype(float).to_list(),
            "high": rows["speedup_high"].astype(float).to_list(),
            "value": [
                format_quantity(float(v), str(u))
                for v, u in zip(rows["median"], rows["unit"], strict=True)
            ],
            "n": rows["n"].astype(int).to_list(),
        }
    )
    data["label"] = [f"{v} ({s:.2g}x)" for v, s in zip(data["value"], data["speedup"], strict=True)]
    runtimes = [BENCH_RUNTIME_LABELS[r] for r in BENCH_RUNTIME_COLORS if r != "asyncio"]
    colors = [BENCH_RUNTIME_COLORS[r] for r in BENCH_RUNTIME_COLORS if r != "asyncio"]
    color = alt.Color(
        "runtime:N",
        scale=alt.Scale(
            domain=[*runtimes, BASELINE_LABEL], range=[*colors, BENCH_RUNTIME_COLORS["asyncio"]]
        ),
        legend=alt.Legend(orient="bottom", title=None, columns=2, symbolType="circle"),
    )
    order = list(dict.fromkeys(data["measure"]))
    base = alt.Chart(data).encode(
        y=alt.Y("measure:N", title=None, sort=order, axis=_wrapped_axis()),
        yOffset=alt.YOffset("runtime:N", sort=runtimes),
        color=color,
    )
    domain = _axis_domain(data["low"], data["high"]) if len(data) else [0.1, 10.0]
    scale = alt.Scale(type="log", domain=domain, nice=False)
    x = alt.X(
        "speedup:Q",
        title="ratio to plain asyncio (log scale; above 1 = better)",
        scale=scale,
        axis=alt.Axis(values=_ticks(domain), format="~g"),
    )
    points = base.mark_point(filled=True, size=50).encode(
        x=x,
        tooltip=[
            alt.Tooltip("measure_text:N", title="measure"),
            "runtime:N",
            alt.Tooltip("value:N", title="measured (median)"),
            alt.Tooltip("speedup:Q", format=".2f", title="ratio to asyncio"),
            alt.Tooltip("low:Q", format=".2f", title="95% interval low"),
            alt.Tooltip("high:Q", format=".2f", title="95% interval high"),
            alt.Tooltip("n:Q", title="rounds"),
        ],
    )
    intervals = base.mark_rule().encode(x=alt.X("low:Q", scale=scale), x2="high:Q")
    values = base.mark_text(align="left", dx=6, fontSize=9).encode(
        x=alt.X("high:Q", scale=scale), text="label:N"
    )
    rule = (
        alt.Chart(pd.DataFrame({"speedup": [1.0], "runtime": [BASELINE_LABEL]}))
        .mark_rule(strokeDash=[4, 3])
        .encode(x=alt.X("speedup:Q", scale=scale), color=color)
    )
    return alt.LayerChart(
        layer=[intervals, points, values, rule],
        width="container",
        height=alt.Step(11),
        title=alt.TitleParams(
            title or "",
            subtitle=[ERROR_BAR_NOTE, *(provenance or [])],
            subtitleFontSize=10,
            subtitleColor="#52606d",
        ),
    )


def _ticks(domain: list[float]) -> list[float]:
    """Readable log-axis ticks inside `domain` (1-2-3-5 steps)."""
    ticks = []
    for exponent in range(-4, 5):
        for mantissa in (1, 2, 3, 5):
            value = mantissa * 10.0**exponent
            if domain[0] <= value <= domain[1]:
                ticks.append(round(value, 6))
    return ticks
