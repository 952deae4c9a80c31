"""load_results: valid files become tidy frames; any bad file, row or key is named."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from advisor.benchmarks import COLUMNS, RUNTIMES, WORKLOADS, load_results
from advisor.errors import DataError
from tests.bench.stored import HEADER, throughput_rows, write_csv, write_meta


def _load_error(directory: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        load_results(directory)
    return caught.value


def test_valid_files_load_as_a_tidy_frame(tmp_path: Path) -> None:
    """Every declared column is there, with categoricals, integers and floats as declared."""
    write_meta(tmp_path)
    write_csv(
        tmp_path,
        *throughput_rows("asyncio", [100.0, 110.0]),
        *throughput_rows("trio", [50.0, 55.0]),
        "channel,capacity=100,uvloop,1,items_per_s,ops/s,higher,,failed,WorkloadError: 3 of 4",
    )
    results = load_results(tmp_path)
    rows = results.rows
    assert list(rows.columns) == list(COLUMNS)
    assert len(rows) == 5
    assert list(rows["runtime"].cat.categories) == list(RUNTIMES)
    assert list(rows["workload"].cat.categories) == list(WORKLOADS)
    assert rows["round"].dtype == "int64"
    assert rows["value"].dtype == "float64"
    assert math.isnan(rows["value"].iloc[4])
    assert rows["detail"].iloc[4] == "WorkloadError: 3 of 4"
    assert results.meta.cores == 2
    assert results.meta.packages["trio"] == "0.35.0"


def test_a_value_that_is_not_a_number_names_the_file_and_row(tmp_path: Path) -> None:
    """The row is counted as in a spreadsheet: the header is row 1."""
    write_meta(tmp_path)
    path = write_csv(
        tmp_path,
        *throughput_rows("asyncio", [100.0, 110.0]),
        "channel,capacity=100,trio,1,items_per_s,ops/s,higher,abc,ok,",
    )
    error = _load_error(tmp_path)
    assert error.path == path
    assert error.entry == "row 4"
    assert error.problem == "metric 'items_per_s': value 'abc' is not a number"
    assert str(error) == f"{path}: row 4: metric 'items_per_s': value 'abc' is not a number"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            "channel,capacity=100,curio,1,items_per_s,ops/s,higher,1.0,ok,",
            "runtime 'curio' is not one of",
        ),
        ("chanel,capacity=100,trio,1,items_per_s,ops/s,higher,1.0,ok,", "workload 'chanel'"),
        ("channel,capacity=100,trio,0,items_per_s,ops/s,higher,1.0,ok,", "round 0"),
        ("channel,capacity=100,trio,x,items_per_s,ops/s,higher,1.0,ok,", "round 'x'"),
        ("channel,capacity=100,trio,1,items_per_s,furlongs,higher,1.0,ok,", "unit 'furlongs'"),
        ("channel,capacity=100,trio,1,items_per_s,ops/s,more,1.0,ok,", "better 'more'"),
        ("channel,capacity=100,trio,1,items_per_s,ops/s,higher,1.0,done,", "status 'done'"),
        ("channel,capacity=100,trio,1,items_per_s,ops/s,higher,,ok,", "has no value"),
        ("channel,capacity=100,trio,1,items_per_s,ops/s,higher,inf,ok,", "not a finite"),
        ("channel,capacity=100,trio,1,items_per_s,ops/s,higher,1.0,failed,x", "has a value"),
        ("channel,capacity=100,trio,1,Items Per S,ops/s,higher,1.0,ok,", "lowercase name"),
        ("channel,,trio,1,items_per_s,ops/s,higher,1.0,ok,", "case ''"),
        ("channel,capacity=100,trio,1,items_per_s,ops/s,higher,1.0,ok", "has 9 fields"),
        ("channel,capacity=100,trio,9,items_per_s,ops/s,higher,1.0,ok,", "beyond the 5 rounds"),
    ],
)
def test_each_kind_of_bad_row_is_named(tmp_path: Path, line: str, problem: str) -> None:
    """A bad third data row is reported as row 4 with what is wrong with it."""
    write_meta(tmp_path)
    write_csv(tmp_path, *throughput_rows("asyncio", [100.0, 110.0]), line)
    error = _load_error(tmp_path)
    assert error.entry == "row 4"
    assert problem in error.problem


def test_a_repeated_measurement_names_both_rows(tmp_path: Path) -> None:
    """The same workload, case, runtime, round and metric may appear only once."""
    write_meta(tmp_path)
    write_csv(tmp_path, *throughput_rows("asyncio", [100.0]), *throughput_rows("asyncio", [1.0]))
    error = _load_error(tmp_path)
    assert error.entry == "row 3"
    assert "repeats the measurement in row 2" in error.problem


def test_a_metric_whose_unit_changes_between_rows_is_rejected(tmp_path: Path) -> None:
    """A metric has one unit and one direction across a file."""
    write_meta(tmp_path)
    write_csv(
        tmp_path,
        *throughput_rows("asyncio", [100.0]),
        "channel,capacity=100,trio,1,items_per_s,ms,lower,3.0,ok,",
    )
    error = _load_error(tmp_path)
    assert error.entry == "row 3"
    assert "but row 2 has 'ops/s'" in error.problem


def test_a_header_missing_a_column_is_named(tmp_path: Path) -> None:
    """The header is row 1; the missing and unknown columns are listed."""
    write_meta(tmp_path)
    write_csv(tmp_path, header=HEADER.replace("status", "state"))
    error = _load_error(tmp_path)
    assert error.entry == "row 1"
    assert "missing 'status'" in error.problem
    assert "unknown 'state'" in error.problem


def test_a_header_only_file_loads_as_no_rows(tmp_path: Path) -> None:
    """A run stopped before its first sample leaves a valid, empty file."""
    write_meta(tmp_path)
    write_csv(tmp_path)
    assert load_results(tmp_path).rows.empty


def test_a_missing_results_file_is_named(tmp_path: Path) -> None:
    """Without results.csv the error names that file."""
    write_meta(tmp_path)
    error = _load_error(tmp_path)
    assert error.path == tmp_path / "results.csv"
    assert error.problem == "file not found"


@pytest.mark.parametrize(
    ("overrides", "entry", "problem"),
    [
        ({"cores": ...}, "key 'cores'", "missing"),
        ({"cores": "two"}, "key 'cores'", "expected a whole number"),
        ({"rounds": 0}, "key 'rounds'", "expected a whole number of at least 1"),
        ({"quick": "no"}, "key 'quick'", "expected true or false"),
        ({"packages": {"trio": 35}}, "key 'packages'", "expected an object of strings"),
        ({"runtimes": ["asyncio", "gevent"]}, "key 'runtimes'", "'gevent' is not one of"),
        ({"format_version": 3}, "key 'format_version'", "format 3 is not one this version reads"),
    ],
)
def test_bad_metadata_names_the_key(
    tmp_path: Path, overrides: dict[str, object], entry: str, problem: str
) -> None:
    """Each problem in meta.json names its key."""
    write_meta(tmp_path, **overrides)
    write_csv(tmp_path)
    error = _load_error(tmp_path)
    assert error.path == tmp_path / "meta.json"
    assert error.entry == entry
    assert problem in error.problem


def test_metadata_that_is_not_json_names_the_line(tmp_path: Path) -> None:
    """A syntax error in meta.json points at its line."""
    (tmp_path / "meta.json").write_text('{\n  "cpu": oops\n}\n', encoding="utf-8")
    write_csv(tmp_path)
    error = _load_error(tmp_path)
    assert error.entry == "line 2"
    assert "not valid JSON" in error.problem
