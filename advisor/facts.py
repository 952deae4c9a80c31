"""Facts derived from the answers and the catalog: the names rule conditions may use.

The fields of `Facts` *are* the rule vocabulary: the condition language reads their types (and
the `doc` and `ordered` metadata) from here, so a name is declared once and a typo in a rule
fails at load time. `DependencyFacts` is the smaller vocabulary of per-dependency conditions
(blocker rules).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from packaging.version import Version

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
from advisor.catalog import AsyncioSupport, Catalog, Confidence, Library, TrioSupport


def _doc(text: str, *, ordered: bool = False, answer: str | None = None) -> dict[str, object]:
    return {"doc": text, "ordered": ordered, "answer": answer}


@dataclass(frozen=True, slots=True, kw_only=True)
class DependencyFacts:
    """One dependency as a blocker rule sees it (only catalogued dependencies have facts)."""

    name: str = field(metadata=_doc("The normalised PyPI name."))
    category: str = field(metadata=_doc("The catalog category."))
    asyncio: AsyncioSupport = field(metadata=_doc("How it runs on asyncio."))
    trio: TrioSupport = field(metadata=_doc("How it runs on Trio (at the pinned version, if any)."))
    confidence: Confidence = field(metadata=_doc("How sure the catalog is."))
    library: Library = field(metadata=_doc("The catalog entry (not usable in conditions)."))


@dataclass(frozen=True, slots=True, kw_only=True)
class Facts:
    """Everything a rule condition may ask about one set of answers."""

    deps: frozenset[str] = field(metadata=_doc("Dependency names.", answer="deps"))
    workload: frozenset[Workload] = field(
        metadata=_doc("What the program mostly does.", answer="workload")
    )
    scale: Scale = field(metadata=_doc("Peak concurrency.", ordered=True, answer="scale"))
    perf: Perf = field(metadata=_doc("Is raw speed a top requirement?", answer="perf"))
    exp_asyncio: Experience = field(
        metadata=_doc("asyncio experience, 0-3.", ordered=True, answer="exp_asyncio")
    )
    exp_trio: Experience = field(
        metadata=_doc("Trio experience, 0-3.", ordered=True, answer="exp_trio")
    )
    team: Team = field(metadata=_doc("Team size.", ordered=True, answer="team"))
    codebase: Codebase = field(metadata=_doc("What exists today.", answer="codebase"))
    kind: Kind = field(metadata=_doc("App or library.", answer="kind"))
    python: PythonVersion = field(
        metadata=_doc("Oldest Python to support.", ordered=True, answer="python")
    )
    cancel: Cancel = field(
        metadata=_doc("Are strict timeouts and cancellation a top requirement?", answer="cancel")
    )
    n_deps: int = field(metadata=_doc("How many dependencies were given.", answer="deps"))
    deps_unknown: int = field(metadata=_doc("Dependencies not in the catalog.", answer="deps"))
    deps_trio_native: int = field(
        metadata=_doc("Dependencies with native Trio support.", answer="deps")
    )
    deps_trio_anyio: int = field(
        metadata=_doc("Dependencies that run on Trio through AnyIO.", answer="deps")
    )
    deps_trio_bridge: int = field(
        metadata=_doc("asyncio-only dependencies (Trio only via trio-asyncio).", answer="deps")
    )
    deps_trio_none: int = field(
        metadata=_doc("Dependencies that cannot run under Trio at all.", answer="deps")
    )
    deps_without_trio: int = field(
        metadata=_doc("deps_trio_bridge + deps_trio_none.", answer="deps")
    )
    deps_asyncio_none: int = field(
        metadata=_doc("Dependencies that do not run on asyncio (Trio-only).", answer="deps")
    )
    deps_anyio_based: int = field(metadata=_doc("Dependencies built on AnyIO.", answer="deps"))
    deps_blocking: int = field(
        metadata=_doc("Blocking (non-async) dependencies, used from threads.", answer="deps")
    )
    dep_categories: frozenset[str] = field(
        metadata=_doc("Catalog categories of the known dependencies.", answer="deps")
    )


def dependency_facts(
    deps: tuple[str, ...], catalog: Catalog, versions: Mapping[str, Version] | None = None
) -> tuple[DependencyFacts | None, ...]:
    """Each dependency's facts, `None` where the catalog does not know it (same order as deps)."""
    result: list[DependencyFacts | None] = []
    for name in deps:
        library = catalog.lookup(name)
        if library is None:
            result.append(None)
            continue
        version = versions.get(name) if versions else None
        result.append(
            DependencyFacts(
                name=name,
                category=library.category,
                asyncio=library.asyncio,
                trio=library.trio_at(version),
                confidence=library.confidence,
                library=library,
            )
        )
    return tuple(result)


@dataclass(frozen=True, slots=True, kw_only=True)
class DependencySummary:
    """The dependency-derived facts, computed once per dependency list and reused."""

    n_deps: int
    deps_unknown: int
    deps_trio_native: int
    deps_trio_anyio: int
    deps_trio_bridge: int
    deps_trio_none: int
    deps_without_trio: int
    deps_asyncio_none: int
    deps_anyio_based: int
    deps_blocking: int
    dep_categories: frozenset[str]


def summarize_dependencies(deps: tuple[DependencyFacts | None, ...]) -> DependencySummary:
    """Count the dependencies by support status."""
    trio_counts = dict.fromkeys(TrioSupport, 0)
    asyncio_none = anyio_based = 0
    categories: set[str] = set()
    for dep in deps:
        if dep is None:
            continue
        trio_counts[dep.trio] += 1
        asyncio_none += dep.asyncio is AsyncioSupport.NONE
        # Below `trio_since` (dep.trio differs from the entry's) the library was asyncio-only.
        anyio_based += dep.library.anyio_based and dep.trio is dep.library.trio
        categories.add(dep.category)
    return DependencySummary(
        n_deps=len(deps),
        deps_unknown=sum(dep is None for dep in deps),
        deps_trio_native=trio_counts[TrioSupport.NATIVE],
        deps_trio_anyio=trio_counts[TrioSupport.ANYIO],
        deps_trio_bridge=trio_counts[TrioSupport.BRIDGE],
        deps_trio_none=trio_counts[TrioSupport.NONE],
        deps_without_trio=trio_counts[TrioSupport.BRIDGE] + trio_counts[TrioSupport.NONE],
        deps_asyncio_none=asyncio_none,
        deps_anyio_based=anyio_based,
        deps_blocking=trio_counts[TrioSupport.THREAD],
        dep_categories=frozenset(categories),
    )


def derive_facts(answers: Answers, summary: DependencySummary) -> Facts:
    """The facts for `answers`, given the summary of its dependencies."""
    return Facts(
        deps=frozenset(answers.deps),
        workload=answers.workload,
        scale=answers.scale,
        perf=answers.perf,
        exp_asyncio=answers.exp_asyncio,
        exp_trio=answers.exp_trio,
        team=answers.team,
        codebase=answers.codebase,
        kind=answers.kind,
        python=answers.python,
        cancel=answers.cancel,
        n_deps=summary.n_deps,
        deps_unknown=summary.deps_unknown,
        deps_trio_native=summary.deps_trio_native,
        deps_trio_anyio=summary.deps_trio_anyio,
        deps_trio_bridge=summary.deps_trio_bridge,
        deps_trio_none=summary.deps_trio_none,
        deps_without_trio=summary.deps_without_trio,
        deps_asyncio_none=summary.deps_asyncio_none,
        deps_anyio_based=summary.deps_anyio_based,
        deps_blocking=summary.deps_blocking,
        dep_categories=summary.dep_categories,
    )
