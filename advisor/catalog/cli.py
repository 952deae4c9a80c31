"""`python -m advisor catalog verify|stale`: the catalog maintainer's commands.

Exit codes: 0 nothing to report; 1 findings (verify) or facts due (stale); 2 bad input or data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from importlib.metadata import distributions
from pathlib import Path

from advisor.answers import normalize_name
from advisor.catalog.inspection import DistributionView, InspectionError, read_installed, read_wheel
from advisor.catalog.loading import load_catalog
from advisor.catalog.model import Catalog
from advisor.catalog.stale import DEFAULT_MAX_AGE_DAYS, stale_facts
from advisor.catalog.verify import Finding, compare
from advisor.errors import DataError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2026-11-29") from None


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 100_000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days (0 to 100000)")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the `verify` and `stale` subcommands to the `catalog` parser."""
    commands = parser.add_subparsers(dest="catalog_command", required=True, metavar="COMMAND")
    verify = commands.add_parser(
        "verify",
        help="compare installed distributions or wheels with the catalog (nothing is imported)",
        description="Read each distribution's METADATA and its modules' imports (with ast, "
        "without importing) and report where they disagree with the catalog. Exit 1 when "
        "anything disagrees.",
    )
    verify.add_argument("names", nargs="*", metavar="NAME", help="only these projects")
    source = verify.add_mutually_exclusive_group(required=True)
    source.add_argument("--installed", action="store_true", help="the installed distributions")
    source.add_argument(
        "--wheel", action="append", type=Path, metavar="FILE", help="a wheel file (repeatable)"
    )
    verify.add_argument("--format", choices=("text", "json"), default="text")
    verify.add_argument("--data", type=Path, default=None, help=argparse.SUPPRESS)
    stale = commands.add_parser(
        "stale",
        help="list catalog facts due for re-checking",
        description="List entries checked longer ago than --older-than days, and experimental "
        "or recent Trio support checked more than 60 days ago. Exit 1 when any is due.",
    )
    stale.add_argument(
        "--older-than",
        type=_days,
        default=DEFAULT_MAX_AGE_DAYS,
        metavar="DAYS",
        help=f"age limit in days (default {DEFAULT_MAX_AGE_DAYS})",
    )
    stale.add_argument("--today", type=_date, default=None, help=argparse.SUPPRESS)
    stale.add_argument("--format", choices=("text", "json"), default="text")
    stale.add_argument("--data", type=Path, default=None, help=argparse.SUPPRESS)


def _wanted(name: str, wanted: set[str], catalog: Catalog) -> bool:
    """Whether a distribution was asked for, by its own name or by its catalog entry's."""
    library = catalog.lookup(name)
    if not wanted or normalize_name(name) in wanted:
        return True
    return library is not None and library.key in wanted


def _views(args: argparse.Namespace, catalog: Catalog) -> list[DistributionView]:
    wanted = {normalize_name(n) for n in args.names}
    views: list[DistributionView] = []
    if args.installed:
        seen: set[str] = set()
        for dist in distributions():
            name = dist.metadata["Name"] if dist.metadata else None
            if not name or normalize_name(name) in seen:
                continue
            seen.add(normalize_name(name))
            if not _wanted(name, wanted, catalog) or catalog.lookup(name) is None:
                continue
            try:
                views.append(read_installed(dist))
            except InspectionError as error:
                print(f"note: {name}: {error}", file=sys.stderr)
        found = seen | {lib.key for n in seen if (lib := catalog.lookup(n)) is not None}
        for name in sorted(wanted - found):
            print(f"note: {name} is not installed", file=sys.stderr)
    else:
        for path in args.wheel:
            view = read_wheel(path)
            if _wanted(view.name, wanted, catalog):
                views.append(view)
    return views


def _run_verify(args: argparse.Namespace) -> int:
    catalog = load_catalog(_data_dir(args) / "libraries.toml")
    findings: list[Finding] = []
    compared = 0
    for view in _views(args, catalog):
        library = catalog.lookup(view.name)
        if library is None:
            print(f"note: {view.name} is not in the catalog", file=sys.stderr)
            continue
        compared += 1
        findings.extend(compare(library, view))
    if args.format == "json":
        rows = [
            {"library": f.library, "version": f.version, "kind": f.kind.value, "message": f.message}
            for f in findings
        ]
        print(json.dumps({"compared": compared, "findings": rows}, indent=2))
    else:
        for f in findings:
            print(f"{f.library} {f.version} [{f.kind.value}] {f.message}")
        print(f"{compared} distribution(s) compared, {len(findings)} finding(s)")
    return 1 if findings else 0


def _run_stale(args: argparse.Namespace) -> int:
    catalog = load_catalog(_data_dir(args) / "libraries.toml")
    today = args.today or dt.date.today()
    due = stale_facts(catalog, today, args.older_than)
    if args.format == "json":
        rows = [
            {
                "library": fact.library.name,
                "checked_version": fact.library.checked_version,
                "checked_on": fact.library.checked_on.isoformat(),
                "age_days": fact.age_days,
                "reason": fact.reason,
            }
            for fact in due
        ]
        print(json.dumps(rows, indent=2))
    else:
        for fact in due:
            lib = fact.library
            print(f"{lib.name} {lib.checked_version} (checked {lib.checked_on}): {fact.reason}")
        print(f"{len(due)} of {len(catalog.libraries)} entries due for re-checking")
    return 1 if due else 0


def run(args: argparse.Namespace) -> int:
    """Run the chosen catalog subcommand; unreadable wheels and bad data exit 2."""
    try:
        if args.catalog_command == "verify":
            return _run_verify(args)
        return _run_stale(args)
    except (DataError, InspectionError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _data_dir(args: argparse.Namespace) -> Path:
    """`--data`, else the folder every entry point uses (ADVISOR_DATA_DIR or the project's)."""
    from advisor.engine import configured_data_dir

    return Path(args.data) if args.data is not None else configured_data_dir()
