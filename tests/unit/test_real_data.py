"""The project's own data folder: every rule file and catalog entry loads and is complete.

These tests walk whatever is in `data/`, so adding a rule or a library needs no new test.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import pytest
from packaging.version import Version

from advisor.answers import is_valid_name, normalize_name
from advisor.catalog import Confidence, LibraryRole, Maturity, TrioSupport
from advisor.catalog.loading import evidence_problem
from advisor.decisions import DecisionKind
from advisor.engine import DATA_DIR, Knowledge, load_knowledge
from advisor.policy import load_policy
from advisor.rules.loading import fact_vocabularies, load_rule_file

RULE_FILES = sorted((DATA_DIR / "rules").glob("*.toml"))


def is_https_url(text: str) -> bool:
    parsed = urlparse(text)
    return parsed.scheme == "https" and bool(parsed.netloc) and " " not in text


def test_knowledge_loads() -> None:
    """The catalog, every rule file and the verdict policy load and validate."""
    knowledge = load_knowledge()
    assert knowledge.catalog.libraries
    assert knowledge.rules.files == tuple(RULE_FILES)
    assert knowledge.policy.lean_margin < knowledge.policy.clear_margin


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_each_rule_file_loads_on_its_own(knowledge: Knowledge, path: Path) -> None:
    """Every theme file is valid in itself and holds at least one rule or blocker."""
    facts, dependency = fact_vocabularies(tuple(knowledge.catalog.categories))
    rules, blockers = load_rule_file(path, facts, dependency, frozenset(knowledge.policy.factors))
    assert rules or blockers


def test_rule_ids_are_unique(knowledge: Knowledge) -> None:
    """No two rules or blockers share an id."""
    ids = [r.id for r in knowledge.rules.rules] + [b.id for b in knowledge.rules.blockers]
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_every_rule_is_explained_and_sourced(knowledge: Knowledge) -> None:
    """Every rule and blocker has a title, a rationale and an https source."""
    for entry in (*knowledge.rules.rules, *knowledge.rules.blockers):
        assert entry.title.strip(), entry.id
        assert entry.rationale.strip(), entry.id
        assert is_https_url(entry.source), entry.id


def test_there_are_at_least_thirty_scoring_rules(knowledge: Knowledge) -> None:
    """The verdict rests on a real body of considerations, not a handful."""
    assert len(knowledge.rules.rules) >= 30


def test_every_rule_can_move_a_score(knowledge: Knowledge) -> None:
    """Every scoring rule has a non-zero effect within the allowed size."""
    for entry in knowledge.rules.rules:
        assert 0 < entry.effect.weight <= 10, entry.id


def test_every_library_has_dated_evidence(knowledge: Knowledge) -> None:
    """Each catalog entry has https evidence, a checked version and date, a known category."""
    catalog = knowledge.catalog
    for lib in catalog.libraries:
        assert is_https_url(lib.evidence), lib.name
        assert Version(lib.checked_version), lib.name
        assert isinstance(lib.checked_on, dt.date), lib.name
        assert lib.checked_on <= dt.date.today(), lib.name
        assert lib.category in catalog.categories, lib.name
        assert lib.note.strip(), lib.name
        assert is_valid_name(lib.name), lib.name


def test_no_duplicates_after_normalisation(knowledge: Knowledge) -> None:
    """Names and aliases are unique once normalised, and each finds its own entry."""
    keys = [key for lib in knowledge.catalog.libraries for key in (lib.key, *lib.aliases)]
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    for lib in knowledge.catalog.libraries:
        assert lib.key == normalize_name(lib.name)
        for key in (lib.name, *lib.aliases):
            assert knowledge.catalog.lookup(key) is lib


def test_every_category_is_used(knowledge: Knowledge) -> None:
    """Each declared category holds at least one library (an unused one is a typo or leftover)."""
    used = {lib.category for lib in knowledge.catalog.libraries}
    assert set(knowledge.catalog.categories) - used == set()


def test_policy_margins_are_read_from_scoring_toml() -> None:
    """The verdict policy comes from data/scoring.toml."""
    policy = load_policy(DATA_DIR / "scoring.toml")
    assert policy.clear_margin > policy.lean_margin > 0
    assert {"dependencies", "team", "codebase"} <= set(policy.factors)


def test_every_factor_is_spoken_for(knowledge: Knowledge) -> None:
    """Each declared factor has at least one rule, and every rule names a declared factor."""
    used = {rule.factor for rule in knowledge.rules.rules}
    assert used == set(knowledge.policy.factors)


def test_both_decisions_have_rules(knowledge: Knowledge) -> None:
    """The loop and the API decisions each have rules of several factors."""
    for kind in DecisionKind:
        factors = {r.factor for r in knowledge.rules.rules if r.effect.decision is kind}
        assert len(factors) >= 4, kind


@pytest.mark.parametrize(
    ("url", "bad"),
    [
        ("https://github.com/owner/repo", True),
        ("https://github.com/owner/repo/", True),
        ("https://github.com/owner/repo/tree/main", True),
        ("https://github.com/o/r/tree/main/packages/google-cloud-storage", True),
        ("https://github.com/o/r/blob/master/pkg/io.py#L12", True),
        ("https://github.com/o/r/blob/HEAD/pkg/io.py", True),
        ("https://gitlab.com/o/r/-/blob/develop/pkg/io.py", True),
        ("https://gitlab.com/o/r/-/tree/v2.0", True),
        ("https://github.com/o/r/tree/v2.0/pkg", False),
        ("https://github.com/o/r/blob/0123456789abcdef0123456789abcdef01234567/io.py#L3", False),
        ("https://github.com/o/r/issues/25050", False),
        ("https://x.readthedocs.io/", True),
        ("https://x.readthedocs.io/en/stable/", True),
        ("https://docs.example.dev", True),
        ("https://pypi.org/project/x/1.0/", True),
        ("https://github.com/owner/repo/blob/v1.0/pkg/io.py#L12", False),
        ("https://x.readthedocs.io/en/stable/async.html#trio", False),
        ("https://x.readthedocs.io/en/stable/#trio-support", False),
        (
            "https://inspector.pypi.io/project/x/1.0/packages/aa/bb/cc/x-1.0.whl/x/io.py#line.3",
            False,
        ),
    ],
)
def test_front_page_detector_tells_front_pages_from_proof(url: str, bad: bool) -> None:
    """The evidence check flags repository roots and docs home pages, not deep links."""
    assert (evidence_problem(url) is not None) is bad


def test_every_evidence_url_points_at_the_proof(knowledge: Knowledge) -> None:
    """No catalog entry cites a repository root, a docs home page or a PyPI project page."""
    bad = {
        lib.name: problem
        for lib in knowledge.catalog.libraries
        if (problem := evidence_problem(lib.evidence)) is not None
    }
    assert bad == {}


def test_inspector_evidence_is_at_the_checked_version(knowledge: Knowledge) -> None:
    """Evidence read from a wheel through inspector.pypi.io names the version that was checked."""
    for lib in knowledge.catalog.libraries:
        parsed = urlparse(lib.evidence)
        if parsed.netloc == "inspector.pypi.io":
            parts = parsed.path.split("/")
            assert parts[1] == "project", lib.name
            assert Version(parts[3]) == Version(lib.checked_version), lib.name
        before = lib.trio_before
        if before is not None and urlparse(before.evidence).netloc == "inspector.pypi.io":
            parts = urlparse(before.evidence).path.split("/")
            assert Version(parts[3]) == Version(before.checked_version), lib.name


def test_experimental_and_abandoned_facts_are_flagged(knowledge: Knowledge) -> None:
    """A note whose first sentence (the one about the project as a whole) calls it
    experimental or alpha, or deprecated, sets maturity; later sentences may say that of a
    part (an optional transport, one method) without changing the project's maturity."""
    for lib in knowledge.catalog.libraries:
        note = lib.note.lower().split(". ", 1)[0]
        if "experimental" in note or "alpha" in note:
            assert lib.maturity is not Maturity.STABLE, lib.name
        if "deprecated" in note or "no longer maintained" in note:
            assert lib.maturity is Maturity.UNMAINTAINED, lib.name


def test_alternatives_offered_as_swaps_rest_on_settled_facts(knowledge: Knowledge) -> None:
    """No entry offers as a swap a project that is unmaintained, experimental, low-confidence
    or a bridge wrapper (one that runs an asyncio library through trio-asyncio, as triopg)."""
    weak = {}
    for lib in knowledge.catalog.libraries:
        for name in lib.alternatives:
            other = knowledge.catalog.lookup(name)
            assert other is not None, (lib.name, name)
            wrapper = other.trio is not TrioSupport.BRIDGE and "through trio-asyncio" in other.note
            if (
                other.maturity is not Maturity.STABLE
                or other.confidence is Confidence.LOW
                or wrapper
            ):
                weak[lib.name] = name
    assert weak == {}


def test_young_trio_support_is_dated(knowledge: Knowledge) -> None:
    """Every trio_since_date falls on or before the check, and every dated entry is Trio-capable."""
    for lib in knowledge.catalog.libraries:
        if lib.trio_since_date is not None:
            assert lib.trio_since_date <= lib.checked_on, lib.name
            assert lib.trio in (TrioSupport.NATIVE, TrioSupport.ANYIO), lib.name


def test_roles_that_never_rule_out_a_runtime_are_used_as_documented(knowledge: Knowledge) -> None:
    """Servers sit in the server category; runtimes and test plugins in theirs."""
    for lib in knowledge.catalog.libraries:
        if lib.role is LibraryRole.SERVER:
            assert lib.category == "asgi-server", lib.name
        if lib.role is LibraryRole.TEST_PLUGIN:
            assert lib.category == "testing", lib.name
