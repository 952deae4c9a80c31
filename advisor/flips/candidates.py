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


@dataclass(slots=True, kw_only=True)  # not frozen: dozens are built per recommendation
class Candidate:
    """One change to try (treat it as read-only)."""

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
    relaxes: bool = False
    """True when the change drops a stated requirement (`perf` or `cancel` back to
    normal): worth a flip ("if cancellation were not critical ..."), never advice on how to
    firm a verdict up."""

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


_RAISES: dict[str, dict[Enum, tuple[Enum, ...]]] = {
    param: {m: tuple(list(enum)[i + 1 :]) for i, m in enumerate(enum)}
    for param, enum in (
        ("python", PythonVersion),
        ("exp_trio", Experience),
        ("exp_asyncio", Experience),
    )
}
"""For the answers only ever raised: each value's higher values, in order."""

_CHOICES: tuple[tuple[str, tuple[Enum, ...], int], ...] = tuple(
    (param, tuple(enum), rank)
    for param, enum, rank in (
        ("cancel", Cancel, 3),
        ("perf", Perf, 3),
        ("scale", Scale, 4),
        ("team", Team, 4),
        ("codebase", Codebase, 4),
        ("kind", Kind, 4),
    )
)
"""The other answers tried, with every value, and their rank."""

_RELAXED: frozenset[Enum] = frozenset({Perf.NORMAL, Cancel.NORMAL})
"""Values that drop a stated requirement."""

_TEXT: dict[tuple[str, Enum], tuple[str, str]] = {
    (param, member): (f"{param}={member.value}", _CONDITIONS[(param, str(member.value))])
    for param, enum in (
        ("python", PythonVersion),
        ("exp_trio", Experience),
        ("exp_asyncio", Experience),
        ("cancel", Cancel),
        ("perf", Perf),
        ("scale", Scale),
        ("team", Team),
        ("codebase", Codebase),
        ("kind", Kind),
    )
    for member in enum
}
"""Each single-choice change's short form and condition."""

_WORKLOAD_TEXT: dict[Workload, tuple[tuple[str, str], tuple[str, str]]] = {
    w: (
        (f"workload with {w.value}", f"the program also did '{w.value}' work"),
        (f"workload without {w.value}", f"the program did not do '{w.value}' work"),
    )
    for w in Workload
}
"""Each workload's (change, condition) when added and when removed."""


def sentence(
    condition: str, verdict: Runtime, *, firm_up: bool = False, tie: Sequence[Runtime] = ()
) -> str:
    """ "If <condition>, the verdict would be <verdict>" in plain words; for a change that
    ends in a tie, "If <condition>, <A> and <B> would tie" (what the link then opens as)."""
    name = RUNTIME_LABELS[verdict]
    if firm_up:
        return f"If {condition}, {name} would be the clear choice."
    if len(tie) > 1:
        names = [RUNTIME_LABELS[r] for r in tie]
        return f"If {condition}, {', '.join(names[:-1])} and {names[-1]} would tie."
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
    for version in _RAISES["python"][answers.python]:
        found.append(_answer(answers, "python", version, rank=2))
    for param in ("exp_trio", "exp_asyncio"):
        for level in _RAISES[param][getattr(answers, param)]:
            found.append(_answer(answers, param, level, rank=2))
    for param, members, rank in _CHOICES:
        current = getattr(answers, param)
        for member in members:
            if member != current:
                found.append(_answer(answers, param, member, rank=rank))
    for workload, (with_text, without_text) in _WORKLOAD_TEXT.items():
        has = workload in answers.workload
        changed = answers.workload - {workload} if has else answers.workload | {workload}
        change, condition = without_text if has else with_text
        found.append(
            Candidate(
                param="workload",
                change=change,
                condition=condition,
                base=answers,
                value=changed,
                kind="answer",
                rank=5,
            )
        )
    return found


def _answer(answers: Answers, param: str, value: Enum, *, rank: int) -> Candidate:
    change, condition = _TEXT[(param, value)]
    return Candidate(
        param=param,
        change=change,
        condition=condition,
        relaxes=value in _RELAXED,
        base=answers,
        value=value,
        kind="answer",
        rank=rank,
    )
