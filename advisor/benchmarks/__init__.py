"""The stored benchmark results: format, writing, loading, the store of runs, statistics.

- `format`: the declarations both sides share (columns, workloads, runtimes, metric names,
  `ResultRow`, `BenchmarkMeta`).
- `writing`: a run folder written as the run goes; `store`: finished runs served per Python
  version, the run lock, unfinished runs.
- `loading`: validated reading of a run folder; `summary_file`: the precomputed summary.
- `statistics`: medians, spread and paired ratios; `figures`: absolute per-operation costs and
  the figures sentences and rules quote.

The harness (`advisor.bench`) writes through these; the app reads through `load_results`,
`load_summary_for` and `summarize`. This package imports nothing from the rest of `advisor`
except the error type, and no Streamlit.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from advisor.benchmarks.format import (
    BASELINE,
    COLUMNS,
    FORMAT_VERSION,
    META_FILE,
    METRICS,
    NO_CASE,
    RESULTS_FILE,
    RUNTIMES,
    SUMMARY_COLUMNS,
    SUMMARY_FILE,
    UNITS,
    WORKLOADS,
    BenchmarkMeta,
    Better,
    ResultRow,
    Status,
)
from advisor.benchmarks.loading import BenchmarkResults, load_run
from advisor.benchmarks.statistics import median_confidence_interval, summarize
from advisor.benchmarks.store import choose_run, is_store
from advisor.benchmarks.summary_file import summary_of_run
from advisor.benchmarks.writing import ResultsWriter

__all__ = [
    "BASELINE",
    "COLUMNS",
    "FORMAT_VERSION",
    "META_FILE",
    "METRICS",
    "NO_CASE",
    "RESULTS_FILE",
    "RUNTIMES",
    "SUMMARY_COLUMNS",
    "SUMMARY_FILE",
    "UNITS",
    "WORKLOADS",
    "BenchmarkMeta",
    "BenchmarkResults",
    "Better",
    "ResultRow",
    "ResultsWriter",
    "Status",
    "load_results",
    "load_summary_for",
    "median_confidence_interval",
    "run_folder",
    "summarize",
]


def run_folder(directory: Path, python: str | None = None) -> Path:
    """The run folder `directory` means: itself if it holds a run (`meta.json`), else the
    served run of a store for `python` (`3.12`; default the running interpreter's, else the
    first served)."""
    if (directory / META_FILE).exists() or not is_store(directory):
        return directory
    return choose_run(directory, python)


def load_results(directory: Path, python: str | None = None) -> BenchmarkResults:
    """Load and validate a run: `directory` itself, or a store's served run (`run_folder`).

    Raises `DataError` naming the file and the entry (`row N`, counted as a spreadsheet does
    with the header as row 1, or `key 'name'` in meta.json) and the problem.
    """
    return load_run(run_folder(directory, python))


def load_summary_for(
    directory: Path, python: str | None = None
) -> tuple[pd.DataFrame, BenchmarkMeta]:
    """The summary of the run `run_folder` picks, from its `summary.json` when that is current
    (no re-summarising on a fresh server), and its metadata. Raises `DataError`."""
    return summary_of_run(run_folder(directory, python))
