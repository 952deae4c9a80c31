"""The CLI with dependency files and the environment: formats, roles, unknowns, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.cli import EXIT_BAD_INPUT, EXIT_BLOCKED, EXIT_OK, EXIT_UNKNOWN, build_parser, main

from ..datafiles import data_dir_with, library

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "deps"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`main(argv)` in process: exit code, stdout, stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def shell(command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A shell pipeline from the project root with this interpreter as `python`."""
    return subprocess.run(
        command.replace("python ", f"{sys.executable} ", 1),
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_check_names_what_it_could_not_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Issue 9 case 5: an unknown dependency is named; `--strict` fails on it with exit 3."""
    path = tmp_path / "requirements.txt"
    path.write_text("our-internal-client\n")
    code, out, err = run(capsys, "check", "--runtime", "trio", "--requirements", str(path))
    assert code == EXIT_OK
    assert "0 checked; 1 unknown, not checked" in out
    assert "could not check 1 (unknown to the catalog): our-internal-client" in err
    code, _, err = run(
        capsys, "check", "--strict", "--runtime", "trio", "--requirements", str(path)
    )
    assert code == EXIT_UNKNOWN
    assert "our-internal-client" in err


def test_exit_codes_are_documented_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    """`--help` lists every exit code the CLI uses; `check --help` offers `--strict`."""
    text = build_parser().format_help()
    assert "exit codes:" in text
    for code in (EXIT_OK, EXIT_BLOCKED, EXIT_BAD_INPUT, EXIT_UNKNOWN):
        assert f"  {code}  " in text
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert "--strict" in capsys.readouterr().out


def test_a_range_below_trio_since_fails_the_trio_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Issue 9 case 1 end to end: `elasticsearch[async]>=8.15,<9` fails `check --runtime trio`."""
    path = tmp_path / "requirements.txt"
    path.write_text("elasticsearch[async]>=8.15,<9\n")
    code, _, err = run(capsys, "check", "--runtime", "trio", "--requirements", str(path))
    assert code == EXIT_BLOCKED
    assert "every version your range" in err
    assert "elasticsearch rules out Trio" in err


@pytest.mark.parametrize(
    ("fixture", "label", "chain"),
    [("uv.lock", "uv.lock", "s3fs → aiohttp"), ("poetry.lock", "poetry.lock", "gql → aiohttp")],
)
def test_a_transitive_blocker_fails_check_and_is_marked(
    capsys: pytest.CaptureFixture[str], fixture: str, label: str, chain: str
) -> None:
    """A lock file's transitive asyncio-only package fails the Trio check, named with its chain."""
    code, _, err = run(
        capsys, "check", "--runtime", "trio", "--requirements", str(FIXTURES / fixture)
    )
    assert code == EXIT_BLOCKED
    assert f"read as {label}" in err
    assert chain in err
    assert "transitive" in err


def capsys_out(capsys: pytest.CaptureFixture[str], path: str) -> str:
    """stdout of `check --runtime trio --no-extras` on `path`."""
    return run(capsys, "check", "--runtime", "trio", "--no-extras", "--requirements", path)[1]


def test_extras_and_groups_can_be_chosen(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Extras are weighed unless left out; a dev group is weighed only when asked for."""
    path = str(FIXTURES / "pyproject-pep621.toml")
    assert run(capsys, "check", "--runtime", "trio", "--requirements", path)[0] == EXIT_BLOCKED
    code, _, err = run(capsys, "check", "--runtime", "trio", "--no-extras", "--requirements", path)
    assert code == EXIT_OK
    assert "extras weighed: none" in err
    assert "listed but not weighed" in err
    # Development tooling is never counted as unknown; the one unknown runtime name is.
    assert "could not check 1 (unknown to the catalog): typing-extensions" in err
    assert "(2 checked; 1 unknown, not checked)" in capsys_out(capsys, path)
    grouped = tmp_path / "pyproject.toml"
    grouped.write_text(
        '[project]\ndependencies = ["httpx"]\n[dependency-groups]\nit = ["asyncpg"]\n'
    )
    code, _, err = run(capsys, "check", "--runtime", "trio", "--requirements", str(grouped))
    assert code == EXIT_OK
    assert "development tooling, listed but not weighed: asyncpg" in err
    code, _, err = run(
        capsys, "check", "--runtime", "trio", "--group", "it", "--requirements", str(grouped)
    )
    assert code == EXIT_BLOCKED
    assert "asyncpg rules out Trio" in err


def test_the_installed_environment_is_checked_with_its_tree(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--installed` reads this environment: a transitive blocker is named with its chain."""
    code, _, err = run(capsys, "check", "--runtime", "trio", "--installed")
    assert code == EXIT_BLOCKED
    assert "installed: read" in err
    assert "(transitive: " in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (f"[project]\nversion = {'1' * 5000}\n".encode(), "not valid TOML"),
        (b"[project]\ndependencies = " + b"[" * 1000 + b"]" * 1000 + b"\n", "nested too deeply"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"a" * 1_000_001, "larger than 1 MB"),
    ],
    ids=["huge-integer", "deep-nesting", "binary", "too-large"],
)
def test_bad_files_exit_2_with_a_message_and_no_traceback(
    tmp_path: Path, content: bytes, message: str
) -> None:
    """Issue 13 item 3: hostile files are input errors: exit 2, one clear line, no traceback."""
    path = tmp_path / "deps.txt"
    path.write_bytes(content)
    result = shell(f"python -m advisor check --runtime trio --requirements {path}")
    assert result.returncode == EXIT_BAD_INPUT
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_dev_zero_is_refused_after_the_limit() -> None:
    """`--requirements /dev/zero` stops after the limit plus one byte and exits 2."""
    result = shell("python -m advisor recommend --requirements /dev/zero")
    assert result.returncode == EXIT_BAD_INPUT
    assert "/dev/zero: The input is larger than 1 MB" in result.stderr


MANY = "deps=" + ",".join(f"pkg{i}" for i in range(400))
"""A query whose report is far larger than a pipe's buffer, so `head` closes it mid-write."""


@pytest.mark.parametrize(
    "command",
    [
        f"python -m advisor recommend --format json --query {MANY} | head -1",
        f"python -m advisor recommend --format markdown --query {MANY} | head -1",
        "python -m advisor libraries --format json | head -1",
    ],
    ids=["recommend-json", "recommend-markdown", "libraries"],
)
def test_output_piped_into_head_ends_quietly(command: str) -> None:
    """Issue 9 case 7: a closed pipe ends the command without a BrokenPipeError traceback."""
    result = shell(command)
    assert result.stdout.strip()
    assert "Traceback" not in result.stderr
    assert "BrokenPipe" not in result.stderr


def test_the_cli_honours_advisor_data_dir(tmp_path: Path) -> None:
    """ADVISOR_DATA_DIR picks the data folder for the CLI, as it does for the app."""
    data = data_dir_with(tmp_path, libraries=[library("onlylib")])
    result = shell("python -m advisor libraries", env={"ADVISOR_DATA_DIR": str(data)})
    assert result.returncode == EXIT_OK
    assert result.stdout.split()[0] == "onlylib"
    assert len(result.stdout.splitlines()) == 1


def test_an_over_long_name_in_a_file_is_named_once_and_never_repeated(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A 900,005-character name is one line on stderr (file and line), not megabytes of report;
    the valid line after it is weighed and carried by the query."""
    path = tmp_path / "requirements.txt"
    path.write_text("httpx" + "a" * 900_000 + "\ntrio\n")
    for form in ("text", "json", "markdown"):
        code, out, err = run(capsys, "recommend", "--requirements", str(path), "--format", form)
        assert code == EXIT_OK
        assert len(out) + len(err) < 20_000
        assert f"{path}:1: the project name has 900,005 characters" in err
        assert "deps=trio" in out


def test_an_extras_package_is_reported_with_its_chain_not_listed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`elasticsearch[async]`: the JSON gives aiohttp's chain, the query only elasticsearch,
    and a note says which extra pulled aiohttp in."""
    path = tmp_path / "requirements.txt"
    path.write_text("elasticsearch[async]\n")
    code, out, err = run(capsys, "recommend", "--requirements", str(path), "--format", "json")
    assert code == EXIT_OK
    document = json.loads(out)
    assert "aiohttp" not in document["query"]
    (row,) = [d for d in document["dependencies"] if d["name"] == "aiohttp"]
    assert row["via"] == ["elasticsearch"]
    assert "aiohttp: pulled in by elasticsearch[async]" in err
