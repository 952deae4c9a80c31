"""The verdict and everything that explains it: reasons, blockers, flips, dependencies."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from advisor.answers import Notice
from advisor.recommendation import Recommendation
from advisor.report import RUNTIME_LABELS, verdict_sentence
from advisor.ui import loaders
from advisor.ui.text import plain

CERTAINTY_LABELS = {"clear": "clear choice", "lean": "leaning", "toss-up": "toss-up"}


def render_notices(notices: Sequence[Notice], invalid_names: Sequence[str]) -> None:
    """One notice for the whole link: each bad parameter, why, and what it allows.

    The lines quote the link's own text, so they go through `st.text` (never Markdown):
    escaping is not enough, because Markdown turns a bare `http://...` into a live link.
    """
    lines = [notice.message for notice in notices]
    lines += [
        f"'{name}' is not a valid PyPI project name and was left out of the answers."
        for name in invalid_names
    ]
    if lines:
        with st.container(key="notices"):
            st.warning(
                "Some of this link's answers could not be used; every other answer was kept:",
                icon="⚠️",
            )
            st.text("\n".join(lines))


def render_verdict(rec: Recommendation) -> None:
    """The verdict, named first, inside the `verdict` container that tests and wikis find."""
    with st.container(key="verdict", border=True):
        label = RUNTIME_LABELS[rec.verdict]
        st.markdown(f"## {label} · {CERTAINTY_LABELS[rec.certainty.value]}")
        st.markdown(verdict_sentence(rec))
        st.caption(
            "Scores: "
            + ", ".join(f"{RUNTIME_LABELS[r]} {rec.scores.of(r):.1f}" for r in RUNTIME_LABELS)
            + f" · margin {rec.margin:.1f}"
        )


def render_reasons(rec: Recommendation, query: str) -> None:
    """Every rule that fired, with its effect, rationale and source; then the chart."""
    st.subheader("Why")
    st.dataframe(
        loaders.reasons_table(query),
        hide_index=True,
        width="stretch",
        column_config={"source": st.column_config.LinkColumn("source")},
    )
    st.vega_lite_chart(loaders.reasons_chart_spec(query), width="stretch")


def render_blockers(rec: Recommendation) -> None:
    """Hard constraints, each naming the dependency and its evidence."""
    if not rec.blockers:
        return
    st.subheader("Blockers")
    for blocker in rec.blockers:
        unless = f" Unless {blocker.unless}." if blocker.unless else ""
        st.error(
            f"**{plain(blocker.dependency)}** rules out {RUNTIME_LABELS[blocker.runtime]}: "
            f"{plain(blocker.note)} [evidence]({blocker.evidence}).{plain(unless)}"
        )


def render_flips(rec: Recommendation) -> None:
    """The smallest changes that would change the verdict, each a link that applies it."""
    st.subheader("What would change this")
    if not rec.flips:
        st.write("No single change to the answers would change the verdict.")
        return
    lines = [
        f"- [{plain(flip.change)} → {RUNTIME_LABELS[flip.verdict]}](?{flip.query})"
        for flip in rec.flips[:12]
    ]
    st.markdown("\n".join(lines))
    if len(rec.flips) > 12:
        st.caption(f"…and {len(rec.flips) - 12} more single changes.")


def render_dependencies(rec: Recommendation, query: str) -> None:
    """Each dependency's asyncio and Trio support with its evidence link."""
    st.subheader("Your dependencies")
    if not rec.dependencies:
        st.write("No dependencies given. Add them above, or paste a requirements file.")
        return
    st.dataframe(
        loaders.dependencies_table(query),
        hide_index=True,
        width="stretch",
        column_config={"evidence": st.column_config.LinkColumn("evidence")},
    )
    unknown = [dep.name for dep in rec.dependencies if not dep.known]
    if unknown:
        st.caption(
            f"{len(unknown)} not in the catalog (treated as unknown, not as asyncio-only): "
            + plain(", ".join(unknown))
        )
