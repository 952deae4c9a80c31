"""Answers whose default is a guess, and the one-step changes that test whether a verdict
rests on such a guess (the flip-based cap: DESIGN.md, "The verdict").

When an answer left at its default is one step from a value that flips the verdict, the
verdict is graded `lean` and the page asks that question.
"""

from __future__ import annotations

from enum import Enum

from advisor.answers import V1_PARAMS, Answers
from advisor.facts import Facts

ASSUMED_QUESTIONS: dict[str, str] = {
    "exp_asyncio": "How experienced is the team with asyncio?",
    "exp_trio": "How experienced is the team with Trio?",
    "team": "How large is the team?",
    "scale": "How many tasks or connections run at once at peak?",
    "perf": "Is raw throughput or latency a top requirement?",
    "cancel": "Are strict timeouts, cancellation and clean shutdown a top requirement?",
    "python": "What is the oldest Python version you must support?",
}
"""The assumed questions, as the page asks them."""

DEFAULTS: dict[str, object] = {p.name: p.default for p in V1_PARAMS}
"""Each share-link parameter's default value."""

RAISED_ONLY = frozenset({"python", "exp_asyncio", "exp_trio"})
"""Answers the flip search only ever raises (a project does not lower its Python floor to
pick a runtime; a team cannot unlearn)."""


def assumed(answers: Answers) -> tuple[str, ...]:
    """The assumed questions `answers` leaves at their defaults, in `ASSUMED_QUESTIONS` order."""
    return tuple(param for param in ASSUMED_QUESTIONS if getattr(answers, param) == DEFAULTS[param])


def assumed_steps(answers: Answers | Facts) -> list[tuple[str, Enum]]:
    """For each assumed question left at its default, the values one step away that the flip
    search tries (only upwards for `RAISED_ONLY` answers), as (parameter, value) pairs.
    `answers` may be the answers or their facts (the same names hold the same values)."""
    return [
        (param, member)
        for param, default, steps in _STEPS
        if getattr(answers, param) == default
        for member in steps
    ]


def _steps_from(param: str, current: Enum) -> tuple[Enum, ...]:
    members: list[Enum] = list(type(current))
    at = members.index(current)
    below = [] if param in RAISED_ONLY else members[max(at - 1, 0) : at]
    return (*below, *members[at + 1 : at + 2])


_STEPS: tuple[tuple[str, object, tuple[Enum, ...]], ...] = tuple(
    (param, DEFAULTS[param], _steps_from(param, DEFAULTS[param]))  # type: ignore[arg-type]
    for param in ASSUMED_QUESTIONS
)
"""Per assumed question: its default and the one-step values from it (computed once)."""
