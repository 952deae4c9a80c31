"""The decision model's mechanism: two decisions, factor caps, grades, blockers and the verdict.

These tests build small rule books and catalogs in `tmp_path`, so they pin the mechanism, not
the weights of the real rules (the scenario tests pin those).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from advisor.answers import Answers, Cancel, Kind, PythonVersion
from advisor.decisions import ApiChoice, LoopChoice
from advisor.engine import Knowledge, load_knowledge, recommend
from advisor.recommendation import Certainty
from advisor.rules.model import Runtime

from .datafiles import blocker, catalog_text, library, rule, tables
from .strategies import SLOW, answers

SCORING = """
[verdict]
clear_margin = 2.5
lean_margin = 1.0
clear_z = 2.0
base_uncertainty = 0.5
soft_uncertainty = 0.45
recent_support_days = 365

[python]
end_of_life = ["3.9"]
source = "https://example.org/eol"
checked_on = 2026-11-29

[factor.hard]
label = "a firm fact"
uncertainty = 0.1
cap = 4.0

[factor.soft]
label = "a soft opinion"
uncertainty = 0.6
cap = 2.0

[factor.requirement]
label = "a stated requirement"
uncertainty = 0.1
cap = 9.0
"""

LIBRARIES = [
    library("aio-only", asyncio="native", trio="bridge"),
    library("weak-aio-only", asyncio="native", trio="bridge", confidence="low"),
    library("trio-only", asyncio="none", trio="native"),
    library("both", asyncio="anyio", trio="anyio", category="http-client"),
]

BLOCKERS = [
    blocker("needs-asyncio", dependency="trio == 'bridge'", blocks="trio", unless="bridge"),
    blocker("needs-trio", dependency="asyncio == 'none'", blocks="asyncio"),
]


def build(tmp_path: Path, rules: list[dict[str, object]]) -> Knowledge:
    """A data folder holding `rules` (one theme file), the blockers above and a small catalog."""
    data = tmp_path / "data"
    (data / "rules").mkdir(parents=True)
    (data / "rules" / "theme.toml").write_text(
        tables("rule", rules) + "\n" + tables("blocker", BLOCKERS), "utf-8"
    )
    (data / "scoring.toml").write_text(SCORING, "utf-8")
    (data / "libraries.toml").write_text(catalog_text(LIBRARIES), "utf-8")
    return load_knowledge(data)


def loop_rule(
    rule_id: str, when: str = "True", factor: str = "hard", **effect: float
) -> dict[str, object]:
    return rule(rule_id, decision="loop", factor=factor, when=when, effect=effect)


def api_rule(
    rule_id: str, when: str = "True", factor: str = "hard", **effect: float
) -> dict[str, object]:
    return rule(rule_id, decision="api", factor=factor, when=when, effect=effect)


def test_restating_a_fact_within_a_factor_adds_nothing(tmp_path: Path) -> None:
    """Two rules of one factor on the same option are capped at the factor's cap."""
    knowledge = build(
        tmp_path,
        [
            loop_rule("first", asyncio=3.0),
            loop_rule("restated", asyncio=3.0),
            loop_rule("soft-trio", factor="soft", trio=1.0),
        ],
    )
    rec = recommend(Answers(), knowledge)
    assert {r.rule_id for r in rec.reasons} == {"first", "restated", "soft-trio"}
    # capped at 4 (not 6): asyncio loop 4 + native api 0
    assert rec.scores.asyncio == pytest.approx(4.0)
    assert rec.scores.trio == pytest.approx(1.0)


def test_api_rules_see_the_decided_loop(tmp_path: Path) -> None:
    """An API rule conditioned on the loop fires only for the loop that was decided."""
    knowledge = build(
        tmp_path,
        [
            loop_rule("trio-wins", trio=3.0),
            api_rule("anyio-on-asyncio", when="loop == 'asyncio'", anyio=4.0),
            api_rule("native-on-trio", when="loop == 'trio'", native=3.0),
        ],
    )
    rec = recommend(Answers(), knowledge)
    assert rec.loop is not None
    assert rec.api is not None
    assert (rec.loop.choice, rec.api.choice) == (LoopChoice.TRIO, ApiChoice.NATIVE)
    assert rec.verdict is Runtime.TRIO
    assert [r.rule_id for r in rec.reasons if r.effect.decision.value == "api"] == [
        "native-on-trio"
    ]


@pytest.mark.parametrize(
    ("loop", "api", "verdict"),
    [
        ({"asyncio": 3.0}, {"native": 3.0}, Runtime.ASYNCIO),
        ({"trio": 3.0}, {"native": 3.0}, Runtime.TRIO),
        ({"asyncio": 3.0}, {"anyio": 3.0}, Runtime.ANYIO),
        ({"trio": 3.0}, {"anyio": 3.0}, Runtime.ANYIO),
    ],
)
def test_the_verdict_is_derived_from_the_two_decisions(
    tmp_path: Path, loop: dict[str, float], api: dict[str, float], verdict: Runtime
) -> None:
    """asyncio and Trio on their own API; AnyIO whenever the code is written against it."""
    knowledge = build(tmp_path, [loop_rule("loop-rule", **loop), api_rule("api-rule", **api)])
    rec = recommend(Answers(), knowledge)
    assert rec.verdict is verdict
    best = max(Runtime, key=rec.scores.of)
    assert rec.scores.of(verdict) == rec.scores.of(best)


def test_a_blocked_loop_cannot_win_and_the_forced_loop_is_clear(tmp_path: Path) -> None:
    """An asyncio-only dependency forces the asyncio loop however the scores stand."""
    knowledge = build(
        tmp_path, [loop_rule("trio-please", trio=4.0), api_rule("native-rule", native=3)]
    )
    rec = recommend(Answers(deps=("aio-only",)), knowledge)
    assert rec.loop is not None
    assert rec.loop.choice == LoopChoice.ASYNCIO
    assert rec.loop.grade is Certainty.CLEAR
    assert "aio-only" in rec.loop.reason
    assert rec.verdict is Runtime.ASYNCIO
    assert Runtime.TRIO in rec.blocked


def test_a_weak_deciding_fact_caps_the_grade(tmp_path: Path) -> None:
    """A loop forced only by a low-confidence catalog fact is graded lean, saying why."""
    knowledge = build(tmp_path, [api_rule("native-rule", native=4.0)])
    strong = recommend(Answers(deps=("aio-only",)), knowledge)
    weak = recommend(Answers(deps=("weak-aio-only",)), knowledge)
    assert strong.certainty is Certainty.CLEAR
    assert weak.certainty is Certainty.LEAN
    assert "low confidence" in weak.confidence_reason


def test_nothing_runs_every_dependency_is_a_toss_up(tmp_path: Path) -> None:
    """With asyncio-only and Trio-only dependencies together, the grade says so."""
    knowledge = build(
        tmp_path, [loop_rule("loop-rule", asyncio=4.0), api_rule("native-rule", native=4.0)]
    )
    rec = recommend(Answers(deps=("aio-only", "trio-only")), knowledge)
    assert rec.certainty is Certainty.TOSS_UP
    assert {Runtime.ASYNCIO, Runtime.TRIO, Runtime.ANYIO} <= rec.blocked
    assert "no runtime runs every dependency" in rec.confidence_reason


def test_a_tie_is_a_toss_up_and_says_so(tmp_path: Path) -> None:
    """Equal totals are a toss-up whose reason calls it a tie."""
    knowledge = build(
        tmp_path, [loop_rule("asyncio-rule", asyncio=2.0), loop_rule("trio-rule", trio=2.0)]
    )
    rec = recommend(Answers(), knowledge)
    assert rec.loop is not None
    assert rec.loop.grade is Certainty.TOSS_UP
    assert "tie" in rec.loop.reason
    assert rec.certainty is Certainty.TOSS_UP


def test_one_soft_factor_alone_never_makes_a_clear_verdict(tmp_path: Path) -> None:
    """A margin carried by a single soft factor is graded lean, naming the factor."""
    firm = build(
        tmp_path / "firm",
        [loop_rule("firm-rule", asyncio=3.0), api_rule("native-rule", native=3.0)],
    )
    soft = build(
        tmp_path / "soft",
        [
            loop_rule("soft-rule", factor="soft", asyncio=2.0),
            loop_rule("firm-rule", asyncio=1.0),
            api_rule("native-rule", native=3.0),
        ],
    )
    assert recommend(Answers(), firm).certainty is Certainty.CLEAR
    rec = recommend(Answers(), soft)
    assert rec.certainty is Certainty.LEAN
    assert "a soft opinion" in rec.confidence_reason


def test_an_end_of_life_python_floor_caps_an_application(tmp_path: Path) -> None:
    """An app on an end-of-life Python is never clear; a library on it can be."""
    knowledge = build(
        tmp_path, [loop_rule("firm-rule", asyncio=4.0), api_rule("native-rule", native=4.0)]
    )
    app = recommend(Answers(python=PythonVersion.PY39), knowledge)
    library_rec = recommend(Answers(python=PythonVersion.PY39, kind=Kind.LIBRARY), knowledge)
    assert app.certainty is Certainty.LEAN
    assert "end of life" in app.confidence_reason
    assert library_rec.certainty is Certainty.CLEAR


def test_strict_cancellation_caps_plain_asyncio(tmp_path: Path) -> None:
    """When cancellation is critical, asyncio's own API is never the clear choice."""
    knowledge = build(
        tmp_path, [loop_rule("firm-rule", asyncio=4.0), api_rule("native-rule", native=4.0)]
    )
    assert recommend(Answers(), knowledge).certainty is Certainty.CLEAR
    rec = recommend(Answers(cancel=Cancel.CRITICAL), knowledge)
    assert rec.certainty is Certainty.LEAN
    assert "cancel" in rec.confidence_reason


def test_unknown_dependencies_cap_a_verdict_that_relies_on_trio(tmp_path: Path) -> None:
    """On a Trio loop, an uncatalogued dependency could be asyncio-only: not clear."""
    knowledge = build(
        tmp_path, [loop_rule("trio-rule", trio=4.0), api_rule("native-rule", native=4.0)]
    )
    assert recommend(Answers(deps=("both",)), knowledge).certainty is Certainty.CLEAR
    rec = recommend(Answers(deps=("both", "mystery")), knowledge)
    assert rec.certainty is Certainty.LEAN
    assert "not in the catalog" in rec.confidence_reason


def test_a_default_one_step_from_a_flip_caps_and_names_the_question(tmp_path: Path) -> None:
    """If answering an assumed question differently would flip the verdict, it is lean."""
    knowledge = build(
        tmp_path,
        [
            loop_rule("firm-rule", asyncio=4.0),
            api_rule("native-rule", native=4.0),
            api_rule("cancel-flips", when="cancel == 'critical'", factor="requirement", anyio=9.0),
        ],
    )
    rec = recommend(Answers(), knowledge)
    assert rec.certainty is Certainty.LEAN
    assert rec.firm_up is not None
    assert "cancellation" in rec.firm_up
    assert "cancel" in rec.assumed


@SLOW
@given(answers())
def test_the_verdict_is_always_the_best_allowed_score(knowledge_answers: Answers) -> None:
    """On the real data, the derived verdict is never outscored by an allowed runtime."""
    rec = recommend(knowledge_answers)
    allowed = [r for r in Runtime if r not in rec.blocked] or list(Runtime)
    best = max(rec.scores.of(r) for r in allowed)
    assert rec.scores.of(rec.verdict) == pytest.approx(best)
    assert rec.loop is not None
    assert rec.api is not None
    assert rec.confidence_reason
