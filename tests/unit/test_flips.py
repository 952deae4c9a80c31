"""Flips: the smallest changes a person would act on that change the verdict."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from advisor import Answers, Certainty, Runtime, recommend
from advisor.answers import Cancel, Experience, PythonVersion, Workload
from advisor.engine import base_judge, default_knowledge, flip_candidates, load_knowledge
from advisor.flips import Candidate, Judgement, candidates, find_flips
from advisor.scoring import score
from advisor.wording import HeadlineKind, headline

from .datafiles import data_dir_with, library
from .strategies import SLOW, answers


def _yes() -> bool:
    return True


def no_alternatives(name: str) -> tuple[str, ...]:
    return ()


def test_python_is_only_ever_raised() -> None:
    """Lowering the Python floor is not offered: no project does that to pick a runtime."""
    answer = Answers(python=PythonVersion.PY312)
    tried = [c for c in candidates(answer, [], no_alternatives) if c.param == "python"]
    assert [c.answers.python for c in tried] == [PythonVersion.PY313, PythonVersion.PY314]


def test_experience_is_only_ever_raised() -> None:
    """A team can learn a runtime; "if your team knew less" is not a change to act on."""
    answer = Answers(exp_trio=Experience.EXPERIENCED, exp_asyncio=Experience.NONE)
    tried = [c for c in candidates(answer, [], no_alternatives) if c.param.startswith("exp_")]
    assert {(c.param, c.answers.exp_trio, c.answers.exp_asyncio) for c in tried} == {
        ("exp_trio", Experience.EXPERT, Experience.NONE),
        ("exp_asyncio", Experience.EXPERIENCED, Experience.BASIC),
        ("exp_asyncio", Experience.EXPERIENCED, Experience.EXPERIENCED),
        ("exp_asyncio", Experience.EXPERIENCED, Experience.EXPERT),
    }


def test_only_decisive_dependencies_are_dropped_or_swapped() -> None:
    """A dependency that decides nothing is never dropped (no cliff artefacts)."""
    answer = Answers(deps=("aiohttp", "requests", "mystery"))
    tried = candidates(answer, ["aiohttp"], lambda name: ("httpx",) if name == "aiohttp" else ())
    dep_changes = [(c.change, c.kind) for c in tried if c.param == "deps"]
    assert dep_changes == [("aiohttp → httpx", "swap"), ("without aiohttp", "answer")]
    swap = tried[0]
    assert swap.answers.deps == ("httpx", "mystery", "requests")
    assert swap.drop == ("aiohttp",)
    assert swap.add == ("httpx",)


def test_actionable_changes_are_tried_first() -> None:
    """Swaps, then drops, then raising Python or experience, then requirements, then facts."""
    tried = candidates(Answers(deps=("aiohttp",)), ["aiohttp"], lambda n: ("httpx",))
    ranks = [c.rank for c in tried]
    assert ranks == sorted(ranks)
    assert tried[0].kind == "swap"
    assert tried[-1].param == "workload"


def _judge_by(table: dict[str, Runtime], default: Runtime) -> tuple[list[Candidate], object]:
    asked: list[Candidate] = []

    def judge(candidate: Candidate) -> Judgement:
        asked.append(candidate)
        return Judgement(table.get(candidate.change, default), (), lambda: False)

    return asked, judge


def test_only_the_nearest_raise_that_flips_is_reported() -> None:
    """Raising experience to 2 already says what 3 would do."""
    answer = Answers()
    tried = [c for c in candidates(answer, [], no_alternatives) if c.param == "exp_trio"]
    _, judge = _judge_by({}, Runtime.ANYIO)
    flips = find_flips(answer, Runtime.ASYNCIO, Certainty.CLEAR, tried, judge)  # type: ignore[arg-type]
    assert [f.change for f in flips] == ["exp_trio=1"]


def test_a_flip_that_ends_in_a_tie_says_so() -> None:
    """A change whose answers tie two runtimes says they would tie, not that the tie-break
    winner would be the verdict (the link opens as "Trio or AnyIO: a tie")."""
    answer = Answers()
    tried = [c for c in candidates(answer, [], no_alternatives) if c.param == "exp_trio"]

    def judge(candidate: Candidate) -> Judgement:
        return Judgement(Runtime.TRIO, (Runtime.TRIO, Runtime.ANYIO), lambda: False)

    (flip, *_) = find_flips(answer, Runtime.ASYNCIO, Certainty.CLEAR, tried, judge)
    assert flip.sentence == "If your team had basic experience with Trio, Trio and AnyIO would tie."


def test_flip_sentences_are_plain_language() -> None:
    """A flip reads as a sentence naming the change and the new verdict."""
    answer = Answers()
    tried = [c for c in candidates(answer, [], no_alternatives) if c.param == "exp_trio"]
    _, judge = _judge_by({"exp_trio=2": Runtime.ANYIO}, Runtime.ASYNCIO)
    (flip,) = find_flips(answer, Runtime.ASYNCIO, Certainty.CLEAR, tried, judge)  # type: ignore[arg-type]
    assert flip.sentence == "If your team were experienced with Trio, the verdict would be AnyIO."
    assert flip.query == answer.with_value("exp_trio", Experience.EXPERIENCED).to_query()


def test_dropping_a_stated_requirement_is_never_a_firm_up() -> None:
    """ "If strict cancellation were not a top requirement, ... would be clear" asks the team to
    give up what it said it needs: it may be a flip, never advice to firm the verdict up."""
    answer = Answers(cancel=Cancel.CRITICAL)
    tried = [c for c in candidates(answer, [], no_alternatives) if c.param in ("cancel", "perf")]
    assert [c.change for c in tried] == ["cancel=normal", "perf=critical"]
    flips = find_flips(
        answer, Runtime.ANYIO, Certainty.LEAN, tried, lambda c: Judgement(Runtime.ANYIO, (), _yes)
    )
    assert [(f.change, f.kind) for f in flips] == [("perf=critical", "firm-up")]


def test_a_lean_verdict_gets_firm_up_changes_after_the_flips() -> None:
    """For a lean verdict, changes that keep it but make it clear are offered, flips first."""
    answer = Answers()
    tried = candidates(answer, [], no_alternatives)

    def judge(candidate: Candidate) -> Judgement:
        if candidate.change == "cancel=critical":
            return Judgement(Runtime.ANYIO, (), lambda: False)
        if candidate.change == "perf=critical":
            return Judgement(Runtime.ASYNCIO, (), lambda: True)
        return Judgement(Runtime.ASYNCIO, (), lambda: False)

    flips = find_flips(answer, Runtime.ASYNCIO, Certainty.LEAN, tried, judge)
    assert [(f.change, f.kind) for f in flips] == [
        ("cancel=critical", "answer"),
        ("perf=critical", "firm-up"),
    ]
    assert flips[1].sentence.endswith("asyncio would be the clear choice.")


@pytest.mark.parametrize("same", [Runtime.ASYNCIO, Runtime.TRIO])
def test_no_flips_when_nothing_changes_the_verdict(same: Runtime) -> None:
    """If every change keeps the verdict (and it is not lean), there is nothing to report."""
    answer = Answers(deps=("x",))
    tried = candidates(answer, ["x"], no_alternatives)
    assert (
        find_flips(
            answer, same, Certainty.CLEAR, tried, lambda c: Judgement(same, (), lambda: True)
        )
        == ()
    )


@SLOW
@given(answers(deps=st.sampled_from(["asyncpg", "httpx", "trio-websocket", "uvicorn", "xyz"])))
def test_every_flip_really_changes_the_verdict(answer: Answers) -> None:
    """On the real data, opening a flip's query gives the verdict the flip promises."""
    rec = recommend(answer)
    for flip in rec.flips:
        again = recommend(Answers.from_query(flip.query))
        assert again.verdict is flip.verdict, flip.change
        if flip.kind == "firm-up":
            assert flip.verdict is rec.verdict
        else:
            assert flip.verdict is not rec.verdict


@SLOW
@given(
    answers(
        deps=st.sampled_from(
            ["aiohttp", "asyncpg", "httpx", "playwright", "trio-websocket", "uvicorn", "xyz"]
        ),
        max_deps=4,
    )
)
# Candidates whose grade only the flip-based cap lowers (an assumed answer one step away flips).
@example(Answers.from_query("v=1&scale=small&perf=critical&kind=library"))
@example(Answers.from_query("v=1&perf=critical&codebase=asyncio&kind=library&python=3.13"))
def test_the_incremental_judge_agrees_with_a_full_recommendation(answer: Answers) -> None:
    """Every candidate the search tries, decided and graded incrementally (a few rules
    re-tested on a view of the facts), gets exactly the verdict and the grade that a full
    recommendation of its answers gets, every cap included."""
    knowledge = default_knowledge()
    judge = base_judge(answer, knowledge)
    base = recommend(answer, knowledge)
    outcome = score(
        judge.facts,
        judge.deps,
        knowledge.rules,
        knowledge.policy,
        blockers=judge.blockers,
        index=knowledge.index,
    )
    assert outcome.verdict is base.verdict
    for candidate in flip_candidates(answer, outcome, judge):
        verdict, tie, is_clear = judge(candidate)
        full = recommend(candidate.answers, knowledge)
        assert verdict is full.verdict, candidate.change
        assert is_clear() == (full.certainty is Certainty.CLEAR), candidate.change
        if verdict is not base.verdict:  # a flip: a tie is named as the headline names it
            shown = headline(full)
            expected = shown.runtimes if shown.kind is HeadlineKind.TIE else ()
            assert tie == expected, candidate.change


@given(answers(deps=st.sampled_from(["aiohttp", "httpx", "trio", "xyz"])))
def test_a_flip_link_is_the_canonical_link_of_its_answers(answer: Answers) -> None:
    """The flip search writes each link by re-encoding only the changed answer; it must be
    exactly the canonical query of the changed answers (old wiki links compare equal)."""
    parts = answer.query_parts()
    for candidate in candidates(answer, list(answer.deps), lambda name: ("httpx",)):
        if candidate.param != "deps":
            expected = candidate.answers.to_query()
            assert Answers.query_with(parts, candidate.param, candidate.value) == expected


def test_a_dependency_swap_comes_from_the_catalog(tmp_path: Path) -> None:
    """Catalogued alternatives become swaps: "If you replaced X with Y, ..."."""
    libraries = [
        library("aio-client", asyncio="native", trio="bridge", alternatives=["any-client"]),
        library("any-client", asyncio="anyio", trio="anyio", category="http-client"),
    ]
    knowledge = load_knowledge(data_dir_with(tmp_path, libraries=libraries))
    rec = recommend(Answers(deps=("aio-client",), exp_trio=Experience.EXPERT), knowledge)
    swaps = [f for f in rec.flips if f.kind == "swap"]
    assert swaps
    assert swaps[0].sentence.startswith("If you replaced aio-client with any-client")


@pytest.mark.parametrize(
    "weakness", [{"maturity": "experimental"}, {"maturity": "unmaintained"}, {"confidence": "low"}]
)
def test_a_swap_is_never_to_a_library_whose_fact_is_weak(
    tmp_path: Path, weakness: dict[str, str]
) -> None:
    """Moving a project onto an experimental, unmaintained or doubtful library is not advice:
    such an alternative is not offered as a swap (the drop still is)."""
    libraries = [
        library("aio-client", asyncio="native", trio="bridge", alternatives=["any-client"]),
        library("any-client", asyncio="anyio", trio="anyio", category="http-client", **weakness),
    ]
    knowledge = load_knowledge(data_dir_with(tmp_path, libraries=libraries))
    rec = recommend(Answers(deps=("aio-client",), exp_trio=Experience.EXPERT), knowledge)
    assert not [f for f in rec.flips if f.kind == "swap"]
    assert [f.change for f in rec.flips if f.param == "deps"] == ["without aio-client"]


def test_recommend_is_linear_in_the_number_of_dependencies(tmp_path: Path) -> None:
    """Ten times the asyncio-only dependencies cost about ten times as much, not 100x.

    A ratio of two costs measured in the same test, with a generous bound (quadratic growth,
    the fault this guards against, gives about 100x); never an absolute time.
    """
    libraries = [library(f"aiolib{i}", asyncio="native", trio="bridge") for i in range(1000)]
    knowledge = load_knowledge(data_dir_with(tmp_path, libraries=libraries))

    def cost(n: int) -> float:
        answer = Answers(deps=tuple(f"aiolib{i}" for i in range(n)))
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            recommend(answer, knowledge)
            best = min(best, time.process_time() - start)
        return best

    cost(10)  # warm-up
    assert cost(1000) / cost(100) < 35


def test_workload_changes_name_the_workload() -> None:
    """Workload flips say what the program would (not) do."""
    answer = Answers(workload=frozenset({Workload.CLI}))
    texts = {c.change: c.condition for c in candidates(answer, [], no_alternatives)}
    assert texts["workload without cli"] == "the program did not do 'cli' work"
    assert texts["workload with gui"] == "the program also did 'gui' work"


def test_cancel_flip_reads_as_a_requirement() -> None:
    """The new `cancel` answer is checked both ways, worded as a requirement."""
    answer = Answers(cancel=Cancel.NORMAL)
    (candidate,) = [c for c in candidates(answer, [], no_alternatives) if c.param == "cancel"]
    assert candidate.condition == "strict timeouts and clean cancellation were a top requirement"


def test_when_nothing_runs_every_dependency_only_dependency_changes_are_offered() -> None:
    """uvicorn + trio-websocket: raising Trio experience only moves the 'closest' runtime."""
    rec = recommend(Answers.from_query("deps=uvicorn,trio-websocket"))
    assert rec.flips
    assert {f.param for f in rec.flips} == {"deps"}


def test_a_firm_up_really_makes_the_verdict_clear() -> None:
    """Every "would be the clear choice" flip opens as a clear verdict, every cap applied."""
    for query in (
        "scale=small&codebase=trio&kind=library&cancel=critical",
        "workload=cli&scale=small",
        "deps=httpx&workload=client",
    ):
        for flip in recommend(Answers.from_query(query)).flips:
            if flip.kind == "firm-up":
                again = recommend(Answers.from_query(flip.query))
                assert again.certainty is Certainty.CLEAR, (query, flip.change)
