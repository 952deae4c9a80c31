"""What changed in the decision model, and why: shown on the methodology page so that a reader
of an old share link (which keeps its answers: schema v1) understands a different verdict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelChange:
    """One change to how answers become a verdict."""

    what: str
    """The change, in one sentence."""
    why: str
    """Why it was made, in one sentence."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelVersion:
    """One version of the decision model."""

    version: int
    """Counts up from 1."""
    date: dt.date
    """When it shipped."""
    summary: str
    """One sentence."""
    changes: tuple[ModelChange, ...]
    """What changed since the version before."""


HISTORY: tuple[ModelVersion, ...] = (
    ModelVersion(
        version=2,
        date=dt.date(2026, 11, 29),
        summary=(
            "Two decisions instead of one score, each fact counted once, and a confidence "
            "graded the way a careful expert would grade it."
        ),
        changes=(
            ModelChange(
                what=(
                    "The verdict is now derived from two decisions: the event loop the process "
                    "runs (asyncio, on uvloop where speed matters, or Trio), and what your own "
                    "code is written against (the loop's own API, or AnyIO)."
                ),
                why=(
                    "Which loop runs is mostly fixed by the dependencies, while the API is a "
                    "judgement about portability, cancellation and fluency; one score mixed "
                    "them, so dependency counts decided API questions and team answers decided "
                    "loop questions."
                ),
            ),
            ModelChange(
                what=(
                    "Every rule names the factor it speaks for, and within a factor restating "
                    "a fact adds nothing (each option's total is capped)."
                ),
                why=(
                    "Several rules restated 'part of the stack is asyncio-only' or 'the team "
                    "knows Trio', so one fact voted several times."
                ),
            ),
            ModelChange(
                what=(
                    "The runtimes themselves (trio, anyio, uvloop), test plugins (pytest-trio, "
                    "pytest-asyncio) and tooling are listed but never rule a runtime out."
                ),
                why=(
                    "A library listing trio for its tests came out Trio, while the same "
                    "packages spelt anyio[trio] came out AnyIO."
                ),
            ),
            ModelChange(
                what=(
                    "A library whose async API needs asyncio and that Trio can drive only from "
                    "threads (Playwright) no longer counts as running on Trio."
                ),
                why="Such a stack does not really run on Trio; it gives up the async API.",
            ),
            ModelChange(
                what=(
                    "Confidence is the margin against the uncertainty of the factors that "
                    "carry it, lowered to 'lean' with a stated reason when one soft factor "
                    "carries it, when a deciding library fact is weak or young, when unknown "
                    "dependencies could break a Trio verdict, for an application on an "
                    "end-of-life Python, when strict cancellation is required of plain "
                    "asyncio, for a Trio-fluent team pinned to asyncio, and when an answer left "
                    "at its default is one step from changing the verdict."
                ),
                why=(
                    "The raw margin graded many close calls 'clear' and some clear-cut cases "
                    "'lean'; experts grade by what the verdict rests on."
                ),
            ),
            ModelChange(
                what=(
                    "A new question, 'cancel' (are strict timeouts, cancellation and clean "
                    "shutdown a top requirement?), defaulting to 'normal' so that old links "
                    "keep their answers."
                ),
                why="It is what separates otherwise equal projects.",
            ),
            ModelChange(
                what=(
                    "Flips are sentences a person can act on: catalogued dependency swaps, "
                    "raising the Python floor or the team's experience, and what would make a "
                    "lean verdict clear; a dependency that decides nothing is never offered."
                ),
                why=(
                    "Raw parameters such as 'exp_trio=2' and removals of dependencies that "
                    "only crossed a count threshold were not advice."
                ),
            ),
            ModelChange(
                what=(
                    "On Python 3.9 asyncio is no longer outscored: current Trio and AnyIO "
                    "releases require Python 3.10."
                ),
                why="Two rules about old Pythons cancelled each other out.",
            ),
        ),
    ),
    ModelVersion(
        version=1,
        date=dt.date(2026, 11, 25),
        summary="One score per runtime from the sum of the rules that fired.",
        changes=(),
    ),
)
"""Newest first."""

MODEL_VERSION = HISTORY[0].version
"""The version of the model this code runs."""
