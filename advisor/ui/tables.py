"""The page's tables as data frames, built from a Recommendation (no Streamlit calls).

Cells are plain text (st.dataframe never renders Markdown or HTML); link columns hold only
validated https URLs (else an empty cell), shown through `LINK_DISPLAY`.
"""

from __future__ import annotations

import pandas as pd

from advisor.recommendation import Recommendation
from advisor.report import format_effect
from advisor.wording import RUNTIME_LABELS, https_url

LINK_DISPLAY = r"https://(?:www\.)?([^?#]{1,34})"
"""A link column's display text: host and path without the scheme (a JS regular expression
whose capture group is shown), so a source reads as `docs.python.org/3/library/asyncio-task`
instead of a rule id, and fits its column.

Columns are ordered so that the short ones and the link come first and the long prose last: at
1,400 px every column up to the link is on screen, and only the prose is cut (a click on a cell
shows it whole)."""


def reasons_frame(rec: Recommendation) -> pd.DataFrame:
    """One row per fired rule: effect, title, rationale, factor, condition, source."""
    return pd.DataFrame(
        [
            {
                "effect": format_effect(reason.effect),
                "reason": reason.title,
                "rationale": reason.rationale,
                "factor": reason.factor,
                "condition": reason.condition,
                "source": https_url(reason.source) or "",
            }
            for reason in rec.reasons
        ],
        columns=["effect", "reason", "source", "factor", "rationale", "condition"],
    )


def _trio(dep_trio: str, since: str | None) -> str:
    return dep_trio + (f" (since {since})" if since else "")


def dependencies_frame(rec: Recommendation) -> pd.DataFrame:
    """One row per dependency: support on each runtime, the evidence, when it was checked (version,
    day, the catalog's confidence and maturity), and the note."""
    rows = []
    for dep in rec.dependencies:
        note = dep.note if dep.known else "Not in the catalog: support unknown."
        if dep.inferred_from:
            note += f" (Support inferred from {dep.inferred_from}.)"
        if dep.range_note:
            note += f" {dep.range_note}"
        if dep.recent_trio_support and dep.trio_since_date:
            note += f" Trio support is recent (since {dep.trio_since_date})."
        if dep.alternatives:
            note += f" Alternatives: {', '.join(dep.alternatives)}."
        name = dep.name
        if dep.via:
            name += f" (via {' → '.join(dep.via)})"
        if dep.role != "runtime":
            name += f" [{dep.role}]"
        if dep.library_role in ("test-plugin", "tooling", "runtime"):
            name += f" ({dep.library_role})"
        rows.append(
            {
                "dependency": name,
                "asyncio": dep.asyncio,
                "Trio": _trio(dep.trio, dep.trio_since),
                "note": note,
                "checked": " · ".join(
                    str(x)
                    for x in (dep.checked_version, dep.checked_on, dep.confidence, dep.maturity)
                    if x and dep.known
                ),
                "evidence": https_url(dep.evidence) or "",
            }
        )
    return pd.DataFrame(
        rows,
        columns=["dependency", "asyncio", "Trio", "evidence", "checked", "note"],
    )


def blockers_frame(rec: Recommendation) -> pd.DataFrame:
    """One row per blocking dependency: the runtimes it rules out, its chain, note, evidence."""
    first = {}
    ruled: dict[str, list[str]] = {}
    for blocker in rec.blockers:
        first.setdefault(blocker.dependency, blocker)
        labels = ruled.setdefault(blocker.dependency, [])
        if RUNTIME_LABELS[blocker.runtime] not in labels:
            labels.append(RUNTIME_LABELS[blocker.runtime])
    frame = pd.DataFrame(
        [
            {
                "dependency": name,
                "rules out": ", ".join(ruled[name]),
                "pulled in by": " → ".join(blocker.via),
                "note": blocker.note,
                "evidence": https_url(blocker.evidence) or "",
            }
            for name, blocker in first.items()
        ],
        columns=["dependency", "rules out", "evidence", "pulled in by", "note"],
    )
    if not frame["pulled in by"].any():
        frame = frame.drop(columns="pulled in by")  # every blocker is a direct dependency
    return frame
