"""Pipenv's Pipfile: `[packages]` are runtime, `[dev-packages]` and custom categories are groups.

Values are PEP 440 specifiers (`"==1.2"`, `"*"`) or tables (`{version = ..., extras = [...]}`,
`{git = ...}`, `{path = ...}`); see https://pipenv.pypa.io/en/latest/pipfile.html.
"""

from __future__ import annotations

from typing import Any

from packaging.utils import canonicalize_name

from advisor.deps.collect import Collector, tables_of
from advisor.deps.model import DependencyRole
from advisor.deps.reading import FileFormat, Reading

_NOT_PACKAGES = frozenset({"source", "requires", "scripts", "pipenv"})


def parse_pipfile(text: str, document: dict[str, Any]) -> Reading:
    """Read an already parsed Pipfile (`text` is only used for line numbers)."""
    collector = Collector(text=text, format=FileFormat.PIPFILE)
    for category, table in document.items():
        if category in _NOT_PACKAGES or not isinstance(table, dict):
            continue
        if category == "packages":
            scope: tuple[DependencyRole, str | None] = (DependencyRole.RUNTIME, None)
        elif category == "dev-packages":
            scope = (DependencyRole.DEV, "dev")
        else:  # Pipenv's custom package categories
            scope = (DependencyRole.DEV, canonicalize_name(category))
        for key, value in tables_of(table):
            collector.add_table_entry(key, value, scope, category, poetry=False)
    return collector.reading()
