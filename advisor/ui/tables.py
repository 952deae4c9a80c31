"""The page's tables as data frames, built from a Recommendation (no Streamlit calls)."""

from __future__ import annotations

import pandas as pd

from advisor.recommendation import Recommendation
from advisor.report import format_effect


def reasons_frame(rec: Recommendation) -> pd.DataFrame:
    """One row per fired rule: effect, title, rationale, condition, source."""
    return pd.DataFrame(
        [
            {
                "effect": format_effect(reason.effect),
                "reason": reason.title,
                "rationale": reason.rationale,
                "condition": reason.condition,
                "source": reason.source,
            }
            for reason in rec.reasons
        ],
        columns=["effect", "reason", "rationale", "condition", "source"],
    )


def dependencies_frame(rec: Recommendation) -> pd.DataFrame:
    """One row per dependency: support on each runtime, the note and the evidence."""
    return pd.DataFrame(
        [
            {
                "dependency": dep.name,
                "asyncio": dep.asyncio,
                "Trio": dep.trio + (f" (since {dep.trio_since})" if dep.trio_since else ""),
                "note": dep.note if dep.known else "Not in the catalog: support unknown.",
                "checked": f"{dep.checked_version} on {dep.checked_on}" if dep.known else "",
                "confidence": dep.confidence or "",
                "evidence": dep.evidence or "",
            }
            for dep in rec.dependencies
        ],
        columns=["dependency", "asyncio", "Trio", "note", "checked", "confidence", "evidence"],
    )
