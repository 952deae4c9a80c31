"""The scan's result: frozen value objects, each with `to_dict()` for JSON."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from advisor.answers import Codebase
from advisor.facts import PortingCost
from advisor.rules.model import Runtime
from advisor.scan.catalog import Effort, Family


class CodeStyle(StrEnum):
    """What the code base is written against."""

    ASYNCIO = "asyncio"
    TRIO = "trio"
    ANYIO = "anyio"
    """Written against AnyIO (perhaps with per-backend native code beside it)."""
    MIXED = "mixed"
    """No runtime owns a clear majority of the async files."""
    SYNC = "sync"
    """Python code with no asyncio, Trio or AnyIO use."""
    EMPTY = "empty"
    """No Python file was found."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    """One place in the code: `path:line`, and the API used there."""

    path: str
    """Path relative to the scanned folder or archive, with `/` separators."""
    line: int
    """1-based line number."""
    api: str
    """The API used (`asyncio.gather`)."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"path": self.path, "line": self.line, "api": self.api}


@dataclass(frozen=True, slots=True, kw_only=True)
class KindUsage:
    """The uses of one kind of API (for example "Queues"), with every location."""

    kind: str
    """Catalog kind id (`asyncio.queues`)."""
    family: Family
    """asyncio, trio, anyio, sniffio, threads or processes."""
    label: str
    """Plain-language name."""
    count: int
    """Number of uses."""
    apis: tuple[tuple[str, int], ...]
    """Each API used and its count, most used first."""
    locations: tuple[Location, ...]
    """Every use, by path then line."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "kind": self.kind,
            "family": self.family.value,
            "label": self.label,
            "count": self.count,
            "apis": dict(self.apis),
            "locations": [loc.to_dict() for loc in self.locations],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class FamilyShare:
    """How much of the code uses one family's API."""

    family: Family
    uses: int
    """Number of uses."""
    files: int
    """Files with at least one use."""
    primary_files: int
    """Files where this family has the most uses (the basis of the classification)."""
    share: float
    """primary_files / files with any asyncio, Trio or AnyIO use (0 for non-runtime families)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "family": self.family.value,
            "uses": self.uses,
            "files": self.files,
            "primary_files": self.primary_files,
            "share": round(self.share, 4),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class PortingItem:
    """One construct group to change: the mapping, and where the code uses it."""

    apis: tuple[tuple[str, int], ...]
    """The APIs of this mapping that the code uses, with counts."""
    effort: Effort
    """Mechanical, redesign, or none (runs unchanged)."""
    how: str
    """What to write instead."""
    source: str
    """The decisive documentation section."""
    count: int
    """Number of use sites."""
    files: tuple[str, ...]
    """Files with a use site."""
    locations: tuple[Location, ...]
    """Every use site."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "apis": dict(self.apis),
            "effort": self.effort.value,
            "how": self.how,
            "source": self.source,
            "count": self.count,
            "files": list(self.files),
            "locations": [loc.to_dict() for loc in self.locations],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class PortingPlan:
    """What moving the code base to one runtime would change."""

    target: Runtime
    """The runtime the code would move to."""
    items: tuple[PortingItem, ...]
    """Constructs to change (redesign first, then by count); `none` items last."""
    mechanical_count: int
    """Use sites needing a mechanical rewrite."""
    redesign_count: int
    """Use sites needing a redesign."""
    unchanged_count: int
    """Use sites of other runtimes that run unchanged (AnyIO code on either backend)."""
    files: tuple[str, ...]
    """Files with at least one site to change."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "target": self.target.value,
            "mechanical_count": self.mechanical_count,
            "redesign_count": self.redesign_count,
            "unchanged_count": self.unchanged_count,
            "files": list(self.files),
            "items": [item.to_dict() for item in self.items],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class FileProblem:
    """A file that was not (fully) read, and why."""

    path: str
    problem: str
    """What was wrong (a decoding or syntax error with its line, too large, a link, ...)."""

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"path": self.path, "problem": self.problem}


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanReport:
    """Everything a scan found: uses by kind, what the code base is, and porting plans.

    For the decision model: `codebase` is the questionnaire answer the scan supports, and
    `plan(target).redesign_count` / `.mechanical_count` size a porting-cost factor.
    """

    source: str
    """What was scanned (a folder path or an archive name)."""
    files: int
    """Python files read."""
    lines: int
    """Lines in those files."""
    parsed_files: int
    """Files parsed (a file naming none of the catalog's packages is counted, not parsed)."""
    kinds: tuple[KindUsage, ...]
    """Uses grouped by kind, in catalog order."""
    families: tuple[FamilyShare, ...]
    """Uses and shares per family, every family listed."""
    style: CodeStyle
    """What the code base is written against."""
    backends: tuple[Runtime, ...]
    """For an AnyIO code base: the native runtimes it also has code for."""
    codebase: Codebase
    """The questionnaire's `codebase` answer this scan supports (see `advisor.scan.classify`)."""
    plans: tuple[PortingPlan, ...]
    """One plan per runtime (asyncio, anyio, trio)."""
    problems: tuple[FileProblem, ...]
    """Files that could not be decoded or parsed, or were skipped (size, links)."""

    def plan(self, target: Runtime) -> PortingPlan:
        """The porting plan to `target`."""
        for plan in self.plans:
            if plan.target is target:
                return plan
        raise KeyError(target)

    @property
    def redesign_counts(self) -> dict[Runtime, int]:
        """Use sites needing a redesign, per target runtime."""
        return {plan.target: plan.redesign_count for plan in self.plans}

    @property
    def mechanical_counts(self) -> dict[Runtime, int]:
        """Use sites needing a mechanical rewrite, per target runtime."""
        return {plan.target: plan.mechanical_count for plan in self.plans}

    def porting_cost(self) -> PortingCost:
        """What the decision model needs from this scan (`recommend(..., porting=...)`)."""
        return PortingCost(
            redesign={t.value: n for t, n in self.redesign_counts.items()},
            mechanical={t.value: n for t, n in self.mechanical_counts.items()},
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the CLI's `--format json`)."""
        return {
            "source": self.source,
            "files": self.files,
            "lines": self.lines,
            "parsed_files": self.parsed_files,
            "style": self.style.value,
            "backends": [b.value for b in self.backends],
            "codebase": self.codebase.value,
            "families": [f.to_dict() for f in self.families],
            "kinds": [k.to_dict() for k in self.kinds],
            "porting": [p.to_dict() for p in self.plans],
            "problems": [p.to_dict() for p in self.problems],
        }
