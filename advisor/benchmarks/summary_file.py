"""`summary.json`: the `summarize` table of a finished run, so a fresh server skips the work.

The harness writes it when a run finishes, with the SHA-256 of the `results.csv` it summarises.
`load_summary` uses it only while that digest still matches (an edited results file is
re-summarised), and validates every cell: known workloads, runtimes and metrics, finite
numbers or null, plain-text cases.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Final

import pandas as pd

from advisor.benchmarks.format import (
    FORMAT_VERSION,
    METRICS,
    RESULTS_FILE,
    RUNTIMES,
    SUMMARY_COLUMNS,
    SUMMARY_FILE,
    UNITS,
    WORKLOADS,
    BenchmarkMeta,
    Better,
    plain_text_problem,
)
from advisor.benchmarks.loading import load_meta, load_run, read_json_object
from advisor.benchmarks.statistics import summarize, typed_summary
from advisor.errors import DataError

_INTEGER_COLUMNS: Final = frozenset({"n", "pairs", "failed"})
_TEXT_COLUMNS: Final = frozenset({"workload", "case", "metric", "unit", "better", "runtime"})


def results_digest(run_folder: Path) -> str:
    """SHA-256 (hex) of the run's `results.csv`."""
    return hashlib.sha256((run_folder / RESULTS_FILE).read_bytes()).hexdigest()


def write_summary(run_folder: Path, summary: pd.DataFrame) -> None:
    """Write `summary.json` for the run's current `results.csv`."""
    rows = [
        [None if isinstance(value, float) and math.isnan(value) else value for value in record]
        for record in summary[list(SUMMARY_COLUMNS)].astype("object").itertuples(index=False)
    ]
    document = {
        "format_version": FORMAT_VERSION,
        "results_sha256": results_digest(run_folder),
        "columns": list(SUMMARY_COLUMNS),
        "rows": [[_plain(value) for value in row] for row in rows],
    }
    (run_folder / SUMMARY_FILE).write_text(
        json.dumps(document, allow_nan=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )


def _plain(value: object) -> object:
    """A JSON-safe cell: NaN and infinities (a ratio to a zero baseline, such as a cpu_wait
    of 0 on an idle machine) become null, read back as NaN."""
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, int):
        return value
    number = float(value)  # type: ignore[arg-type]  # numpy scalars
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def load_summary(run_folder: Path) -> pd.DataFrame | None:
    """The stored summary if it is there and matches `results.csv`; None if it is missing or
    stale. A malformed file raises `DataError` naming the entry."""
    path = run_folder / SUMMARY_FILE
    if not path.exists():
        return None
    data = read_json_object(path)
    if set(data) != {"format_version", "results_sha256", "columns", "rows"}:
        raise DataError(
            path, None, "expected exactly format_version, results_sha256, columns, rows"
        )
    if data["format_version"] != FORMAT_VERSION or data["columns"] != list(SUMMARY_COLUMNS):
        return None
    if data["results_sha256"] != results_digest(run_folder):
        return None
    raw_rows = data["rows"]
    if not isinstance(raw_rows, list):
        raise DataError(path, "key 'rows'", "expected a list of rows")
    records = []
    for number, raw in enumerate(raw_rows, start=1):
        if not isinstance(raw, list) or len(raw) != len(SUMMARY_COLUMNS):
            raise DataError(path, f"row {number}", f"expected {len(SUMMARY_COLUMNS)} values")
        record = dict(zip(SUMMARY_COLUMNS, raw, strict=True))
        problem = _record_problem(record)
        if problem:
            raise DataError(path, f"row {number}", problem)
        records.append({key: math.nan if value is None else value for key, value in record.items()})
    return typed_summary(pd.DataFrame.from_records(records, columns=list(SUMMARY_COLUMNS)))


def _record_problem(record: dict[str, object]) -> str | None:
    for column, value in record.items():
        if column in _TEXT_COLUMNS:
            if not isinstance(value, str) or plain_text_problem(value):
                return f"{column} is not plain text"
        elif column in _INTEGER_COLUMNS:
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**9:
                return f"{column} is not a count"
        elif value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            return f"{column} is not a finite number or null"
    workload, runtime = str(record["workload"]), str(record["runtime"])
    if workload not in WORKLOADS or runtime not in RUNTIMES:
        return f"unknown workload {workload[:40]!r} or runtime {runtime[:40]!r}"
    if record["metric"] not in METRICS[workload]:
        return f"metric {str(record['metric'])[:40]!r} is not a measure of {workload!r}"
    if record["unit"] not in UNITS or record["better"] not in {b.value for b in Better}:
        return "unknown unit or direction"
    return None


def summary_of_run(run_folder: Path) -> tuple[pd.DataFrame, BenchmarkMeta]:
    """The run's summary (from `summary.json` when current, else computed) and its meta."""
    stored = load_summary(run_folder)
    if stored is not None:
        return stored, load_meta(run_folder / "meta.json")
    results = load_run(run_folder)
    return summarize(results), results.meta
