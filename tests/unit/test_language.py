"""The rule condition language: parsing, type checking, evaluation, and what it refuses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import operator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.answers import Answers, Experience, PythonVersion, Scale, Workload
from advisor.catalog import AsyncioSupport, Confidence, Library, LibraryRole, TrioSupport
from advisor.facts import DependencyFacts, Facts, derive_facts, summarize_dependencies
from advisor.rules.language import (
    MAX_CONDITION_LENGTH,
    Condition,
    ConditionError,
    Vocabulary,
    parse_condition,
    reads_any,
)

from .strategies import FAST

Vocabularies = tuple[Vocabulary, Vocabulary]


def facts(**changes: object) -> Facts:
    """Facts of default answers and no dependencies, with some fields changed."""
    base = derive_facts(Answers(), summarize_dependencies(()))
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def dependency(**changes: object) -> DependencyFacts:
    """One catalogued dependency's facts, with some fields changed."""
    lib = Library(
        name="lib",
        key="lib",
        aliases=(),
        category="database",
        asyncio=AsyncioSupport.NATIVE,
        trio=TrioSupport.BRIDGE,
        trio_since=None,
        note="n",
        evidence="https://example.org",
        checked_version="1",
        checked_on=dt.date(2026, 1, 1),
        confidence=Confidence.HIGH,
    )
    base = DependencyFacts(
        name="lib",
        category="database",
        asyncio=AsyncioSupport.NATIVE,
        trio=TrioSupport.BRIDGE,
        confidence=Confidence.HIGH,
        role=LibraryRole.LIBRARY,
        library=lib,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def parse(text: str, vocabularies: Vocabularies) -> Condition:
    return parse_condition(text, vocabularies[0])


def error_of(text: str, vocabularies: Vocabularies) -> ConditionError:
    with pytest.raises(ConditionError) as caught:
        parse(text, vocabularies)
    return caught.value


@pytest.mark.parametrize(
    ("text", "changes", "expected"),
    [
        ("scale == 'large'", {"scale": Scale.LARGE}, True),
        ("scale == 'large'", {"scale": Scale.SMALL}, False),
        ("scale != 'large'", {"scale": Scale.SMALL}, True),
        ("scale != 'large'", {"scale": Scale.LARGE}, False),
        ("'large' == scale", {"scale": Scale.LARGE}, True),
        ("exp_trio == 2", {"exp_trio": Experience.EXPERIENCED}, True),
        ("exp_trio != 2", {"exp_trio": Experience.EXPERIENCED}, False),
        ("n_deps == 0", {}, True),
        ("exp_trio == exp_asyncio", {"exp_trio": Experience.BASIC}, True),
        ("exp_trio != exp_asyncio", {"exp_trio": Experience.BASIC}, False),
    ],
)
def test_equality_compares_values(
    vocabularies: Vocabularies, text: str, changes: dict[str, object], expected: bool
) -> None:
    """`==` and `!=` compare a name with a literal or with another name of the same kind."""
    assert parse(text, vocabularies)(facts(**changes)) is expected


ORDER_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
PYTHONS = list(PythonVersion)


@pytest.mark.parametrize(("op", "bound"), list(itertools.product(ORDER_OPS, PYTHONS)))
def test_python_versions_are_ordered_as_versions(
    vocabularies: Vocabularies, op: str, bound: PythonVersion
) -> None:
    """`python < '3.11'` orders '3.9' before '3.10', unlike a string comparison."""
    condition = parse(f"python {op} '{bound.value}'", vocabularies)
    for value in PYTHONS:
        expected = ORDER_OPS[op](PYTHONS.index(value), PYTHONS.index(bound))
        assert condition(facts(python=value)) is expected, (value, op, bound)


def test_python_order_differs_from_string_order(vocabularies: Vocabularies) -> None:
    """The cases a string comparison gets wrong come out right."""
    assert parse("python < '3.10'", vocabularies)(facts(python=PythonVersion.PY39))
    assert not parse("python >= '3.10'", vocabularies)(facts(python=PythonVersion.PY39))
    assert parse("python > '3.9'", vocabularies)(facts(python=PythonVersion.PY310))
    assert parse("'3.9' < python", vocabularies)(facts(python=PythonVersion.PY314))


@pytest.mark.parametrize("op", ORDER_OPS)
def test_ordered_enums_follow_their_declared_order(vocabularies: Vocabularies, op: str) -> None:
    """Scale compares small < medium < large (alphabetical order would put large first)."""
    scales = list(Scale)
    for left, right in itertools.product(scales, scales):
        condition = parse(f"scale {op} '{right.value}'", vocabularies)
        expected = ORDER_OPS[op](scales.index(left), scales.index(right))
        assert condition(facts(scale=left)) is expected


def test_integer_comparisons_and_name_to_name(vocabularies: Vocabularies) -> None:
    """Numbers and experience levels compare numerically, with a literal or another name."""
    assert parse("exp_trio >= 2", vocabularies)(facts(exp_trio=Experience.EXPERT))
    assert not parse("exp_trio >= 2", vocabularies)(facts(exp_trio=Experience.BASIC))
    trio_ahead = parse("exp_trio > exp_asyncio", vocabularies)
    assert trio_ahead(facts(exp_trio=Experience.EXPERT, exp_asyncio=Experience.EXPERIENCED))
    assert not trio_ahead(facts(exp_trio=Experience.BASIC, exp_asyncio=Experience.BASIC))
    assert parse("2 <= deps_trio_bridge", vocabularies)(facts(deps_trio_bridge=3))
    assert not parse("2 > deps_trio_bridge", vocabularies)(facts(deps_trio_bridge=3))


def test_chained_comparison_holds_only_when_every_link_holds(vocabularies: Vocabularies) -> None:
    """`1 <= n_deps < 3` is true exactly for 1 and 2."""
    condition = parse("1 <= n_deps < 3", vocabularies)
    assert [n for n in range(6) if condition(facts(n_deps=n))] == [1, 2]
    assert condition.names == frozenset({"n_deps"})


def test_chained_comparison_of_two_names(vocabularies: Vocabularies) -> None:
    """`0 < exp_asyncio < exp_trio` chains through a name."""
    condition = parse("0 < exp_asyncio < exp_trio", vocabularies)
    assert condition(facts(exp_asyncio=Experience.BASIC, exp_trio=Experience.EXPERT))
    assert not condition(facts(exp_asyncio=Experience.NONE, exp_trio=Experience.EXPERT))
    assert not condition(facts(exp_asyncio=Experience.EXPERT, exp_trio=Experience.EXPERT))


@pytest.mark.parametrize(
    ("text", "changes", "expected"),
    [
        ("'server' in workload", {"workload": frozenset({Workload.SERVER})}, True),
        ("'server' in workload", {"workload": frozenset({Workload.CLI})}, False),
        ("'server' not in workload", {"workload": frozenset()}, True),
        ("'server' not in workload", {"workload": frozenset({Workload.SERVER})}, False),
        ("'httpx' in deps", {"deps": frozenset({"httpx"})}, True),
        ("'database' in dep_categories", {"dep_categories": frozenset({"database"})}, True),
        ("'database' not in dep_categories", {"dep_categories": frozenset({"database"})}, False),
        ("scale in ('small', 'large')", {"scale": Scale.LARGE}, True),
        ("scale in ('small', 'large')", {"scale": Scale.MEDIUM}, False),
        ("scale not in ('small', 'large')", {"scale": Scale.MEDIUM}, True),
        ("scale in ['medium']", {"scale": Scale.MEDIUM}, True),
        ("scale in {'medium'}", {"scale": Scale.MEDIUM}, True),
        ("exp_trio in (2, 3)", {"exp_trio": Experience.EXPERT}, True),
        ("exp_trio not in (2, 3)", {"exp_trio": Experience.EXPERT}, False),
        ("python in ('3.9', '3.10')", {"python": PythonVersion.PY310}, True),
    ],
)
def test_membership_on_sets_and_literal_lists(
    vocabularies: Vocabularies, text: str, changes: dict[str, object], expected: bool
) -> None:
    """`in` / `not in` test a string in a set name, or a name in a literal list."""
    assert parse(text, vocabularies)(facts(**changes)) is expected


@pytest.mark.parametrize(("scale", "server"), list(itertools.product(Scale, (True, False))))
def test_boolean_operators_follow_their_truth_tables(
    vocabularies: Vocabularies, scale: Scale, server: bool
) -> None:
    """`and`, `or`, `not` and parentheses combine conditions as in Python."""
    f = facts(scale=scale, workload=frozenset({Workload.SERVER}) if server else frozenset())
    large = scale is Scale.LARGE
    cases = {
        "scale == 'large' and 'server' in workload": large and server,
        "scale == 'large' or 'server' in workload": large or server,
        "not scale == 'large'": not large,
        "not (scale == 'large' and 'server' in workload)": not (large and server),
        "not scale == 'large' or not 'server' in workload": not large or not server,
        "scale == 'small' or scale == 'large' and 'server' in workload": (
            scale is Scale.SMALL or (large and server)
        ),
        "True and 'server' in workload": server,
        "False or scale == 'large'": large,
    }
    for text, expected in cases.items():
        assert parse(text, vocabularies)(f) is expected, text


def test_constants_true_and_false(vocabularies: Vocabularies) -> None:
    """The bare constants always and never hold, and read no name."""
    always, never = parse("True", vocabularies), parse("False", vocabularies)
    assert always(facts()) is True
    assert never(facts()) is False
    assert always.names == never.names == frozenset()


def test_dependency_conditions_use_the_dependency_vocabulary(vocabularies: Vocabularies) -> None:
    """Blocker conditions read a dependency's own facts, not the project's."""
    dep_vocabulary = vocabularies[1]
    bridge = parse_condition("trio == 'bridge'", dep_vocabulary)
    assert bridge(dependency())
    assert not bridge(dependency(trio=TrioSupport.NATIVE))
    assert parse_condition("category == 'database' and asyncio != 'none'", dep_vocabulary)(
        dependency()
    )
    with pytest.raises(ConditionError, match="unknown name 'library'"):
        parse_condition("library == 'x'", dep_vocabulary)
    with pytest.raises(ConditionError, match="unknown name 'scale'"):
        parse_condition("scale == 'large'", dep_vocabulary)


def test_condition_keeps_its_text_and_the_names_it_reads(vocabularies: Vocabularies) -> None:
    """`Condition.names` lists every name read; `text` is the source for the page."""
    text = "  scale == 'large' and 'server' in workload or exp_trio > exp_asyncio  "
    condition = parse(text, vocabularies)
    assert condition.text == text.strip()
    assert condition.names == frozenset({"scale", "workload", "exp_trio", "exp_asyncio"})
    assert parse("1 < n_deps", vocabularies).names == frozenset({"n_deps"})


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("scal", "scale"), ("workloads", "workload"), ("exp_trioo", "exp_trio"), ("n_dep", "n_deps")],
)
def test_unknown_name_suggests_the_closest(
    vocabularies: Vocabularies, typo: str, meant: str
) -> None:
    """A misspelt name fails at parse time with a "did you mean" suggestion as data."""
    error = error_of(f"{typo} == 1 or True", vocabularies)
    assert error.name == typo
    assert error.suggestion == meant
    assert f"did you mean '{meant}'?" in error.problem


def test_unknown_name_without_a_close_match_has_no_suggestion(vocabularies: Vocabularies) -> None:
    """A name like nothing known fails without a suggestion."""
    error = error_of("zzzzzz == 1", vocabularies)
    assert error.suggestion is None
    assert "unknown name 'zzzzzz'" in error.problem


@pytest.mark.parametrize(
    ("text", "bad", "meant"),
    [
        ("scale == 'lage'", "lage", "large"),
        ("'sever' in workload", "sever", "server"),
        ("codebase in ('asyncio', 'tiro')", "tiro", "trio"),
        ("team == 'smal'", "smal", "small"),
        ("'databse' in dep_categories", "databse", "database"),
    ],
)
def test_unknown_literal_value_suggests_the_closest(
    vocabularies: Vocabularies, text: str, bad: str, meant: str
) -> None:
    """A literal that its name can never hold fails with a suggestion and the allowed values."""
    error = error_of(text, vocabularies)
    assert error.name == bad
    assert error.suggestion == meant
    assert f"did you mean '{meant}'?" in error.problem
    assert "allowed:" in error.problem


@pytest.mark.parametrize(
    "text",
    [
        "codebase < 'trio'",  # ordering an unordered enum
        "perf >= 'normal'",
        "kind > kind",
        "n_deps",  # an int used as a bool
        "n_deps and scale == 'large'",
        "not exp_trio",
        "scale",  # an enum used as a bool
        "workload == 'server'",  # a set compared with ==
        "deps != 'httpx'",
        "'server' == workload",
        "n_deps == 'three'",  # wrong literal kinds
        "scale == 3",
        "scale == True",
        "n_deps == True",
        "exp_trio in ('2', '3')",
        "'server' in scale",  # membership in a non-set
        "scale in workload",
        "workload in ('server',)",  # a set on the left of a literal list
        "3 in workload",
        "scale == team",  # names of different kinds
        "exp_trio == n_deps and scale == python",
        "1 == 1",  # no name at all
        "'a' in ('a', 'b')",
        "('a',) == scale",
        "scale == ('small',)",
        "scale in ('small', n_deps)",
    ],
)
def test_type_errors_fail_at_parse_time(vocabularies: Vocabularies, text: str) -> None:
    """Comparisons that make no sense for the names' types are refused when parsed."""
    error_of(text, vocabularies)


FORBIDDEN = [
    "len(deps) > 1",
    "scale.value == 'large'",
    "workload[0] == 'server'",
    "(lambda: True)()",
    "scale == f'{scale}'",
    "n_deps + 1 > 2",
    "-n_deps < 0",
    "n_deps > 1.5",
    "scale is 'large'",
    "[x for x in workload]",
    "scale == 'large' if True else False",
    "(n := 1) == 1",
    "scale == None",
    "scale in (*workload,)",
    "{'a': 1}",
    "...",
    "'text'",
    "1",
]


@pytest.mark.parametrize("text", FORBIDDEN)
def test_forbidden_syntax_is_refused(vocabularies: Vocabularies, text: str) -> None:
    """Calls, attributes, subscripts, lambdas, f-strings, arithmetic and the like are refused."""
    error_of(text, vocabularies)


@pytest.mark.parametrize(
    "template",
    [
        "__import__('os').system('touch {path}')",
        "__import__('pathlib').Path('{path}').touch() or True",
        "scale == 'large' and __import__('os').system('touch {path}') == 0",
        "open('{path}', 'w') and True",
        "scale in ('small',) == __import__('os').system('touch {path}')",
        "scale in ('small',) != (lambda: __import__('os').system('touch {path}'))()",
        "n_deps < 1 in (1,) == open('{path}', 'w')",
    ],
)
def test_nothing_is_evaluated_while_parsing_or_refusing(
    vocabularies: Vocabularies, tmp_path: Path, template: str
) -> None:
    """A condition that would create a file if evaluated is refused, and no file appears."""
    path = tmp_path / "evaluated"
    with pytest.raises(ConditionError):
        parse(template.format(path=path), vocabularies)
    assert not path.exists()


def test_a_literal_list_must_end_a_chained_comparison(vocabularies: Vocabularies) -> None:
    """Nothing after `in (...)` in a chain is silently dropped: such a chain is refused."""
    with pytest.raises(ConditionError):
        parse("scale in ('small', 'large') == 'medium'", vocabularies)
    with pytest.raises(ConditionError):
        parse("scale in ('small',) != nonexistent_name", vocabularies)


@pytest.mark.parametrize("text", ["", "   ", "scale ==", "scale == 'large' and", "(scale"])
def test_empty_or_unparsable_text_is_refused(vocabularies: Vocabularies, text: str) -> None:
    """Blank text and syntax errors fail with `ConditionError`."""
    error_of(text, vocabularies)


def test_overlong_condition_is_refused_before_parsing(vocabularies: Vocabularies) -> None:
    """A condition longer than the limit fails without being parsed."""
    text = " or ".join(["scale == 'large'"] * (MAX_CONDITION_LENGTH // 10))
    assert len(text) > MAX_CONDITION_LENGTH
    error = error_of(text, vocabularies)
    assert str(MAX_CONDITION_LENGTH) in error.problem


def test_fact_vocabulary_is_declared_by_the_facts_dataclass(vocabularies: Vocabularies) -> None:
    """Every `Facts` field is a condition name with its kind; ordered ones allow < and >."""
    vocabulary = vocabularies[0]
    assert set(vocabulary) == {f.name for f in dataclasses.fields(Facts)}
    assert vocabulary["scale"].kind == "enum"
    assert vocabulary["scale"].ordered
    assert not vocabulary["codebase"].ordered
    assert vocabulary["exp_trio"].kind == "int"
    assert vocabulary["workload"].kind == "set"
    assert vocabulary["workload"].values == tuple(w.value for w in Workload)
    assert vocabulary["dep_categories"].values == ("database", "http-client")
    assert vocabulary["deps"].values is None


_TOKENS = st.sampled_from(
    [
        "scale",
        "python",
        "workload",
        "deps",
        "n_deps",
        "exp_trio",
        "exp_asyncio",
        "dep_categories",
        "'large'",
        "'3.10'",
        "'server'",
        "'database'",
        "2",
        "True",
        "==",
        "!=",
        "<",
        ">=",
        "in",
        "not in",
        "and",
        "or",
        "not",
        "(",
        ")",
        ",",
        "[",
        "]",
        "__import__",
        ".",
        "x",
    ]
)


@FAST
@given(text=st.lists(_TOKENS, min_size=1, max_size=12).map(" ".join) | st.text(max_size=60))
def test_any_text_either_parses_to_a_predicate_or_raises_condition_error(
    vocabularies: Vocabularies, text: str
) -> None:
    """No input makes the parser fail with anything but `ConditionError`; what parses evaluates."""
    try:
        condition = parse(text, vocabularies)
    except ConditionError:
        return
    assert condition.names <= set(vocabularies[0])
    for changes in ({}, {"scale": Scale.LARGE, "n_deps": 3, "exp_trio": Experience.EXPERT}):
        assert isinstance(condition(facts(**changes)), bool)


def test_a_set_tested_only_for_members_is_read_per_member(vocabularies: Vocabularies) -> None:
    """`'cli' in workload` reads `workload[cli]`: adding or removing another workload cannot
    change it, so the flip search skips it; a change to the whole set still reaches it."""
    condition = parse("'server' in workload and scale == 'large'", vocabularies)
    assert condition.reads == {"workload[server]", "scale"}
    assert reads_any(condition, frozenset({"workload[server]"}))
    assert not reads_any(condition, frozenset({"workload[cli]"}))
    assert reads_any(condition, frozenset({"workload"}))
    assert reads_any(condition, frozenset({"scale"}))
    assert not reads_any(condition, frozenset({"perf"}))
