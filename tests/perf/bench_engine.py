"""Speed of `recommend()` after the data is loaded (a script, not a test).

    python tests/perf/bench_engine.py [--repeat N]

Reports the median time per call for answers with 10 and with 100 dependencies, as wall time
and as the process's CPU time (on a shared machine the wall time adds the time spent waiting
for a core; the load average is printed before and after), beside a baseline measured in the
same run (parsing the share link: `Answers.from_query`), so that the ratio means something on
a noisy, shared machine. Goals (issue 8): under 0.5 ms for 10
dependencies and under 5 ms for 100; the flip search must stay linear in the dependencies.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from advisor import Answers, recommend
from advisor.engine import default_knowledge


def _median_seconds(
    func: Callable[[], object], repeat: int, inner: int, clock: Callable[[], float]
) -> float:
    samples = []
    for _ in range(repeat):
        start = clock()
        for _ in range(inner):
            func()
        samples.append((clock() - start) / inner)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=25, help="timed samples per case")
    args = parser.parse_args()
    knowledge = default_knowledge()
    catalog_names = list(knowledge.catalog.names())
    # Real names first (so rules fire as in use), padded with unknown names to reach 100.
    names = catalog_names + [f"internal-package-{i}" for i in range(100)]
    cases = {
        10: Answers.from_query(
            "deps=" + ",".join(names[:10]) + "&workload=server,client&scale=large&exp_trio=1"
        ),
        100: Answers.from_query(
            "deps=" + ",".join(names[:100]) + "&workload=server,client&scale=large&exp_trio=1"
        ),
    }
    print(f"load average before: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")
    print(f"{'case':<22}{'median':>12}{'CPU time':>12}{'vs baseline':>14}")
    for count, answers in cases.items():
        query = answers.to_query()
        inner = 20 if count <= 10 else 3
        figures = {}
        for clock in (time.perf_counter, time.process_time):
            baseline = _median_seconds(
                lambda q=query: Answers.from_query(q), args.repeat, 50, clock
            )
            took = _median_seconds(
                lambda a=answers: recommend(a, knowledge), args.repeat, inner, clock
            )
            figures[clock] = (baseline, took)
        rec = recommend(answers, knowledge)
        (wall_base, wall), (cpu_base, cpu) = figures[time.perf_counter], figures[time.process_time]
        print(
            f"{'from_query, ' + str(count) + ' deps':<22}{wall_base * 1e3:>10.3f}ms"
            f"{cpu_base * 1e3:>10.3f}ms{'1.0x':>14}"
        )
        print(
            f"{'recommend, ' + str(count) + ' deps':<22}{wall * 1e3:>10.3f}ms{cpu * 1e3:>10.3f}ms"
            f"{wall / wall_base:>13.1f}x   ({len(rec.flips)} flips, {len(rec.reasons)} reasons)"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f} (1 min)")
    print("goals: recommend() under 0.5 ms with 10 dependencies, under 5 ms with 100 (median)")
    print("(CPU time is the process's own; on a shared machine the wall time adds waiting)")


if __name__ == "__main__":
    main()
