"""What reading one dependency file gives, before the catalog is consulted.

Every reader (requirements lines, pyproject tables, Pipfile, the lock files, the installed
environment) returns a `Reading`: the direct dependencies it declares with their roles and
ranges, the locked tree when the format has one, and every line or table it could not read or
deliberately did not follow. `advisor.deps.resolve` turns a reading into what `recommend()`
weighs.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from advisor.answers import MAX_DEPENDENCIES, MAX_NAME_LENGTH
from advisor.deps.model import DependencyRole

if TYPE_CHECKING:
    from advisor.deps.python_floor import PythonFloor

MAX_INPUT_BYTES = 1_000_000
"""Larger inputs are refused: no real dependency file is that big, and reading is linear."""

MAX_DECLARED = MAX_DEPENDENCIES
"""The one limit on direct dependencies for every entry point (share links, files, the CLI):
a longer list is cut with a notice, never an error."""

MAX_NAME = MAX_NAME_LENGTH
"""The longest project, extra or group name read from any format (the share link's bound,
above every name registered on PyPI): a longer one is left out as an unreadable line."""

MAX_LOCKED = 20_000
"""The most packages read from one lock file or environment (1 MB holds fewer in practice)."""


class DependencyFileError(ValueError):
    """The input as a whole cannot be read (too large, binary, not valid TOML or JSON).

    `str(error)` is the message for the user; it never contains a traceback.
    """


class FileFormat(StrEnum):
    """The formats a dependency file is read as (detected from content, not the file name)."""

    REQUIREMENTS = "requirements"
    """requirements.txt, `pip freeze`, `pip-compile` or `uv export` output."""
    PYPROJECT = "pyproject"
    """pyproject.toml: PEP 621, PEP 735, Poetry, PDM, uv and Hatch tables."""
    PIPFILE = "pipfile"
    """Pipenv's Pipfile (TOML)."""
    UV_LOCK = "uv-lock"
    """uv.lock (TOML)."""
    POETRY_LOCK = "poetry-lock"
    """poetry.lock (TOML)."""
    PDM_LOCK = "pdm-lock"
    """pdm.lock (TOML)."""
    PIPFILE_LOCK = "pipfile-lock"
    """Pipfile.lock (JSON)."""
    INSTALLED = "installed"
    """The current Python environment, read with importlib.metadata."""

    @property
    def label(self) -> str:
        """How the format is named to users."""
        return _FORMAT_LABELS[self]


_FORMAT_LABELS = {
    FileFormat.REQUIREMENTS: "requirements.txt / pip freeze",
    FileFormat.PYPROJECT: "pyproject.toml",
    FileFormat.PIPFILE: "Pipfile",
    FileFormat.UV_LOCK: "uv.lock",
    FileFormat.POETRY_LOCK: "poetry.lock",
    FileFormat.PDM_LOCK: "pdm.lock",
    FileFormat.PIPFILE_LOCK: "Pipfile.lock",
    FileFormat.INSTALLED: "the installed environment",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class LineProblem:
    """A line or entry that could not be read, or was deliberately not followed."""

    line: int
    """1-based line number in the input (the first line of a continued line); 0 if unknown."""
    text: str
    """The line or entry as written (shortened if long)."""
    problem: str
    """What was wrong, in plain words."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Declared:
    """One direct dependency as the file declares it."""

    name: str
    """The PEP 503-normalised project name."""
    role: DependencyRole
    """Runtime, one of the project's own extras, or a development group."""
    group: str | None = None
    """The extra's or group's name (None for runtime)."""
    specifier: SpecifierSet | None = None
    """The declared version range (a pin is `==x`); None when none was given or it could not
    be expressed as a PEP 440 range."""
    extras: tuple[str, ...] = ()
    """The dependency's own extras the project asks for, e.g. ("async",) in
    `elasticsearch[async]`, normalised."""
    line: int = 0
    """Where it was declared (0 if unknown)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LockedPackage:
    """One package of a locked (or installed) tree."""

    name: str
    """The PEP 503-normalised project name."""
    version: Version | None
    """The exact locked version (None when the lock gives none, e.g. a path dependency)."""
    requires: tuple[str, ...] = ()
    """Normalised names of the packages it pulls in at run time (extras its dependents ask
    for included)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Reading:
    """Everything read from one input."""

    format: FileFormat
    """What the input was read as."""
    declared: tuple[Declared, ...] = ()
    """Direct dependencies in file order (one per name, role and group)."""
    locked: Mapping[str, LockedPackage] = field(default_factory=dict)
    """The whole tree with exact versions, when the format gives it (else empty)."""
    project_name: str | None = None
    """The project's own normalised name, when the file states it."""
    problems: tuple[LineProblem, ...] = ()
    """Unreadable lines or entries, with line numbers."""
    not_followed: tuple[LineProblem, ...] = ()
    """Recognised but not read: includes, local paths, URLs whose project cannot be named."""
    notices: tuple[str, ...] = ()
    """What the user should know about the reading: tables not read, a cut list, the tree's
    limits, a Python range that could not be read."""
    python_floors: tuple[PythonFloor, ...] = ()
    """The oldest Python the file says the project supports, per key that states it (see
    `advisor.deps.python_floor`); empty when it states none."""

    @property
    def names(self) -> tuple[str, ...]:
        """Every declared name, sorted and unique (all roles)."""
        return tuple(sorted({d.name for d in self.declared}))


def shorten(text: str, limit: int = 120) -> str:
    """`text` cut to `limit` characters with an ellipsis, for messages."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def first_line(error: BaseException) -> str:
    """The first line of an exception's message (its type name when empty)."""
    text = str(error)
    return text.split("\n", 1)[0] if text else type(error).__name__


_LONG_WORD = re.compile(rf"[A-Za-z0-9._-]{{{MAX_NAME + 1},}}")


def _lines_of(text: str, wanted: set[str]) -> dict[str, int]:
    """The first line of `text` holding each of the normalised `wanted` names (one pass; only
    lines long enough to hold one are searched)."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) <= MAX_NAME:
            continue
        for word in _LONG_WORD.findall(line):
            name = canonicalize_name(word)
            if name in wanted:
                found.setdefault(name, number)
        if len(found) == len(wanted):
            break
    return found


def _too_long(what: str, name: str, line: int, dropped: str = "left out") -> LineProblem:
    return LineProblem(
        line=line,
        text=shorten(name, 60),
        problem=f"{what} has {len(name):,} characters, over the {MAX_NAME} a name may have "
        f"(the longest on PyPI has 188); {dropped}",
    )


def drop_long_names(reading: Reading, text: str = "") -> Reading:
    """`reading` without project, extra and group names over `MAX_NAME` characters, each named
    as a problem at its line (found in `text` when the reader gave none); unchanged when every
    name fits. A declaration is kept with only its over-long requested extras left out; a
    locked package with an over-long name leaves the tree (and every edge to it)."""
    long_declared = [
        d for d in reading.declared if len(d.name) > MAX_NAME or len(d.group or "") > MAX_NAME
    ]
    long_extras = [d for d in reading.declared if any(len(e) > MAX_NAME for e in d.extras)]
    long_locked = {n for n in reading.locked if len(n) > MAX_NAME}
    if not (long_declared or long_extras or long_locked):
        return reading
    wanted = {d.name if len(d.name) > MAX_NAME else d.group or "" for d in long_declared}
    wanted |= {e for d in long_extras for e in d.extras if len(e) > MAX_NAME} | long_locked
    lines = _lines_of(text, wanted) if text else {}
    problems: list[LineProblem] = []
    declared: list[Declared] = []
    for item in reading.declared:
        line = item.line
        if len(item.name) > MAX_NAME:
            where = line or lines.get(item.name, 0)
            problems.append(_too_long("the project name", item.name, where))
            continue
        if item.group is not None and len(item.group) > MAX_NAME:
            where = line or lines.get(item.group, 0)
            problems.append(
                _too_long(
                    f"the {item.role.value} group declaring {item.name}",
                    item.group,
                    where,
                    f"{item.name} was left out from it",
                )
            )
            continue
        extras = tuple(e for e in item.extras if len(e) <= MAX_NAME)
        if extras != item.extras:
            for extra in item.extras:
                if len(extra) > MAX_NAME:
                    where = line or lines.get(extra, 0)
                    what = f"an extra asked of {item.name}"
                    problems.append(_too_long(what, extra, where, "that extra was left out"))
            item = dataclasses.replace(item, extras=extras)
        declared.append(item)
    named = {d.name for d in long_declared}
    locked: dict[str, LockedPackage] = {}
    for name, package in reading.locked.items():
        if name in long_locked:
            if name not in named:
                problems.append(_too_long("the locked package name", name, lines.get(name, 0)))
            continue
        requires = tuple(r for r in package.requires if len(r) <= MAX_NAME)
        if requires != package.requires:
            package = dataclasses.replace(package, requires=requires)
        locked[name] = package
    return dataclasses.replace(
        reading,
        declared=tuple(declared),
        locked=locked,
        problems=(*reading.problems, *problems),
    )
