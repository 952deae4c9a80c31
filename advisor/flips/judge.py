"""Scoring a flip candidate incrementally: only what the change touches is computed again.

A change to one answer can only change the rules that read it (`RuleIndex.reading`), so the
judge re-tests those rules on a `FactsView` of the base facts and updates the factor sums by
difference; a dependency change is a subtraction from the dependency summary and a filter on
the blockers. Deciding a candidate therefore costs a few rule tests, and the search stays
linear in the number of dependencies. Grading (needed only to find a firm-up) assembles the
full outcome from the same sums and applies every cap, the flip-based one included.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from advisor.answers import Answers
from advisor.assumed import assumed_steps
from advisor.catalog import Catalog
from advisor.confidence import combine
from advisor.decisions import ApiChoice, DecisionKind, LoopChoice
from advisor.facts import (
    DependencyFacts,
    DependencySummary,
    Facts,
    FactsView,
    PortingCost,
    dependency_facts,
    derive_facts,
)
from advisor.flips.candidates import Candidate
from advisor.recommendation import Blocker, Certainty
from advisor.rules.model import Rule, RuleBook, Runtime
from advisor.scoring import (
    FactorSums,
    RuleIndex,
    VerdictPolicy,
    allowed_loops,
    assemble,
    capped_totals,
    factor_sums,
    find_blockers,
    fired_flags,
    retest_sums,
    verdict_of,
)

_DEPENDENCY_FACTS = frozenset(
    f.name for f in dataclasses.fields(Facts) if f.metadata.get("answer") == "deps"
)


@dataclass(frozen=True, slots=True)
class _State:
    """One changed set of answers, decided but not graded."""

    changes: Mapping[str, object]
    deps: tuple[DependencyFacts | None, ...]
    blockers: tuple[Blocker, ...]
    loop_sums: FactorSums
    loop: LoopChoice
    api_sums: FactorSums
    verdict: Runtime


class IncrementalJudge:
    """Decides and grades flip candidates against one base set of answers (see the module
    docstring); a `Judge` for `find_flips`.

    Built from what `recommend()` computed for the base: its dependencies' facts and
    summary, its facts and its blockers. `loop_flags` and `api_flags(loop)` are the base's
    fired rules, which `recommend()` reuses for its own scoring.
    """

    def __init__(
        self,
        *,
        answers: Answers,
        deps: tuple[DependencyFacts | None, ...],
        summary: DependencySummary,
        facts: Facts,
        blockers: tuple[Blocker, ...],
        catalog: Catalog,
        rules: RuleBook,
        policy: VerdictPolicy,
        index: RuleIndex,
        porting: PortingCost | None,
    ) -> None:
        self.answers = answers
        self.deps = deps
        self.summary = summary
        self.facts = facts
        self.blockers = blockers
        self.catalog = catalog
        self.rules = rules
        self.policy = policy
        self.index = index
        self.porting = porting
        self.allowed, _ = allowed_loops(blockers)
        self.by_name = {d.name: d for d in deps if d is not None}
        self.static_blockers = all(not r.when.names for r in rules.blockers)
        self.loop_flags = fired_flags(index.loop, facts)
        self.loop_sums = factor_sums(index.loop_effects, self.loop_flags)
        self._api: dict[LoopChoice, tuple[tuple[bool, ...], FactorSums]] = {}
        self._positions: dict[frozenset[str], tuple[tuple[int, ...], tuple[int, ...]]] = {}

    def api_flags(self, loop: LoopChoice) -> tuple[bool, ...]:
        """Which API rules fire on the base facts with `loop` decided."""
        return self._api_base(loop)[0]

    def _api_base(self, loop: LoopChoice) -> tuple[tuple[bool, ...], FactorSums]:
        found = self._api.get(loop)
        if found is None:
            facts = self.facts
            if facts.loop != loop:
                facts = dataclasses.replace(facts, loop=loop)
            flags = fired_flags(self.index.api, facts)
            found = (flags, factor_sums(self.index.api_effects, flags))
            self._api[loop] = found
        return found

    def _reading(self, changed: frozenset[str]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Loop and API rule positions that read a changed fact."""
        found = self._positions.get(changed)
        if found is None:
            found = (
                self.index.reading(DecisionKind.LOOP, changed),
                self.index.reading(DecisionKind.API, changed),
            )
            self._positions[changed] = found
        return found

    def alternatives(self, name: str) -> tuple[str, ...]:
        """The catalogued alternatives of one dependency."""
        library = self.catalog.lookup(name)
        return library.alternatives if library is not None else ()

    def __call__(self, candidate: Candidate) -> tuple[Runtime, Callable[[], Certainty]]:
        """The candidate's verdict, and a function giving its grade with every cap applied."""
        changes = {} if candidate.param == "deps" else {candidate.param: candidate.value}
        state = self._state(changes, candidate.drop, candidate.add)
        return state.verdict, lambda: self._grade(candidate, state)

    def _state(
        self, changes: Mapping[str, object], drop: Sequence[str], add: Sequence[str]
    ) -> _State:
        facts, deps, blockers, allowed = self.facts, self.deps, self.blockers, self.allowed
        changed = frozenset(changes)
        if drop or add:
            changed |= _DEPENDENCY_FACTS
            summary = self.summary
            for name in drop:
                summary = summary.without(self.by_name.get(name))
            added = dependency_facts(tuple(add), self.catalog)
            for dep in added:
                summary = summary.plus(dep)
            dropped = set(drop)
            deps = tuple(d for d in deps if d is None or d.name not in dropped) + added
            names = tuple(d for d in self.answers.deps if d not in dropped) + tuple(add)
            facts = derive_facts(
                self.answers.with_value("deps", names), summary, porting=self.porting
            )
            if self.static_blockers:
                blockers = tuple(
                    b for b in blockers if b.dependency not in dropped and not set(b.via) & dropped
                ) + find_blockers(facts, added, self.rules)
        view = FactsView(facts, changes).as_facts() if changes else facts
        if not self.static_blockers and changed:
            blockers = find_blockers(view, deps, self.rules)
        if blockers is not self.blockers:
            allowed, _ = allowed_loops(blockers)
        index, policy = self.index, self.policy
        loop_positions, api_positions = self._reading(changed)
        loop_sums = retest_sums(
            index.loop, index.loop_effects, loop_positions, self.loop_flags, self.loop_sums, view
        )
        if len(allowed) == 1:
            loop = LoopChoice(next(iter(allowed)))
        else:
            first, second = capped_totals(loop_sums, policy)
            loop = LoopChoice.ASYNCIO if first >= second else LoopChoice.TRIO
        api_flags, api_sums = self._api_base(loop)
        api_view = FactsView(facts, {**changes, "loop": loop}).as_facts()
        api_sums = retest_sums(
            index.api, index.api_effects, api_positions, api_flags, api_sums, api_view
        )
        native, anyio = capped_totals(api_sums, policy)
        verdict = verdict_of(loop, ApiChoice.NATIVE if native >= anyio else ApiChoice.ANYIO)
        return _State(
            changes=changes,
            deps=deps,
            blockers=blockers,
            loop_sums=loop_sums,
            loop=loop,
            api_sums=api_sums,
            verdict=verdict,
        )

    def _grade(self, candidate: Candidate, state: _State) -> Certainty:
        """The candidate's grade: the decisions from the state's sums, the caps of `combine`,
        then the flip-based cap (an assumed answer one step from flipping the verdict)."""

        def api(loop: LoopChoice) -> tuple[FactorSums, tuple[Rule, ...]]:
            # `assemble` decides the loop from the same sums and blockers as `_state` did.
            assert loop == state.loop
            return state.api_sums, ()

        outcome = assemble(state.blockers, (state.loop_sums, ()), api, self.policy)
        answers = candidate.answers
        grade = combine(answers, outcome, state.deps, self.policy)
        if grade.certainty is not Certainty.CLEAR:
            return grade.certainty
        for param, value in assumed_steps(answers):
            moved = self._state({**state.changes, param: value}, candidate.drop, candidate.add)
            if moved.verdict != state.verdict:
                return Certainty.LEAN
        return Certainty.CLEAR
