"""Development tools, wherever they are declared: recognised, listed once, never weighed."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from advisor.cli import main
from advisor.deps.detect import read_text
from advisor.deps.installed import read_installed
from advisor.deps.resolve import resolve
from advisor.deps.tools import (
    TOOLS_GROUP,
    DevTool,
    DevTools,
    ToolKind,
    is_dev_tool,
    load_dev_tools,
)
from advisor.engine import DATA_DIR, Knowledge
from advisor.errors import DataError


class Dist(importlib.metadata.Distribution):
    """An in-memory distribution."""

    def __init__(self, name: str, requires: tuple[str, ...] = ()) -> None:
        self._text = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n" + "".join(
            f"Requires-Dist: {r}\n" for r in requires
        )

    def read_text(self, filename: str) -> str | None:
        return self._text if filename in ("METADATA", "PKG-INFO") else None

    def locate_file(self, path: object) -> object:
        raise NotImplementedError


ENVIRONMENT = [
    Dist("httpx", ("anyio",)),
    Dist("anyio"),
    Dist("our-internal-client"),
    Dist("pytest", ("pluggy",)),
    Dist("pluggy"),
    Dist("pytest-cov", ("pytest", "coverage")),
    Dist("coverage"),
    Dist("mypy"),
    Dist("ruff"),
    Dist("pytest-asyncio", ("pytest",)),
    Dist("pip"),
]
"""A developer's environment: two run-time packages (one unknown), tools and plugins."""


@pytest.fixture(scope="module")
def tools(knowledge: Knowledge) -> DevTools:
    """The real list, validated against the real catalog."""
    return load_dev_tools(DATA_DIR / "dev_tools.toml", knowledge.catalog)


def test_the_real_list_loads_and_names_the_common_tools(tools: DevTools) -> None:
    """data/dev_tools.toml validates, with evidence, and holds the usual suspects."""
    for name in ("pytest", "mypy", "ruff", "black", "coverage", "pre-commit", "tox", "sphinx"):
        assert tools.lookup(name) is not None, name
    assert all(t.evidence.startswith("https://") for t in tools.names.values())
    assert tools.lookup("pytest-xdist") is not None  # a plugin, by pytest's naming
    assert tools.lookup("httpx") is None


def test_tools_are_set_aside_named_and_unknowns_still_count(
    tools: DevTools, knowledge: Knowledge
) -> None:
    """Top-level tools (by list, prefix and catalog role) are development tooling, listed and
    never weighed; an unknown package that is not a tool stays weighed and unknown."""
    catalog = knowledge.catalog
    resolution = resolve(read_installed(ENVIRONMENT), catalog, tools=tools)
    assert resolution.deps == ("httpx", "our-internal-client")
    assert resolution.unknown == ("our-internal-client",)
    assert set(resolution.project.dev) == {"mypy", "ruff", "pytest-asyncio", "pytest-cov"}
    assert TOOLS_GROUP in resolution.groups
    weighed = resolve(read_installed(ENVIRONMENT), catalog, groups=[TOOLS_GROUP], tools=tools)
    assert "mypy" in weighed.deps  # the escape hatch: --group development-tools


def test_the_catalog_role_decides_for_catalogued_names(knowledge: Knowledge) -> None:
    """A catalogued library is never a tool, even when the list names it; a catalogued
    test plugin is one even when the list does not."""
    listed = DevTool(match="httpx", kind=ToolKind.TEST, evidence="https://example.org/")
    tools = DevTools(names={"httpx": listed})
    assert not is_dev_tool("httpx", tools, knowledge.catalog)
    assert is_dev_tool("pytest-trio", DevTools(), knowledge.catalog)


@pytest.mark.parametrize(
    "text",
    [
        "pytest==8.3.0\nhttpx\n",
        '[project]\nname = "demo"\ndependencies = ["httpx"]\n\n'
        '[project.optional-dependencies]\ntest = ["pytest==8.3.0"]\n',
        '[packages]\nhttpx = "*"\npytest = "==8.3.0"\n',
    ],
    ids=["requirements", "pyproject-extra", "pipfile"],
)
def test_a_tool_in_a_dependency_file_is_never_weighed_as_unknown(
    text: str, tools: DevTools, knowledge: Knowledge
) -> None:
    """pytest declared at run time or in an extra is development tooling: not weighed, not
    unknown (so it cannot cap a Trio verdict), its pin not applied, not in the link."""
    resolution = resolve(read_text(text), knowledge.catalog, tools=tools)
    assert resolution.deps == ("httpx",)
    assert resolution.unknown == ()
    assert "pytest" in resolution.project.dev
    assert "pytest" not in resolution.versions
    weighed = resolve(read_text(text), knowledge.catalog, groups=[TOOLS_GROUP], tools=tools)
    assert "pytest" in weighed.deps


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('name = "x"\nkind = "chores"\nevidence = "https://x.org/"', "kind 'chores'"),
        ('name = "x"\nkind = "lint"\nevidence = "http://x.org/"', "is not an https URL"),
        ('name = "x"\nkind = "lint"', "'evidence' must be a non-empty string"),
        ('name = "x"\nkind = "lint"\nevidence = "https://x.org/"\nwhy = 1', "unknown keys: why"),
        ('name = "httpx"\nkind = "lint"\nevidence = "https://x.org/"', "role 'library'"),
        ('name = "not a name!"\nkind = "lint"\nevidence = "https://x.org/"', "valid PyPI name"),
    ],
)
def test_a_bad_entry_is_named(
    tmp_path: Path, knowledge: Knowledge, entry: str, problem: str
) -> None:
    """Every broken entry stops loading with the file, the entry and the problem."""
    path = tmp_path / "dev_tools.toml"
    path.write_text(f"[[tool]]\n{entry}\n")
    with pytest.raises(DataError) as caught:
        load_dev_tools(path, knowledge.catalog)
    assert caught.value.path == path
    assert caught.value.entry is not None
    assert caught.value.entry.startswith("tool ")
    assert problem in caught.value.problem


def test_a_duplicate_is_named(tmp_path: Path) -> None:
    """The same tool listed twice (after normalisation) is refused."""
    path = tmp_path / "dev_tools.toml"
    entry = 'kind = "lint"\nevidence = "https://x.org/"\n'
    path.write_text(f'[[tool]]\nname = "Ruff"\n{entry}[[tool]]\nname = "ruff"\n{entry}')
    with pytest.raises(DataError, match="is listed twice"):
        load_dev_tools(path)


def test_installed_without_files_says_what_it_did_not_weigh(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`check --installed` in this (test) environment names pytest, mypy and ruff as tools in
    one list (with the type stubs), and does not count them among the unknown dependencies."""
    main(["check", "--runtime", "trio", "--installed"])
    out, err = capsys.readouterr()
    said = out + err
    notes = [line for line in err.splitlines() if "not weighed" in line.lower()]
    assert len(notes) == 1
    for tool in ("pytest", "mypy", "ruff"):
        assert tool in notes[0]
    unknown = next((line for line in said.splitlines() if "could not check" in line), "")
    for tool in ("pytest", "mypy", "ruff"):
        assert f" {tool}," not in unknown
        assert not unknown.endswith(f" {tool}")


def test_a_tool_in_a_requirements_file_is_listed_not_weighed_by_the_cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`pytest==8.3.0` in requirements.txt: not in the query, its pin not said to be applied,
    and listed as development tooling."""
    path = tmp_path / "requirements.txt"
    path.write_text("pytest==8.3.0\nhttpx\n")
    main(["recommend", "--requirements", str(path)])
    out, err = capsys.readouterr()
    assert "Answers: ?v=1&deps=httpx\n" in out
    assert "pytest: development tooling, not weighed" in out
    assert "development tooling, listed but not weighed: pytest" in err
