"""When files shaped the verdict, the CLI says what each flip's link really opens as: a link
carries the answers only, not the versions, the transitive facts or the scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor import Answers, recommend
from advisor.cli import EXIT_OK, main

# tenacity>=8.0 graded at its lowest version and websockets' range shape the verdict; a link
# opened without the files uses the catalog's current facts.
PYPROJECT = (
    '[project]\nname = "svc"\nrequires-python = ">=3.10.2"\n'
    'dependencies = ["websockets>=16,<18", "tenacity>=8.0", "httpx"]\n'
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, _ = capsys.readouterr()
    return code, out


def test_each_flip_says_what_its_link_opens_as_when_it_differs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The JSON gives every flip's `link_opens_as` (from a real recommendation of its query)
    and what the links leave out; the text notes exactly the flips whose link differs."""
    path = tmp_path / "pyproject.toml"
    path.write_text(PYPROJECT)
    code, out = run(capsys, "recommend", "--requirements", str(path), "--format", "json")
    assert code == EXIT_OK
    document = json.loads(out)
    assert document["context_not_in_links"]
    assert document["flips"]
    differing = []
    for flip in document["flips"]:
        opened = recommend(Answers.from_query(flip["query"]))
        assert flip["link_opens_as"] == {
            "verdict": opened.verdict.value,
            "certainty": opened.certainty.value,
        }
        promised = opened.verdict.value == flip["verdict"] and (
            flip["kind"] != "firm-up" or opened.certainty.value == "clear"
        )
        if not promised:
            differing.append(flip["query"])
    assert differing  # this project is one where pins change what links open as
    code, text = run(capsys, "recommend", "--requirements", str(path))
    for line in text.splitlines():
        if line.startswith("  - If "):
            query = line.split("[?", 1)[1].split("]", 1)[0]
            assert ("its link carries answers only" in line) == (query in differing), line


def test_without_files_links_are_not_annotated(capsys: pytest.CaptureFixture[str]) -> None:
    """A recommendation from answers alone is what its links reproduce: no notes, no fields."""
    code, out = run(
        capsys, "recommend", "--query", "deps=httpx&workload=client", "--format", "json"
    )
    assert code == EXIT_OK
    document = json.loads(out)
    assert "context_not_in_links" not in document
    assert all("link_opens_as" not in flip for flip in document["flips"])
