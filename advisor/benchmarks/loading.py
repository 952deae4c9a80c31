"""Reading a run folder: `meta.json` and `results.csv`, validated entry by entry.

Every problem raises `DataError` naming the file, the entry (`key 'name'` in meta.json, `row N`
in results.csv, counted as a spreadsheet does with the header as row 1) and the problem.
Unknown keys, nested values where a flat one belongs, `NaN`/`Infinity`, numbers too long to
read, metric names that are not the workload's, and text that is not plain text are all
rejected. The work is linear in the size of the files, which are read up to `MAX_FILE_BYTES`.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Final

import pandas as pd

from advisor.benchmarks.format import (
    COLUMNS,
    FORMAT_VERSION,
    META_FILE,
    OPTIONAL_COLUMNS,
    PYTHON_VERSION,
    READABLE_FORMATS,
    RESULTS_FILE,
    RUNTIMES,
    WORKLOADS,
    BenchmarkMeta,
    Better,
    ResultRow,
    choices,
    plain_text_problem,
)
from advisor.errors import DataError

MAX_FILE_BYTES: Final = 20_000_000
"""Larger files are refused before parsing (a full run's results.csv is about 1 MB)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class BenchmarkResults:
    """Validated stored results: the rows as a tidy frame, and the metadata."""

    rows: pd.DataFrame
    """One row per measured value, with the columns in `COLUMNS`: `workload` and `runtime`
    are ordered categoricals (order of `WORKLOADS` and `RUNTIMES`), `round` is an integer,
    `value` a float (NaN for rows whose status is not `ok`), the rest strings."""
    meta: BenchmarkMeta
    """Machine, versions and command behind the rows."""


def read_text(path: Path) -> str:
    """The file's text (UTF-8, at most `MAX_FILE_BYTES`); problems raise `DataError`."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise DataError(path, None, "file not found") from None
    except OSError as exc:
        raise DataError(path, None, f"cannot read the file ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise DataError(path, None, f"is larger than {MAX_FILE_BYTES:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(path, None, f"is not UTF-8 text (byte {exc.start})") from None


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number JSON allows")


def read_json_object(path: Path) -> dict[str, object]:
    """A JSON object from `path`: no NaN/Infinity, no unreadably long number, not too deep."""
    text = read_text(path)
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise DataError(path, f"line {exc.lineno}", f"not valid JSON ({exc.msg})") from None
    except (ValueError, RecursionError) as exc:
        reason = str(exc)[:100] or "nested too deep"
        raise DataError(path, None, f"not valid JSON ({reason})") from None
    if not isinstance(data, dict):
        raise DataError(path, None, "the top level is not a JSON object")
    return data


# --- meta.json ---------------------------------------------------------------------------------

_MISSING: Final = object()
_META_KEYS: Final = frozenset(BenchmarkMeta.__dataclass_fields__)


def load_meta(path: Path) -> BenchmarkMeta:
    """Read and validate one `meta.json`."""
    data = read_json_object(path)
    unknown = sorted(key for key in data if key not in _META_KEYS)
    if unknown:
        raise DataError(path, f"key {unknown[0][:60]!r}", "is not a key of meta.json")
    reader = _MetaReader(path, data)
    version = reader.integer("format_version", default=1)
    if version not in READABLE_FORMATS:
        raise DataError(
            path,
            "key 'format_version'",
            f"format {version} is not one this version reads ({choices(READABLE_FORMATS)})",
        )
    python_version = reader.text("python_version", default="")
    if python_version and not PYTHON_VERSION.match(python_version):
        raise DataError(path, "key 'python_version'", f"{python_version!r} is not a version")
    return BenchmarkMeta(
        cpu=reader.text("cpu"),
        cores=reader.integer("cores", minimum=1),
        os=reader.text("os"),
        python=reader.text("python"),
        packages=reader.text_mapping("packages"),
        date=reader.text("date"),
        command=reader.text("command"),
        rounds=reader.integer("rounds", minimum=1),
        quick=reader.boolean("quick"),
        format_version=version,
        usable_cores=reader.integer("usable_cores", default=0),
        machine=reader.text("machine", default=""),
        workloads=reader.names("workloads", WORKLOADS),
        runtimes=reader.names("runtimes", RUNTIMES),
        timeout_s=reader.number("timeout_s", default=0.0),
        seed=reader.integer("seed", default=0),
        nice=reader.integer("nice", default=0, minimum=-20),
        load_start=reader.numbers("load_start"),
        load_end=reader.numbers("load_end"),
        duration_s=reader.optional_number("duration_s"),
        finished=reader.boolean("finished", default=False),
        event_loops=reader.text_mapping("event_loops", default={}),
        python_version=python_version,
        load_during=reader.numbers("load_during"),
        cpu_wait_median=reader.optional_number("cpu_wait_median"),
        note=reader.text("note", default=""),
        run_id=reader.text("run_id", default=""),
    )


class _MetaReader:
    """Typed access to the keys of meta.json; every problem names the key."""

    def __init__(self, path: Path, data: Mapping[str, object]) -> None:
        self._path = path
        self._data = data

    def _get(self, key: str, default: object) -> object:
        value = self._data.get(key, default)
        if value is _MISSING:
            raise DataError(self._path, f"key {key!r}", "missing")
        return value

    def _fail(self, key: str, expected: str, value: object) -> DataError:
        shown = repr(value)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        return DataError(self._path, f"key {key!r}", f"expected {expected}, got {shown}")

    def _plain(self, key: str, text: str) -> str:
        problem = plain_text_problem(text)
        if problem:
            raise DataError(self._path, f"key {key!r}", f"the text {problem}")
        return text

    def text(self, key: str, default: object = _MISSING) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self._fail(key, "a string", value)
        return self._plain(key, value)

    def integer(self, key: str, *, default: object = _MISSING, minimum: int = 0) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value < 2**63:
            raise self._fail(key, f"a whole number of at least {minimum}", value)
        return value

    def number(self, key: str, *, default: object = _MISSING) -> float:
        value = self._get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 <= value < 1e12
            or not math.isfinite(value)
        ):
            raise self._fail(key, "a non-negative number", value)
        return float(value)

    def optional_number(self, key: str) -> float | None:
        if self._data.get(key) is None:
            return None
        return self.number(key)

    def boolean(self, key: str, *, default: object = _MISSING) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false", value)
        return value

    def numbers(self, key: str) -> tuple[float, ...]:
        value = self._get(key, [])
        if (
            not isinstance(value, list)
            or len(value) > 10
            or not all(
                isinstance(item, int | float)
                and not isinstance(item, bool)
                and math.isfinite(item)
                and abs(item) < 1e12
                for item in value
            )
        ):
            raise self._fail(key, "a short list of numbers", value)
        return tuple(float(item) for item in value)

    def names(self, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        value = self._get(key, list(allowed))
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self._fail(key, "a list of names", value)
        for item in value:
            if item not in allowed:
                raise DataError(
                    self._path, f"key {key!r}", f"{item[:40]!r} is not one of {choices(allowed)}"
                )
        return tuple(value)

    def text_mapping(self, key: str, default: object = _MISSING) -> Mapping[str, str]:
        value = self._get(key, default)
        if (
            not isinstance(value, dict)
            or len(value) > 50
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
        ):
            raise self._fail(key, "an object of strings", value)
        for name, text in value.items():
            self._plain(key, name)
            self._plain(key, text)
        return MappingProxyType(dict(value))


# --- results.csv -------------------------------------------------------------------------------


def load_run(directory: Path) -> BenchmarkResults:
    """Load and validate one run folder (`results.csv` and `meta.json`).

    Raises `DataError` naming the file and the entry and the problem.
    """
    meta = load_meta(directory / META_FILE)
    rows = list(read_rows(directory / RESULTS_FILE, meta))
    return BenchmarkResults(rows=rows_frame(rows), meta=meta)


def read_rows(path: Path, meta: BenchmarkMeta) -> Iterator[ResultRow]:
    """Every row of a `results.csv`, validated against the format and its `meta`."""
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(path, None, "the file is empty (no header)") from None
    except csv.Error as exc:
        raise DataError(path, "row 1", f"not valid CSV ({exc})") from None
    required = [column for column in COLUMNS if column not in OPTIONAL_COLUMNS]
    missing = [column for column in required if column not in header]
    unknown = [column for column in header if column not in COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        parts = []
        if missing:
            parts.append(f"missing {choices(missing)}")
        if unknown:
            parts.append(f"unknown {choices(name[:40] for name in unknown)}")
        if len(set(header)) != len(header):
            parts.append("repeated column names")
        raise DataError(path, "row 1", "bad header: " + "; ".join(parts))
    fallback_python = meta.python_version or meta.minor

    seen: dict[tuple[str, str, str, int, str], int] = {}
    units: dict[tuple[str, str], tuple[str, Better, int]] = {}
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataError(path, f"row {reader.line_num}", f"not valid CSV ({exc})") from None
        entry = f"row {reader.line_num}"
        if not fields:
            continue
        if len(fields) != len(header):
            raise DataError(
                path, entry, f"has {len(fields)} fields where the header has {len(header)}"
            )
        record = dict(zip(header, fields, strict=True))
        record.setdefault("python", fallback_python)
        try:
            row = ResultRow.from_record(record)
        except ValueError as exc:
            raise DataError(path, entry, str(exc)) from None
        if row.round > meta.rounds:
            raise DataError(
                path, entry, f"round {row.round} is beyond the {meta.rounds} rounds in meta.json"
            )
        if meta.python_version and row.python != meta.python_version:
            raise DataError(
                path,
                entry,
                f"python {row.python!r} is not the run's interpreter {meta.python_version!r}",
            )
        key = (row.workload, row.case, row.runtime, row.round, row.metric)
        if key in seen:
            raise DataError(
                path,
                entry,
                f"repeats the measurement in row {seen[key]} "
                f"({row.workload} {row.case} {row.runtime} round {row.round} {row.metric})",
            )
        seen[key] = reader.line_num
        declared = units.setdefault((row.workload, row.metric), (row.unit, row.better, seen[key]))
        if declared[:2] != (row.unit, row.better):
            raise DataError(
                path,
                entry,
                f"metric {row.metric!r} of {row.workload!r} is in {row.unit!r} "
                f"({row.better.value} is better) but row {declared[2]} has {declared[0]!r} "
                f"({declared[1].value} is better)",
            )
        yield row


def rows_frame(rows: Sequence[ResultRow]) -> pd.DataFrame:
    """The tidy frame of `BenchmarkResults.rows`."""
    return pd.DataFrame(
        {
            "workload": pd.Categorical(
                [row.workload for row in rows], categories=WORKLOADS, ordered=True
            ),
            "case": pd.Series([row.case for row in rows], dtype="str"),
            "runtime": pd.Categorical(
                [row.runtime for row in rows], categories=RUNTIMES, ordered=True
            ),
            "round": pd.Series([row.round for row in rows], dtype="int64"),
            "metric": pd.Series([row.metric for row in rows], dtype="str"),
            "unit": pd.Series([row.unit for row in rows], dtype="str"),
            "better": pd.Series([row.better.value for row in rows], dtype="str"),
            "value": pd.Series(
                [math.nan if row.value is None else row.value for row in rows], dtype="float64"
            ),
            "status": pd.Series([row.status.value for row in rows], dtype="str"),
            "detail": pd.Series([row.detail for row in rows], dtype="str"),
            "python": pd.Series([row.python for row in rows], dtype="str"),
        },
        columns=list(COLUMNS),
    )


__all__ = [
    "FORMAT_VERSION",
    "BenchmarkResults",
    "load_meta",
    "load_run",
    "read_rows",
    "rows_frame",
]
