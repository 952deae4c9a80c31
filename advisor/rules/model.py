"""The rule model: scoring rules, blocker rules and the rule book that holds them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from advisor.decisions import DecisionKind
from advisor.rules.language import Condition


class Runtime(StrEnum):
    """What the advisor can recommend; ties go to the earlier member (asyncio is the default)."""

    ASYNCIO = "asyncio"
    ANYIO = "anyio"
    TRIO = "trio"


@dataclass(frozen=True, slots=True, kw_only=True)
class Effect:
    """How much a fired rule adds to the options of its decision (negative values subtract).

    A loop rule sets `asyncio` and/or `trio`; an API rule sets `native` and/or `anyio`.
    """

    decision: DecisionKind = DecisionKind.LOOP
    """The decision the rule speaks to."""
    asyncio: float = 0.0
    """Added to the asyncio event loop (loop rules)."""
    trio: float = 0.0
    """Added to the Trio event loop (loop rules)."""
    native: float = 0.0
    """Added to writing against the loop's own API (API rules)."""
    anyio: float = 0.0
    """Added to writing against AnyIO (API rules)."""

    def option(self, name: str) -> float:
        """The effect on one option of the rule's decision."""
        return float(getattr(self, name))

    def on(self, runtime: Runtime) -> float:
        """What the rule adds to one runtime's score.

        A runtime's score is its loop's total plus its API's total (DESIGN.md, "the verdict"):
        asyncio = asyncio loop + native API, trio = Trio loop + native API, AnyIO = its best
        backend's loop + AnyIO API. A loop rule's effect on AnyIO depends on which backend wins,
        so it is shown on asyncio and Trio only.
        """
        if runtime is Runtime.ANYIO:
            return self.anyio
        return float(getattr(self, runtime.value)) + self.native

    @property
    def weight(self) -> float:
        """The largest absolute effect: how much this rule can move a decision."""
        return max(abs(self.asyncio), abs(self.trio), abs(self.native), abs(self.anyio))


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """A scoring rule: when its condition holds, its effect is added to the scores."""

    id: str
    """Unique across all rule files; stable, because reports and tests cite it."""
    theme: str
    """The rule file it came from (dependencies, workload, team, ...)."""
    title: str
    """A short heading for the page."""
    when: Condition
    """The condition over `Facts`."""
    effect: Effect
    """What it adds to the options of its decision."""
    factor: str
    """The factor it speaks for (a key of `data/scoring.toml`'s [factor] tables): within a
    factor, effects are capped so that restating a fact adds nothing."""
    rationale: str
    """One sentence: why an expert would agree."""
    source: str
    """URL of the evidence (docs, PEP, benchmark)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BlockerRule:
    """A hard constraint: each matching dependency rules a runtime out."""

    id: str
    """Unique across all rule files."""
    theme: str
    """The rule file it came from."""
    title: str
    """A short heading."""
    when: Condition
    """A condition over `Facts` that must also hold (often just `True`)."""
    dependency: Condition
    """The condition over `DependencyFacts` that picks the blocking dependencies."""
    blocks: Runtime
    """The runtime ruled out."""
    unless: str | None
    """What would lift the block (for example accepting the trio-asyncio bridge), if anything."""
    rationale: str
    """One sentence: why."""
    source: str
    """URL of the evidence."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleBook:
    """Every rule, loaded and validated once."""

    rules: tuple[Rule, ...]
    """Scoring rules in file order."""
    blockers: tuple[BlockerRule, ...]
    """Blocker rules in file order."""
    files: tuple[Path, ...]
    """The rule files read."""
