"""Small catalog and rule files for tests, written as TOML text to a temporary folder."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

from advisor.engine import DATA_DIR

OMIT = object()
"""An override value that removes the key from an entry (to test a missing field)."""

CATEGORIES = {
    "database": "Database drivers",
    "http-client": "HTTP clients",
    "runtime": "Runtimes",
    "testing": "Testing plugins",
}
"""A small category vocabulary for test catalogs."""


def toml_value(value: object) -> str:
    """One value in TOML syntax (strings, numbers, booleans, dates, lists, inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)  # JSON string escapes are valid TOML basic-string escapes
    if isinstance(value, int | float | dt.date):
        return value.isoformat() if isinstance(value, dt.date) else repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return (
            "{ " + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
        )
    raise TypeError(f"no TOML form for {value!r}")


def _with(base: dict[str, object], overrides: Mapping[str, object]) -> dict[str, object]:
    entry = {**base, **overrides}
    return {k: v for k, v in entry.items() if v is not OMIT}


def library(name: str = "examplelib", /, **overrides: object) -> dict[str, object]:
    """A valid [[library]] entry, with fields overridden (OMIT removes one)."""
    base: dict[str, object] = {
        "name": name,
        "category": "database",
        "asyncio": "native",
        "trio": "bridge",
        "note": "A test library.",
        "evidence": f"https://example.org/{name}",
        "checked_version": "1.0",
        "checked_on": dt.date(2026, 1, 2),
        "confidence": "high",
        "role": "library",
        "maturity": "stable",
    }
    return _with(base, overrides)


def rule(rule_id: str = "example-rule", **overrides: object) -> dict[str, object]:
    """A valid [[rule]] entry, with fields overridden (OMIT removes one)."""
    base: dict[str, object] = {
        "id": rule_id,
        "title": "An example rule",
        "decision": "loop",
        "factor": "team",
        "when": "scale == 'large'",
        "effect": {"asyncio": 1.0},
        "rationale": "Because a test says so.",
        "source": "https://example.org/why",
    }
    return _with(base, overrides)


def blocker(rule_id: str = "example-blocker", **overrides: object) -> dict[str, object]:
    """A valid [[blocker]] entry, with fields overridden (OMIT removes one)."""
    base: dict[str, object] = {
        "id": rule_id,
        "title": "An example blocker",
        "dependency": "trio == 'bridge'",
        "blocks": "trio",
        "rationale": "Because a test says so.",
        "source": "https://example.org/why",
    }
    return _with(base, overrides)


def tables(name: str, entries: Iterable[Mapping[str, object]]) -> str:
    """Entries as an array of tables, `[[name]]` each."""
    out: list[str] = []
    for entry in entries:
        out.append(f"[[{name}]]")
        out += [f"{json.dumps(k)} = {toml_value(v)}" for k, v in entry.items()]
        out.append("")
    return "\n".join(out)


def catalog_text(
    libraries: Iterable[Mapping[str, object]], categories: Mapping[str, str] = CATEGORIES
) -> str:
    """A libraries.toml with a [categories] table and the given entries."""
    head = ["[categories]", *(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in categories.items())]
    return "\n".join(head) + "\n\n" + tables("library", libraries)


def real_categories() -> dict[str, str]:
    """The category vocabulary of the project's own catalog (rules may name any of them)."""
    with (DATA_DIR / "libraries.toml").open("rb") as handle:
        categories: dict[str, str] = tomllib.load(handle)["categories"]
    return categories


def data_dir_with(
    root: Path,
    *,
    libraries: Iterable[Mapping[str, object]] | None = None,
    extra_rules: str | None = None,
) -> Path:
    """A copy of the real data folder, optionally with another catalog and an extra rule file."""
    data = root / "data"
    (data / "rules").mkdir(parents=True)
    for path in (DATA_DIR / "rules").glob("*.toml"):
        (data / "rules" / path.name).write_text(path.read_text("utf-8"), "utf-8")
    (data / "scoring.toml").write_text((DATA_DIR / "scoring.toml").read_text("utf-8"), "utf-8")
    if libraries is None:
        catalog = (DATA_DIR / "libraries.toml").read_text("utf-8")
    else:
        catalog = catalog_text(libraries, real_categories())
    (data / "libraries.toml").write_text(catalog, "utf-8")
    if extra_rules is not None:
        (data / "rules" / "zz_test_extra.toml").write_text(extra_rules, "utf-8")
    return data
