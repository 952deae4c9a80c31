"""The verdict's confidence: the two decisions' grades combined, then capped where an expert
would hesitate, each cap with its reason (DESIGN.md, "The verdict").

Caps lower `clear` to `lean`; they never raise a grade:
- a deciding dependency fact is weak: of low confidence, experimental, or with Trio support
  younger than `recent_support_days` at the catalog's check;
- the verdict relies on Trio running every dependency, and some are not in the catalog;
- an application whose Python floor is past its end of life;
- a Trio-fluent team on a stack pinned to asyncio;
- (in `engine`) an answer left at its default, one step from which the verdict flips.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from advisor.answers import Answers, Cancel, Experience, Kind
from advisor.catalog import Confidence, Maturity, TrioSupport
from advisor.decisions import ApiChoice, LoopChoice
from advisor.facts import DependencyFacts, Facts
from advisor.recommendation import Blocker, Certainty
from advisor.rules.model import Runtime
from advisor.scoring import DecisionOutcome, Outcome, VerdictPolicy, weaker


@dataclass(frozen=True, slots=True, kw_only=True)
class Grade:
    """The verdict's grade and its one-line reason."""

    certainty: Certainty
    """clear, lean or toss-up."""
    reason: str
    """Why, in one line."""
    capped: bool = False
    """True when a cap lowered it."""


def _names(deps: Sequence[DependencyFacts], limit: int = 3) -> str:
    names = sorted({d.name for d in deps})
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def young_trio_support(dep: DependencyFacts, policy: VerdictPolicy | int) -> dt.date | None:
    """The date a dependency gained its Trio support, if younger than the policy's limit
    (`recent_support_days`, or that number of days) at the catalog's check (else None)."""
    library = dep.library
    since = library.trio_since_date if library else None
    if since is None or library is None:
        return None
    limit = policy if isinstance(policy, int) else policy.recent_support_days
    return since if (library.checked_on - since).days < limit else None


def weak_fact(dep: DependencyFacts, policy: VerdictPolicy) -> str | None:
    """Why a dependency fact is too weak to carry a `clear` verdict, or None."""
    if dep.library is None:
        return f"{dep.name}'s support is inferred ({dep.note or 'from its dependencies'})"
    if dep.confidence is Confidence.LOW:
        return f"the catalog's fact about {dep.name} is of low confidence"
    if dep.library.maturity is Maturity.EXPERIMENTAL:
        return f"{dep.name}'s support is experimental upstream"
    return None


def _trio_support_caveat(deps: Sequence[DependencyFacts], policy: VerdictPolicy) -> str | None:
    for dep in deps:
        if not dep.weighed or dep.trio not in (TrioSupport.NATIVE, TrioSupport.ANYIO):
            continue
        weak = weak_fact(dep, policy)
        if weak:
            return weak
        since = young_trio_support(dep, policy)
        if since is not None:
            return f"{dep.name} gained Trio support only on {since.isoformat()}"
    return None


def combine(
    answers: Answers,
    outcome: Outcome,
    deps: Sequence[DependencyFacts | None],
    policy: VerdictPolicy,
) -> Grade:
    """The verdict's grade from its decisions, with every cap but the flip-based one."""
    if outcome.all_blocked:
        return Grade(
            certainty=Certainty.TOSS_UP,
            reason="no runtime runs every dependency as they stand: see the blockers",
        )
    loop, api = outcome.loop, outcome.api
    deciding: DecisionOutcome
    if outcome.verdict is Runtime.ANYIO:
        certainty, deciding = api.grade, api
    else:
        certainty = weaker(loop.grade, api.grade)
        deciding = loop if _rank(loop.grade) <= _rank(api.grade) else api
    label = "the event loop" if deciding is loop else "the API your code is written against"
    reason = f"{label}: {deciding.reason}"
    if certainty is not Certainty.CLEAR:
        return Grade(certainty=certainty, reason=reason)
    cap = cap_reason(
        answers,
        deps,
        policy,
        forced=outcome.loop.forced,
        blockers=outcome.blockers,
        blocked=outcome.blocked,
        loop=LoopChoice(outcome.loop.choice),
        api=ApiChoice(outcome.api.choice),
        verdict=outcome.verdict,
    )
    if cap:
        return Grade(certainty=Certainty.LEAN, reason=cap, capped=True)
    if outcome.verdict is Runtime.ANYIO:
        return Grade(
            certainty=certainty,
            reason=f"{reason}; the event loop is AnyIO's backend, chosen at run time",
        )
    return Grade(certainty=certainty, reason=f"both decisions are clear; {reason}")


def _rank(grade: Certainty) -> int:
    return {Certainty.TOSS_UP: 0, Certainty.LEAN: 1, Certainty.CLEAR: 2}[grade]


def cap_reason(
    answers: Answers | Facts,
    deps: Sequence[DependencyFacts | None],
    policy: VerdictPolicy,
    *,
    forced: bool,
    blockers: Sequence[Blocker],
    blocked: frozenset[Runtime],
    loop: LoopChoice,
    api: ApiChoice,
    verdict: Runtime,
) -> str | None:
    """Why a verdict graded `clear` by its decisions is only `lean` (see the module
    docstring), or None; every cap but the flip-based one. `answers` may be the answers or
    their facts (it reads `kind`, `python`, `cancel` and `exp_trio`, which both hold).
    `forced`: a blocker decided the loop; `blocked`: the runtimes ruled out; `loop`, `api`,
    `verdict`: as decided."""
    known = [d for d in deps if d is not None]
    if forced:
        blocking = {b.dependency for b in blockers}
        deciders = [d for d in known if d.name in blocking]
        weak = [weak_fact(d, policy) for d in deciders]
        if deciders and all(weak):
            return f"the deciding fact is weak: {weak[0]}"
    relies_on_trio = loop == LoopChoice.TRIO or (
        answers.kind is Kind.LIBRARY and api == ApiChoice.ANYIO
    )
    if relies_on_trio:
        unknown = sum(d is None for d in deps)
        if unknown:
            return (
                f"{unknown} dependenc{'y is' if unknown == 1 else 'ies are'} not in the "
                "catalog, and any of them could be asyncio-only"
            )
        caveat = _trio_support_caveat(known, policy)
        if caveat:
            return f"the verdict relies on Trio support that is not yet settled: {caveat}"
    if answers.kind is Kind.APP and answers.python.value in policy.end_of_life:
        return (
            f"Python {answers.python.value} is past its end of life; raising the floor is "
            "the first thing to settle"
        )
    if answers.cancel is Cancel.CRITICAL and verdict is Runtime.ASYNCIO:
        return (
            "strict cancellation is a top requirement, and asyncio's own API cancels with a "
            "single exception that code can swallow: AnyIO's cancel scopes are the alternative"
        )
    if answers.exp_trio >= Experience.EXPERIENCED and Runtime.TRIO in blocked:
        return (
            "a Trio-fluent team on a stack pinned to asyncio: whether to write Trio-style "
            "code through AnyIO is a judgement call"
        )
    return None
