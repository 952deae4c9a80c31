"""What a dependency file says beyond the names a share link carries.

A share link carries dependency names only. A file, a lock file or the installed environment
also tells each dependency's role (runtime, optional extra, development group), its declared
version range, its exact locked version, and the packages it pulls in. `ProjectDependencies`
carries that to `recommend()`, which weighs runtime dependencies and chosen extras, lists
development tooling separately (never as a blocker), and counts transitive blockers as such.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from advisor.catalog import AsyncioSupport, TrioSupport


class DependencyRole(StrEnum):
    """How a project uses a dependency."""

    RUNTIME = "runtime"
    """Installed whenever the project is (PEP 621 `dependencies`, a requirements line)."""
    EXTRA = "extra"
    """Installed only with one of the project's own extras (PEP 621 optional-dependencies)."""
    DEV = "dev"
    """Development tooling: a dependency group or dev table (test, lint, docs, type stubs)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolvedSupport:
    """A dependency's support as the project pins or ranges it, or as inferred from its tree."""

    asyncio: AsyncioSupport
    """How it runs on asyncio at the admitted versions."""
    trio: TrioSupport
    """How it runs on Trio at the lowest admitted version (or the locked one)."""
    note: str = ""
    """What the range means, e.g. "Trio from 9.2.0; your range also admits older versions",
    or, for an inferred fact, what it was inferred from."""
    inferred_from: str | None = None
    """For an uncatalogued package: the dependency whose support implies this (always below a
    catalogued fact in confidence)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectDependencies:
    """The file-derived context of one recommendation (all names PEP 503-normalised)."""

    support: Mapping[str, ResolvedSupport] = field(default_factory=dict)
    """Per package (direct or transitive): support at the declared range / locked version,
    overriding the catalog's current-version fact; inferred facts for uncatalogued packages."""
    transitive: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Packages reached only through other packages -> the chain from a direct dependency down
    to (not including) the package, e.g. {"aiohttp": ("aiobotocore",)}."""
    dev: tuple[str, ...] = ()
    """Development-only dependencies: listed, never weighed, never blocking."""
    specifiers: Mapping[str, SpecifierSet] = field(default_factory=dict)
    """Declared version ranges of direct dependencies (a pin is `==x`)."""
    versions: Mapping[str, Version] = field(default_factory=dict)
    """Exact versions from a lock file or the installed environment."""
