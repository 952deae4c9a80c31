"""The benchmark harness: runs each workload on each runtime and writes a run into a store.

Layering, from the bottom up:

- `spec` declares what a workload is (its cases and metrics); `measure` and `runtimes` are the
  helpers a workload uses inside a child process (stopwatch, percentiles, checks, starting the
  right event loop and proving it is the one running).
- `workloads/` holds one module per workload, each written idiomatically for asyncio, Trio and
  AnyIO; `workloads/__init__.py` is the catalog of them.
- `child` is the entry point of one sample: a fresh `python -E -m advisor.bench.child` process
  that runs one case on one runtime and prints its metrics as JSON. It imports neither pandas
  nor `advisor.benchmarks`, so what it measures is only the runtime under test.
- `boot` starts a harness module in a fresh interpreter without importing `advisor/__init__`
  (children may run on another Python's venv, which `interpreters` builds with the pinned
  runtimes); `lifeline` makes children die with the runner; `loadgen` is the open-loop HTTP
  load generator the `http_service` workload starts in a process of its own.
- `environment` captures the machine and versions; `progress` and `table` are the terminal
  display; `runner` plans the rounds, spawns the children and records rows into the run's own
  folder of the store (`advisor.benchmarks.store`: served atomically once finished, locked
  against a second run); `cli` is the `bench` command (`python -m advisor bench`, or
  `python -m advisor.bench` on its own), with `--python`, `--merge` and `--compare`.

Only the CLI imports the harness; the app only reads what it wrote, through `advisor.benchmarks`.
"""
