"""Cached loading of what the verdict needs: the catalog, rules and policy, and the
recommendation per answer set. A rerun after a widget change does no file I/O.

`Knowledge` holds compiled closures, which `st.cache_data` cannot pickle; it is immutable
(frozen dataclasses and tuples), so sharing one instance through `st.cache_resource` is safe.
This module imports no pandas, pyarrow or altair: a browser's first run draws the verdict
before them (advisor/ui/first_paint.py), so a cold server paints it without waiting for them.
The tables, chart specs and benchmark summaries are in `advisor.ui.page_data`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import streamlit as st

from advisor.answers import Answers
from advisor.deps.tools import DevTools, load_dev_tools
from advisor.engine import Knowledge, configured_data_dir, load_knowledge, recommend
from advisor.recommendation import Recommendation

_P = ParamSpec("_P")
_R = TypeVar("_R")


def memo(function: Callable[_P, _R]) -> Callable[_P, _R]:
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


@memo
@st.cache_resource(show_spinner=False)
def _knowledge(directory: str) -> Knowledge:
    return load_knowledge(Path(directory))


def knowledge() -> Knowledge:
    """Catalog, rules and policy, loaded and validated once per server process."""
    return _knowledge(data_dir())


@memo
@st.cache_resource(show_spinner=False)
def _dev_tools(directory: str) -> DevTools:
    path = Path(directory) / "dev_tools.toml"
    if not path.exists():  # an older reviewed copy of the data: the catalog's roles only
        return DevTools(path=path)
    return load_dev_tools(path, _knowledge(directory).catalog)


def dev_tools() -> DevTools:
    """The development-tool list (`dev_tools.toml`), checked against the catalog, loaded once."""
    return _dev_tools(data_dir())


def recommendation_for(query: str) -> Recommendation:
    """The recommendation for a canonical query (answers are fully described by it).

    A shared resource rather than `cache_data`: a Recommendation is frozen all the way down,
    so there is nothing to protect by unpickling a fresh copy on every call of every rerun.
    """
    return recommendation_cached(data_dir(), query)


@memo
@st.cache_resource(show_spinner=False, max_entries=512)
def recommendation_cached(directory: str, query: str) -> Recommendation:
    """`recommendation_for` in `directory` (its chart and tables are cached under the same
    keys in `advisor.ui.page_data`)."""
    return recommend(Answers.from_query(query), _knowledge(directory))


def is_shared(rec: Recommendation) -> bool:
    """Whether `rec` is the cached one for its answers (not a dependency file's refinement,
    which carries pins and project context the query does not)."""
    return rec is recommendation_cached(data_dir(), rec.answers.to_query())
