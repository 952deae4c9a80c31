"""Scoring a flip candidate incrementally: only what the change touches is computed again.

A change to one answer can only change the rules that read it (`RuleIndex.reading`), so the
judge re-tests those rules on a `FactsView` of the base facts and updates the factor sums by
difference; a dependency change is a subtraction from the dependency summary and a filter on
the blockers. Deciding a candidate therefore costs a few rule tests, and the search stays
linear in the number of dependencies. Grading (needed only to find a firm-up) grades each
decision from the same sums (`scoring.grade_of`) and applies every cap, the flip-based one
included.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from advisor.answers import Answers
from advisor.assumed import assumed_steps
from advisor.catalog import Catalog, Confidence, Library, Maturity
from advisor.confidence import cap_reason
from advisor.decisions import ApiChoice, LoopChoice
from advisor.facts import (
    DependencyFacts,
    DependencySummary,
    Facts,
    FactsView,
    PortingCost,
    dependency_facts,
    derive_facts,
    fields_of,
)
from advisor.flips.candidates import Candidate
from advisor.flips.search import Judgement
from advisor.recommendation import Blocker, Certainty
from advisor.rules.model import RuleBook, Runtime
from advisor.scoring import (
    FactorSums,
    Outcome,
    RuleIndex,
    VerdictPolicy,
    allowed_loops,
    blocked_runtimes,
    capped_totals,
    factor_caps,
    factor_sums,
    find_blockers,
    fired_flags,
    grade_of,
    retest_sums,
    score,
    verdict_of,
)
from advisor.wording import TIE_TOLERANCE

_DEPENDENCY_FACTS = frozenset(
    f.name for f in dataclasses.fields(Facts) if f.metadata.get("answer") == "deps"
)


_ASYNCIO, _TRIO = LoopChoice.ASYNCIO, LoopChoice.TRIO
_FORCED = {frozenset({loop.value}): loop for loop in LoopChoice}
"""The loop a set of allowed loops forces, if it holds only one."""
_VERDICTS = {
    (loop, native_wins): verdict_of(loop, ApiChoice.NATIVE if native_wins else ApiChoice.ANYIO)
    for loop in LoopChoice
    for native_wins in (True, False)
}
"""The verdict by the decided loop and whether the native API wins."""


def _solid(library: Library | None) -> bool:
    return (
        library is not None
        and library.confidence is not Confidence.LOW
        and library.maturity is Maturity.STABLE
    )


def _never() -> bool:
    return False


_NAMES: dict[str, frozenset[str]] = {}
"""One frozenset per answer name, made once (the judge asks for them per candidate)."""


def _names(changes: Mapping[str, object]) -> frozenset[str]:
    if len(changes) != 1:
        return frozenset(changes)
    (name,) = changes
    return _single(name)


def _single(name: str) -> frozenset[str]:
    found = _NAMES.get(name)
    if found is None:
        found = _NAMES[name] = frozenset((name,))
    return found


@dataclass(frozen=True, slots=True)
class _ApiBase:
    """The API decision on the base facts with one loop decided."""

    facts: Facts
    fields: dict[str, object]
    flags: tuple[bool, ...]
    sums: FactorSums
    totals: tuple[float, float]


@dataclass(slots=True)  # not frozen: built for every candidate, and private
class _State:
    """One changed set of answers, decided but not graded."""

    changes: Mapping[str, object]
    facts: Facts
    """The changed facts (a view) on the base loop."""
    deps: tuple[DependencyFacts | None, ...]
    blockers: tuple[Blocker, ...]
    loop_sums: FactorSums | None
    """None when a blocker forces the loop (its grade is then `clear` whatever the sums)."""
    loop: LoopChoice
    api_sums: FactorSums
    verdict: Runtime
    all_blocked: bool
    loop_margin: float | None
    """asyncio's capped total minus Trio's; None when a blocker forces the loop."""
    api_margin: float
    """The native API's capped total minus AnyIO's, on the decided loop."""
    api_totals: tuple[float, float]
    """The native API's and AnyIO's capped totals on the decided loop."""
    loop_totals: tuple[float, float] | None
    """asyncio's and Trio's capped loop totals; None when a blocker forces the loop."""


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
        self.allowed, self.all_blocked = allowed_loops(blockers)
        self.blocked = blocked_runtimes(blockers)
        self.by_name = {d.name: d for d in deps if d is not None}
        self.static_blockers = all(not r.when.names for r in rules.blockers)
        self.fields = fields_of(facts)
        self.caps = factor_caps(policy)
        self.loop_flags = fired_flags(index.loop, facts)
        self.loop_sums = factor_sums(index.loop_effects, self.loop_flags)
        self.loop_totals = capped_totals(self.loop_sums, self.caps)
        self._api: dict[LoopChoice, _ApiBase] = {}
        self.base = self._state({}, (), ())

    def base_outcome(self) -> Outcome:
        """The base answers scored and explained (`scoring.score`), from the fired rules
        already found."""
        return score(
            self.facts,
            self.deps,
            self.rules,
            self.policy,
            blockers=self.blockers,
            index=self.index,
            loop_fired=self.loop_flags,
            api_fired=self.api_flags,
        )

    def api_flags(self, loop: LoopChoice) -> tuple[bool, ...]:
        """Which API rules fire on the base facts with `loop` decided."""
        return self._api_base(loop).flags

    def _api_base(self, loop: LoopChoice) -> _ApiBase:
        found = self._api.get(loop)
        if found is None:
            facts = self.facts
            if facts.loop != loop:
                facts = dataclasses.replace(facts, loop=loop)
            flags = fired_flags(self.index.api, facts)
            sums = factor_sums(self.index.api_effects, flags)
            found = _ApiBase(facts, fields_of(facts), flags, sums, capped_totals(sums, self.caps))
            self._api[loop] = found
        return found

    def alternatives(self, name: str) -> tuple[str, ...]:
        """The catalogued alternatives of one dependency worth offering as a swap: those
        whose own fact is solid (known, not of low confidence, maturity `stable`). Advice to
        move a project onto an experimental, unmaintained or doubtful library is not
        advice."""
        library = self.catalog.lookup(name)
        if library is None:
            return ()
        return tuple(a for a in library.alternatives if _solid(self.catalog.lookup(a)))

    def __call__(self, candidate: Candidate) -> Judgement:
        """The candidate's verdict, the runtimes that would share the top score if it is a
        tie, and a function telling whether it is graded `clear` with every cap applied."""
        if candidate.param == "deps":
            state = self._state({}, candidate.drop, candidate.add)
            return Judgement(
                state.verdict, self._tie(state), lambda: self._is_clear(candidate, state)
            )
        changes = {candidate.param: candidate.value}
        names = self._changed_names(candidate)
        if self._cannot_flip(self.base, names):
            if self._cannot_clear(names):
                return Judgement(self.base.verdict, (), _never)
            return Judgement(
                self.base.verdict,
                (),
                lambda: self._is_clear(candidate, self._state(changes, (), (), names)),
            )
        state = self._state(changes, (), (), names)
        tie = self._tie(state) if state.verdict is not self.base.verdict else ()
        return Judgement(state.verdict, tie, lambda: self._is_clear(candidate, state))

    def _tie(self, state: _State) -> tuple[Runtime, ...]:
        """The runtimes not ruled out that share the top score (as the headline counts them,
        `wording.TIE_TOLERANCE`), the verdict first; empty when one runtime leads."""
        if state.all_blocked:
            return ()
        blocked = (
            self.blocked if state.blockers is self.blockers else blocked_runtimes(state.blockers)
        )
        native, anyio = state.api_totals
        if state.loop_totals is None:  # a blocker forces the loop: its native API or AnyIO
            scores = {verdict_of(state.loop, ApiChoice.NATIVE): native, Runtime.ANYIO: anyio}
        else:
            on_asyncio, on_trio = state.loop_totals
            scores = {
                Runtime.ASYNCIO: on_asyncio + native,
                Runtime.TRIO: on_trio + native,
                Runtime.ANYIO: max(on_asyncio, on_trio) + anyio,
            }
        allowed = {r: v for r, v in scores.items() if r not in blocked}
        if len(allowed) < 2:
            return ()
        top = max(allowed.values())
        leaders = [r for r, v in allowed.items() if top - v <= TIE_TOLERANCE]
        if len(leaders) < 2:
            return ()
        return (state.verdict, *(r for r in leaders if r is not state.verdict))

    def _changed_names(self, candidate: Candidate) -> frozenset[str]:
        """What an answer change changes, as `RuleIndex.reading` takes it: the answer's name,
        or for a workload added or removed `workload[<it>]` (rules testing only other
        workloads keep their result)."""
        if candidate.param == "workload" and isinstance(candidate.value, frozenset):
            toggled = candidate.value ^ self.answers.workload
            return frozenset(f"workload[{w.value}]" for w in toggled)
        return _single(candidate.param)

    def _cannot_clear(self, names: frozenset[str]) -> bool:
        """Whether changing the facts `names` surely leaves a decision below `clear_margin`
        (the base margin moved by at most the swing of the rules that read them), so the
        change cannot be graded `clear`; the blockers being unchanged."""
        limit = self.policy.clear_margin
        loop_swing, api_swing = self.index.swing(names)
        base = self.base
        if abs(base.api_margin) + api_swing < limit:
            return True
        return (
            base.verdict is not Runtime.ANYIO
            and base.loop_margin is not None
            and abs(base.loop_margin) + loop_swing < limit
        )

    def _cannot_flip(self, state: _State, names: frozenset[str]) -> bool:
        """Whether changing the answer facts `names` surely keeps `state`'s verdict: the
        blockers cannot change, and the rules that read them cannot move the loop margin or
        the API margin past zero (`RuleIndex.swing`). Then the change need not be scored."""
        if not self.static_blockers:
            return False
        loop_swing, api_swing = self.index.swing(names)
        loop = state.loop_margin
        if loop is not None and not (loop >= loop_swing if loop >= 0 else loop + loop_swing < 0):
            return False
        api = state.api_margin
        return api >= api_swing if api >= 0 else api + api_swing < 0

    def _state(
        self,
        changes: Mapping[str, object],
        drop: Sequence[str],
        add: Sequence[str],
        names: frozenset[str] | None = None,
    ) -> _State:
        """The changed answers decided; `names`: what the change changes, when finer than
        the changed answers' names (see `_changed_names`)."""
        facts, deps, blockers, allowed = self.facts, self.deps, self.blockers, self.allowed
        changed = names if names is not None else _names(changes)
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
            kept = tuple(d for d in self.answers.deps if d not in dropped) + tuple(add)
            facts = derive_facts(
                self.answers.with_value("deps", kept), summary, porting=self.porting
            )
            if self.static_blockers:
                blockers = tuple(
                    b for b in blockers if b.dependency not in dropped and not set(b.via) & dropped
                ) + find_blockers(facts, added, self.rules, index=self.index)
        if facts is self.facts:
            view = FactsView(self.fields, changes).as_facts() if changes else facts
        else:
            view = FactsView(fields_of(facts), changes).as_facts()
        if not self.static_blockers and changed:
            blockers = find_blockers(view, deps, self.rules, index=self.index)
        all_blocked = self.all_blocked
        if blockers is not self.blockers:
            allowed, all_blocked = allowed_loops(blockers)
        index = self.index
        loop_positions, api_positions = index.reading_both(changed)
        loop_margin: float | None = None
        loop_totals: tuple[float, float] | None = None
        loop_sums: FactorSums | None = None  # not needed when a blocker forces the loop
        forced = _FORCED.get(allowed)
        if forced is not None:
            loop = forced
        else:
            loop_sums = retest_sums(
                index.loop,
                index.loop_effects,
                loop_positions,
                self.loop_flags,
                self.loop_sums,
                view,
            )
            first, second = (
                self.loop_totals
                if loop_sums is self.loop_sums
                else capped_totals(loop_sums, self.caps)
            )
            loop = _ASYNCIO if first >= second else _TRIO
            loop_margin = first - second
            loop_totals = (first, second)
        api = self._api.get(loop) or self._api_base(loop)
        if facts is self.facts:  # the base facts with this loop decided, and the changes
            api_view = FactsView(api.fields, changes).as_facts() if changes else api.facts
        else:
            api_view = FactsView(fields_of(facts), {**changes, "loop": loop}).as_facts()
        api_sums = retest_sums(
            index.api, index.api_effects, api_positions, api.flags, api.sums, api_view
        )
        native, anyio = api.totals if api_sums is api.sums else capped_totals(api_sums, self.caps)
        verdict = _VERDICTS[loop, native >= anyio]
        return _State(
            changes=changes,
            facts=view,
            deps=deps,
            blockers=blockers,
            loop_sums=loop_sums,
            loop=loop,
            api_sums=api_sums,
            verdict=verdict,
            all_blocked=all_blocked,
            loop_margin=loop_margin,
            api_margin=native - anyio,
            api_totals=(native, anyio),
            loop_totals=loop_totals,
        )

    def _is_clear(self, candidate: Candidate, state: _State) -> bool:
        """Whether the candidate is graded `clear`, as `recommend()` would grade it: each
        decision's grade from the state's sums (`clear` needs `clear_margin` first, which
        settles most candidates at once), the caps of `combine`, then the flip-based cap (an
        assumed answer one step from flipping the verdict)."""
        policy = self.policy
        clear_margin = policy.clear_margin
        if state.all_blocked or abs(state.api_margin) < clear_margin:
            return False
        forced = state.loop_margin is None
        if state.verdict is not Runtime.ANYIO and not forced:
            assert state.loop_margin is not None
            assert state.loop_sums is not None
            if abs(state.loop_margin) < clear_margin:
                return False
            if grade_of(state.loop_sums, policy) is not Certainty.CLEAR:
                return False
        if grade_of(state.api_sums, policy) is not Certainty.CLEAR:
            return False
        blockers = state.blockers
        if cap_reason(
            state.facts,
            state.deps,
            policy,
            forced=forced,
            blockers=blockers,
            blocked=self.blocked if blockers is self.blockers else blocked_runtimes(blockers),
            loop=state.loop,
            api=ApiChoice.ANYIO if state.verdict is Runtime.ANYIO else ApiChoice.NATIVE,
            verdict=state.verdict,
        ):
            return False
        for param, value in assumed_steps(state.facts):
            if self._cannot_flip(state, _single(param)):
                continue
            moved = self._state({**state.changes, param: value}, candidate.drop, candidate.add)
            if moved.verdict != state.verdict:
                return False
        return True
