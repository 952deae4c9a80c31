"""The `scan` command: `python -m advisor scan PATH [--format text|json|markdown]`.

`add_arguments` and `run` are the hooks the main CLI (`advisor.cli`) wires in. Exit codes:
0 scanned (problems with single files are reported, not fatal); 2 bad input (missing path, not
a folder or archive, a refused archive, a limit exceeded) or a broken `data/porting.toml`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from advisor.errors import DataError
from advisor.scan.render import DEFAULT_SHOWN, to_markdown, to_text
from advisor.scan.scanner import scan
from advisor.scan.sources import MiB, ScanInputError, ScanLimits

_DEFAULTS = ScanLimits()


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the `scan` arguments to `parser`."""
    parser.add_argument(
        "path", type=Path, help="the project folder, or a .zip / .tar.gz of its sources"
    )
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    parser.add_argument(
        "--all",
        action="store_true",
        help=f"list every file:line (text and Markdown show {DEFAULT_SHOWN} per group; "
        "JSON always lists all)",
    )
    parser.add_argument(
        "--max-files",
        type=_positive_int,
        default=_DEFAULTS.max_files,
        metavar="N",
        help=f"most Python files (archive members) read (default {_DEFAULTS.max_files:,})",
    )
    parser.add_argument(
        "--max-bytes",
        type=_positive_int,
        default=_DEFAULTS.max_total_bytes // MiB,
        metavar="MIB",
        help=f"most source read, uncompressed, in MiB (default {_DEFAULTS.max_total_bytes // MiB})",
    )
    parser.add_argument(
        "--max-file-size",
        type=_positive_int,
        default=_DEFAULTS.max_file_bytes // MiB,
        metavar="MIB",
        help="larger files are skipped and reported, in MiB "
        f"(default {_DEFAULTS.max_file_bytes // MiB})",
    )


def run(args: argparse.Namespace) -> int:
    """Scan `args.path` and print the report; returns the exit code."""
    limits = ScanLimits(
        max_files=args.max_files,
        max_total_bytes=args.max_bytes * MiB,
        max_file_bytes=args.max_file_size * MiB,
    )
    try:
        report = scan(args.path, limits=limits)
    except (ScanInputError, DataError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    limit = None if args.all else DEFAULT_SHOWN
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=2))
    elif args.format == "markdown":
        print(to_markdown(report, limit=limit), end="")
    else:
        print(to_text(report, limit=limit), end="")
    return 0
