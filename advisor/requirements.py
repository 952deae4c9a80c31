"""Dependency names from requirements.txt, pyproject.toml or `pip freeze` output.

Text is only parsed, never executed or followed: `-r`/`-c` includes are reported, not read,
because the file they name is not what the user pasted. Requirement lines are parsed by
`packaging` (the reference PEP 508 implementation) and TOML by `tomllib`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import InvalidName, canonicalize_name
from packaging.version import InvalidVersion, Version

MAX_INPUT_BYTES = 1_000_000
"""Larger inputs are refused: no real requirements file is that big, and parsing is linear."""


class RequirementsError(ValueError):
    """The input as a whole cannot be read (too large, not valid TOML)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LineProblem:
    """A line that could not be read, or was deliberately not followed."""

    line: int
    """1-based line number in the input (the first line of a continued line)."""
    text: str
    """The line as written (shortened if long)."""
    problem: str
    """What was wrong, in plain words."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DetectedRequirements:
    """What was found in one input."""

    names: tuple[str, ...]
    """Normalised project names, sorted and unique."""
    pins: dict[str, Version]
    """Exactly pinned versions (`name==1.2.3`), for version-dependent catalog facts."""
    problems: tuple[LineProblem, ...]
    """Unreadable lines, with line numbers."""
    not_followed: tuple[LineProblem, ...]
    """`-r`/`-c` includes and similar lines that were recognised but not followed."""
    format: str
    """requirements, pyproject or poetry (what the input was read as)."""


_INCLUDE = re.compile(r"^(-r|-c|--requirement|--constraint)(\s*=?\s*)(\S+)")
_EDITABLE = re.compile(r"^(-e|--editable)(\s*=?\s*)(\S+)")
_OPTION = re.compile(r"^--?[A-Za-z]")
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_ARCHIVE = re.compile(
    r"^([A-Za-z0-9][A-Za-z0-9._]*?)-\d[^/]*?(\.tar\.gz|\.zip|\.whl|\.tar\.bz2)$", re.IGNORECASE
)
_HASH_OR_OPTION = re.compile(r"\s--?[A-Za-z][\w-]*(=\S*)?(\s+\S+)?")


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _check_size(text: str) -> None:
    if len(text.encode("utf-8", errors="replace")) > MAX_INPUT_BYTES:
        raise RequirementsError(
            f"The input is larger than {MAX_INPUT_BYTES // 1_000_000} MB and was not read; "
            "paste only the dependency list."
        )


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Join backslash continuations; yield (first line number, joined line)."""
    start: int | None = None
    parts: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if start is None:
            start = number
        if raw.endswith("\\"):
            parts.append(raw[:-1])
            continue
        parts.append(raw)
        yield start, " ".join(parts)
        start, parts = None, []
    if parts and start is not None:
        yield start, " ".join(parts)


def _strip_comment(line: str) -> str:
    # pip treats '#' as a comment at line start or after whitespace; '#egg=' in URLs survives.
    return re.sub(r"(^|\s)#.*$", "", line).strip()


def _name_from_url(url: str) -> str | None:
    egg = _EGG.search(url)
    if egg:
        return egg.group(1)
    try:
        path = unquote(urlparse(url).path).rstrip("/")
    except ValueError:  # urllib refuses some malformed URLs, e.g. "http://[::1/x" (bad IPv6 host)
        return None
    archive = _ARCHIVE.match(path.rsplit("/", 1)[-1])
    return archive.group(1) if archive else None


def _pin(requirement: Requirement) -> Version | None:
    specs = list(requirement.specifier)
    if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
        try:
            return Version(specs[0].version)
        except InvalidVersion:
            return None
    return None


def _read_requirement(text: str) -> tuple[str, Version | None]:
    """A PEP 508 line's name and exact pin; raises InvalidRequirement."""
    requirement = Requirement(text)
    return canonicalize_name(requirement.name), _pin(requirement)


def parse_requirements_txt(text: str) -> DetectedRequirements:
    """Read requirements.txt or `pip freeze` output."""
    _check_size(text)
    names: set[str] = set()
    pins: dict[str, Version] = {}
    problems: list[LineProblem] = []
    not_followed: list[LineProblem] = []
    for number, raw in _logical_lines(text):
        line = _strip_comment(raw)
        if not line:
            continue
        shown = _shorten(raw.strip())
        include = _INCLUDE.match(line)
        if include:
            not_followed.append(
                LineProblem(
                    line=number,
                    text=shown,
                    problem=f"includes {include.group(3)}, which was not read; paste it too",
                )
            )
            continue
        editable = _EDITABLE.match(line)
        if editable:
            name = _name_from_url(editable.group(3))
            if name is None:
                problems.append(
                    LineProblem(
                        line=number,
                        text=shown,
                        problem="editable install without '#egg=NAME'; its name is unknown",
                    )
                )
            else:
                names.add(canonicalize_name(name))
            continue
        if _OPTION.match(line):
            continue  # --index-url, --hash on its own line, --pre, ...: not dependencies
        requirement_text = _HASH_OR_OPTION.sub("", " " + line).strip()
        if "://" in requirement_text and "@" not in requirement_text.split("://")[0]:
            name = _name_from_url(requirement_text)
            if name is None:
                problems.append(
                    LineProblem(
                        line=number,
                        text=shown,
                        problem="a bare URL whose project name cannot be told; use 'name @ URL'",
                    )
                )
            else:
                names.add(canonicalize_name(name))
            continue
        try:
            name, pin = _read_requirement(requirement_text)
        except InvalidRequirement as error:
            problems.append(
                LineProblem(
                    line=number, text=shown, problem=f"not a requirement: {_first_line(error)}"
                )
            )
            continue
        names.add(name)
        if pin is not None:
            pins[name] = pin
    return DetectedRequirements(
        names=tuple(sorted(names)),
        pins=pins,
        problems=tuple(problems),
        not_followed=tuple(not_followed),
        format="requirements",
    )


def _line_of(text: str, needle: str) -> int:
    """Best-effort line number of a TOML string value, for problem reports."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return 0


def _strings(value: object) -> Iterable[object]:
    return value if isinstance(value, list) else []


def parse_pyproject(text: str) -> DetectedRequirements:
    """Read PEP 621 dependencies and optional-dependencies, PEP 735 groups, and Poetry."""
    _check_size(text)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RequirementsError(f"This is not valid TOML: {error}.") from None
    entries: list[object] = []
    project = document.get("project", {})
    if isinstance(project, dict):
        entries.extend(_strings(project.get("dependencies")))
        optional = project.get("optional-dependencies", {})
        if isinstance(optional, dict):
            for group in optional.values():
                entries.extend(_strings(group))
    groups = document.get("dependency-groups", {})
    if isinstance(groups, dict):
        for group in groups.values():
            # PEP 735 groups also hold {include-group = "..."} tables; they name groups, not
            # projects, and the included group is read in its own right.
            entries.extend(e for e in _strings(group) if not isinstance(e, dict))
    names: set[str] = set()
    pins: dict[str, Version] = {}
    problems: list[LineProblem] = []
    for entry in entries:
        if not isinstance(entry, str):
            problems.append(
                LineProblem(line=0, text=_shorten(repr(entry)), problem="not a requirement string")
            )
            continue
        try:
            name, pin = _read_requirement(entry)
        except InvalidRequirement as error:
            problems.append(
                LineProblem(
                    line=_line_of(text, entry),
                    text=_shorten(entry),
                    problem=f"not a requirement: {_first_line(error)}",
                )
            )
            continue
        names.add(name)
        if pin is not None:
            pins[name] = pin
    poetry = (
        document.get("tool", {}).get("poetry", {}) if isinstance(document.get("tool"), dict) else {}
    )
    used_poetry = False
    if isinstance(poetry, dict):
        tables: list[object] = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
        poetry_groups = poetry.get("group", {})
        if isinstance(poetry_groups, dict):
            tables.extend(
                g.get("dependencies") for g in poetry_groups.values() if isinstance(g, dict)
            )
        for table in tables:
            if not isinstance(table, dict):
                continue
            used_poetry = True
            for key, spec in table.items():
                if key.lower() == "python":
                    continue  # Poetry's interpreter constraint, not a package
                try:
                    name = canonicalize_name(key, validate=True)
                except InvalidName:
                    problems.append(
                        LineProblem(
                            line=_line_of(text, key),
                            text=_shorten(key),
                            problem="not a valid PyPI project name",
                        )
                    )
                    continue
                names.add(name)
                if isinstance(spec, str) and re.fullmatch(r"\d+(\.\d+)*", spec.strip()):
                    pins[name] = Version(spec.strip())
    return DetectedRequirements(
        names=tuple(sorted(names)),
        pins=pins,
        problems=tuple(problems),
        not_followed=(),
        format="poetry" if used_poetry and not entries else "pyproject",
    )


def looks_like_toml(text: str, filename: str | None = None) -> bool:
    """Whether to read the input as pyproject.toml (by name, else by a table header)."""
    if filename:
        return filename.lower().endswith(".toml")
    return bool(re.search(r"^\s*\[[A-Za-z0-9_.\-\"' ]+\]\s*$", text, re.MULTILINE))


def detect_requirements(text: str, filename: str | None = None) -> DetectedRequirements:
    """Read any supported input: pyproject.toml, requirements.txt or pip freeze output."""
    _check_size(text)
    if looks_like_toml(text, filename):
        return parse_pyproject(text)
    return parse_requirements_txt(text)
