"""The installed environment as a tree, read with importlib.metadata."""

from __future__ import annotations

import importlib.metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from advisor.deps.installed import read_installed
from advisor.deps.reading import FileFormat
from advisor.deps.resolve import resolve
from advisor.engine import Knowledge


def direct_requirers(name: str) -> set[str]:
    """Installed distributions whose unconditional requirements name `name` (a second opinion)."""
    found: set[str] = set()
    for dist in importlib.metadata.distributions():
        for text in dist.requires or ():
            requirement = Requirement(text)
            if canonicalize_name(requirement.name) == name and (
                requirement.marker is None or requirement.marker.evaluate({"extra": ""})
            ):
                found.add(canonicalize_name(dist.metadata["Name"]))
    return found


def test_the_test_environment_shows_what_pulls_in_anyio(knowledge: Knowledge) -> None:
    """`--installed` on this environment finds anyio transitive, reached from a top-level package.

    The chain's last link really requires anyio, and its first link is a distribution nothing
    else requires (checked independently with importlib.metadata).
    """
    reading = read_installed()
    assert reading.format is FileFormat.INSTALLED
    assert str(reading.locked["anyio"].version) == importlib.metadata.version("anyio")
    resolution = resolve(reading, knowledge.catalog)
    chain = resolution.project.transitive["anyio"]
    assert chain[-1] in direct_requirers("anyio")
    assert chain[0] in resolution.deps
    assert direct_requirers(chain[0]) == set()
    # In this environment Streamlit (a runtime dependency of the app) requires anyio itself.
    assert "streamlit" in direct_requirers("anyio")


def test_extras_asked_for_by_installed_packages_become_edges() -> None:
    """A requirement behind `extra == 'x'` counts only when some installed package asks for x."""

    class Dist(importlib.metadata.Distribution):
        """An in-memory distribution."""

        def __init__(self, name: str, requires: list[str]) -> None:
            self._text = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n" + "".join(
                f"Requires-Dist: {r}\n" for r in requires
            )

        def read_text(self, filename: str) -> str | None:
            return self._text if filename in ("METADATA", "PKG-INFO") else None

        def locate_file(self, path: object) -> object:
            raise NotImplementedError

    reading = read_installed(
        [
            Dist("app", ["lib[fast]"]),
            Dist("lib", ['speedup; extra == "fast"', 'slowdown; extra == "slow"']),
            Dist("speedup", []),
            Dist("slowdown", []),
        ]
    )
    assert reading.locked["lib"].requires == ("speedup",)
    assert {d.name for d in reading.declared} == {"app", "slowdown"}
