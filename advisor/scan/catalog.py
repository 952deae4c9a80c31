"""The porting catalog: which concurrency APIs the scan looks for, and how each one moves.

Loaded from `data/porting.toml` and validated when loaded: unknown keys, unknown families,
targets or efforts, duplicate API names, mappings that name an API no kind declares, and sources
that are not http(s) URLs with a `#section` all raise `DataError` naming the file and the entry.
Code holds the mechanism (name lookup); the file holds every fact and its source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse

from advisor.datafiles import read_toml, require_text
from advisor.errors import DataError
from advisor.rules.model import Runtime

E = TypeVar("E", bound=StrEnum)

PORTING_FILE = Path(__file__).resolve().parents[2] / "data" / "porting.toml"


class Family(StrEnum):
    """The package family an API belongs to."""

    ASYNCIO = "asyncio"
    TRIO = "trio"
    ANYIO = "anyio"
    SNIFFIO = "sniffio"
    """Detects the running async library; used by code that supports several."""
    THREADS = "threads"
    """Thread pools: run under any runtime."""
    PROCESSES = "processes"
    """Process pools: run under any runtime."""


RUNTIME_FAMILIES: tuple[Family, ...] = (Family.ASYNCIO, Family.TRIO, Family.ANYIO)
"""Families tied to one runtime's API: their uses are what a port has to change."""


class Effort(StrEnum):
    """How much a use changes when the code moves to another runtime."""

    NONE = "none"
    """Runs unchanged (AnyIO code on either backend)."""
    MECHANICAL = "mechanical"
    """A local rewrite: another name, another argument shape."""
    REDESIGN = "redesign"
    """The structure changes: callbacks become tasks, a loop object disappears, and so on."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Kind:
    """A group of APIs reported together (for example "Queues")."""

    id: str
    """Unique id, `<family>.<what>`."""
    family: Family
    """The package family."""
    label: str
    """Plain-language name of the group."""
    apis: tuple[str, ...]
    """Qualified names (`asyncio.gather`) or `pkg.sub.*` patterns."""
    methods: tuple[str, ...] = ()
    """Method names found on any object in a module that imports the family's package."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PortMapping:
    """How some APIs change when the code moves to `to`."""

    apis: tuple[str, ...]
    """The APIs (or `pkg.*` patterns) this mapping covers."""
    to: Runtime
    """The runtime the code moves to."""
    effort: Effort
    """Mechanical, redesign, or none."""
    how: str
    """What to write instead."""
    source: str
    """URL of the decisive section of the target's documentation."""
    entry: str
    """Where it is in the data file (`mapping 3`), for messages."""


@dataclass(frozen=True, slots=True)
class Catalog:
    """The loaded catalog, with fast lookups from a qualified name to its kind."""

    kinds: tuple[Kind, ...]
    mappings: tuple[PortMapping, ...]
    path: Path
    _exact: dict[str, Kind] = field(default_factory=dict, repr=False)
    _prefixes: dict[str, Kind] = field(default_factory=dict, repr=False)
    _methods: dict[str, Kind] = field(default_factory=dict, repr=False)
    _lookups: dict[str, tuple[str, Kind] | None] = field(default_factory=dict, repr=False)
    _map_exact: dict[tuple[str, Runtime], PortMapping] = field(default_factory=dict, repr=False)
    _map_prefixes: dict[tuple[str, Runtime], PortMapping] = field(default_factory=dict, repr=False)
    roots: frozenset[str] = field(default=frozenset(), init=False)
    """Top-level package names the catalog knows (`asyncio`, `trio`, `concurrent`, ...)."""
    method_names: frozenset[str] = field(default=frozenset(), init=False)
    """Every loop method name the catalog recognises (`run_in_executor`, ...)."""

    def __post_init__(self) -> None:
        for kind in self.kinds:
            for api in kind.apis:
                if api.endswith(".*"):
                    self._prefixes[api[:-2]] = kind
                else:
                    self._exact[api] = kind
            for method in kind.methods:
                self._methods[method] = kind
        for mapping in self.mappings:
            for api in mapping.apis:
                table = self._map_prefixes if api.endswith(".*") else self._map_exact
                table[(api.removesuffix(".*"), mapping.to)] = mapping
        roots = frozenset(name.split(".", 1)[0] for name in (*self._exact, *self._prefixes))
        object.__setattr__(self, "roots", roots)
        object.__setattr__(self, "method_names", frozenset(self._methods))

    def kind(self, kind_id: str) -> Kind:
        """The kind with this id (KeyError if none)."""
        for kind in self.kinds:
            if kind.id == kind_id:
                return kind
        raise KeyError(kind_id)

    def method_kind(self, name: str) -> Kind | None:
        """The kind of a loop method name (`run_in_executor`), or None."""
        return self._methods.get(name)

    def lookup(self, name: str) -> tuple[str, Kind] | None:
        """The public API name and kind that a qualified name refers to, or None.

        Exact names win, then a name reached through private submodules
        (`trio._core._run.open_nursery` is `trio.open_nursery`; `asyncio.tasks.gather` is
        `asyncio.gather`), then the longest `pkg.sub.*` pattern. A name with a private part
        that reaches no public API is the package's own internals, not a use: None.
        """
        try:
            return self._lookups[name]
        except KeyError:
            pass
        found = self._lookup(name)
        self._lookups[name] = found
        return found

    def _lookup(self, name: str) -> tuple[str, Kind] | None:
        kind = self._exact.get(name)
        if kind is not None:
            return name, kind
        parts = name.split(".")
        if len(parts) > 2:
            public = f"{parts[0]}.{parts[-1]}"
            middle = parts[1:-1]
            if public in self._exact and (
                parts[0] == "asyncio" or all(p.startswith("_") for p in middle)
            ):
                return public, self._exact[public]
        if any(p.startswith("_") for p in parts[1:]):
            return None
        for end in range(len(parts) - 1, 0, -1):
            kind = self._prefixes.get(".".join(parts[:end]))
            if kind is not None:
                return name, kind
        return None

    def mapping(self, api: str, to: Runtime) -> PortMapping | None:
        """The mapping for moving `api` to `to`: exact first, then the longest pattern."""
        found = self._map_exact.get((api, to))
        if found is not None:
            return found
        parts = api.split(".")
        for end in range(len(parts) - 1, 0, -1):
            found = self._map_prefixes.get((".".join(parts[:end]), to))
            if found is not None:
                return found
        return None


_KIND_KEYS = frozenset({"id", "family", "label", "apis", "methods"})
_MAPPING_KEYS = frozenset({"apis", "to", "effort", "how", "source"})


def _strings(value: object, key: str, path: Path, where: str, *, required: bool) -> tuple[str, ...]:
    if value is None and not required:
        return ()
    if (
        not isinstance(value, list)
        or (required and not value)
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise DataError(path, where, f"'{key}' must be a non-empty list of non-empty strings")
    return tuple(v.strip() for v in value)


def _choice(enum: type[E], value: object, key: str, path: Path, where: str) -> E:
    try:
        return enum(str(value))
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise DataError(path, where, f"'{key}' is {value!r}; allowed: {allowed}") from None


def _check_keys(
    entry: Mapping[str, object], allowed: frozenset[str], path: Path, where: str
) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise DataError(
            path,
            where,
            f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}",
        )


def _load_kind(entry: object, number: int, path: Path, seen: dict[str, str]) -> Kind:
    where = f"kind {number}"
    if not isinstance(entry, dict):
        raise DataError(path, where, "must be a table")
    kind_id = require_text(entry, "id", path, where)
    where = f"kind {kind_id!r}"
    _check_keys(entry, _KIND_KEYS, path, where)
    family = _choice(Family, entry.get("family"), "family", path, where)
    apis = _strings(entry.get("apis"), "apis", path, where, required="methods" not in entry)
    methods = _strings(entry.get("methods"), "methods", path, where, required=False)
    for api in (*apis, *(f"{family}.loop.{m}" for m in methods)):
        if api in seen:
            raise DataError(path, where, f"{api!r} is already in kind {seen[api]!r}")
        seen[api] = kind_id
    for api in apis:
        if api.count("*") > (1 if api.endswith(".*") else 0) or "." not in api:
            raise DataError(path, where, f"{api!r} is not a dotted name or a 'pkg.sub.*' pattern")
    return Kind(
        id=kind_id,
        family=family,
        label=require_text(entry, "label", path, where),
        apis=apis,
        methods=methods,
    )


def _declared(api: str, known: Mapping[str, str]) -> bool:
    """Whether a kind names `api` exactly or through one of its `pkg.sub.*` patterns."""
    if api in known:
        return True
    parts = api.removesuffix(".*").split(".")
    return any(".".join(parts[:end]) + ".*" in known for end in range(len(parts) - 1, 0, -1))


def _load_mapping(entry: object, number: int, path: Path, known: Mapping[str, str]) -> PortMapping:
    where = f"mapping {number}"
    if not isinstance(entry, dict):
        raise DataError(path, where, "must be a table")
    _check_keys(entry, _MAPPING_KEYS, path, where)
    apis = _strings(entry.get("apis"), "apis", path, where, required=True)
    where = f"mapping {number} ({apis[0]} ...)"
    for api in apis:
        if not _declared(api, known):
            raise DataError(path, where, f"{api!r} is not an API of any kind")
    source = require_text(entry, "source", path, where)
    url = urlparse(source)
    if url.scheme not in ("http", "https") or not url.netloc or not url.fragment:
        raise DataError(
            path, where, f"'source' must be an http(s) URL to a #section, not {source!r}"
        )
    return PortMapping(
        apis=apis,
        to=_choice(Runtime, entry.get("to"), "to", path, where),
        effort=_choice(Effort, entry.get("effort"), "effort", path, where),
        how=require_text(entry, "how", path, where),
        source=source,
        entry=where,
    )


def load_catalog(path: Path = PORTING_FILE) -> Catalog:
    """Read and validate `data/porting.toml` (or `path`); raises `DataError` on any problem."""
    document = read_toml(path)
    _check_keys(document, frozenset({"kind", "mapping"}), path, "top level")
    raw_kinds = document.get("kind")
    raw_mappings = document.get("mapping", [])
    if not isinstance(raw_kinds, list) or not raw_kinds:
        raise DataError(path, None, "needs at least one [[kind]]")
    if not isinstance(raw_mappings, list):
        raise DataError(path, None, "'mapping' must be an array of tables ([[mapping]])")
    seen: dict[str, str] = {}
    kinds: list[Kind] = []
    for number, entry in enumerate(raw_kinds, 1):
        kind = _load_kind(entry, number, path, seen)
        if any(k.id == kind.id for k in kinds):
            raise DataError(path, f"kind {kind.id!r}", "duplicate id")
        kinds.append(kind)
    mappings: list[PortMapping] = []
    covered: dict[tuple[str, Runtime], str] = {}
    for number, entry in enumerate(raw_mappings, 1):
        mapping = _load_mapping(entry, number, path, seen)
        for api in mapping.apis:
            if (api, mapping.to) in covered:
                raise DataError(
                    path,
                    mapping.entry,
                    f"{api!r} to {mapping.to} is already mapped by {covered[(api, mapping.to)]}",
                )
            covered[(api, mapping.to)] = mapping.entry
        mappings.append(mapping)
    return Catalog(kinds=tuple(kinds), mappings=tuple(mappings), path=path)


def runtime_of(family: Family) -> Runtime | None:
    """The runtime a family's API belongs to (None for sniffio, threads and processes)."""
    return Runtime(family.value) if family in RUNTIME_FAMILIES else None


__all__: Sequence[str] = (
    "PORTING_FILE",
    "RUNTIME_FAMILIES",
    "Catalog",
    "Effort",
    "Family",
    "Kind",
    "PortMapping",
    "load_catalog",
    "runtime_of",
)
