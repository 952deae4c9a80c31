"""`recommend()`: answers + loaded knowledge -> a `Recommendation`.

The knowledge (catalog, rule book, verdict policy) is loaded and validated once per process;
after that a recommendation does no I/O, so the page can compute one on every rerun.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from packaging.version import Version

from advisor.answers import Answers
from advisor.assumed import ASSUMED_QUESTIONS, DEFAULTS, assumed
from advisor.catalog import Catalog, load_catalog
from advisor.confidence import combine, young_trio_support
from advisor.decisions import LoopChoice
from advisor.deps.model import DependencyRole, ProjectDependencies
from advisor.facts import (
    DependencyFacts,
    PortingCost,
    dependency_facts,
    derive_facts,
    summarize_dependencies,
)
from advisor.flips import Candidate, IncrementalJudge, candidates, find_flips, one_step
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
from advisor.rules.model import Rule, RuleBook, Runtime
from advisor.scoring import Outcome, RuleIndex, VerdictPolicy, find_blockers

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


@functools.lru_cache(maxsize=4096)
def _status(
    name: str, dep: DependencyFacts | None, role: DependencyRole, recent_days: int
) -> DependencyStatus:
    """One row of the dependency table (remembered: the rows of a catalog's libraries are
    few and the same on every page)."""
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
        recent_trio_support=young_trio_support(dep, recent_days) is not None,
        alternatives=library.alternatives,
        hosts_code=library.hosts_code,
    )


@functools.lru_cache(maxsize=1024)
def _reason(rule: Rule) -> Reason:
    """A fired rule as the page shows it (remembered per rule: it depends on nothing else)."""
    return Reason(
        rule_id=rule.id,
        theme=rule.theme,
        title=rule.title,
        condition=rule.when.text,
        effect=rule.effect,
        rationale=rule.rationale,
        source=rule.source,
        factor=rule.factor,
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


def base_judge(
    answers: Answers,
    knowledge: Knowledge,
    *,
    versions: Mapping[str, Version] | None = None,
    project: ProjectDependencies | None = None,
    porting: PortingCost | None = None,
) -> IncrementalJudge:
    """The flip search's judge for `answers`: their dependencies' facts, facts and blockers,
    with the base's fired rules, which `recommend()` scores from (arguments as there)."""
    deps = dependency_facts(answers.deps, knowledge.catalog, versions, project)
    summary = summarize_dependencies(deps)
    facts = derive_facts(answers, summary, porting=porting)
    return IncrementalJudge(
        answers=answers,
        deps=deps,
        summary=summary,
        facts=facts,
        blockers=find_blockers(facts, deps, knowledge.rules, index=knowledge.index),
        catalog=knowledge.catalog,
        rules=knowledge.rules,
        policy=knowledge.policy,
        index=knowledge.index,
        porting=porting,
    )


def recommend(
    answers: Answers,
    knowledge: Knowledge | None = None,
    *,
    versions: Mapping[str, Version] | None = None,
    project: ProjectDependencies | None = None,
    porting: PortingCost | None = None,
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
    if not isinstance(answers, Answers):
        raise TypeError(
            f"recommend() takes Answers, not {type(answers).__name__}; for a share-link "
            "query use recommend(Answers.from_query(query))"
        )
    knowledge = knowledge or default_knowledge()
    policy = knowledge.policy
    judge = base_judge(answers, knowledge, versions=versions, project=project, porting=porting)
    deps = judge.deps
    outcome = judge.base_outcome()
    grade = combine(answers, outcome, deps, policy)

    tried = flip_candidates(answers, outcome, judge)
    flips = find_flips(answers, outcome.verdict, grade.certainty, tried, judge)
    if outcome.all_blocked:
        # Nothing runs every dependency: only a dependency change can lift that; another
        # answer would move only which runtime comes closest, which is not advice.
        flips = tuple(f for f in flips if f.param == "deps")

    certainty, reason, firm_up = grade.certainty, grade.reason, None
    by_change = {c.change: c for c in tried}
    for flip in flips:
        if flip.kind == "firm-up" or flip.param not in ASSUMED_QUESTIONS:
            continue
        before: Enum = getattr(answers, flip.param)
        after = by_change[flip.change].value
        if before == DEFAULTS[flip.param] and isinstance(after, Enum) and one_step(before, after):
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

    fired = sorted(outcome.fired, key=lambda rule: knowledge.index.rank[rule.id])
    roles = _roles(answers, deps, project)
    return Recommendation(
        answers=answers,
        verdict=outcome.verdict,
        certainty=certainty,
        margin=outcome.margin,
        scores=outcome.scores,
        blocked=outcome.blocked,
        reasons=tuple(_reason(rule) for rule in fired),
        blockers=outcome.blockers,
        flips=flips,
        dependencies=tuple(
            _status(dep.name if dep else name, dep, role, policy.recent_support_days)
            for name, dep, role in roles
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
        assumed=assumed(answers),
        firm_up=firm_up,
    )


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


def flip_candidates(answers: Answers, outcome: Outcome, judge: IncrementalJudge) -> list[Candidate]:
    """The changes the flip search tries for `answers` (see `advisor.flips.candidates`)."""
    return candidates(answers, _decisive(outcome, judge.deps), judge.alternatives)


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
