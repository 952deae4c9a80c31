"""The benchmark harness: runs each workload on each runtime and writes `data/benchmarks/`.

Layering, from the bottom up:

- `spec` declares what a workload is (its cases and metrics); `measure` and `runtimes` are the
  helpers a workload uses inside a child process (stopwatch, percentiles, checks, starting the
  right event loop and proving it is the one running).
- `workloads/` holds one module per workload, each written idiomatically for asyncio, Trio and
  AnyIO; `workloads/__init__.py` is the catalog of them.
- `child` is the entry point of one sample: a fresh `python -E -m advisor.bench.child` process
  that runs one case on one runtime and prints its metrics as JSON. It imports neither pandas
  nor `advisor.benchmarks`, so what it measures is only the runtime under test.
- `environment` captures the machine and versions; `progress` and `table` are the terminal
  display; `runner` plans the rounds, spawns the children and records rows through
  `advisor.benchmarks`; `cli` is the `bench` command (`python -m advisor bench`, or
  `python -m advisor.bench` on its own).

Only the CLI imports the harness; the app only reads what it wrote, through `advisor.benchmarks`.
"""
