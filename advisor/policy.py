"""Loading `data/scoring.toml`: the factors, their uncertainty and caps, and the grade margins.

Validated against a closed schema: an unknown table or key, a missing one, a non-finite or
non-positive number all raise `DataError` naming the file and the entry.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

from advisor.answers import PythonVersion
from advisor.datafiles import read_toml, require_https_url, require_text
from advisor.errors import DataError
from advisor.scoring import Factor, VerdictPolicy

_VERDICT_KEYS = {
    "clear_margin",
    "lean_margin",
    "clear_z",
    "base_uncertainty",
    "soft_uncertainty",
    "recent_support_days",
}
_PYTHON_KEYS = {"end_of_life", "source", "checked_on"}
_FACTOR_KEYS = {"label", "uncertainty", "cap"}


def _table(document: Mapping[str, object], key: str, path: Path) -> Mapping[str, object]:
    value = document.get(key)
    if not isinstance(value, dict):
        raise DataError(path, f"[{key}]", "a table is required")
    return value


def _closed(table: Mapping[str, object], allowed: set[str], path: Path, where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise DataError(path, where, f"unknown key(s): {', '.join(unknown)}")
    missing = sorted(allowed - set(table))
    if missing:
        raise DataError(path, where, f"missing key(s): {', '.join(missing)}")


def _positive(table: Mapping[str, object], key: str, path: Path, where: str) -> float:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DataError(path, f"{where}.{key}", "must be a number")
    if not math.isfinite(value) or value <= 0:
        raise DataError(path, f"{where}.{key}", "must be a positive finite number")
    return float(value)


def load_policy(path: Path) -> VerdictPolicy:
    """Read and validate `scoring.toml` into a `VerdictPolicy`."""
    document = read_toml(path)
    extra = sorted(set(document) - {"verdict", "python", "factor"})
    if extra:
        raise DataError(path, None, f"unknown table(s): {', '.join(extra)}")
    verdict = _table(document, "verdict", path)
    _closed(verdict, _VERDICT_KEYS, path, "[verdict]")
    numbers = {key: _positive(verdict, key, path, "verdict") for key in _VERDICT_KEYS}
    if numbers["lean_margin"] >= numbers["clear_margin"]:
        raise DataError(path, "verdict.lean_margin", "must be smaller than clear_margin")
    if not float(numbers["recent_support_days"]).is_integer():
        raise DataError(path, "verdict.recent_support_days", "must be a whole number of days")
    python = _table(document, "python", path)
    _closed(python, _PYTHON_KEYS, path, "[python]")
    eol = python.get("end_of_life")
    known = {v.value for v in PythonVersion}
    if not isinstance(eol, list) or not all(isinstance(v, str) and v in known for v in eol):
        raise DataError(
            path, "python.end_of_life", f"must list versions among {', '.join(sorted(known))}"
        )
    factors_raw = _table(document, "factor", path)
    factors: dict[str, Factor] = {}
    for key, raw in factors_raw.items():
        where = f"factor.{key}"
        if not isinstance(raw, dict):
            raise DataError(path, where, "must be a table")
        _closed(raw, _FACTOR_KEYS, path, where)
        factors[key] = Factor(
            key=key,
            label=require_text(raw, "label", path, where),
            uncertainty=_positive(raw, "uncertainty", path, where),
            cap=_positive(raw, "cap", path, where),
        )
    if not factors:
        raise DataError(path, "[factor]", "declare at least one factor")
    return VerdictPolicy(
        clear_margin=numbers["clear_margin"],
        lean_margin=numbers["lean_margin"],
        clear_z=numbers["clear_z"],
        base_uncertainty=numbers["base_uncertainty"],
        soft_uncertainty=numbers["soft_uncertainty"],
        recent_support_days=int(numbers["recent_support_days"]),
        end_of_life=frozenset(str(v) for v in eol),
        end_of_life_source=require_https_url(python, "source", path, "[python]"),
        factors=factors,
    )
