"""Counterfactual flips: the smallest single-answer changes that change the verdict."""

from __future__ import annotations

from enum import Enum

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.answers import Answers, Codebase, Experience, Kind, Perf, Scale, Workload
from advisor.engine import Knowledge, recommend
from advisor.flips import find_flips
from advisor.recommendation import Flip
from advisor.rules.model import Runtime

from .strategies import SLOW, answers, pypi_names

ORDERED = ("exp_asyncio", "exp_trio", "scale", "team", "python")
UNORDERED = ("perf", "codebase", "kind")
PARAM_ORDER = (
    "deps",
    "workload",
    "scale",
    "perf",
    "exp_asyncio",
    "exp_trio",
    "team",
    "codebase",
    "kind",
    "python",
    "cancel",
)


@st.composite
def catalogued_answers(draw: st.DrawFn, knowledge: Knowledge) -> Answers:
    names = [lib.name for lib in knowledge.catalog.libraries]
    return draw(answers(deps=st.sampled_from(names) | pypi_names, max_deps=6))


def verdict(knowledge: Knowledge, answer: Answers) -> Runtime:
    return recommend(answer, knowledge).verdict


@SLOW
@given(data=st.data())
def test_every_flip_really_changes_the_verdict(knowledge: Knowledge, data: st.DataObject) -> None:
    """Opening a flip's link gives the flip's verdict, which differs from the base verdict."""
    answer = data.draw(catalogued_answers(knowledge))
    base = recommend(answer, knowledge)
    for flip in base.flips:
        changed = Answers.from_query(flip.query)
        assert flip.verdict is not base.verdict
        assert verdict(knowledge, changed) is flip.verdict, flip
        differing = [p for p in PARAM_ORDER if getattr(changed, p) != getattr(answer, p)]
        assert differing == [flip.param], flip


def flips_for(base_flips: tuple[Flip, ...], param: str) -> list[Answers]:
    return [Answers.from_query(f.query) for f in base_flips if f.param == param]


@SLOW
@given(data=st.data())
def test_ordered_answers_flip_only_at_the_nearest_value_each_way(
    knowledge: Knowledge, data: st.DataObject
) -> None:
    """For ordered choices, each direction reports only the first value that changes the verdict."""
    answer = data.draw(catalogued_answers(knowledge))
    base = recommend(answer, knowledge)
    for param in ORDERED:
        members: list[Enum] = list(type(getattr(answer, param)))
        here = members.index(getattr(answer, param))
        reported = {members.index(getattr(a, param)) for a in flips_for(base.flips, param)}
        for step in (-1, 1):
            walk = range(here + step, len(members) if step > 0 else -1, step)
            flipping = [
                i
                for i in walk
                if verdict(knowledge, answer.with_value(param, members[i])) is not base.verdict
            ]
            expected = {flipping[0]} if flipping else set()
            got = {i for i in reported if (i - here) * step > 0}
            assert got == expected, (param, step, base.flips)


@SLOW
@given(data=st.data())
def test_every_flipping_single_change_is_reported(
    knowledge: Knowledge, data: st.DataObject
) -> None:
    """A dropped dependency, toggled workload or changed unordered choice is a flip iff it flips."""
    answer = data.draw(catalogued_answers(knowledge))
    base = recommend(answer, knowledge)
    candidates: dict[str, list[Answers]] = {
        "deps": [
            answer.with_value("deps", tuple(d for d in answer.deps if d != dep))
            for dep in answer.deps
        ],
        "workload": [answer.with_value("workload", answer.workload ^ {w}) for w in Workload],
    }
    for param in UNORDERED:
        current = getattr(answer, param)
        candidates[param] = [answer.with_value(param, v) for v in type(current) if v != current]
    for param, changes in candidates.items():
        expected = {c for c in changes if verdict(knowledge, c) is not base.verdict}
        assert set(flips_for(base.flips, param)) == expected, param


def test_flips_are_sorted_by_distance_then_parameter() -> None:
    """Nearer changes come first; among equals, the order of the share-link parameters."""
    answer = Answers(exp_trio=Experience.BASIC, scale=Scale.SMALL, deps=("a",))

    def trio_when(changed: Answers, param: str, kept: tuple[int, ...] | None) -> Runtime:
        wanted = (
            changed.exp_trio is Experience.EXPERT
            or changed.scale is Scale.LARGE
            or Workload.GUI in changed.workload
            or changed.deps == ()
        )
        return Runtime.TRIO if wanted else Runtime.ASYNCIO

    flips = find_flips(answer, Runtime.ASYNCIO, trio_when)
    assert [f.change for f in flips] == [
        "without a",
        "workload with gui",
        "scale=large",
        "exp_trio=3",
    ]


def test_flip_change_text_names_the_change(knowledge: Knowledge) -> None:
    """A flip reads as 'without NAME', 'workload with X' or 'param=value'."""
    answer = Answers(deps=("asyncpg",), exp_trio=Experience.EXPERT, codebase=Codebase.TRIO)
    flips = recommend(answer, knowledge).flips
    for flip in flips:
        changed = Answers.from_query(flip.query)
        if flip.param == "deps":
            (dropped,) = set(answer.deps) - set(changed.deps)
            assert flip.change == f"without {dropped}"
        elif flip.param == "workload":
            (toggled,) = answer.workload ^ changed.workload
            word = "with" if toggled in changed.workload else "without"
            assert flip.change == f"workload {word} {toggled.value}"
        else:
            value = getattr(changed, flip.param)
            assert flip.change == f"{flip.param}={value.value}"


def test_find_flips_asks_only_about_single_changes() -> None:
    """The search calls the verdict function once per single change, never for combinations."""
    answer = Answers(deps=("a", "b"), perf=Perf.CRITICAL, kind=Kind.LIBRARY, scale=Scale.SMALL)
    asked: list[tuple[str, Answers]] = []

    def everything_is_trio(changed: Answers, param: str, kept: tuple[int, ...] | None) -> Runtime:
        asked.append((param, changed))
        if param == "deps":
            assert kept is not None
            assert tuple(answer.deps[i] for i in kept) == changed.deps
        return Runtime.TRIO

    flips = find_flips(answer, Runtime.ASYNCIO, everything_is_trio)
    for param, changed in asked:
        assert [p for p in PARAM_ORDER if getattr(changed, p) != getattr(answer, p)] == [param]
    # deps 2 + workload 7 + unordered (perf 1, codebase 3, kind 1, cancel 1)
    # + one step each way on each ordered choice
    ordered_steps = sum(
        (here > 0) + (here < len(type(v)) - 1)
        for v in (getattr(answer, p) for p in ORDERED)
        for here in [list(type(v)).index(v)]
    )
    assert len(asked) == 2 + 7 + 6 + ordered_steps
    assert len(flips) == len(asked)
    assert {f.verdict for f in flips} == {Runtime.TRIO}


@pytest.mark.parametrize("same", [Runtime.ASYNCIO, Runtime.TRIO])
def test_no_flips_when_nothing_changes_the_verdict(same: Runtime) -> None:
    """If every change keeps the verdict, there is nothing to report."""
    assert find_flips(Answers(deps=("x",)), same, lambda a, p, k: same) == ()
