"""`catalog verify`: compare what a distribution's files show with what the catalog states.

Read without importing or running anything (see `inspection`). A finding is a disagreement a
maintainer must look at before a release; it is not a verdict on the library.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from packaging.version import InvalidVersion, Version

from advisor.catalog.inspection import DistributionView
from advisor.catalog.model import AsyncioSupport, Library, LibraryRole, TrioSupport

ASYNCIO_PRIMITIVES = frozenset(
    {
        "get_event_loop",
        "get_running_loop",
        "new_event_loop",
        "run",
        "create_task",
        "ensure_future",
        "gather",
        "wait",
        "wait_for",
        "shield",
        "sleep",
        "Future",
        "Task",
        "Event",
        "Lock",
        "Semaphore",
        "BoundedSemaphore",
        "Condition",
        "Queue",
        "open_connection",
        "start_server",
        "open_unix_connection",
        "start_unix_server",
        "create_subprocess_exec",
        "create_subprocess_shell",
        "TaskGroup",
        "timeout",
        "run_coroutine_threadsafe",
        "AbstractEventLoop",
        "Protocol",
        "StreamReader",
        "StreamWriter",
    }
)
"""asyncio names whose use ties code to the asyncio event loop (not AnyIO's backends)."""

_BACKEND_HINTS = ("asyncio", "backend", "compat", "_async", "aio")
"""Path fragments of modules that legitimately hold per-backend asyncio code."""


class FindingKind(StrEnum):
    """What kind of disagreement a finding reports."""

    VERSION = "version"
    """The distribution is newer (or older) than the version the facts were checked at."""
    DEPENDENCY = "dependency"
    """A dependency on trio or anyio appeared or disappeared."""
    IMPORTS = "imports"
    """The modules' imports contradict the stated support."""
    EXTRAS = "extras"
    """An extra pulls in other packages than the catalog says."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One disagreement between a distribution and its catalog entry."""

    library: str
    """The catalog entry's name."""
    version: str
    """The version that was read."""
    kind: FindingKind
    """What kind of disagreement."""
    message: str
    """One sentence a maintainer can act on, naming files and lines where they matter."""


def _sites(view: DistributionView, module: str, limit: int = 3) -> str:
    sites = view.imports_of(module)
    shown = ", ".join(f"{s.path}:{s.line}" for s in sites[:limit])
    more = f" and {len(sites) - limit} more" if len(sites) > limit else ""
    return shown + more


def _version_findings(library: Library, view: DistributionView) -> list[str]:
    try:
        seen, checked = Version(view.version), Version(library.checked_version)
    except InvalidVersion:
        return [f"version {view.version!r} cannot be compared with {library.checked_version!r}"]
    if seen > checked:
        return [f"{view.version} is past checked_version {library.checked_version}: re-check"]
    if library.trio_since is not None and seen < library.trio_since:
        if library.trio_before is not None:
            return [
                f"{view.version} predates trio_since {library.trio_since}: Trio support "
                f"'{library.trio_before.trio}' ({library.trio_before.note})"
            ]
        return [f"{view.version} predates trio_since {library.trio_since}: Trio support absent"]
    return []


def _asyncio_in_io_layer(view: DistributionView) -> list[str]:
    """Library modules outside per-backend files that use asyncio primitives."""
    found = []
    for path, names in sorted(view.asyncio_names.items()):
        stem = path.lower()
        if any(hint in stem for hint in _BACKEND_HINTS):
            continue
        used = sorted(names & ASYNCIO_PRIMITIVES)
        if used:
            found.append(f"{path} ({', '.join(used[:4])})")
    return found


def compare(library: Library, view: DistributionView) -> list[Finding]:
    """Every disagreement between `library` (the catalog's facts) and `view` (the files)."""
    findings: list[Finding] = []

    def add(kind: FindingKind, message: str) -> None:
        findings.append(
            Finding(library=library.name, version=view.version, kind=kind, message=message)
        )

    for message in _version_findings(library, view):
        add(FindingKind.VERSION, message)
    deps = view.dependencies
    imports_anyio = bool(view.imports_of("anyio"))
    imports_trio = bool(view.imports_of("trio"))
    says_anyio = library.anyio_based
    acknowledged = "anyio" in library.note.lower()
    if says_anyio and "anyio" not in deps and not imports_anyio:
        add(
            FindingKind.DEPENDENCY,
            "the entry says AnyIO, but anyio is neither a dependency nor imported",
        )
    if says_anyio and imports_anyio:
        leaks = _asyncio_in_io_layer(view)
        if leaks:
            add(
                FindingKind.IMPORTS,
                "the entry says AnyIO, but library modules use asyncio primitives: "
                + "; ".join(leaks[:3])
                + (f" and {len(leaks) - 3} more" if len(leaks) > 3 else ""),
            )
    if not says_anyio and "anyio" in deps and not acknowledged:
        add(
            FindingKind.DEPENDENCY,
            f"depends on anyio but the entry says trio={library.trio.value}; "
            f"anyio imported at {_sites(view, 'anyio') or 'no library module'}",
        )
    trio_capable = library.trio in (TrioSupport.NATIVE, TrioSupport.ANYIO)
    if not trio_capable and ("trio" in deps or imports_trio):
        where = _sites(view, "trio") or "its requirements"
        add(
            FindingKind.IMPORTS,
            f"uses trio ({where}) but the entry says trio={library.trio.value}",
        )
    library_imports = {site.module for site in view.imports if not site.in_tests}
    if (
        library.trio is TrioSupport.NATIVE
        and library.asyncio is not AsyncioSupport.NONE
        and library.role is not LibraryRole.RUNTIME  # glue such as sniffio detects, not imports
        and "asyncio" in library_imports  # runtime-specific code, yet no Trio path
        and not (imports_trio or imports_anyio or "trio" in deps or "anyio" in deps)
    ):
        add(
            FindingKind.IMPORTS,
            "the entry says native Trio support, but library modules import asyncio "
            f"({_sites(view, 'asyncio')}) and neither trio nor anyio",
        )
    asyncio_only = library.trio in (TrioSupport.BRIDGE, TrioSupport.NONE)
    if library.asyncio is AsyncioSupport.NATIVE and asyncio_only and not library_imports:
        add(
            FindingKind.IMPORTS,
            "the entry says asyncio-only, but no library module imports an async runtime "
            "(runtime-neutral, or compiled code the scan cannot read)",
        )
    for extra, packages in library.extras.items():
        actual = view.extras.get(extra)
        if actual is None:
            add(FindingKind.EXTRAS, f"extra '{extra}' no longer exists")
        elif set(packages) - set(actual):
            missing = ", ".join(sorted(set(packages) - set(actual)))
            add(FindingKind.EXTRAS, f"extra '{extra}' no longer pulls in {missing}")
    return findings
