"""Hypothesis strategies and settings shared by the unit tests."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st

from advisor.answers import (
    Answers,
    Cancel,
    Codebase,
    Experience,
    Kind,
    Perf,
    PythonVersion,
    Scale,
    Team,
    Workload,
)

FAST = settings(max_examples=200, deadline=None, database=None)
"""Enough examples to find codec and parser mistakes, few enough to keep the suite fast."""

SLOW = settings(max_examples=60, deadline=None, database=None)
"""For properties that call `recommend()` many times per example."""

pypi_names = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,18}[A-Za-z0-9])?", fullmatch=True)
"""Syntactically valid PyPI project names (PEP 508), in any case and separator style."""


def answers(
    deps: st.SearchStrategy[str] = pypi_names, max_deps: int = 8
) -> st.SearchStrategy[Answers]:
    """Any valid `Answers`, every field drawn from its whole domain."""
    return st.builds(
        Answers,
        deps=st.lists(deps, max_size=max_deps).map(tuple),
        workload=st.frozensets(st.sampled_from(Workload)),
        scale=st.sampled_from(Scale),
        perf=st.sampled_from(Perf),
        exp_asyncio=st.sampled_from(Experience),
        exp_trio=st.sampled_from(Experience),
        team=st.sampled_from(Team),
        codebase=st.sampled_from(Codebase),
        kind=st.sampled_from(Kind),
        python=st.sampled_from(PythonVersion),
        cancel=st.sampled_from(Cancel),
    )
