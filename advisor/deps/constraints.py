"""Version constraints as Poetry and Pipenv write them, turned into PEP 440 specifier sets.

Poetry (https://python-poetry.org/docs/dependency-specification/#version-constraints): a bare
version is an exact pin (`"8.15.1"` is `==8.15.1`); `^1.2.3` is `>=1.2.3,<2.0.0` (the first
non-zero part is bumped); `~1.2.3` is `>=1.2.3,<1.3.0`; `*` is any version; clauses are joined
by commas or spaces; `||` joins alternatives, which one PEP 440 set cannot express. Pipenv writes
PEP 440 specifiers, or `*`.
"""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from advisor.deps.reading import first_line, shorten

_CLAUSE = re.compile(r"(\^|~=|~|===|==|!=|>=|<=|>|<|=)?\s*([^\s,^~=!<>|]+)")
"""One clause: an optional operator and a version (no nested quantifiers: linear)."""


class ConstraintError(ValueError):
    """A constraint that is not a version range (the message says why)."""


def _version(text: str) -> Version:
    try:
        return Version(text)
    except ValueError as error:  # InvalidVersion, or an integer over 4,300 digits
        raise ConstraintError(
            f"version {shorten(text, 40)!r} is not usable: {first_line(error)}"
        ) from None


def _bumped(release: tuple[int, ...], index: int) -> str:
    return ".".join(str(part) for part in (*release[:index], release[index] + 1))


def _caret(text: str) -> str:
    version = _version(text)
    release = version.release
    nonzero = next((i for i, part in enumerate(release) if part), len(release) - 1)
    return f">={version},<{_bumped(release, nonzero)}"


def _tilde(text: str) -> str:
    version = _version(text)
    release = version.release
    return f">={version},<{_bumped(release, 1 if len(release) > 1 else 0)}"


def poetry_specifier(constraint: str) -> SpecifierSet | None:
    """A Poetry constraint as a specifier set; None for `*` (any version).

    Raises `ConstraintError` for alternatives (`||`) and for text that is not a constraint.
    """
    text = constraint.strip()
    if text in ("", "*"):
        return None
    if "||" in text or " or " in text:
        raise ConstraintError(
            f"{shorten(text, 60)!r} joins alternatives with '||', which a single version "
            "range cannot express; its versions were not graded"
        )
    clauses: list[str] = []
    position = 0
    for match in _CLAUSE.finditer(text):
        between = text[position : match.start()].strip(" ,")
        if between:
            break
        position = match.end()
        operator, value = match.group(1) or "", match.group(2)
        if value == "*":
            continue
        if operator == "^":
            clauses.append(_caret(value))
        elif operator == "~":
            clauses.append(_tilde(value))
        elif operator in ("", "="):
            clauses.append(f"=={value}")
        else:
            clauses.append(f"{operator}{value}")
    if text[position:].strip(" ,"):
        raise ConstraintError(f"{shorten(text, 60)!r} is not a version constraint")
    return pep440_specifier(",".join(clauses)) if clauses else None


def pep440_specifier(text: str) -> SpecifierSet | None:
    """A PEP 440 specifier string (as Pipenv writes it; `*` is any) as a checked set.

    Raises `ConstraintError` when it is not one, or names a version that cannot be used.
    """
    text = text.strip()
    if text in ("", "*"):
        return None
    try:
        specifier = SpecifierSet(text)
    except InvalidSpecifier as error:
        raise ConstraintError(f"not a version range: {first_line(error)}") from None
    for spec in specifier:
        if spec.operator != "===":
            _version(spec.version.removesuffix(".*"))
    return specifier
