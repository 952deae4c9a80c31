"""The catalog's vocabulary and shapes: support levels, roles, maturity, `Library`, `Catalog`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from packaging.version import Version

from advisor.answers import normalize_name


class AsyncioSupport(StrEnum):
    """How a library runs on asyncio."""

    NATIVE = "native"
    """Written for asyncio."""
    ANYIO = "anyio"
    """Built on AnyIO; runs on its asyncio backend."""
    THREAD = "thread"
    """A blocking library, usable from a worker thread."""
    NONE = "none"
    """Does not run on asyncio."""


class TrioSupport(StrEnum):
    """How a library runs on Trio."""

    NATIVE = "native"
    """Supports Trio itself."""
    ANYIO = "anyio"
    """Runs on Trio through AnyIO."""
    BRIDGE = "bridge"
    """asyncio-only: its async API runs under Trio only through trio-asyncio.

    The one rule for a library with an asyncio API (`asyncio = "native"`): a blocking client
    beside that API, usable from worker threads, does not change this code; the note says the
    blocking client exists (grpcio, confluent-kafka, google-cloud-pubsub, psycopg, pymongo,
    sqlalchemy, azure-storage-blob).
    """
    THREAD = "thread"
    """A blocking library, usable from `trio.to_thread`.

    With `asyncio = "native"` this is the exception to the rule under `BRIDGE`, allowed only
    where the note says why the blocking API is the route from Trio: playwright (its sync API
    is complete and runs its own private asyncio loop in each thread) and observability SDKs
    whose normal API is sync, thread-safe and loop-agnostic, with asyncio-only add-ons
    (sentry-sdk, logfire).
    """
    NONE = "none"
    """Cannot run under Trio, even through the bridge."""


class Confidence(StrEnum):
    """How sure the catalog is of an entry."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class LibraryRole(StrEnum):
    """What part a project plays in an application (the decision model weighs roles differently).

    Runtime, test-plugin and tooling entries never rule a runtime out: they are chosen with it.
    """

    RUNTIME = "runtime"
    """A runtime or event loop itself, or its glue (trio, anyio, sniffio, uvloop, outcome)."""
    LIBRARY = "library"
    """What the team's code calls (clients, drivers, frameworks, SDKs)."""
    SERVER = "server"
    """A server that owns the event loop and runs the application (uvicorn, hypercorn)."""
    TEST_PLUGIN = "test-plugin"
    """A test-runner plugin or test double (pytest-asyncio, pytest-trio, respx)."""
    TOOLING = "tooling"
    """Linters, type stubs and other development tools, never imported at run time."""


class Maturity(StrEnum):
    """How settled the stated support is, in the project's own words."""

    STABLE = "stable"
    """Released and not flagged otherwise."""
    EXPERIMENTAL = "experimental"
    """The project calls the stated support experimental, provisional or beta."""
    UNMAINTAINED = "unmaintained"
    """The project says it stopped, is deprecated, or its repository is archived."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TrioBefore:
    """How versions older than `trio_since` run on Trio, when that is not "asyncio-only".

    Without it, a version below `trio_since` counts as asyncio-only (`bridge`, or `none` for a
    library that does not run on asyncio). Some libraries ran on Trio earlier with help: older
    tenacity needs `sleep=trio.sleep` passed in, which 8.4.1 made automatic. That earlier
    support is a fact of its own, checked in an older release's code.
    """

    trio: TrioSupport
    """How the older versions run on Trio."""
    note: str
    """What the older versions need (one line), shown wherever such a version is graded."""
    evidence: str
    """URL at the decisive place in an older release (below `trio_since`)."""
    checked_version: str
    """The older version the fact was checked at (below `trio_since`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Library:
    """One PyPI project's async support, with its evidence."""

    name: str
    """The PyPI name as the project spells it."""
    key: str
    """The PEP 503-normalised name, used for matching."""
    aliases: tuple[str, ...]
    """Other normalised names that mean this project (old names, import names)."""
    category: str
    """A key of the catalog's category vocabulary."""
    asyncio: AsyncioSupport
    """How it runs on asyncio."""
    trio: TrioSupport
    """How it runs on Trio (at `checked_version`)."""
    trio_since: Version | None
    """The first version with the stated Trio support, when support depends on the version."""
    note: str
    """What a user must know, in one line."""
    evidence: str
    """URL at the decisive place in the library's own code, docs, changelog or tracker."""
    checked_version: str
    """The version the facts were checked at."""
    checked_on: dt.date
    """The day they were checked."""
    confidence: Confidence
    """How sure the entry is."""
    role: LibraryRole = LibraryRole.LIBRARY
    """What part it plays; runtime, test-plugin and tooling roles never rule a runtime out."""
    maturity: Maturity = Maturity.STABLE
    """Whether the stated support is stable, experimental upstream, or unmaintained."""
    trio_since_date: dt.date | None = None
    """Release date of the first version with the stated Trio support, when proven."""
    alternatives: tuple[str, ...] = ()
    """Normalised names of catalogued projects that do the same job (on the other runtime)."""
    hosts_code: bool = False
    """Whether the team's own code runs inside it (ASGI framework, MCP server SDK, bot)."""
    extras: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    """Extra name to the normalised names of the packages that extra pulls in."""
    trio_before: TrioBefore | None = None
    """The Trio support of versions older than `trio_since`, when it is not asyncio-only."""

    def trio_at(self, version: Version | None) -> TrioSupport:
        """Trio support at a given version.

        Before `trio_since` it is `trio_before`'s support when the catalog states one, and
        otherwise asyncio-only (`bridge`; `none` for a library that does not run on asyncio).
        """
        if version is None or self.trio_since is None or version >= self.trio_since:
            return self.trio
        if self.trio_before is not None:
            return self.trio_before.trio
        return TrioSupport.NONE if self.asyncio is AsyncioSupport.NONE else TrioSupport.BRIDGE

    def trio_support_age_days(self, today: dt.date) -> int | None:
        """Days between the first release with the stated Trio support and `today`, if known."""
        if self.trio_since_date is None:
            return None
        return (today - self.trio_since_date).days

    @property
    def anyio_based(self) -> bool:
        """Whether the library is built on AnyIO (and so follows the chosen backend)."""
        return self.asyncio is AsyncioSupport.ANYIO or self.trio is TrioSupport.ANYIO


@dataclass(frozen=True, slots=True, kw_only=True)
class Catalog:
    """The loaded catalog: libraries by normalised name and alias, and the categories."""

    libraries: tuple[Library, ...]
    """Every entry, in file order."""
    categories: Mapping[str, str]
    """Category key to human label."""
    source: Path
    """The file it was loaded from."""
    _index: Mapping[str, Library]

    def lookup(self, name: str) -> Library | None:
        """The entry for a PyPI name or alias, matched after PEP 503 normalisation."""
        return self._index.get(normalize_name(name))

    def names(self) -> tuple[str, ...]:
        """Every normalised name, for suggestions in the questionnaire."""
        return tuple(sorted(lib.key for lib in self.libraries))
