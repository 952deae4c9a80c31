"""Everything under the verdict that explains it: reasons, blockers, flips, dependencies.

Text from the data files, the model and the user goes through `plain()` (every Markdown
metacharacter escaped, so no link, image or shortcode can appear) or into `st.text` and
`st.dataframe` cells, which never render Markup. Links are shown only for validated https URLs.
"""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

from advisor.answers import Answers
from advisor.recommendation import Recommendation
from advisor.ui import page_data
from advisor.ui.questionnaire import apply_answers
from advisor.ui.tables import LINK_DISPLAY
from advisor.ui.text import plain
from advisor.ui.verdict import blocked_by
from advisor.wording import (
    CATALOG_CONFIDENCE_MEANINGS,
    GRADE_MEANINGS,
    RUNTIME_LABELS,
    SUPPORT_MEANINGS,
    flip_sentence,
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
    st.vega_lite_chart(page_data.reasons_chart_spec(rec), width="stretch")
    # Lazy: the table is built and sent only while the fold is open (opening it reruns).
    fold = st.expander(
        f"All {len(rec.reasons)} reasons, with their sources",
        key="reasons_fold",
        on_change="rerun",
    )
    if fold.open:
        fold.dataframe(
            page_data.reasons_table(rec),
            hide_index=True,
            width="stretch",
            column_config=REASON_COLUMNS,
        )


def render_blockers(rec: Recommendation) -> None:
    """Hard constraints in one box: one row per dependency, each shared sentence once."""
    if not rec.blockers:
        return
    frame = page_data.blockers_table(rec)
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
            page_data.dependencies_table(rec),
            hide_index=True,
            width="stretch",
            column_config=DEPENDENCY_COLUMNS,
        )
    if unknown:
        st.caption(
            f"{len(unknown)} not in the catalog (treated as unknown, not as asyncio-only): "
            + plain(", ".join(unknown))
        )
