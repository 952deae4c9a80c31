"""What a distribution shows without running it: its metadata and its modules' async imports.

A wheel (a zip file) or an installed distribution is read as data: `METADATA` for the name,
version, `Requires-Dist` and extras; every `.py` module is parsed with `ast` (never imported)
for imports of the async runtimes and for the asyncio names it uses. Work is bounded: modules
larger than `MAX_MODULE_BYTES` and anything past `MAX_TOTAL_BYTES` per distribution are skipped
and counted.
"""

from __future__ import annotations

import ast
import email.parser
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import Distribution
from pathlib import Path, PurePosixPath

from packaging.markers import InvalidMarker, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement

from advisor.answers import normalize_name

ASYNC_MODULES = ("asyncio", "anyio", "trio", "sniffio", "trio_asyncio", "uvloop", "curio")
"""Top-level modules whose import says which runtime a module's code runs on."""

MAX_MODULE_BYTES = 4_000_000
"""Modules larger than this are skipped (generated tables, vendored blobs)."""

MAX_TOTAL_BYTES = 80_000_000
"""At most this much Python source is parsed per distribution."""

_TEST_PARTS = frozenset({"test", "tests", "testing", "_testing", "conftest.py", "examples"})


class InspectionError(Exception):
    """A wheel or distribution cannot be read (not a zip, no METADATA, bad metadata)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportSite:
    """One import of an async runtime module in a distribution's source."""

    module: str
    """The top-level module imported, one of `ASYNC_MODULES`."""
    path: str
    """The file's path inside the distribution (POSIX form)."""
    line: int
    """1-based line of the import statement."""
    in_tests: bool
    """Whether the file is test, example or testing-helper code rather than the library."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DistributionView:
    """A distribution as read from its files."""

    name: str
    """The project name from METADATA."""
    version: str
    """The version from METADATA."""
    dependencies: frozenset[str]
    """Normalised names of unconditional `Requires-Dist` entries (no `extra` marker)."""
    extras: dict[str, tuple[str, ...]]
    """Extra name to the normalised names that extra adds."""
    imports: tuple[ImportSite, ...]
    """Every import of an async runtime module, in file order."""
    asyncio_names: dict[str, frozenset[str]]
    """Per library (non-test) file: the asyncio names it uses (`asyncio.X`, from-imports)."""
    skipped: tuple[str, ...] = field(default=())
    """Files not parsed: too large, not decodable, or not valid Python."""
    source: str = ""
    """Where it was read from (a wheel path or 'installed')."""

    def imports_of(self, module: str, *, tests: bool = False) -> tuple[ImportSite, ...]:
        """The import sites of one module, library code only unless `tests`."""
        return tuple(s for s in self.imports if s.module == module and (tests or not s.in_tests))


def _in_tests(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return any(p in _TEST_PARTS or p.startswith("test_") for p in parts)


def scan_source(text: str, path: str) -> tuple[list[ImportSite], frozenset[str]]:
    """The async-runtime imports in one module's source and the asyncio names it uses.

    Raises `SyntaxError` or `ValueError` (from `ast.parse`) for source that is not Python.
    """
    tree = ast.parse(text, filename=path)
    sites: list[ImportSite] = []
    names: set[str] = set()
    aliases: set[str] = set()
    tests = _in_tests(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in ASYNC_MODULES:
                    sites.append(
                        ImportSite(module=top, path=path, line=node.lineno, in_tests=tests)
                    )
                if alias.name == "asyncio":
                    aliases.add(alias.asname or "asyncio")
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            top = node.module.split(".")[0]
            if top in ASYNC_MODULES:
                sites.append(ImportSite(module=top, path=path, line=node.lineno, in_tests=tests))
            if node.module == "asyncio":
                names.update(a.name for a in node.names)
    if aliases:
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
            ):
                names.add(node.attr)
    sites.sort(key=lambda s: s.line)
    return sites, frozenset(names)


def parse_metadata(text: str) -> tuple[str, str, frozenset[str], dict[str, tuple[str, ...]]]:
    """(name, version, unconditional dependencies, extras) from a METADATA/PKG-INFO text.

    Raises `InspectionError` when Name or Version is missing. Unparseable `Requires-Dist`
    lines are skipped.
    """
    message = email.parser.HeaderParser().parsestr(text)
    name, version = message.get("Name"), message.get("Version")
    if not name or not version:
        raise InspectionError("METADATA has no Name or Version")
    declared = [normalize_name(e) for e in message.get_all("Provides-Extra") or []]
    base: set[str] = set()
    extras: dict[str, list[str]] = {e: [] for e in declared}
    for line in message.get_all("Requires-Dist") or []:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        dep = normalize_name(requirement.name)
        marker = requirement.marker
        if marker is None:
            base.add(dep)
            continue
        hit = False
        for extra in extras:
            try:
                in_extra = marker.evaluate({"extra": extra})
                outside = marker.evaluate({"extra": ""})
            except (InvalidMarker, UndefinedEnvironmentName):
                continue
            if in_extra and not outside:
                hit = True
                if dep not in extras[extra]:
                    extras[extra].append(dep)
        if not hit and "extra" not in str(marker):
            base.add(dep)
    return name, version, frozenset(base), {k: tuple(v) for k, v in extras.items()}


def _build(
    metadata: str,
    modules: Iterator[tuple[str, int, bytes | None]],
    source: str,
) -> DistributionView:
    name, version, deps, extras = parse_metadata(metadata)
    imports: list[ImportSite] = []
    asyncio_names: dict[str, frozenset[str]] = {}
    skipped: list[str] = []
    for path, _size, data in modules:
        if data is None:
            skipped.append(path)
            continue
        try:
            sites, names = scan_source(data.decode("utf-8"), path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            skipped.append(path)
            continue
        imports.extend(sites)
        if names and not _in_tests(path):
            asyncio_names[path] = names
    return DistributionView(
        name=name,
        version=version,
        dependencies=deps,
        extras=extras,
        imports=tuple(imports),
        asyncio_names=asyncio_names,
        skipped=tuple(skipped),
        source=source,
    )


def read_wheel(path: Path) -> DistributionView:
    """Read a wheel file; raises `InspectionError` when it is not a readable wheel."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise InspectionError(f"{path}: not a readable wheel: {error}") from None
    with archive:
        infos = archive.infolist()
        meta = [i for i in infos if i.filename.endswith(".dist-info/METADATA")]
        if len(meta) != 1:
            raise InspectionError(f"{path}: a wheel needs exactly one .dist-info/METADATA")
        metadata = archive.read(meta[0]).decode("utf-8", errors="replace")

        def modules() -> Iterator[tuple[str, int, bytes | None]]:
            budget = MAX_TOTAL_BYTES
            for info in infos:
                if not info.filename.endswith(".py"):
                    continue
                if info.file_size > MAX_MODULE_BYTES or info.file_size > budget:
                    yield info.filename, info.file_size, None
                    continue
                budget -= info.file_size
                yield info.filename, info.file_size, archive.read(info)

        try:
            return _build(metadata, modules(), str(path))
        except (zipfile.BadZipFile, OSError) as error:
            raise InspectionError(f"{path}: not a readable wheel: {error}") from None


def read_installed(dist: Distribution) -> DistributionView:
    """Read an installed distribution's metadata and its `.py` files listed in RECORD."""
    metadata = dist.read_text("METADATA") or dist.read_text("PKG-INFO")
    if not metadata:
        raise InspectionError("installed distribution has no METADATA")

    def modules() -> Iterator[tuple[str, int, bytes | None]]:
        budget = MAX_TOTAL_BYTES
        for file in dist.files or ():
            if file.suffix != ".py" or ".." in file.parts:
                continue
            located = Path(str(dist.locate_file(file)))
            try:
                size = located.stat().st_size
                if size > MAX_MODULE_BYTES or size > budget:
                    yield file.as_posix(), size, None
                    continue
                budget -= size
                yield file.as_posix(), size, located.read_bytes()
            except OSError:
                yield file.as_posix(), 0, None

    return _build(metadata, modules(), "installed")
