"""Speed of `advisor scan` against bare `ast.parse` of the same files (a script, not a test).

    python tests/perf/bench_scan.py [PATH] [--rounds N] [--max-seconds S]

PATH defaults to the running interpreter's site-packages. The files are those the scan reads
(the folder walk's exclusions applied), loaded into memory once, so neither side pays for disk
I/O. Each round times, interleaved:

- `parse`: `ast.parse` of every file's bytes (the baseline);
- `scan`: `scan_sources` over the same files (decoding, the cheap text filter, parsing where a
  concurrency package is named, name resolution, classification and porting plans);
- on the subset of files the scan does parse, both again (`parse-subset`, `scan-subset`): the
  cost of the scan's own work where it has some.

Reports medians over the rounds in lines per second and the ratio scan / parse measured in the
same run. Goal: the scan costs at most 1.5x parsing alone. Bounded: at most --rounds rounds
and no new round after --max-seconds.
"""

from __future__ import annotations

import argparse
import ast
import statistics
import sys
import sysconfig
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from advisor.scan.detect import scan_module
from advisor.scan.model import FileProblem
from advisor.scan.scanner import default_catalog, scan_sources
from advisor.scan.sources import ScanLimits, SourceFile, walk_folder

LIMITS = ScanLimits(
    max_files=1_000_000, max_total_bytes=1 << 40, max_file_bytes=1 << 30, max_archive_bytes=1
)


def parse_all(files: Sequence[SourceFile]) -> int:
    """ast.parse every file; the number that failed (kept so the work is not optimised away)."""
    failed = 0
    for item in files:
        try:
            ast.parse(item.data)
        except (SyntaxError, ValueError, RecursionError):
            failed += 1
    return failed


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=Path(sysconfig.get_path("purelib")))
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="start no round after")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # third-party sources raise SyntaxWarnings when parsed
    catalog = default_catalog()
    files = [f for f in walk_folder(args.path, LIMITS) if isinstance(f, SourceFile)]
    lines = sum(f.data.count(b"\n") for f in files)
    subset = [
        f
        for f in files
        if scan_module(f.data, module=f.module, is_package=f.is_package, catalog=catalog).parsed
    ]
    subset_lines = sum(f.data.count(b"\n") for f in subset)
    sources: list[SourceFile | FileProblem] = list(files)
    subset_sources: list[SourceFile | FileProblem] = list(subset)
    cases: dict[str, Callable[[], object]] = {
        "parse": lambda: parse_all(files),
        "scan": lambda: scan_sources(sources, str(args.path), catalog),
        "parse-subset": lambda: parse_all(subset),
        "scan-subset": lambda: scan_sources(subset_sources, str(args.path), catalog),
    }
    samples: dict[str, list[float]] = {name: [] for name in cases}
    started = time.perf_counter()
    for _ in range(args.rounds):
        if time.perf_counter() - started > args.max_seconds:
            break
        for name, func in cases.items():
            samples[name].append(timed(func))
    report = scan_sources(sources, str(args.path), catalog)
    median = {name: statistics.median(values) for name, values in samples.items()}
    print(f"path: {args.path}")
    print(
        f"files: {len(files):,} ({lines:,} lines); parsed by the scan: {len(subset):,} "
        f"({subset_lines:,} lines); rounds: {len(samples['parse'])}; "
        f"Python {sys.version.split()[0]}"
    )
    print(f"scan found {sum(k.count for k in report.kinds):,} uses; style {report.style.value}")
    print(f"{'case':<14}{'median s':>10}{'lines/s':>14}{'vs parse':>10}")
    for name in cases:
        count = subset_lines if "subset" in name else lines
        base = median["parse-subset" if "subset" in name else "parse"]
        print(
            f"{name:<14}{median[name]:>10.3f}{count / median[name]:>14,.0f}"
            f"{median[name] / base:>9.2f}x"
        )
    ratio = median["scan"] / median["parse"]
    print(f"goal: scan <= 1.5x parse: {'met' if ratio <= 1.5 else 'NOT met'} ({ratio:.2f}x)")


if __name__ == "__main__":
    main()
