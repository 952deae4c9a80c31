"""Which stored benchmarks speak to a set of answers, and what each measure means in plain words.

The mapping from answers to benchmark workloads, and the words for each measure, are opinions,
so they live in `data/evidence.toml`; this module loads and validates it (unknown keys, unknown
workloads, metrics or cases are errors naming the file and entry), orders the workloads for a
project, and writes one sentence per measure: the absolute cost on each runtime beside its
ratio to asyncio, then what it means for this kind of project.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from advisor.answers import Answers, Perf, Scale, Workload
from advisor.benchmarks.figures import describe_figure, figures
from advisor.benchmarks.format import METRICS, plain_text_problem
from advisor.datafiles import read_toml
from advisor.errors import DataError

_EXTRA_KEYS = ("scale_large", "perf_critical")
_WORKLOAD_KEYS = frozenset({"title", "meaning", "measures"})
_MEASURE_KEYS = frozenset({"case", "metric", "label", "means"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Measure:
    """One measure the page charts and describes in one sentence."""

    case: str
    """The workload case, e.g. `scope=unfired`."""
    metric: str
    """The metric, e.g. `overhead_ns`."""
    label: str
    """What it is, as a sentence's subject: "What a per-request timeout that never fires adds"."""
    means: str
    """What it means for a project, one sentence."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkloadText:
    """How one benchmark workload is described on the page."""

    title: str
    """A short heading."""
    meaning: str
    """What it measures, as the end of the sentence "This measures ..."."""
    measures: tuple[Measure, ...]
    """The measures the page shows for it, headline first."""

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metric names of `measures`, without repeats."""
        return tuple(dict.fromkeys(measure.metric for measure in self.measures))


@dataclass(frozen=True, slots=True, kw_only=True)
class EvidenceGuide:
    """The loaded `data/evidence.toml`."""

    relevance: Mapping[str, tuple[str, ...]]
    """Questionnaire workload (or scale_large / perf_critical) -> benchmark workloads."""
    workloads: Mapping[str, WorkloadText]
    """Benchmark workload -> its description, in display order."""


def _text(entry: Mapping[str, object], key: str, path: Path, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataError(path, where, f"needs '{key}', a non-empty string")
    problem = plain_text_problem(value)
    if problem:
        raise DataError(path, where, f"'{key}' {problem}")
    return " ".join(value.split())


def _measure(raw: object, workload: str, path: Path, where: str) -> Measure:
    if not isinstance(raw, dict):
        raise DataError(path, where, "each measure is a table with case, metric, label, means")
    unknown = sorted(set(raw) - _MEASURE_KEYS)
    if unknown:
        raise DataError(
            path, where, f"unknown key {unknown[0]!r}; allowed: {sorted(_MEASURE_KEYS)}"
        )
    metric = _text(raw, "metric", path, where)
    if metric not in METRICS[workload]:
        raise DataError(
            path, where, f"metric {metric!r} is not a measure of {workload!r}: {METRICS[workload]}"
        )
    return Measure(
        case=_text(raw, "case", path, where),
        metric=metric,
        label=_text(raw, "label", path, where),
        means=_text(raw, "means", path, where),
    )


def load_evidence_guide(path: Path, known_workloads: tuple[str, ...]) -> EvidenceGuide:
    """Load and validate the guide; every workload it names must be a benchmark workload,
    every metric one of that workload's (`advisor.benchmarks.METRICS`); unknown keys are
    errors. Raises `DataError` naming the file and the entry."""
    document = read_toml(path)
    unknown_top = sorted(set(document) - {"relevance", "workloads"})
    if unknown_top:
        raise DataError(path, unknown_top[0], "unknown table; allowed: relevance, workloads")
    texts: dict[str, WorkloadText] = {}
    raw_workloads = document.get("workloads")
    if not isinstance(raw_workloads, dict):
        raise DataError(path, "[workloads]", "a [workloads.NAME] table per workload is required")
    for name, entry in raw_workloads.items():
        where = f"workloads.{name}"
        if name not in known_workloads:
            raise DataError(path, where, f"not a benchmark workload; known: {known_workloads}")
        if not isinstance(entry, dict):
            raise DataError(path, where, "must be a table")
        unknown = sorted(set(entry) - _WORKLOAD_KEYS)
        if unknown:
            raise DataError(
                path, where, f"unknown key {unknown[0]!r}; allowed: {sorted(_WORKLOAD_KEYS)}"
            )
        raw_measures = entry.get("measures")
        if not isinstance(raw_measures, list) or not raw_measures:
            raise DataError(path, where, "needs 'measures', a list of [[...measures]] tables")
        texts[name] = WorkloadText(
            title=_text(entry, "title", path, where),
            meaning=_text(entry, "meaning", path, where),
            measures=tuple(
                _measure(raw, name, path, f"{where}.measures[{index}]")
                for index, raw in enumerate(raw_measures, start=1)
            ),
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
        if not isinstance(names, list) or not all(isinstance(n, str) and n in texts for n in names):
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


def shown_rows(summary: pd.DataFrame, workload: str, guide: EvidenceGuide) -> pd.DataFrame:
    """The summary rows the page charts for a workload: its measures, against asyncio."""
    wanted = {(measure.case, measure.metric) for measure in guide.workloads[workload].measures}
    rows = summary[(summary["workload"] == workload) & (summary["runtime"] != "asyncio")]
    keep = [
        (str(case), str(metric)) in wanted
        for case, metric in zip(rows["case"], rows["metric"], strict=True)
    ]
    return rows[keep].dropna(subset=["speedup"])


def measure_sentences(summary: pd.DataFrame, workload: str, guide: EvidenceGuide) -> list[str]:
    """One plain sentence per measure: each runtime's absolute figure with its ratio to
    asyncio in words ("1.9x more bytes", never "0.53x"), then what it means."""
    sentences = []
    for measure in guide.workloads[workload].measures:
        found = figures(summary, workload, measure.case, measure.metric)
        if not found:
            sentences.append(f"{measure.label}: no valid results are stored.")
            continue
        values = "; ".join(describe_figure(figure) for figure in found.values())
        sentences.append(f"{measure.label}: {values}. {measure.means}")
    return sentences


def describe_workload(summary: pd.DataFrame, workload: str, guide: EvidenceGuide) -> str:
    """What the workload measures, then one sentence per measure (`measure_sentences`),
    each on its own line."""
    text = guide.workloads[workload]
    lines = [f"This measures {text.meaning}."]
    lines += measure_sentences(summary, workload, guide)
    return "  \n".join(lines)
