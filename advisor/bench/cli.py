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

from advisor.bench import interpreters
from advisor.bench.progress import format_duration
from advisor.bench.runner import RunOptions, plan_run, run_benchmarks
from advisor.bench.table import format_comparison, format_summary_table
from advisor.bench.workloads import SPECS
from advisor.benchmarks import RUNTIMES, WORKLOADS, load_summary_for
from advisor.benchmarks.format import plain_text_problem
from advisor.benchmarks.store import RunInProgress, import_run, is_store, run_lock, served_runs
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
        help=f"the store to write to: the run goes into its own folder under DIR/runs/ and "
        f"is served (DIR/current.json) only once it finished (default: {DEFAULT_OUT})",
    )
    parser.add_argument(
        "--python",
        action="append",
        default=None,
        metavar="PATH",
        help="run the children on this interpreter (repeatable: one run per interpreter, in "
        "turn); each gets a venv with the pinned runtimes, built on first use (default: the "
        "interpreter running this command)",
    )
    parser.add_argument(
        "--note",
        default="",
        metavar="TEXT",
        help="conditions of the run, stored in meta.json (plain text), e.g. 'shared machine'",
    )
    parser.add_argument(
        "--merge",
        type=Path,
        action="append",
        default=None,
        metavar="DIR",
        help="run nothing: copy the finished runs served in DIR (a store, e.g. another "
        "machine's --out, or one run folder) into --out and serve them for their Python "
        "versions (repeatable)",
    )
    parser.add_argument(
        "--compare",
        type=Path,
        default=None,
        metavar="DIR",
        help="run nothing: compare the runs in DIR (a store or a run folder, e.g. another "
        "machine's --out) with the stored runs in --out, ratio by ratio",
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


def options_from(
    args: argparse.Namespace,
    python: str = sys.executable,
    interpreter: dict[str, object] | None = None,
) -> RunOptions:
    """The run the parsed arguments ask for (on the children's interpreter `python`)."""
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
        python=python,
        interpreter=interpreter or {},
        note=args.note,
    )


def _out_problem(out: Path) -> str | None:
    """Why `out` cannot be a store, or None."""
    if out.exists() and not out.is_dir():
        return f"--out {out}: not a directory"
    if (out / "meta.json").exists() and not is_store(out):
        return (
            f"--out {out}: holds a single run (meta.json), not a store; choose an empty or "
            "new directory"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"--out {out}: cannot create it ({error.strerror or error})"
    if not os.access(out, os.W_OK | os.X_OK):
        return f"--out {out}: not writable"
    return None


def compare(args: argparse.Namespace) -> int:
    """Print, per Python version both hold, how the other runs' ratios compare with ours."""
    try:
        ours = load_summary_for(args.out)
        theirs = load_summary_for(args.compare, ours[1].minor or None)
    except DataError as error:
        print(f"Cannot compare: {error}", file=sys.stderr)
        return 2
    print(format_comparison(ours, theirs, str(args.out), str(args.compare)))
    return 0


def merge(args: argparse.Namespace) -> int:
    """Copy the finished runs of each --merge DIR into the store --out and serve them."""
    problem = _out_problem(args.out)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        with run_lock(args.out):
            for source in args.merge:
                folders = list(served_runs(source).values()) if is_store(source) else [source]
                for folder in folders:
                    target = import_run(args.out, folder)
                    print(f"Serving {target} from {args.out}/.", file=sys.stderr)
    except RunInProgress as error:
        print(str(error), file=sys.stderr)
        return 2
    except (DataError, ValueError, OSError) as error:
        print(f"Cannot merge: {error}", file=sys.stderr)
        return 2
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the benchmarks, print the summary; 0 if every sample was ok, 1 if not, 130 if
    interrupted, 2 for a bad --out, --python or --note, a run already holding the store, or
    results that cannot be read back."""
    if args.compare is not None:
        return compare(args)
    if args.merge:
        return merge(args)
    problem = _out_problem(args.out) or (
        f"--note: the text {plain_text_problem(args.note)}"
        if plain_text_problem(args.note)
        else None
    )
    if problem:
        print(problem, file=sys.stderr)
        return 2
    status = 0
    for python in args.python or [sys.executable]:
        try:
            child_python = interpreters.prepare(
                python, say=lambda text: print(text, file=sys.stderr)
            )
            interpreter = interpreters.describe(child_python)
        except interpreters.InterpreterError as error:
            print(f"--python {python}: {error}", file=sys.stderr)
            return 2
        status = max(status, _run_one(options_from(args, child_python, interpreter)))
        if status in (2, 130):
            return status
    return status


def _run_one(options: RunOptions) -> int:
    samples = len(plan_run(options))
    print(
        f"Benchmarking {len(options.workloads)} workloads on {len(options.runtimes)} runtimes "
        f"with Python {options.interpreter.get('python_version', '?')}, {options.rounds} "
        f"round(s), {samples} samples (fresh processes); writing a new run into "
        f"{options.out}/runs/, served when it finishes. Ctrl-C stops and keeps the served "
        "results as they were.",
        file=sys.stderr,
        flush=True,
    )
    try:
        report = run_benchmarks(options)
    except RunInProgress as error:
        print(str(error), file=sys.stderr)
        return 2
    try:
        summary, _ = load_summary_for(report.folder)
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
    print(format_summary_table(summary, headline))
    duration = format_duration(report.meta.duration_s or 0.0)
    done = len({(row.workload, row.case, row.runtime, row.round) for row in report.rows})
    load = ", ".join(f"{value:g}" for value in report.meta.load_start)
    load_end = ", ".join(f"{value:g}" for value in report.meta.load_end)
    print(
        f"\n{done} of {samples} samples in {duration}; {report.problems} failed or timed out. "
        f"Load average {load} at the start, {load_end} at the end. Run folder {report.folder}/"
        + ("" if report.interrupted else f", now served from {options.out}/."),
        file=sys.stderr,
    )
    if report.interrupted:
        return 130
    return 1 if report.problems else 0
