"""Page assembly: the advisor page (full or embedded) and the methodology page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from advisor.errors import DataError
from advisor.ui import dependency_file, loaders
from advisor.ui.evidence import render_evidence
from advisor.ui.questionnaire import (
    answers_from_state,
    read_incoming,
    render_questionnaire,
    write_url,
)
from advisor.ui.result import (
    render_blockers,
    render_dependencies,
    render_flips,
    render_notices,
    render_reasons,
    render_verdict,
)
from advisor.ui.scan import render_code_scan
from advisor.ui.share import render_exports, render_share, share_link


def render_embedded() -> None:
    """The compact result for a wiki iframe: verdict, reasons, the main chart, a way out."""
    reading = read_incoming()
    answers = reading.answers
    query = answers.to_query()
    rec = loaders.recommendation_for(query)
    render_notices(reading.notices, ())
    render_verdict(rec)
    for reason in rec.reasons[:5]:
        st.markdown(f"- **{reason.title}** ([source]({reason.source}))")
    st.vega_lite_chart(loaders.reasons_chart_spec(query), width="stretch")
    st.link_button("Open the full advisor", share_link(answers))


def render_advisor() -> None:
    """The full page: questionnaire in the sidebar, the explained verdict in the main column."""
    reading = read_incoming()
    answers, invalid = answers_from_state()
    write_url(answers)
    query = answers.to_query()
    rec = dependency_file.recommendation(answers) or loaders.recommendation_for(query)
    st.title("Async Advisor")
    st.caption("asyncio, Trio or AnyIO? Answer in the sidebar; every reason is shown below.")
    render_notices(reading.notices, invalid)
    render_verdict(rec)
    render_code_scan()
    with st.sidebar:
        st.header("Your project")
        render_questionnaire(loaders.knowledge().catalog.names())
    render_blockers(rec)
    render_reasons(rec, query)
    render_flips(rec)
    render_dependencies(rec, query)
    render_evidence(answers)
    render_share(answers)
    render_exports(rec)


def main() -> None:
    """Validate the data at start-up, then route to the page asked for."""
    try:
        loaders.knowledge()
        loaders.evidence_guide()
    except DataError as error:
        st.error(f"Async Advisor cannot start: a data file is broken. {error}")
        st.stop()
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
