"""The catalog of workloads: one module per workload, each implemented for every runtime.

The order here is the order of `advisor.benchmarks.WORKLOADS`, which a test checks.
"""

from __future__ import annotations

from advisor.bench.spec import WorkloadSpec
from advisor.bench.workloads import (
    cancel,
    channel,
    http_service,
    memory,
    spawn,
    startup,
    tcp_echo,
    timers,
)

SPECS: dict[str, WorkloadSpec] = {
    module.SPEC.name: module.SPEC
    for module in (http_service, tcp_echo, spawn, timers, channel, cancel, memory, startup)
}
"""Workload name -> its declaration and measuring function."""
