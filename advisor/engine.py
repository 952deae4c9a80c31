"""`recommend()`: answers + loaded knowledge -> a `Recommendation`.

The knowledge (catalog, rule book, verdict policy) is loaded and validated once per process;
after that a recommendation does no I/O, so the page can compute one on every rerun.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from packaging.version import Version

from advisor.answers import V1_PARAMS, Answers
from advisor.catalog import Catalog, load_catalog
from advisor.confidence import combine, young_trio_support
from advisor.decisions import DecisionKind, LoopChoice
from advisor.deps.model import DependencyRole, ProjectDependencies
from advisor.facts import (
    DependencyFacts,
    DependencySummary,
    Facts,
    PortingCost,
    dependency_facts,
    derive_facts,
    summarize_dependencies,
)
from advisor.flips import Candidate, candidates, find_flips
from advisor.policy import load_policy
from advisor.recommendation import (
    Certainty,
    Decision,
    DependencyStatus,
    Flip,
    Reason,
    Recommendation,
)
from advisor.rules.loading import load_rules
from advisor.rules.model import RuleBook, Runtime
from advisor.scoring import (
    Outcome,
    RuleIndex,
    VerdictPolicy,
    capped_totals,
    factor_sums,
    find_blockers,
    fired_flags,
    quick_verdict,
    refired_flags,
    retest_positions,
    score,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
"""The project's data folder (catalog, rules, stored benchmarks)."""

DATA_DIR_ENV = "ADVISOR_DATA_DIR"
"""The environment variable naming a deployment's reviewed copy of the data folder."""


def configured_data_dir() -> Path:
    """The data folder every entry point uses: `ADVISOR_DATA_DIR` if set, else the project's."""
    return Path(os.environ.get(DATA_DIR_ENV) or DATA_DIR)


@dataclass(frozen=True, slots=True, kw_only=True)
class Knowledge:
    """Everything `recommend()` needs, loaded and validated."""

    catalog: Catalog
    """The library catalog."""
    rules: RuleBook
    """Scoring and blocker rules."""
    policy: VerdictPolicy
    """Factors, their uncertainty and caps, and the grade margins."""
    index: RuleIndex
    """The scoring rules split by decision."""


def load_knowledge(data_dir: Path = DATA_DIR) -> Knowledge:
    """Load and validate the catalog, the rules and the policy under `data_dir`."""
    catalog = load_catalog(data_dir / "libraries.toml")
    policy = load_policy(data_dir / "scoring.toml")
    rules = load_rules(data_dir / "rules", tuple(catalog.categories), frozenset(policy.factors))
    return Knowledge(catalog=catalog, rules=rules, policy=policy, index=RuleIndex.of(rules))


@functools.cache
def default_knowledge() -> Knowledge:
    """The project's own data, loaded once per process."""
    return load_knowledge(DATA_DIR)


ASSUMED_QUESTIONS: dict[str, str] = {
    "exp_asyncio": "How experienced is the team with asyncio?",
    "exp_trio": "How experienced is the team with Trio?",
    "team": "How large is the team?",
    "scale": "How many tasks or connections run at once at peak?",
    "perf": "Is raw throughput or latency a top requirement?",
    "cancel": "Are strict timeouts, cancellation and clean shutdown a top requirement?",
    "python": "What is the oldest Python version you must support?",
}
"""Answers whose default is a guess about the team or the project: when one of them, left at
its default, is one step from flipping the verdict, the verdict is graded `lean` and the page
asks that question."""

_DEFAULTS = {p.name: p.default for p in V1_PARAMS}


def _status(
    name: str, dep: DependencyFacts | None, role: DependencyRole, policy: VerdictPolicy
) -> DependencyStatus:
    if dep is None:
        return DependencyStatus(name=name, known=False, role=role.value)
    library = dep.library
    if library is None:  # an inferred fact
        return DependencyStatus(
            name=name,
            known=False,
            asyncio=dep.asyncio.value,
            trio=dep.trio.value,
            confidence=dep.confidence.value,
            note=dep.note,
            role=role.value,
            via=dep.via,
            inferred_from=dep.note or None,
        )
    return DependencyStatus(
        name=name,
        known=True,
        catalog_name=library.name,
        category=library.category,
        asyncio=dep.asyncio.value,
        trio=dep.trio.value,
        trio_since=str(library.trio_since) if library.trio_since else None,
        note=library.note,
        evidence=library.evidence,
        checked_version=library.checked_version,
        checked_on=library.checked_on,
        confidence=library.confidence.value,
        role=role.value,
        via=dep.via,
        range_note=dep.note,
        maturity=library.maturity.value,
        library_role=library.role.value,
        trio_since_date=library.trio_since_date,
        recent_trio_support=young_trio_support(dep, policy) is not None,
        alternatives=library.alternatives,
        hosts_code=library.hosts_code,
    )


def _loop_reason(outcome: Outcome) -> str:
    loop = outcome.loop
    if outcome.all_blocked:
        return "No event loop runs every dependency as they stand (see the blockers)."
    name = "asyncio" if loop.choice == LoopChoice.ASYNCIO else "Trio"
    if loop.forced:
        other = Runtime.TRIO if loop.choice == LoopChoice.ASYNCIO else Runtime.ASYNCIO
        names = sorted({b.dependency for b in outcome.blockers if b.runtime is other})
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        need = "asyncio" if other is Runtime.TRIO else "Trio"
        return f"{name}: {shown} need{'s' if len(names) == 1 else ''} {need}'s loop."
    return f"{name}: {loop.reason}."


def _api_reason(outcome: Outcome) -> str:
    api = outcome.api
    loop_name = "asyncio's" if outcome.loop.choice == LoopChoice.ASYNCIO else "Trio's"
    what = "AnyIO" if api.choice == "anyio" else f"{loop_name} own API"
    return f"{what}: {api.reason}."


def recommend(
    answers: Answers,
    knowledge: Knowledge | None = None,
    *,
    versions: Mapping[str, Version] | None = None,
    project: ProjectDependencies | None = None,
    porting: PortingCost | None = None,
    _confirm_firm_ups: bool = True,
) -> Recommendation:
    """The verdict for `answers`, with its two decisions, reasons, blockers, flips and the
    dependency table.

    `versions` (normalised name -> pinned version, e.g. from a requirements file) lets
    version-dependent catalog facts apply: a library pinned below its `trio_since` counts as
    asyncio-only. `project` carries what a dependency file says beyond names (ranges, the
    transitive tree, inferred facts, development dependencies); see `advisor.deps.model`.
    `porting` is what moving the team's existing code would cost (from `advisor.scan`): with
    it, the existing-code factor is sized by the number of uses that need a redesign instead
    of by the `codebase` answer alone.
    """
    knowledge = knowledge or default_knowledge()
    catalog, book, policy = knowledge.catalog, knowledge.rules, knowledge.policy
    deps = dependency_facts(answers.deps, catalog, versions, project)
    summary = summarize_dependencies(deps)
    outcome = score(
        derive_facts(answers, summary, porting=porting),
        deps,
        book,
        policy,
        index=knowledge.index,
    )
    grade = combine(answers, outcome, deps, policy)

    judge = _Judge(answers, deps, summary, outcome, knowledge, porting)
    tried = candidates(answers, _decisive(outcome, deps), judge.alternatives)
    flips = find_flips(answers, outcome.verdict, grade.certainty, tried, judge)
    if outcome.all_blocked:
        # Nothing runs every dependency: only a dependency change can lift that; another
        # answer would move only which runtime comes closest, which is not advice.
        flips = tuple(f for f in flips if f.param == "deps")
    if _confirm_firm_ups:
        flips = _first_confirmed_firm_up(flips, knowledge, versions, project, porting)

    certainty, reason, firm_up = grade.certainty, grade.reason, None
    for flip in flips:
        if flip.kind == "firm-up" or flip.param not in ASSUMED_QUESTIONS:
            continue
        if getattr(answers, flip.param) == _DEFAULTS[flip.param] and _one_step(answers, flip):
            firm_up = ASSUMED_QUESTIONS[flip.param]
            if certainty is Certainty.CLEAR:
                certainty = Certainty.LEAN
                reason = (
                    f"an answer left at its default decides it: {flip.sentence[0].lower()}"
                    f"{flip.sentence[1:]}"
                )
            break
    if firm_up is None and certainty is Certainty.LEAN:
        firm_up = next((f.sentence for f in flips if f.kind == "firm-up"), None)

    fired = sorted(outcome.fired, key=lambda rule: (-rule.effect.weight, rule.id))
    assumed = tuple(
        param for param in ASSUMED_QUESTIONS if getattr(answers, param) == _DEFAULTS[param]
    )
    roles = _roles(answers, deps, project)
    return Recommendation(
        answers=answers,
        verdict=outcome.verdict,
        certainty=certainty,
        margin=outcome.margin,
        scores=outcome.scores,
        blocked=outcome.blocked,
        reasons=tuple(
            Reason(
                rule_id=rule.id,
                theme=rule.theme,
                title=rule.title,
                condition=rule.when.text,
                effect=rule.effect,
                rationale=rule.rationale,
                source=rule.source,
                factor=rule.factor,
            )
            for rule in fired
        ),
        blockers=outcome.blockers,
        flips=flips,
        dependencies=tuple(
            _status(dep.name if dep else name, dep, role, policy) for name, dep, role in roles
        ),
        loop=Decision(
            choice=outcome.loop.choice,
            grade=outcome.loop.grade,
            reason=_loop_reason(outcome),
            uvloop=outcome.loop.choice == LoopChoice.ASYNCIO
            and ("uvloop" in answers.deps or answers.perf.value == "critical"),
        ),
        api=Decision(
            choice=outcome.api.choice, grade=outcome.api.grade, reason=_api_reason(outcome)
        ),
        confidence_reason=reason,
        assumed=assumed,
        firm_up=firm_up,
    )


def _first_confirmed_firm_up(
    flips: tuple[Flip, ...],
    knowledge: Knowledge,
    versions: Mapping[str, Version] | None,
    project: ProjectDependencies | None,
    porting: PortingCost | None,
) -> tuple[Flip, ...]:
    """The flips with at most one firm-up: the first one, kept only if its answers really are
    graded clear with every cap applied (the search grades them without the flip-based cap).
    A firm-up promises "clear"; one kept promise is worth more than several unchecked ones,
    and checking costs a whole recommendation."""
    kept: list[Flip] = []
    checked = False
    for flip in flips:
        if flip.kind != "firm-up":
            kept.append(flip)
        elif not checked:
            checked = True
            again = recommend(
                Answers.from_query(flip.query),
                knowledge,
                versions=versions,
                project=project,
                porting=porting,
                _confirm_firm_ups=False,
            )
            if again.certainty is Certainty.CLEAR:
                kept.append(flip)
    return tuple(kept)


def _roles(
    answers: Answers,
    deps: tuple[DependencyFacts | None, ...],
    project: ProjectDependencies | None,
) -> list[tuple[str, DependencyFacts | None, DependencyRole]]:
    rows: list[tuple[str, DependencyFacts | None, DependencyRole]] = []
    for position, dep in enumerate(deps):
        name = answers.deps[position] if position < len(answers.deps) else (dep.name if dep else "")
        rows.append((name, dep, DependencyRole.RUNTIME))
    if project:
        for name in project.dev:
            if name not in answers.deps:
                rows.append((name, None, DependencyRole.DEV))
    return rows


def _one_step(answers: Answers, flip: Flip) -> bool:
    """Whether a flip moves its answer by one step from the current value."""
    changed = Answers.from_query(flip.query)
    before: Enum = getattr(answers, flip.param)
    after: Enum = getattr(changed, flip.param)
    members: list[Enum] = list(type(before))
    return abs(members.index(after) - members.index(before)) == 1


def _decisive(outcome: Outcome, deps: tuple[DependencyFacts | None, ...]) -> list[str]:
    """Direct dependencies that alone rule a runtime out: dropping or swapping one of them can
    lift the block. A dependency that shares its block with another decides nothing on its
    own, so it is not offered (and the search stays linear: at most one per runtime)."""
    by_runtime: dict[Runtime, set[str]] = {}
    for blocker in outcome.blockers:
        by_runtime.setdefault(blocker.runtime, set()).add(
            blocker.via[0] if blocker.via else blocker.dependency
        )
    direct = {d.name for d in deps if d is not None and not d.via}
    sole = {next(iter(names)) for names in by_runtime.values() if len(names) == 1}
    return sorted(sole & direct)


_DEPENDENCY_FACTS = frozenset(
    f.name for f in dataclasses.fields(Facts) if f.metadata.get("answer") == "deps"
)


class _Judge:
    """Scores flip candidates incrementally: a dependency change is a subtraction from the
    summary and a filter on the blockers, and only the rules that read what changed are tested
    again, so the search stays linear in the dependencies and cheap per candidate."""

    def __init__(
        self,
        answers: Answers,
        deps: tuple[DependencyFacts | None, ...],
        summary: DependencySummary,
        outcome: Outcome,
        knowledge: Knowledge,
        porting: PortingCost | None,
    ) -> None:
        self.answers = answers
        self.porting = porting
        self.deps = deps
        self.summary = summary
        self.outcome = outcome
        self.knowledge = knowledge
        self.by_name = {d.name: d for d in deps if d is not None}
        self.static_blockers = all(not r.when.names for r in knowledge.rules.blockers)
        index = knowledge.index
        base = derive_facts(answers, summary, porting=porting)
        self.loop_base = fired_flags(index.loop, base)
        self.loop_sums = factor_sums(index.loop_effects, self.loop_base)
        self.api_base = {
            loop: fired_flags(index.api, derive_facts(answers, summary, loop, porting))
            for loop in LoopChoice
        }
        self.api_sums = {
            loop: factor_sums(index.api_effects, flags) for loop, flags in self.api_base.items()
        }
        self.positions: dict[frozenset[str], tuple[tuple[int, ...], tuple[int, ...]]] = {}

    def _reading(self, changed: frozenset[str]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Loop and API rule positions that read a changed fact (or the loop, for the API)."""
        found = self.positions.get(changed)
        if found is None:
            index = self.knowledge.index
            found = (
                index.reading(DecisionKind.LOOP, changed),
                index.reading(DecisionKind.API, changed),
            )
            self.positions[changed] = found
        return found

    def alternatives(self, name: str) -> tuple[str, ...]:
        library = self.knowledge.catalog.lookup(name)
        return library.alternatives if library is not None else ()

    def __call__(self, candidate: Candidate) -> tuple[Runtime, Callable[[], Certainty]]:
        knowledge = self.knowledge
        index = knowledge.index
        summary, deps, blockers = self.summary, self.deps, self.outcome.blockers
        if candidate.drop or candidate.add:
            changed = _DEPENDENCY_FACTS
            dropped = set(candidate.drop)
            for name in candidate.drop:
                summary = summary.without(self.by_name.get(name))
            added = dependency_facts(candidate.add, knowledge.catalog)
            for dep in added:
                summary = summary.plus(dep)
            deps = tuple(d for d in deps if d is None or d.name not in dropped) + added
            blockers = tuple(
                b for b in blockers if b.dependency not in dropped and not set(b.via) & dropped
            )
            facts = derive_facts(candidate.answers, summary, porting=self.porting)
            blockers += find_blockers(facts, added, knowledge.rules)
        else:
            changed = frozenset({candidate.param})
            facts = derive_facts(candidate.answers, summary, porting=self.porting)
            if not self.static_blockers:
                blockers = find_blockers(facts, deps, knowledge.rules)

        policy = knowledge.policy
        loop_positions, api_positions = self._reading(changed)
        loop_fired, loop_sums = retest_positions(
            index.loop, index.loop_effects, loop_positions, self.loop_base, self.loop_sums, facts
        )

        def api_totals(loop: LoopChoice) -> tuple[float, float]:
            api_facts = facts if facts.loop == loop else dataclasses.replace(facts, loop=loop)
            _, sums = retest_positions(
                index.api,
                index.api_effects,
                api_positions,
                self.api_base[loop],
                self.api_sums[loop],
                api_facts,
            )
            return capped_totals(sums, policy)

        verdict = quick_verdict(blockers, capped_totals(loop_sums, policy), api_totals)
        final_deps, final_blockers = deps, blockers

        def api_fired(api_facts: Facts) -> tuple[bool, ...]:
            before = self.api_base[api_facts.loop]
            return refired_flags(index.api, before, api_facts, changed)

        def grade() -> Certainty:
            outcome = score(
                facts,
                final_deps,
                knowledge.rules,
                knowledge.policy,
                blockers=final_blockers,
                index=index,
                loop_fired=loop_fired,
                api_fired=api_fired,
            )
            return combine(candidate.answers, outcome, final_deps, knowledge.policy).certainty

        return verdict, grade
