"""`recommend()`: answers + loaded knowledge -> a `Recommendation`.

The knowledge (catalog, rule book, verdict policy) is loaded and validated once per process;
after that a recommendation does no I/O, so the page can compute one on every rerun.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from packaging.version import Version

from advisor.answers import Answers
from advisor.catalog import Catalog, load_catalog
from advisor.datafiles import read_toml
from advisor.deps.model import ProjectDependencies
from advisor.errors import DataError
from advisor.facts import DependencyFacts, dependency_facts, derive_facts, summarize_dependencies
from advisor.flips import find_flips
from advisor.recommendation import DependencyStatus, Reason, Recommendation
from advisor.rules.loading import load_rules
from advisor.rules.model import RuleBook, Runtime
from advisor.scoring import RuleIndex, VerdictPolicy, index_rules, rescore_verdict, score

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
"""The project's data folder (catalog, rules, stored benchmarks)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Knowledge:
    """Everything `recommend()` needs, loaded and validated."""

    catalog: Catalog
    """The library catalog."""
    rules: RuleBook
    """Scoring and blocker rules."""
    policy: VerdictPolicy
    """Margins for clear / lean / toss-up."""
    index: RuleIndex
    """Lookups over `rules` for fast re-scoring."""


def load_policy(path: Path) -> VerdictPolicy:
    """Read `data/scoring.toml`: the margins that grade a verdict."""
    document = read_toml(path)
    verdict = document.get("verdict")
    if not isinstance(verdict, dict):
        raise DataError(path, "[verdict]", "a [verdict] table is required")
    margins: dict[str, float] = {}
    for key in ("clear_margin", "lean_margin"):
        value = verdict.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise DataError(path, f"verdict.{key}", "must be a positive number")
        margins[key] = float(value)
    if margins["lean_margin"] >= margins["clear_margin"]:
        raise DataError(path, "verdict.lean_margin", "must be smaller than clear_margin")
    return VerdictPolicy(**margins)


def load_knowledge(data_dir: Path = DATA_DIR) -> Knowledge:
    """Load and validate the catalog, the rules and the policy under `data_dir`."""
    catalog = load_catalog(data_dir / "libraries.toml")
    rules = load_rules(data_dir / "rules", tuple(catalog.categories))
    return Knowledge(
        catalog=catalog,
        rules=rules,
        policy=load_policy(data_dir / "scoring.toml"),
        index=index_rules(rules),
    )


@functools.cache
def default_knowledge() -> Knowledge:
    """The project's own data, loaded once per process."""
    return load_knowledge(DATA_DIR)


def _status(name: str, dep: DependencyFacts | None) -> DependencyStatus:
    if dep is None:
        return DependencyStatus(name=name, known=False)
    library = dep.library
    return DependencyStatus(
        name=name,
        known=True,
        catalog_name=library.name,
        category=library.category,
        asyncio=library.asyncio.value,
        trio=dep.trio.value,
        trio_since=str(library.trio_since) if library.trio_since else None,
        note=library.note,
        evidence=library.evidence,
        checked_version=library.checked_version,
        checked_on=library.checked_on,
        confidence=library.confidence.value,
    )


def recommend(
    answers: Answers,
    knowledge: Knowledge | None = None,
    *,
    versions: Mapping[str, Version] | None = None,
    project: ProjectDependencies | None = None,
) -> Recommendation:
    """The verdict for `answers`, with reasons, blockers, flips and the dependency table.

    `versions` (normalised name -> pinned version, e.g. from a requirements file) lets
    version-dependent catalog facts apply: a library pinned below its `trio_since` counts as
    asyncio-only. `project` carries what a dependency file says beyond names (roles, ranges,
    the transitive tree, inferred facts); see `advisor.deps.model`.
    """
    knowledge = knowledge or default_knowledge()
    deps = dependency_facts(answers.deps, knowledge.catalog, versions)
    summary = summarize_dependencies(deps)
    outcome = score(derive_facts(answers, summary), deps, knowledge.index, knowledge.policy)

    def verdict_of(changed: Answers, param: str, kept: tuple[int, ...] | None) -> Runtime:
        changed_deps = deps if kept is None else tuple(deps[i] for i in kept)
        changed_summary = summary if kept is None else summarize_dependencies(changed_deps)
        facts = derive_facts(changed, changed_summary)
        return rescore_verdict(
            outcome, facts, changed_deps, param, knowledge.index, knowledge.policy
        )

    reasons = sorted(outcome.fired, key=lambda rule: (-rule.effect.weight, rule.id))
    return Recommendation(
        answers=answers,
        verdict=outcome.verdict,
        certainty=outcome.certainty,
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
            )
            for rule in reasons
        ),
        blockers=outcome.blockers,
        flips=find_flips(answers, outcome.verdict, verdict_of),
        dependencies=tuple(
            _status(name, dep) for name, dep in zip(answers.deps, deps, strict=True)
        ),
    )
