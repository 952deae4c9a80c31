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

from advisor.errors import DataError


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed document; an unreadable file or invalid TOML raises `DataError`."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise DataError(path, None, f"cannot be read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise DataError(path, None, f"is not valid TOML: {error}") from None


def require_text(entry: Mapping[str, object], key: str, path: Path, where: str) -> str:
    """A required non-empty string field, with runs of white space folded to one space."""
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataError(path, where, f"'{key}' must be a non-empty string")
    return " ".join(value.split())
