"""The dependency tree: which direct dependency pulls in each package, found in linear time.

A breadth-first search from every weighed direct dependency at once gives each reached package
its shortest chain. Chains longer than `MAX_CHAIN` keep their two ends (a hostile lock file of
one 20,000-package chain would otherwise cost quadratic time and memory).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

from advisor.deps.reading import LockedPackage

MAX_CHAIN = 32
"""Longest chain kept whole; a longer one is shown as its first and last links around '…'."""


def find_chains(
    locked: Mapping[str, LockedPackage], roots: Iterable[str]
) -> dict[str, tuple[str, ...]]:
    """Every package reached from `roots` but not itself a root -> the chain that reaches it.

    The chain runs from a root down to (not including) the package, e.g.
    {"aiohttp": ("aiobotocore",), "yarl": ("aiobotocore", "aiohttp")}.
    """
    parent: dict[str, str | None] = {}
    queue: deque[str] = deque()
    for root in roots:
        if root not in parent:
            parent[root] = None
            queue.append(root)
    chains: dict[str, tuple[str, ...]] = {}
    while queue:
        name = queue.popleft()
        package = locked.get(name)
        if package is None:
            continue
        base = chains.get(name, ())
        if len(base) < MAX_CHAIN:
            link = (*base, name)
        else:  # keep both ends; the length stays bounded however deep the tree goes
            link = (*base[: MAX_CHAIN // 2], "…", *base[-(MAX_CHAIN // 2 - 2) :], name)
        for child in package.requires:
            if child not in parent:
                parent[child] = name
                chains[child] = link
                queue.append(child)
    return chains
