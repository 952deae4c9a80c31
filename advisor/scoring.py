"""Rules over facts: the two decisions, their grades, the blockers and the verdict.

Pure functions of already-loaded data, so `recommend()` and the flip search can call them many
times per request without I/O.

The model (DESIGN.md, "The verdict"; data/scoring.toml):

1. Blockers: each blocker rule rules a runtime out per matching dependency.
2. The loop decision (asyncio or Trio): loop rules are summed factor by factor, each option's
   total capped within its factor (restating a fact adds nothing). A blocked loop cannot win.
3. The API decision (the loop's native API or AnyIO): API rules, which may read the decided
   loop, summed the same way.
4. Scores: asyncio = asyncio loop + native API; trio = Trio loop + native API; AnyIO = the best
   allowed loop + AnyIO API. The verdict is derived from the two decisions and is always the
   best-scoring runtime not ruled out.
5. Grades: each decision's margin against its uncertainty (sqrt of the base uncertainty and
   each factor's `uncertainty * |net effect|` squared); then caps that lower `clear` to `lean`
   with a reason (one soft factor decides; the deciding dependency fact is weak).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from advisor.decisions import ApiChoice, DecisionKind, LoopChoice
from advisor.facts import DependencyFacts, Facts
from advisor.recommendation import Blocker, Certainty, Scores
from advisor.rules.language import reads_any
from advisor.rules.model import BlockerRule, Rule, RuleBook, Runtime

_ORDER = {Certainty.TOSS_UP: 0, Certainty.LEAN: 1, Certainty.CLEAR: 2}


def weaker(*grades: Certainty) -> Certainty:
    """The least certain of several grades."""
    return min(grades, key=_ORDER.__getitem__)


@dataclass(frozen=True, slots=True, kw_only=True)
class Factor:
    """One consideration the rules speak for (data/scoring.toml [factor.*])."""

    key: str
    """The name rules use in `factor = ...`."""
    label: str
    """How the page names it ("the team's experience and size")."""
    uncertainty: float
    """Standard error, in score points, of one point of this factor's effect."""
    cap: float
    """The most one option can gain or lose from this factor, however many rules fire."""


@dataclass(frozen=True, slots=True, kw_only=True)
class VerdictPolicy:
    """How decisions are graded (data/scoring.toml)."""

    clear_margin: float
    """A decision needs at least this margin to be `clear`."""
    lean_margin: float
    """Below this margin a decision is a `toss-up`."""
    clear_z: float
    """A `clear` decision's margin is also at least this many times its uncertainty."""
    base_uncertainty: float
    """Uncertainty no rule models (score points), present in every decision."""
    soft_uncertainty: float
    """A factor at least this uncertain is soft: if it alone carries a decision, it is capped."""
    recent_support_days: int
    """Trio support younger than this at the catalog's check counts as recent."""
    end_of_life: frozenset[str]
    """Python versions past their end of life."""
    end_of_life_source: str
    """Where that is stated."""
    factors: Mapping[str, Factor]
    """Every factor by key."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Contribution:
    """What one factor added to a decision, after its cap."""

    factor: Factor
    """The factor."""
    totals: tuple[float, float]
    """Its capped total on each option (the decision's options, in order)."""

    @property
    def net(self) -> float:
        """Toward the first option (positive) or the second (negative)."""
        return self.totals[0] - self.totals[1]


@dataclass(frozen=True, slots=True, kw_only=True)
class DecisionOutcome:
    """One decision, scored and graded."""

    kind: DecisionKind
    """loop or api."""
    totals: tuple[float, float]
    """Each option's total (options in `kind.options` order)."""
    choice: str
    """The winning option."""
    margin: float
    """How far ahead the winner is (0 for a tie)."""
    sigma: float
    """The uncertainty of the margin, in score points."""
    grade: Certainty
    """clear, lean or toss-up."""
    reason: str
    """One line: why this grade."""
    fired: tuple[Rule, ...]
    """The rules that fired, in book order."""
    contributions: tuple[Contribution, ...]
    """Per factor, what it added (only factors with a fired rule)."""
    forced: bool = False
    """True when a blocker decided (the other option is ruled out)."""

    def total(self, option: str) -> float:
        """The total of one option."""
        return self.totals[self.kind.options.index(option)]


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleIndex:
    """The scoring rules split by decision, built once per rule book."""

    loop: tuple[Rule, ...]
    """Rules of the loop decision, in book order."""
    api: tuple[Rule, ...]
    """Rules of the API decision, in book order."""
    loop_effects: tuple[tuple[str, float, float], ...]
    """Per loop rule: its factor and its effect on asyncio and on Trio."""
    api_effects: tuple[tuple[str, float, float], ...]
    """Per API rule: its factor and its effect on native and on AnyIO."""
    rank: Mapping[str, int] = field(default_factory=dict, compare=False)
    """Rule id -> its place when reasons are listed: heaviest first, then by id."""
    _reading: dict[frozenset[str], tuple[tuple[int, ...], tuple[int, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _swing: dict[frozenset[str], tuple[float, float]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _blockers: dict[DependencyFacts, tuple[Blocker | None, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @staticmethod
    def of(book: RuleBook) -> RuleIndex:
        """Split a rule book's scoring rules by decision."""
        loop = tuple(r for r in book.rules if r.effect.decision is DecisionKind.LOOP)
        api = tuple(r for r in book.rules if r.effect.decision is DecisionKind.API)
        ordered = sorted(loop + api, key=lambda r: (-r.effect.weight, r.id))
        return RuleIndex(
            rank={rule.id: place for place, rule in enumerate(ordered)},
            loop=loop,
            api=api,
            loop_effects=tuple((r.factor, r.effect.asyncio, r.effect.trio) for r in loop),
            api_effects=tuple((r.factor, r.effect.native, r.effect.anyio) for r in api),
        )

    def rules(self, kind: DecisionKind) -> tuple[Rule, ...]:
        """The rules of one decision."""
        return self.loop if kind is DecisionKind.LOOP else self.api

    def reading(self, kind: DecisionKind, names: frozenset[str]) -> tuple[int, ...]:
        """Positions of the rules of one decision whose condition reads any of `names`
        (plain fact names, or `set[member]`: see `rules.language.reads_any`)."""
        return tuple(i for i, rule in enumerate(self.rules(kind)) if reads_any(rule.when, names))

    def swing(self, names: frozenset[str]) -> tuple[float, float]:
        """The most the loop margin and the API margin can move when the facts `names`
        change: the sum of |effect| on both options over the rules that read them (capping a
        factor's sum never moves it further than its rules do)."""
        found = self._swing.get(names)
        if found is None:
            loop, api = self.reading_both(names)
            found = (
                sum(abs(self.loop_effects[i][1]) + abs(self.loop_effects[i][2]) for i in loop),
                sum(abs(self.api_effects[i][1]) + abs(self.api_effects[i][2]) for i in api),
            )
            self._swing[names] = found
        return found

    def dependency_blockers(
        self, rules: Sequence[BlockerRule], dep: DependencyFacts
    ) -> tuple[Blocker | None, ...]:
        """Per blocker rule (of this index's book), the blocker it raises for `dep` or None;
        remembered per dependency (at most 4,096, then forgotten all at once)."""
        found = self._blockers.get(dep)
        if found is None:
            if len(self._blockers) >= 4096:
                self._blockers.clear()
            found = tuple(_blocker(rule, dep) for rule in rules)
            self._blockers[dep] = found
        return found

    def reading_both(self, names: frozenset[str]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """`reading` for the loop and the API decisions, remembered per set of names (the
        flip search asks about the same few sets on every recommendation)."""
        found = self._reading.get(names)
        if found is None:
            found = (self.reading(DecisionKind.LOOP, names), self.reading(DecisionKind.API, names))
            self._reading[names] = found
        return found


def fired_flags(rules: Sequence[Rule], facts: Facts) -> tuple[bool, ...]:
    """Which of `rules` fire on `facts`."""
    return tuple(rule.when.test(facts) for rule in rules)


def _classify(
    margin: float,
    winner_index: int,
    nets: Sequence[tuple[Factor, float]],
    policy: VerdictPolicy,
) -> tuple[float, Certainty, list[tuple[float, Factor]], Factor | None]:
    """A decision's uncertainty and grade, the factors that pushed toward the winner (largest
    first) and, when the grade is capped for resting on one soft factor, that factor."""
    sigma = math.sqrt(
        policy.base_uncertainty**2 + sum((f.uncertainty * abs(net)) ** 2 for f, net in nets)
    )
    sign = 1.0 if winner_index == 0 else -1.0
    toward = sorted(
        ((sign * net, f) for f, net in nets if sign * net > 0),
        key=lambda item: -item[0],
    )
    if margin < policy.lean_margin:  # a tie (0) included
        return sigma, Certainty.TOSS_UP, toward, None
    if margin < policy.clear_margin or margin < policy.clear_z * sigma:
        return sigma, Certainty.LEAN, toward, None
    soft = [(v, f) for v, f in toward if f.uncertainty >= policy.soft_uncertainty]
    if soft and margin - soft[0][0] < policy.clear_margin:
        return sigma, Certainty.LEAN, toward, soft[0][1]
    return sigma, Certainty.CLEAR, toward, None


def _grade(
    margin: float,
    winner_index: int,
    nets: Sequence[tuple[Factor, float]],
    policy: VerdictPolicy,
) -> tuple[float, Certainty, str]:
    """A decision's uncertainty, grade and reason from its margin, the winning option and
    each factor's capped net effect toward the first option."""
    sigma, grade, toward, soft = _classify(margin, winner_index, nets, policy)
    carried = " and ".join(f.label for _, f in toward[:2]) or "the defaults"
    if margin == 0:
        return sigma, grade, "a tie: nothing in the answers separates the options"
    if grade is Certainty.TOSS_UP:
        return sigma, grade, f"a close call ({margin:.1f} points, from {carried})"
    if soft is not None:
        return sigma, grade, f"rests on one soft factor: {soft.label}"
    if grade is Certainty.LEAN:
        return sigma, grade, f"{margin:.1f} points ahead, mostly from {carried}"
    return sigma, grade, f"{margin:.1f} points ahead, carried by {carried}"


FactorSums = dict[str, tuple[float, float]]
"""Per factor, the uncapped sums of the fired rules' effects on the decision's two options."""


def factor_sums(effects: Sequence[tuple[str, float, float]], fired: Sequence[bool]) -> FactorSums:
    """The per-factor sums of the fired rules (see `RuleIndex.loop_effects`)."""
    sums: FactorSums = {}
    for (factor, first, second), hit in zip(effects, fired, strict=True):
        if hit:
            old = sums.get(factor, (0.0, 0.0))
            sums[factor] = (old[0] + first, old[1] + second)
    return sums


def retest_sums(
    rules: Sequence[Rule],
    effects: Sequence[tuple[str, float, float]],
    positions: Iterable[int],
    before: Sequence[bool],
    sums: FactorSums,
    facts: Facts,
) -> FactorSums:
    """The factor sums after re-testing only the rules at `positions` (`before`: which rules
    fired before, in rule order; `sums`: the factor sums then).

    The flip search's inner loop: a change to some answers can only change the rules that
    read them (`RuleIndex.reading`), so the rest of the decision is reused as it was. `sums`
    is not modified; it is returned as is when nothing changed.
    """
    new_sums = sums
    for position in positions:
        now = rules[position].when.test(facts)
        if now != before[position]:
            if new_sums is sums:
                new_sums = dict(sums)
            factor, first, second = effects[position]
            sign = 1.0 if now else -1.0
            old = new_sums.get(factor, (0.0, 0.0))
            new_sums[factor] = (old[0] + sign * first, old[1] + sign * second)
    return new_sums


def capped_totals(sums: FactorSums, caps: Mapping[str, float]) -> tuple[float, float]:
    """Each option's total: the factor sums capped at each factor's cap (`caps`: factor key ->
    cap, see `factor_caps`), then added."""
    first = second = 0.0
    for key, (a, b) in sums.items():
        cap = caps[key]
        first += max(-cap, min(cap, a))
        second += max(-cap, min(cap, b))
    return first, second


def factor_caps(policy: VerdictPolicy) -> dict[str, float]:
    """Each factor's cap by key (looked up once by a caller that caps many sums)."""
    return {key: factor.cap for key, factor in policy.factors.items()}


def allowed_loops(blockers: Iterable[Blocker]) -> tuple[frozenset[str], bool]:
    """The event loops the blockers leave, and whether none was left.

    When no loop runs every dependency, blocks that a bridge could lift (`unless`) are set
    aside first; if that still leaves none, both loops compete (the verdict is then a toss-up).
    """
    blockers = tuple(blockers)
    options = DecisionKind.LOOP.options
    blocked = blocked_runtimes(blockers)
    allowed = frozenset(loop for loop in options if Runtime(loop) not in blocked)
    if allowed:
        return allowed, False
    hard = blocked_runtimes(b for b in blockers if b.unless is None)
    return frozenset(loop for loop in options if Runtime(loop) not in hard) or frozenset(
        options
    ), True


def _capped(sums: FactorSums, policy: VerdictPolicy) -> list[tuple[Factor, tuple[float, float]]]:
    """Each factor with its sums capped at the factor's cap."""
    found = []
    for key, (a, b) in sums.items():
        factor = policy.factors[key]
        cap = factor.cap
        found.append((factor, (max(-cap, min(cap, a)), max(-cap, min(cap, b)))))
    return found


def grade_of(sums: FactorSums, policy: VerdictPolicy) -> Certainty:
    """The grade `decide` gives an unforced decision with these factor sums, without
    building its explanation (the flip search grades many candidates)."""
    capped = _capped(sums, policy)
    nets = [(factor, a - b) for factor, (a, b) in capped]
    first = sum(a for _, (a, _b) in capped)
    second = sum(b for _, (_a, b) in capped)
    return _classify(abs(first - second), 0 if first >= second else 1, nets, policy)[1]


def decide(
    kind: DecisionKind,
    sums: FactorSums,
    policy: VerdictPolicy,
    allowed: frozenset[str] | None = None,
    fired: tuple[Rule, ...] = (),
) -> DecisionOutcome:
    """Cap and grade one decision from its factor sums (see `factor_sums`). `allowed`
    restricts the options (blockers); `fired` is carried as the explanation (the flip search
    grades candidates without one)."""
    contributions = [
        Contribution(factor=factor, totals=capped) for factor, capped in _capped(sums, policy)
    ]
    totals = (sum(c.totals[0] for c in contributions), sum(c.totals[1] for c in contributions))
    nets = [(c.factor, c.net) for c in contributions]
    options = kind.options
    forced = allowed is not None and len(allowed) == 1
    if forced:
        assert allowed is not None
        (choice,) = allowed
        index = options.index(choice)
        margin = totals[index] - totals[1 - index]
        sigma, _, _ = _grade(abs(margin), index, nets, policy)
        grade, reason = Certainty.CLEAR, "the other option is ruled out by a dependency"
    else:
        index = 0 if totals[0] >= totals[1] else 1
        margin = abs(totals[0] - totals[1])
        sigma, grade, reason = _grade(margin, index, nets, policy)
    return DecisionOutcome(
        kind=kind,
        totals=totals,
        choice=options[index],
        margin=margin,
        sigma=sigma,
        grade=grade,
        reason=reason,
        fired=fired,
        contributions=tuple(contributions),
        forced=forced,
    )


def find_blockers(
    facts: Facts,
    deps: Iterable[DependencyFacts | None],
    book: RuleBook,
    *,
    index: RuleIndex | None = None,
) -> tuple[Blocker, ...]:
    """One `Blocker` per (blocker rule, matching dependency), rule by rule.

    With the book's `index`, what each dependency matches is remembered there (a
    dependency's matches depend on nothing else), so a page of catalogued dependencies
    costs one lookup each.
    """
    known = [dep for dep in deps if dep is not None]
    rules = book.blockers
    if index is not None:
        rows = [index.dependency_blockers(rules, dep) for dep in known]
        return tuple(
            blocker
            for place, rule in enumerate(rules)
            if rule.when.test(facts)
            for row in rows
            if (blocker := row[place]) is not None
        )
    found: list[Blocker] = []
    for rule in rules:
        if not rule.when.test(facts):
            continue
        for dep in known:
            blocker = _blocker(rule, dep)
            if blocker is not None:
                found.append(blocker)
    return tuple(found)


def _blocker(rule: BlockerRule, dep: DependencyFacts) -> Blocker | None:
    """The blocker `rule` raises for `dep`, or None."""
    if not rule.dependency.test(dep):
        return None
    library = dep.library
    return Blocker(
        rule_id=rule.id,
        runtime=rule.blocks,
        dependency=dep.name,
        note=dep.note or (library.note if library else ""),
        evidence=library.evidence if library else "",
        unless=rule.unless,
        rationale=rule.rationale,
        via=dep.via,
    )


def blocked_runtimes(blockers: Iterable[Blocker]) -> frozenset[Runtime]:
    """The runtimes ruled out; AnyIO too when both of its backends are."""
    blocked = frozenset(b.runtime for b in blockers)
    if Runtime.ASYNCIO in blocked and Runtime.TRIO in blocked:
        return blocked | {Runtime.ANYIO}
    return blocked


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """The scored result before it is dressed up as a `Recommendation`."""

    loop: DecisionOutcome
    """The event loop decision."""
    api: DecisionOutcome
    """The API decision (made on the decided loop)."""
    scores: Scores
    """Each runtime's score (see the module docstring)."""
    blockers: tuple[Blocker, ...]
    """Every blocker found."""
    blocked: frozenset[Runtime]
    """Runtimes ruled out."""
    verdict: Runtime
    """Derived from the two decisions."""
    margin: float
    """The verdict's score minus the best other allowed runtime's."""
    all_blocked: bool
    """True when no runtime runs every dependency."""

    @property
    def fired(self) -> tuple[Rule, ...]:
        """Every rule that fired, loop rules first."""
        return self.loop.fired + self.api.fired


def verdict_of(loop: str, api: str) -> Runtime:
    """The v1 verdict for a loop and an API: AnyIO whenever the code is written against it."""
    if api == ApiChoice.ANYIO:
        return Runtime.ANYIO
    return Runtime.TRIO if loop == LoopChoice.TRIO else Runtime.ASYNCIO


def score(
    facts: Facts,
    deps: tuple[DependencyFacts | None, ...],
    book: RuleBook,
    policy: VerdictPolicy,
    *,
    blockers: tuple[Blocker, ...] | None = None,
    index: RuleIndex | None = None,
    loop_fired: Sequence[bool] | None = None,
    api_fired: Callable[[LoopChoice], Sequence[bool]] | None = None,
) -> Outcome:
    """Apply every rule to the facts: blockers, the loop, then the API on that loop.

    The keyword arguments let a caller pass in what it already knows: the `blockers`, which
    loop rules fire, and which API rules fire on a given loop (`facts` with `loop` set to
    it). Without them everything is computed.
    """
    index = index or RuleIndex.of(book)
    if blockers is None:
        blockers = find_blockers(facts, deps, book, index=index)
    if loop_fired is None:
        loop_fired = fired_flags(index.loop, facts)

    def api_flags(loop: LoopChoice) -> Sequence[bool]:
        if api_fired is not None:
            return api_fired(loop)
        return fired_flags(index.api, facts if facts.loop == loop else replace(facts, loop=loop))

    def api(loop: LoopChoice) -> tuple[FactorSums, tuple[Rule, ...]]:
        flags = api_flags(loop)
        return factor_sums(index.api_effects, flags), _fired(index.api, flags)

    return assemble(
        blockers,
        (factor_sums(index.loop_effects, loop_fired), _fired(index.loop, loop_fired)),
        api,
        policy,
    )


def _fired(rules: Sequence[Rule], flags: Sequence[bool]) -> tuple[Rule, ...]:
    return tuple(rule for rule, hit in zip(rules, flags, strict=True) if hit)


def assemble(
    blockers: tuple[Blocker, ...],
    loop: tuple[FactorSums, tuple[Rule, ...]],
    api: Callable[[LoopChoice], tuple[FactorSums, tuple[Rule, ...]]],
    policy: VerdictPolicy,
) -> Outcome:
    """The outcome from the blockers, the loop decision's factor sums (and fired rules) and
    the API decision's on a given loop: decide the loop, then the API on it, then derive the
    scores, the verdict and its margin (see the module docstring)."""
    blocked = blocked_runtimes(blockers)
    allowed, all_blocked = allowed_loops(blockers)
    loop_sums, loop_rules = loop
    decided = decide(DecisionKind.LOOP, loop_sums, policy, allowed, loop_rules)
    if all_blocked:
        decided = replace(
            decided,
            grade=Certainty.TOSS_UP,
            reason="no event loop runs every dependency as they stand",
            forced=False,
        )
    api_sums, api_rules = api(LoopChoice(decided.choice))
    api_decided = decide(DecisionKind.API, api_sums, policy, None, api_rules)
    if all_blocked:
        api_decided = replace(
            api_decided,
            grade=Certainty.TOSS_UP,
            reason="it depends on which loop the blockers leave, and none runs everything",
        )
    native = api_decided.total(ApiChoice.NATIVE)
    best_loop = max(decided.total(option) for option in allowed)
    scores = Scores(
        asyncio=decided.total(LoopChoice.ASYNCIO) + native,
        trio=decided.total(LoopChoice.TRIO) + native,
        anyio=best_loop + api_decided.total(ApiChoice.ANYIO),
    )
    verdict = verdict_of(decided.choice, api_decided.choice)
    others = [r for r in Runtime if r is not verdict and (all_blocked or r not in blocked)]
    margin = scores.of(verdict) - max((scores.of(r) for r in others), default=scores.of(verdict))
    return Outcome(
        loop=decided,
        api=api_decided,
        scores=scores,
        blockers=blockers,
        blocked=blocked,
        verdict=verdict,
        margin=margin,
        all_blocked=all_blocked,
    )
