"""The verdict and everything that explains it: reasons, blockers, flips, dependencies.

Text from the data files, the model and the user goes through `plain()` (every Markdown
metacharacter escaped, so no link, image or shortcode can appear) or into `st.text` and
`st.dataframe` cells, which never render Markup. Links are shown only for validated https URLs.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from advisor.answers import Answers, Notice
from advisor.recommendation import Recommendation
from advisor.report import format_effect, verdict_sentence
from advisor.rules.model import Runtime
from advisor.ui import loaders
from advisor.ui.questionnaire import apply_answers, original_answers, restore_original
from advisor.ui.tables import LINK_DISPLAY, blockers_frame
from advisor.ui.text import plain
from advisor.wording import (
    CATALOG_CONFIDENCE_MEANINGS,
    GRADE_MEANINGS,
    RUNTIME_LABELS,
    SUPPORT_MEANINGS,
    HeadlineKind,
    assumed_words,
    decision_lines,
    flip_sentence,
    headline,
)

SHOWN_FLIPS = 6
"""Flips shown open; the rest are folded."""
FLIP_KINDS = {
    "answer": "A different answer",
    "swap": "A dependency swapped for a catalogued alternative",
    "firm-up": "What would make the verdict clear",
}
"""The caption over each group of flips, by `Flip.kind`."""
FOLDED_FROM = 4
"""A dependency table longer than this starts folded."""
TABLE_WIDTH = 890
"""The column widths of each table add up to this (pixels): the main column is about 900 px
wide in a 1,400 px window with the sidebar open, so no table scrolls sideways there. Long prose
is cut in its cell (a click shows it whole); the short columns and the link come first."""


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
            for line in decision_lines(rec):
                st.markdown(f"- {plain(line)}")
            if rec.confidence_reason:
                st.markdown(f"**Why {head.grade}:** {plain(rec.confidence_reason)}")
            if blocked and head.kind is HeadlineKind.NONE_RUNS_ALL:
                st.markdown("**Ruled out:** " + plain("; ".join(blocked)) + ".")
            assumed = assumed_words(rec)
            if assumed:
                st.markdown("**Assumed (left at the default):** " + plain("; ".join(assumed)) + ".")
            if rec.firm_up:
                st.markdown("**To firm this up, answer:** " + plain(rec.firm_up))
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


def render_legend() -> None:
    """What the grades, the support codes and the catalog's confidence mean."""
    with st.expander("What the grades and codes mean"):
        st.markdown(
            "**Grades** (how sure the verdict is):\n"
            + "\n".join(f"- **{grade}**: {text}" for grade, text in GRADE_MEANINGS.items())
        )
        st.markdown(
            "**Support codes** (how a library runs on asyncio or Trio, from the catalog):\n"
            + "\n".join(f"- **{code}**: {text}" for code, text in SUPPORT_MEANINGS.items())
        )
        st.markdown(
            "**Catalog confidence** (how sure a library fact is; the dependency table's "
            "“checked” column gives the version, the day and this level):\n"
            + "\n".join(
                f"- **{level}**: {text}" for level, text in CATALOG_CONFIDENCE_MEANINGS.items()
            )
        )
        st.markdown(
            "**Scores**: each reason adds or takes points from asyncio, Trio and AnyIO; a "
            "factor (dependencies, team, workload, ...) counts once however many reasons "
            "restate it. The grade compares the margin with how soft the deciding factors are."
        )


def render_reasons(rec: Recommendation, query: str) -> None:
    """The reasons: the chart of every rule's effect, and the folded table with sources."""
    st.subheader("Why")
    if not rec.reasons:
        st.write("No rule applies to these answers.")
        return
    st.vega_lite_chart(loaders.reasons_chart_spec(query), width="stretch")
    with st.expander(f"All {len(rec.reasons)} reasons, with their sources"):
        st.dataframe(
            loaders.reasons_table(query),
            hide_index=True,
            width="stretch",
            column_config={
                "effect": st.column_config.TextColumn("effect", width=120),
                "reason": st.column_config.TextColumn("reason", width=220),
                "source": st.column_config.LinkColumn(
                    "source", display_text=LINK_DISPLAY, width=220
                ),
                "factor": st.column_config.TextColumn("factor", width=90),
                "rationale": st.column_config.TextColumn("rationale", width=240),
                # Shown through the table's "show/hide columns" menu.
                "condition": {"label": "condition", "width": 300, "hidden": True},
            },
        )


def render_blockers(rec: Recommendation) -> None:
    """Hard constraints in one box: one row per dependency, each shared sentence once."""
    if not rec.blockers:
        return
    frame = blockers_frame(rec)
    note_width = TABLE_WIDTH - 440 - (120 if "pulled in by" in frame.columns else 0)
    with st.container(key="blockers", border=True):
        st.markdown("#### Ruled out by your dependencies")
        for line in blocked_by(rec):
            st.markdown(f"- {plain(line)}")
        st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            column_config={
                "dependency": st.column_config.TextColumn("dependency", width=130),
                "rules out": st.column_config.TextColumn("rules out", width=90),
                "evidence": st.column_config.LinkColumn(
                    "evidence", display_text=LINK_DISPLAY, width=220
                ),
                "pulled in by": st.column_config.TextColumn("pulled in by", width=120),
                "note": st.column_config.TextColumn("note", width=note_width),
            },
        )
        shared = sorted({(b.runtime, b.unless) for b in rec.blockers if b.unless})
        for runtime, unless in shared:
            st.caption(f"{RUNTIME_LABELS[runtime]}: unless {plain(unless)}.")


def render_flips(rec: Recommendation) -> None:
    """What would change the verdict, as sentences; each one applies in place on a click."""
    st.subheader("What would change this")
    if not rec.flips:
        st.write("No single change to the answers would change the verdict.")
        return
    st.caption(
        "Apply changes the answers in this page (the link follows); “Back to your answers” "
        "undoes it."
    )
    flips = rec.flips  # the model orders them: actionable answers first, then swaps, firm-ups
    kind = ""
    for index, flip in enumerate(flips):
        if index == SHOWN_FLIPS:
            more = st.expander(f"{len(flips) - SHOWN_FLIPS} more changes")
        target = more if index >= SHOWN_FLIPS else st.container()
        if flip.kind != kind and len({f.kind for f in flips}) > 1:
            kind = flip.kind
            target.caption(FLIP_KINDS.get(kind, kind))
        text, button = target.columns([6, 1], vertical_alignment="center")
        text.markdown(plain(flip_sentence(flip)))
        button.button(
            "Apply",
            key=f"flip_{index}",
            on_click=apply_answers,
            args=(Answers.from_query(flip.query),),
            help=f"Answers: ?{flip.query}",
        )


def render_dependencies(rec: Recommendation, query: str) -> None:
    """Each dependency's asyncio and Trio support with its evidence link (folded when long)."""
    st.subheader("Your dependencies")
    if not rec.dependencies:
        st.write("No dependencies given. Add them in the sidebar, or paste a requirements file.")
        return
    unknown = [dep.name for dep in rec.dependencies if not dep.known]
    counts = f"{len(rec.dependencies)} dependencies"
    if unknown:
        counts += f", {len(unknown)} not in the catalog"
    with st.expander(
        f"Support of each dependency ({counts})", expanded=len(rec.dependencies) <= FOLDED_FROM
    ):
        st.dataframe(
            loaders.dependencies_table(query),
            hide_index=True,
            width="stretch",
            column_config={
                "dependency": st.column_config.TextColumn("dependency", width=120),
                "asyncio": st.column_config.TextColumn("asyncio", width=65),
                "Trio": st.column_config.TextColumn("Trio", width=105),
                "evidence": st.column_config.LinkColumn(
                    "evidence", display_text=LINK_DISPLAY, width=200
                ),
                "checked": st.column_config.TextColumn("checked", width=180),
                "note": st.column_config.TextColumn("note", width=220),
            },
        )
    if unknown:
        st.caption(
            f"{len(unknown)} not in the catalog (treated as unknown, not as asyncio-only): "
            + plain(", ".join(unknown))
        )


def reasons_for_embed(rec: Recommendation, limit: int = 3) -> pd.DataFrame:
    """The heaviest reasons as a small frame (title and effect), for the compact embed."""
    return pd.DataFrame(
        [{"reason": r.title, "effect": format_effect(r.effect)} for r in rec.reasons[:limit]],
        columns=["reason", "effect"],
    )
