"""The benchmark data files are validated against their schema: junk is named, never accepted.

meta.json, results.csv, summary.json, current.json and data/evidence.toml each reject unknown
keys, nested values where flat ones belong, NaN and infinities, metric-name typos and text that
is not plain text, with a `DataError` that names the file and the entry.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.benchmarks import WORKLOADS, load_results, load_summary_for, summarize
from advisor.benchmarks.store import read_pointer
from advisor.benchmarks.summary_file import load_summary, write_summary
from advisor.errors import DataError
from advisor.evidence import load_evidence_guide
from tests.bench.stored import throughput_rows, write_csv, write_meta

ROOT = Path(__file__).resolve().parents[2]


def _error(directory: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        load_results(directory)
    return caught.value


@pytest.mark.parametrize(
    ("overrides", "entry", "problem"),
    [
        ({"colour": "red"}, "key 'colour'", "is not a key of meta.json"),
        ({"cpu": {"nested": ["junk"]}}, "key 'cpu'", "expected a string"),
        ({"cores": [2]}, "key 'cores'", "expected a whole number"),
        ({"packages": {"trio": {"v": 1}}}, "key 'packages'", "expected an object of strings"),
        ({"cpu": "![x](https://evil.example/a.png)"}, "key 'cpu'", "not plain text"),
        ({"command": "[click](https://evil.example)"}, "key 'command'", "not plain text"),
        ({"os": "<img src=x>"}, "key 'os'", "not plain text"),
        ({"note": "see http://example.com"}, "key 'note'", "not plain text"),
        ({"timeout_s": 1e300}, "key 'timeout_s'", "expected a non-negative number"),
        ({"load_start": [1, [2]]}, "key 'load_start'", "a short list of numbers"),
    ],
)
def test_bad_meta_json_names_the_key(
    tmp_path: Path, overrides: dict[str, object], entry: str, problem: str
) -> None:
    """Unknown keys, nested junk, markup and out-of-range numbers are refused by key."""
    write_meta(tmp_path, **overrides)
    write_csv(tmp_path, *throughput_rows("asyncio", [1.0]))
    error = _error(tmp_path)
    assert error.path == tmp_path / "meta.json"
    assert error.entry == entry
    assert problem in error.problem


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_meta_json_rejects_nan_and_infinities(tmp_path: Path, constant: str) -> None:
    """JSON's NaN/Infinity extensions are not numbers the loader accepts."""
    write_meta(tmp_path)
    path = tmp_path / "meta.json"
    path.write_text(path.read_text().replace('"cores": 2', f'"cores": {constant}'))
    write_csv(tmp_path, *throughput_rows("asyncio", [1.0]))
    error = _error(tmp_path)
    assert error.path == path
    assert "not valid JSON" in error.problem


@pytest.mark.parametrize(
    "content",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"cores": ' + "9" * 5000 + "}",
        "\ufeff{}",
    ],
    ids=["deep nesting", "huge integer", "byte-order mark"],
)
def test_meta_json_that_cannot_be_read_is_named(tmp_path: Path, content: str) -> None:
    """Deep nesting, a number too long to read and a BOM give a DataError, not a crash."""
    (tmp_path / "meta.json").write_text(content, encoding="utf-8")
    write_csv(tmp_path, *throughput_rows("asyncio", [1.0]))
    assert _error(tmp_path).path == tmp_path / "meta.json"


def test_a_utf16_meta_json_is_named(tmp_path: Path) -> None:
    """A file saved as UTF-16 is reported as not UTF-8."""
    (tmp_path / "meta.json").write_bytes(json.dumps({"cpu": "x"}).encode("utf-16"))
    write_csv(tmp_path, *throughput_rows("asyncio", [1.0]))
    error = _error(tmp_path)
    assert "not UTF-8" in error.problem


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            "channel,capacity=100,trio,1,item_per_s,ops/s,higher,5.0,ok,",
            "metric 'item_per_s' is not a measure of 'channel'",
        ),
        ("channel,capacity=100,trio,1,items_per_s,ops/s,higher,nan,ok,", "not a finite number"),
        ("channel,capacity=100,trio,1,items_per_s,ops/s,higher,inf,ok,", "not a finite number"),
        (
            "channel,capacity=100,trio,1,items_per_s,ops/s,higher,,failed,see [x](https://e.x)",
            "not plain text",
        ),
    ],
)
def test_bad_results_rows_are_named(tmp_path: Path, line: str, problem: str) -> None:
    """A metric-name typo, NaN, infinity or markup in a detail names the row."""
    write_meta(tmp_path)
    path = write_csv(tmp_path, *throughput_rows("asyncio", [1.0]), line)
    error = _error(tmp_path)
    assert error.path == path
    assert error.entry == "row 3"
    assert problem in error.problem


def test_a_stale_summary_is_ignored_and_a_current_one_is_used(tmp_path: Path) -> None:
    """summary.json is used only while it matches results.csv, and then equals summarize."""
    write_meta(tmp_path)
    write_csv(tmp_path, *throughput_rows("asyncio", [1.0, 2.0]), *throughput_rows("trio", [1.0]))
    summary = summarize(load_results(tmp_path))
    write_summary(tmp_path, summary)
    stored = load_summary(tmp_path)
    assert stored is not None
    assert stored.equals(summary)
    write_csv(tmp_path, *throughput_rows("asyncio", [3.0, 2.0]))
    assert load_summary(tmp_path) is None
    fresh, _ = load_summary_for(tmp_path)
    assert float(fresh["median"].iloc[0]) == 2.5


def test_a_tampered_summary_names_the_row(tmp_path: Path) -> None:
    """A summary whose digest matches but whose cells are junk is refused, by row."""
    write_meta(tmp_path)
    write_csv(tmp_path, *throughput_rows("asyncio", [1.0]))
    write_summary(tmp_path, summarize(load_results(tmp_path)))
    path = tmp_path / "summary.json"
    document = json.loads(path.read_text())
    document["rows"][0][2] = "items_per_sec"
    path.write_text(json.dumps(document))
    with pytest.raises(DataError) as caught:
        load_summary(tmp_path)
    assert caught.value.entry == "row 1"
    assert "not a measure" in caught.value.problem


@pytest.mark.parametrize(
    "runs",
    [{"3.11": "runs/../../etc"}, {"3.11": "/etc/passwd"}, {"three": "runs/a"}, {"3.11": 5}],
)
def test_current_json_cannot_point_outside_the_store(tmp_path: Path, runs: object) -> None:
    """The served-run pointer accepts only plain run folder names under runs/."""
    (tmp_path / "current.json").write_text(json.dumps({"format_version": 2, "runs": runs}))
    with pytest.raises(DataError) as caught:
        read_pointer(tmp_path)
    assert caught.value.path == tmp_path / "current.json"


def _guide(tmp_path: Path, text: str) -> DataError:
    path = tmp_path / "evidence.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_evidence_guide(path, WORKLOADS)
    return caught.value


def _real_guide() -> str:
    return (ROOT / "data" / "evidence.toml").read_text(encoding="utf-8")


def test_the_stored_evidence_guide_loads() -> None:
    """data/evidence.toml is valid and describes every workload."""
    guide = load_evidence_guide(ROOT / "data" / "evidence.toml", WORKLOADS)
    assert set(guide.workloads) == set(WORKLOADS)


@pytest.mark.parametrize(
    ("change", "entry", "problem"),
    [
        (
            ('metric = "overhead_ns"', 'metric = "overhead_nss"'),
            "workloads.cancel.measures[1]",
            "not a measure of 'cancel'",
        ),
        (
            ("[workloads.spawn]\n", '[workloads.spawn]\ncolour = "red"\n'),
            "workloads.spawn",
            "unknown key 'colour'",
        ),
        (
            ("[relevance]\n", '[relevance]\nserverr = ["tcp_echo"]\n'),
            "relevance.serverr",
            "unknown key",
        ),
        (
            ('title = "Spawning', 'title = "[Spawning](https://evil.example) '),
            "workloads.spawn",
            "not plain text",
        ),
        (("[relevance]\n", "rule = 5\n[relevance]\n"), "rule", "unknown table"),
    ],
)
def test_a_broken_evidence_guide_names_the_entry(
    tmp_path: Path, change: tuple[str, str], entry: str, problem: str
) -> None:
    """Typos in metric names, unknown keys and tables, and markup are named by entry."""
    text = _real_guide()
    assert change[0] in text
    error = _guide(tmp_path, text.replace(change[0], change[1], 1))
    assert error.entry == entry
    assert problem in error.problem


def test_a_summary_with_an_infinite_ratio_is_written_and_read_back(tmp_path: Path) -> None:
    """A zero value (cpu_wait on an idle machine) gives an infinite speedup; summary.json
    stores it as null instead of failing the end of the run."""
    write_meta(tmp_path)
    write_csv(
        tmp_path,
        "spawn,tasks=10000,asyncio,1,cpu_wait,%,lower,3.0,ok,",
        "spawn,tasks=10000,trio,1,cpu_wait,%,lower,0.0,ok,",
    )
    summary = summarize(load_results(tmp_path))
    write_summary(tmp_path, summary)
    stored = load_summary(tmp_path)
    assert stored is not None
    assert len(stored) == 2
