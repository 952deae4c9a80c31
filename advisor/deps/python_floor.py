"""The oldest Python a project supports, as its dependency files state it.

Where each format states it (the key is named in every message):

- pyproject.toml: `[project] requires-python` (PEP 621, PEP 440 specifiers) and Poetry's
  `[tool.poetry.dependencies] python` (Poetry's syntax: `^3.10`, `~3.11`, `||`);
- Pipfile: `[requires] python_version` (`"3.11"`, read as `==3.11.*`) or
  `python_full_version` (`"3.11.4"`, read as `==3.11.4`); Pipfile.lock: the same under
  `_meta.requires`;
- uv.lock: the top-level `requires-python`; pdm.lock: `[metadata] requires_python`;
  poetry.lock: `[metadata] python-versions` (Poetry's syntax).
requirements.txt and the installed environment state none.

The mapping rule: the floor is the oldest of the questionnaire's choices (`PythonVersion`,
3.9 … 3.14) that has **some release** `X.Y.Z` the range admits, by `packaging`'s own
`SpecifierSet.contains`. Whether series X.Y has such a release is decided on representative
versions: `X.Y.0`, and for every version a clause names in that series, the version itself
(without pre-release or local parts) and the next micro release. Between those points a range's
answer cannot change, so this is exact for three-part releases. So `>=3.9.2` and `>3.9` (which
admits 3.9.1) give 3.9, `!=3.9.*,>=3.9` gives 3.10, `~=3.12` gives 3.12. A range that also
admits older Pythons (`>=3.7`, `<4`) gives 3.9 with a note that it reaches below the oldest
choice; one that admits none of the choices (`>=3.15`, `<3.8`), a malformed one, or one over
`MAX_SPECIFIER_CHARS` gives a message naming the file's key and line and no floor. Several
statements (two keys in one file, or several files) must all hold, so the highest floor wins,
and the message says which file and key set it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from advisor.answers import PythonVersion
from advisor.deps.constraints import ConstraintError, poetry_specifier
from advisor.deps.reading import FileFormat, first_line, shorten

MAX_SPECIFIER_CHARS = 200
"""A Python range is a few dozen characters; a longer one is refused with a message (this also
keeps the check, which compares every clause with every other, bounded whatever the input)."""

_OLDER_SERIES = ((2, 7), *((3, minor) for minor in range(9)))
"""Series older than the questionnaire's oldest choice, checked to say that a range reaches
below it."""

_HEADER = re.compile(r"\s*\[\s*([^\[\]]*?)\s*\]\s*(?:#.*)?$")


class Syntax(StrEnum):
    """How a file writes its Python range."""

    PEP440 = "pep440"
    """A PEP 440 specifier set (`>=3.9,<4`)."""
    POETRY = "poetry"
    """Poetry's constraint syntax (`^3.10`, `~3.11`, `3.11.*`, alternatives with `||`)."""
    PIPENV = "pipenv"
    """Pipenv's `python_version` (`3.11`: that series)."""
    PIPENV_FULL = "pipenv-full"
    """Pipenv's `python_full_version` (`3.11.4`: that release)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PythonFloor:
    """One file's statement of the oldest Python it supports, mapped to a questionnaire choice."""

    version: PythonVersion
    """The oldest questionnaire choice the stated range admits."""
    stated: str
    """The range as written, e.g. ">=3.9" or "^3.10" (shortened if long)."""
    key: str
    """Where it is stated, e.g. "[project] requires-python"."""
    file: str
    """The file, as the user named it (a path or upload name; the format's name by default)."""
    line: int = 0
    """1-based line of the key (0 when unknown, as in JSON)."""
    note: str = ""
    """What the mapping had to assume, e.g. that the range reaches below 3.9."""

    @property
    def where(self) -> str:
        """The file and key, e.g. "pyproject.toml [project] requires-python"."""
        return f"{self.file} {self.key}"

    def describe(self) -> str:
        """One line for users: "Python floor 3.9 from pyproject.toml [project] requires-python
        (>=3.9)", with the note when there is one."""
        text = f"Python floor {self.version.value} from {self.where} ({self.stated})"
        return f"{text}; {self.note}" if self.note else text


@dataclass(frozen=True, slots=True, kw_only=True)
class FloorStatement:
    """What one key gave: a floor, or a message saying why it gave none."""

    floor: PythonFloor | None
    """The floor, when the key's range admits one of the choices."""
    message: str = ""
    """Why there is no floor (malformed, admits no choice, too long); empty with a floor."""


@dataclass(frozen=True, slots=True, kw_only=True)
class FloorChoice:
    """The floor of several statements: the highest, since the project must satisfy them all."""

    floor: PythonFloor
    """The statement that set it."""
    others: tuple[PythonFloor, ...] = ()
    """The other statements (lower or equal floors)."""

    def describe(self) -> str:
        """The winning statement, and the others when they disagree."""
        text = self.floor.describe()
        lower = [f for f in self.others if f.version != self.floor.version]
        if lower:
            text += " — the highest of the files' floors (also stated: " + "; ".join(
                f"{f.version.value} in {f.where}" for f in lower
            )
            text += ")"
        return text


def _series_admits(specifier: SpecifierSet, major: int, minor: int) -> bool:
    """Whether some release `major.minor.Z` satisfies `specifier` (see the module docstring)."""
    candidates = {Version(f"{major}.{minor}.0")}
    for clause in specifier:
        try:
            named = Version(clause.version.removesuffix(".*"))
        except InvalidVersion:
            continue  # `===` arbitrary text: only X.Y.0 can match it meaningfully
        release = (*named.release, 0, 0)[:3]
        if release[:2] != (major, minor):
            continue
        candidates.add(Version(".".join(map(str, release))))
        candidates.add(Version(f"{major}.{minor}.{release[2] + 1}"))
    return any(specifier.contains(v, prereleases=True) for v in candidates)


def floor_of(specifier: SpecifierSet) -> tuple[PythonVersion | None, tuple[int, int] | None]:
    """The oldest choice `specifier` admits (None if none), and the oldest older series it
    admits (2.7, 3.0 … 3.8; None if none). Never raises."""
    older = next((s for s in _OLDER_SERIES if _series_admits(specifier, *s)), None)
    for choice in PythonVersion:
        major, minor = (int(part) for part in choice.value.split("."))
        if _series_admits(specifier, major, minor):
            return choice, older
    return None, older


def _specifiers(text: str, syntax: Syntax) -> list[SpecifierSet | None]:
    """The range(s) `text` states (None: any version); raises `ConstraintError`."""
    if syntax is Syntax.POETRY:
        return [poetry_specifier(part) for part in text.split("||")]
    if syntax in (Syntax.PIPENV, Syntax.PIPENV_FULL):
        try:
            version = Version(text.strip())
        except InvalidVersion:
            raise ConstraintError(f"{shorten(text, 60)!r} is not a Python version") from None
        exact = syntax is Syntax.PIPENV_FULL
        return [SpecifierSet(f"=={version}" if exact else f"=={version}.*")]
    stripped = text.strip()
    if stripped in ("", "*"):
        return [None]
    try:
        return [SpecifierSet(stripped)]
    except InvalidSpecifier as error:
        raise ConstraintError(f"not a version range: {first_line(error)}") from None


def read_statement(
    value: object, syntax: Syntax, *, key: str, file: str, line: int = 0
) -> FloorStatement | None:
    """The floor one key states; None when the key says nothing (`*` or empty).

    `value` is the key's value as parsed (a string when well formed); anything else, a
    malformed or over-long range, or one admitting none of the choices gives a statement with
    a `message` naming `file`, `key` and `line`. Never raises.
    """
    at = f"line {line}: {key}" if line else key
    if not isinstance(value, str):
        return FloorStatement(
            floor=None, message=f"{at} must be a string; the Python floor was not taken from it."
        )
    if len(value) > MAX_SPECIFIER_CHARS:
        return FloorStatement(
            floor=None,
            message=f"{at} is {len(value):,} characters long, more than any Python range "
            f"({MAX_SPECIFIER_CHARS}); the Python floor was not taken from it.",
        )
    stated = shorten(value.strip(), 80)
    try:
        ranges = _specifiers(value, syntax)
    except (ConstraintError, ValueError) as error:
        return FloorStatement(
            floor=None,
            message=f"{at} = {stated!r} is not a Python range ({first_line(error)}); the "
            "Python floor was not taken from it.",
        )
    if any(r is None or not len(r) for r in ranges):
        return None  # "*" or an empty range: no floor stated
    mapped = [floor_of(r) for r in ranges if r is not None]
    choices = [c for c, _ in mapped if c is not None]
    olders = [o for _, o in mapped if o is not None]
    if not choices:
        only_older = " (only older Pythons)" if olders else ""
        return FloorStatement(
            floor=None,
            message=f"{at} = {stated!r} admits none of the questionnaire's Python choices "
            f"({PythonVersion.PY39.value} … {list(PythonVersion)[-1].value}){only_older}; the "
            "Python floor was not taken from it.",
        )
    order = list(PythonVersion)
    choice = min(choices, key=order.index)
    note = ""
    if olders and choice is PythonVersion.PY39:
        oldest = min(olders)
        note = (
            f"it admits Python {oldest[0]}.{oldest[1]}, older than the questionnaire's oldest "
            f"choice ({PythonVersion.PY39.value})"
        )
    return FloorStatement(
        floor=PythonFloor(version=choice, stated=stated, key=key, file=file, line=line, note=note)
    )


def line_of_key(text: str, table: str | None, key: str) -> int:
    """The 1-based line of `key = ...` inside TOML table `[table]` (None: before any header);
    0 when not found. One pass over the lines."""
    current: str | None = None
    pattern = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            current = header.group(1).replace(" ", "").replace('"', "").replace("'", "")
            continue
        if current == table and pattern.match(line):
            return number
    return 0


def _json_line(text: str, needle: str) -> int:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 0


def _table(document: Mapping[str, object], *path: str) -> Mapping[str, object]:
    current: object = document
    for part in path:
        current = current.get(part) if isinstance(current, dict) else None
    return current if isinstance(current, dict) else {}


def _keys(
    file_format: FileFormat, document: Mapping[str, object]
) -> Iterable[tuple[str | None, str, Syntax, Mapping[str, object]]]:
    """(TOML table, key, syntax, the table's contents) for every key the format may state."""
    if file_format is FileFormat.PYPROJECT:
        yield "project", "requires-python", Syntax.PEP440, _table(document, "project")
        yield (
            "tool.poetry.dependencies",
            "python",
            Syntax.POETRY,
            _table(document, "tool", "poetry", "dependencies"),
        )
    elif file_format is FileFormat.PIPFILE:
        requires = _table(document, "requires")
        yield "requires", "python_version", Syntax.PIPENV, requires
        yield "requires", "python_full_version", Syntax.PIPENV_FULL, requires
    elif file_format is FileFormat.UV_LOCK:
        yield None, "requires-python", Syntax.PEP440, document
    elif file_format is FileFormat.PDM_LOCK:
        yield "metadata", "requires_python", Syntax.PEP440, _table(document, "metadata")
    elif file_format is FileFormat.POETRY_LOCK:
        yield "metadata", "python-versions", Syntax.POETRY, _table(document, "metadata")
    elif file_format is FileFormat.PIPFILE_LOCK:
        requires = _table(document, "_meta", "requires")
        yield "_meta.requires", "python_version", Syntax.PIPENV, requires
        yield "_meta.requires", "python_full_version", Syntax.PIPENV_FULL, requires


def read_floors(
    file_format: FileFormat, document: Mapping[str, object], text: str
) -> tuple[tuple[PythonFloor, ...], tuple[str, ...]]:
    """Every Python floor a parsed dependency file states, and a message per key that states
    one badly. `text` is the file as read (for line numbers). Never raises."""
    floors: list[PythonFloor] = []
    messages: list[str] = []
    for table, key, syntax, contents in _keys(file_format, document):
        if key not in contents:
            continue
        if file_format is FileFormat.PIPFILE_LOCK:
            where, line = f"{table}.{key}", _json_line(text, f'"{key}"')
        else:
            where = f"[{table}] {key}" if table else key
            line = line_of_key(text, table, key)
        statement = read_statement(
            contents[key], syntax, key=where, file=file_format.label, line=line
        )
        if statement is None:
            continue
        if statement.floor is not None:
            floors.append(statement.floor)
        else:
            messages.append(statement.message)
    return tuple(floors), tuple(messages)


def named_file(floors: Iterable[PythonFloor], file: str) -> tuple[PythonFloor, ...]:
    """The floors with their file named as the user knows it (a path or an upload's name)."""
    return tuple(replace(floor, file=file) for floor in floors)


def decide_floor(floors: Sequence[PythonFloor]) -> FloorChoice | None:
    """The highest of the stated floors (the first stated among equals); None when none."""
    if not floors:
        return None
    order = list(PythonVersion)
    best = max(floors, key=lambda f: order.index(f.version))
    best = next(f for f in floors if f.version == best.version)
    return FloorChoice(floor=best, others=tuple(f for f in floors if f is not best))


@dataclass(frozen=True, slots=True, kw_only=True)
class PythonAnswer:
    """The `python` answer once a file's floor is considered."""

    value: PythonVersion
    """The answer to use."""
    message: str
    """What to tell the user: where the answer came from, or why the file's floor was not
    used."""
    from_file: bool
    """Whether `value` is the file's floor."""


def python_answer(choice: FloorChoice, given: PythonVersion | None) -> PythonAnswer:
    """The `python` answer: the file's floor, unless the user gave one (`given`), which is kept
    with a notice when the file disagrees."""
    floor = choice.floor
    if given is None:
        return PythonAnswer(value=floor.version, message=choice.describe(), from_file=True)
    if given == floor.version:
        return PythonAnswer(
            value=given,
            message=f"{choice.describe()}; it agrees with the python answer given",
            from_file=False,
        )
    return PythonAnswer(
        value=given,
        message=f"the python answer given ({given.value}) was kept, although the files say "
        f"otherwise: {choice.describe()}",
        from_file=False,
    )
