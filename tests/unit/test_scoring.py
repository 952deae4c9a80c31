"""Scores, blockers and the verdict; the incremental re-scoring the flip search relies on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.version import Version

from advisor.answers import Answers, Workload
from advisor.engine import DATA_DIR, Knowledge, load_knowledge, load_policy, recommend
from advisor.facts import dependency_facts, derive_facts, summarize_dependencies
from advisor.recommendation import Blocker, Certainty
from advisor.rules.model import Runtime
from advisor.scoring import VerdictPolicy, choose_verdict, rescore_verdict, score

from .datafiles import blocker, data_dir_with, rule, tables
from .strategies import SLOW, answers, pypi_names

POLICY = load_policy(DATA_DIR / "scoring.toml")
A, Y, T = Runtime.ASYNCIO, Runtime.ANYIO, Runtime.TRIO


def blocked(runtime: Runtime, *, unless: str | None = None, dependency: str = "dep") -> Blocker:
    return Blocker(
        rule_id="test-blocker",
        runtime=runtime,
        dependency=dependency,
        note="n",
        evidence="https://example.org",
        unless=unless,
        rationale="r",
    )


def totals(asyncio: float, anyio: float, trio: float) -> tuple[float, float, float]:
    """Scores in `Runtime` order (asyncio, anyio, trio)."""
    assert tuple(Runtime) == (A, Y, T)
    return (asyncio, anyio, trio)


@pytest.mark.parametrize(
    ("scores", "winner"),
    [
        (totals(1, 1, 1), A),
        (totals(1, 2, 2), Y),
        (totals(2, 1, 2), A),
        (totals(0, 0, 0.5), T),
        (totals(-1, -1, -1), A),
    ],
)
def test_ties_go_to_asyncio_then_anyio_then_trio(
    scores: tuple[float, ...], winner: Runtime
) -> None:
    """Equal top scores are broken in the order asyncio, anyio, trio."""
    verdict, certainty, margin, _ = choose_verdict(scores, (), POLICY)
    assert verdict is winner
    if margin == 0:
        assert certainty is Certainty.TOSS_UP


def test_blocked_runtime_cannot_win() -> None:
    """The best-scoring runtime loses when a blocker rules it out."""
    verdict, _, margin, blocked_set = choose_verdict(totals(1, 2, 9), [blocked(T)], POLICY)
    assert verdict is Y
    assert blocked_set == {T}
    assert margin == 1


def test_margin_is_measured_against_the_best_allowed_rival() -> None:
    """A blocked runtime's high score does not shrink the margin of the verdict."""
    _, certainty, margin, _ = choose_verdict(totals(5, 0, 9), [blocked(T), blocked(Y)], POLICY)
    assert certainty is Certainty.CLEAR  # only one runtime is left: nothing to weigh it against
    _, certainty, margin, _ = choose_verdict(totals(5, 1, 9), [blocked(T)], POLICY)
    assert margin == 4
    assert certainty is Certainty.CLEAR


def test_all_blocked_is_a_toss_up() -> None:
    """When every runtime is ruled out the verdict is always a toss-up."""
    hard = [blocked(A), blocked(Y), blocked(T)]
    verdict, certainty, _, blocked_set = choose_verdict(totals(9, 0, 0), hard, POLICY)
    assert certainty is Certainty.TOSS_UP
    assert verdict is A
    assert blocked_set == {A, Y, T}


def test_all_blocked_prefers_runtimes_a_bridge_can_unblock() -> None:
    """With everything blocked, a block a bridge can lift ('unless') counts less than a hard one."""
    mixed = [blocked(A), blocked(Y), blocked(T, unless="you accept trio-asyncio")]
    verdict, certainty, _, _ = choose_verdict(totals(9, 5, 0), mixed, POLICY)
    assert verdict is T
    assert certainty is Certainty.TOSS_UP


def test_anyio_is_ruled_out_when_both_its_backends_are() -> None:
    """With asyncio and Trio both blocked, AnyIO has no backend left: it cannot win clearly."""
    verdict, certainty, _, blocked_set = choose_verdict(
        totals(0, 9, 0), [blocked(A), blocked(T)], POLICY
    )
    assert blocked_set == {A, Y, T}
    assert certainty is Certainty.TOSS_UP
    assert verdict is Y  # every block is hard, so all three compete on their scores


def test_anyio_on_a_bridged_trio_backend_stays_a_candidate() -> None:
    """If only the Trio block can be lifted by a bridge, AnyIO and Trio compete as a toss-up."""
    mixed = [blocked(A), blocked(T, unless="you accept trio-asyncio")]
    verdict, certainty, _, blocked_set = choose_verdict(totals(9, 5, 0), mixed, POLICY)
    assert blocked_set == {A, Y, T}
    assert verdict is Y
    assert certainty is Certainty.TOSS_UP


def test_one_blocked_backend_leaves_anyio_allowed() -> None:
    """Blocking only asyncio (or only Trio) leaves AnyIO on the other backend."""
    for runtime in (A, T):
        verdict, _, _, blocked_set = choose_verdict(totals(0, 9, 0), [blocked(runtime)], POLICY)
        assert blocked_set == {runtime}
        assert verdict is Y


def test_margins_grade_the_verdict_per_policy() -> None:
    """Margin ≥ clear_margin is clear, ≥ lean_margin is lean, anything less a toss-up."""
    clear, lean = POLICY.clear_margin, POLICY.lean_margin
    cases = {
        clear + 1: Certainty.CLEAR,
        clear: Certainty.CLEAR,
        clear - 0.5: Certainty.LEAN,
        lean: Certainty.LEAN,
        lean - 0.5: Certainty.TOSS_UP,
        0: Certainty.TOSS_UP,
    }
    for margin, expected in cases.items():
        verdict, certainty, got_margin, _ = choose_verdict(totals(margin, 0, -5), (), POLICY)
        assert (verdict, certainty, got_margin) == (A, expected, margin), margin


def test_other_policies_move_the_thresholds() -> None:
    """The thresholds are the policy's, not constants in the code."""
    strict = VerdictPolicy(clear_margin=10.0, lean_margin=5.0)
    assert choose_verdict(totals(4, 0, 0), (), strict)[1] is Certainty.TOSS_UP
    assert choose_verdict(totals(6, 0, 0), (), strict)[1] is Certainty.LEAN
    assert choose_verdict(totals(10, 0, 0), (), strict)[1] is Certainty.CLEAR


def test_score_adds_the_effects_of_fired_rules(knowledge: Knowledge) -> None:
    """Each score is the sum of the effects of the rules whose conditions hold."""
    answer = Answers(deps=("asyncpg", "httpx"), workload=frozenset({Workload.SERVER}))
    deps = dependency_facts(answer.deps, knowledge.catalog)
    facts = derive_facts(answer, summarize_dependencies(deps))
    outcome = score(facts, deps, knowledge.index, knowledge.policy)
    fired = [r for r in knowledge.rules.rules if r.when(facts)]
    assert outcome.fired == tuple(fired)
    for runtime in Runtime:
        assert outcome.scores.of(runtime) == pytest.approx(sum(r.effect.on(runtime) for r in fired))


# --- incremental re-scoring ---------------------------------------------------------------------


EXTRA_BLOCKERS = tables(
    "blocker",
    [
        # A blocker whose condition reads an answer, and one that reads dependency counts:
        # the two cases where re-scoring must recompute the blockers rather than reuse them.
        blocker(
            "test-large-no-anyio",
            when="scale == 'large'",
            dependency="trio == 'none'",
            blocks="anyio",
        ),
        blocker(
            "test-many-deps",
            when="n_deps >= 3 and team != 'solo'",
            dependency="asyncio == 'native'",
            blocks="asyncio",
        ),
    ],
) + tables(
    "rule",
    [
        rule(
            "test-bridge-and-gui",
            when="deps_trio_bridge >= 1 and 'gui' in workload",
            effect={"trio": 3},
        )
    ],
)


@pytest.fixture(scope="module")
def knowledge_with_conditional_blockers(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    """The real data plus blockers that depend on answers and on dependency counts."""
    root: Path = tmp_path_factory.mktemp("conditional")
    return load_knowledge(data_dir_with(root, extra_rules=EXTRA_BLOCKERS))


def single_changes(answer: Answers) -> Iterator[tuple[str, Answers, tuple[int, ...] | None]]:
    """Every change of one answer: drop one dependency, toggle a workload, move one choice."""
    for position, dep in enumerate(answer.deps):
        kept = tuple(i for i in range(len(answer.deps)) if i != position)
        yield "deps", answer.with_value("deps", tuple(d for d in answer.deps if d != dep)), kept
    for workload in Workload:
        yield "workload", answer.with_value("workload", answer.workload ^ {workload}), None
    for param in ("scale", "perf", "exp_asyncio", "exp_trio", "team", "codebase", "kind", "python"):
        current = getattr(answer, param)
        for value in type(current):
            if value != current:
                yield param, answer.with_value(param, value), None


Versions = dict[str, Version]


def check_rescoring_matches_full_scoring(
    knowledge: Knowledge, answer: Answers, versions: Versions
) -> None:
    deps = dependency_facts(answer.deps, knowledge.catalog, versions)
    summary = summarize_dependencies(deps)
    base = score(derive_facts(answer, summary), deps, knowledge.index, knowledge.policy)
    checked_unchanged = False
    for param, changed, kept in single_changes(answer):
        changed_deps = deps if kept is None else tuple(deps[i] for i in kept)
        facts = derive_facts(changed, summarize_dependencies(changed_deps))
        fast = rescore_verdict(base, facts, changed_deps, param, knowledge.index, knowledge.policy)
        full = score(facts, changed_deps, knowledge.index, knowledge.policy)
        assert fast is full.verdict, (param, changed.to_query(), versions)
        # recommend() is slower (it searches flips too): ask it about every change that moves
        # the verdict and about one that does not, which pins score() to what users see.
        if fast is not base.verdict or not checked_unchanged:
            checked_unchanged |= fast is base.verdict
            slow = recommend(changed, knowledge, versions=versions).verdict
            assert fast is slow, (param, changed.to_query(), versions)


@st.composite
def catalogued_answers(draw: st.DrawFn, knowledge: Knowledge) -> tuple[Answers, Versions]:
    """Answers whose deps are mostly catalogued (aliases too), some unknown; some pinned."""
    names = [n for lib in knowledge.catalog.libraries for n in (lib.name, *lib.aliases)]
    answer = draw(answers(deps=st.sampled_from(names) | pypi_names, max_deps=7))
    versions: Versions = {}
    for name in answer.deps:
        lib = knowledge.catalog.lookup(name)
        if lib is not None and lib.trio_since is not None and draw(st.booleans()):
            versions[name] = draw(st.sampled_from([Version("0.1"), lib.trio_since]))
    return answer, versions


@SLOW
@given(data=st.data())
def test_rescoring_one_change_matches_a_full_recommendation(
    knowledge: Knowledge, data: st.DataObject
) -> None:
    """For every single change, `rescore_verdict` agrees with `recommend` on the changed answers."""
    check_rescoring_matches_full_scoring(knowledge, *data.draw(catalogued_answers(knowledge)))


@SLOW
@given(data=st.data())
def test_rescoring_recomputes_blockers_that_read_answers_and_counts(
    knowledge_with_conditional_blockers: Knowledge, data: st.DataObject
) -> None:
    """Re-scoring agrees too when blocker conditions read answers and dependency counts."""
    knowledge = knowledge_with_conditional_blockers
    assert not knowledge.index.blockers_filterable
    assert "scale" in knowledge.index.blocker_params
    check_rescoring_matches_full_scoring(knowledge, *data.draw(catalogued_answers(knowledge)))
