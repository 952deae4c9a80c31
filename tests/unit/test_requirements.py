"""Reading dependency names from requirements.txt, pip freeze output and pyproject.toml."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.version import Version

from advisor.requirements import (
    MAX_INPUT_BYTES,
    RequirementsError,
    detect_requirements,
    parse_pyproject,
    parse_requirements_txt,
)

from .strategies import FAST


def test_comments_and_blank_lines_are_skipped() -> None:
    """Whole-line and inline comments and blank lines are not dependencies or problems."""
    found = parse_requirements_txt("# header\n\nhttpx  # the client\n   # indented\ntrio\n")
    assert found.names == ("httpx", "trio")
    assert found.problems == ()


def test_extras_markers_and_specifiers_leave_the_name() -> None:
    """Extras, environment markers and version ranges are read past to the project name."""
    found = parse_requirements_txt(
        'requests[security,socks]>=2.0,<3\naiohttp ; python_version >= "3.8"\nTrio~=0.25\n'
    )
    assert found.names == ("aiohttp", "requests", "trio")
    assert found.pins == {}
    assert found.problems == ()


def test_names_are_normalised_sorted_and_unique() -> None:
    """Names come back PEP 503-normalised, sorted and de-duplicated."""
    found = parse_requirements_txt("Zope.Interface\nzope_interface>=5\nAnyIO\n")
    assert found.names == ("anyio", "zope-interface")


def test_exact_pins_are_recorded() -> None:
    """`name==version` and `name===version` record the version; ranges and wildcards do not."""
    found = parse_requirements_txt(
        "Django==4.2.1\nattrs===23.1.0\nfoo==1.*\nbar>=1.0\nbaz==1.0,<2\nqux===not-a-version\n"
    )
    assert found.pins == {"django": Version("4.2.1"), "attrs": Version("23.1.0")}
    assert set(found.names) == {"django", "attrs", "foo", "bar", "baz", "qux"}


def test_editable_vcs_install_is_named_by_its_egg() -> None:
    """`-e git+...#egg=NAME` (and `--editable=`) yields the egg name."""
    found = parse_requirements_txt(
        "-e git+https://github.com/org/proj.git@main#egg=My_Proj\n"
        "--editable=git+https://github.com/org/other.git#subdirectory=x&egg=other\n"
    )
    assert found.names == ("my-proj", "other")
    assert found.problems == ()


def test_editable_local_path_is_reported_with_its_line_number() -> None:
    """`-e .` has no knowable name, so it is reported as a problem on its own line."""
    found = parse_requirements_txt("httpx\n\n-e .\ntrio\n")
    assert found.names == ("httpx", "trio")
    (problem,) = found.problems
    assert problem.line == 3
    assert problem.text == "-e ."
    assert "egg" in problem.problem


def test_direct_url_requirements_are_named() -> None:
    """`name @ url` gives the name; a bare archive URL gives the name in its file name."""
    found = parse_requirements_txt(
        "name1 @ https://example.com/name1-1.0.tar.gz\n"
        "https://example.com/pkgs/Other_Pkg-2.1.0-py3-none-any.whl\n"
        "https://example.com/dl/thing-0.3.zip#sha256=abc\n"
        "git+https://github.com/org/repo.git#egg=from_git\n"
    )
    assert found.names == ("from-git", "name1", "other-pkg", "thing")
    assert found.problems == ()


def test_bare_url_without_a_name_is_reported() -> None:
    """A URL whose file name does not tell the project is a problem, with its line number."""
    found = parse_requirements_txt("httpx\nhttps://example.com/download\n")
    assert found.names == ("httpx",)
    (problem,) = found.problems
    assert problem.line == 2
    assert "name @ URL" in problem.problem


@pytest.mark.parametrize(
    "line", ["https://[::1/foo-1.0.tar.gz", "-e http://[x", "http://[/x.whl", "-e https://[::1"]
)
def test_malformed_urls_are_problems_not_crashes(line: str) -> None:
    """A URL that urllib cannot parse (a broken IPv6 host) is a problem line, not an exception."""
    found = parse_requirements_txt(f"httpx\n{line}\n")
    assert found.names == ("httpx",)
    assert [p.line for p in found.problems] == [2]


def test_hashes_and_continuations_are_joined_and_skipped() -> None:
    """`--hash` options over backslash-continued lines belong to the requirement before them."""
    found = parse_requirements_txt(
        "pinned==1.0 \\\n"
        "    --hash=sha256:aaaa \\\n"
        "    --hash=sha256:bbbb\n"
        "other==2.0 --hash sha256:cccc\n"
    )
    assert found.names == ("other", "pinned")
    assert found.pins == {"pinned": Version("1.0"), "other": Version("2.0")}
    assert found.problems == ()


def test_problem_in_a_continued_line_points_to_its_first_line() -> None:
    """A bad requirement spread over continuation lines is reported at its first physical line."""
    found = parse_requirements_txt("httpx\nbad thing \\\n  --hash=sha256:aa \\\n  more\ntrio\n")
    assert found.names == ("httpx", "trio")
    (problem,) = found.problems
    assert problem.line == 2


def test_includes_and_constraints_are_reported_not_followed(tmp_path: Path) -> None:
    """`-r`/`-c` lines are listed as not followed, with line numbers, and the files are not read."""
    (tmp_path / "other.txt").write_text("secret-dependency\n")
    text = f"httpx\n-r {tmp_path / 'other.txt'}\n--requirement=base.txt\n-c constraints.txt\n"
    found = parse_requirements_txt(text)
    assert found.names == ("httpx",)
    assert [p.line for p in found.not_followed] == [2, 3, 4]
    assert "base.txt" in found.not_followed[1].problem
    assert found.problems == ()


def test_index_and_install_options_are_ignored() -> None:
    """Index URLs, find-links and similar options are neither dependencies nor problems."""
    found = parse_requirements_txt(
        "--index-url https://pypi.org/simple\n--extra-index-url https://x.example/simple\n"
        "-i https://x.example\n--find-links /wheels\n--pre\n--trusted-host x.example\nhttpx\n"
    )
    assert found.names == ("httpx",)
    assert found.problems == ()
    assert found.not_followed == ()


def test_garbage_line_is_reported_and_good_lines_are_kept() -> None:
    """One unreadable line is a problem at its line number; every good line still counts."""
    found = parse_requirements_txt("httpx\ntrio==0.25\nthis is garbage\n# c\nanyio\n")
    assert found.names == ("anyio", "httpx", "trio")
    assert found.pins == {"trio": Version("0.25")}
    (problem,) = found.problems
    assert problem.line == 3
    assert problem.text == "this is garbage"
    assert problem.problem.startswith("not a requirement")


def test_pip_freeze_output_is_read() -> None:
    """`pip freeze` lines, including editable VCS installs and direct references, are read."""
    freeze = (
        "aiohttp==3.9.1\n"
        "-e git+https://github.com/org/b.git@0123abc#egg=b_pkg\n"
        "foo @ file:///tmp/foo\n"
        "Trio==0.25.1\n"
    )
    found = detect_requirements(freeze)
    assert found.format == "requirements"
    assert found.names == ("aiohttp", "b-pkg", "foo", "trio")
    assert found.pins == {"aiohttp": Version("3.9.1"), "trio": Version("0.25.1")}


def test_nothing_in_the_input_is_executed(tmp_path: Path) -> None:
    """Python in a requirements file is only a bad line: nothing runs and no file appears."""
    marker = tmp_path / "X"
    for line in (
        f"__import__('os').system('touch {marker}')",
        f"exec(\"open('{marker}', 'w')\")",
    ):
        found = detect_requirements(f"httpx\n{line}\n")
        assert found.names == ("httpx",)
        assert [p.line for p in found.problems] == [2]
    found = detect_requirements(
        f"[project]\ndependencies = [\"__import__('os').system('touch {marker}')\"]\n"
    )
    assert found.names == ()
    assert not marker.exists()
    assert not os.path.exists("X")


PYPROJECT = """\
[project]
name = "x"
dependencies = ["httpx>=0.27", "Trio==0.25.1"]

[project.optional-dependencies]
db = ["asyncpg"]
test = ["pytest-trio; python_version>='3.10'"]

[dependency-groups]
dev = ["ruff", {include-group = "test"}]
test = ["hypothesis==6.0"]
"""


def test_pyproject_reads_pep621_and_pep735_dependencies() -> None:
    """PEP 621 and PEP 735 dependencies are read; include-group tables are not names."""
    found = detect_requirements(PYPROJECT)
    assert found.format == "pyproject"
    assert found.names == ("asyncpg", "httpx", "hypothesis", "pytest-trio", "ruff", "trio")
    assert found.pins == {"trio": Version("0.25.1"), "hypothesis": Version("6.0")}
    assert found.problems == ()


def test_pyproject_bad_requirement_is_reported_with_its_line() -> None:
    """A requirement string that does not parse is a problem at its line in the TOML."""
    found = parse_pyproject(
        '[project]\nname = "x"\ndependencies = [\n  "httpx",\n  "not valid !!",\n]\n'
    )
    assert found.names == ("httpx",)
    (problem,) = found.problems
    assert problem.line == 5
    assert problem.text == "not valid !!"


def test_pyproject_non_string_dependency_is_reported() -> None:
    """A dependency that is not a string (a number, a table) is a problem, not a crash."""
    found = parse_pyproject('[project]\ndependencies = ["httpx", 3]\n')
    assert found.names == ("httpx",)
    assert len(found.problems) == 1


POETRY = """\
[tool.poetry]
name = "x"

[tool.poetry.dependencies]
python = "^3.11"
Redis = "5.0.1"
aiohttp = { version = "^3.9", extras = ["speedups"] }

[tool.poetry.dev-dependencies]
pytest = "*"

[tool.poetry.group.test.dependencies]
hypothesis = "^6"
"""


def test_poetry_tables_are_read_and_python_is_skipped() -> None:
    """Poetry dependencies, dev-dependencies and groups are read; `python` is not a package."""
    found = detect_requirements(POETRY)
    assert found.format == "poetry"
    assert found.names == ("aiohttp", "hypothesis", "pytest", "redis")
    assert found.pins == {"redis": Version("5.0.1")}


def test_poetry_keys_that_are_not_project_names_are_problems() -> None:
    """A Poetry key that is no valid PyPI name is reported, not passed on as a dependency."""
    found = detect_requirements(
        '[tool.poetry.dependencies]\nhttpx = "*"\n"foo bar" = "1.0"\n'
        '"[x](https://e.example)" = "*"\n'
    )
    assert found.names == ("httpx",)
    assert found.pins == {}
    assert sorted(p.line for p in found.problems) == [3, 4]


def test_toml_is_detected_by_file_name_or_table_header() -> None:
    """A `.toml` file name or a `[table]` header selects the pyproject reader."""
    assert detect_requirements("", "pyproject.toml").format == "pyproject"
    assert detect_requirements(PYPROJECT).format == "pyproject"
    assert detect_requirements("httpx\n", "requirements.txt").format == "requirements"
    assert (
        detect_requirements("[project]\ndependencies=['x']", "requirements.txt").format
        == "requirements"
    )


def test_invalid_toml_raises_a_clear_error() -> None:
    """A pyproject that is not TOML raises `RequirementsError` saying so."""
    with pytest.raises(RequirementsError, match="not valid TOML"):
        detect_requirements("[project]\ndependencies = [\n")


@pytest.mark.parametrize("filename", [None, "pyproject.toml"])
def test_input_over_one_megabyte_is_refused(filename: str | None) -> None:
    """Input larger than 1 MB raises `RequirementsError` before any parsing."""
    assert MAX_INPUT_BYTES == 1_000_000
    with pytest.raises(RequirementsError, match="larger than 1 MB"):
        detect_requirements("httpx\n" + "#" * MAX_INPUT_BYTES, filename)
    assert detect_requirements("h" * (MAX_INPUT_BYTES - 1)).names == ("h" * (MAX_INPUT_BYTES - 1),)


def test_size_limit_counts_bytes_not_characters() -> None:
    """The limit is on UTF-8 bytes, so many multi-byte characters are refused too."""
    with pytest.raises(RequirementsError):
        detect_requirements("# " + "é" * (MAX_INPUT_BYTES // 2 + 1))


_LINES = st.sampled_from(
    [
        "httpx",
        "-e .",
        "-r x.txt",
        "\\",
        "--hash=sha256:a",
        "[project]",
        "[tool.poetry.dependencies]",
        "dependencies = [",
        '"x"]',
        "name @ https://[::1/x",
        "https://[::1/x.whl",
        "-e http://[x",
        "https://e.example/a-1.0.tar.gz",
        "a==1.0 \\",
        "python = 3",
        "#",
        "=",
        '"a b" = "1"',
    ]
) | st.text(max_size=30)


@FAST
@given(st.one_of(st.text(), st.lists(_LINES, max_size=10).map("\n".join)))
def test_detect_requirements_only_ever_raises_requirements_error(text: str) -> None:
    """Any text is either read (names, problems) or refused with `RequirementsError`."""
    try:
        found = detect_requirements(text)
    except RequirementsError:
        return
    assert list(found.names) == sorted(set(found.names))
    assert all(p.line >= 0 for p in (*found.problems, *found.not_followed))
