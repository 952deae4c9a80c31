"""What reading one dependency file gives, before the catalog is consulted.

Every reader (requirements lines, pyproject tables, Pipfile, the lock files, the installed
environment) returns a `Reading`: the direct dependencies it declares with their roles and
ranges, the locked tree when the format has one, and every line or table it could not read or
deliberately did not follow. `advisor.deps.resolve` turns a reading into what `recommend()`
weighs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from advisor.answers import MAX_DEPENDENCIES
from advisor.deps.model import DependencyRole

if TYPE_CHECKING:
    from advisor.deps.python_floor import PythonFloor

MAX_INPUT_BYTES = 1_000_000
"""Larger inputs are refused: no real dependency file is that big, and reading is linear."""

MAX_DECLARED = MAX_DEPENDENCIES
"""The one limit on direct dependencies for every entry point (share links, files, the CLI):
a longer list is cut with a notice, never an error."""

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
