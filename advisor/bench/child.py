"""One sample in a fresh process, started as `python -E -m advisor.bench.child`.

The command line is `--workload W --runtime R --case C [--quick]`. The runner starts this
module once per sample, so every sample gets a new interpreter (no state, caches or heap left
by other runtimes or earlier samples). It runs the workload's own warm-up and measured
repetitions, then prints exactly one JSON object on its last stdout line:

    {"status": "ok", "event_loop": "asyncio:uvloop.Loop", "metrics": {"round_trips_per_s": ...}}
    {"status": "failed" | "timeout", "detail": "WorkloadError: 9990 round trips instead of ..."}

and exits 0 only for `ok`. A workload that hits its own deadline reports `timeout`; one that
finds its work wrong, or the wrong event loop running, reports `failed`. This module must not
import pandas or `advisor.benchmarks`: the runner validates the numbers against the stored
format, and a heavy import here would only slow every sample down.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import traceback
from collections.abc import Sequence

import trio

from advisor.bench.lifeline import die_with_parent
from advisor.bench.runtimes import FLAVOURS
from advisor.bench.workloads import SPECS

TIMEOUT_EXIT = 3
"""Exit status when the workload's own deadline passed."""
FAILED_EXIT = 1
"""Exit status when the sample failed."""


def _leaves(error: BaseException) -> list[BaseException]:
    """The exceptions inside (possibly nested) exception groups, or the error itself."""
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in _leaves(inner)]
    return [error]


def describe_failure(error: BaseException) -> tuple[str, str]:
    """(`timeout` or `failed`, a one-line detail) for an error that ended a sample."""
    leaves = _leaves(error)
    timed_out = all(isinstance(leaf, TimeoutError | trio.TooSlowError) for leaf in leaves)
    first = leaves[0]
    detail = f"{type(first).__name__}: {first}".strip().rstrip(":")
    if len(leaves) > 1:
        detail += f" (and {len(leaves) - 1} more)"
    detail = " ".join(detail.split())
    return ("timeout" if timed_out else "failed"), detail


def _parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -E -m advisor.bench.child",
        description="Run one benchmark sample and print its metrics as JSON.",
    )
    parser.add_argument("--workload", required=True, choices=sorted(SPECS))
    parser.add_argument("--runtime", required=True, choices=sorted(FLAVOURS))
    parser.add_argument("--case", required=True)
    parser.add_argument("--quick", action="store_true")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one sample; print its JSON report; return the exit status."""
    die_with_parent()
    arguments = _parse_arguments(sys.argv[1:] if argv is None else argv)
    spec = SPECS[arguments.workload]
    try:
        case = spec.case(arguments.case)
        metrics, event_loop = spec.measure(arguments.runtime, case.name, arguments.quick)
        expected = [metric.name for metric in case.metrics]
        if sorted(metrics) != sorted(expected):
            raise RuntimeError(f"reported metrics {sorted(metrics)} instead of {sorted(expected)}")
        for name, value in metrics.items():
            if not math.isfinite(value):
                raise RuntimeError(f"metric {name!r} is {value!r}")
    except Exception as error:  # every failure becomes a report, with its traceback on stderr
        traceback.print_exception(error, file=sys.stderr)
        status, detail = describe_failure(error)
        print(json.dumps({"status": status, "detail": detail}))
        return TIMEOUT_EXIT if status == "timeout" else FAILED_EXIT
    report = {
        "status": "ok",
        "event_loop": event_loop,
        "metrics": {metric.name: metrics[metric.name] for metric in case.metrics},
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
