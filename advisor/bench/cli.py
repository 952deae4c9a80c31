"""The `bench` command: `python -m advisor bench [--quick] [--out DIR] ...`.

`add_arguments` and `run` are the hooks the main CLI (`advisor.cli`) wires in;
`python -m advisor.bench` calls the same two functions on its own.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from advisor.bench.progress import format_duration
from advisor.bench.runner import RunOptions, plan_run, run_benchmarks
from advisor.bench.table import format_summary_table
from advisor.bench.workloads import SPECS
from advisor.benchmarks import RUNTIMES, WORKLOADS, load_results, summarize
from advisor.errors import DataError

DEFAULT_OUT = Path("data/benchmarks")
DEFAULT_ROUNDS = 6
QUICK_ROUNDS = 1
DEFAULT_TIMEOUT_S = 120.0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the `bench` options to `parser`."""
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke test: one round of the quick cases, small counts, no warm-up (under a "
        "minute); its figures prove the harness works, not which runtime is faster",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="DIR",
        help=f"directory for results.csv and meta.json (default: {DEFAULT_OUT})",
    )
    parser.add_argument(
        "--rounds",
        type=_positive_int,
        default=None,
        metavar="N",
        help=f"rounds of every case on every runtime (default: {DEFAULT_ROUNDS}, "
        f"{QUICK_ROUNDS} with --quick); 6 or more give intervals of at least 95%%",
    )
    parser.add_argument(
        "--workloads",
        nargs="+",
        choices=WORKLOADS,
        default=list(WORKLOADS),
        metavar="NAME",
        help=f"workloads to run (default: all of {', '.join(WORKLOADS)})",
    )
    parser.add_argument(
        "--runtimes",
        nargs="+",
        choices=RUNTIMES,
        default=list(RUNTIMES),
        metavar="NAME",
        help=f"runtimes to run them on (default: all of {', '.join(RUNTIMES)}); "
        "asyncio is always included, as every ratio is taken against it",
    )
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
        help=f"per-sample process timeout (default: {DEFAULT_TIMEOUT_S:g})",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of the shuffled run order (default: a fresh one, stored in meta.json)",
    )


def options_from(args: argparse.Namespace) -> RunOptions:
    """The run the parsed arguments ask for."""
    runtimes = tuple(
        runtime for runtime in RUNTIMES if runtime in args.runtimes or runtime == "asyncio"
    )
    return RunOptions(
        out=args.out,
        rounds=args.rounds or (QUICK_ROUNDS if args.quick else DEFAULT_ROUNDS),
        quick=args.quick,
        workloads=tuple(workload for workload in WORKLOADS if workload in args.workloads),
        runtimes=runtimes,
        timeout_s=args.timeout,
        seed=args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big"),
        command=shlex.join(sys.orig_argv),
    )


def run(args: argparse.Namespace) -> int:
    """Run the benchmarks, print the summary; 0 if every sample was ok, 1 if not, 130 if
    interrupted, 2 if the results written cannot be read back."""
    options = options_from(args)
    samples = len(plan_run(options))
    print(
        f"Benchmarking {len(options.workloads)} workloads on {len(options.runtimes)} runtimes, "
        f"{options.rounds} round(s), {samples} samples (fresh processes); writing to "
        f"{options.out}/. Ctrl-C stops and keeps what was measured.",
        file=sys.stderr,
        flush=True,
    )
    report = run_benchmarks(options)
    try:
        results = load_results(options.out)
    except DataError as error:
        print(f"The results written cannot be read back: {error}", file=sys.stderr)
        return 2
    headline = {
        (name, case.name, metric.name)
        for name, spec in SPECS.items()
        for case in spec.cases
        for metric in case.metrics
        if metric.headline
    }
    print(format_summary_table(summarize(results), headline))
    duration = format_duration(report.meta.duration_s or 0.0)
    done = len({(row.workload, row.case, row.runtime, row.round) for row in report.rows})
    load = ", ".join(f"{value:g}" for value in report.meta.load_start)
    load_end = ", ".join(f"{value:g}" for value in report.meta.load_end)
    print(
        f"\n{done} of {samples} samples in {duration}; {report.problems} failed or timed out. "
        f"Load average {load} at the start, {load_end} at the end. Written to {options.out}/.",
        file=sys.stderr,
    )
    if report.interrupted:
        return 130
    return 1 if report.problems else 0
