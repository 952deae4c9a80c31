"""Cached tables, chart specs and benchmark summaries for the sections under the verdict.

These need pandas, pyarrow and altair (about 0.8 s to import on a cold server), which the
verdict, painted first (advisor/ui/first_paint.py), does without. Like
`advisor.ui.loaders`, everything is cached per server process, so a rerun does no file I/O:
the benchmark summary and chart specs are shared resources (never mutated), and a table or the
reasons chart of the cached recommendation for an answer set is cached with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from advisor import benchmarks
from advisor.benchmarks.store import describe_unfinished, served_runs, unfinished_runs
from advisor.charts import build_reasons_chart, build_speedup_chart
from advisor.errors import DataError
from advisor.evidence import EvidenceGuide, describe_workload, load_evidence_guide, shown_rows
from advisor.recommendation import Recommendation
from advisor.ui.loaders import data_dir, is_shared, memo, recommendation_cached
from advisor.ui.tables import blockers_frame, dependencies_frame, reasons_frame


@memo
@st.cache_resource(show_spinner=False)
def _evidence_guide(directory: str) -> EvidenceGuide:
    return load_evidence_guide(Path(directory) / "evidence.toml", tuple(benchmarks.WORKLOADS))


def evidence_guide() -> EvidenceGuide:
    """The answers-to-benchmarks guide (data/evidence.toml)."""
    return _evidence_guide(data_dir())


def bench_summary(python: str | None = None) -> tuple[pd.DataFrame, dict[str, Any]] | str:
    """The stored benchmark summary and its metadata, or the loader's error message: the run
    on the user's Python version (`3.12`) when one is stored, else the server's, else the first.

    Shared, not copied per call (cache_resource): callers only filter it, never mutate it.
    Read from the run's precomputed `summary.json` (no re-summarising on a fresh server).
    """
    return _bench_summary(data_dir(), python)


@memo
@st.cache_resource(show_spinner=False)
def _bench_summary(
    directory: str, python: str | None = None
) -> tuple[pd.DataFrame, dict[str, Any]] | str:
    store = Path(directory) / "benchmarks"
    try:
        summary, meta = benchmarks.load_summary_for(store, python)
        unfinished = describe_unfinished(unfinished_runs(store))
        others = [minor for minor in served_runs(store) if minor != meta.minor]
    except DataError as error:
        return str(error)
    return summary, {
        "python_version": meta.python_version,
        "note": meta.note,
        "cpu_wait_median": meta.cpu_wait_median,
        "load_during": list(meta.load_during),
        "unfinished": unfinished,
        "other_pythons": others,
        "cpu": meta.cpu,
        "cores": meta.cores,
        "os": meta.os,
        "python": meta.python,
        "packages": dict(meta.packages),
        "date": meta.date,
        "command": meta.command,
        "rounds": meta.rounds,
        "quick": meta.quick,
    }


def _with_arrow_datasets(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with its inline datasets already in Arrow IPC form.

    `st.vega_lite_chart` passes bytes datasets through untouched, but converts lists of rows
    to Arrow on every call (several ms per chart, per rerun). Specs are cached as resources
    (shared, never mutated: Streamlit copies the top-level dict before changing it).
    """
    datasets = spec.get("datasets")
    if datasets:
        spec = {
            **spec,
            "datasets": {
                name: convert_anything_to_arrow_bytes(pd.DataFrame(rows))
                for name, rows in datasets.items()
            },
        }
    return spec


def reasons_chart_spec(rec: Recommendation) -> dict[str, Any]:
    """The reasons chart's spec for `rec` (building and validating costs ~20 ms, so the spec
    of the cached recommendation for these answers is cached with it)."""
    if is_shared(rec):
        return _reasons_chart_spec(data_dir(), rec.answers.to_query())
    return _with_arrow_datasets(build_reasons_chart(rec).to_dict())


@memo
@st.cache_resource(show_spinner=False, max_entries=512)
def _reasons_chart_spec(directory: str, query: str) -> dict[str, Any]:
    chart = build_reasons_chart(recommendation_cached(directory, query))
    return _with_arrow_datasets(chart.to_dict())


def speedup_chart_spec(workload: str, python: str | None = None) -> dict[str, Any]:
    """One benchmark workload's chart spec (the stored results never change while serving)."""
    return _speedup_chart_spec(data_dir(), workload, python)


@memo
@st.cache_resource(show_spinner=False)
def _speedup_chart_spec(directory: str, workload: str, python: str | None = None) -> dict[str, Any]:
    loaded = _bench_summary(directory, python)
    if isinstance(loaded, str):
        return {}
    summary = loaded[0]
    guide = _evidence_guide(directory)
    chart = build_speedup_chart(
        shown_rows(summary, workload, guide), baseline=baseline_rows(summary, workload, guide)
    )
    return _with_arrow_datasets(chart.to_dict())


def baseline_rows(summary: pd.DataFrame, workload: str, guide: EvidenceGuide) -> pd.DataFrame:
    """The plain-asyncio rows of the measures a workload's chart shows (their absolute values
    label the chart's rows)."""
    metrics = guide.workloads[workload].metrics
    return summary[
        (summary["workload"] == workload)
        & (summary["runtime"] == "asyncio")
        & summary["metric"].isin(metrics)
    ]


def workload_sentence(workload: str, python: str | None = None) -> str:
    """The plain sentences under a benchmark chart (pure of the stored results, so cached)."""
    return _workload_sentence(data_dir(), workload, python)


@memo
@st.cache_resource(show_spinner=False)
def _workload_sentence(directory: str, workload: str, python: str | None = None) -> str:
    loaded = _bench_summary(directory, python)
    if isinstance(loaded, str):
        return ""
    return describe_workload(loaded[0], workload, _evidence_guide(directory))


def _build_tables(rec: Recommendation) -> tuple[pa.Table, pa.Table, pa.Table]:
    return (
        pa.Table.from_pandas(reasons_frame(rec), preserve_index=False),
        pa.Table.from_pandas(dependencies_frame(rec), preserve_index=False),
        pa.Table.from_pandas(blockers_frame(rec), preserve_index=False),
    )


@memo
@st.cache_resource(show_spinner=False, max_entries=512)
def _tables(directory: str, query: str) -> tuple[pa.Table, pa.Table, pa.Table]:
    # Arrow tables are immutable, so one shared copy is safe; handing st.dataframe a table
    # skips the pandas-to-Arrow conversion that otherwise dominates a rerun.
    return _build_tables(recommendation_cached(directory, query))


def _tables_for(rec: Recommendation) -> tuple[pa.Table, pa.Table, pa.Table]:
    if is_shared(rec):
        return _tables(data_dir(), rec.answers.to_query())
    return _build_tables(rec)


def blockers_table(rec: Recommendation) -> pa.Table:
    """The blockers table of `rec` (one row per blocking dependency)."""
    return _tables_for(rec)[2]


def reasons_table(rec: Recommendation) -> pa.Table:
    """The reasons table of `rec`."""
    return _tables_for(rec)[0]


def dependencies_table(rec: Recommendation) -> pa.Table:
    """The dependency table of `rec`."""
    return _tables_for(rec)[1]
