"""Rules over facts: scores, blockers, the verdict and how clearly it wins.

Pure functions of already-loaded data, so `recommend()` and the flip search can call them many
times per request without I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

from advisor.facts import DependencyFacts, Facts
from advisor.recommendation import Blocker, Certainty, Scores
from advisor.rules.model import Rule, RuleBook, Runtime


@dataclass(frozen=True, slots=True, kw_only=True)
class VerdictPolicy:
    """Score margins that separate a clear verdict from a lean and a toss-up."""

    clear_margin: float
    """A margin at least this large is `clear`."""
    lean_margin: float
    """A margin at least this large (and below clear) is `lean`; below it, `toss-up`."""


_RUNTIMES = tuple(Runtime)


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleIndex:
    """Precomputed lookups that let the flip search re-score only what a change can affect."""

    book: RuleBook
    """The rules indexed."""
    effects: tuple[tuple[float, ...], ...]
    """Each scoring rule's effect as a vector in `Runtime` order."""
    by_param: Mapping[str, tuple[int, ...]]
    """For each answer parameter, the positions of the scoring rules that read it."""
    blocker_params: frozenset[str]
    """Answer parameters whose change can change the blockers."""
    blockers_filterable: bool
    """True when no blocker condition reads dependency counts, so dropping a dependency only
    drops its own blockers."""


def index_rules(book: RuleBook) -> RuleIndex:
    """Build the `RuleIndex` of a rule book (once, at load)."""
    param_of = {f.name: f.metadata["answer"] for f in fields(Facts)}
    by_param: dict[str, list[int]] = {}
    for position, rule in enumerate(book.rules):
        for param in {param_of[name] for name in rule.when.names}:
            by_param.setdefault(param, []).append(position)
    blocker_params = {"deps"} | {
        param_of[name] for rule in book.blockers for name in rule.when.names
    }
    filterable = not any(
        param_of[name] == "deps" for rule in book.blockers for name in rule.when.names
    )
    return RuleIndex(
        book=book,
        effects=tuple(tuple(rule.effect.on(r) for r in _RUNTIMES) for rule in book.rules),
        by_param={param: tuple(positions) for param, positions in by_param.items()},
        blocker_params=frozenset(blocker_params),
        blockers_filterable=filterable,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """The scored result before it is dressed up as a `Recommendation`."""

    scores: Scores
    fired: tuple[Rule, ...]
    fired_positions: frozenset[int]
    totals: tuple[float, ...]
    blockers: tuple[Blocker, ...]
    blocked: frozenset[Runtime]
    verdict: Runtime
    certainty: Certainty
    margin: float


def _scores(vector: Iterable[float]) -> Scores:
    return Scores(**{r.value: v for r, v in zip(_RUNTIMES, vector, strict=True)})


def _sum(index: RuleIndex, positions: Iterable[int]) -> list[float]:
    totals = [0.0] * len(_RUNTIMES)
    for position in positions:
        for i, value in enumerate(index.effects[position]):
            totals[i] += value
    return totals


def find_blockers(
    facts: Facts, deps: Iterable[DependencyFacts | None], book: RuleBook
) -> tuple[Blocker, ...]:
    """One `Blocker` per (blocker rule, matching dependency)."""
    known = [dep for dep in deps if dep is not None]
    found: list[Blocker] = []
    for rule in book.blockers:
        if not rule.when.test(facts):
            continue
        for dep in known:
            if rule.dependency.test(dep):
                found.append(
                    Blocker(
                        rule_id=rule.id,
                        runtime=rule.blocks,
                        dependency=dep.name,
                        note=dep.library.note,
                        evidence=dep.library.evidence,
                        unless=rule.unless,
                        rationale=rule.rationale,
                    )
                )
    return tuple(found)


def _with_anyio(blocked: frozenset[Runtime]) -> frozenset[Runtime]:
    """AnyIO runs on asyncio or on Trio: with both ruled out it has no backend left."""
    if Runtime.ASYNCIO in blocked and Runtime.TRIO in blocked:
        return blocked | {Runtime.ANYIO}
    return blocked


def choose_verdict(
    totals: Sequence[float], blockers: Iterable[Blocker], policy: VerdictPolicy
) -> tuple[Runtime, Certainty, float, frozenset[Runtime]]:
    """The best runtime not ruled out, its certainty, its margin, and the blocked set.

    `totals` are the scores in `Runtime` order. When every runtime is blocked, blocks that a
    bridge can lift (`unless`) are set aside first; if that still leaves nothing, all runtimes
    compete, and the result is always a toss-up because the blockers are then the real answer.
    """
    blockers = tuple(blockers)
    blocked = _with_anyio(frozenset(b.runtime for b in blockers))
    candidates = [i for i, r in enumerate(_RUNTIMES) if r not in blocked]
    all_blocked = not candidates
    if all_blocked:
        hard = _with_anyio(frozenset(b.runtime for b in blockers if b.unless is None))
        candidates = [i for i, r in enumerate(_RUNTIMES) if r not in hard] or [0, 1, 2]
    # sorted() is stable and Runtime's order breaks ties: asyncio, then anyio, then trio.
    ranked = sorted(candidates, key=lambda i: -totals[i])
    best = ranked[0]
    rivals = ranked[1:] or [i for i in range(len(_RUNTIMES)) if i != best]
    margin = totals[best] - max(totals[i] for i in rivals)
    if all_blocked:
        certainty = Certainty.TOSS_UP
    elif len(ranked) == 1 or margin >= policy.clear_margin:
        certainty = Certainty.CLEAR
    elif margin >= policy.lean_margin:
        certainty = Certainty.LEAN
    else:
        certainty = Certainty.TOSS_UP
    return _RUNTIMES[best], certainty, margin, blocked


def score(
    facts: Facts,
    deps: tuple[DependencyFacts | None, ...],
    index: RuleIndex,
    policy: VerdictPolicy,
) -> Outcome:
    """Apply every rule to the facts and pick the verdict."""
    rules = index.book.rules
    positions = frozenset(i for i, rule in enumerate(rules) if rule.when.test(facts))
    totals = _sum(index, positions)
    blockers = find_blockers(facts, deps, index.book)
    verdict, certainty, margin, blocked = choose_verdict(totals, blockers, policy)
    return Outcome(
        scores=_scores(totals),
        totals=tuple(totals),
        fired=tuple(rules[i] for i in sorted(positions)),
        fired_positions=positions,
        blockers=blockers,
        blocked=blocked,
        verdict=verdict,
        certainty=certainty,
        margin=margin,
    )


def rescore_verdict(
    base: Outcome,
    facts: Facts,
    deps: tuple[DependencyFacts | None, ...],
    changed_param: str,
    index: RuleIndex,
    policy: VerdictPolicy,
) -> Runtime:
    """The verdict after one answer changed, re-testing only the rules that read it.

    Gives the same verdict as `score(...)` on the changed facts (a test pins this); it exists
    because the flip search scores dozens of variants per request.
    """
    rules = index.book.rules
    affected = index.by_param.get(changed_param, ())
    totals = list(base.totals)
    for position in affected:
        before = position in base.fired_positions
        after = rules[position].when.test(facts)
        if before != after:
            sign = 1.0 if after else -1.0
            for i, value in enumerate(index.effects[position]):
                totals[i] += sign * value
    if changed_param not in index.blocker_params:
        blockers = base.blockers
    elif changed_param == "deps" and index.blockers_filterable:
        blockers = tuple(b for b in base.blockers if b.dependency in facts.deps)
    else:
        blockers = find_blockers(facts, deps, index.book)
    return choose_verdict(totals, blockers, policy)[0]
