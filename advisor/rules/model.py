"""The rule model: scoring rules, blocker rules and the rule book that holds them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from advisor.rules.language import Condition


class Runtime(StrEnum):
    """What the advisor can recommend; ties go to the earlier member (asyncio is the default)."""

    ASYNCIO = "asyncio"
    ANYIO = "anyio"
    TRIO = "trio"


@dataclass(frozen=True, slots=True, kw_only=True)
class Effect:
    """How much a fired rule adds to each runtime's score (negative values subtract)."""

    asyncio: float = 0.0
    trio: float = 0.0
    anyio: float = 0.0

    def on(self, runtime: Runtime) -> float:
        """The effect on one runtime."""
        return float(getattr(self, runtime.value))

    @property
    def weight(self) -> float:
        """The largest absolute effect: how much this rule can move a verdict."""
        return max(abs(self.asyncio), abs(self.trio), abs(self.anyio))


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
    """What it adds to each score."""
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
