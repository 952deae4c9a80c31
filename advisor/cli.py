"""`python -m advisor`: recommend, check, libraries and bench from the command line.

Exit codes: 0 success; 1 the check found a dependency that rules out the runtime; 2 bad
input or bad data (the message names the file, line or parameter); 3 `check --strict` found
dependencies the catalog cannot tell about. Output cut short by a closed pipe (`| head`) ends
quietly.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from advisor.answers import (
    MAX_DEPENDENCIES,
    PARAM_ALLOWED,
    Answers,
    PythonVersion,
    QueryReading,
    read_query,
)
from advisor.catalog import cli as catalog_cli
from advisor.deps.decoding import read_path
from advisor.deps.detect import read_text
from advisor.deps.installed import read_installed
from advisor.deps.python_floor import PythonAnswer, named_file, python_answer
from advisor.deps.ranges import GradeBy
from advisor.deps.reading import DependencyFileError, Reading
from advisor.deps.resolve import Resolution, combine, extras_notes, resolve
from advisor.deps.tools import TOOLS_GROUP, DevTools, load_dev_tools
from advisor.engine import Knowledge, configured_data_dir, load_knowledge, recommend
from advisor.errors import DataError
from advisor.recommendation import Recommendation
from advisor.report import link_note, to_markdown, to_text
from advisor.rules.model import Runtime
from advisor.wording import RUNTIME_LABELS

if TYPE_CHECKING:
    from advisor.scan import ScanReport

"""The data folder a deployment reviewed (the app honours the same variable)."""

EXIT_OK, EXIT_BLOCKED, EXIT_BAD_INPUT, EXIT_UNKNOWN = 0, 1, 2, 3

_EPILOG = """\
examples:
  python -m advisor recommend --query 'deps=fastapi,asyncpg&workload=server'
  python -m advisor recommend --requirements requirements.txt --format json
  python -m advisor check --runtime trio --requirements uv.lock --strict
  python -m advisor check --runtime trio --installed
  python -m advisor libraries --format json
  python -m advisor catalog verify --installed
  python -m advisor catalog stale --older-than 90
  python -m advisor bench --quick

exit codes:
  0  success (check: nothing rules the runtime out)
  1  check: a dependency (direct or transitive) rules the runtime out
  2  bad input or bad data: the message names the file, line or parameter
  3  check --strict: some dependencies are unknown to the catalog (named on stderr)

dependency files (--requirements, format told from the content): requirements.txt and
pip freeze / pip-compile / uv export output, pyproject.toml (PEP 621, PEP 735, Poetry, PDM,
uv, Hatch), Pipfile, uv.lock, poetry.lock, pdm.lock, Pipfile.lock; at most 1 MB each.

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
        help="a dependency file of any supported format, or '-' for stdin (repeatable); "
        "its dependencies are added to the query's",
    )
    parser.add_argument(
        "--installed",
        action="store_true",
        help="read the current Python environment (importlib.metadata): the whole tree with "
        "installed versions; with --requirements, the files name the direct dependencies",
    )
    parser.add_argument(
        "--extra",
        action="append",
        default=None,
        metavar="NAME",
        help="weigh only these of the project's own extras (repeatable; default: all)",
    )
    parser.add_argument(
        "--no-extras", action="store_true", help="weigh none of the project's own extras"
    )
    parser.add_argument(
        "--group",
        action="append",
        default=[],
        metavar="NAME",
        help="also weigh this development group as a run-time dependency (repeatable; "
        "default: groups are listed, never weighed)",
    )
    parser.add_argument(
        "--ranges",
        choices=[g.value for g in GradeBy],
        default=GradeBy.LOWEST.value,
        help="grade a version range that straddles a library's first Trio-supporting release "
        "by its lowest (default) or newest admitted version",
    )
    parser.add_argument(
        "--scan",
        type=Path,
        default=None,
        metavar="PATH",
        help="read the team's code (a folder, .zip or .tar.gz; nothing is run): fills the "
        "codebase answer unless the query gives one, and sizes the existing-code factor by "
        "how many uses would need a redesign to move",
    )
    parser.add_argument("--data", type=Path, default=None, help=argparse.SUPPRESS)


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
        "--strict",
        action="store_true",
        help=f"exit {EXIT_UNKNOWN} when a dependency is unknown to the catalog (default: "
        "name it and go on)",
    )
    check.add_argument(
        "--allow-bridge",
        action="store_true",
        help="accept dependencies that trio-asyncio can bridge (only hard blocks fail)",
    )

    libraries = commands.add_parser("libraries", help="list the library catalog")
    libraries.add_argument("--format", choices=("text", "json"), default="text")
    libraries.add_argument("--data", type=Path, default=None, help=argparse.SUPPRESS)
    catalog_cli.add_arguments(commands.add_parser("catalog", help="catalog upkeep: verify, stale"))

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


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class _Gathered:
    answers: Answers
    resolution: Resolution | None
    unreadable: int = 0
    """Lines of the dependency files that could not be read as requirements."""
    python: PythonAnswer | None = None
    """The `python` answer as the files' floor shaped it (None when no file states one)."""


def _note(message: str) -> None:
    print(f"note: {printable(message)}", file=sys.stderr)


def printable(text: str) -> str:
    """Text safe for a terminal: control characters (escape sequences, NUL, newlines) shown
    as escapes, so a hostile query can neither recolour the terminal nor split a line."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _read_file(path: Path) -> Reading:
    if str(path) == "-":
        from advisor.deps.decoding import decode_bytes, read_limited

        try:
            decoded = decode_bytes(read_limited(sys.stdin.buffer))
        except DependencyFileError as error:
            raise DependencyFileError(f"stdin: {error}") from None
    else:
        decoded = read_path(path)
    try:
        reading = read_text(decoded.text)
    except DependencyFileError as error:
        raise DependencyFileError(f"{path}: {error}") from None
    if reading.python_floors:
        named = named_file(reading.python_floors, "stdin" if str(path) == "-" else str(path))
        reading = dataclasses.replace(reading, python_floors=named)
    for notice in (*decoded.notices, *reading.notices):
        _note(f"{path}: {notice}")
    for problem in (*reading.problems, *reading.not_followed):
        _note(f"{path}:{problem.line}: {problem.problem}: {problem.text}")
    roles = sorted({d.role.value for d in reading.declared})
    locked = f", {len(reading.locked)} locked packages" if reading.locked else ""
    _note(
        f"{path}: read as {reading.format.label}: {len(reading.declared)} "
        f"{'dependency' if len(reading.declared) == 1 else 'dependencies'} "
        f"({', '.join(roles) or 'none'}){locked}"
    )
    return reading


def _gather_answers(args: argparse.Namespace, knowledge: Knowledge) -> _Gathered:
    reading = read_query(args.query)
    for notice in reading.notices:
        _note(notice.message)
    readings = [_read_file(path) for path in args.requirements]
    if args.installed:
        installed = read_installed()
        for message in installed.notices:
            _note(f"installed: {message}")
        _note(f"installed: read {len(installed.locked)} distributions")
        readings.append(installed)
    if not readings:
        return _Gathered(answers=reading.answers, resolution=None)
    unreadable = sum(len(r.problems) for r in readings)
    extras = [] if args.no_extras else args.extra
    resolution = resolve(
        combine(readings),
        knowledge.catalog,
        extras=extras,
        groups=args.group,
        grade_by=GradeBy(args.ranges),
        tools=_dev_tools(args, knowledge),
    )
    for message in resolution.notices:
        _note(message)
    unknown_extras = sorted(set(args.extra or ()) - set(resolution.extras))
    unknown_groups = sorted(set(args.group) - set(resolution.groups))
    if unknown_extras or unknown_groups:
        asked = ", ".join(
            [f"extra '{e}'" for e in unknown_extras] + [f"group '{g}'" for g in unknown_groups]
        )
        raise DependencyFileError(
            f"the files have no {asked}; extras: {', '.join(resolution.extras) or 'none'}; "
            f"groups: {', '.join(resolution.groups) or 'none'}"
        )
    if resolution.extras:
        _note(
            f"extras weighed: {', '.join(resolution.chosen_extras) or 'none'} "
            f"(of {', '.join(resolution.extras)}; choose with --extra / --no-extras)"
        )
    for message in extras_notes(resolution):
        _note(message)
    if resolution.project.dev:
        # The one list of what is not weighed: declared development groups, type stubs and
        # development tools wherever they were declared (by the catalog's roles and the list).
        weigh = (
            f"groups: {', '.join(resolution.groups)}; weigh one with --group"
            if resolution.groups
            else ""
        )
        why = (
            "tools known by the catalog's roles and dev_tools.toml"
            if TOOLS_GROUP in resolution.groups
            else ""
        )
        said = "; ".join(part for part in (why, weigh) if part)
        _note(
            f"development tooling, listed but not weighed: {', '.join(resolution.project.dev)}"
            + (f" ({said})" if said else "")
        )
    for name, support in sorted(resolution.project.support.items()):
        if support.note:
            _note(f"{name}: {support.note}")
    names = list(dict.fromkeys((*reading.answers.deps, *resolution.deps)))
    if len(names) > MAX_DEPENDENCIES:
        _note(f"{len(names):,} dependencies given; only the first {MAX_DEPENDENCIES} are weighed")
        names = names[:MAX_DEPENDENCIES]
    answers = dataclasses.replace(reading.answers, deps=tuple(names))
    python = None
    if resolution.python_floor is not None:
        python = python_answer(resolution.python_floor, _given_python(args.query, reading))
        answers = answers.with_value("python", python.value)
        _note(python.message)
    return _Gathered(answers=answers, resolution=resolution, unreadable=unreadable, python=python)


def _dev_tools(args: argparse.Namespace, knowledge: Knowledge) -> DevTools:
    """The data folder's development-tool list; without one (an older reviewed copy of the
    data), tools are known by the catalog's roles only, and a note says so."""
    path = _data_dir(args) / "dev_tools.toml"
    if not path.exists():
        _note(f"no {path}: development tools are known by the catalog's roles only")
        return DevTools(path=path)
    return load_dev_tools(path, knowledge.catalog)


def _given_python(query: str, reading: QueryReading) -> PythonVersion | None:
    """The query's `python` answer when it gives a valid one (a bad value was dropped)."""
    given = "python" in parse_qs(query.removeprefix("?"), keep_blank_values=True)
    dropped = any(notice.param == "python" for notice in reading.notices)
    return reading.answers.python if given and not dropped else None


def _data_dir(args: argparse.Namespace) -> Path:
    if args.data is not None:
        return Path(args.data)
    return configured_data_dir()


def _knowledge(args: argparse.Namespace) -> Knowledge:
    return load_knowledge(_data_dir(args))


def _recommend(args: argparse.Namespace) -> tuple[Recommendation, _Gathered]:
    knowledge = _knowledge(args)
    gathered = _gather_answers(args, knowledge)
    resolution = gathered.resolution
    porting = None
    if getattr(args, "scan", None) is not None:
        report = _scan_for_recommend(args.scan)
        porting = report.porting_cost()
        if "codebase" not in parse_qs(args.query.removeprefix("?"), keep_blank_values=True):
            gathered = dataclasses.replace(
                gathered, answers=gathered.answers.with_value("codebase", report.codebase)
            )
        from advisor.scan.render import summary

        print(
            f"note: scanned {report.files} files: {summary(report)}; "
            "the link carries the codebase answer, not the porting cost",
            file=sys.stderr,
        )
    rec = recommend(
        gathered.answers,
        knowledge,
        versions=resolution.versions if resolution else None,
        project=resolution.project if resolution else None,
        porting=porting,
    )
    return rec, gathered


def _scan_for_recommend(path: Path) -> ScanReport:
    from advisor.scan import ScanInputError, scan, scan_archive_bytes

    try:
        if path.is_dir():
            return scan(path)
        return scan_archive_bytes(path.read_bytes(), path.name)
    except ScanInputError as error:
        raise DependencyFileError(f"--scan {path}: {error}") from None
    except OSError as error:
        raise DependencyFileError(f"--scan {path}: cannot be read: {error.strerror}") from None


def _run_recommend(args: argparse.Namespace) -> int:
    rec, gathered = _recommend(args)
    # Versions read from files shape the verdict, but the printed query carries names only.
    pinned = tuple(sorted(gathered.resolution.versions)) if gathered.resolution else ()
    python = gathered.python
    sources = (printable(python.message),) if python is not None else ()
    opened = _links_opened(rec, args, gathered)
    notes = {
        flip.query: note
        for flip in rec.flips
        if flip.query in opened and (note := link_note(flip, *opened[flip.query])) is not None
    }
    if args.format == "json":
        document = rec.to_dict()
        if python is not None:
            document["python_floor"] = _python_floor_dict(python, gathered.resolution)
        if opened:
            document["context_not_in_links"] = _context_not_in_links(args, gathered)
            flips = document["flips"]
            assert isinstance(flips, list)
            for entry in flips:
                verdict, certainty = opened[entry["query"]]
                entry["link_opens_as"] = {"verdict": verdict.value, "certainty": certainty}
        print(json.dumps(document, indent=2))
    elif args.format == "markdown":
        print(to_markdown(rec, pinned=pinned, sources=sources, flip_notes=notes), end="")
    else:
        print(to_text(rec, pinned=pinned, sources=sources, flip_notes=notes), end="")
    return EXIT_OK


def _context_not_in_links(args: argparse.Namespace, gathered: _Gathered) -> list[str]:
    """What shaped the verdict beyond the answers (a link carries only the answers)."""
    found = []
    if gathered.resolution is not None and gathered.resolution.versions:
        found.append("versions")
    if gathered.resolution is not None and gathered.resolution.project is not None:
        found.append("project")
    if getattr(args, "scan", None) is not None:
        found.append("scan")
    return found


def _links_opened(
    rec: Recommendation, args: argparse.Namespace, gathered: _Gathered
) -> dict[str, tuple[Runtime, str]]:
    """When files or a scan shaped the verdict, what each flip's link opens as (a link
    carries only the answers): flip query -> (verdict, certainty). Empty otherwise."""
    if not _context_not_in_links(args, gathered):
        return {}
    knowledge = _knowledge(args)
    opened = {}
    for flip in rec.flips:
        again = recommend(Answers.from_query(flip.query), knowledge)
        opened[flip.query] = (again.verdict, again.certainty.value)
    return opened


def _python_floor_dict(python: PythonAnswer, resolution: Resolution | None) -> dict[str, object]:
    """The JSON report's `python_floor`: the files' floor, where it is stated, and whether it
    became the `python` answer (it does unless the query gives `python`)."""
    choice = resolution.python_floor if resolution else None
    floor = choice.floor if choice else None
    return {
        "version": floor.version.value if floor else None,
        "file": floor.file if floor else None,
        "key": floor.key if floor else None,
        "line": floor.line if floor else None,
        "stated": floor.stated if floor else None,
        "applied": python.from_file,
        "message": python.message,
    }


def _run_check(args: argparse.Namespace) -> int:
    if not (args.requirements or args.installed or "deps" in parse_qs(args.query)):
        # A CI gate that was given nothing must not pass.
        raise DependencyFileError(
            "nothing to check: give --requirements FILE, --installed or --query 'deps=...'"
        )
    rec, gathered = _recommend(args)
    answers, resolution = gathered.answers, gathered.resolution
    if gathered.unreadable:
        raise DependencyFileError(
            f"{gathered.unreadable} line(s) of the dependency files could not be read as "
            "requirements (named above); a check cannot vouch for what it could not read"
        )
    if not answers.deps:
        raise DependencyFileError(
            "the files name no dependency to check (a dynamic or empty dependency list?)"
        )
    runtime = Runtime(args.runtime)
    standing = [b for b in rec.blockers if not (args.allow_bridge and b.unless is not None)]
    failing = [b for b in standing if b.runtime is runtime]
    if runtime is Runtime.ANYIO:
        # AnyIO needs one backend that runs every dependency: it fails when both are ruled out.
        on_asyncio = [b for b in standing if b.runtime is Runtime.ASYNCIO]
        on_trio = [b for b in standing if b.runtime is Runtime.TRIO]
        if on_asyncio and on_trio:
            failing += on_asyncio + on_trio
            print("AnyIO has no backend left: both asyncio and Trio are ruled out", file=sys.stderr)
    for blocker in failing:
        unless = f" (unless {blocker.unless})" if blocker.unless else ""
        via = (
            f" (transitive: {' → '.join((*blocker.via, blocker.dependency))})"
            if blocker.via
            else ""
        )
        evidence = (
            f"Evidence: {blocker.evidence}"
            if blocker.evidence
            else "(inferred from its dependencies; no catalog evidence)"
        )
        print(
            f"{blocker.dependency}{via} rules out {RUNTIME_LABELS[blocker.runtime]}{unless}: "
            f"{blocker.note} {evidence}",
            file=sys.stderr,
        )
    weighed = set(answers.deps)  # development tooling is listed in rec.dependencies too
    unknown = [d.name for d in rec.dependencies if not d.known and d.name in weighed]
    if resolution is not None:
        unknown = [n for n in unknown if n not in resolution.inferred]
        for name, support in sorted(resolution.inferred.items()):
            if name in answers.deps:
                print(f"inferred (not catalogued): {name}: {support.note}", file=sys.stderr)
    if unknown:
        print(
            f"could not check {len(unknown)} (unknown to the catalog): {', '.join(unknown)}",
            file=sys.stderr,
        )
    if failing:
        return EXIT_BLOCKED
    if unknown and args.strict:
        print("--strict: failing because of the unknown dependencies above", file=sys.stderr)
        return EXIT_UNKNOWN
    checked = len(answers.deps) - len(unknown)
    extra = f"; {len(unknown)} unknown, not checked" if unknown else ""
    print(f"ok: no dependency rules out {RUNTIME_LABELS[runtime]} ({checked} checked{extra})")
    return EXIT_OK


def _run_libraries(args: argparse.Namespace) -> int:
    catalog = _knowledge(args).catalog
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
                "role": lib.role.value,
                "maturity": lib.maturity.value,
                "trio_since_date": lib.trio_since_date.isoformat() if lib.trio_since_date else None,
                "trio_before": (
                    {
                        "trio": lib.trio_before.trio.value,
                        "note": lib.trio_before.note,
                        "evidence": lib.trio_before.evidence,
                        "checked_version": lib.trio_before.checked_version,
                    }
                    if lib.trio_before
                    else None
                ),
                "alternatives": list(lib.alternatives),
                "hosts_code": lib.hosts_code,
                "extras": {extra: list(names) for extra, names in lib.extras.items()},
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
    """Entry point; returns the exit code (see the module docstring)."""
    args = build_parser().parse_args(argv)
    handlers = {
        "recommend": _run_recommend,
        "check": _run_check,
        "libraries": _run_libraries,
        "bench": _run_bench,
        "catalog": catalog_cli.run,
        "scan": _run_scan,
    }
    code = EXIT_OK
    try:
        code = handlers[args.command](args)
        sys.stdout.flush()
    except (DataError, DependencyFileError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader (`| head`) has gone: stop quietly, and keep Python from complaining again
        # when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return code
