"""Share link, wiki embed snippet, and exports (Markdown, HTML, JSON, PNG, SVG)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

import streamlit as st

from advisor.answers import Answers
from advisor.charts import build_reasons_chart, build_scores_chart, build_speedup_chart
from advisor.evidence import matched_workloads, relevant_workloads, shown_rows
from advisor.recommendation import Recommendation
from advisor.report import to_markdown
from advisor.ui import page_data
from advisor.ui.evidence import provenance_lines
from advisor.ui.public_url import base_url

EXPORT_FOLD_KEY = "export_fold"
"""The embed-and-export fold's key (its open state lives in session state)."""


def share_link(answers: Answers, base: str) -> str:
    """The canonical link that reproduces these answers, under the public `base` URL."""
    return f"{base}?{answers.to_query()}"


def embed_snippet(answers: Answers, base: str) -> str:
    """An iframe tag for a wiki page; clipboard-write lets the copy buttons work inside it."""
    # The query is URL-encoded and the base validated; only characters that could end the
    # attribute are encoded (an `&amp;` would break the snippet's copy-paste comparisons).
    src = f"{base}?{answers.to_query()}&embed=true"
    src = src.replace('"', "%22").replace("<", "%3C").replace(">", "%3E")
    return (
        f'<iframe src="{src}" width="800" height="600" style="border:0" '
        'allow="clipboard-write" title="Async Advisor recommendation"></iframe>'
    )


def render_share(rec: Recommendation) -> None:
    """Right under the verdict: the copyable share link; embed snippet and exports folded.

    The fold's content is built and sent only while it is open (opening it reruns): its chart
    selector and download buttons cost every rerun about 2 ms on the server (a warm AppTest
    rerun went from about 3.0x to 2.6x a minimal app's) and the browser a syntax highlighter.
    """
    base = base_url()
    with st.container(key="share"):
        st.caption("Share link (opens this exact recommendation; copy with the icon):")
        st.code(share_link(rec.answers, base), language=None, wrap_lines=True)
        fold = st.expander(
            "Embed in a wiki, or export (Markdown, HTML, JSON, charts)",
            key=EXPORT_FOLD_KEY,
            on_change="rerun",
        )
        if fold.open:
            with fold:
                st.caption("Embed in a wiki page (iframe, 800 × 600):")
                st.code(embed_snippet(rec.answers, base), language="html", wrap_lines=True)
                render_exports(rec, base)


def report_charts(rec: Recommendation) -> list[tuple[str, Any]]:
    """The charts the HTML report carries: the page's own builders, the scoring charts first,
    then the benchmarks that match the answers (most relevant first, at most three)."""
    builders = chart_builders(rec)
    titles = ["How each rule moved the scores", "Total scores"]
    guide = page_data.evidence_guide()
    matched = matched_workloads(rec.answers, guide)
    titles += [
        guide.workloads[w].title
        for w in relevant_workloads(rec.answers, guide)
        if w in matched and guide.workloads[w].title in builders
    ][:3]
    return [(title, builders[title]()) for title in titles]


def chart_builders(rec: Recommendation) -> dict[str, Callable[[], Any]]:
    """Every chart the page can show, by title, each built only when asked for.

    The inputs are read here, in the script run (they are cached); the builders themselves are
    pure, because a download callable runs in another thread.
    """
    answers_line = [f"Async Advisor, answers: ?{rec.answers.to_query()}"]
    builders: dict[str, Callable[[], Any]] = {
        "How each rule moved the scores": lambda: build_reasons_chart(rec, answers_line),
        "Total scores": lambda: build_scores_chart(rec, answers_line),
    }
    loaded = page_data.bench_summary()
    if not isinstance(loaded, str):
        summary, guide = loaded[0], page_data.evidence_guide()
        provenance = provenance_lines(loaded[1])
        for workload, text in guide.workloads.items():
            builders[text.title] = lambda w=workload, title=text.title: build_speedup_chart(
                shown_rows(summary, w, guide),
                title,
                baseline=page_data.baseline_rows(summary, w, guide),
                provenance=provenance,
            )
    return builders


def _exporters() -> ModuleType:
    """advisor.exports, imported on the first download (it loads vl-convert), not on the first
    render."""
    return importlib.import_module("advisor.exports")


def render_exports(rec: Recommendation, base: str) -> None:
    """Download buttons; each file is generated on click (PNG/HTML take 0.1-0.5 s), not on
    every rerun."""
    link = share_link(rec.answers, base)
    exports: list[tuple[str, Callable[[], str | bytes], str, str, str]] = [
        (
            "Markdown",
            lambda: to_markdown(
                rec,
                link,
                [
                    (title, _exporters().chart_png(chart, 1.0))
                    for title, chart in report_charts(rec)
                ],
            ),
            "async-advisor.md",
            "text/markdown",
            "md",
        ),
        (
            "HTML report",
            lambda: _exporters().to_html(rec, report_charts(rec), link),
            "async-advisor.html",
            "text/html",
            "html",
        ),
        (
            "JSON",
            lambda: _exporters().to_json(rec),
            "async-advisor.json",
            "application/json",
            "json",
        ),
    ]
    charts = chart_builders(rec)
    chosen = st.selectbox("Chart to download", options=list(charts), key="export_chart")
    build_chart = charts[chosen]
    stem = "async-advisor-" + "-".join(chosen.lower().split())[:40]
    exports += [
        (
            "Chart PNG",
            lambda: _exporters().chart_png(build_chart()),
            f"{stem}.png",
            "image/png",
            "png",
        ),
        (
            "Chart SVG",
            lambda: _exporters().chart_svg(build_chart()),
            f"{stem}.svg",
            "image/svg+xml",
            "svg",
        ),
    ]
    for column, (label, build, file_name, mime, key) in zip(
        st.columns(len(exports)), exports, strict=True
    ):
        column.download_button(
            label, data=build, file_name=file_name, mime=mime, key=f"export_{key}"
        )
