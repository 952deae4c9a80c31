"""How much the precomputed summary.json saves a fresh server (a script, not a test).

Compares, in fresh interpreters so nothing is cached, loading the served run's summary from
`summary.json` (`load_summary_for`) with re-summarising the raw rows (`load_results` then
`summarize`), and reports the medians and their ratio measured in the same run:

    .venv/bin/python tests/perf/bench_summary_cold.py [--store data/benchmarks] [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

PROGRAMS = {
    "summary.json": (
        "import time; t = time.perf_counter()\n"
        "from advisor.benchmarks import load_summary_for\n"
        "load_summary_for(STORE)\n"
        "print(time.perf_counter() - t)\n"
    ),
    "re-summarise": (
        "import time; t = time.perf_counter()\n"
        "from advisor.benchmarks import load_results, summarize\n"
        "summarize(load_results(STORE))\n"
        "print(time.perf_counter() - t)\n"
    ),
}


def main() -> int:
    """Run each way `--runs` times, alternating, and print medians and the ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=Path("data/benchmarks"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[2]
    times: dict[str, list[float]] = {name: [] for name in PROGRAMS}
    for _ in range(max(1, min(args.runs, 50))):
        for name, program in PROGRAMS.items():
            code = f"from pathlib import Path\nSTORE = Path({str(args.store.resolve())!r})\n"
            completed = subprocess.run(
                [sys.executable, "-c", code + program],
                cwd=root,
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            )
            times[name].append(float(completed.stdout.strip()))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        print(f"{name:>14}: median {value * 1000:.1f} ms over {len(times[name])} fresh runs")
    print(f"re-summarise / summary.json = {medians['re-summarise'] / medians['summary.json']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
