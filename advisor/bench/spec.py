"""What a workload is: its cases, the metrics each case reports, and how to measure one sample.

These declarations are shared by the child (which measures) and the runner (which turns the
child's numbers into rows). They use plain strings for units and directions so that the child
need not import `advisor.benchmarks` (and pandas); the runner validates them against the
stored-results format when it builds rows, and a test checks every declaration against it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

Metrics = Mapping[str, float]
"""Metric name -> value, as one sample reports them."""

Flavour = Literal["asyncio", "trio", "anyio"]
"""Which code a runtime runs: uvloop runs the asyncio code, both AnyIO runtimes the AnyIO code."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricSpec:
    """One number a case reports."""

    name: str
    """Name in `results.csv`, e.g. `round_trips_per_s`."""
    unit: str
    """One of `advisor.benchmarks.UNITS`."""
    better: Literal["higher", "lower"]
    """Which direction is an improvement."""
    headline: bool
    """Shown in the terminal summary (others, such as CPU time, are only stored)."""
    description: str
    """One sentence saying what is measured."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseSpec:
    """One parameter set of a workload."""

    name: str
    """The `case` column, e.g. `conns=10,size=1024`, or `-` for a workload with one case."""
    metrics: tuple[MetricSpec, ...]
    """What a sample of this case reports, in the order rows are written."""
    quick: bool
    """Also run by `--quick` (which must cover every workload)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkloadSpec:
    """A workload: what it measures, its cases, and the function a child calls to measure."""

    name: str
    """One of `advisor.benchmarks.WORKLOADS`."""
    description: str
    """One sentence for the terminal and the docs."""
    cases: tuple[CaseSpec, ...]
    """Every case of a full run."""
    measure: Callable[[str, str, bool], tuple[Metrics, str]]
    """`measure(runtime, case, quick)` runs one sample in this process and returns its metrics
    and a description of the event loop that really ran them. It raises if the work was not
    done, the loop is the wrong one, or its deadline passed."""

    def case(self, name: str) -> CaseSpec:
        """The case called `name`; raises ValueError naming the valid cases."""
        for case in self.cases:
            if case.name == name:
                return case
        valid = ", ".join(case.name for case in self.cases)
        raise ValueError(f"workload {self.name!r} has no case {name!r} (cases: {valid})")


def parse_case(name: str) -> dict[str, str]:
    """Split `conns=10,size=1024` into its parameters; `-` has none."""
    if name == "-":
        return {}
    parameters = {}
    for part in name.split(","):
        key, separator, value = part.partition("=")
        if not separator or not key or not value:
            raise ValueError(f"case {name!r}: {part!r} is not key=value")
        parameters[key] = value
    return parameters


def wall_metric(description: str, *, headline: bool = False) -> MetricSpec:
    """The wall time of a sample's measured phase (every timed case reports it)."""
    return MetricSpec(
        name="wall_time", unit="s", better="lower", headline=headline, description=description
    )


def cpu_metric() -> MetricSpec:
    """The process CPU time of the same phase: far below wall time means the child waited."""
    return MetricSpec(
        name="cpu_time",
        unit="s",
        better="lower",
        headline=False,
        description="Process CPU time (user + system) of the measured phase.",
    )


def wait_metric() -> MetricSpec:
    """How much other processes disturbed the repetitions kept (see `measure.least_disturbed`)."""
    return MetricSpec(
        name="cpu_wait",
        unit="%",
        better="lower",
        headline=False,
        description="Share of the kept repetitions' wall time spent waiting for a CPU held by "
        "another process (median; Linux run-queue delay, 0 where unknown). Near 0: undisturbed.",
    )
