"""`python -m advisor`: recommend, check, libraries and bench from the command line.

Exit codes: 0 success; 1 the check found a dependency that rules out the runtime; 2 bad
input or bad data (the message names the file, line or parameter).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from packaging.version import Version

from advisor.answers import PARAM_ALLOWED, Answers, read_query
from advisor.engine import DATA_DIR, Knowledge, load_knowledge, recommend
from advisor.errors import DataError
from advisor.report import to_markdown, to_text
from advisor.requirements import RequirementsError, detect_requirements
from advisor.rules.model import Runtime

_EPILOG = """\
examples:
  python -m advisor recommend --query 'deps=fastapi,asyncpg&workload=server'
  python -m advisor recommend --requirements requirements.txt --format json
  python -m advisor check --runtime trio --requirements requirements.txt
  python -m advisor libraries --format json
  python -m advisor bench --quick

query parameters (share-link schema v1):
""" + "\n".join(f"  {name:<12} {allowed}" for name, allowed in PARAM_ALLOWED.items())


def _add_answer_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--query",
        default="",
        help="answers as a share-link query string, e.g. 'deps=a,b&scale=large'",
    )
    parser.add_argument(
        "--requirements",
        action="append",
        default=[],
        metavar="FILE",
        type=Path,
        help="requirements.txt, pyproject.toml or pip freeze output (repeatable); "
        "its dependencies are added to the query's",
    )
    parser.add_argument("--data", type=Path, default=DATA_DIR, help=argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed so tests and docs can read the help)."""
    parser = argparse.ArgumentParser(
        prog="python -m advisor",
        description="Async Advisor: should this project build on asyncio, Trio or AnyIO?",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rec = commands.add_parser("recommend", help="the verdict with its reasons, blockers and flips")
    _add_answer_arguments(rec)
    rec.add_argument("--format", choices=("text", "json", "markdown"), default="text")

    check = commands.add_parser(
        "check",
        help="for CI: exit 1 when a dependency rules out the named runtime",
        description="Exit 1, naming each dependency and its evidence, when a dependency rules "
        "out RUNTIME; exit 0 otherwise.",
    )
    _add_answer_arguments(check)
    check.add_argument("--runtime", required=True, choices=[r.value for r in Runtime])
    check.add_argument(
        "--allow-bridge",
        action="store_true",
        help="accept dependencies that trio-asyncio can bridge (only hard blocks fail)",
    )

    libraries = commands.add_parser("libraries", help="list the library catalog")
    libraries.add_argument("--format", choices=("text", "json"), default="text")
    libraries.add_argument("--data", type=Path, default=DATA_DIR, help=argparse.SUPPRESS)

    bench = commands.add_parser(
        "bench", help="run the asyncio / uvloop / Trio / AnyIO benchmarks (loopback only)"
    )
    try:
        from advisor.bench.cli import add_arguments
    except ImportError:  # pragma: no cover - the harness ships with the package
        pass
    else:
        add_arguments(bench)
    from advisor.scan.cli import add_arguments as add_scan_arguments

    add_scan_arguments(
        commands.add_parser("scan", help="read a project's code: concurrency APIs, porting cost")
    )
    return parser


def _gather_answers(args: argparse.Namespace) -> tuple[Answers, dict[str, Version]]:
    reading = read_query(args.query)
    for notice in reading.notices:
        print(f"note: {notice.message}", file=sys.stderr)
    names = set(reading.answers.deps)
    pins: dict[str, Version] = {}
    for path in args.requirements:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            raise RequirementsError(f"{path}: cannot be read: {error.strerror or error}") from None
        try:
            detected = detect_requirements(text, path.name)
        except RequirementsError as error:
            raise RequirementsError(f"{path}: {error}") from None
        for problem in (*detected.problems, *detected.not_followed):
            print(
                f"note: {path}:{problem.line}: {problem.problem}: {problem.text}", file=sys.stderr
            )
        names.update(detected.names)
        pins.update(detected.pins)
    answers = dataclasses.replace(reading.answers, deps=tuple(names))
    return answers, pins


def _knowledge(args: argparse.Namespace) -> Knowledge:
    return load_knowledge(args.data)


def _run_recommend(args: argparse.Namespace) -> int:
    answers, pins = _gather_answers(args)
    rec = recommend(answers, _knowledge(args), versions=pins)
    if args.format == "json":
        print(json.dumps(rec.to_dict(), indent=2))
    elif args.format == "markdown":
        print(to_markdown(rec), end="")
    else:
        print(to_text(rec), end="")
    return 0


def _run_check(args: argparse.Namespace) -> int:
    answers, pins = _gather_answers(args)
    rec = recommend(answers, _knowledge(args), versions=pins)
    runtime = Runtime(args.runtime)
    standing = [b for b in rec.blockers if not (args.allow_bridge and b.unless is not None)]
    failing = [b for b in standing if b.runtime is runtime]
    if runtime is Runtime.ANYIO:
        # AnyIO needs one backend that runs every dependency: it fails when both are ruled out.
        on_asyncio = [b for b in standing if b.runtime is Runtime.ASYNCIO]
        on_trio = [b for b in standing if b.runtime is Runtime.TRIO]
        if on_asyncio and on_trio:
            failing += on_asyncio + on_trio
            print("anyio has no backend left: both asyncio and trio are ruled out", file=sys.stderr)
    for blocker in failing:
        unless = f" (unless {blocker.unless})" if blocker.unless else ""
        print(
            f"{blocker.dependency} rules out {blocker.runtime.value}{unless}: {blocker.note} "
            f"Evidence: {blocker.evidence}",
            file=sys.stderr,
        )
    if failing:
        return 1
    print(f"ok: no dependency rules out {runtime.value} ({len(answers.deps)} checked)")
    return 0


def _run_libraries(args: argparse.Namespace) -> int:
    catalog = load_knowledge(args.data).catalog
    if args.format == "json":
        rows = [
            {
                "name": lib.name,
                "aliases": list(lib.aliases),
                "category": lib.category,
                "asyncio": lib.asyncio.value,
                "trio": lib.trio.value,
                "trio_since": str(lib.trio_since) if lib.trio_since else None,
                "note": lib.note,
                "evidence": lib.evidence,
                "checked_version": lib.checked_version,
                "checked_on": lib.checked_on.isoformat(),
                "confidence": lib.confidence.value,
            }
            for lib in catalog.libraries
        ]
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(lib.name) for lib in catalog.libraries)
    for lib in catalog.libraries:
        print(
            f"{lib.name:<{width}}  {lib.category:<14} "
            f"asyncio={lib.asyncio:<7} trio={lib.trio:<7} {lib.note}"
        )
    return 0


def _run_bench(args: argparse.Namespace) -> int:
    from advisor.bench.cli import run

    return run(args)


def _run_scan(args: argparse.Namespace) -> int:
    from advisor.scan.cli import run

    return run(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    handlers = {
        "recommend": _run_recommend,
        "check": _run_check,
        "libraries": _run_libraries,
        "bench": _run_bench,
        "scan": _run_scan,
    }
    try:
        return handlers[args.command](args)
    except (DataError, RequirementsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
