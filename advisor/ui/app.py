"""Page assembly: the advisor page (full or embedded) and the methodology page.

Only what the verdict needs is imported here: the questionnaire's reading of the link, the
verdict and the welcome. A browser's first run pauses after the verdict so it is painted alone
(advisor/ui/first_paint.py), so on a cold server the verdict is drawn before pandas, pyarrow or
altair are imported (about 0.8 s); the sections under the verdict, the embed and the code scan
import them when first drawn (`render_details`).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from advisor.answers import Answers
from advisor.errors import DataError
from advisor.recommendation import Recommendation
from advisor.ui import dependency_file, first_paint, loaders
from advisor.ui.public_url import base_url
from advisor.ui.questionnaire import (
    answers_from_state,
    has_something_to_decide,
    read_incoming,
    render_questionnaire,
    write_url,
)
from advisor.ui.text import plain
from advisor.ui.verdict import render_back_to_original, render_notices, render_verdict
from advisor.ui.welcome import render_welcome


def render_embedded() -> None:
    """The compact result for a wiki iframe, within 800 x 600: the name, the verdict with its
    grade and reason, the blockers by name, the top reasons and the way out; the chart below."""
    from advisor.ui import page_data  # imported on first use: see the module docstring
    from advisor.ui.share import share_link

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
        st.vega_lite_chart(page_data.reasons_chart_spec(rec), width="stretch")


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
        if first_paint.pause_after_verdict():
            # A browser's first run: the verdict has been painted alone. This run skipped the
            # benchmark evidence guide's check so far (main); it is made before drawing it.
            _check_page_data()
        render_details(rec, answers)
    else:
        render_welcome()
        _render_code_scan()
    with st.sidebar:
        st.header("Your project")
        render_questionnaire(loaders.knowledge().catalog.names())


def render_details(rec: Recommendation, answers: Answers) -> None:
    """Everything under the verdict: code scan, share and exports, legend, blockers, flips,
    reasons, dependencies and the stored benchmarks.

    Imported when first drawn, not with this module: these sections need pandas, pyarrow and
    altair, which the verdict does without (a cold server draws the verdict first).
    """
    from advisor.ui.evidence import render_evidence
    from advisor.ui.result import (
        render_blockers,
        render_dependencies,
        render_flips,
        render_legend,
        render_reasons,
    )
    from advisor.ui.share import render_share

    _render_code_scan()
    render_share(rec)
    render_legend()
    render_blockers(rec)
    render_flips(rec)
    render_reasons(rec)
    render_dependencies(rec)
    render_evidence(answers)


def _check_page_data() -> None:
    from advisor.ui import page_data  # imported on first use: see the module docstring

    try:
        page_data.evidence_guide()
    except DataError as error:
        st.error(f"Async Advisor cannot show the rest of the page: a data file is broken. {error}")
        st.stop()


def _render_code_scan() -> None:
    from advisor.ui.scan import render_code_scan  # advisor.scan, imported on first use

    render_code_scan()


def main() -> None:
    """Validate the data, then route to the page asked for.

    A run that pauses after the verdict (a browser's first) validates what the verdict needs,
    the catalog, rules and policy, and checks the benchmark evidence guide after the pause,
    before drawing what uses it; every other run validates both before anything is drawn.
    """
    first_paint.begin_run()
    try:
        loaders.knowledge()
        if not first_paint.may_pause_after_verdict():
            from advisor.ui import page_data  # imported on first use: see the module docstring

            page_data.evidence_guide()
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
