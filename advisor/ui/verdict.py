"""The verdict box, and what is drawn above it: the link's notices and the way back to the
answers before an applied flip.

A browser session's first run draws this, then pauses so it is painted alone
(advisor/ui/first_paint.py), so it imports nothing that needs pandas, pyarrow or altair. Text
from the data files, the model and the user goes through `plain()` (every Markdown
metacharacter escaped) or `st.text`.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from advisor.answers import Answers, Notice
from advisor.recommendation import Recommendation
from advisor.report import verdict_sentence
from advisor.rules.model import Runtime
from advisor.ui.questionnaire import original_answers, restore_original
from advisor.ui.text import plain
from advisor.wording import (
    RUNTIME_LABELS,
    HeadlineKind,
    assumed_words,
    decision_lines,
    headline,
)


def render_notices(notices: Sequence[Notice], invalid_names: Sequence[str]) -> None:
    """One notice for the whole link: each bad parameter, why, and what it allows.

    The lines quote the link's own text, so they go through `st.text` (never Markdown).
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


def blocked_by(rec: Recommendation) -> list[str]:
    """Per ruled-out runtime, the dependencies that rule it out, e.g. "Trio: asyncpg, uvicorn"."""
    lines = []
    for runtime in Runtime:
        names = sorted({b.dependency for b in rec.blockers if b.runtime is runtime})
        if names:
            lines.append(f"{RUNTIME_LABELS[runtime]} is ruled out by {', '.join(names)}")
    return lines


def render_verdict(rec: Recommendation, *, compact: bool = False) -> None:
    """The verdict, named first, inside the `verdict` container that tests and wikis find.

    The big words come from `headline()`: they never name a ruled-out runtime or one that
    scored lower, say so when nothing runs every dependency, and call a tie a tie.
    """
    head = headline(rec)
    with st.container(key="verdict", border=True):
        level = "###" if compact else "##"
        if head.kind is HeadlineKind.NONE_RUNS_ALL:
            st.markdown(f"{level} {head.title}")
        else:
            st.markdown(f"{level} {head.title} · {head.grade}")
        st.markdown(plain(verdict_sentence(rec)))
        blocked = blocked_by(rec)
        if compact:
            _render_compact_explanation(rec, head.grade, blocked, head.kind)
        else:
            parts = [f"- {plain(line)}" for line in decision_lines(rec)]
            if rec.confidence_reason:
                parts.append(f"**Why {head.grade}:** {plain(rec.confidence_reason)}")
            if blocked and head.kind is HeadlineKind.NONE_RUNS_ALL:
                parts.append("**Ruled out:** " + plain("; ".join(blocked)) + ".")
            assumed = assumed_words(rec)
            if assumed:
                parts.append(
                    "**Assumed (left at the default):** " + plain("; ".join(assumed)) + "."
                )
            if rec.firm_up:
                parts.append("**To firm this up, answer:** " + plain(rec.firm_up))
            if parts:
                st.markdown("\n\n".join(parts))
        if not compact:
            st.caption(
                "Scores (the sum of the points each reason below adds; a higher score is "
                "better): "
                + ", ".join(f"{RUNTIME_LABELS[r]} {rec.scores.of(r):.1f}" for r in Runtime)
                + f" · margin over the runner-up {rec.margin:.1f}"
            )


def _render_compact_explanation(
    rec: Recommendation, grade: str, blocked: list[str], kind: HeadlineKind
) -> None:
    """The embed's explanation in small print: decisions, why the grade, what was assumed."""
    lines = decision_lines(rec)
    if rec.confidence_reason:
        lines.append(f"Why {grade}: {rec.confidence_reason}")
    if blocked and kind is HeadlineKind.NONE_RUNS_ALL:
        lines.append("Ruled out: " + "; ".join(blocked) + ".")
    assumed = assumed_words(rec, short=True)
    if assumed:
        lines.append("Assumed: " + ", ".join(assumed) + ".")
    if lines:
        st.caption("  \n".join(plain(line) for line in lines))


def render_back_to_original(current: Answers) -> None:
    """After a flip was applied: one click back to the answers before it."""
    original = original_answers(current)
    if original is None:
        return
    st.button(
        "↩ Back to your answers",
        key="restore_original",
        on_click=restore_original,
        help="Undo the applied changes: " + original.to_query(),
    )
