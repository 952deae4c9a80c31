"""The CLI takes the `python` answer from the files' floor, says so, and lets the query win."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.cli import EXIT_OK, main

PYPROJECT = '[project]\nname = "svc"\nrequires-python = ">=3.9"\ndependencies = ["httpx"]\n'


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`main(argv)` in process: exit code, stdout, stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def pyproject(tmp_path: Path) -> Path:
    """A pyproject.toml whose requires-python admits 3.9."""
    path = tmp_path / "pyproject.toml"
    path.write_text(PYPROJECT)
    return path


def test_the_floor_becomes_the_python_answer_and_the_text_says_where_from(
    capsys: pytest.CaptureFixture[str], pyproject: Path
) -> None:
    """Without `python` in the query, the file's floor is the answer, and the report names
    the file and key."""
    code, out, _ = run(capsys, "recommend", "--requirements", str(pyproject))
    assert code == EXIT_OK
    assert "Answers: ?v=1&deps=httpx&python=3.9" in out
    assert (
        f"From your files: Python floor 3.9 from {pyproject} [project] requires-python (>=3.9)"
        in out
    )


def test_json_and_markdown_say_where_the_floor_came_from(
    capsys: pytest.CaptureFixture[str], pyproject: Path
) -> None:
    """The JSON report carries the floor's file, key and line; Markdown says it in words."""
    _, out, _ = run(capsys, "recommend", "--requirements", str(pyproject), "--format", "json")
    document = json.loads(out)
    assert document["query"] == "v=1&deps=httpx&python=3.9"
    assert document["python_floor"] | {"message": ""} == {
        "version": "3.9",
        "file": str(pyproject),
        "key": "[project] requires-python",
        "line": 3,
        "stated": ">=3.9",
        "applied": True,
        "message": "",
    }
    _, out, _ = run(capsys, "recommend", "--requirements", str(pyproject), "--format", "markdown")
    assert "From your files: Python floor 3.9 from" in out
    assert "python=3.9" in out


def test_the_floor_changes_the_verdict(
    capsys: pytest.CaptureFixture[str], pyproject: Path, tmp_path: Path
) -> None:
    """The same file without requires-python gives a different verdict (3.9 rules apply)."""
    plain = tmp_path / "plain" / "pyproject.toml"
    plain.parent.mkdir()
    plain.write_text(PYPROJECT.replace('requires-python = ">=3.9"\n', ""))
    query = "exp_trio=1"
    _, with_floor, _ = run(
        capsys, "recommend", "--requirements", str(pyproject), "--query", query, "--format",
        "json",
    )  # fmt: skip
    _, without, _ = run(
        capsys, "recommend", "--requirements", str(plain), "--query", query, "--format", "json"
    )
    fired = {r["id"] for r in json.loads(with_floor)["reasons"]}
    assert "python-3-9-current-releases" in fired
    assert "python-3-9-current-releases" not in {r["id"] for r in json.loads(without)["reasons"]}
    assert json.loads(without)["verdict"] == "trio"
    assert json.loads(with_floor)["verdict"] == "asyncio"


def test_an_explicit_query_python_wins_with_a_notice(
    capsys: pytest.CaptureFixture[str], pyproject: Path
) -> None:
    """`--query python=3.12` is kept; a note says the file's floor differs, naming it."""
    code, out, err = run(
        capsys, "recommend", "--requirements", str(pyproject), "--query", "python=3.12"
    )
    assert code == EXIT_OK
    assert "Answers: ?v=1&deps=httpx\n" in out  # 3.12 is the default, so it is not written
    assert "the python answer given (3.12) was kept, although the files say otherwise" in err
    assert f"{pyproject} [project] requires-python" in err


def test_a_bad_query_python_does_not_count_as_given(
    capsys: pytest.CaptureFixture[str], pyproject: Path
) -> None:
    """`python=2.7` is dropped by the codec, so the file's floor is used."""
    _, out, _ = run(capsys, "recommend", "--requirements", str(pyproject), "--query", "python=2.7")
    assert "python=3.9" in out


def test_a_malformed_range_is_named_with_file_line_and_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A bad requires-python is a note naming the file, line and key; nothing else is lost."""
    path = tmp_path / "pyproject.toml"
    path.write_text(PYPROJECT.replace(">=3.9", ">=3.x"))
    code, out, err = run(capsys, "recommend", "--requirements", str(path))
    assert code == EXIT_OK
    assert f"{path}: line 3: [project] requires-python = '>=3.x' is not a Python range" in err
    assert "Answers: ?v=1&deps=httpx\n" in out
    assert "From your files" not in out
