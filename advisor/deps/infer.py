"""Inferred facts for packages the catalog does not know, from what they pull in.

Where the tree is known (a lock file or the installed environment), an uncatalogued package
whose run-time dependencies include an asyncio-only library is at best asyncio-only; one whose
dependencies include a Trio-only library is at best Trio-only; one whose async dependencies all
run on Trio (natively or through AnyIO) may run on Trio through AnyIO. Each inferred fact names
the dependency that implies it and is always below a catalogued fact in confidence (the decision
model treats `inferred_from` that way). Inferences propagate upwards through uncatalogued
packages; the walk is iterative and visits each package and edge once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from advisor.catalog import AsyncioSupport, TrioSupport
from advisor.deps.model import ResolvedSupport
from advisor.deps.reading import LockedPackage

_ASYNC = frozenset({TrioSupport.NATIVE, TrioSupport.ANYIO})


def _kind(support: ResolvedSupport) -> str | None:
    """'asyncio-only', 'trio-only', 'both' (runs on each) or None (not an async library)."""
    if support.asyncio is AsyncioSupport.NONE:
        return "trio-only"
    if support.trio in (TrioSupport.BRIDGE, TrioSupport.NONE):
        return "asyncio-only"
    if support.trio in _ASYNC and support.asyncio in (AsyncioSupport.NATIVE, AsyncioSupport.ANYIO):
        return "both"
    return None


def infer_support(
    locked: Mapping[str, LockedPackage],
    start: Iterable[str],
    known: Callable[[str], ResolvedSupport | None],
) -> dict[str, ResolvedSupport]:
    """Inferred support for every uncatalogued package reachable from `start`.

    `known(name)` gives a catalogued package's support (at its locked version or range), or
    None for an uncatalogued one.
    """
    inferred: dict[str, ResolvedSupport] = {}
    done: set[str] = set()
    for root in start:
        if root in done:
            continue
        # Iterative post-order walk: (name, expanded?) pairs.
        stack: list[tuple[str, bool]] = [(root, False)]
        on_path: set[str] = set()
        while stack:
            name, expanded = stack.pop()
            if expanded:
                on_path.discard(name)
                done.add(name)
                if known(name) is None:
                    found = _from_children(name, locked, known, inferred)
                    if found is not None:
                        inferred[name] = found
                continue
            if name in done or name in on_path:
                continue
            on_path.add(name)
            stack.append((name, True))
            package = locked.get(name)
            for child in package.requires if package else ():
                if child not in done and child not in on_path:
                    stack.append((child, False))
    return inferred


def _from_children(
    name: str,
    locked: Mapping[str, LockedPackage],
    known: Callable[[str], ResolvedSupport | None],
    inferred: Mapping[str, ResolvedSupport],
) -> ResolvedSupport | None:
    package = locked.get(name)
    kinds: dict[str, str] = {}
    for child in package.requires if package else ():
        support = known(child) or inferred.get(child)
        kind = _kind(support) if support else None
        if kind is not None:
            kinds.setdefault(kind, child)
    if "asyncio-only" in kinds:
        child = kinds["asyncio-only"]
        return ResolvedSupport(
            asyncio=AsyncioSupport.NATIVE,
            trio=TrioSupport.BRIDGE,
            note=f"inferred: it depends on {child}, which is asyncio-only",
            inferred_from=child,
        )
    if "trio-only" in kinds:
        child = kinds["trio-only"]
        return ResolvedSupport(
            asyncio=AsyncioSupport.NONE,
            trio=TrioSupport.NATIVE,
            note=f"inferred: it depends on {child}, which runs only on Trio",
            inferred_from=child,
        )
    if "both" in kinds:
        child = kinds["both"]
        return ResolvedSupport(
            asyncio=AsyncioSupport.ANYIO,
            trio=TrioSupport.ANYIO,
            note=f"inferred: its async dependencies (e.g. {child}) all run on Trio, so it may too",
            inferred_from=child,
        )
    return None
