"""Reading `data/libraries.toml` into a `Catalog`, rejecting anything the schema does not allow.

Every problem raises `DataError` naming the file and the entry: bad encodings (UTF-16, stray
bytes), TOML errors, nesting or numbers Python cannot hold, unknown tables and keys, values
outside a vocabulary, evidence URLs that are not plain https links or not at the decisive,
versioned place (`evidence_problem`), and alternatives that name no catalogued project.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import tomllib
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from packaging.version import InvalidVersion, Version

from advisor.answers import is_valid_name, normalize_name
from advisor.catalog.model import (
    AsyncioSupport,
    Catalog,
    Confidence,
    Library,
    LibraryRole,
    Maturity,
    TrioBefore,
    TrioSupport,
)
from advisor.datafiles import require_text
from advisor.errors import DataError

E = TypeVar("E", bound=StrEnum)

TOP_LEVEL = ("categories", "library")
"""The only top-level tables a catalog file may have."""

REQUIRED = (
    "name",
    "category",
    "asyncio",
    "trio",
    "note",
    "evidence",
    "checked_version",
    "checked_on",
    "confidence",
    "role",
    "maturity",
)
"""Keys every [[library]] entry must have."""

OPTIONAL = (
    "aliases",
    "trio_since",
    "trio_since_date",
    "trio_before",
    "alternatives",
    "hosts_code",
    "extras",
)
"""Keys an entry may have; any other key is rejected."""

TRIO_BEFORE_KEYS = ("trio", "note", "evidence", "checked_version")
"""The keys of a `trio_before` table, every one required."""

URL_FORBIDDEN = frozenset("()[]<>{}\"'`\\|^ \t\r\n\f\v")
"""Characters an evidence URL may not hold: each could end a Markdown link or an attribute."""

CODE_HOSTS = frozenset({"github.com", "gitlab.com", "codeberg.org", "bitbucket.org"})
"""Hosts whose URLs name a repository, then a view (`tree`, `blob`) and a ref."""

MOVING_REFS = frozenset({"main", "master", "develop", "dev", "trunk", "head", "default"})
"""Branch names whose content moves: evidence at one of them proves nothing later."""

DOC_HOME_PATHS = frozenset(
    {"", "/", "/en", "/en/stable", "/en/latest", "/stable", "/latest", "/docs", "/index.html"}
)
"""Paths of a documentation site's front page (refused unless a #section follows)."""


def evidence_problem(url: str) -> str | None:
    """Why an evidence URL is not at the decisive, versioned place; None when it may be.

    Refused: a code host's repository root or a view of it without a file (`tree/<ref>`), a
    `tree/` or `blob/` view on a moving branch (main, master, develop, trunk, HEAD ...), a PyPI
    project page and a documentation front page. A commit SHA or a tag (`blob/v1.2/x.py#L3`)
    is accepted, as are issue and pull-request threads. Documentation on `/stable/` or
    `/latest/` that names a page or `#section` is accepted: it states the current release,
    which `checked_version` pins.
    """
    parsed = urlparse(url)
    path = parsed.path.rstrip("/")
    parts = [p for p in path.split("/") if p]
    host = (parsed.hostname or "").lower()
    if host in CODE_HOSTS:
        if "-" in parts[2:3]:  # GitLab: owner/repo/-/tree/ref/...
            parts = parts[:2] + parts[3:]
        if len(parts) <= 2:
            return "a repository's front page"
        if parts[2] in ("tree", "blob", "src"):
            if len(parts) < 4 or parts[3].lower() in MOVING_REFS:
                return f"a {parts[2]}/ view on a moving branch, not at a tag or commit"
            if parts[2] == "tree" and len(parts) <= 4:
                return "a repository's front page at a ref, not the decisive file"
    if host == "pypi.org" and parts[:1] == ["project"]:
        return "a PyPI project page"
    if path in DOC_HOME_PATHS and not parsed.fragment:
        return "a documentation front page"
    return None


_UTF16_32_BOMS = (
    codecs.BOM_UTF32_LE,
    codecs.BOM_UTF32_BE,
    codecs.BOM_UTF16_LE,
    codecs.BOM_UTF16_BE,
)


def read_document(path: Path) -> dict[str, Any]:
    """The parsed TOML document, or `DataError` for anything that is not a UTF-8 TOML file.

    A UTF-8 byte-order mark is accepted and dropped. UTF-16/UTF-32 files (a byte-order mark, or
    NUL bytes) and other undecodable bytes are named with their line; nesting deeper than
    Python's parser allows and integers longer than Python converts are reported, not raised.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DataError(path, None, f"cannot be read: {error.strerror or error}") from None
    if data.startswith(_UTF16_32_BOMS) or b"\x00" in data[:4096]:
        raise DataError(path, None, "is UTF-16 or UTF-32 encoded; save it as UTF-8")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DataError(
            path, f"line {line}", f"is not UTF-8 (byte {data[error.start]:#04x}); save as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataError(path, None, f"is not valid TOML: {error}") from None
    except RecursionError:
        raise DataError(path, None, "is nested too deeply to read") from None
    except ValueError as error:  # e.g. an integer longer than Python's digit limit
        raise DataError(path, None, f"holds a value Python cannot read: {error}") from None


def check_url(value: str, path: Path, where: str, key: str = "evidence") -> str:
    """`value` if it is a plain https URL with a host; otherwise `DataError`.

    Plain means: no white space, quotes, brackets, parentheses, braces or backslashes, so the
    URL cannot break out of a Markdown link or an HTML attribute; `javascript:` and every other
    scheme but https are refused.
    """
    bad = sorted(set(value) & URL_FORBIDDEN)
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise DataError(path, where, f"'{key}' is not a plain https URL: it holds {shown}")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise DataError(
            path, where, f"'{key}' is not a plain https URL: it holds control characters"
        )
    try:
        parsed = urlparse(value)
        host = parsed.hostname
    except ValueError:
        raise DataError(
            path, where, f"'{key}' is not a well-formed https URL: {value[:80]!r}"
        ) from None
    if parsed.scheme != "https" or not host:
        raise DataError(
            path, where, f"'{key}' must be an https URL with a host, not {value[:80]!r}"
        )
    return value


def check_evidence(value: str, path: Path, where: str, key: str = "evidence") -> str:
    """`value` if it is a plain https URL at the decisive place (`evidence_problem`)."""
    check_url(value, path, where, key)
    problem = evidence_problem(value)
    if problem is not None:
        raise DataError(
            path,
            where,
            f"'{key}' {value[:100]!r} is {problem}; cite the decisive place at a tag, a "
            "commit or the checked version",
        )
    return value


def _choice(entry: Mapping[str, object], key: str, enum: type[E], path: Path, where: str) -> E:
    value = require_text(entry, key, path, where)
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise DataError(path, where, f"'{key}' is '{value}'; allowed: {allowed}") from None


def _version(text: str, key: str, path: Path, where: str) -> Version:
    try:
        return Version(text)
    except (InvalidVersion, ValueError):
        raise DataError(path, where, f"'{key}' {text[:80]!r} is not a version") from None


def _date(entry: Mapping[str, object], key: str, path: Path, where: str) -> dt.date:
    value = entry.get(key)
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise DataError(path, where, f"'{key}' must be a TOML date such as 2026-11-25")
    return value


def _names(value: object, key: str, path: Path, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(
        isinstance(a, str) and is_valid_name(a) for a in value
    ):
        raise DataError(path, where, f"'{key}' must be a list of valid PyPI names")
    return tuple(normalize_name(a) for a in value)


def _extras(value: object, path: Path, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise DataError(path, where, "'extras' must be a table: extra name = [package names]")
    extras: dict[str, tuple[str, ...]] = {}
    for extra, packages in value.items():
        if not is_valid_name(extra):
            raise DataError(path, where, f"'extras' key {extra!r} is not a valid extra name")
        extras[normalize_name(extra)] = _names(packages, f"extras.{extra}", path, where)
    return extras


def _trio_before(value: object, since: Version | None, path: Path, where: str) -> TrioBefore:
    """The `trio_before` table: the support of versions older than `trio_since`, with evidence."""
    if not isinstance(value, dict):
        raise DataError(
            path,
            where,
            "'trio_before' must be a table: { trio = ..., note = ..., evidence = ..., "
            "checked_version = ... }",
        )
    if since is None:
        raise DataError(path, where, "'trio_before' needs 'trio_since' (the version it ends at)")
    unknown = sorted(set(value) - set(TRIO_BEFORE_KEYS))
    if unknown:
        raise DataError(path, where, f"unknown field(s) in 'trio_before': {', '.join(unknown)}")
    missing = [k for k in TRIO_BEFORE_KEYS if k not in value]
    if missing:
        raise DataError(path, where, f"missing field(s) in 'trio_before': {', '.join(missing)}")
    fields = {f"trio_before.{k}": v for k, v in value.items()}  # errors name the sub-key
    raw = require_text(fields, "trio_before.trio", path, where)
    try:
        trio = TrioSupport(raw)
    except ValueError:
        allowed = ", ".join(m.value for m in TrioSupport)
        raise DataError(path, where, f"'trio_before.trio' is '{raw}'; allowed: {allowed}") from None
    checked = require_text(fields, "trio_before.checked_version", path, where)
    if _version(checked, "trio_before.checked_version", path, where) >= since:
        raise DataError(
            path,
            where,
            f"'trio_before.checked_version' {checked} is not older than trio_since {since}",
        )
    return TrioBefore(
        trio=trio,
        note=require_text(fields, "trio_before.note", path, where),
        evidence=check_evidence(
            require_text(fields, "trio_before.evidence", path, where),
            path,
            where,
            "trio_before.evidence",
        ),
        checked_version=checked,
    )


def _parse_library(
    entry: object, categories: Mapping[str, str], path: Path, position: int
) -> Library:
    where = f"library #{position}"
    if not isinstance(entry, dict):
        raise DataError(path, where, "each [[library]] must be a table")
    if isinstance(entry.get("name"), str):
        where = f"library {entry['name']!r}"
    unknown = sorted(set(entry) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise DataError(path, where, f"unknown field(s): {', '.join(unknown)}")
    missing = [k for k in REQUIRED if k not in entry]
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
    since: Version | None = None
    if "trio_since" in entry:
        since = _version(require_text(entry, "trio_since", path, where), "trio_since", path, where)
    since_date = (
        _date(entry, "trio_since_date", path, where) if "trio_since_date" in entry else None
    )
    checked_version = require_text(entry, "checked_version", path, where)
    _version(checked_version, "checked_version", path, where)
    hosts_code = entry.get("hosts_code", False)
    if not isinstance(hosts_code, bool):
        raise DataError(path, where, "'hosts_code' must be true or false")
    key = normalize_name(name)
    alternatives = _names(entry.get("alternatives", []), "alternatives", path, where)
    if key in alternatives:
        raise DataError(path, where, "'alternatives' names the project itself")
    return Library(
        name=name,
        key=key,
        aliases=_names(entry.get("aliases", []), "aliases", path, where),
        category=category,
        asyncio=_choice(entry, "asyncio", AsyncioSupport, path, where),
        trio=_choice(entry, "trio", TrioSupport, path, where),
        trio_since=since,
        note=require_text(entry, "note", path, where),
        evidence=check_evidence(require_text(entry, "evidence", path, where), path, where),
        checked_version=checked_version,
        checked_on=_date(entry, "checked_on", path, where),
        confidence=_choice(entry, "confidence", Confidence, path, where),
        role=_choice(entry, "role", LibraryRole, path, where),
        maturity=_choice(entry, "maturity", Maturity, path, where),
        trio_since_date=since_date,
        alternatives=alternatives,
        hosts_code=hosts_code,
        extras=_extras(entry.get("extras", {}), path, where),
        trio_before=(
            _trio_before(entry["trio_before"], since, path, where)
            if "trio_before" in entry
            else None
        ),
    )


def _check_top_level(document: Mapping[str, object], path: Path) -> None:
    for key in document:
        if key not in TOP_LEVEL:
            close = difflib.get_close_matches(key, TOP_LEVEL, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise DataError(
                path,
                f"[{key}]",
                f"unknown top-level table or key{hint}; allowed: library, categories",
            )


def load_catalog(path: Path) -> Catalog:
    """Load and validate the catalog; any problem raises `DataError` naming file and entry."""
    document = read_document(path)
    _check_top_level(document, path)
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
    for library in libraries:
        for other in library.alternatives:
            if other not in index:
                raise DataError(
                    path,
                    f"library {library.name!r}",
                    f"alternative '{other}' is not a catalogued project",
                )
    return Catalog(libraries=libraries, categories=dict(categories), source=path, _index=index)
