"""The stored-results format, declared once: names, units, a row, the metadata of a run.

A *run folder* holds one run of the harness on one interpreter:

- `results.csv`: one row per measured value, with the columns in `COLUMNS`. A row is one metric
  of one sample (one fresh child process) of one workload case on one runtime in one round.
  A sample that failed or timed out still gets a row per metric it should have produced, with
  an empty value, the status `failed` or `timeout` and the reason in `detail`. Format 2 added
  the `python` column (the interpreter's version, e.g. `3.12.1`); format-1 files, which lack
  it, are read with the version from `meta.json`.
- `meta.json`: the machine, the versions, the load and the command behind the rows
  (`BenchmarkMeta`).
- `summary.json`: the `summarize` table, written when the run finished, so a fresh server need
  not re-summarise the raw rows (see `advisor.benchmarks.summary_file`).

A *store* (`data/benchmarks/`) holds finished run folders under `runs/` and `current.json`,
which names the served run of each Python version (see `advisor.benchmarks.store`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Final

FORMAT_VERSION: Final = 2
"""Bumped when a change to the files would make an old reader misread them."""
READABLE_FORMATS: Final = (1, 2)
"""Formats the loader still reads (1 lacks the `python` column)."""

RESULTS_FILE: Final = "results.csv"
META_FILE: Final = "meta.json"
SUMMARY_FILE: Final = "summary.json"

RUNTIMES: tuple[str, ...] = (
    "asyncio",
    "uvloop",
    "trio",
    "anyio-asyncio",
    "anyio-uvloop",
    "anyio-trio",
)
"""Every runtime the harness measures, in display order."""

BASELINE: Final = "asyncio"
"""The runtime every ratio is taken against (plain asyncio on the default event loop)."""

WORKLOADS: tuple[str, ...] = (
    "http_service",
    "tcp_echo",
    "spawn",
    "timers",
    "channel",
    "cancel",
    "memory",
    "startup",
)
"""Every workload the harness runs, in display order."""

_COMMON_METRICS: Final = ("wall_time", "cpu_time", "cpu_wait")

METRICS: Mapping[str, tuple[str, ...]] = {
    "http_service": (
        "max_requests_per_s",
        *(
            f"{measure}_at_{load}"
            for load in (25, 50, 80)
            for measure in ("offered_per_s", "achieved_per_s", "p50_ms", "p99_ms", "p999_ms")
        ),
        "cpu_time",
        "cpu_wait",
    ),
    "tcp_echo": ("round_trips_per_s", "latency_p50", "latency_p99", *_COMMON_METRICS),
    "spawn": _COMMON_METRICS,
    "timers": ("lateness_p50", "lateness_p99", *_COMMON_METRICS),
    "channel": ("items_per_s", *_COMMON_METRICS),
    "cancel": ("scoped_ns", "bare_ns", "overhead_ns", "per_task_us", *_COMMON_METRICS),
    "memory": ("rss_per_task", "traced_per_task", "wall_time", "cpu_time"),
    "startup": _COMMON_METRICS,
}
"""Workload -> every metric name it may report: a typo in a stored file is an error, not a new
measure. A test checks the harness's declarations against this table."""

NO_CASE: Final = "-"
"""The `case` of a workload that has a single case."""

UNITS: tuple[str, ...] = ("ops/s", "s", "ms", "us", "ns", "bytes", "%")
"""Units a metric may be stated in. Throughputs are `ops/s` (the metric name says what an op
is); `%` is a share in percent."""


class Status(StrEnum):
    """How the sample that produced a row ended."""

    OK = "ok"
    """The child process ran, checked its own work and reported the value."""
    FAILED = "failed"
    """The child crashed, found its work wrong, or ran on the wrong event loop."""
    TIMEOUT = "timeout"
    """The child hit its own deadline or the harness's per-process timeout."""


class Better(StrEnum):
    """Which direction of a metric is an improvement."""

    HIGHER = "higher"
    LOWER = "lower"


COLUMNS: tuple[str, ...] = (
    "workload",
    "case",
    "runtime",
    "round",
    "metric",
    "unit",
    "better",
    "value",
    "status",
    "detail",
    "python",
)
"""The columns of `results.csv`, in the order they are written."""

OPTIONAL_COLUMNS: tuple[str, ...] = ("python",)
"""Columns a format-1 file lacks."""

SUMMARY_COLUMNS: tuple[str, ...] = (
    "workload",
    "case",
    "metric",
    "unit",
    "better",
    "runtime",
    "n",
    "median",
    "q1",
    "q3",
    "rel_iqr",
    "pairs",
    "ratio",
    "ratio_low",
    "ratio_high",
    "speedup",
    "speedup_low",
    "speedup_high",
    "failed",
)
"""The columns of the frame `summarize` returns, in order."""

CONFIDENCE: Final = 0.95
"""Coverage aimed at by the intervals around median ratios."""

METRIC_NAME: Final = re.compile(r"[a-z][a-z0-9_]*\Z")
PYTHON_VERSION: Final = re.compile(r"[0-9]{1,2}\.[0-9]{1,3}(\.[0-9]{1,3}([a-z]+[0-9]*)?\+?)?\Z")
"""`3.12.1`, `3.13.0rc2`, or `3.11` (as a format-1 file's meta gives it)."""

MAX_TEXT: Final = 2000
"""Longest text field accepted in meta.json (a command line with several --python paths)."""
_UNSAFE_TEXT: Final = re.compile(r"[\x00-\x1f\x7f<>\[\]`|]|://|\\")


def plain_text_problem(text: str) -> str | None:
    """Why `text` cannot be shown as plain text on the page, or None.

    Stored metadata is rendered next to the figures; it must not carry markup a renderer
    would act on: no control characters, no `<`, `>`, `[`, `]`, backquotes, pipes or
    backslashes, no `scheme://` (so no live link or remote image), at most `MAX_TEXT` long.
    """
    if len(text) > MAX_TEXT:
        return f"is {len(text)} characters long (at most {MAX_TEXT})"
    found = _UNSAFE_TEXT.search(text)
    if found:
        return f"holds {found.group()!r}, which is not plain text"
    return None


def python_minor(version: str) -> str:
    """`3.12` for `3.12.1` (the key a store uses for an interpreter's runs)."""
    return ".".join(version.split(".")[:2])


def choices(values: Iterable[object]) -> str:
    """`'a', 'b'` for an error message."""
    return ", ".join(repr(str(value)) for value in values)


# --- One row -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultRow:
    """One measured value (or one value a failed sample should have produced).

    Constructing a row validates it, so the harness cannot write a row the loader would reject.
    """

    workload: str
    """One of `WORKLOADS`."""
    case: str
    """The workload's parameters, such as `conns=10,size=1024`, or `NO_CASE`."""
    runtime: str
    """One of `RUNTIMES`."""
    round: int
    """The round (1-based) in which the sample ran; ratios pair rows of the same round."""
    metric: str
    """What was measured: one of `METRICS[workload]`."""
    unit: str
    """One of `UNITS`."""
    better: Better
    """Whether higher or lower values are better."""
    value: float | None
    """The measured value; None exactly when `status` is not `ok`."""
    status: Status
    """How the sample ended."""
    detail: str = ""
    """Why a sample failed or timed out (one line); empty for `ok` rows."""
    python: str = ""
    """Version of the interpreter that ran the sample, e.g. `3.12.1` (empty: not recorded)."""

    def __post_init__(self) -> None:
        problem = row_problem(self)
        if problem is not None:
            raise ValueError(problem)

    def to_record(self) -> dict[str, str]:
        """The row as the strings written to `results.csv` (floats round-trip exactly)."""
        return {
            "workload": self.workload,
            "case": self.case,
            "runtime": self.runtime,
            "round": str(self.round),
            "metric": self.metric,
            "unit": self.unit,
            "better": self.better.value,
            "value": "" if self.value is None else repr(self.value),
            "status": self.status.value,
            "detail": self.detail,
            "python": self.python,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, str]) -> ResultRow:
        """Parse one CSV record; raises ValueError with a one-sentence problem."""
        round_text = record["round"].strip()
        if not round_text.isdigit() or len(round_text) > 6:
            raise ValueError(f"round {round_text[:20]!r} is not a whole number")
        try:
            better = Better(record["better"])
        except ValueError:
            raise ValueError(
                f"better {record['better'][:40]!r} is not one of {choices(Better)}"
            ) from None
        try:
            status = Status(record["status"])
        except ValueError:
            raise ValueError(
                f"status {record['status'][:40]!r} is not one of {choices(Status)}"
            ) from None
        value_text = record["value"].strip()
        value: float | None
        if value_text == "":
            value = None
        else:
            if len(value_text) > 40:
                raise ValueError(f"metric {record['metric'][:40]!r}: value is not a number")
            try:
                value = float(value_text)
            except ValueError:
                raise ValueError(
                    f"metric {record['metric'][:40]!r}: value {value_text!r} is not a number"
                ) from None
        return cls(
            workload=record["workload"],
            case=record["case"],
            runtime=record["runtime"],
            round=int(round_text),
            metric=record["metric"],
            unit=record["unit"],
            better=better,
            value=value,
            status=status,
            detail=record["detail"],
            python=record.get("python", ""),
        )


def row_problem(row: ResultRow) -> str | None:
    """The first thing wrong with a row, as one sentence, or None."""
    if row.workload not in WORKLOADS:
        return f"workload {row.workload[:40]!r} is not one of {choices(WORKLOADS)}"
    if row.runtime not in RUNTIMES:
        return f"runtime {row.runtime[:40]!r} is not one of {choices(RUNTIMES)}"
    if not row.case or row.case != row.case.strip() or len(row.case) > 100:
        return f"case {row.case[:40]!r} is empty, too long or has surrounding whitespace"
    if plain_text_problem(row.case):
        return f"case {row.case[:40]!r} is not plain text"
    if row.round < 1:
        return f"round {row.round} is not a positive number"
    if not METRIC_NAME.match(row.metric):
        return f"metric {row.metric[:40]!r} is not a lowercase name (letters, digits, underscores)"
    if row.metric not in METRICS[row.workload]:
        return (
            f"metric {row.metric!r} is not a measure of {row.workload!r} "
            f"(known: {choices(METRICS[row.workload])})"
        )
    if row.unit not in UNITS:
        return f"metric {row.metric!r}: unit {row.unit[:20]!r} is not one of {choices(UNITS)}"
    problem = plain_text_problem(row.detail.replace("\\", "/"))
    if problem:
        return f"detail {problem}"
    if row.python and not PYTHON_VERSION.match(row.python):
        return f"python {row.python[:40]!r} is not a version such as '3.12.1'"
    if row.status is Status.OK:
        if row.value is None:
            return f"metric {row.metric!r}: an 'ok' row has no value"
        if not math.isfinite(row.value):
            return f"metric {row.metric!r}: value {row.value!r} is not a finite number"
        if row.detail:
            return f"metric {row.metric!r}: an 'ok' row has a detail ({row.detail[:60]!r})"
    elif row.value is not None:
        return f"metric {row.metric!r}: a {row.status.value!r} row has a value"
    return None


# --- The metadata ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class BenchmarkMeta:
    """Where, when, how and with what the stored results were measured."""

    cpu: str
    """CPU model name, as the operating system reports it."""
    cores: int
    """Logical CPUs in the machine."""
    os: str
    """Operating system and kernel, e.g. `Linux-6.8.0-x86_64-with-glibc2.39`."""
    python: str
    """Implementation, version and build of the children's interpreter, e.g. `CPython 3.11.7
    (main, GCC 12.2.0)`."""
    packages: Mapping[str, str]
    """Distribution name -> version of every runtime package involved (in the children's
    interpreter)."""
    date: str
    """When the run started, ISO 8601 in UTC."""
    command: str
    """The exact command line that produced the files."""
    rounds: int
    """Rounds requested (each round runs every case on every runtime once)."""
    quick: bool
    """True for the `--quick` smoke run: fewer rounds and smaller counts, not for conclusions."""
    format_version: int = FORMAT_VERSION
    """The version of this file format."""
    usable_cores: int = 0
    """CPUs this process was allowed to run on (0 if unknown)."""
    machine: str = ""
    """CPU architecture, e.g. `x86_64`."""
    workloads: tuple[str, ...] = WORKLOADS
    """Workloads selected for the run."""
    runtimes: tuple[str, ...] = RUNTIMES
    """Runtimes selected for the run."""
    timeout_s: float = 0.0
    """Per-process timeout of each sample, in seconds."""
    seed: int = 0
    """Seed of the shuffled run order (the workloads' own seeds are fixed in code)."""
    nice: int = 0
    """Scheduling niceness the harness ran at (negative means higher priority)."""
    load_start: tuple[float, ...] = ()
    """1-, 5- and 15-minute load averages when the run started (empty if unknown)."""
    load_end: tuple[float, ...] = ()
    """The same when the run ended (empty if the run did not finish)."""
    duration_s: float | None = None
    """Wall time of the whole run, or None if it did not finish."""
    finished: bool = False
    """True once every planned sample has run; False for an interrupted run."""
    event_loops: Mapping[str, str] = field(default_factory=dict)
    """Runtime -> the event loop the children reported actually running, e.g. `uvloop.Loop`."""
    python_version: str = ""
    """The children's interpreter version, e.g. `3.12.1` (format 2; every row repeats it)."""
    load_during: tuple[float, ...] = ()
    """Minimum, median and maximum of the 1-minute load average read after each sample: how
    busy the machine was while the run measured (empty if unknown)."""
    cpu_wait_median: float | None = None
    """Median over the run's `ok` samples of `cpu_wait` (percent of the kept repetitions' wall
    time spent waiting for a CPU another process held): the disturbance the figures carry."""
    note: str = ""
    """What the person who ran it says about the conditions (plain text), e.g. a shared
    machine."""
    run_id: str = ""
    """The name of the run's folder in a store."""

    def to_json(self) -> str:
        """The metadata as the text of `meta.json`."""
        data = asdict(self)
        data["packages"] = dict(self.packages)
        data["event_loops"] = dict(self.event_loops)
        return json.dumps(data, indent=2, sort_keys=False, allow_nan=False) + "\n"

    @property
    def minor(self) -> str:
        """`3.12` for a run on CPython 3.12.x (from `python_version`, else `python`)."""
        if self.python_version:
            return python_minor(self.python_version)
        found = re.search(r"\b(\d+\.\d+)\.\d+", self.python)
        return found.group(1) if found else ""
