"""The Python floor a dependency file states: every format, the mapping rule, bad ranges."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from advisor.answers import PythonVersion
from advisor.deps.detect import read_text
from advisor.deps.python_floor import (
    MAX_SPECIFIER_CHARS,
    Syntax,
    decide_floor,
    floor_of,
    python_answer,
    read_statement,
)
from advisor.deps.reading import DependencyFileError, FileFormat
from advisor.deps.resolve import combine, resolve
from advisor.engine import Knowledge

FUZZ = settings(max_examples=200, deadline=None, database=None)


def only_floor(text: str) -> tuple[str, str, int]:
    """The one floor a file states: (version, key, line)."""
    reading = read_text(text)
    assert len(reading.python_floors) == 1, reading.notices
    floor = reading.python_floors[0]
    return floor.version.value, floor.key, floor.line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[project]\nname = "svc"\nrequires-python = ">=3.10"\ndependencies = ["httpx"]\n',
            ("3.10", "[project] requires-python", 3),
        ),
        (
            '[tool.poetry]\nname = "svc"\n\n[tool.poetry.dependencies]\nhttpx = "*"\n'
            'python = "^3.11"\n',
            ("3.11", "[tool.poetry.dependencies] python", 6),
        ),
        (
            '[packages]\nhttpx = "*"\n\n[requires]\npython_version = "3.12"\n',
            ("3.12", "[requires] python_version", 5),
        ),
        (
            '[packages]\nhttpx = "*"\n[requires]\npython_full_version = "3.10.4"\n',
            ("3.10", "[requires] python_full_version", 4),
        ),
        (
            'version = 1\nrequires-python = ">=3.13"\n\n[[package]]\nname = "httpx"\n'
            'version = "0.27.0"\n',
            ("3.13", "requires-python", 2),
        ),
        (
            '[[package]]\nname = "httpx"\nversion = "0.27.0"\n\n[metadata]\n'
            'lock_version = "4.5"\nrequires_python = ">=3.9"\n',
            ("3.9", "[metadata] requires_python", 7),
        ),
        (
            '[[package]]\nname = "httpx"\nversion = "0.27.0"\n\n[metadata]\n'
            'lock-version = "2.0"\npython-versions = "^3.12"\n',
            ("3.12", "[metadata] python-versions", 7),
        ),
        (
            json.dumps(
                {"_meta": {"requires": {"python_version": "3.11"}}, "default": {}}, indent=1
            ),
            ("3.11", "_meta.requires.python_version", 4),
        ),
    ],
    ids=[
        "pep621",
        "poetry",
        "pipfile",
        "pipfile-full",
        "uv-lock",
        "pdm-lock",
        "poetry-lock",
        "pipfile-lock",
    ],
)
def test_each_format_states_its_floor_with_key_and_line(
    text: str, expected: tuple[str, str, int]
) -> None:
    """Every format that states a Python range gives its floor, the key and the key's line."""
    assert only_floor(text) == expected


def test_requirements_lines_state_no_floor() -> None:
    """A requirements file has no Python range (a `python_version` marker is not one)."""
    assert read_text('httpx\nexceptiongroup; python_version < "3.11"\n').python_floors == ()


def test_a_pyproject_without_a_range_states_no_floor() -> None:
    """No requires-python and no Poetry `python`: no floor, and nothing said about one."""
    reading = read_text('[project]\nname = "x"\ndependencies = ["httpx"]\n')
    assert reading.python_floors == ()
    assert not [n for n in reading.notices if "Python" in n]


def test_poetry_python_is_not_read_as_a_package_but_as_the_floor() -> None:
    """Poetry's `python` key stays out of the dependencies and becomes the floor."""
    reading = read_text('[tool.poetry.dependencies]\npython = "~3.10"\nanyio = "^4"\n')
    assert reading.names == ("anyio",)
    assert [f.version for f in reading.python_floors] == [PythonVersion.PY310]


@pytest.mark.parametrize(
    ("stated", "syntax", "expected"),
    [
        (">=3.9", Syntax.PEP440, "3.9"),
        (">=3.10,<4", Syntax.PEP440, "3.10"),
        ("~=3.12", Syntax.PEP440, "3.12"),
        (">3.9", Syntax.PEP440, "3.9"),  # admits 3.9.1
        (">=3.9.2", Syntax.PEP440, "3.9"),  # still a 3.9 project
        (">3.9.*,<4", None, None),  # malformed: a wildcard needs == or !=
        (">=3.9,!=3.9.*", Syntax.PEP440, "3.10"),
        (">=3.10.0rc1", Syntax.PEP440, "3.10"),
        ("==3.11", Syntax.PEP440, "3.11"),
        ("==3.11.*", Syntax.PEP440, "3.11"),
        (">=3.9,!=3.9.0,!=3.9.1", Syntax.PEP440, "3.9"),  # 3.9.2 is admitted
        ("^3.11", Syntax.POETRY, "3.11"),
        ("~3.10", Syntax.POETRY, "3.10"),
        (">=3.9,<4.0", Syntax.POETRY, "3.9"),
        ("^3.12 || ^3.10", Syntax.POETRY, "3.10"),
        ("3.13", Syntax.PIPENV, "3.13"),
        ("3.9.18", Syntax.PIPENV_FULL, "3.9"),
    ],
)
def test_the_floor_is_the_oldest_choice_with_an_admitted_release(
    stated: str, syntax: Syntax | None, expected: str | None
) -> None:
    """The mapping rule of the module docstring, on the cases it names."""
    statement = read_statement(stated, syntax or Syntax.PEP440, key="k", file="f")
    assert statement is not None
    if expected is None:
        assert statement.floor is None
        assert "is not a Python range" in statement.message
    else:
        assert statement.floor is not None, statement.message
        assert statement.floor.version.value == expected
        assert statement.floor.note == ""


@pytest.mark.parametrize("stated", [">=3.7", "<4", ">=2.7,!=3.0.*", "^3.6"])
def test_a_range_reaching_below_the_oldest_choice_maps_to_it_with_a_note(stated: str) -> None:
    """Floors older than 3.9 become 3.9, and the note says the file allows older Pythons."""
    syntax = Syntax.POETRY if stated.startswith("^") else Syntax.PEP440
    statement = read_statement(stated, syntax, key="k", file="f")
    assert statement is not None
    assert statement.floor is not None
    assert statement.floor.version is PythonVersion.PY39
    assert "older than the questionnaire's oldest choice (3.9)" in statement.floor.note


@pytest.mark.parametrize(
    ("stated", "problem"),
    [
        (">=3.15", "admits none of the questionnaire's Python choices"),
        ("<3.8", "(only older Pythons)"),
        (">=3.x", "is not a Python range"),
        ("^three", "is not a Python range"),
        ("x" * (MAX_SPECIFIER_CHARS + 1), "characters long"),
    ],
)
def test_a_range_that_gives_no_floor_says_why_naming_key_and_line(
    stated: str, problem: str
) -> None:
    """A malformed, over-long or impossible range gives a message with the key and line."""
    syntax = Syntax.POETRY if stated.startswith("^") else Syntax.PEP440
    statement = read_statement(stated, syntax, key="[project] requires-python", file="f", line=7)
    assert statement is not None
    assert statement.floor is None
    assert statement.message.startswith("line 7: [project] requires-python")
    assert problem in statement.message


def test_a_malformed_range_in_a_file_is_a_notice_and_loses_no_dependency() -> None:
    """A bad requires-python names the key and line; the dependencies are still read."""
    reading = read_text(
        '[project]\nname = "x"\ndependencies = ["httpx", "trio"]\nrequires-python = ">=3.x"\n'
    )
    assert reading.python_floors == ()
    assert reading.names == ("httpx", "trio")
    assert any(
        n.startswith("line 4: [project] requires-python = '>=3.x' is not a Python range")
        for n in reading.notices
    )


def test_a_non_string_range_is_named() -> None:
    """`requires-python = 3.9` (a number, not a string) is named, not a traceback."""
    reading = read_text("[project]\nname = 'x'\nrequires-python = 3.9\n")
    assert reading.python_floors == ()
    assert "line 3: [project] requires-python must be a string" in " ".join(reading.notices)


def test_any_version_states_no_floor() -> None:
    """Poetry's `python = "*"` says nothing about the floor: no floor, no message."""
    reading = read_text('[tool.poetry.dependencies]\npython = "*"\nhttpx = "*"\n')
    assert reading.python_floors == ()
    assert not [n for n in reading.notices if "Python" in n]


def test_the_highest_floor_wins_and_names_its_file(knowledge: Knowledge) -> None:
    """Two files disagree: the higher floor is the project's, and the message names both."""
    pyproject = read_text('[project]\nname = "x"\nrequires-python = ">=3.9"\n')
    lock = read_text('version = 1\nrequires-python = ">=3.11"\n[[package]]\nname = "a"\n')
    resolution = resolve(combine([pyproject, lock]), knowledge.catalog)
    choice = resolution.python_floor
    assert choice is not None
    assert choice.floor.version is PythonVersion.PY311
    assert choice.floor.file == "uv.lock"
    assert "the highest of the files' floors (also stated: 3.9 in pyproject.toml" in (
        choice.describe()
    )


def test_two_keys_in_one_file_must_both_hold() -> None:
    """PEP 621 and Poetry ranges in one pyproject: the higher floor wins."""
    reading = read_text(
        '[project]\nname = "x"\nrequires-python = ">=3.9"\n'
        '[tool.poetry.dependencies]\npython = "^3.12"\n'
    )
    choice = decide_floor(reading.python_floors)
    assert choice is not None
    assert choice.floor.version is PythonVersion.PY312
    assert choice.floor.key == "[tool.poetry.dependencies] python"


def test_an_explicit_answer_is_kept_with_a_notice() -> None:
    """The user's python answer wins over a file; the message says the file disagrees."""
    reading = read_text('[project]\nname = "x"\nrequires-python = ">=3.10"\n')
    choice = decide_floor(reading.python_floors)
    assert choice is not None
    kept = python_answer(choice, PythonVersion.PY313)
    assert kept.value is PythonVersion.PY313
    assert not kept.from_file
    assert "the python answer given (3.13) was kept" in kept.message
    taken = python_answer(choice, None)
    assert taken.value is PythonVersion.PY310
    assert taken.from_file


# --- properties -------------------------------------------------------------------------

_versions = st.builds(
    lambda major, minor, micro: f"{major}.{minor}" + ("" if micro is None else f".{micro}"),
    st.sampled_from([2, 3, 4]),
    st.integers(0, 16),
    st.none() | st.integers(0, 12),
)
_clauses = st.builds(
    lambda op, version, star: f"{op}{version}{'.*' if star and op in ('==', '!=') else ''}",
    st.sampled_from([">=", ">", "<=", "<", "==", "!=", "~="]),
    _versions,
    st.booleans(),
)


def _oracle(specifier: SpecifierSet) -> str | None:
    """The oldest choice with some release X.Y.Z (Z up to 20) the range admits, by brute force."""
    for choice in PythonVersion:
        if any(specifier.contains(Version(f"{choice.value}.{z}")) for z in range(21)):
            return choice.value
    return None


@FUZZ
@given(st.lists(_clauses, min_size=1, max_size=4))
def test_the_floor_agrees_with_a_brute_force_search(clauses: list[str]) -> None:
    """The representative-version check gives what trying every patch release gives."""
    try:
        specifier = SpecifierSet(",".join(clauses))
    except InvalidSpecifier:
        return  # `~=3` and similar: not a range packaging accepts
    choice, _ = floor_of(specifier)
    assert (choice.value if choice else None) == _oracle(specifier)


@FUZZ
@given(st.text(max_size=300), st.sampled_from(list(Syntax)))
def test_any_text_gives_a_floor_a_message_or_nothing(text: str, syntax: Syntax) -> None:
    """Arbitrary text as a range never raises: a floor, a message, or None for 'any'."""
    statement = read_statement(text, syntax, key="k", file="f", line=1)
    if statement is not None:
        assert (statement.floor is None) == bool(statement.message)


@FUZZ
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=200))
def test_any_requires_python_in_a_file_never_escapes(value: str) -> None:
    """Whatever requires-python holds, reading the file raises nothing but the one input error
    and keeps the dependency."""
    text = (
        f"[project]\nname = 'x'\ndependencies = ['httpx']\nrequires-python = {json.dumps(value)}\n"
    )
    try:
        reading = read_text(text)
    except DependencyFileError:
        return
    assert reading.format is FileFormat.PYPROJECT
    assert reading.names == ("httpx",)


def test_many_excluded_patch_releases_still_leave_the_series() -> None:
    """A range within the length limit that excludes 3.9.0 … 3.9.19 one by one (the costliest
    shape for the check) still admits 3.9.20, so the floor is 3.9."""
    clauses = ",".join(f"!=3.9.{z}" for z in range(20))
    stated = f">=3.9,{clauses}"
    assert len(stated) <= MAX_SPECIFIER_CHARS
    statement = read_statement(stated, Syntax.PEP440, key="k", file="f")
    assert statement is not None
    assert statement.floor is not None
    assert statement.floor.version is PythonVersion.PY39  # 3.9.20 is admitted
