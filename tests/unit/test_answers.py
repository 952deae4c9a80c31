"""The questionnaire's answers and the v1 share-link codec (DESIGN.md, schema v1)."""

from __future__ import annotations

import types
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.answers import (
    ANSWER_FIELDS,
    MAX_DEPENDENCIES,
    MAX_NAME_LENGTH,
    PARAM_ALLOWED,
    Answers,
    Cancel,
    Codebase,
    Experience,
    Kind,
    Perf,
    PythonVersion,
    Scale,
    Team,
    Workload,
    is_valid_name,
    normalize_name,
    read_query,
)

from .strategies import FAST, answers, pypi_names

EVERYTHING_CHANGED = Answers(
    deps=("b", "A_x"),
    workload=frozenset({Workload.CLI, Workload.SERVER}),
    scale=Scale.LARGE,
    perf=Perf.CRITICAL,
    exp_asyncio=Experience.EXPERT,
    exp_trio=Experience.EXPERIENCED,
    team=Team.LARGE,
    codebase=Codebase.TRIO,
    kind=Kind.LIBRARY,
    python=PythonVersion.PY39,
    cancel=Cancel.CRITICAL,
)


def test_default_answers_write_only_the_version() -> None:
    """Default answers give `v=1` and nothing else: defaults are omitted."""
    assert Answers().to_query() == "v=1"


def test_to_query_uses_the_fixed_key_order_with_v_first() -> None:
    """Every non-default answer is written, `v` first, then the order of DESIGN.md's table."""
    assert EVERYTHING_CHANGED.to_query() == (
        "v=1&deps=a-x,b&workload=server,cli&scale=large&perf=critical&exp_asyncio=3"
        "&exp_trio=2&team=large&codebase=trio&kind=library&python=3.9&cancel=critical"
    )
    keys = [pair.split("=")[0] for pair in EVERYTHING_CHANGED.to_query().split("&")]
    assert keys == ["v", *ANSWER_FIELDS]


def test_equal_answers_give_equal_query_strings() -> None:
    """Answers given in another order and spelling are equal, and so are their links."""
    one = Answers(deps=("Zeta", "alpha", "zeta"), workload=frozenset({"gui", "client"}))
    two = Answers(deps=("ALPHA", "zeta"), workload=frozenset({Workload.CLIENT, Workload.GUI}))
    assert one == two
    assert one.to_query() == two.to_query() == "v=1&deps=alpha,zeta&workload=client,gui"


def test_deps_are_written_sorted_and_unique() -> None:
    """The canonical form holds deps sorted and de-duplicated after normalisation."""
    assert Answers(deps=("c", "a", "B", "a")).deps == ("a", "b", "c")


@pytest.mark.parametrize(
    "query", ["deps=httpx,trio", "deps=httpx&deps=trio", "deps=trio,httpx&deps=httpx"]
)
def test_deps_are_read_comma_separated_or_repeated(query: str) -> None:
    """`deps=a,b` and `deps=a&deps=b` both read as the same list."""
    reading = read_query(query)
    assert reading.answers.deps == ("httpx", "trio")
    assert reading.notices == ()


def test_workload_is_read_comma_separated_or_repeated() -> None:
    """Workloads, like deps, may be listed with commas or repeated parameters."""
    assert (
        read_query("workload=server,cli").answers
        == read_query("workload=server&workload=cli").answers
    )


@pytest.mark.parametrize(
    ("given", "normalised"),
    [("Foo_Bar", "foo-bar"), ("foo.bar", "foo-bar"), ("Foo__Bar..Baz", "foo-bar-baz"), ("X", "x")],
)
def test_dependency_names_are_pep503_normalised(given: str, normalised: str) -> None:
    """A dependency name in a link is matched in its PEP 503 normal form."""
    assert normalize_name(given) == normalised
    assert Answers.from_query(f"deps={given}").deps == (normalised,)


@pytest.mark.parametrize(
    ("param", "bad"),
    [
        ("scale", "huge"),
        ("perf", "fast"),
        ("exp_asyncio", "4"),
        ("exp_trio", "expert"),
        ("team", "medium"),
        ("codebase", "rust"),
        ("kind", "service"),
        ("python", "3.8"),
    ],
)
def test_bad_value_drops_only_that_parameter_and_says_why(param: str, bad: str) -> None:
    """A bad value falls back to its default, keeps every other answer, and the notice names it."""
    others = "deps=httpx&workload=gui&team=solo&codebase=sync&python=3.10"
    others = "&".join(p for p in others.split("&") if not p.startswith(param + "="))
    expected = Answers.from_query(others)
    reading = read_query(f"{others}&{param}={bad}")
    assert reading.answers == expected
    assert getattr(reading.answers, param) == getattr(Answers(), param)
    (notice,) = reading.notices
    assert notice.param == param
    assert notice.value == bad
    assert not notice.unknown_param
    assert param in notice.message
    assert bad in notice.message
    assert PARAM_ALLOWED[param] in notice.message


def test_bad_scale_notice_lists_allowed_values() -> None:
    """The notice for a bad choice lists every value the parameter allows."""
    (notice,) = read_query("scale=huge").notices
    for value in ("small", "medium", "large"):
        assert value in notice.message


def test_bad_dependency_name_drops_only_that_name() -> None:
    """An invalid name in `deps` is left out with a notice; the good names stay."""
    reading = read_query("deps=httpx,bad%20name!,trio&scale=large")
    assert reading.answers.deps == ("httpx", "trio")
    assert reading.answers.scale is Scale.LARGE
    (notice,) = reading.notices
    assert notice.param == "deps"
    assert notice.value == "bad name!"
    assert "bad name!" in notice.message


def test_more_than_the_limit_of_names_is_cut_with_notices() -> None:
    """Names beyond MAX_DEPENDENCIES are left out with one notice counting them."""
    names = [f"p{i}" for i in range(MAX_DEPENDENCIES + 2)]
    reading = read_query("deps=" + ",".join(names))
    assert len(reading.answers.deps) == MAX_DEPENDENCIES
    assert set(reading.answers.deps) == set(names[:MAX_DEPENDENCIES])
    (notice,) = reading.notices
    assert notice.value == names[MAX_DEPENDENCIES]
    assert "and 1 more names are beyond the first 500" in notice.message


def test_repeated_names_do_not_count_towards_the_limit() -> None:
    """A name repeated in any spelling is one dependency: it neither fills the limit nor warns."""
    repeats = ["a", "A", "a"] * MAX_DEPENDENCIES
    reading = read_query("deps=" + ",".join([*repeats, "B_x", "b-x", "c"]))
    assert reading.answers.deps == ("a", "b-x", "c")
    assert reading.notices == ()
    names = [f"p{i}" for i in range(MAX_DEPENDENCIES - 1)]
    reading = read_query("deps=" + ",".join([*names, "Q", "q", "r"]))
    assert "q" in reading.answers.deps
    assert [n.value for n in reading.notices] == ["r"]


def test_bad_workload_drops_only_that_workload() -> None:
    """An unknown workload is left out with a notice listing the known ones."""
    reading = read_query("workload=server,mining,cli")
    assert reading.answers.workload == {Workload.SERVER, Workload.CLI}
    (notice,) = reading.notices
    assert notice.param == "workload"
    assert "mining" in notice.message
    assert all(w.value in notice.message for w in Workload)


@pytest.mark.parametrize("name", ["foo-bar", "Foo_Bar.baz", "x", "a1"])
def test_pep508_names_are_valid(name: str) -> None:
    """Letters, digits and inner '.', '_', '-' make a valid PyPI name."""
    assert is_valid_name(name)


@pytest.mark.parametrize(
    "name", ["", "-a", "a-", "a b", "a/b", "foo\n", "ſ", "\u212a", "fooſ", "ı"]
)
def test_non_pep508_names_are_not_valid(name: str) -> None:
    """Edge separators, spaces, a trailing newline and non-ASCII letters are not PyPI names."""
    assert not is_valid_name(name)


def test_non_ascii_dependency_names_are_dropped_from_links() -> None:
    """PyPI names are ASCII: letters that match only case-insensitively ('ſ') are refused."""
    reading = read_query("deps=" + quote("ſoo") + ",httpx")
    assert reading.answers.deps == ("httpx",)
    assert [n.param for n in reading.notices] == ["deps"]


def test_repeated_choice_uses_the_last_value_with_a_notice() -> None:
    """A choice given twice takes the last value and says the earlier one was not used."""
    reading = read_query("scale=small&scale=large")
    assert reading.answers.scale is Scale.LARGE
    (notice,) = reading.notices
    assert notice.param == "scale"
    assert notice.value == "small"


def test_a_choice_repeated_with_the_same_value_needs_no_notice() -> None:
    """`python=3.10&python=3.10` loses nothing: no "'3.10' was ignored ... '3.10' was used"."""
    reading = read_query("python=3.10&python=3.10&scale=small&scale=large")
    assert reading.answers.python is PythonVersion.PY310
    assert [n.param for n in reading.notices] == ["scale"]


def test_unknown_parameter_is_ignored_with_a_notice() -> None:
    """A parameter outside the schema gives a notice flagged `unknown_param` and changes nothing."""
    reading = read_query("scale=large&colour=blue")
    assert reading.answers == Answers(scale=Scale.LARGE)
    (notice,) = reading.notices
    assert notice.unknown_param
    assert notice.param == "colour"
    assert "colour" in notice.message


def test_streamlit_embed_parameters_give_no_notice() -> None:
    """`embed` and `embed_options` belong to Streamlit's embed mode and are silently ignored."""
    reading = read_query(
        "embed=true&embed_options=show_toolbar&embed_options=dark_theme&kind=library"
    )
    assert reading.notices == ()
    assert reading.answers == Answers(kind=Kind.LIBRARY)


@pytest.mark.parametrize("version", ["2", "0", "x", "-1", "1.0", "²", "١"])
def test_unknown_schema_version_gives_a_notice_and_reads_as_v1(version: str) -> None:
    """A version this code does not know is reported, and the link is still read as v1."""
    reading = read_query(f"v={quote(version)}&scale=small")
    assert reading.schema_version == 1
    assert reading.answers == Answers(scale=Scale.SMALL)
    (notice,) = reading.notices
    assert notice.param == "v"
    assert not notice.unknown_param


def test_version_1_gives_no_notice() -> None:
    """`v=1`, the current schema, is read silently."""
    assert read_query("v=1&scale=small").notices == ()


def test_leading_question_mark_is_accepted() -> None:
    """A query copied with its leading '?' reads the same."""
    assert read_query("?scale=large").answers == Answers(scale=Scale.LARGE)


def test_mapping_input_reads_like_a_query_string() -> None:
    """A read-only mapping of parameter to value or values (as Streamlit gives) reads like text."""
    mapping = types.MappingProxyType(
        {"v": "1", "deps": ["httpx", "Trio_Websocket"], "scale": "large", "embed": "true"}
    )
    reading = read_query(mapping)
    assert reading.answers == Answers(deps=("httpx", "trio-websocket"), scale=Scale.LARGE)
    assert reading.notices == ()
    assert Answers.from_query(mapping) == reading.answers


def test_mapping_input_reports_bad_values_too() -> None:
    """Bad values in a mapping drop only themselves, with notices, as in a query string."""
    reading = read_query({"scale": "huge", "team": "large", "x": "1"})
    assert reading.answers == Answers(team=Team.LARGE)
    assert [(n.param, n.unknown_param) for n in reading.notices] == [("scale", False), ("x", True)]


def test_plain_values_are_turned_into_their_choices() -> None:
    """`Answers(scale='large', exp_trio=2)` holds the enum members and writes its query."""
    plain = Answers(scale="large", exp_trio=2, python="3.10", workload={"cli"})  # type: ignore[arg-type]
    assert plain.scale is Scale.LARGE
    assert plain.exp_trio is Experience.EXPERIENCED
    assert plain.python is PythonVersion.PY310
    assert plain == Answers(
        scale=Scale.LARGE,
        exp_trio=Experience.EXPERIENCED,
        python=PythonVersion.PY310,
        workload=frozenset({Workload.CLI}),
    )
    assert plain.to_query() == "v=1&workload=cli&scale=large&exp_trio=2&python=3.10"


@pytest.mark.parametrize(
    ("param", "bad"),
    [
        ("scale", "huge"),
        ("exp_trio", 7),
        ("python", "3.8"),
        ("kind", "service"),
        ("workload", ["x"]),
    ],
)
def test_values_outside_a_choice_are_refused(param: str, bad: object) -> None:
    """Answers built with an impossible value (directly or by `with_value`) raise ValueError."""
    with pytest.raises(ValueError, match="not a valid"):
        Answers().with_value(param, bad)


def test_with_value_changes_one_answer() -> None:
    """`with_value` returns a copy with one answer changed and the rest kept."""
    changed = EVERYTHING_CHANGED.with_value("scale", Scale.SMALL)
    assert changed.scale is Scale.SMALL
    assert changed.with_value("scale", Scale.LARGE) == EVERYTHING_CHANGED


@FAST
@given(answers())
def test_every_valid_answers_round_trips_through_its_query(original: Answers) -> None:
    """Reading the query an `Answers` writes gives the same answers back, with no notice."""
    reading = read_query(original.to_query())
    assert reading.answers == original
    assert reading.notices == ()
    assert Answers.from_query(original.to_query()) == original


@FAST
@given(st.text())
def test_reading_any_text_never_raises(text: str) -> None:
    """`read_query` returns answers for any text whatsoever."""
    assert isinstance(read_query(text).answers, Answers)


_KEYS = st.sampled_from(["v", *ANSWER_FIELDS, "embed", "embed_options", "", "deps[]"]) | st.text(
    max_size=8
)
_VALUES = (
    st.sampled_from(
        ["1", "2", "", ",", "large", "3.10", "0", "server,cli", "%", "%zz", "a,,b", "²", "١", "ſoo"]
    )
    | pypi_names
    | st.text(max_size=12)
)


@st.composite
def garbage_queries(draw: st.DrawFn) -> str:
    """Queries shaped like real links (key=value joined by '&') with any keys and values."""
    pairs = draw(st.lists(st.tuples(_KEYS, _VALUES), max_size=8))
    separator = draw(st.sampled_from(["=", "=", "==", ""]))
    escape = draw(st.booleans())
    parts = [
        (quote(k) if escape else k) + separator + (quote(v) if escape else v) for k, v in pairs
    ]
    return draw(st.sampled_from(["", "?"])) + "&".join(parts)


@FAST
@given(garbage_queries())
def test_reading_structured_garbage_never_raises(query: str) -> None:
    """Plausible-looking queries with arbitrary keys and values are read without raising."""
    reading = read_query(query)
    assert isinstance(reading.answers, Answers)
    assert all(n.param is not None and n.message for n in reading.notices)


@FAST
@given(st.dictionaries(_KEYS, st.one_of(_VALUES, st.lists(_VALUES, max_size=3)), max_size=6))
def test_reading_any_mapping_never_raises(mapping: dict[str, str | list[str]]) -> None:
    """A mapping of arbitrary keys to values or lists of values is read without raising."""
    assert isinstance(read_query(mapping).answers, Answers)


@FAST
@given(st.one_of(garbage_queries(), st.text()))
def test_reading_then_writing_is_idempotent(query: str) -> None:
    """Whatever a link held, the link written from what was read reads back the same, silently."""
    first = read_query(query).answers
    written = first.to_query()
    second = read_query(written)
    assert second.answers == first
    assert second.notices == ()
    assert second.answers.to_query() == written


def test_a_very_long_deps_value_is_cut_with_a_notice_and_keeps_every_other_answer() -> None:
    """Long links never silently lose answers: the cut is announced, later parameters kept."""
    names = ",".join(f"package-number-{i}" for i in range(10_000))
    reading = read_query(f"deps={names}&scale=large&kind=library&cancel=critical")
    assert reading.answers.scale is Scale.LARGE
    assert reading.answers.kind is Kind.LIBRARY
    assert reading.answers.cancel is Cancel.CRITICAL
    assert len(reading.answers.deps) == MAX_DEPENDENCIES
    messages = " ".join(n.message for n in reading.notices)
    assert "was cut" in messages
    assert "the other parameters were read in full" in messages


@pytest.mark.parametrize("length", [MAX_NAME_LENGTH + 1, 1_000, 100_000])
def test_an_over_long_name_is_dropped_alone_and_named(length: int) -> None:
    """A name over the limit is left out with a notice naming it (shortened); the valid names
    around it are kept, whether the value is short or over the whole-value limit."""
    huge = "httpx" + "a" * (length - 5)
    reading = read_query(f"deps=anyio,{huge},trio&scale=large")
    assert reading.answers.deps == ("anyio", "trio")
    assert reading.answers.scale is Scale.LARGE
    (notice,) = reading.notices
    assert notice.param == "deps"
    assert "httpxaaaa" in notice.message
    assert f"{length:,} characters" in notice.message
    assert len(notice.message) < 300


def test_a_name_at_the_limit_is_kept() -> None:
    """The bound itself is allowed: only longer names are refused."""
    name = "a" * MAX_NAME_LENGTH
    reading = read_query(f"deps={name},trio")
    assert reading.answers.deps == (name, "trio")
    assert reading.notices == ()


def test_a_cut_list_names_the_first_name_left_out() -> None:
    """Past the whole-value limit the cut falls between names and says which were lost."""
    names = [f"package-number-{i}" for i in range(10_000)]
    reading = read_query("deps=" + ",".join(names))
    kept = set(reading.answers.deps)
    assert kept <= set(names)
    cut = next(n for n in reading.notices if "was cut" in n.message)
    first_lost = cut.message.split("from '", 1)[1].split("'", 1)[0]
    assert first_lost in names
    assert names.index(first_lost) > 500


def test_a_mapping_with_missing_or_odd_values_is_read_without_raising() -> None:
    """Reading never raises: None means no value, numbers are read as their text."""
    answers = Answers.from_query({"scale": None, "exp_trio": 2, "kind": ["app", "library"]})
    assert answers.scale is Scale.MEDIUM
    assert answers.exp_trio is Experience.EXPERIENCED
    assert answers.kind is Kind.LIBRARY


@pytest.mark.parametrize("field", ["deps", "workload"])
def test_a_string_where_a_collection_belongs_is_refused(field: str) -> None:
    """`Answers(deps="fastapi")` must not become six one-letter names."""
    with pytest.raises(TypeError, match="not a string"):
        Answers(**{field: "fastapi"})  # type: ignore[arg-type]


def test_reading_a_long_query_is_linear() -> None:
    """Ten times the query costs about ten times as much (a ratio, never an absolute time)."""
    import time

    def cost(n: int) -> float:
        query = "&".join(f"x{i}=y" for i in range(n)) + "&deps=" + ",".join("a" * n)
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            read_query(query)
            best = min(best, time.process_time() - start)
        return best

    cost(1_000)
    assert cost(100_000) / cost(10_000) < 30


def test_a_query_of_the_wrong_type_is_refused_and_bytes_are_read() -> None:
    """bytes are read as UTF-8; None or a number is a programming mistake, not an empty link."""
    assert Answers.from_query(b"deps=httpx").deps == ("httpx",)
    for wrong in (None, 123):
        with pytest.raises(TypeError, match="query is a string"):
            Answers.from_query(wrong)  # type: ignore[arg-type]
