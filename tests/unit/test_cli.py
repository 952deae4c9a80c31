"""`python -m advisor`: recommend, check and libraries, their output and exit codes."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from advisor import Answers, recommend
from advisor.cli import build_parser, main
from advisor.engine import Knowledge

from .datafiles import data_dir_with, library

ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_module(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def evidence_of(knowledge: Knowledge, name: str) -> str:
    lib = knowledge.catalog.lookup(name)
    assert lib is not None, f"{name} is not in the catalog"
    return lib.evidence


def test_recommend_json_matches_recommend(
    capsys: pytest.CaptureFixture[str], knowledge: Knowledge
) -> None:
    """`recommend --format json` prints exactly `recommend(answers).to_dict()`."""
    query = "deps=fastapi,asyncpg&workload=server&exp_trio=2"
    code, out, err = run(capsys, "recommend", "--query", query, "--format", "json")
    assert code == 0
    assert err == ""
    expected = recommend(Answers.from_query(query), knowledge).to_dict()
    assert json.loads(out) == json.loads(json.dumps(expected))


@pytest.mark.parametrize(
    ("fmt", "start"), [("text", "Verdict: "), ("markdown", "## Async Advisor: ")]
)
def test_recommend_text_and_markdown(
    capsys: pytest.CaptureFixture[str], fmt: str, start: str
) -> None:
    """The text and Markdown formats print a report headed by the verdict."""
    code, out, _ = run(capsys, "recommend", "--query", "deps=httpx", "--format", fmt)
    assert code == 0
    assert out.startswith(start)


def test_recommend_reports_bad_query_values_and_goes_on(capsys: pytest.CaptureFixture[str]) -> None:
    """A bad query value is a note on stderr; the recommendation is still printed."""
    code, out, err = run(
        capsys, "recommend", "--query", "scale=huge&deps=httpx", "--format", "json"
    )
    assert code == 0
    assert "note:" in err
    assert "scale=huge" in err
    assert json.loads(out)["query"] == "v=1&deps=httpx"


def test_check_fails_for_an_asyncio_only_dependency(
    capsys: pytest.CaptureFixture[str], knowledge: Knowledge
) -> None:
    """`check --runtime trio` exits 1 and names asyncpg and its evidence URL."""
    code, out, err = run(capsys, "check", "--runtime", "trio", "--query", "deps=asyncpg,httpx")
    assert code == 1
    assert "asyncpg rules out Trio" in err
    assert evidence_of(knowledge, "asyncpg") in err
    assert "httpx" not in err
    assert out == ""


def test_check_passes_for_a_trio_capable_dependency(capsys: pytest.CaptureFixture[str]) -> None:
    """`check --runtime trio` exits 0 for httpx, which runs on Trio through AnyIO."""
    code, out, err = run(capsys, "check", "--runtime", "trio", "--query", "deps=httpx")
    assert code == 0
    assert out.startswith("ok: no dependency rules out Trio (1 checked)")
    assert err == ""


def test_allow_bridge_passes_bridgeable_dependencies_only(
    capsys: pytest.CaptureFixture[str], knowledge: Knowledge
) -> None:
    """`--allow-bridge` passes deps trio-asyncio can bridge; ones no bridge can host still fail."""
    asyncpg, uvicorn = knowledge.catalog.lookup("asyncpg"), knowledge.catalog.lookup("uvicorn")
    assert asyncpg is not None
    assert asyncpg.trio.value == "bridge"
    assert uvicorn is not None
    assert uvicorn.trio.value == "none"
    code, _, _ = run(
        capsys, "check", "--runtime", "trio", "--allow-bridge", "--query", "deps=asyncpg"
    )
    assert code == 0
    code, _, err = run(
        capsys, "check", "--runtime", "trio", "--allow-bridge", "--query", "deps=asyncpg,uvicorn"
    )
    assert code == 1
    assert "uvicorn" in err
    assert "asyncpg" not in err


def test_check_asyncio_fails_for_a_trio_only_dependency(
    capsys: pytest.CaptureFixture[str], knowledge: Knowledge
) -> None:
    """A Trio-only library rules out asyncio in the check."""
    code, _, err = run(capsys, "check", "--runtime", "asyncio", "--query", "deps=trio-websocket")
    assert code == 1
    assert evidence_of(knowledge, "trio-websocket") in err


@pytest.mark.parametrize(
    ("deps", "allow_bridge", "code"),
    [
        ("uvicorn,trio-websocket", False, 1),
        ("uvicorn,trio-websocket", True, 1),
        ("asyncpg,trio-websocket", False, 1),
        ("asyncpg,trio-websocket", True, 0),
        ("asyncpg,uvicorn", False, 0),
        ("trio-websocket", False, 0),
    ],
)
def test_check_anyio_fails_only_when_no_backend_runs_every_dependency(
    capsys: pytest.CaptureFixture[str], deps: str, allow_bridge: bool, code: int
) -> None:
    """`check --runtime anyio` fails when both asyncio and Trio are ruled out, naming both deps."""
    bridge = ["--allow-bridge"] if allow_bridge else []
    got, _, err = run(capsys, "check", "--runtime", "anyio", *bridge, "--query", f"deps={deps}")
    assert got == code
    if code:
        assert "no backend left" in err
        for dep in deps.split(","):
            assert dep in err


def test_requirements_with_a_bad_line_names_it_and_still_recommends(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A bad line is reported as FILE:LINE on stderr; the good lines are used."""
    path = tmp_path / "requirements.txt"
    path.write_text("httpx\n# comment\nthis is garbage\ntrio==0.25\n-r other.txt\n")
    code, out, err = run(capsys, "recommend", "--requirements", str(path), "--format", "json")
    assert code == 0
    assert f"{path}:3:" in err
    assert f"{path}:5:" in err
    assert [d["name"] for d in json.loads(out)["dependencies"]] == ["httpx", "trio"]


def test_requirements_add_to_the_query_deps(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Dependencies from files are merged with the query's, and pyproject files are read as TOML."""
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\ndependencies = ["Trio_Websocket>=0.11"]\n')
    code, out, _ = run(
        capsys,
        "recommend",
        "--query",
        "deps=httpx",
        "--requirements",
        str(path),
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)["query"] == "v=1&deps=httpx,trio-websocket"


def test_pinned_versions_reach_the_catalog_facts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A pin below a library's `trio_since` makes `check --runtime trio` fail for it."""
    data = data_dir_with(
        tmp_path, libraries=[library("examplelib", trio="anyio", trio_since="2.0")]
    )
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("examplelib==1.5\n")
    new.write_text("examplelib==2.1\n")
    assert (
        run(capsys, "check", "--runtime", "trio", "--data", str(data), "--requirements", str(new))[
            0
        ]
        == 0
    )
    code, _, err = run(
        capsys, "check", "--runtime", "trio", "--data", str(data), "--requirements", str(old)
    )
    assert code == 1
    assert "examplelib" in err


def test_missing_requirements_file_exits_2_without_a_traceback(tmp_path: Path) -> None:
    """A file that does not exist is a one-line error and exit code 2."""
    missing = tmp_path / "nope.txt"
    result = run_module("recommend", "--requirements", str(missing))
    assert result.returncode == 2
    assert f"error: {missing}: cannot be read" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_invalid_pyproject_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A .toml file that is not TOML is an error naming the file."""
    path = tmp_path / "pyproject.toml"
    path.write_text("[project\n")
    code, _, err = run(capsys, "check", "--runtime", "trio", "--requirements", str(path))
    assert code == 2
    assert str(path) in err
    assert "not valid TOML" in err


def test_broken_data_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Bad data files are an error naming the file, not a crash."""
    data = data_dir_with(tmp_path)
    (data / "libraries.toml").write_text("[categories\n")
    code, _, err = run(capsys, "recommend", "--data", str(data))
    assert code == 2
    assert err.startswith(f"error: {data / 'libraries.toml'}:")


def test_libraries_json_lists_every_catalog_entry(
    capsys: pytest.CaptureFixture[str], knowledge: Knowledge
) -> None:
    """`libraries --format json` has one row per catalog entry, with its evidence and dates."""
    code, out, _ = run(capsys, "libraries", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["name"] for r in rows] == [lib.name for lib in knowledge.catalog.libraries]
    for row, lib in zip(rows, knowledge.catalog.libraries, strict=True):
        assert row["evidence"] == lib.evidence
        assert row["checked_on"] == lib.checked_on.isoformat()
        assert row["trio"] == lib.trio.value


def test_libraries_text_lists_every_catalog_entry(
    capsys: pytest.CaptureFixture[str], knowledge: Knowledge
) -> None:
    """The text listing has one line per catalog entry."""
    code, out, _ = run(capsys, "libraries")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(knowledge.catalog.libraries)
    assert all(
        line.startswith(lib.name)
        for line, lib in zip(lines, knowledge.catalog.libraries, strict=True)
    )


def subcommands() -> list[str]:
    actions = build_parser()._subparsers._group_actions  # type: ignore[union-attr]
    (choices,) = [a.choices for a in actions if isinstance(a, argparse._SubParsersAction)]
    return list(choices)


def test_help_mentions_every_subcommand() -> None:
    """`python -m advisor --help` names each subcommand (and the four of DESIGN.md exist)."""
    assert {"recommend", "check", "libraries", "bench"} <= set(subcommands())
    result = run_module("--help")
    assert result.returncode == 0
    for command in subcommands():
        assert command in result.stdout
    for param in ("deps", "workload", "exp_trio", "python"):
        assert param in result.stdout


def test_unknown_runtime_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse refuses a runtime that does not exist, with exit code 2."""
    with pytest.raises(SystemExit) as caught:
        main(["check", "--runtime", "curio"])
    assert caught.value.code == 2
    assert "curio" in capsys.readouterr().err


def test_recommend_with_a_scan_fills_the_codebase_and_sizes_its_cost(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`--scan` reads the team's code: the codebase answer comes from it unless the query
    gives one, and the existing-code rules follow the redesign count."""
    (tmp_path / "service.py").write_text(
        "import trio\n\n"
        "async def main():\n"
        "    async with trio.open_nursery() as nursery:\n"
        "        nursery.start_soon(trio.sleep, 1)\n"
        "    with trio.CancelScope(shield=True):\n"
        "        await trio.lowlevel.checkpoint()\n",
        "utf-8",
    )
    code, out, err = run(
        capsys, "recommend", "--query", "deps=httpx", "--scan", str(tmp_path), "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert "codebase=trio" in data["query"]
    assert any(r["id"].startswith("scanned-trio-code") for r in data["reasons"])
    assert "scanned 1 files" in err
    code, out, _ = run(
        capsys,
        "recommend",
        "--query",
        "codebase=asyncio",
        "--scan",
        str(tmp_path),
        "--format",
        "json",
    )
    assert "codebase=asyncio" in json.loads(out)["query"]


def test_a_missing_scan_path_is_a_clear_input_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A scan path that does not exist exits 2 naming it, never a traceback."""
    code, _, err = run(capsys, "recommend", "--scan", str(tmp_path / "nope.zip"))
    assert code == 2
    assert "nope.zip" in err
    assert "Traceback" not in err


def test_recommend_says_when_file_versions_shaped_the_verdict(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Pins from a file are applied, and the printed query says it carries names only."""
    path = tmp_path / "requirements.txt"
    path.write_text("elasticsearch[async]==8.15.1\n", "utf-8")
    code, out, _ = run(capsys, "recommend", "--requirements", str(path))
    assert code == 0
    assert "names only" in out
    assert "elasticsearch" in out.split("names only", 1)[1]
    code, out, _ = run(capsys, "recommend", "--query", "deps=elasticsearch")
    assert "names only" not in out


def test_check_with_nothing_to_check_fails(capsys: pytest.CaptureFixture[str]) -> None:
    """A CI gate given no dependency source exits 2 instead of passing '0 checked'."""
    code, out, err = run(capsys, "check", "--runtime", "trio")
    assert code == 2
    assert "nothing to check" in err
    assert "ok:" not in out


def test_check_fails_on_a_line_it_could_not_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An unreadable requirement (pip refuses it too) fails the check, naming the line."""
    path = tmp_path / "requirements.txt"
    path.write_text("httpx\nuvicorn[standard\n", "utf-8")
    code, out, err = run(capsys, "check", "--runtime", "trio", "--requirements", str(path))
    assert code == 2
    assert f"{path}:2" in err
    assert "ok:" not in out


def test_an_unknown_extra_or_group_is_an_input_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--extra/--group naming something the files lack exits 2, listing what they have."""
    path = tmp_path / "pyproject.toml"
    path.write_text(
        '[project]\nname = "x"\ndependencies = ["httpx"]\n'
        '[project.optional-dependencies]\nfast = ["uvloop"]\n',
        "utf-8",
    )
    code, _, err = run(capsys, "recommend", "--requirements", str(path), "--extra", "nope")
    assert code == 2
    assert "no extra 'nope'" in err
    assert "fast" in err


def test_notes_escape_control_characters(capsys: pytest.CaptureFixture[str]) -> None:
    """A hostile query cannot put escape sequences or line breaks on the terminal."""
    _, _, err = run(capsys, "recommend", "--query", "deps=%1b%5b31mRED%1b%5b0m%0aX")
    assert "\x1b" not in err
    assert "\\x1b[31mRED" in err
