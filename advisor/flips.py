"""Counterfactuals: the smallest single-answer changes that would change the verdict.

"Smallest" means one parameter at a time: dropping one dependency, adding or removing one
workload, or moving one choice. For ordered choices (experience, scale, team, Python) only the
nearest flipping value in each direction is kept, since "exp_trio=2" already implies what
"exp_trio=3" would do.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

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
from advisor.recommendation import Flip
from advisor.rules.model import Runtime

VerdictOf = Callable[[Answers, str, tuple[int, ...] | None], Runtime]
"""Verdict for changed answers, given the parameter changed and, for `deps`, the positions of
the dependencies kept (None: all kept)."""

_ORDERED: tuple[tuple[str, type[Enum]], ...] = (
    ("exp_asyncio", Experience),
    ("exp_trio", Experience),
    ("scale", Scale),
    ("team", Team),
    ("python", PythonVersion),
)
_UNORDERED: tuple[tuple[str, type[Enum]], ...] = (
    ("perf", Perf),
    ("codebase", Codebase),
    ("kind", Kind),
    ("cancel", Cancel),
)
_PARAM_ORDER = (
    "deps",
    "workload",
    "scale",
    "perf",
    "exp_asyncio",
    "exp_trio",
    "team",
    "codebase",
    "kind",
    "python",
    "cancel",
)


def _shown(value: object) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def find_flips(answers: Answers, verdict: Runtime, verdict_of: VerdictOf) -> tuple[Flip, ...]:
    """Every smallest single change to `answers` whose verdict differs from `verdict`."""
    found: list[tuple[int, int, Flip]] = []

    def consider(
        param: str,
        change: str,
        changed: Answers,
        distance: int,
        kept: tuple[int, ...] | None = None,
    ) -> bool:
        new = verdict_of(changed, param, kept)
        if new == verdict:
            return False
        flip = Flip(param=param, change=change, verdict=new, query=changed.to_query())
        found.append((distance, _PARAM_ORDER.index(param), flip))
        return True

    for index, dep in enumerate(answers.deps):
        kept = tuple(i for i in range(len(answers.deps)) if i != index)
        without = answers.with_value("deps", tuple(d for d in answers.deps if d != dep))
        consider("deps", f"without {dep}", without, 1, kept)

    for workload in Workload:
        if workload in answers.workload:
            changed = answers.with_value("workload", answers.workload - {workload})
            consider("workload", f"workload without {workload.value}", changed, 1)
        else:
            changed = answers.with_value("workload", answers.workload | {workload})
            consider("workload", f"workload with {workload.value}", changed, 1)

    for param, enum in _ORDERED:
        members = list(enum)
        here = members.index(getattr(answers, param))
        for step in (-1, 1):
            position = here + step
            while 0 <= position < len(members):
                value = members[position]
                changed = answers.with_value(param, value)
                if consider(param, f"{param}={_shown(value)}", changed, abs(position - here)):
                    break
                position += step

    for param, enum in _UNORDERED:
        for value in enum:
            if value != getattr(answers, param):
                changed = answers.with_value(param, value)
                consider(param, f"{param}={_shown(value)}", changed, 1)

    found.sort(key=lambda item: (item[0], item[1]))
    return tuple(flip for _, _, flip in found)
