"""A declared version range or an exact version, graded against a library's `trio_since`.

A catalog fact is stated at the library's checked version; where Trio support arrived at a
known version (`trio_since`), what a project gets depends on the versions it admits. A range
whose every version predates `trio_since` gets the older versions' support: asyncio-only, unless
the catalog states otherwise (`trio_before`, e.g. older tenacity runs on Trio when given
`sleep=trio.sleep`), and then its note says what those versions need. A range that admits
versions on both sides says so and is graded by its lowest admitted version (what a resolver
may legitimately pick) unless the caller grades by the newest.
"""

from __future__ import annotations

from enum import StrEnum

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from advisor.catalog import Library
from advisor.deps.model import ResolvedSupport

_LOWER = frozenset({">=", ">", "==", "~=", "==="})


class GradeBy(StrEnum):
    """Which end of a range that straddles `trio_since` is graded."""

    LOWEST = "lowest"
    """The lowest admitted version (the default: a resolver may pick it)."""
    NEWEST = "newest"
    """The newest admitted version (the team upgrades)."""


def lowest_admitted(specifier: SpecifierSet) -> Version | None:
    """The highest lower bound of the range (None when it has none); never raises."""
    lowest: Version | None = None
    for spec in specifier:
        if spec.operator not in _LOWER:
            continue
        try:
            bound = Version(spec.version.removesuffix(".*"))
        except ValueError:
            continue
        if lowest is None or bound > lowest:
            lowest = bound
    return lowest


def _admits_from(specifier: SpecifierSet, since: Version) -> bool:
    """Whether some version at or after `since` satisfies the range (checked at its bounds)."""
    candidates = [since]
    for spec in specifier:
        try:
            bound = Version(spec.version.removesuffix(".*"))
        except ValueError:
            continue
        if bound >= since:
            candidates.append(bound)
    return any(specifier.contains(v, prereleases=True) for v in candidates)


def _before(library: Library, since: Version) -> str:
    """What versions before `since` have, as a predicate: the `trio_before` note, or none."""
    if library.trio_before is not None:
        return f"is older than {since}: {library.trio_before.note}"
    return f"predates Trio support ({since})"


def support_in_range(
    library: Library, specifier: SpecifierSet | None, grade_by: GradeBy = GradeBy.LOWEST
) -> tuple[ResolvedSupport | None, Version | None]:
    """The support a declared range gets, and the version it is graded at.

    (None, None) when the range changes nothing: no `trio_since`, no range, or every admitted
    version has the catalog's current support.
    """
    since = library.trio_since
    if since is None or specifier is None or not len(specifier):
        return None, None
    lowest = lowest_admitted(specifier)
    admits_old = lowest is None or lowest < since
    if not admits_old:
        return None, None
    older = lowest if lowest is not None else Version("0")
    if not _admits_from(specifier, since):
        return (
            ResolvedSupport(
                asyncio=library.asyncio,
                trio=library.trio_at(older),
                note=f"every version your range ({specifier}) admits {_before(library, since)}",
            ),
            older,
        )
    note = f"Trio from {since}; your range ({specifier}) also admits older versions"
    if library.trio_before is not None:
        note += f" (before {since}: {library.trio_before.note})"
    if grade_by is GradeBy.NEWEST:
        return ResolvedSupport(asyncio=library.asyncio, trio=library.trio, note=note), None
    return ResolvedSupport(asyncio=library.asyncio, trio=library.trio_at(older), note=note), older


def support_at_version(library: Library, version: Version) -> ResolvedSupport | None:
    """The support at an exact (locked, installed or pinned) version; None if it is current."""
    since = library.trio_since
    if since is None or version >= since:
        return None
    return ResolvedSupport(
        asyncio=library.asyncio,
        trio=library.trio_at(version),
        note=f"{version} {_before(library, since)}",
    )
