"""Which stored benchmarks speak to a set of answers, and what they mean in plain words.

The mapping from answers to benchmark workloads is an opinion, so it lives in
`data/evidence.toml`; this module loads it, orders the workloads for a project, and writes the
one-sentence reading of a workload's results.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from advisor.answers import Answers, Perf, Scale, Workload
from advisor.datafiles import read_toml
from advisor.errors import DataError

_EXTRA_KEYS = ("scale_large", "perf_critical")


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkloadText:
    """How one benchmark workload is described on the page."""

    title: str
    """A short heading."""
    meaning: str
    """What it measures, as the end of the sentence "This measures ..."."""
    metrics: tuple[str, ...]
    """The measures the page shows for it, headline first."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EvidenceGuide:
    """The loaded `data/evidence.toml`."""

    relevance: Mapping[str, tuple[str, ...]]
    """Questionnaire workload (or scale_large / perf_critical) -> benchmark workloads."""
    workloads: Mapping[str, WorkloadText]
    """Benchmark workload -> its description, in display order."""


def load_evidence_guide(path: Path, known_workloads: tuple[str, ...]) -> EvidenceGuide:
    """Load and validate the guide; every workload it names must be a benchmark workload."""
    document = read_toml(path)
    texts: dict[str, WorkloadText] = {}
    raw_workloads = document.get("workloads")
    if not isinstance(raw_workloads, dict):
        raise DataError(path, "[workloads]", "a [workloads.NAME] table per workload is required")
    for name, entry in raw_workloads.items():
        if name not in known_workloads:
            raise DataError(
                path, f"workloads.{name}", f"not a benchmark workload; known: {known_workloads}"
            )
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), str) and entry[k].strip() for k in ("title", "meaning")
        ):
            raise DataError(path, f"workloads.{name}", "needs a 'title' and a 'meaning' string")
        metrics = entry.get("metrics")
        if (
            not isinstance(metrics, list)
            or not metrics
            or not all(isinstance(m, str) and m for m in metrics)
        ):
            raise DataError(path, f"workloads.{name}", "needs 'metrics', a list of metric names")
        texts[name] = WorkloadText(
            title=entry["title"], meaning=entry["meaning"], metrics=tuple(metrics)
        )
    missing = [w for w in known_workloads if w not in texts]
    if missing:
        raise DataError(path, "[workloads]", f"no description for: {', '.join(missing)}")
    relevance: dict[str, tuple[str, ...]] = {}
    raw_relevance = document.get("relevance")
    if not isinstance(raw_relevance, dict):
        raise DataError(path, "[relevance]", "a [relevance] table is required")
    allowed_keys = {w.value for w in Workload} | set(_EXTRA_KEYS)
    for key, names in raw_relevance.items():
        if key not in allowed_keys:
            raise DataError(
                path, f"relevance.{key}", f"unknown key; allowed: {sorted(allowed_keys)}"
            )
        if not isinstance(names, list) or not all(n in texts for n in names):
            raise DataError(
                path, f"relevance.{key}", f"must list benchmark workloads of {known_workloads}"
            )
        relevance[key] = tuple(names)
    return EvidenceGuide(relevance=relevance, workloads=texts)


def relevant_workloads(answers: Answers, guide: EvidenceGuide) -> tuple[str, ...]:
    """Every benchmark workload, the ones that match the answers first (most relevant first)."""
    keys = [w.value for w in Workload if w in answers.workload]
    if answers.perf is Perf.CRITICAL:
        keys.insert(0, "perf_critical")
    if answers.scale is Scale.LARGE:
        keys.append("scale_large")
    ordered: list[str] = []
    for key in keys:
        for name in guide.relevance.get(key, ()):
            if name not in ordered:
                ordered.append(name)
    return tuple(ordered) + tuple(w for w in guide.workloads if w not in ordered)


def matched_workloads(answers: Answers, guide: EvidenceGuide) -> frozenset[str]:
    """The benchmark workloads the answers point at (highlighted on the page)."""
    keys = [w.value for w in answers.workload]
    if answers.perf is Perf.CRITICAL:
        keys.append("perf_critical")
    if answers.scale is Scale.LARGE:
        keys.append("scale_large")
    return frozenset(name for key in keys for name in guide.relevance.get(key, ()))


_LABELS = {
    "uvloop": "asyncio on uvloop",
    "trio": "Trio",
    "anyio-asyncio": "AnyIO on asyncio",
    "anyio-trio": "AnyIO on Trio",
}


def shown_rows(summary: pd.DataFrame, workload: str, guide: EvidenceGuide) -> pd.DataFrame:
    """The summary rows the page shows for a workload: its chosen metrics, against asyncio."""
    metrics = guide.workloads[workload].metrics
    rows = summary[
        (summary["workload"] == workload)
        & (summary["runtime"] != "asyncio")
        & summary["metric"].isin(metrics)
    ]
    return rows.dropna(subset=["speedup"])


def describe_workload(summary: pd.DataFrame, workload: str, guide: EvidenceGuide) -> str:
    """One plain sentence: how each runtime compares with asyncio on this workload.

    Uses the median over the workload's measures of each runtime's speedup (above 1 is better
    than plain asyncio), so a workload with several cases gets one honest summary figure.
    """
    text = guide.workloads[workload]
    rows = shown_rows(summary, workload, guide)
    if rows.empty:
        return f"This measures {text.meaning}. No valid results are stored for it."
    medians = rows.groupby("runtime")["speedup"].median()
    parts = []
    for runtime, label in _LABELS.items():
        if runtime in medians.index:
            value = float(medians[runtime])
            if 0.95 <= value <= 1.05:
                parts.append(f"{label} about the same")
            elif value > 1:
                parts.append(f"{label} {value:.2f}x better")
            else:
                parts.append(f"{label} {1 / value:.2f}x worse")
    return (
        f"This measures {text.meaning}. Against plain asyncio on the machine stated below "
        f"(median over the measures shown): {'; '.join(parts)}."
    )
