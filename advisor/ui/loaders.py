"""Cached data loading and chart specs: a rerun after a widget change does no file I/O.

`Knowledge` holds compiled closures, which `st.cache_data` cannot pickle; it is immutable
(frozen dataclasses and tuples), so sharing one instance through `st.cache_resource` is safe.
The benchmark frame and chart specs are plain data and go through `st.cache_data`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes

from advisor import benchmarks
from advisor.answers import Answers
from advisor.benchmarks.store import describe_unfinished, served_runs, unfinished_runs
from advisor.charts import build_reasons_chart, build_speedup_chart
from advisor.deps.tools import DevTools, load_dev_tools
from advisor.engine import Knowledge, configured_data_dir, load_knowledge, recommend
from advisor.errors import DataError
from advisor.evidence import EvidenceGuide, describe_workload, load_evidence_guide, shown_rows
from advisor.recommendation import Recommendation
from advisor.ui.tables import blockers_frame, dependencies_frame, reasons_frame

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _memo(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """An in-process LRU in front of a `st.cache_resource` function.

    A cache_resource lookup hashes its arguments and inspects the function's signature on
    every call (about 0.3 ms each, twenty-odd calls per rerun); this dictionary lookup is what a
    rerun pays instead. The values are the very objects cache_resource shares, keyed by the same
    arguments (the data directory first), and they never change while serving. Errors are not
    cached, so a broken data file is reported again on the next run.
    """
    return functools.lru_cache(maxsize=512)(function)  # type: ignore[return-value]


def data_dir() -> str:
    """The data folder: the project's own, or ADVISOR_DATA_DIR (a deployment's reviewed copy)."""
    return str(configured_data_dir())


@_memo
@st.cache_resource(show_spinner=False)
def _knowledge(directory: str) -> Knowledge:
    return load_knowledge(Path(directory))


def knowledge() -> Knowledge:
    """Catalog, rules and policy, loaded and validated once per server process."""
    return _knowledge(data_dir())


@_memo
@st.cache_resource(show_spinner=False)
def _dev_tools(directory: str) -> DevTools:
    path = Path(directory) / "dev_tools.toml"
    if not path.exists():  # an older reviewed copy of the data: the catalog's roles only
        return DevTools(path=path)
    return load_dev_tools(path, _knowledge(directory).catalog)


def dev_tools() -> DevTools:
    """The development-tool list (`dev_tools.toml`), checked against the catalog, loaded once."""
    return _dev_tools(data_dir())


@_memo
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


@_memo
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


def recommendation_for(query: str) -> Recommendation:
    """The recommendation for a canonical query (answers are fully described by it).

    A shared resource rather than `cache_data`: a Recommendation is frozen all the way down,
    so there is nothing to protect by unpickling a fresh copy on every call of every rerun.
    """
    return _recommendation_for(data_dir(), query)


@_memo
@st.cache_resource(show_spinner=False, max_entries=512)
def _recommendation_for(directory: str, query: str) -> Recommendation:
    return recommend(Answers.from_query(query), _knowledge(directory))


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
    if _is_shared(rec):
        return _reasons_chart_spec(data_dir(), rec.answers.to_query())
    return _with_arrow_datasets(build_reasons_chart(rec).to_dict())


@_memo
@st.cache_resource(show_spinner=False, max_entries=512)
def _reasons_chart_spec(directory: str, query: str) -> dict[str, Any]:
    chart = build_reasons_chart(_recommendation_for(directory, query))
    return _with_arrow_datasets(chart.to_dict())


def speedup_chart_spec(workload: str, python: str | None = None) -> dict[str, Any]:
    """One benchmark workload's chart spec (the stored results never change while serving)."""
    return _speedup_chart_spec(data_dir(), workload, python)


@_memo
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


@_memo
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


@_memo
@st.cache_resource(show_spinner=False, max_entries=512)
def _tables(directory: str, query: str) -> tuple[pa.Table, pa.Table, pa.Table]:
    # Arrow tables are immutable, so one shared copy is safe; handing st.dataframe a table
    # skips the pandas-to-Arrow conversion that otherwise dominates a rerun.
    return _build_tables(_recommendation_for(directory, query))


def _is_shared(rec: Recommendation) -> bool:
    """Whether `rec` is the cached one for its answers (not a dependency file's refinement,
    which carries pins and project context the query does not)."""
    return rec is _recommendation_for(data_dir(), rec.answers.to_query())


def _tables_for(rec: Recommendation) -> tuple[pa.Table, pa.Table, pa.Table]:
    if _is_shared(rec):
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
