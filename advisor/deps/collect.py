"""Collecting declared dependencies from TOML tables: entries, line numbers, own-extra includes.

Shared by the pyproject and Pipfile readers. Line numbers of bad entries come from one index
of the text built on the first problem (not a rescan per entry, which made 20,000 bad entries
cost 22 s). A project's own extras named as a dependency (`litestar[redis]` inside litestar,
or a PEP 735 `{include-group = ...}`) are expanded into the members of what they include, with
the work bounded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from packaging.specifiers import SpecifierSet
from packaging.utils import InvalidName, canonicalize_name

from advisor.deps.constraints import ConstraintError, pep440_specifier, poetry_specifier
from advisor.deps.model import DependencyRole
from advisor.deps.reading import (
    MAX_DECLARED,
    MAX_LOCKED,
    Declared,
    FileFormat,
    LineProblem,
    Reading,
    shorten,
)
from advisor.deps.requirements_txt import add_declared, parse_requirement

_QUOTE_OR_COMMENT = re.compile(r"[\"'#]")
_BASIC_BODY = re.compile(r"(?:[^\"\\]|\\.)*")
_BARE_KEY = re.compile(r"\s*([A-Za-z0-9_.-]+)\s*=")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")

Scope = tuple[DependencyRole, str | None]
"""Where an entry is declared: its role and the extra's or group's name."""


def _strings_of(line: str) -> Iterable[str]:
    """The quoted strings on one line, left to right, up to a comment (one linear pass)."""
    position = 0
    while True:
        found = _QUOTE_OR_COMMENT.search(line, position)
        if found is None or found.group() == "#":
            return
        start = found.end()
        if found.group() == "'":
            end = line.find("'", start)
            end = len(line) if end < 0 else end
        else:
            body = _BASIC_BODY.match(line, start)
            end = body.end() if body else start
        yield line[start:end]
        position = end + 1


def describe(value: object) -> str:
    """A short, safe description of a TOML value (never a deep repr)."""
    if isinstance(value, str):
        return shorten(value)
    if isinstance(value, bool | int | float):
        return shorten(str(value))
    return f"a {type(value).__name__}"


@dataclass(slots=True)
class Collector:
    """Accumulates one file's declarations, problems and notices."""

    text: str
    format: FileFormat
    project_name: str | None = None
    declared: dict[str, Declared] = field(default_factory=dict)
    problems: list[LineProblem] = field(default_factory=list)
    not_followed: list[LineProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    includes: dict[Scope, list[Scope]] = field(default_factory=dict)
    _lines: dict[str, int] | None = None

    def line_of(self, needle: str) -> int:
        """The first line holding `needle` as a string or bare key (0 if not found)."""
        if self._lines is None:
            index: dict[str, int] = {}
            for number, line in enumerate(self.text.splitlines(), 1):
                key = _BARE_KEY.match(line)
                if key:
                    index.setdefault(key.group(1), number)
                for value in _strings_of(line):
                    index.setdefault(value, number)
            self._lines = index
        return self._lines.get(needle, 0)

    def problem(self, entry: object, problem: str, where: str) -> None:
        """Record an unreadable entry of the table `where`."""
        shown = describe(entry)
        line = self.line_of(entry) if isinstance(entry, str) else 0
        self.problems.append(LineProblem(line=line, text=shown, problem=f"{where}: {problem}"))

    def add(self, item: Declared) -> None:
        """Record one declaration."""
        add_declared(self.declared, item)

    def include(self, scope: Scope, included: Scope) -> None:
        """`scope` also installs everything `included` declares (own extras, include-group)."""
        self.includes.setdefault(scope, []).append(included)

    def add_pep508(self, entry: object, scope: Scope, where: str) -> None:
        """Read one PEP 508 string (PEP 621, PEP 735, PDM, uv and Hatch lists)."""
        if not isinstance(entry, str):
            self.problem(entry, "not a requirement string", where)
            return
        stripped = entry.strip()
        if stripped.startswith(("-e ", "--editable")):
            egg = _EGG.search(stripped)
            if egg is None:
                self.not_followed.append(
                    LineProblem(
                        line=self.line_of(entry),
                        text=shorten(entry),
                        problem=f"{where}: an editable local project; its name cannot be told",
                    )
                )
                return
            stripped = egg.group(1)
        requirement, problem = parse_requirement(stripped)
        if requirement is None:
            self.problem(entry, problem or "not a requirement", where)
            return
        name = canonicalize_name(requirement.name)
        extras = tuple(sorted(canonicalize_name(e) for e in requirement.extras))
        if name == self.project_name:
            for extra in extras:
                self.include(scope, (DependencyRole.EXTRA, extra))
            return
        self.add(
            Declared(
                name=name,
                role=scope[0],
                group=scope[1],
                specifier=requirement.specifier or None,
                extras=extras,
                line=self.line_of(entry),
            )
        )

    def add_table_entry(
        self, key: str, value: object, scope: Scope, where: str, *, poetry: bool
    ) -> None:
        """Read one `name = constraint` or `name = {version = ..., extras = [...]}` entry.

        Poetry constraints (`^`, `~`, bare pins) when `poetry`, else PEP 440 as Pipenv writes.
        """
        try:
            name = canonicalize_name(key, validate=True)
        except InvalidName:
            self.problem(key, "not a valid PyPI project name", where)
            return
        tables = value if isinstance(value, list) else [value]
        specifiers: list[SpecifierSet | None] = []
        extras: set[str] = set()
        for table in tables:
            constraint: object = table
            if isinstance(table, dict):
                constraint = table.get("version", "*")
                raw_extras = table.get("extras", [])
                if isinstance(raw_extras, list):
                    extras.update(canonicalize_name(e) for e in raw_extras if isinstance(e, str))
                if any(k in table for k in ("path", "git", "url", "file")) and (
                    "version" not in table
                ):
                    constraint = "*"
            if not isinstance(constraint, str):
                self.problem(key, f"the version of {name} is {describe(constraint)}", where)
                return
            try:
                specifiers.append(
                    poetry_specifier(constraint) if poetry else pep440_specifier(constraint)
                )
            except ConstraintError as error:
                if "||" in constraint:
                    self.notices.append(f"{where}: {name}: {error}.")
                    specifiers.append(None)
                else:
                    self.problem(key, f"{name}: {error}", where)
                    return
        if name == self.project_name:
            for extra in sorted(extras):
                self.include(scope, (DependencyRole.EXTRA, extra))
            return
        self.add(
            Declared(
                name=name,
                role=scope[0],
                group=scope[1],
                specifier=specifiers[0] if len(specifiers) == 1 else None,
                extras=tuple(sorted(extras)),
                line=self.line_of(key),
            )
        )

    def add_list(self, entries: object, scope: Scope, where: str) -> None:
        """Read a list of PEP 508 strings; anything else is a problem of `where`."""
        if not isinstance(entries, list):
            self.problem(entries, "must be a list of requirement strings", where)
            return
        for entry in entries:
            self.add_pep508(entry, scope, where)

    def _expand_includes(self) -> None:
        if not self.includes:
            return
        members: dict[Scope, list[Declared]] = {}
        for item in self.declared.values():
            members.setdefault((item.role, item.group), []).append(item)
        work = 0
        for scope, _ in list(self.includes.items()):
            seen = {scope}
            stack = list(self.includes.get(scope, ()))
            while stack:
                included = stack.pop()
                if included in seen:
                    continue
                seen.add(included)
                stack.extend(self.includes.get(included, ()))
                for item in members.get(included, ()):
                    work += 1
                    if work > MAX_LOCKED:
                        self.notices.append(
                            "The file's extras and groups include each other more than "
                            f"{MAX_LOCKED:,} times; the rest of the includes were not expanded."
                        )
                        return
                    self.add(
                        Declared(
                            name=item.name,
                            role=scope[0],
                            group=scope[1],
                            specifier=item.specifier,
                            extras=item.extras,
                            line=item.line,
                        )
                    )

    def reading(self) -> Reading:
        """The finished reading (includes expanded, the list cut at the limit)."""
        self._expand_includes()
        declared = list(self.declared.values())
        notices = list(self.notices)
        if len(declared) > MAX_DECLARED:
            notices.append(
                f"The file declares {len(declared):,} dependencies; only the first "
                f"{MAX_DECLARED} were read (the rest, from {declared[MAX_DECLARED].name!r} on, "
                "were left out)."
            )
            declared = declared[:MAX_DECLARED]
        return Reading(
            format=self.format,
            declared=tuple(declared),
            project_name=self.project_name,
            problems=tuple(self.problems),
            not_followed=tuple(self.not_followed),
            notices=tuple(notices),
        )


def tables_of(value: object) -> Iterable[tuple[str, object]]:
    """The (key, value) pairs of a TOML table, or nothing when it is not a table."""
    return value.items() if isinstance(value, dict) else ()
