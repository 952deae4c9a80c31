"""Counterfactuals: the smallest changes to the answers that would change the verdict.

Only changes a person could act on or would want to check are tried, one at a time:

- a dependency: swapped for a catalogued alternative that does the same job on the other
  runtime ("replace aiohttp with httpx"), or dropped, but only when it is a hard constraint
  (a blocker or a dependency only one runtime can run); dropping a dependency that decides
  nothing is never offered, so a threshold on a count cannot produce a cliff;
- the Python floor, raised only (lowering it is not something a project does to pick a
  runtime);
- the team's experience, raised only (a team can learn; it cannot unlearn);
- the requirements (`perf`, `cancel`) and the facts of the project (`scale`, `team`,
  `workload`, `codebase`, `kind`), as checks: "if cancellation were critical ...".

Actionable changes come first. A candidate holds its change, not a copy of the answers: the
changed `Answers` are built only for the few candidates that become flips (`Candidate.answers`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
from advisor.rules.model import Runtime
from advisor.wording import RUNTIME_LABELS

_EXPERIENCE_WORDS = {
    Experience.NONE: "had no experience with",
    Experience.BASIC: "had basic experience with",
    Experience.EXPERIENCED: "were experienced with",
    Experience.EXPERT: "were expert in",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """One change to try."""

    param: str
    """The share-link parameter changed."""
    change: str
    """The change in short form ("exp_trio=2", "without asyncpg", "aiohttp → httpx")."""
    condition: str
    """The change as the condition of a sentence ("your team were experienced with Trio")."""
    base: Answers
    """The answers before the change."""
    value: object
    """The changed answer's new value (for `deps`, the new list of names)."""
    kind: str
    """answer or swap."""
    rank: int
    """Lower is more actionable; ties keep the order of discovery."""
    drop: tuple[str, ...] = ()
    """Dependencies removed (for the scorer: reuse their facts)."""
    add: tuple[str, ...] = ()
    """Dependencies added (swaps)."""

    @property
    def answers(self) -> Answers:
        """The changed answers (built, and validated, on each call)."""
        return self.base.with_value(self.param, self.value)


def one_step(before: Enum, after: Enum) -> bool:
    """Whether `after` is next to `before` among the members of their enum."""
    members: list[Enum] = list(type(before))
    return abs(members.index(after) - members.index(before)) == 1


_CONDITIONS: dict[tuple[str, str], str] = {
    ("scale", "small"): "fewer than 100 tasks or connections ran at once",
    ("scale", "medium"): "100 to 10,000 tasks or connections ran at once",
    ("scale", "large"): "more than 10,000 tasks or connections ran at once",
    ("perf", "critical"): "raw throughput were a top requirement",
    ("perf", "normal"): "raw throughput were not a top requirement",
    ("cancel", "critical"): "strict timeouts and clean cancellation were a top requirement",
    ("cancel", "normal"): "strict cancellation were not a top requirement",
    ("team", "solo"): "you worked alone",
    ("team", "small"): "your team had 2 to 10 people",
    ("team", "large"): "your team had more than 10 people",
    ("codebase", "new"): "you were starting from scratch",
    ("codebase", "asyncio"): "you had an existing asyncio code base",
    ("codebase", "trio"): "you had an existing Trio code base",
    ("codebase", "sync"): "you were porting a synchronous code base",
    ("kind", "library"): "you were building a library for others",
    ("kind", "app"): "you were building an application",
    **{("python", v.value): f"your oldest supported Python were {v.value}" for v in PythonVersion},
    **{
        (param, str(level.value)): f"your team {words} {runtime}"
        for param, runtime in (("exp_asyncio", "asyncio"), ("exp_trio", "Trio"))
        for level, words in _EXPERIENCE_WORDS.items()
    },
}
"""Each single-choice answer value as the condition of an "If ..., the verdict would be ..."
sentence."""


def sentence(condition: str, verdict: Runtime, *, firm_up: bool = False) -> str:
    """ "If <condition>, the verdict would be <verdict>" in plain words."""
    name = RUNTIME_LABELS[verdict]
    if firm_up:
        return f"If {condition}, {name} would be the clear choice."
    return f"If {condition}, the verdict would be {name}."


def candidates(
    answers: Answers,
    decisive: Sequence[str],
    alternatives: Callable[[str], Sequence[str]],
) -> list[Candidate]:
    """Every single change worth trying (see the module docstring), in order of rank.

    `decisive` are the dependencies that are hard constraints; `alternatives(name)` gives the
    catalogued alternatives of one dependency.
    """
    found: list[Candidate] = []
    deps = set(answers.deps)
    for name in decisive:
        others = tuple(d for d in answers.deps if d != name)
        for alternative in alternatives(name):
            if alternative in deps:
                continue
            found.append(
                Candidate(
                    param="deps",
                    change=f"{name} → {alternative}",
                    condition=f"you replaced {name} with {alternative}",
                    base=answers,
                    value=(*others, alternative),
                    kind="swap",
                    rank=0,
                    drop=(name,),
                    add=(alternative,),
                )
            )
        found.append(
            Candidate(
                param="deps",
                change=f"without {name}",
                condition=f"you did without {name}",
                base=answers,
                value=others,
                kind="answer",
                rank=1,
                drop=(name,),
            )
        )
    versions = list(PythonVersion)
    for version in versions[versions.index(answers.python) + 1 :]:
        found.append(_answer(answers, "python", version, rank=2))
    for param in ("exp_trio", "exp_asyncio"):
        current: Experience = getattr(answers, param)
        for level in list(Experience)[current + 1 :]:
            found.append(_answer(answers, param, level, rank=2))
    choices: tuple[tuple[str, type[Enum], int], ...] = (
        ("cancel", Cancel, 3),
        ("perf", Perf, 3),
        ("scale", Scale, 4),
        ("team", Team, 4),
        ("codebase", Codebase, 4),
        ("kind", Kind, 4),
    )
    for param, enum, rank in choices:
        for member in enum:
            if member != getattr(answers, param):
                found.append(_answer(answers, param, member, rank=rank))
    for workload in Workload:
        has = workload in answers.workload
        changed = answers.workload - {workload} if has else answers.workload | {workload}
        found.append(
            Candidate(
                param="workload",
                change=f"workload {'without' if has else 'with'} {workload.value}",
                condition=(
                    f"the program did not do '{workload.value}' work"
                    if has
                    else f"the program also did '{workload.value}' work"
                ),
                base=answers,
                value=changed,
                kind="answer",
                rank=5,
            )
        )
    return found


def _answer(answers: Answers, param: str, value: Enum, *, rank: int) -> Candidate:
    return Candidate(
        param=param,
        change=f"{param}={value.value}",
        condition=_CONDITIONS[(param, str(value.value))],
        base=answers,
        value=value,
        kind="answer",
        rank=rank,
    )
