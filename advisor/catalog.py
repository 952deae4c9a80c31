"""The library catalog: which PyPI projects run on asyncio, on Trio, through AnyIO or a bridge.

Facts live in `data/libraries.toml`; this module loads and validates them. Every fact is dated
(checked_version, checked_on) and has evidence, because support changes with releases and the
people reading a verdict will check it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse

from packaging.version import InvalidVersion, Version

from advisor.answers import is_valid_name, normalize_name
from advisor.datafiles import read_toml, require_text
from advisor.errors import DataError

E = TypeVar("E", bound=StrEnum)


class AsyncioSupport(StrEnum):
    """How a library runs on asyncio."""

    NATIVE = "native"
    """Written for asyncio."""
    ANYIO = "anyio"
    """Built on AnyIO; runs on its asyncio backend."""
    THREAD = "thread"
    """A blocking library, usable from a worker thread."""
    NONE = "none"
    """Does not run on asyncio."""


class TrioSupport(StrEnum):
    """How a library runs on Trio."""

    NATIVE = "native"
    """Supports Trio itself."""
    ANYIO = "anyio"
    """Runs on Trio through AnyIO."""
    BRIDGE = "bridge"
    """asyncio-only: usable under Trio only through trio-asyncio."""
    THREAD = "thread"
    """A blocking library, usable from `trio.to_thread`."""
    NONE = "none"
    """Cannot run under Trio, even through the bridge."""


class Confidence(StrEnum):
    """How sure the catalog is of an entry."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True, kw_only=True)
class Library:
    """One PyPI project's async support, with its evidence."""

    name: str
    """The PyPI name as the project spells it."""
    key: str
    """The PEP 503-normalised name, used for matching."""
    aliases: tuple[str, ...]
    """Other normalised names that mean this project (old names, import names)."""
    category: str
    """A key of the catalog's category vocabulary."""
    asyncio: AsyncioSupport
    """How it runs on asyncio."""
    trio: TrioSupport
    """How it runs on Trio (at `checked_version`)."""
    trio_since: Version | None
    """The first version with the stated Trio support, when support depends on the version."""
    note: str
    """What a user must know, in one line."""
    evidence: str
    """URL in the library's own docs, code or metadata."""
    checked_version: str
    """The version the facts were checked at."""
    checked_on: dt.date
    """The day they were checked."""
    confidence: Confidence
    """How sure the entry is."""

    def trio_at(self, version: Version | None) -> TrioSupport:
        """Trio support at a given version: before `trio_since` the library was asyncio-only."""
        if version is None or self.trio_since is None or version >= self.trio_since:
            return self.trio
        return TrioSupport.NONE if self.asyncio is AsyncioSupport.NONE else TrioSupport.BRIDGE

    @property
    def anyio_based(self) -> bool:
        """Whether the library is built on AnyIO (and so follows the chosen backend)."""
        return self.asyncio is AsyncioSupport.ANYIO or self.trio is TrioSupport.ANYIO


@dataclass(frozen=True, slots=True, kw_only=True)
class Catalog:
    """The loaded catalog: libraries by normalised name and alias, and the categories."""

    libraries: tuple[Library, ...]
    """Every entry, in file order."""
    categories: Mapping[str, str]
    """Category key to human label."""
    source: Path
    """The file it was loaded from."""
    _index: Mapping[str, Library]

    def lookup(self, name: str) -> Library | None:
        """The entry for a PyPI name or alias, matched after PEP 503 normalisation."""
        return self._index.get(normalize_name(name))

    def names(self) -> tuple[str, ...]:
        """Every normalised name, for suggestions in the questionnaire."""
        return tuple(sorted(lib.key for lib in self.libraries))


_REQUIRED = (
    "name",
    "category",
    "asyncio",
    "trio",
    "note",
    "evidence",
    "checked_version",
    "checked_on",
    "confidence",
)
_OPTIONAL = ("aliases", "trio_since")


def _choice(entry: Mapping[str, object], key: str, enum: type[E], path: Path, where: str) -> E:
    value = require_text(entry, key, path, where)
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise DataError(path, where, f"'{key}' is '{value}'; allowed: {allowed}") from None


def _url(value: str, path: Path, where: str) -> str:
    parsed = urlparse(value)
    if parsed.scheme != "https" or not parsed.netloc or " " in value:
        raise DataError(path, where, f"'evidence' is not a well-formed https URL: {value!r}")
    return value


def _parse_library(
    entry: object, categories: Mapping[str, str], path: Path, position: int
) -> Library:
    where = f"library #{position}"
    if not isinstance(entry, dict):
        raise DataError(path, where, "each [[library]] must be a table")
    if isinstance(entry.get("name"), str):
        where = f"library {entry['name']!r}"
    unknown = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise DataError(path, where, f"unknown field(s): {', '.join(unknown)}")
    missing = [k for k in _REQUIRED if k not in entry]
    if missing:
        raise DataError(path, where, f"missing field(s): {', '.join(missing)}")
    name = require_text(entry, "name", path, where)
    if not is_valid_name(name):
        raise DataError(path, where, f"'name' {name!r} is not a valid PyPI project name")
    category = require_text(entry, "category", path, where)
    if category not in categories:
        raise DataError(
            path, where, f"category '{category}' is not in [categories]: {', '.join(categories)}"
        )
    aliases_raw = entry.get("aliases", [])
    if not isinstance(aliases_raw, list) or not all(
        isinstance(a, str) and is_valid_name(a) for a in aliases_raw
    ):
        raise DataError(path, where, "'aliases' must be a list of valid PyPI names")
    since: Version | None = None
    if "trio_since" in entry:
        since_text = require_text(entry, "trio_since", path, where)
        try:
            since = Version(since_text)
        except InvalidVersion:
            raise DataError(path, where, f"'trio_since' {since_text!r} is not a version") from None
    checked_version = require_text(entry, "checked_version", path, where)
    try:
        Version(checked_version)
    except InvalidVersion:
        raise DataError(
            path, where, f"'checked_version' {checked_version!r} is not a version"
        ) from None
    checked_on = entry.get("checked_on")
    if not isinstance(checked_on, dt.date) or isinstance(checked_on, dt.datetime):
        raise DataError(path, where, "'checked_on' must be a TOML date such as 2026-11-25")
    return Library(
        name=name,
        key=normalize_name(name),
        aliases=tuple(normalize_name(a) for a in aliases_raw),
        category=category,
        asyncio=_choice(entry, "asyncio", AsyncioSupport, path, where),
        trio=_choice(entry, "trio", TrioSupport, path, where),
        trio_since=since,
        note=require_text(entry, "note", path, where),
        evidence=_url(require_text(entry, "evidence", path, where), path, where),
        checked_version=checked_version,
        checked_on=checked_on,
        confidence=_choice(entry, "confidence", Confidence, path, where),
    )


def load_catalog(path: Path) -> Catalog:
    """Load and validate the catalog; any problem raises `DataError` naming file and entry."""
    document = read_toml(path)
    categories = document.get("categories")
    if not isinstance(categories, dict) or not categories:
        raise DataError(path, "[categories]", "a non-empty [categories] table is required")
    for key, label in categories.items():
        if not isinstance(label, str) or not label.strip():
            raise DataError(path, f"category {key!r}", "needs a human label (a string)")
    entries = document.get("library")
    if not isinstance(entries, list) or not entries:
        raise DataError(path, "[[library]]", "at least one [[library]] entry is required")
    libraries = tuple(
        _parse_library(entry, categories, path, i) for i, entry in enumerate(entries, 1)
    )
    index: dict[str, Library] = {}
    for library in libraries:
        for key in (library.key, *library.aliases):
            if key in index:
                raise DataError(
                    path,
                    f"library {library.name!r}",
                    f"name or alias '{key}' is already used by {index[key].name!r}",
                )
            index[key] = library
    return Catalog(libraries=libraries, categories=dict(categories), source=path, _index=index)
