"""A reading + the catalog + the chosen extras and groups -> what `recommend()` weighs.

`resolve` returns the names for `Answers.deps` (runtime dependencies, the chosen extras of the
project and chosen development groups: what the files name) and a `ProjectDependencies` with
the rest: support at the declared range or locked version, the transitive chains, inferred
facts for uncatalogued packages, the development tooling (listed, never weighed), the ranges and
the exact versions. The packages that requested extras of catalogued dependencies pull in
(`elasticsearch[async]` -> aiohttp, by the catalog's `extras` data) are transitive, as a lock
file's tree is: their chain starts at the dependency that asks for the extra
(`project.transitive["aiohttp"] == ("elasticsearch",)`, so dropping elasticsearch drops them),
and `Resolution.pulled_in` names the extra ("elasticsearch[async] → aiohttp").
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from advisor.catalog import AsyncioSupport, Catalog, Library, TrioSupport
from advisor.deps.infer import infer_support
from advisor.deps.model import DependencyRole, ProjectDependencies, ResolvedSupport
from advisor.deps.python_floor import FloorChoice, decide_floor
from advisor.deps.ranges import GradeBy, support_at_version, support_in_range
from advisor.deps.reading import MAX_DECLARED, Declared, FileFormat, LockedPackage, Reading
from advisor.deps.requirements_txt import exact_pin
from advisor.deps.tools import TOOLS_GROUP, DevTools, is_dev_tool
from advisor.deps.tree import find_chains


def catalog_extras(library: Library | None) -> Mapping[str, tuple[str, ...]]:
    """The packages each of a library's extras pulls in (catalog data); empty if uncatalogued."""
    return library.extras if library is not None else {}


def expand_extras(
    weighed: Iterable[Declared], extras_of: Callable[[str], Mapping[str, tuple[str, ...]]]
) -> dict[str, tuple[str, ...]]:
    """Packages that the requested extras of dependencies pull in -> ("name[extra]",).

    `extras_of(name)` maps a dependency's extras to the packages each pulls in (the catalog's
    data); e.g. `elasticsearch[async]` gives {"aiohttp": ("elasticsearch[async]",)}. Packages
    already weighed directly are left out.
    """
    items = list(weighed)
    direct = {item.name for item in items}
    pulled: dict[str, tuple[str, ...]] = {}
    for item in items:
        provided = extras_of(item.name) if item.extras else {}
        for extra in item.extras:
            for name in provided.get(extra, ()):
                if name not in direct and name not in pulled:
                    pulled[name] = (f"{item.name}[{extra}]",)
    return pulled


@dataclass(frozen=True, slots=True, kw_only=True)
class PulledIn:
    """A transitive package that constrains the runtime, and the chain that pulls it in."""

    name: str
    """The package, e.g. aiohttp."""
    chain: tuple[str, ...]
    """From the direct dependency down to (not including) the package, e.g. ("aiobotocore",)."""
    support: ResolvedSupport
    """Its support (catalogued at its locked version, or inferred)."""

    @property
    def path(self) -> str:
        """The chain as written to users: "aiobotocore → aiohttp"."""
        return " → ".join((*self.chain, self.name))


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolution:
    """What one or more readings mean for the verdict."""

    deps: tuple[str, ...]
    """Names for `Answers.deps`: the weighed direct dependencies the files name (sorted,
    within the limit); never a package only an extra pulls in."""
    project: ProjectDependencies
    """Everything else `recommend(..., project=...)` uses."""
    versions: Mapping[str, Version]
    """The version each weighed package is graded at (locked, pinned, or the lowest a range
    admits when graded by its lowest): pass as `recommend(..., versions=...)`."""
    extras: tuple[str, ...] = ()
    """The project's own extras found (chosen or not)."""
    groups: tuple[str, ...] = ()
    """The development groups found (chosen or not)."""
    chosen_extras: tuple[str, ...] = ()
    """The extras weighed."""
    chosen_groups: tuple[str, ...] = ()
    """The groups weighed as if they were run-time dependencies."""
    unknown: tuple[str, ...] = ()
    """Weighed direct dependencies with neither a catalog entry nor an inferred fact."""
    inferred: Mapping[str, ResolvedSupport] = field(default_factory=dict)
    """Weighed or transitive packages whose support was inferred from their tree."""
    pulled_in: tuple[PulledIn, ...] = ()
    """Transitive asyncio-only and Trio-only packages with the chain that pulls each in (an
    extra's package with the extra named: ("elasticsearch[async]",))."""
    by_extra: Mapping[str, str] = field(default_factory=dict)
    """Packages that a requested extra of a catalogued dependency pulls in -> that
    "name[extra]" (weighed as transitive, not put into `deps`)."""
    notices: tuple[str, ...] = ()
    """What the user should know (cuts, range notes are in `project.support`)."""
    python_floor: FloorChoice | None = None
    """The oldest Python the files say the project supports: the highest floor they state,
    with the file and key that set it; None when no file states one."""


def extras_notes(resolution: Resolution) -> list[str]:
    """One sentence per requested extra that pulled packages in, e.g. "uvloop, websockets:
    pulled in by uvicorn[standard] (the catalog's extras data), weighed as transitive
    dependencies, not put into the share link's deps"."""
    by_asked: dict[str, list[str]] = {}
    for name, asked in sorted(resolution.by_extra.items()):
        by_asked.setdefault(asked, []).append(name)
    return [
        f"{', '.join(names)}: pulled in by {asked} (the catalog's extras data), weighed as "
        "transitive dependencies, not put into the share link's deps"
        for asked, names in sorted(by_asked.items())
    ]


def combine(readings: Sequence[Reading]) -> Reading:
    """One reading from several (files given together, or a file plus `--installed`).

    Declarations and Python floors are concatenated; the first reading that locks a package
    wins; when a file names the direct dependencies, the environment's guessed roots are
    dropped.
    """
    if len(readings) == 1:
        return readings[0]
    declaring = [r for r in readings if r.format is not FileFormat.INSTALLED]
    declared = [d for r in (declaring or readings) for d in r.declared]
    locked: dict[str, LockedPackage] = {}
    for reading in readings:
        for name, package in reading.locked.items():
            locked.setdefault(name, package)
    return Reading(
        format=readings[0].format,
        declared=tuple(declared),
        locked=locked,
        project_name=next((r.project_name for r in readings if r.project_name), None),
        problems=tuple(p for r in readings for p in r.problems),
        not_followed=tuple(p for r in readings for p in r.not_followed),
        notices=tuple(n for r in readings for n in r.notices),
        python_floors=tuple(f for r in readings for f in r.python_floors),
    )


def is_type_stubs(name: str) -> bool:
    """Whether a package only holds type stubs: typeshed's `types-*` or PEP 561's `*-stubs`."""
    return name.startswith("types-") or name.endswith("-stubs")


def _weighed(
    declared: Iterable[Declared],
    extras: Collection[str] | None,
    groups: Collection[str],
    is_tool: Callable[[str], bool],
) -> tuple[list[Declared], list[Declared]]:
    weighed: list[Declared] = []
    dev: list[Declared] = []
    for item in declared:
        if is_type_stubs(item.name):
            dev.append(item)  # type stubs never run: tooling wherever they are declared
        elif (
            item.role is not DependencyRole.DEV and TOOLS_GROUP not in groups and is_tool(item.name)
        ):
            dev.append(item)  # a development tool, whichever role the file gives it
        elif item.role is DependencyRole.RUNTIME:
            weighed.append(item)
        elif item.role is DependencyRole.EXTRA:
            if extras is None or item.group in extras:
                weighed.append(item)
        elif item.group in groups:
            weighed.append(item)
        else:
            dev.append(item)
    return weighed, dev


def _is_constraining(support: ResolvedSupport) -> bool:
    return support.asyncio is AsyncioSupport.NONE or support.trio in (
        TrioSupport.BRIDGE,
        TrioSupport.NONE,
    )


def resolve(
    reading: Reading,
    catalog: Catalog,
    *,
    extras: Collection[str] | None = None,
    groups: Collection[str] = (),
    grade_by: GradeBy = GradeBy.LOWEST,
    tools: DevTools | None = None,
) -> Resolution:
    """Weigh a reading against the catalog.

    `extras`: the project's own extras to weigh (None: all of them, the default, so that no
    extra hides a blocker); `groups`: development groups to weigh as run-time dependencies
    (default none: tooling is listed, never weighed); `grade_by`: which end of a range that
    straddles a library's `trio_since` is graded; `tools`: the development-tool list
    (`data/dev_tools.toml`): with it, a run-time or extra declaration of a tool (by the
    catalog's role, or the list for an uncatalogued name) is development tooling, listed and
    never weighed, unless the `development-tools` group is chosen (then it counts as declared).
    """
    all_extras = sorted(
        {d.group for d in reading.declared if d.role is DependencyRole.EXTRA and d.group}
    )

    def is_tool(name: str) -> bool:
        return tools is not None and is_dev_tool(name, tools, catalog)

    found_groups = {d.group for d in reading.declared if d.role is DependencyRole.DEV and d.group}
    if any(d.role is not DependencyRole.DEV and is_tool(d.name) for d in reading.declared):
        found_groups.add(TOOLS_GROUP)
    all_groups = sorted(found_groups)
    chosen_extras = all_extras if extras is None else [e for e in all_extras if e in extras]
    weighed, dev_items = _weighed(reading.declared, extras, groups, is_tool)
    notices: list[str] = []

    specifiers: dict[str, SpecifierSet] = {}
    names: dict[str, None] = {}
    for item in weighed:
        names.setdefault(item.name)
        if item.specifier is not None:
            previous = specifiers.get(item.name)
            specifiers[item.name] = (
                item.specifier if previous is None else previous & item.specifier
            )
    deps = list(names)
    if len(deps) > MAX_DECLARED:
        notices.append(
            f"{len(deps):,} dependencies would be weighed; only the first {MAX_DECLARED} were."
        )
        deps = deps[:MAX_DECLARED]
    kept = set(deps)

    locked = reading.locked
    chains = {k: v for k, v in find_chains(locked, deps).items() if k not in kept}
    # Packages that requested extras of catalogued dependencies pull in (catalog data): as
    # transitive as a lock file's, from the dependency that asks for the extra.
    by_extra = expand_extras(
        (item for item in weighed if item.name in kept),
        lambda name: catalog_extras(catalog.lookup(name)),
    )
    extra_chains: dict[str, tuple[str, ...]] = {}
    for name, (asked,) in by_extra.items():
        if name not in chains:  # a lock file's own tree, when given, tells it better
            chains[name] = (asked.split("[", 1)[0],)
            extra_chains[name] = (asked,)
    versions: dict[str, Version] = {
        name: locked[name].version  # type: ignore[misc]
        for name in (*deps, *chains)
        if name in locked and locked[name].version is not None
    }
    for name in deps:
        pin = exact_pin(specifiers.get(name))
        if pin is not None:
            versions.setdefault(name, pin)

    support: dict[str, ResolvedSupport] = {}
    graded: dict[str, Version] = dict(versions)
    for name in (*deps, *chains):
        library = catalog.lookup(name)
        if library is None:
            continue
        if name in versions:
            found = support_at_version(library, versions[name])
        else:
            found, at = support_in_range(library, specifiers.get(name), grade_by)
            if at is not None:
                graded[name] = at
        if found is not None:
            support[name] = found

    def known(name: str) -> ResolvedSupport | None:
        if name in support:
            return support[name]
        library = catalog.lookup(name)
        if library is None:
            return None
        return ResolvedSupport(asyncio=library.asyncio, trio=library.trio)

    inferred = infer_support(locked, deps, known) if locked else {}
    support.update(inferred)

    pulled_in = tuple(
        PulledIn(name=name, chain=extra_chains.get(name, chain), support=found)
        for name, chain in sorted(chains.items())
        if (found := known(name) or inferred.get(name)) is not None and _is_constraining(found)
    )
    weighed_names = set(deps)
    dev = tuple(sorted({d.name for d in dev_items} - weighed_names))
    unknown = tuple(sorted(n for n in deps if catalog.lookup(n) is None and n not in inferred))
    return Resolution(
        deps=tuple(sorted(deps)),
        project=ProjectDependencies(
            support=support,
            transitive=chains,
            dev=dev,
            specifiers={k: v for k, v in specifiers.items() if k in kept},
            versions=versions,
        ),
        versions=graded,
        extras=tuple(all_extras),
        groups=tuple(all_groups),
        chosen_extras=tuple(chosen_extras),
        chosen_groups=tuple(g for g in all_groups if g in groups),
        unknown=unknown,
        inferred=inferred,
        pulled_in=pulled_in,
        by_extra={name: asked for name, (asked,) in extra_chains.items()},
        notices=tuple(notices),
        python_floor=decide_floor(reading.python_floors),
    )
