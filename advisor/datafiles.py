"""Reading the project's TOML data files, with every problem turned into a `DataError`.

Catalog, rules, scoring policy and the evidence guide all load through here, so a missing file,
a syntax error or an empty required string is reported the same way everywhere: file, entry,
problem.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from advisor.errors import DataError

MAX_DATA_FILE_BYTES = 8 * 1024 * 1024
"""Far above any reviewed data file; a larger one is refused before parsing."""


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed document.

    Raises `DataError` (never anything else) for an unreadable or oversized file, a file that
    is not UTF-8 (TOML requires it: a UTF-16 file is named as such), invalid TOML, nesting too
    deep to parse, or an integer too long to convert.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_DATA_FILE_BYTES + 1)
    except OSError as error:
        raise DataError(path, None, f"cannot be read: {error.strerror or error}") from None
    if len(data) > MAX_DATA_FILE_BYTES:
        raise DataError(path, None, f"is larger than {MAX_DATA_FILE_BYTES} bytes")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError(path, None, "is UTF-16; TOML data files must be UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError(path, None, f"is not UTF-8 (byte {error.start})") from None
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as error:
        raise DataError(path, None, f"is not valid TOML: {error}") from None
    except RecursionError:
        raise DataError(path, None, "is nested too deeply to read") from None
    except ValueError as error:  # e.g. an integer beyond Python's digit limit
        raise DataError(path, None, f"holds a value that cannot be read: {error}") from None


def require_text(entry: Mapping[str, object], key: str, path: Path, where: str) -> str:
    """A required non-empty string field, with runs of white space folded to one space."""
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataError(path, where, f"'{key}' must be a non-empty string")
    return " ".join(value.split())


_URL_FORBIDDEN = frozenset(" \t\r\n\"'<>()[]{}`\\")
"""Characters that could end a Markdown link or an HTML attribute early."""


def require_https_url(entry: Mapping[str, object], key: str, path: Path, where: str) -> str:
    """A required https URL with a host and no character that could break out of a link.

    Data text reaches the page and the exports; a URL that closed a Markdown link early could
    put a live off-machine link or a remote image there, so such URLs are refused at load.
    """
    url = entry.get(key)
    if not isinstance(url, str) or not url:
        raise DataError(path, where, f"'{key}' must be a non-empty string")
    problem = https_url_problem(url)
    if problem:
        raise DataError(path, where, f"'{key}' {problem}: {url[:200]!r}")
    return url


def https_url_problem(url: str) -> str | None:
    """Why `url` is not a safe https URL, or None when it is."""
    if len(url) > 2_000:
        return "is longer than 2,000 characters"
    if any(ch in _URL_FORBIDDEN or ord(ch) < 32 for ch in url):
        return "contains white space, quotes, brackets or control characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a URL"
    if parts.scheme != "https" or not parts.hostname:
        return "is not an https URL with a host"
    return None
