"""The flip search: which candidate changes change the verdict, and what would firm it up."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from advisor.answers import Answers
from advisor.flips.candidates import Candidate, sentence
from advisor.recommendation import Certainty, Flip
from advisor.rules.model import Runtime


class Judgement(NamedTuple):
    """What a judge says of one candidate."""

    verdict: Runtime
    """The verdict the changed answers get."""
    tie: tuple[Runtime, ...]
    """When the verdict changes to a tie, the runtimes sharing the top score (the verdict
    first); else empty."""
    is_clear: Callable[[], bool]
    """Whether the changed answers are graded `clear` with every cap applied; called only
    for the few candidates whose grade matters (grading costs more than deciding)."""


Judge = Callable[[Candidate], Judgement]
"""Scores one candidate (see `Judgement`)."""

FIRM_UP_RANK = 3
"""Only changes at least this actionable (see `Candidate.rank`) are offered as firm-ups:
swapping or dropping a deciding dependency, raising the Python floor or the team's
experience, or stating a requirement (never dropping one: `Candidate.relaxes`). "If you were
building a library, the verdict would be clear" is not advice."""


def find_flips(
    answers: Answers,
    verdict: Runtime,
    certainty: Certainty,
    tried: Sequence[Candidate],
    judge: Judge,
) -> tuple[Flip, ...]:
    """The candidates that change the verdict, then, for a lean verdict, the one change that
    would firm it up.

    Flips are ordered by rank (actionable first), then in the order tried; ordered choices
    keep only the nearest value that flips (raising experience to 2 already says what 3
    would do). The firm-up is the most actionable change that keeps the verdict and is
    graded `clear` with every cap applied: one promise that holds, found by grading
    candidates in rank order and stopping at the first.
    """
    parts = answers.query_parts()

    def query(candidate: Candidate) -> str:
        if candidate.param == "deps":  # names are normalised and sorted by the Answers
            return candidate.answers.to_query()
        return Answers.query_with(parts, candidate.param, candidate.value)

    flips: list[tuple[int, int, Flip]] = []
    keeps: list[tuple[int, int, Candidate, Callable[[], bool]]] = []
    flipped_params: set[tuple[str, str]] = set()
    for position, candidate in enumerate(tried):
        family = (candidate.param, candidate.kind)
        if family in flipped_params and candidate.param in {"python", "exp_trio", "exp_asyncio"}:
            continue
        new_verdict, tie, is_clear = judge(candidate)
        if new_verdict != verdict:
            flipped_params.add(family)
            flips.append(
                (
                    candidate.rank,
                    position,
                    Flip(
                        param=candidate.param,
                        change=candidate.change,
                        verdict=new_verdict,
                        query=query(candidate),
                        sentence=sentence(candidate.condition, new_verdict, tie=tie),
                        kind=candidate.kind,
                    ),
                )
            )
        elif (
            certainty is Certainty.LEAN and candidate.rank <= FIRM_UP_RANK and not candidate.relaxes
        ):
            keeps.append((candidate.rank, position, candidate, is_clear))
    flips.sort(key=lambda item: (item[0], item[1]))
    found = [flip for _, _, flip in flips]
    keeps.sort(key=lambda item: (item[0], item[1]))
    for _, _, candidate, is_clear in keeps:
        if is_clear():
            found.append(
                Flip(
                    param=candidate.param,
                    change=candidate.change,
                    verdict=verdict,
                    query=query(candidate),
                    sentence=sentence(candidate.condition, verdict, firm_up=True),
                    kind="firm-up",
                )
            )
            break
    return tuple(found)
