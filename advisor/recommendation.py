"""The result value objects of `recommend()` and their JSON-ready `to_dict()`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from advisor.answers import Answers
from advisor.model_history import MODEL_VERSION
from advisor.rules.model import Effect, Runtime


class Certainty(StrEnum):
    """How clearly the verdict wins, from the score margin over the runner-up."""

    CLEAR = "clear"
    LEAN = "lean"
    TOSS_UP = "toss-up"


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """One of the two decisions behind a verdict, with its own grade and one-line reason."""

    choice: str
    """For `loop`: a `LoopChoice` value; for `api`: an `ApiChoice` value."""
    grade: Certainty
    """clear, lean or toss-up, for this decision alone."""
    reason: str
    """One plain sentence: why this choice, and why this grade."""
    uvloop: bool = False
    """For `loop` only: run asyncio on uvloop (raw speed is a top requirement and nothing stops
    it)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Scores:
    """Each runtime's total score."""

    asyncio: float
    trio: float
    anyio: float

    def of(self, runtime: Runtime) -> float:
        """The score of one runtime."""
        return float(getattr(self, runtime.value))


@dataclass(frozen=True, slots=True, kw_only=True)
class Reason:
    """A rule that fired, and what it did to the scores."""

    rule_id: str
    """The rule's id (stable; cite it)."""
    theme: str
    """The rule file it came from."""
    title: str
    """A short heading."""
    condition: str
    """The condition's source text."""
    effect: Effect
    """What it added to each score."""
    rationale: str
    """Why, in one sentence."""
    source: str
    """Evidence URL."""
    factor: str = ""
    """The factor the rule speaks for (dependencies, codebase, team, ...): within a factor,
    effects are capped so that restating a fact adds nothing."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Blocker:
    """A dependency that rules a runtime out."""

    rule_id: str
    """The blocker rule that matched."""
    runtime: Runtime
    """The runtime ruled out."""
    dependency: str
    """The dependency's normalised name."""
    note: str
    """The catalog's note on that dependency."""
    evidence: str
    """The catalog's evidence URL for it."""
    unless: str | None
    """What would lift the block, if anything."""
    rationale: str
    """The rule's rationale."""
    via: tuple[str, ...] = ()
    """Empty for a direct dependency; for a transitive one, the chain of packages from the
    direct dependency that pulls it in (e.g. ("aiobotocore",) for aiohttp)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Flip:
    """One smallest change to the answers that changes the verdict."""

    param: str
    """The share-link parameter changed."""
    change: str
    """The change in words, e.g. "exp_trio=2" or "without asyncpg"."""
    verdict: Runtime
    """The verdict the changed answers get."""
    query: str
    """The canonical query of the changed answers (a share link opens it)."""
    sentence: str = ""
    """The change in plain words, e.g. "If your team were experienced with Trio, the verdict
    would be AnyIO"."""
    kind: str = "answer"
    """answer (a different answer to a question), swap (replace a dependency with a catalogued
    alternative) or firm-up (what would make a lean verdict clear)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class DependencyStatus:
    """One dependency's support as the catalog records it (or unknown)."""

    name: str
    """The normalised name given."""
    known: bool
    """False when the catalog does not list it."""
    catalog_name: str | None = None
    """The catalog's spelling (differs when matched by an alias)."""
    category: str | None = None
    """Catalog category key."""
    asyncio: str = "unknown"
    """asyncio support (native, anyio, thread, none) or unknown."""
    trio: str = "unknown"
    """Trio support (native, anyio, bridge, thread, none) or unknown."""
    trio_since: str | None = None
    """The first version with that Trio support, where it depends on the version."""
    note: str = ""
    """What a user must know."""
    evidence: str | None = None
    """Evidence URL."""
    checked_version: str | None = None
    """Version the facts were checked at."""
    checked_on: dt.date | None = None
    """Day they were checked."""
    confidence: str | None = None
    """high, medium or low."""
    role: str = "runtime"
    """How the project uses it: runtime, extra or dev (from a dependency file; links say
    runtime)."""
    via: tuple[str, ...] = ()
    """Empty for a direct dependency; else the chain of packages that pulls it in."""
    range_note: str = ""
    """What the declared version range means for its support (e.g. "Trio from 9.2.0; your
    range also admits older versions"), or empty."""
    inferred_from: str | None = None
    """For an uncatalogued package: the dependency its support was inferred from."""
    maturity: str | None = None
    """stable, experimental or unmaintained (catalog)."""
    library_role: str | None = None
    """What the project is (catalog): runtime, library, server, test-plugin or tooling."""
    trio_since_date: dt.date | None = None
    """When its Trio support appeared (catalog), if dated."""
    recent_trio_support: bool = False
    """True when that support was less than a year old at the catalog's check."""
    alternatives: tuple[str, ...] = ()
    """Catalogued projects doing the same job on the other runtime."""
    hosts_code: bool = False
    """A framework the team's code runs inside (catalog)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Recommendation:
    """The advisor's answer for one set of answers, with everything that explains it."""

    answers: Answers
    """The answers it was computed for."""
    verdict: Runtime
    """asyncio, trio or anyio."""
    certainty: Certainty
    """clear, lean or toss-up (the `confidence` of DESIGN.md)."""
    margin: float
    """The verdict's score minus the best other runtime still allowed (when no other runtime is
    allowed, minus the best ruled-out one, so it can then be negative)."""
    scores: Scores
    """Each runtime's total."""
    blocked: frozenset[Runtime]
    """Runtimes ruled out by blockers."""
    reasons: tuple[Reason, ...]
    """Every rule that fired, heaviest first."""
    blockers: tuple[Blocker, ...]
    """Every hard constraint found."""
    flips: tuple[Flip, ...]
    """The smallest single-answer changes that change the verdict."""
    dependencies: tuple[DependencyStatus, ...]
    """Each dependency's support, in the order of `answers.deps` (then transitive ones)."""
    loop: Decision | None = None
    """The event loop decision (asyncio, optionally on uvloop, or Trio)."""
    api: Decision | None = None
    """The API decision (the loop's native API, or AnyIO)."""
    confidence_reason: str = ""
    """One line: why the verdict's grade is what it is (and what caps it)."""
    assumed: tuple[str, ...] = ()
    """Answer parameters left at their defaults that the verdict depends on."""
    firm_up: str | None = None
    """The question whose answer would firm a lean verdict up, in plain words, if any."""

    @property
    def confidence(self) -> Certainty:
        """DESIGN.md's name for `certainty`."""
        return self.certainty

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (the CLI's `--format json` and the JSON export)."""
        return {
            "model_version": MODEL_VERSION,
            "query": self.answers.to_query(),
            "verdict": self.verdict.value,
            "confidence": self.certainty.value,
            "confidence_reason": self.confidence_reason,
            "loop": _decision_dict(self.loop),
            "api": _decision_dict(self.api),
            "assumed": list(self.assumed),
            "firm_up": self.firm_up,
            "margin": round(self.margin, 3),
            "scores": {r.value: round(self.scores.of(r), 3) for r in Runtime},
            "blocked": sorted(r.value for r in self.blocked),
            "reasons": [
                {
                    "id": r.rule_id,
                    "theme": r.theme,
                    "title": r.title,
                    "condition": r.condition,
                    "effect": {rt.value: r.effect.on(rt) for rt in Runtime if r.effect.on(rt)},
                    "rationale": r.rationale,
                    "source": r.source,
                    "factor": r.factor,
                }
                for r in self.reasons
            ],
            "blockers": [
                {
                    "id": b.rule_id,
                    "runtime": b.runtime.value,
                    "dependency": b.dependency,
                    "note": b.note,
                    "evidence": b.evidence,
                    "unless": b.unless,
                    "rationale": b.rationale,
                    "via": list(b.via),
                }
                for b in self.blockers
            ],
            "flips": [
                {
                    "param": f.param,
                    "change": f.change,
                    "sentence": f.sentence,
                    "kind": f.kind,
                    "verdict": f.verdict.value,
                    "query": f.query,
                }
                for f in self.flips
            ],
            "dependencies": [
                {
                    "name": d.name,
                    "known": d.known,
                    "catalog_name": d.catalog_name,
                    "category": d.category,
                    "asyncio": d.asyncio,
                    "trio": d.trio,
                    "trio_since": d.trio_since,
                    "note": d.note,
                    "evidence": d.evidence,
                    "checked_version": d.checked_version,
                    "checked_on": d.checked_on.isoformat() if d.checked_on else None,
                    "confidence": d.confidence,
                    "role": d.role,
                    "via": list(d.via),
                    "range_note": d.range_note,
                    "inferred_from": d.inferred_from,
                    "maturity": d.maturity,
                    "library_role": d.library_role,
                    "trio_since_date": (
                        d.trio_since_date.isoformat() if d.trio_since_date else None
                    ),
                    "recent_trio_support": d.recent_trio_support,
                    "alternatives": list(d.alternatives),
                    "hosts_code": d.hosts_code,
                }
                for d in self.dependencies
            ],
        }


def _decision_dict(decision: Decision | None) -> dict[str, object] | None:
    if decision is None:
        return None
    return {
        "choice": decision.choice,
        "grade": decision.grade.value,
        "reason": decision.reason,
        "uvloop": decision.uvloop,
    }
