"""requirements.txt, pip freeze, pip-compile and uv export output, read by pip's line rules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

from advisor.deps.reading import MAX_DECLARED, Reading
from advisor.deps.requirements_txt import exact_pin, parse_requirements_txt


def pins(reading: Reading) -> dict[str, str]:
    """Exact pins of the declared dependencies, as strings."""
    return {d.name: str(v) for d in reading.declared if (v := exact_pin(d.specifier))}


def test_comments_and_blank_lines_are_skipped() -> None:
    """Whole-line and inline comments and blank lines are not dependencies or problems."""
    found = parse_requirements_txt("# header\n\nhttpx  # the client\n   # indented\ntrio\n")
    assert found.names == ("httpx", "trio")
    assert found.problems == ()


def test_a_comment_ending_in_a_backslash_does_not_swallow_the_next_line() -> None:
    """pip never continues a comment line, so the requirement after it is kept."""
    found = parse_requirements_txt("# pinned because of a bug \\\nasyncpg==0.30.0\nhttpx\n")
    assert found.names == ("asyncpg", "httpx")


def test_a_comment_inside_a_continuation_ends_it() -> None:
    """A comment line met while joining ends the joined line, as in pip's join_lines."""
    found = parse_requirements_txt("httpx \\\n# why\ntrio\n")
    assert found.names == ("httpx", "trio")


def test_extras_markers_and_specifiers_are_kept() -> None:
    """Extras, markers and ranges are read past to the name; the range and extras are kept."""
    found = parse_requirements_txt(
        'requests[security,socks]>=2.0,<3\naiohttp ; python_version >= "3.8"\nTrio~=0.25\n'
    )
    assert found.names == ("aiohttp", "requests", "trio")
    requests = next(d for d in found.declared if d.name == "requests")
    assert requests.specifier == SpecifierSet(">=2.0,<3")
    assert requests.extras == ("security", "socks")
    assert pins(found) == {}


def test_names_are_normalised_and_repeats_narrow_the_range() -> None:
    """Names are PEP 503-normalised; a name given twice is one dependency with both ranges."""
    found = parse_requirements_txt("Zope.Interface>=5\nzope_interface<7\nAnyIO\n")
    assert found.names == ("anyio", "zope-interface")
    (zope,) = [d for d in found.declared if d.name == "zope-interface"]
    assert zope.specifier == SpecifierSet(">=5,<7")


def test_exact_pins_are_recorded() -> None:
    """`name==version` and `===` record the version; ranges and wildcards do not."""
    found = parse_requirements_txt(
        "Django==4.2.1\nattrs===23.1.0\nfoo==1.*\nbar>=1.0\nbaz==1.0,<2\n"
    )
    assert pins(found) == {"django": "4.2.1", "attrs": "23.1.0"}
    assert set(found.names) == {"django", "attrs", "foo", "bar", "baz"}


def test_editable_vcs_install_is_named_by_its_egg() -> None:
    """`-e git+...#egg=NAME` (and `--editable=`) yields the egg name."""
    found = parse_requirements_txt(
        "-e git+https://github.com/org/proj.git@main#egg=My_Proj\n"
        "--editable=git+https://github.com/org/other.git#subdirectory=x&egg=other\n"
    )
    assert found.names == ("my-proj", "other")
    assert found.problems == ()


@pytest.mark.parametrize("line", ["-e .", "./packages/shared-lib", "../sibling", "/opt/src/lib"])
def test_local_paths_are_unnamed_local_projects(line: str) -> None:
    """A local path (as `uv export` writes) is a local project whose name cannot be told."""
    found = parse_requirements_txt(f"httpx\n\n{line}\ntrio\n")
    assert found.names == ("httpx", "trio")
    assert found.problems == ()
    (skipped,) = found.not_followed
    assert skipped.line == 3
    assert "local project" in skipped.problem


def test_direct_url_requirements_are_named() -> None:
    """`name @ url` gives the name; an archive URL or path gives the name in its file name."""
    found = parse_requirements_txt(
        "name1 @ https://example.com/name1-1.0.tar.gz\n"
        "https://example.com/pkgs/Other_Pkg-2.1.0-py3-none-any.whl\n"
        "https://example.com/dl/thing-0.3.zip#sha256=abc\n"
        "git+https://github.com/org/repo.git#egg=from_git\n"
        "./dist/local_pkg-0.1.0-py3-none-any.whl\n"
    )
    assert found.names == ("from-git", "local-pkg", "name1", "other-pkg", "thing")
    assert found.problems == ()


def test_bare_url_without_a_name_is_not_followed() -> None:
    """A URL whose file name does not tell the project is listed with its line number."""
    found = parse_requirements_txt("httpx\nhttps://example.com/download\n")
    assert found.names == ("httpx",)
    (skipped,) = found.not_followed
    assert skipped.line == 2
    assert "name @ URL" in skipped.problem


@pytest.mark.parametrize(
    "line", ["https://[::1/foo-1.0.tar.gz", "-e http://[x", "http://[/x.whl", "-e https://[::1"]
)
def test_malformed_urls_are_reported_not_crashes(line: str) -> None:
    """A URL that urllib cannot parse (a broken IPv6 host) is reported, not an exception."""
    found = parse_requirements_txt(f"httpx\n{line}\n")
    assert found.names == ("httpx",)
    assert [p.line for p in (*found.problems, *found.not_followed)] == [2]


def test_hashes_and_continuations_are_joined_and_skipped() -> None:
    """`--hash` options over backslash-continued lines belong to the requirement before them."""
    found = parse_requirements_txt(
        "pinned==1.0 \\\n"
        "    --hash=sha256:aaaa \\\n"
        "    --hash=sha256:bbbb\n"
        "other==2.0 --hash sha256:cccc\n"
    )
    assert found.names == ("other", "pinned")
    assert pins(found) == {"pinned": "1.0", "other": "2.0"}
    assert found.problems == ()


def test_problem_in_a_continued_line_points_to_its_first_line() -> None:
    """A bad requirement spread over continuation lines is reported at its first line."""
    found = parse_requirements_txt("httpx\nbad thing \\\n  --hash=sha256:aa \\\n  more\ntrio\n")
    assert found.names == ("httpx", "trio")
    (problem,) = found.problems
    assert problem.line == 2


def test_includes_and_constraints_are_reported_not_followed(tmp_path: Path) -> None:
    """`-r`/`-c` lines are listed as not followed, with line numbers; the files are not read."""
    (tmp_path / "other.txt").write_text("secret-dependency\n")
    text = f"httpx\n-r {tmp_path / 'other.txt'}\n--requirement=base.txt\n-c constraints.txt\n"
    found = parse_requirements_txt(text)
    assert found.names == ("httpx",)
    assert [p.line for p in found.not_followed] == [2, 3, 4]
    assert "base.txt" in found.not_followed[1].problem
    assert "paste it too" not in found.not_followed[1].problem
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
    (problem,) = found.problems
    assert (problem.line, problem.text) == (3, "this is garbage")
    assert problem.problem.startswith("not a requirement")


def test_a_pin_longer_than_4300_digits_is_a_bad_line() -> None:
    """A version Python cannot turn into an integer is reported on its line, not raised."""
    found = parse_requirements_txt(f"httpx\nfoo=={'1' * 5000}\n")
    assert found.names == ("httpx",)
    (problem,) = found.problems
    assert problem.line == 2
    assert "not usable" in problem.problem


def test_a_deeply_nested_marker_is_a_bad_line() -> None:
    """A marker nested a thousand parentheses deep is a bad line, not a RecursionError."""
    marker = "(" * 1000 + 'python_version > "3"' + ")" * 1000
    found = parse_requirements_txt(f"httpx\nfoo; {marker}\n")
    assert found.names == ("httpx",)
    assert [p.line for p in found.problems] == [2]


def test_pip_freeze_output_is_read() -> None:
    """`pip freeze` lines, including editable VCS installs and direct references, are read."""
    found = parse_requirements_txt(
        "aiohttp==3.9.1\n"
        "-e git+https://github.com/org/b.git@0123abc#egg=b_pkg\n"
        "foo @ file:///tmp/foo\n"
        "Trio==0.25.1\n"
    )
    assert found.names == ("aiohttp", "b-pkg", "foo", "trio")
    assert pins(found) == {"aiohttp": "3.9.1", "trio": "0.25.1"}


def test_via_annotations_separate_direct_from_transitive() -> None:
    """pip-compile's `# via` comments make packages pulled in by others transitive."""
    found = parse_requirements_txt(
        "aiohttp==3.9.5\n    # via aiobotocore\n"
        "aiobotocore==2.13.0\n    # via\n    #   -r requirements.in\n"
        "yarl==1.9\n    # via\n    #   aiohttp\n"
        "httpx==0.27\n"
    )
    assert found.names == ("aiobotocore", "httpx")
    assert found.locked["aiobotocore"].requires == ("aiohttp",)
    assert found.locked["aiohttp"].requires == ("yarl",)
    assert str(found.locked["yarl"].version) == "1.9"


def test_a_hundred_thousand_names_are_cut_at_the_limit_with_a_notice() -> None:
    """The one dependency limit applies to files: the rest are left out, and the notice says so."""
    text = "".join(f"pkg{i}\n" for i in range(100_000))
    found = parse_requirements_txt(text)
    assert len(found.declared) == MAX_DECLARED
    assert found.declared[0].name == "pkg0"
    assert any(f"only the first {MAX_DECLARED}" in n for n in found.notices)


def test_nothing_in_the_input_is_executed(tmp_path: Path) -> None:
    """Python in a requirements file is only a bad line: nothing runs and no file appears."""
    marker = tmp_path / "X"
    for line in (
        f"__import__('os').system('touch {marker}')",
        f"exec(\"open('{marker}', 'w')\")",
    ):
        found = parse_requirements_txt(f"httpx\n{line}\n")
        assert found.names == ("httpx",)
        assert [p.line for p in found.problems] == [2]
    assert not marker.exists()
    assert not os.path.exists("X")
