"""The current Python environment as a dependency tree, read with `importlib.metadata`.

Every installed distribution is a locked package at its installed version; its `Requires-Dist`
entries whose markers hold in this environment are its edges (entries behind an extra count when
some installed package asks for that extra). An environment records no project, so the direct
dependencies are the distributions nothing else requires, unless a dependency file names them.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable

from packaging.markers import InvalidMarker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from advisor.deps.model import DependencyRole
from advisor.deps.reading import (
    MAX_DECLARED,
    MAX_LOCKED,
    Declared,
    FileFormat,
    LineProblem,
    LockedPackage,
    Reading,
    drop_long_names,
)

_INSTALLERS = frozenset({"pip", "setuptools", "wheel"})
"""Installed with every virtual environment; never a project's dependency."""


def _applies(requirement: Requirement, extras: Iterable[str]) -> bool:
    if requirement.marker is None:
        return True
    try:
        return any(requirement.marker.evaluate({"extra": e}) for e in ("", *extras))
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName):
        return False


def read_installed(
    distributions: Iterable[importlib.metadata.Distribution] | None = None,
) -> Reading:
    """The tree of the running environment (or of the given distributions)."""
    requirements: dict[str, list[Requirement]] = {}
    versions: dict[str, Version | None] = {}
    problems: list[LineProblem] = []
    notices: list[str] = []
    for dist in importlib.metadata.distributions() if distributions is None else distributions:
        raw_name = dist.metadata["Name"] if dist.metadata else None
        if not raw_name:
            continue
        name: str = canonicalize_name(raw_name)
        if name in versions:
            continue  # an earlier sys.path entry shadows this one, as at import time
        if len(versions) >= MAX_LOCKED:
            notices.append(f"Only the first {MAX_LOCKED:,} installed distributions were read.")
            break
        try:
            versions[name] = Version(dist.version)
        except InvalidVersion:
            versions[name] = None
        parsed: list[Requirement] = []
        for text in dist.requires or ():
            try:
                parsed.append(Requirement(text))
            except InvalidRequirement as error:
                problems.append(
                    LineProblem(
                        line=0, text=f"{name}: {text}", problem=f"not a requirement: {error}"
                    )
                )
        requirements[name] = parsed
    wanted: dict[str, set[str]] = {}
    for parsed in requirements.values():
        for requirement in parsed:
            if requirement.extras and _applies(requirement, ()):
                wanted.setdefault(canonicalize_name(requirement.name), set()).update(
                    requirement.extras
                )
    locked: dict[str, LockedPackage] = {}
    for package_name, parsed in requirements.items():
        children: set[str] = {
            canonicalize_name(r.name)
            for r in parsed
            if _applies(r, wanted.get(package_name, ())) and canonicalize_name(r.name) in versions
        }
        children.discard(package_name)
        locked[package_name] = LockedPackage(
            name=package_name, version=versions[package_name], requires=tuple(sorted(children))
        )
    pulled = {child for package in locked.values() for child in package.requires}
    roots = [n for n in sorted(locked) if n not in pulled and n not in _INSTALLERS]
    notices.append(
        "An environment records no project: the distributions nothing else requires are taken "
        "as the direct dependencies (give a dependency file with --installed to name them)."
    )
    if len(roots) > MAX_DECLARED:
        notices.append(
            f"Only the first {MAX_DECLARED} of {len(roots):,} top-level distributions were weighed."
        )
        roots = roots[:MAX_DECLARED]
    reading = Reading(
        format=FileFormat.INSTALLED,
        declared=tuple(Declared(name=n, role=DependencyRole.RUNTIME) for n in roots),
        locked=locked,
        problems=tuple(problems),
        notices=tuple(notices),
    )
    return drop_long_names(reading)
