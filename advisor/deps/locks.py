"""Lock files: uv.lock, poetry.lock and pdm.lock (TOML) and Pipfile.lock (JSON).

A lock file gives every package of the tree with its exact version and what it pulls in. Which
packages are *direct* differs by format: uv.lock records the project itself (its `source` is
`editable` or `virtual`), with its dependencies, extras and dev groups; poetry.lock and pdm.lock
record only each package's groups, so the direct dependencies are taken to be those no other
locked package pulls in (said in a notice: pyproject.toml has the declared list); Pipfile.lock
records no tree, so every locked package is read as direct.

Only a dependency's name is needed for the tree, so lock entries are not parsed as full PEP 508
requirements (that would cost more than parsing the TOML).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from advisor.deps.collect import describe, tables_of
from advisor.deps.constraints import ConstraintError, pep440_specifier
from advisor.deps.model import DependencyRole
from advisor.deps.reading import (
    MAX_DECLARED,
    MAX_LOCKED,
    Declared,
    FileFormat,
    LineProblem,
    LockedPackage,
    Reading,
    first_line,
    shorten,
)

_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EXTRAS = re.compile(r"\[([^\]]*)\]")


def _name(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    match = _NAME.match(text)
    return canonicalize_name(match.group(1).rstrip("._-")) if match else None


@dataclass(slots=True)
class _Tree:
    """A lock file's packages while they are being read."""

    format: FileFormat
    versions: dict[str, Version | None] = field(default_factory=dict)
    base: dict[str, list[str]] = field(default_factory=dict)
    optional: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    wanted_extras: dict[str, set[str]] = field(default_factory=dict)
    optional_edges: dict[str, list[str]] = field(default_factory=dict)
    """poetry.lock: optional dependencies, edges when the lock holds them (the project's own
    extra requests are not recorded, so a locked optional dependency was asked for)."""
    problems: list[LineProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    full: bool = False

    def package(self, name: str, version: object) -> bool:
        """Register a package; False once the limit is reached (and a notice given)."""
        if name in self.versions:
            return True
        if len(self.versions) >= MAX_LOCKED:
            if not self.full:
                self.full = True
                self.notices.append(
                    f"Only the first {MAX_LOCKED:,} locked packages were read; the rest of the "
                    "tree was left out."
                )
            return False
        parsed: Version | None = None
        if isinstance(version, str):
            try:
                parsed = Version(version.removeprefix("=="))
            except ValueError as error:
                self.problems.append(
                    LineProblem(
                        line=0,
                        text=f"{name} {shorten(version, 60)}",
                        problem=f"not a version: {first_line(error)}",
                    )
                )
        self.versions[name] = parsed
        self.base.setdefault(name, [])
        return True

    def want(self, name: str, extras: Iterable[object]) -> None:
        """Some package asks for `name` with these extras."""
        for extra in extras:
            if isinstance(extra, str):
                self.wanted_extras.setdefault(name, set()).add(canonicalize_name(extra))

    def locked(self) -> dict[str, LockedPackage]:
        """Every package with what it pulls in (extras that anyone asks for included)."""
        result: dict[str, LockedPackage] = {}
        for name, version in self.versions.items():
            requires = set(self.base.get(name, ()))
            for extra in self.wanted_extras.get(name, ()):
                requires.update(self.optional.get(name, {}).get(extra, ()))
            requires.update(c for c in self.optional_edges.get(name, ()) if c in self.versions)
            requires.discard(name)
            result[name] = LockedPackage(
                name=name, version=version, requires=tuple(sorted(requires))
            )
        return result


def _roots(locked: Mapping[str, LockedPackage]) -> list[str]:
    pulled = {child for package in locked.values() for child in package.requires}
    return [name for name in locked if name not in pulled]


def _cut(declared: list[Declared], notices: list[str]) -> tuple[Declared, ...]:
    if len(declared) > MAX_DECLARED:
        notices.append(
            f"The lock file has {len(declared):,} direct dependencies; only the first "
            f"{MAX_DECLARED} were weighed."
        )
        declared = declared[:MAX_DECLARED]
    return tuple(declared)


def _uv_entries(value: object) -> list[dict[str, Any]]:
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def parse_uv_lock(document: dict[str, Any]) -> Reading:
    """Read a parsed uv.lock."""
    tree = _Tree(format=FileFormat.UV_LOCK)
    members: list[dict[str, Any]] = []
    for name, entry in _named_packages(document, tree):
        source = entry.get("source")
        if isinstance(source, dict) and ("editable" in source or "virtual" in source):
            members.append(entry)
        for dep in _uv_entries(entry.get("dependencies")):
            child = _name(dep.get("name"))
            if child is not None:
                tree.base[name].append(child)
                tree.want(child, dep.get("extra") or ())
        for extra, deps in tables_of(entry.get("optional-dependencies")):
            children = [c for c in (_name(d.get("name")) for d in _uv_entries(deps)) if c]
            tree.optional.setdefault(name, {})[canonicalize_name(extra)] = children
            for dep in _uv_entries(deps):
                child = _name(dep.get("name"))
                if child is not None:
                    tree.want(child, dep.get("extra") or ())
    locked = tree.locked()
    declared: list[Declared] = []
    project_name: str | None = None
    if members:
        root = next(
            (m for m in members if (m.get("source") or {}).get("editable") == "."),
            next((m for m in members if (m.get("source") or {}).get("virtual") == "."), None),
        )
        root = root or members[0]
        project_name = _name(root.get("name"))
        declared = _uv_declared(root, tree)
    else:
        tree.notices.append(
            "This uv.lock records no project of its own; the packages no other locked package "
            "pulls in are taken as the direct dependencies."
        )
        declared = [Declared(name=name, role=DependencyRole.RUNTIME) for name in _roots(locked)]
    return Reading(
        format=FileFormat.UV_LOCK,
        declared=_cut(declared, tree.notices),
        locked=locked,
        project_name=project_name,
        problems=tuple(tree.problems),
        notices=tuple(tree.notices),
    )


def _uv_declared(root: dict[str, Any], tree: _Tree) -> list[Declared]:
    metadata = root.get("metadata") if isinstance(root.get("metadata"), dict) else {}
    ranges: dict[str, SpecifierSet] = {}
    for spec in _uv_entries(metadata.get("requires-dist")) if metadata else []:
        name = _name(spec.get("name"))
        text = spec.get("specifier")
        if name is not None and isinstance(text, str):
            try:
                ranges[name] = pep440_specifier(text) or SpecifierSet()
            except (ConstraintError, InvalidSpecifier) as error:
                tree.problems.append(
                    LineProblem(line=0, text=f"{name} {shorten(text, 60)}", problem=str(error))
                )
    own = _name(root.get("name"))
    declared: list[Declared] = []

    def add(entries: object, role: DependencyRole, group: str | None) -> None:
        for dep in _uv_entries(entries):
            name = _name(dep.get("name"))
            if name is None or name == own:
                continue
            extras = dep.get("extra") or ()
            declared.append(
                Declared(
                    name=name,
                    role=role,
                    group=group,
                    specifier=ranges.get(name) or None,
                    extras=tuple(
                        sorted(canonicalize_name(e) for e in extras if isinstance(e, str))
                    ),
                )
            )

    add(root.get("dependencies"), DependencyRole.RUNTIME, None)
    for extra, deps in tables_of(root.get("optional-dependencies")):
        add(deps, DependencyRole.EXTRA, canonicalize_name(extra))
    for group, deps in tables_of(root.get("dev-dependencies")):
        add(deps, DependencyRole.DEV, canonicalize_name(group))
    return declared


def _group_role(groups: object, category: object) -> tuple[DependencyRole, str | None]:
    if isinstance(groups, list) and groups:
        names = [g for g in groups if isinstance(g, str)]
        if "main" in names or "default" in names:
            return DependencyRole.RUNTIME, None
        if names:
            return DependencyRole.DEV, canonicalize_name(names[0])
    if category == "dev":
        return DependencyRole.DEV, "dev"
    return DependencyRole.RUNTIME, None


def _named_packages(document: dict[str, Any], tree: _Tree) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each `[[package]]` with its normalised name, registered in `tree`; a package without a
    name is a problem (named), and reading stops where the tree says its limit is reached."""
    packages = document.get("package")
    for entry in packages if isinstance(packages, list) else []:
        name = _name(entry.get("name")) if isinstance(entry, dict) else None
        if name is None:
            tree.problems.append(
                LineProblem(line=0, text=describe(entry), problem="a [[package]] without a name")
            )
            continue
        if not tree.package(name, entry.get("version")):
            return
        yield name, entry


def parse_poetry_lock(document: dict[str, Any]) -> Reading:
    """Read a parsed poetry.lock."""
    tree = _Tree(format=FileFormat.POETRY_LOCK)
    roles: dict[str, tuple[DependencyRole, str | None]] = {}
    for name, entry in _named_packages(document, tree):
        roles.setdefault(name, _group_role(entry.get("groups"), entry.get("category")))
        for key, value in tables_of(entry.get("dependencies")):
            child = canonicalize_name(key)
            tables = value if isinstance(value, list) else [value]
            optional = all(isinstance(t, dict) and t.get("optional") is True for t in tables)
            if not optional:
                tree.base[name].append(child)
            else:
                tree.optional_edges.setdefault(name, []).append(child)
            for table in tables:
                if isinstance(table, dict):
                    tree.want(child, table.get("extras") or ())
        for extra, members in tables_of(entry.get("extras")):
            listed = members if isinstance(members, list) else []
            children = [c for c in (_name(m) for m in listed) if c]
            tree.optional.setdefault(name, {})[canonicalize_name(extra)] = children
    return _rooted_reading(tree, roles, FileFormat.POETRY_LOCK, "poetry.lock")


def _rooted_reading(
    tree: _Tree,
    roles: dict[str, tuple[DependencyRole, str | None]],
    file_format: FileFormat,
    label: str,
) -> Reading:
    """A lock without a list of direct dependencies: its roots are taken as direct (said)."""
    locked = tree.locked()
    tree.notices.append(
        f"{label} does not record which packages are direct: those no other locked package "
        "pulls in are taken as direct (read pyproject.toml for the declared list and ranges)."
    )
    declared = [
        Declared(name=name, role=roles[name][0], group=roles[name][1]) for name in _roots(locked)
    ]
    return Reading(
        format=file_format,
        declared=_cut(declared, tree.notices),
        locked=locked,
        problems=tuple(tree.problems),
        notices=tuple(tree.notices),
    )


def parse_pdm_lock(document: dict[str, Any]) -> Reading:
    """Read a parsed pdm.lock."""
    tree = _Tree(format=FileFormat.PDM_LOCK)
    roles: dict[str, tuple[DependencyRole, str | None]] = {}
    for name, entry in _named_packages(document, tree):
        roles.setdefault(name, _group_role(entry.get("groups"), None))
        dependencies = entry.get("dependencies")
        for text in dependencies if isinstance(dependencies, list) else []:
            child = _name(text)
            if child is None or not isinstance(text, str):
                continue
            tree.base[name].append(child)
            extras = _EXTRAS.search(text.split(";", 1)[0])
            if extras:
                tree.want(child, extras.group(1).split(","))
    return _rooted_reading(tree, roles, FileFormat.PDM_LOCK, "pdm.lock")


def parse_pipfile_lock(document: dict[str, Any]) -> Reading:
    """Read a parsed Pipfile.lock (JSON)."""
    tree = _Tree(format=FileFormat.PIPFILE_LOCK)
    declared: list[Declared] = []
    for section, role, group in (
        ("default", DependencyRole.RUNTIME, None),
        ("develop", DependencyRole.DEV, "dev"),
    ):
        for key, value in tables_of(document.get(section)):
            name = _name(key)
            if name is None:
                tree.problems.append(
                    LineProblem(line=0, text=shorten(key), problem=f"{section}: not a name")
                )
                continue
            version = value.get("version") if isinstance(value, dict) else None
            if not tree.package(name, version):
                break
            declared.append(Declared(name=name, role=role, group=group))
    tree.notices.append(
        "Pipfile.lock does not record which package pulls in which: every locked package is "
        "read as a direct dependency."
    )
    return Reading(
        format=FileFormat.PIPFILE_LOCK,
        declared=_cut(declared, tree.notices),
        locked=tree.locked(),
        problems=tuple(tree.problems),
        notices=tuple(tree.notices),
    )
