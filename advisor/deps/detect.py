"""Which format a dependency file is in, told from its content (never from its name).

JSON (`{` first) is a Pipfile.lock. TOML (a `[table]` header or `key = value` as the first
meaningful line) is told apart by its tables: `[[package]]` with `[metadata]` holding
`lock-version` is poetry.lock, with `lock_version` pdm.lock, with a top-level `version` uv.lock;
`[packages]`/`[dev-packages]` is a Pipfile; anything else is a pyproject.toml. Everything else is
read as requirements lines. Only the first meaningful line is looked at, so detection is linear.
"""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from typing import Any

from advisor.deps.decoding import check_text_size, decode_bytes
from advisor.deps.locks import parse_pdm_lock, parse_pipfile_lock, parse_poetry_lock, parse_uv_lock
from advisor.deps.pipfile import parse_pipfile
from advisor.deps.pyproject import parse_pyproject
from advisor.deps.python_floor import read_floors
from advisor.deps.reading import (
    DependencyFileError,
    FileFormat,
    Reading,
    drop_long_names,
    first_line,
)
from advisor.deps.requirements_txt import parse_requirements_txt

_TOML_KEY = re.compile(r"""[A-Za-z0-9_.\-"' ]+=\s*[^=\s]""")
"""`name = value` (a requirement never has a single `=` after its name)."""


def _first_meaningful(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped
    return ""


def sniff_format(text: str) -> str:
    """'json', 'toml' or 'requirements', from the first line that is not blank or a comment."""
    first = _first_meaningful(text)
    if first.startswith("{"):
        return "json"
    if first.startswith("[") or _TOML_KEY.match(first):
        return "toml"
    return "requirements"


def _load_toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise DependencyFileError(
            "This TOML is nested too deeply to be a dependency file."
        ) from None
    except ValueError as error:  # TOMLDecodeError, or an integer over 4,300 digits
        raise DependencyFileError(f"This is not valid TOML: {first_line(error)}.") from None


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise DependencyFileError("This JSON is nested too deeply to be a lock file.") from None
    except ValueError as error:  # JSONDecodeError, or an integer over 4,300 digits
        raise DependencyFileError(f"This is not valid JSON: {first_line(error)}.") from None


def toml_format(document: dict[str, Any]) -> FileFormat:
    """Which TOML dependency format a parsed document is."""
    metadata = document.get("metadata")
    if isinstance(document.get("package"), list):
        if isinstance(metadata, dict) and "lock-version" in metadata:
            return FileFormat.POETRY_LOCK
        if isinstance(metadata, dict) and "lock_version" in metadata:
            return FileFormat.PDM_LOCK
        if "version" in document or "requires-python" in document:
            return FileFormat.UV_LOCK
    if any(key in document for key in ("packages", "dev-packages")) and "project" not in document:
        return FileFormat.PIPFILE
    return FileFormat.PYPROJECT


def _with_floors(reading: Reading, document: dict[str, Any], text: str) -> Reading:
    """The reading with the Python floors its file states (a bad range becomes a notice)."""
    floors, messages = read_floors(reading.format, document, text)
    if not floors and not messages:
        return reading
    return dataclasses.replace(reading, python_floors=floors, notices=(*reading.notices, *messages))


def _read_document(text: str, kind: str) -> tuple[Reading, dict[str, Any]]:
    if kind == "json":
        document = _load_json(text)
        if not isinstance(document, dict) or not (
            "_meta" in document or "default" in document or "develop" in document
        ):
            raise DependencyFileError(
                "This JSON is not a Pipfile.lock (no '_meta', 'default' or 'develop' key)."
            )
        return parse_pipfile_lock(document), document
    document = _load_toml(text)
    found = toml_format(document)
    if found is FileFormat.POETRY_LOCK:
        return parse_poetry_lock(document), document
    if found is FileFormat.PDM_LOCK:
        return parse_pdm_lock(document), document
    if found is FileFormat.UV_LOCK:
        return parse_uv_lock(document), document
    if found is FileFormat.PIPFILE:
        return parse_pipfile(text, document), document
    return parse_pyproject(text, document), document


def read_text(text: str) -> Reading:
    """Read a dependency file of any supported format, detected from its content.

    The reading carries the Python floors the file states (`Reading.python_floors`).
    Raises `DependencyFileError` when the input as a whole cannot be read (over the size
    limit, not valid TOML or JSON); a bad line or entry is reported in the reading instead,
    as is a name over `MAX_NAME` characters (left out, whatever the format).
    """
    check_text_size(text)
    text = text.removeprefix("\ufeff")
    kind = sniff_format(text)
    if kind == "requirements":
        return drop_long_names(parse_requirements_txt(text), text)
    reading, document = _read_document(text, kind)
    return _with_floors(drop_long_names(reading, text), document, text)


def read_bytes(data: bytes) -> Reading:
    """Decode (as pip does, refusing binaries and oversized input), then `read_text`."""
    decoded = decode_bytes(data)
    reading = read_text(decoded.text)
    if not decoded.notices:
        return reading
    return dataclasses.replace(reading, notices=(*decoded.notices, *reading.notices))
