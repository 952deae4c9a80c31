"""The verdict and everything that explains it: reasons, blockers, flips, dependencies.

Text from the data files, the model and the user goes through `plain()` (every Markdown
metacharacter escaped, so no link, image or shortcode can appear) or into `st.text` and
`st.dataframe` cells, which never render Markup. Links are shown only for validated https URLs.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import streamlit as st

from advisor.answers import Answers, Notice
from advisor.recommendation import Recommendation
from advisor.report import verdict_sentence
from advisor.rules.model import Runtime
from advisor.ui import loaders
from advisor.ui.questionnaire import apply_answers, original_answers, restore_original
from advisor.ui.tables import LINK_DISPLAY
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


# Column settings are built once: each st.column_config call costs a little on every rerun.
REASON_COLUMNS: dict[str, Any] = {
    "effect": st.column_config.TextColumn("effect", width=120),
    "reason": st.column_config.TextColumn("reason", width=220),
    "source": st.column_config.LinkColumn("source", display_text=LINK_DISPLAY, width=220),
    "factor": st.column_config.TextColumn("factor", width=90),
    "rationale": st.column_config.TextColumn("rationale", width=240),
    # Shown through the table's "show/hide columns" menu.
    "condition": {"label": "condition", "width": 300, "hidden": True},
}
DEPENDENCY_COLUMNS: dict[str, Any] = {
    "dependency": st.column_config.TextColumn("dependency", width=120),
    "asyncio": st.column_config.TextColumn("asyncio", width=65),
    "Trio": st.column_config.TextColumn("Trio", width=105),
    "evidence": st.column_config.LinkColumn("evidence", display_text=LINK_DISPLAY, width=200),
    "checked": st.column_config.TextColumn("checked", width=180),
    "note": st.column_config.TextColumn("note", width=220),
}


@functools.lru_cache(maxsize=4)
def _blocker_columns(note_width: int) -> dict[str, Any]:
    return {
        "dependency": st.column_config.TextColumn("dependency", width=130),
        "rules out": st.column_config.TextColumn("rules out", width=90),
        "evidence": st.column_config.LinkColumn("evidence", display_text=LINK_DISPLAY, width=220),
        "pulled in by": st.column_config.TextColumn("pulled in by", width=120),
        "note": st.column_config.TextColumn("note", width=note_width),
    }


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


LEGEND = "\n\n".join(
    [
        "**Grades** (how sure the verdict is):\n"
        + "\n".join(f"- **{grade}**: {text}" for grade, text in GRADE_MEANINGS.items()),
        "**Support codes** (how a library runs on asyncio or Trio, from the catalog):\n"
        + "\n".join(f"- **{code}**: {text}" for code, text in SUPPORT_MEANINGS.items()),
        "**Catalog confidence** (how sure a library fact is; the dependency table's "
        "“checked” column gives the version, the day and this level):\n"
        + "\n".join(
            f"- **{level}**: {text}" for level, text in CATALOG_CONFIDENCE_MEANINGS.items()
        ),
        "**Scores**: each reason adds or takes points from asyncio, Trio and AnyIO; a factor "
        "(dependencies, team, workload, ...) counts once however many reasons restate it. The "
        "grade compares the margin with how soft the deciding factors are.",
    ]
)
"""The legend's text (our own words only, so Markdown is safe)."""


def render_legend() -> None:
    """What the grades, the support codes and the catalog's confidence mean."""
    with st.expander("What the grades and codes mean"):
        st.markdown(LEGEND)


def render_reasons(rec: Recommendation) -> None:
    """The reasons: the chart of every rule's effect, and the folded table with sources."""
    st.subheader("Why")
    if not rec.reasons:
        st.write("No rule applies to these answers.")
        return
    st.vega_lite_chart(loaders.reasons_chart_spec(rec), width="stretch")
    # Lazy: the table is built and sent only while the fold is open (opening it reruns).
    fold = st.expander(
        f"All {len(rec.reasons)} reasons, with their sources",
        key="reasons_fold",
        on_change="rerun",
    )
    if fold.open:
        fold.dataframe(
            loaders.reasons_table(rec),
            hide_index=True,
            width="stretch",
            column_config=REASON_COLUMNS,
        )


def render_blockers(rec: Recommendation) -> None:
    """Hard constraints in one box: one row per dependency, each shared sentence once."""
    if not rec.blockers:
        return
    frame = loaders.blockers_table(rec)
    note_width = TABLE_WIDTH - 440 - (120 if "pulled in by" in frame.column_names else 0)
    with st.container(key="blockers", border=True):
        st.markdown(
            "#### Ruled out by your dependencies\n"
            + "\n".join(f"- {plain(line)}" for line in blocked_by(rec))
        )
        st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            column_config=_blocker_columns(note_width),
        )
        shared = sorted({(b.runtime, b.unless) for b in rec.blockers if b.unless})
        if shared:
            st.caption(
                "  \n".join(f"{RUNTIME_LABELS[r]}: unless {plain(unless)}." for r, unless in shared)
            )


def render_flips(rec: Recommendation) -> None:
    """What would change the verdict, as sentences; a click on one applies it in this page.

    Each flip is one button whose label is its sentence (one element per flip keeps a rerun
    cheap); the model orders them, actionable answers first, and a caption names each kind.
    """
    st.subheader("What would change this")
    if not rec.flips:
        st.write("No single change to the answers would change the verdict.")
        return
    st.caption(
        "Click a change to apply it here (the link follows); “Back to your answers” undoes it."
    )
    kinds = len({flip.kind for flip in rec.flips})
    kind = ""
    target = st.container()
    for index, flip in enumerate(rec.flips):
        if index == SHOWN_FLIPS:
            target = st.expander(f"{len(rec.flips) - SHOWN_FLIPS} more changes")
        if flip.kind != kind and kinds > 1:
            kind = flip.kind
            target.caption(FLIP_KINDS.get(kind, kind))
        target.button(
            plain(flip_sentence(flip)),
            key=f"flip_{index}",
            on_click=apply_answers,
            args=(_flip_answers(flip.query),),
            icon=":material/arrow_forward:",
            type="tertiary",
            help=f"Apply this change here. Answers: ?{flip.query}",
        )


@functools.lru_cache(maxsize=1024)
def _flip_answers(query: str) -> Answers:
    return Answers.from_query(query)


def render_dependencies(rec: Recommendation) -> None:
    """Each dependency's asyncio and Trio support with its evidence link (folded when long)."""
    st.subheader("Your dependencies")
    if not rec.dependencies:
        st.write("No dependencies given. Add them in the sidebar, or paste a requirements file.")
        return
    unknown = [dep.name for dep in rec.dependencies if not dep.known]
    counts = f"{len(rec.dependencies)} dependencies"
    if unknown:
        counts += f", {len(unknown)} not in the catalog"
    fold = st.expander(
        f"Support of each dependency ({counts})",
        expanded=len(rec.dependencies) <= FOLDED_FROM,
        key="dependencies_fold",
        on_change="rerun",
    )
    if fold.open:
        fold.dataframe(
            loaders.dependencies_table(rec),
            hide_index=True,
            width="stretch",
            column_config=DEPENDENCY_COLUMNS,
        )
    if unknown:
        st.caption(
            f"{len(unknown)} not in the catalog (treated as unknown, not as asyncio-only): "
            + plain(", ".join(unknown))
        )
