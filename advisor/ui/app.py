"""Page assembly: the advisor page (full or embedded) and the methodology page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from advisor.errors import DataError
from advisor.ui import dependency_file, first_paint, loaders
from advisor.ui.evidence import render_evidence
from advisor.ui.public_url import base_url
from advisor.ui.questionnaire import (
    answers_from_state,
    has_something_to_decide,
    read_incoming,
    render_questionnaire,
    write_url,
)
from advisor.ui.result import (
    render_back_to_original,
    render_blockers,
    render_dependencies,
    render_flips,
    render_legend,
    render_notices,
    render_reasons,
    render_verdict,
)
from advisor.ui.scan import render_code_scan
from advisor.ui.share import render_share, share_link
from advisor.ui.text import plain
from advisor.ui.welcome import render_welcome


def render_embedded() -> None:
    """The compact result for a wiki iframe, within 800 x 600: the name, the verdict with its
    grade and reason, the blockers by name, the top reasons and the way out; the chart below."""
    reading = read_incoming()
    answers = reading.answers
    query = answers.to_query()
    rec = loaders.recommendation_for(query)
    st.markdown("**Async Advisor** · asyncio, Trio or AnyIO for this project")
    render_notices(reading.notices, ())
    render_verdict(rec, compact=True)
    if rec.reasons:
        st.markdown(
            "**Top reasons:** " + "; ".join(plain(reason.title) for reason in rec.reasons[:3])
        )
    st.link_button("Open the full advisor", share_link(answers, base_url()))
    if rec.reasons:
        st.vega_lite_chart(loaders.reasons_chart_spec(rec), width="stretch")


def render_advisor() -> None:
    """The full page: questionnaire in the sidebar; the verdict, then what explains it."""
    reading = read_incoming()
    answers, invalid = answers_from_state()
    write_url(answers)
    query = answers.to_query()
    st.title("Async Advisor")
    st.caption("asyncio, Trio or AnyIO? Answer in the sidebar; every reason is shown below.")
    render_notices(reading.notices, invalid)
    if has_something_to_decide(answers):
        # The verdict is computed and sent before the questionnaire is drawn: a share link
        # shows its verdict sooner.
        # With a dependency file read, its pins and project context refine the verdict.
        rec = dependency_file.recommendation(answers) or loaders.recommendation_for(query)
        render_back_to_original(answers)
        render_verdict(rec)
        if first_paint.stop_after_verdict():
            return  # a browser's first run: the verdict is painted alone, the rest follows
        render_code_scan()
        render_share(rec)
        render_legend()
        render_blockers(rec)
        render_flips(rec)
        render_reasons(rec)
        render_dependencies(rec)
        render_evidence(answers)
    else:
        render_welcome()
        render_code_scan()
    with st.sidebar:
        st.header("Your project")
        render_questionnaire(loaders.knowledge().catalog.names())


def main() -> None:
    """Validate the data at start-up, then route to the page asked for."""
    try:
        loaders.knowledge()
        loaders.evidence_guide()
    except DataError as error:
        st.error(f"Async Advisor cannot start: a data file is broken. {error}")
        st.stop()
    first_paint.begin_run()
    if st.context.is_embedded:
        render_embedded()
        return
    page = st.navigation(
        [
            st.Page(render_advisor, title="Advisor", icon="⚖️", default=True),
            st.Page(
                Path(__file__).with_name("methodology_page.py"),
                title="Methodology",
                icon="📚",
                url_path="methodology",
            ),
        ]
    )
    page.run()
