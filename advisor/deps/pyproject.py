"""pyproject.toml: PEP 621, PEP 735 dependency groups, Poetry, PDM, uv and Hatch tables.

Roles: PEP 621 `dependencies` and Poetry's main table are runtime; PEP 621
`optional-dependencies` and Poetry's optional dependencies named in `[tool.poetry.extras]` are
the project's own extras; PEP 735 groups, Poetry groups and `dev-dependencies`, PDM's
`dev-dependencies`, uv's `dev-dependencies` and Hatch environments are development groups.
A table that may hold dependencies but is not read (build requirements, dynamic metadata, uv
constraints) is named in a notice, never dropped silently.
"""

from __future__ import annotations

from typing import Any

from packaging.utils import InvalidName, canonicalize_name

from advisor.deps.collect import Collector, tables_of
from advisor.deps.model import DependencyRole
from advisor.deps.reading import FileFormat, Reading

_RUNTIME = (DependencyRole.RUNTIME, None)
_READ_TOOLS = frozenset({"poetry", "pdm", "uv", "hatch"})
_SUSPECT_KEYS = ("depend", "requires", "requirements")


def _own_name(document: dict[str, Any]) -> str | None:
    tool = document.get("tool")
    for table in (document.get("project"), tool.get("poetry") if isinstance(tool, dict) else None):
        name = table.get("name") if isinstance(table, dict) else None
        if isinstance(name, str):
            try:
                return canonicalize_name(name, validate=True)
            except InvalidName:
                return None
    return None


def _read_pep621(collector: Collector, project: object) -> list[str]:
    if not isinstance(project, dict):
        return []
    read: list[str] = []
    if "dependencies" in project:
        collector.add_list(project["dependencies"], _RUNTIME, "project.dependencies")
        read.append("project.dependencies")
    optional = project.get("optional-dependencies")
    if optional is not None:
        read.append("project.optional-dependencies")
        if not isinstance(optional, dict):
            collector.problem(optional, "must be a table", "project.optional-dependencies")
        for extra, entries in tables_of(optional):
            scope = (DependencyRole.EXTRA, canonicalize_name(extra))
            collector.add_list(entries, scope, f"project.optional-dependencies.{extra}")
    dynamic = project.get("dynamic")
    if isinstance(dynamic, list):
        for key in ("dependencies", "optional-dependencies"):
            if key in dynamic:
                collector.notices.append(
                    f"project.{key} is dynamic (filled in by the build backend, e.g. from "
                    "[tool.setuptools.dynamic]); give the file it is read from."
                )
    return read


def _read_groups(collector: Collector, groups: object) -> list[str]:
    if groups is None:
        return []
    if not isinstance(groups, dict):
        collector.problem(groups, "must be a table", "dependency-groups")
        return []
    for group, entries in groups.items():
        name = canonicalize_name(group)
        scope = (DependencyRole.DEV, name)
        where = f"dependency-groups.{group}"
        if not isinstance(entries, list):
            collector.problem(entries, "must be a list", where)
            continue
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("include-group"), str):
                collector.include(
                    scope, (DependencyRole.DEV, canonicalize_name(entry["include-group"]))
                )
            else:
                collector.add_pep508(entry, scope, where)
    return ["dependency-groups"]


def _read_poetry(collector: Collector, poetry: dict[str, Any]) -> list[str]:
    read: list[str] = []
    extras_of: dict[str, list[str]] = {}
    for extra, members in tables_of(poetry.get("extras")):
        if isinstance(members, list):
            for member in members:
                if isinstance(member, str):
                    extras_of.setdefault(canonicalize_name(member), []).append(
                        canonicalize_name(extra)
                    )
    main = poetry.get("dependencies")
    if main is not None:
        read.append("tool.poetry.dependencies")
        for key, value in tables_of(main):
            if key.lower() == "python":
                continue  # Poetry's interpreter constraint, not a package
            optional = isinstance(value, dict) and value.get("optional") is True
            if not optional:
                collector.add_table_entry(
                    key, value, _RUNTIME, "tool.poetry.dependencies", poetry=True
                )
                continue
            extras = extras_of.get(canonicalize_name(key), [])
            if not extras:
                collector.notices.append(
                    f"tool.poetry.dependencies: {key} is optional but in no "
                    "[tool.poetry.extras] entry, so it is never installed; it was not weighed."
                )
            for extra in extras:
                collector.add_table_entry(
                    key,
                    value,
                    (DependencyRole.EXTRA, extra),
                    "tool.poetry.dependencies",
                    poetry=True,
                )
    if extras_of:  # read above: it says which optional dependencies each extra installs
        read.append("tool.poetry.extras")
    dev = poetry.get("dev-dependencies")
    if dev is not None:
        read.append("tool.poetry.dev-dependencies")
        for key, value in tables_of(dev):
            collector.add_table_entry(
                key, value, (DependencyRole.DEV, "dev"), "tool.poetry.dev-dependencies", poetry=True
            )
    for group, table in tables_of(poetry.get("group")):
        if not isinstance(table, dict) or "dependencies" not in table:
            continue
        where = f"tool.poetry.group.{group}.dependencies"
        read.append(where)
        scope = _RUNTIME if group == "main" else (DependencyRole.DEV, canonicalize_name(group))
        for key, value in tables_of(table["dependencies"]):
            if key.lower() != "python":
                collector.add_table_entry(key, value, scope, where, poetry=True)
    return read


def _read_pdm_uv_hatch(collector: Collector, tool: dict[str, Any]) -> list[str]:
    read: list[str] = []
    pdm = tool.get("pdm")
    if isinstance(pdm, dict) and "dev-dependencies" in pdm:
        read.append("tool.pdm.dev-dependencies")
        for group, entries in tables_of(pdm["dev-dependencies"]):
            scope = (DependencyRole.DEV, canonicalize_name(group))
            collector.add_list(entries, scope, f"tool.pdm.dev-dependencies.{group}")
    uv = tool.get("uv")
    if isinstance(uv, dict):
        if "dev-dependencies" in uv:
            read.append("tool.uv.dev-dependencies")
            collector.add_list(
                uv["dev-dependencies"], (DependencyRole.DEV, "dev"), "tool.uv.dev-dependencies"
            )
        for key in ("constraint-dependencies", "override-dependencies"):
            if key in uv:
                collector.notices.append(
                    f"tool.uv.{key} constrains versions but adds no dependency; not read."
                )
    hatch = tool.get("hatch")
    envs = hatch.get("envs") if isinstance(hatch, dict) else None
    for env, table in tables_of(envs):
        if not isinstance(table, dict):
            continue
        for key in ("dependencies", "extra-dependencies"):
            if key in table:
                where = f"tool.hatch.envs.{env}.{key}"
                read.append(where)
                collector.add_list(table[key], (DependencyRole.DEV, canonicalize_name(env)), where)
    return read


def _name_unread_tables(collector: Collector, document: dict[str, Any]) -> None:
    build = document.get("build-system")
    if isinstance(build, dict) and build.get("requires"):
        collector.notices.append(
            "build-system.requires lists build tools, not run-time dependencies; not weighed."
        )
    for tool, table in tables_of(document.get("tool")):
        if tool in _READ_TOOLS or not isinstance(table, dict):
            continue
        for key, value in table.items():
            nested = value.items() if isinstance(value, dict) else ()
            suspects = [key] if any(s in key for s in _SUSPECT_KEYS) else []
            suspects += [f"{key}.{k}" for k, _ in nested if any(s in k for s in _SUSPECT_KEYS)]
            for suspect in suspects:
                collector.notices.append(
                    f"tool.{tool}.{suspect} may name dependencies but is not a table this "
                    "reader knows; it was not read."
                )


def parse_pyproject(text: str, document: dict[str, Any]) -> Reading:
    """Read an already parsed pyproject.toml (`text` is only used for line numbers)."""
    collector = Collector(text=text, format=FileFormat.PYPROJECT)
    collector.project_name = _own_name(document)
    read = _read_pep621(collector, document.get("project"))
    read += _read_groups(collector, document.get("dependency-groups"))
    tool = document.get("tool")
    if isinstance(tool, dict):
        poetry = tool.get("poetry")
        if isinstance(poetry, dict):
            read += _read_poetry(collector, poetry)
        read += _read_pdm_uv_hatch(collector, tool)
    _name_unread_tables(collector, document)
    if read:
        collector.notices.insert(0, f"Tables read: {', '.join(read)}.")
    else:
        collector.notices.insert(0, "No dependency table was found in this pyproject.toml.")
    return collector.reading()
