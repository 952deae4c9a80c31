"""Facts derived from the answers and the catalog: the names rule conditions may use.

The fields of `Facts` *are* the rule vocabulary: the condition language reads their types (and
the `doc` and `ordered` metadata) from here, so a name is declared once and a typo in a rule
fails at load time. `DependencyFacts` is the smaller vocabulary of per-dependency conditions
(blocker rules).
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

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
from advisor.catalog import (
    AsyncioSupport,
    Catalog,
    Confidence,
    Library,
    LibraryRole,
    TrioSupport,
)
from advisor.decisions import LoopChoice
from advisor.deps.model import ProjectDependencies, ResolvedSupport


@dataclass(frozen=True, slots=True, kw_only=True)
class PortingCost:
    """What moving the team's existing code would cost, from a scan of it (`advisor.scan`).

    Counts are use sites (one per API per line) that need a redesign, or only a mechanical
    change, to run on each target; the code's own runtime has 0 and 0.
    """

    redesign: Mapping[str, int]
    """Target runtime ("asyncio", "trio", "anyio") -> use sites needing a redesign."""
    mechanical: Mapping[str, int]
    """Target runtime -> use sites needing a mechanical change."""


WEIGHED_ROLES = frozenset({LibraryRole.LIBRARY, LibraryRole.SERVER})
"""Roles whose support is counted: runtimes, test plugins and tooling never rule a runtime
out (listing `trio` or `pytest-trio` says how the project runs its tests, not what its code
needs); rules still see their names in `deps`."""


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
    role: LibraryRole = field(metadata=_doc("runtime, library, server, test-plugin or tooling."))
    library: Library | None = field(
        default=None, metadata=_doc("The catalog entry (None for an inferred fact).")
    )
    via: tuple[str, ...] = field(
        default=(), metadata=_doc("Chain from a direct dependency (transitive ones).")
    )
    note: str = field(default="", metadata=_doc("What the range or the inference means."))

    @property
    def weighed(self) -> bool:
        """Whether its support counts (runtimes, test plugins and tooling never block)."""
        return self.role in WEIGHED_ROLES


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
    deps_weighed: int = field(
        metadata=_doc("Known libraries and servers (what the other counts count).", answer="deps")
    )
    deps_trio_capable: int = field(
        metadata=_doc("deps_trio_native + deps_trio_anyio.", answer="deps")
    )
    deps_trio_thread_only: int = field(
        metadata=_doc(
            "Dependencies with an asyncio API that Trio can only drive from threads.",
            answer="deps",
        )
    )
    dep_categories: frozenset[str] = field(
        metadata=_doc("Catalog categories of the known dependencies.", answer="deps")
    )
    scanned: bool = field(
        default=False,
        metadata=_doc(
            "True when the team's code was scanned (porting costs known).", answer="codebase"
        ),
    )
    redesign_to_trio: int = field(
        default=0,
        metadata=_doc("Use sites needing a redesign to run on Trio (scan).", answer="codebase"),
    )
    redesign_to_anyio: int = field(
        default=0,
        metadata=_doc("Use sites needing a redesign to run on AnyIO (scan).", answer="codebase"),
    )
    redesign_to_asyncio: int = field(
        default=0,
        metadata=_doc("Use sites needing a redesign to run on asyncio (scan).", answer="codebase"),
    )
    loop: LoopChoice = field(
        default=LoopChoice.ASYNCIO,
        metadata=_doc(
            "The event loop decided (API rules only: the loop decision is made first).",
            answer="loop",
        ),
    )


@functools.lru_cache(maxsize=4096)
def _facts_of(
    name: str,
    library: Library | None,
    resolved: ResolvedSupport | None,
    version: Version | None,
    via: tuple[str, ...],
) -> DependencyFacts | None:
    if library is None:
        if resolved is None or resolved.inferred_from is None:
            return None
        return DependencyFacts(  # an inferred fact: always below a catalogued one
            name=name,
            category="utility",
            asyncio=resolved.asyncio,
            trio=resolved.trio,
            confidence=Confidence.LOW,
            role=LibraryRole.LIBRARY,
            via=via,
            note=resolved.note,
        )
    trio = resolved.trio if resolved else library.trio_at(version)
    asyncio = resolved.asyncio if resolved else library.asyncio
    return DependencyFacts(
        name=name,
        category=library.category,
        asyncio=asyncio,
        trio=trio,
        confidence=library.confidence,
        role=library.role,
        library=library,
        via=via,
        note=resolved.note if resolved else "",
    )


def dependency_facts(
    deps: tuple[str, ...],
    catalog: Catalog,
    versions: Mapping[str, Version] | None = None,
    project: ProjectDependencies | None = None,
) -> tuple[DependencyFacts | None, ...]:
    """Each dependency's facts, `None` where nothing is known (same order as `deps`).

    With a `project` (from a dependency file), its transitive packages follow the direct ones,
    each carrying the chain that pulls it in, and its resolved support (at the declared range
    or locked version, or inferred for an uncatalogued package) overrides the catalog's
    current-version fact.
    """
    support = project.support if project else {}
    locked = {**(project.versions if project else {}), **(versions or {})}
    result: list[DependencyFacts | None] = []
    for name in deps:
        library = catalog.lookup(name)
        result.append(_facts_of(name, library, support.get(name), locked.get(name), ()))
    if project:
        direct = set(deps)
        for name, chain in sorted(project.transitive.items()):
            if name in direct or not chain or chain[0] not in direct:
                continue  # only what the weighed direct dependencies pull in
            found = _facts_of(
                name, catalog.lookup(name), support.get(name), locked.get(name), chain
            )
            if found is not None:
                result.append(found)
    return tuple(result)


@dataclass(frozen=True, slots=True, kw_only=True)
class DependencySummary:
    """The dependency-derived facts, computed once per dependency list and reused.

    Counts cover weighed dependencies only (libraries and servers; see `WEIGHED_ROLES`).
    `n_deps` and `deps_unknown` count names as given. Built from per-dependency `Counter`s so
    that dropping one dependency is a subtraction, not a recount (the flip search relies on
    it to stay linear in the number of dependencies).
    """

    counts: Counter[str]
    """Count per key (see `_keys_of`)."""
    categories: Counter[str]
    """Known weighed dependencies per catalog category."""

    dep_categories: frozenset[str] = frozenset()
    """Catalog categories of the known weighed dependencies (derived from `categories`)."""

    def __post_init__(self) -> None:
        present = frozenset(c for c, n in self.categories.items() if n > 0)
        object.__setattr__(self, "dep_categories", present)

    def without(self, dep: DependencyFacts | None) -> DependencySummary:
        """The summary with one dependency taken out."""
        counts = self.counts.copy()
        counts.subtract(_keys_of(dep))
        categories = self.categories.copy()
        if dep is not None and dep.weighed:
            categories[dep.category] -= 1
        return DependencySummary(counts=counts, categories=categories)

    def plus(self, dep: DependencyFacts | None) -> DependencySummary:
        """The summary with one dependency added."""
        counts = self.counts.copy()
        counts.update(_keys_of(dep))
        categories = self.categories.copy()
        if dep is not None and dep.weighed:
            categories[dep.category] += 1
        return DependencySummary(counts=counts, categories=categories)


def _keys_of(dep: DependencyFacts | None) -> Counter[str]:
    return Counter(_keys(dep))


def _keys(dep: DependencyFacts | None) -> tuple[str, ...]:
    """The summary keys one dependency counts toward (once each)."""
    if dep is None:
        return ("n_deps", "deps_unknown")
    return _support_keys(dep.weighed, dep.asyncio, dep.trio)


@functools.cache
def _support_keys(weighed: bool, asyncio: AsyncioSupport, trio: TrioSupport) -> tuple[str, ...]:
    """The keys of a known dependency, by its support (a handful of combinations, so
    remembered: summarising is then one lookup per dependency)."""
    keys = ["n_deps"]
    if not weighed:
        return tuple(keys)
    keys.append("deps_weighed")
    if trio in (TrioSupport.NATIVE, TrioSupport.ANYIO):
        keys.append("deps_trio_capable")
    keys.append(
        {
            TrioSupport.NATIVE: "deps_trio_native",
            TrioSupport.ANYIO: "deps_trio_anyio",
            TrioSupport.BRIDGE: "deps_trio_bridge",
            TrioSupport.NONE: "deps_trio_none",
            TrioSupport.THREAD: "deps_blocking",
        }[trio]
    )
    if trio in (TrioSupport.BRIDGE, TrioSupport.NONE):
        keys.append("deps_without_trio")
    if trio is TrioSupport.THREAD and asyncio is not AsyncioSupport.THREAD:
        keys.append("deps_trio_thread_only")
    if asyncio is AsyncioSupport.NONE:
        keys.append("deps_asyncio_none")
    # An AnyIO-based library follows the backend, unless its pinned range predates that.
    if trio is TrioSupport.ANYIO or (
        asyncio is AsyncioSupport.ANYIO and trio not in (TrioSupport.BRIDGE, TrioSupport.NONE)
    ):
        keys.append("deps_anyio_based")
    return tuple(keys)


def summarize_dependencies(deps: tuple[DependencyFacts | None, ...]) -> DependencySummary:
    """Count the dependencies by support status (weighed dependencies only, see above)."""
    counts = Counter(itertools.chain.from_iterable(_keys(dep) for dep in deps))
    categories = Counter(dep.category for dep in deps if dep is not None and dep.weighed)
    return DependencySummary(counts=counts, categories=categories)


_COUNTED = (
    "n_deps",
    "deps_unknown",
    "deps_trio_native",
    "deps_trio_anyio",
    "deps_trio_bridge",
    "deps_trio_none",
    "deps_without_trio",
    "deps_asyncio_none",
    "deps_anyio_based",
    "deps_blocking",
    "deps_trio_thread_only",
    "deps_weighed",
    "deps_trio_capable",
)


def derive_facts(
    answers: Answers,
    summary: DependencySummary,
    loop: LoopChoice = LoopChoice.ASYNCIO,
    porting: PortingCost | None = None,
) -> Facts:
    """The facts for `answers`, given the summary of its dependencies, the decided loop and,
    when the team's code was scanned, what moving it would cost."""
    redesign = porting.redesign if porting else {}
    return Facts(
        scanned=porting is not None,
        redesign_to_trio=redesign.get("trio", 0),
        redesign_to_anyio=redesign.get("anyio", 0),
        redesign_to_asyncio=redesign.get("asyncio", 0),
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
        dep_categories=summary.dep_categories,
        loop=loop,
        **{key: summary.counts[key] for key in _COUNTED},
    )


class FactsView:
    """`Facts` with a few fields changed, read-only by convention and cheap to build.

    The flip search re-tests a handful of rule conditions per candidate change. A condition
    only reads fields by name (`advisor.rules.language`), so a plain object whose instance
    dictionary is the base facts' fields merged with the changes answers it as fast as
    `Facts` does, and building one is a dictionary merge, several times cheaper than a
    validated `Facts` copy. Use `fields_of` once per base and `as_facts` to hand a view to
    a condition.
    """

    def __init__(self, fields: Mapping[str, object], changes: Mapping[str, object]) -> None:
        self.__dict__ = {**fields, **changes}

    def as_facts(self) -> Facts:
        """This view typed as the `Facts` a rule condition takes (it reads only fields)."""
        return self  # type: ignore[return-value]


FACT_NAMES = tuple(f.name for f in fields(Facts))
"""Every field of `Facts`, in declaration order."""


def fields_of(facts: Facts) -> dict[str, object]:
    """The fields of `facts` by name (the base of a `FactsView`)."""
    return {name: getattr(facts, name) for name in FACT_NAMES}
