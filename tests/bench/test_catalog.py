"""The workload declarations agree with the stored-results format, so every row they produce
can be written and read back."""

from __future__ import annotations

import subprocess
import sys

from advisor.bench.runtimes import FLAVOURS
from advisor.bench.spec import parse_case
from advisor.bench.workloads import SPECS
from advisor.benchmarks import METRICS, NO_CASE, RUNTIMES, UNITS, WORKLOADS, Better


def test_every_declared_workload_is_implemented_in_the_declared_order() -> None:
    """The harness's catalog and the format's workload list are the same list."""
    assert tuple(SPECS) == WORKLOADS


def test_every_runtime_has_an_implementation_flavour() -> None:
    """uvloop runs the asyncio code and both AnyIO runtimes the AnyIO code."""
    assert tuple(FLAVOURS) == RUNTIMES
    assert FLAVOURS["uvloop"] == "asyncio"
    assert FLAVOURS["anyio-asyncio"] == FLAVOURS["anyio-trio"] == "anyio"


def test_every_metric_uses_a_declared_unit_and_direction() -> None:
    """Units and directions come from the format's closed sets."""
    for spec in SPECS.values():
        for case in spec.cases:
            for metric in case.metrics:
                assert metric.unit in UNITS, (spec.name, metric.name)
                assert Better(metric.better)
                assert metric.description


def test_a_metric_has_one_unit_and_direction_across_a_workloads_cases() -> None:
    """The loader rejects a metric whose unit changes between rows of a workload."""
    for spec in SPECS.values():
        declared: dict[str, tuple[str, str]] = {}
        for case in spec.cases:
            for metric in case.metrics:
                assert declared.setdefault(metric.name, (metric.unit, metric.better)) == (
                    metric.unit,
                    metric.better,
                ), (spec.name, metric.name)


def test_cases_are_unique_parsable_and_each_workload_has_a_quick_one() -> None:
    """--quick covers every workload, and case names follow key=value,key=value or '-'."""
    for spec in SPECS.values():
        names = [case.name for case in spec.cases]
        assert len(names) == len(set(names)), spec.name
        assert any(case.quick for case in spec.cases), spec.name
        for case in spec.cases:
            assert case.name == NO_CASE or parse_case(case.name)
            metric_names = [metric.name for metric in case.metrics]
            assert len(metric_names) == len(set(metric_names)), (spec.name, case.name)
            assert any(metric.headline for metric in case.metrics), (spec.name, case.name)


def test_tcp_echo_covers_three_connection_counts() -> None:
    """1, 10 and 100 connections with 1 KiB messages."""
    cases = {case.name for case in SPECS["tcp_echo"].cases}
    assert cases == {"conns=1,size=1024", "conns=10,size=1024", "conns=100,size=1024"}


def test_every_declared_metric_is_in_the_stored_format_table() -> None:
    """The loader's table of metric names (which rejects typos) knows every declared metric."""
    for name, spec in SPECS.items():
        declared = {metric.name for case in spec.cases for metric in case.metrics}
        assert declared <= set(METRICS[name]), (name, declared - set(METRICS[name]))
        assert set(METRICS[name]) <= declared, (name, set(METRICS[name]) - declared)


def test_the_child_process_imports_no_pandas() -> None:
    """A sample's interpreter holds only the runtime under test and the harness's light parts."""
    program = "import sys, advisor.bench.child; print('pandas' in sys.modules)"
    completed = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    assert completed.stdout.strip() == "False"
