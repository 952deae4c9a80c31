"""Speed of reading lock files against `tomllib` alone on the same text (a script, not a test).

    python tests/perf/bench_deps.py [--packages N] [--repeat N]

Builds a uv.lock and a poetry.lock of N packages (default 2,000; each with dependencies, an
extra and a wheel entry, as real locks have), then reports the median CPU time of
`tomllib.loads(text)` and of the full reading (`advisor.deps.detect.read_text`: sniffing,
parsing, the tree) and, for the uv.lock, of reading plus `resolve()` against the real catalog,
all measured interleaved in the same run. Goal (issue 9): reading costs at most 3x `tomllib`.
Exits 1 when a goal is missed. Bounded: `--repeat` samples of each, nothing else.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a script from anywhere

from advisor.deps.detect import read_text
from advisor.deps.resolve import resolve
from advisor.engine import default_knowledge

GOAL = 3.0
"""Reading may cost at most this many times what tomllib alone takes."""


def uv_lock(count: int) -> str:
    """A uv.lock: a project depending on the first ten packages, each depending on the next."""
    parts = [
        'version = 1\nrequires-python = ">=3.11"\n\n[[package]]\nname = "bench-app"\n'
        'version = "0.1.0"\nsource = { editable = "." }\ndependencies = ['
        + ", ".join(f'{{ name = "pkg-{i}" }}' for i in range(10))
        + "]\n"
    ]
    for i in range(count):
        deps = ", ".join(f'{{ name = "pkg-{j}" }}' for j in range(i + 1, min(i + 4, count)))
        parts.append(
            f'\n[[package]]\nname = "pkg-{i}"\nversion = "1.{i}.0"\n'
            'source = { registry = "https://pypi.org/simple" }\n'
            f"dependencies = [{deps}]\n"
            f'wheels = [{{ url = "https://files.example/pkg_{i}-1.{i}.0-py3-none-any.whl", '
            f'hash = "sha256:{i:064x}", size = {1000 + i} }}]\n'
            f'\n[package.optional-dependencies]\nextra = [{{ name = "pkg-{(i * 7) % count}" }}]\n'
        )
    return "".join(parts)


def poetry_lock(count: int) -> str:
    """A poetry.lock of the same shape."""
    parts = []
    for i in range(count):
        deps = "".join(f'pkg-{j} = ">=1.0"\n' for j in range(i + 1, min(i + 4, count)))
        parts.append(
            f'[[package]]\nname = "pkg-{i}"\nversion = "1.{i}.0"\ndescription = "x"\n'
            f'optional = false\npython-versions = ">=3.8"\ngroups = ["main"]\n'
            f'files = [{{file = "pkg_{i}-1.{i}.0-py3-none-any.whl", hash = "sha256:{i:064x}"}}]\n'
            f"\n[package.dependencies]\n{deps}\n"
        )
    parts.append(
        '[metadata]\nlock-version = "2.1"\npython-versions = "^3.11"\ncontent-hash = "x"\n'
    )
    return "".join(parts)


def cpu_seconds(func: Callable[[], object], repeat: int) -> list[float]:
    """CPU seconds of each of `repeat` calls."""
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        func()
        samples.append(time.process_time() - start)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packages", type=int, default=2000, help="packages in each lock file")
    parser.add_argument("--repeat", type=int, default=15, help="timed samples of each (max 200)")
    args = parser.parse_args()
    repeat = max(3, min(args.repeat, 200))
    catalog = default_knowledge().catalog
    missed = False
    print(f"{args.packages} packages, {repeat} samples each, medians of CPU time")
    for label, text in (
        ("uv.lock", uv_lock(args.packages)),
        ("poetry.lock", poetry_lock(args.packages)),
    ):
        assert len(read_text(text).locked) >= args.packages  # (uv.lock adds the project)
        cases: dict[str, Callable[[], object]] = {
            "tomllib.loads": lambda text=text: tomllib.loads(text),
            "read_text": lambda text=text: read_text(text),
        }
        if label == "uv.lock":
            cases["read_text + resolve"] = lambda text=text: resolve(read_text(text), catalog)
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(repeat):  # interleaved, so drift affects every case alike
            for name, func in cases.items():
                samples[name] += cpu_seconds(func, 1)
        base = statistics.median(samples["tomllib.loads"])
        print(f"\n{label}: {len(text.encode()) / 1000:.0f} kB")
        for name, values in samples.items():
            median = statistics.median(values)
            print(f"  {name:<22} {median * 1000:8.2f} ms   x{median / base:.2f} of tomllib")
        ratio = statistics.median(samples["read_text"]) / base
        verdict = "meets" if ratio <= GOAL else "MISSES"
        print(f"  goal: read_text at most x{GOAL:.0f} tomllib: {verdict} (x{ratio:.2f})")
        missed |= ratio > GOAL
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
