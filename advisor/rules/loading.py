"""Loading `data/rules/*.toml`: every rule is parsed, type-checked and validated at start-up."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path

from advisor.datafiles import read_toml, require_https_url, require_text
from advisor.decisions import DecisionKind
from advisor.errors import DataError
from advisor.facts import DependencyFacts, Facts
from advisor.rules.language import (
    Condition,
    ConditionError,
    Vocabulary,
    parse_condition,
    vocabulary_of,
)
from advisor.rules.model import BlockerRule, Effect, Rule, RuleBook, Runtime

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
MAX_EFFECT = 10.0
"""No single rule may outweigh a whole theme; larger effects are a data mistake."""

_RULE_FIELDS = {"id", "title", "decision", "factor", "when", "effect", "rationale", "source"}
_BLOCKER_FIELDS = {"id", "title", "when", "dependency", "blocks", "unless", "rationale", "source"}
_BLOCKER_REQUIRED = _BLOCKER_FIELDS - {"when", "unless"}


def fact_vocabularies(categories: tuple[str, ...]) -> tuple[Vocabulary, Vocabulary]:
    """The vocabularies of rule conditions and of per-dependency conditions."""
    domains = {"dep_categories": categories}
    return (
        vocabulary_of(Facts, domains),
        vocabulary_of(DependencyFacts, {"category": categories}),
    )


def _source(entry: Mapping[str, object], path: Path, where: str) -> str:
    return require_https_url(entry, "source", path, where)


def _decision(entry: Mapping[str, object], path: Path, where: str) -> DecisionKind:
    value = entry.get("decision")
    if value not in {d.value for d in DecisionKind}:
        allowed = ", ".join(d.value for d in DecisionKind)
        raise DataError(path, where, f"'decision' is {value!r}; allowed: {allowed}")
    return DecisionKind(str(value))


def _effect(entry: Mapping[str, object], decision: DecisionKind, path: Path, where: str) -> Effect:
    raw = entry.get("effect")
    options = decision.options
    if not isinstance(raw, dict) or not raw:
        raise DataError(path, where, f"'effect' must be a table such as {{ {options[1]} = 1.0 }}")
    values: dict[str, float] = {}
    for key, value in raw.items():
        if key not in options:
            raise DataError(
                path,
                where,
                f"effect on '{key}', which is not an option of the {decision.value} "
                f"decision; allowed: {', '.join(options)}",
            )
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise DataError(path, where, f"effect on '{key}' must be a number")
        if not 0 < abs(value) <= MAX_EFFECT:  # also refuses nan and inf
            raise DataError(
                path, where, f"effect on '{key}' must be non-zero, at most ±{MAX_EFFECT}"
            )
        values[key] = float(value)
    return Effect(decision=decision, **values)


def _factor(entry: Mapping[str, object], factors: frozenset[str], path: Path, where: str) -> str:
    value = require_text(entry, "factor", path, where)
    if value not in factors:
        close = difflib.get_close_matches(value, sorted(factors), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise DataError(
            path,
            where,
            f"unknown factor '{value}'{hint}; factors are declared in scoring.toml: "
            + ", ".join(sorted(factors)),
        )
    return value


def _condition(
    entry: Mapping[str, object], key: str, vocabulary: Vocabulary, path: Path, where: str
) -> Condition:
    text = entry.get(key, "True")
    if not isinstance(text, str):
        raise DataError(path, where, f"'{key}' must be a string")
    try:
        return parse_condition(text, vocabulary)
    except ConditionError as error:
        raise DataError(path, where, f"'{key}': {error.problem}") from None


def _check_fields(
    entry: object, allowed: set[str], required: set[str], path: Path, where: str
) -> Mapping[str, object]:
    if not isinstance(entry, dict):
        raise DataError(path, where, "must be a table")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise DataError(path, where, f"unknown field(s): {', '.join(unknown)}")
    missing = sorted(required - set(entry))
    if missing:
        raise DataError(path, where, f"missing field(s): {', '.join(missing)}")
    return entry


def _where(entry: object, table: str, position: int) -> str:
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        return f'{table} "{entry["id"]}"'
    return f"{table} #{position}"


LOOP_NAME = "loop"
"""The fact API rules may read (the decided event loop) and loop rules may not."""


def load_rule_file(
    path: Path, facts: Vocabulary, dependency: Vocabulary, factors: frozenset[str]
) -> tuple[list[Rule], list[BlockerRule]]:
    """Load one theme file; raises `DataError` naming the file, the rule and the problem."""
    document = read_toml(path)
    for table in ("rule", "blocker"):
        if table in document and not isinstance(document[table], list):
            raise DataError(path, table, f"must be an array of tables: write [[{table}]]")
    extra = sorted(set(document) - {"rule", "blocker"})
    if extra:
        raise DataError(
            path, None, f"unknown table(s): {', '.join(extra)}; use [[rule]] or [[blocker]]"
        )
    theme = path.stem
    rules: list[Rule] = []
    for position, raw in enumerate(document.get("rule", []), 1):
        where = _where(raw, "rule", position)
        entry = _check_fields(raw, _RULE_FIELDS, _RULE_FIELDS, path, where)
        rule_id = require_text(entry, "id", path, where)
        if not _ID.match(rule_id):
            raise DataError(path, where, "'id' must be lower-case words joined by hyphens")
        when = _condition(entry, "when", facts, path, where)
        decision = _decision(entry, path, where)
        if decision is DecisionKind.LOOP and LOOP_NAME in when.names:
            raise DataError(
                path, where, "a loop rule cannot read 'loop' (the loop is what it decides)"
            )
        rules.append(
            Rule(
                id=rule_id,
                theme=theme,
                title=require_text(entry, "title", path, where),
                when=when,
                effect=_effect(entry, decision, path, where),
                factor=_factor(entry, factors, path, where),
                rationale=require_text(entry, "rationale", path, where),
                source=_source(entry, path, where),
            )
        )
    blockers: list[BlockerRule] = []
    for position, raw in enumerate(document.get("blocker", []), 1):
        where = _where(raw, "blocker", position)
        entry = _check_fields(raw, _BLOCKER_FIELDS, _BLOCKER_REQUIRED, path, where)
        rule_id = require_text(entry, "id", path, where)
        if not _ID.match(rule_id):
            raise DataError(path, where, "'id' must be lower-case words joined by hyphens")
        blocks = entry.get("blocks")
        if blocks not in {r.value for r in Runtime}:
            allowed = ", ".join(r.value for r in Runtime)
            raise DataError(path, where, f"'blocks' is {blocks!r}; allowed: {allowed}")
        unless = require_text(entry, "unless", path, where) if "unless" in entry else None
        blockers.append(
            BlockerRule(
                id=rule_id,
                theme=theme,
                title=require_text(entry, "title", path, where),
                when=_condition(entry, "when", facts, path, where),
                dependency=_condition(entry, "dependency", dependency, path, where),
                blocks=Runtime(str(blocks)),
                unless=unless,
                rationale=require_text(entry, "rationale", path, where),
                source=_source(entry, path, where),
            )
        )
    return rules, blockers


def load_rules(directory: Path, categories: tuple[str, ...], factors: frozenset[str]) -> RuleBook:
    """Load every `*.toml` in `directory`; rule ids must be unique across files.

    `factors` are the factor keys declared in `scoring.toml`; every scoring rule names one.
    """
    files = tuple(sorted(directory.glob("*.toml")))
    if not files:
        raise DataError(directory, None, "holds no rule files (*.toml)")
    facts, dependency = fact_vocabularies(categories)
    rules: list[Rule] = []
    blockers: list[BlockerRule] = []
    seen: dict[str, Path] = {}
    for path in files:
        file_rules, file_blockers = load_rule_file(path, facts, dependency, factors)
        for rule_id in [r.id for r in file_rules] + [b.id for b in file_blockers]:
            if rule_id in seen:
                raise DataError(
                    path, f'rule "{rule_id}"', f"id is already used in {seen[rule_id].name}"
                )
            seen[rule_id] = path
        rules.extend(file_rules)
        blockers.extend(file_blockers)
    return RuleBook(rules=tuple(rules), blockers=tuple(blockers), files=files)
