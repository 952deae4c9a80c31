"""`catalog stale`: which catalog facts are due for re-checking, oldest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from advisor.catalog.model import Catalog, Library, Maturity

DEFAULT_MAX_AGE_DAYS = 180
"""Facts older than this are due for a re-check."""

EXPERIMENTAL_MAX_AGE_DAYS = 60
"""Experimental support changes faster: re-check it after this many days."""

RECENT_SUPPORT_DAYS = 365
"""Trio support younger than this (at checking time) is re-checked as early as experimental."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StaleFact:
    """One entry due for re-checking, and why."""

    library: Library
    """The entry."""
    age_days: int
    """Days since `checked_on`."""
    reason: str
    """Why it is due, in one phrase."""


def stale_facts(
    catalog: Catalog, today: dt.date, older_than_days: int = DEFAULT_MAX_AGE_DAYS
) -> list[StaleFact]:
    """Entries whose facts are due for re-checking on `today`, oldest check first.

    Due: checked more than `older_than_days` ago; or experimental, or with Trio support less
    than a year old when checked, and checked more than `EXPERIMENTAL_MAX_AGE_DAYS` ago (or
    `older_than_days`, if smaller).
    """
    fast = min(EXPERIMENTAL_MAX_AGE_DAYS, older_than_days)
    due: list[StaleFact] = []
    for library in catalog.libraries:
        age = (today - library.checked_on).days
        young = library.trio_support_age_days(library.checked_on)
        if age > older_than_days:
            reason = f"checked {age} days ago (limit {older_than_days})"
        elif library.maturity is Maturity.EXPERIMENTAL and age > fast:
            reason = f"experimental support checked {age} days ago (limit {fast})"
        elif young is not None and young < RECENT_SUPPORT_DAYS and age > fast:
            reason = f"Trio support {young} days old when checked {age} days ago (limit {fast})"
        else:
            continue
        due.append(StaleFact(library=library, age_days=age, reason=reason))
    due.sort(key=lambda fact: (-fact.age_days, fact.library.key))
    return due
