"""Share link, wiki embed snippet, and exports (Markdown, HTML, JSON, PNG, SVG)."""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

from advisor.answers import Answers
from advisor.charts import build_reasons_chart, build_scores_chart
from advisor.exports import chart_png, chart_svg, to_html, to_json
from advisor.recommendation import Recommendation
from advisor.report import to_markdown

BASE_URL_ENV = "ADVISOR_PUBLIC_URL"
DEFAULT_BASE_URL = "http://127.0.0.1:8501/"


def public_base_url() -> str:
    """Where people reach the app (set ADVISOR_PUBLIC_URL when serving it to a wiki).

    Not `st.context.url`: that is None under AppTest and, inside a same-origin iframe, the
    wiki page's own address.
    """
    base = os.environ.get(BASE_URL_ENV, DEFAULT_BASE_URL).strip() or DEFAULT_BASE_URL
    return base if base.endswith("/") else base + "/"


def share_link(answers: Answers) -> str:
    """The canonical link that reproduces these answers."""
    return f"{public_base_url()}?{answers.to_query()}"


def embed_snippet(answers: Answers) -> str:
    """An iframe tag for a wiki page; clipboard-write lets the copy buttons work inside it."""
    src = f"{public_base_url()}?{answers.to_query()}&embed=true"
    return (
        f'<iframe src="{src}" width="800" height="600" style="border:0" '
        'allow="clipboard-write" title="Async Advisor recommendation"></iframe>'
    )


def render_share(answers: Answers) -> None:
    """The copyable share link and embed snippet."""
    st.subheader("Share and embed")
    st.caption("Share link (opens this exact recommendation):")
    st.code(share_link(answers), language=None, wrap_lines=True)
    st.caption("Embed in a wiki page (iframe):")
    st.code(embed_snippet(answers), language="html", wrap_lines=True)


def report_charts(rec: Recommendation) -> list[tuple[str, Any]]:
    """The charts the HTML report carries: the same builders the page uses."""
    return [
        ("How each rule moved the scores", build_reasons_chart(rec)),
        ("Total scores", build_scores_chart(rec)),
    ]


def render_exports(rec: Recommendation) -> None:
    """Download buttons; each file is generated on click (PNG/HTML take 0.1-0.5 s), not on
    every rerun."""
    st.subheader("Export")
    link = share_link(rec.answers)
    columns = st.columns(5)
    columns[0].download_button(
        "Markdown",
        data=lambda: to_markdown(rec, link),
        file_name="async-advisor.md",
        mime="text/markdown",
        key="export_markdown",
    )
    columns[1].download_button(
        "HTML report",
        data=lambda: to_html(rec, report_charts(rec), link),
        file_name="async-advisor.html",
        mime="text/html",
        key="export_html",
    )
    columns[2].download_button(
        "JSON",
        data=lambda: to_json(rec),
        file_name="async-advisor.json",
        mime="application/json",
        key="export_json",
    )
    columns[3].download_button(
        "Chart PNG",
        data=lambda: chart_png(build_reasons_chart(rec)),
        file_name="async-advisor-reasons.png",
        mime="image/png",
        key="export_png",
    )
    columns[4].download_button(
        "Chart SVG",
        data=lambda: chart_svg(build_reasons_chart(rec)),
        file_name="async-advisor-reasons.svg",
        mime="image/svg+xml",
        key="export_svg",
    )
