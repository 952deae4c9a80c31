"""Development tools: the list (`data/dev_tools.toml`) and how a name is recognised as one.

Tools (pytest, mypy, ruff, pre-commit, …) are never imported by the program: wherever they
arrive from (a requirements line, a pyproject extra, a lock file's roots, the installed
environment's top-level distributions), `advisor.deps.resolve` lists them as development
tooling and never weighs them, so they can neither block a runtime nor count as unknown. A
name is a development tool when the library catalog gives it the `test-plugin` or `tooling`
role, or, for a name the catalog does not know, when `data/dev_tools.toml` lists it or its
plugin prefix (`pytest-`, `flake8-`, `sphinx-`, …), each entry with the tool's own
documentation as evidence. A catalogued name with another role is never a tool, and an unknown
package that is not a tool still counts as unknown. The group `development-tools`
(`--group development-tools`) weighs them after all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from packaging.utils import InvalidName, canonicalize_name

from advisor.catalog import Catalog, LibraryRole
from advisor.datafiles import read_toml, require_https_url, require_text
from advisor.errors import DataError

TOOLS_GROUP = "development-tools"
"""The group that holds the tools found (`--group development-tools` weighs them)."""

TOOL_ROLES = frozenset({LibraryRole.TEST_PLUGIN, LibraryRole.TOOLING})
"""Catalog roles that mark a development tool."""


class ToolKind(StrEnum):
    """What a development tool is for."""

    TEST = "test"
    """Test runners, their plugins and test-data generators."""
    LINT = "lint"
    """Linters and auditors."""
    TYPES = "types"
    """Type checkers."""
    FORMAT = "format"
    """Formatters and code rewriters."""
    COVERAGE = "coverage"
    """Coverage measurement."""
    DOCS = "docs"
    """Documentation generators, themes and extensions."""
    PACKAGING = "packaging"
    """Building, publishing and pinning packages."""
    ENVIRONMENT = "environment"
    """Environment and project managers, test-matrix runners."""
    HOOKS = "hooks"
    """Git hook managers."""
    DEBUG = "debug"
    """Interactive shells and debuggers."""
    PROFILE = "profile"
    """Profilers."""
    RELEASE = "release"
    """Changelog and version-bump tools."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DevTool:
    """One entry of `data/dev_tools.toml`: a tool's name or a plugin prefix."""

    match: str
    """The normalised PyPI name, or a prefix such as "pytest-"."""
    kind: ToolKind
    """What the tool is for."""
    evidence: str
    """The tool's documentation saying what it is (an https URL)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DevTools:
    """The list of known development tools."""

    names: Mapping[str, DevTool] = field(default_factory=dict)
    """Tools by normalised name."""
    prefixes: tuple[DevTool, ...] = ()
    """Plugin-name prefixes (normalised, ending in "-")."""
    path: Path = Path("dev_tools.toml")
    """The file the list was read from (named in notices)."""

    def lookup(self, name: str) -> DevTool | None:
        """The entry matching a normalised name (by name, then by prefix), or None."""
        found = self.names.get(name)
        if found is not None:
            return found
        return next((p for p in self.prefixes if name.startswith(p.match)), None)


_TOOL_KEYS = frozenset({"name", "kind", "evidence"})
_PREFIX_KEYS = frozenset({"prefix", "kind", "evidence"})


def _kind(entry: Mapping[str, object], path: Path, where: str) -> ToolKind:
    text = require_text(entry, "kind", path, where)
    try:
        return ToolKind(text)
    except ValueError:
        allowed = ", ".join(k.value for k in ToolKind)
        raise DataError(path, where, f"kind {text!r} is not one of: {allowed}") from None


def _entries(document: Mapping[str, object], table: str, path: Path) -> list[dict[str, object]]:
    value = document.get(table, [])
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise DataError(path, table, f"must be an array of tables ([[{table}]])")
    return value


def load_dev_tools(path: Path, catalog: Catalog | None = None) -> DevTools:
    """Read and validate `data/dev_tools.toml`.

    Raises `DataError` naming the file and entry for: an unknown key, a name that is not a
    valid PyPI name (or a prefix not ending in "-"), an unknown kind, a missing or non-https
    evidence URL, a duplicate, or (given `catalog`) a name the catalog holds with a role that
    is not a tool's.
    """
    document = read_toml(path)
    unknown = sorted(set(document) - {"tool", "prefix"})
    if unknown:
        raise DataError(path, None, f"unknown top-level keys: {', '.join(unknown)}")
    names: dict[str, DevTool] = {}
    for index, entry in enumerate(_entries(document, "tool", path), 1):
        where = f"tool {entry.get('name', f'#{index}')!s}"
        extra = sorted(set(entry) - _TOOL_KEYS)
        if extra:
            raise DataError(path, where, f"unknown keys: {', '.join(extra)}")
        raw = require_text(entry, "name", path, where)
        try:
            name = canonicalize_name(raw, validate=True)
        except InvalidName:
            raise DataError(path, where, f"{raw!r} is not a valid PyPI name") from None
        if name in names:
            raise DataError(path, where, "is listed twice")
        library = catalog.lookup(name) if catalog is not None else None
        if library is not None and library.role not in TOOL_ROLES:
            raise DataError(
                path,
                where,
                f"the catalog holds {name} with the role '{library.role.value}', not a tool's",
            )
        names[name] = DevTool(
            match=name,
            kind=_kind(entry, path, where),
            evidence=require_https_url(entry, "evidence", path, where),
        )
    prefixes: list[DevTool] = []
    for index, entry in enumerate(_entries(document, "prefix", path), 1):
        where = f"prefix {entry.get('prefix', f'#{index}')!s}"
        extra = sorted(set(entry) - _PREFIX_KEYS)
        if extra:
            raise DataError(path, where, f"unknown keys: {', '.join(extra)}")
        raw = require_text(entry, "prefix", path, where)
        stem = raw.removesuffix("-")
        try:
            prefix = canonicalize_name(stem, validate=True) + "-"
        except InvalidName:
            raise DataError(path, where, f"{raw!r} is not a PyPI name prefix") from None
        if not raw.endswith("-") or any(p.match == prefix for p in prefixes):
            raise DataError(path, where, "must end in '-' and be listed once")
        prefixes.append(
            DevTool(
                match=prefix,
                kind=_kind(entry, path, where),
                evidence=require_https_url(entry, "evidence", path, where),
            )
        )
    return DevTools(names=names, prefixes=tuple(prefixes), path=path)


def is_dev_tool(name: str, tools: DevTools, catalog: Catalog) -> bool:
    """Whether a normalised name is a development tool: the catalog's role decides for a
    catalogued name, the list (names, then plugin prefixes) for the rest."""
    library = catalog.lookup(name)
    if library is not None:
        return library.role in TOOL_ROLES
    return tools.lookup(name) is not None
