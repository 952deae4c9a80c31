"""A name over the one length limit is left out, named with its line, in every format."""

from __future__ import annotations

import importlib.metadata

import pytest

from advisor.deps.detect import read_text
from advisor.deps.installed import read_installed
from advisor.deps.reading import MAX_NAME, Reading

HUGE = "httpx" + "a" * 400_000
"""A 400,005-character "name" (twice over still within the 1 MB input limit)."""

FILES = {
    "requirements": (f"{HUGE}\ntrio\n", 1),
    "pyproject": (f'[project]\nname = "demo"\ndependencies = [\n  "{HUGE}",\n  "trio",\n]\n', 4),
    "pyproject-extra": (
        f'[project]\nname = "demo"\ndependencies = ["trio"]\n\n'
        f'[project.optional-dependencies]\n{HUGE} = ["anyio"]\n',
        6,
    ),
    "pipfile": (f'[packages]\ntrio = "*"\n{HUGE} = "*"\n', 3),
    "poetry-lock": (
        '[[package]]\nname = "trio"\nversion = "0.27.0"\n\n'
        f'[package.dependencies]\n{HUGE} = "*"\n\n'
        f'[[package]]\nname = "{HUGE}"\nversion = "1.0"\n\n'
        '[metadata]\nlock-version = "2.0"\n',
        6,  # the first line naming it: trio's dependency on it
    ),
    "uv-lock": (
        'version = 1\n\n[[package]]\nname = "trio"\nversion = "0.27.0"\n\n'
        f'[[package]]\nname = "{HUGE}"\nversion = "1.0"\n',
        8,
    ),
}


def _shown(reading: Reading) -> str:
    return repr((reading.declared, reading.locked, reading.problems, reading.notices))


@pytest.mark.parametrize("kind", sorted(FILES))
def test_an_over_long_name_is_left_out_with_its_line_and_the_rest_kept(kind: str) -> None:
    """The huge name becomes one problem at its line, shortened; trio is still read; nothing
    the reading carries on repeats the name."""
    text, line = FILES[kind]
    reading = read_text(text)
    assert "trio" in {d.name for d in reading.declared} | set(reading.locked)
    assert all(len(d.name) <= MAX_NAME for d in reading.declared)
    assert all(len(n) <= MAX_NAME for n in reading.locked)
    assert all(len(r) <= MAX_NAME for p in reading.locked.values() for r in p.requires)
    long = [p for p in reading.problems if "400,005 characters" in p.problem]
    assert len(long) == 1
    assert long[0].line == line
    assert len(long[0].text) <= 60
    assert len(_shown(reading)) < 10_000


def test_a_name_at_the_limit_is_read() -> None:
    """The bound itself is allowed (the longest name on PyPI, 188 characters, is well inside)."""
    name = "a" * MAX_NAME
    reading = read_text(f"{name}\n")
    assert [d.name for d in reading.declared] == [name]
    assert reading.problems == ()


def test_an_over_long_requested_extra_is_dropped_and_the_dependency_kept() -> None:
    """`httpx[<huge>]` keeps httpx, without the extra, and names the extra's line."""
    reading = read_text(f"trio\nhttpx[{'x' * 300}]\n")
    httpx = next(d for d in reading.declared if d.name == "httpx")
    assert httpx.extras == ()
    (problem,) = reading.problems
    assert problem.line == 2
    assert "extra" in problem.problem


class _Dist(importlib.metadata.Distribution):
    """An in-memory distribution."""

    def __init__(self, name: str, requires: list[str]) -> None:
        self._text = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n" + "".join(
            f"Requires-Dist: {r}\n" for r in requires
        )

    def read_text(self, filename: str) -> str | None:
        return self._text if filename in ("METADATA", "PKG-INFO") else None

    def locate_file(self, path: object) -> object:  # pragma: no cover - never called
        raise NotImplementedError


def test_an_installed_distribution_with_an_over_long_name_is_left_out() -> None:
    """`--installed` drops it from the roots and the tree and names it; the rest is read."""
    reading = read_installed([_Dist(HUGE[:5_000], []), _Dist("trio", []), _Dist("app", ["trio"])])
    assert [d.name for d in reading.declared] == ["app"]
    assert set(reading.locked) == {"app", "trio"}
    assert any("5,000 characters" in p.problem for p in reading.problems)
