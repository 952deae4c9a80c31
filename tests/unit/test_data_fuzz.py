"""Fuzzing the data-file loaders: whatever a data folder holds, loading raises `DataError`
(naming the file) or succeeds, never anything else, and a larger broken file costs about
proportionally more to reject."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.catalog import load_catalog
from advisor.engine import DATA_DIR
from advisor.errors import DataError
from advisor.policy import load_policy
from advisor.rules.loading import load_rules

FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

REAL = {
    "libraries.toml": (DATA_DIR / "libraries.toml").read_bytes(),
    "scoring.toml": (DATA_DIR / "scoring.toml").read_bytes(),
    "rules.toml": (DATA_DIR / "rules" / "dependencies.toml").read_bytes(),
}


def _load(kind: str, path: Path) -> None:
    if kind == "libraries.toml":
        load_catalog(path)
    elif kind == "scoring.toml":
        load_policy(path)
    else:
        load_rules(path.parent, ("database", "http-client", "runtime"), frozenset({"team"}))


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """The real file with a few random edits: lines dropped, duplicated, cut or spliced."""
    lines = original.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "dup", "cut", "junk", "nest", "number"]))
        if action == "drop":
            del lines[at]
        elif action == "dup":
            lines.insert(at, lines[at])
        elif action == "cut":
            lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
        elif action == "junk":
            lines.insert(at, draw(st.binary(max_size=40)) + b"\n")
        elif action == "nest":
            depth = draw(st.integers(1, 3000))
            lines.insert(at, b"x = " + b"[" * depth + b"]" * depth + b"\n")
        else:
            lines.insert(at, b"n = " + b"9" * draw(st.integers(1, 6000)) + b"\n")
    return b"".join(lines)


@pytest.mark.parametrize("kind", sorted(REAL))
@FUZZ
@given(data=st.data())
def test_a_broken_data_file_raises_only_data_error(
    tmp_path: Path, kind: str, data: st.DataObject
) -> None:
    """Mutations of each real data file either load or raise DataError naming the file."""
    content = data.draw(
        st.one_of(mutated(REAL[kind]), st.binary(max_size=300)),
        label="content",
    )
    folder = tmp_path / kind.replace(".", "-")
    folder.mkdir(exist_ok=True)
    path = folder / ("theme.toml" if kind == "rules.toml" else kind)
    for old in folder.glob("*.toml"):
        old.unlink()
    path.write_bytes(content)
    problem: DataError | None = None
    try:
        _load(kind, path)
    except DataError as error:
        problem = error
    assert problem is None or problem.path in {path, folder}


@pytest.mark.parametrize(
    "content",
    [
        b"rule = 5\n",
        b"[[libary]]\nname = 'x'\n",
        "x = 1\n".encode("utf-16"),
        b"\xff\xfe\x00",
        b"a = " + b"[" * 5000 + b"]" * 5000,
    ],
)
def test_known_broken_files_are_named(tmp_path: Path, content: bytes) -> None:
    """The issue's examples: a typo'd table, a top-level key, UTF-16, deep nesting."""
    for kind in REAL:
        folder = tmp_path / kind.replace(".", "-")
        folder.mkdir(exist_ok=True)
        path = folder / ("theme.toml" if kind == "rules.toml" else kind)
        path.write_bytes(content)
        with pytest.raises(DataError):
            _load(kind, path)


def _cost(action: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.process_time()
        action()
        best = min(best, time.process_time() - start)
    return best


def test_rejecting_a_larger_catalog_costs_proportionally_more(tmp_path: Path) -> None:
    """Ten times the entries cost about ten times as much to load (a ratio, generous bound)."""

    def catalog_of(n: int) -> Path:
        head = REAL["libraries.toml"].split(b"[[library]]", 1)[0]
        entry = (
            b'[[library]]\nname = "lib{i}"\ncategory = "utility"\nasyncio = "native"\n'
            b'trio = "bridge"\nnote = "n"\nevidence = "https://example.org/{i}"\n'
            b'checked_version = "1.0"\nchecked_on = 2026-11-29\nconfidence = "high"\n'
        )
        body = b"".join(entry.replace(b"{i}", str(i).encode()) for i in range(n))
        path = tmp_path / f"libraries-{n}.toml"
        path.write_bytes(head + body + b'[[library]]\nname = "broken"\n')
        return path

    small, large = catalog_of(300), catalog_of(3000)

    def attempt(path: Path) -> Callable[[], object]:
        def run() -> object:
            with pytest.raises(DataError):
                load_catalog(path)
            return None

        return run

    attempt(small)()
    assert _cost(attempt(large)) / _cost(attempt(small)) < 30
