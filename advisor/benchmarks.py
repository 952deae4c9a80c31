"""The stored benchmark results: their format (declared once), writing, loading and statistics.

`data/benchmarks/` holds two files:

- `results.csv`: one row per measured value, with the columns in `COLUMNS`. A row is one metric
  of one sample (one fresh child process) of one workload case on one runtime in one round.
  A sample that failed or timed out still gets a row per metric it should have produced, with
  an empty value, the status `failed` or `timeout` and the reason in `detail`.
- `meta.json`: the machine, the versions and the command that produced the rows
  (`BenchmarkMeta`).

The harness (`advisor.bench`) writes these files through `ResultRow`, `ResultsWriter` and
`BenchmarkMeta`; the app reads them through `load_results` and `summarize`. Both sides import the
declarations below, so the format cannot drift between writer and reader. This module imports
nothing from the rest of `advisor` except the error type, and no Streamlit.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Final

import pandas as pd

from advisor.errors import DataError

__all__ = [
    "BASELINE",
    "COLUMNS",
    "FORMAT_VERSION",
    "META_FILE",
    "NO_CASE",
    "RESULTS_FILE",
    "RUNTIMES",
    "SUMMARY_COLUMNS",
    "UNITS",
    "WORKLOADS",
    "BenchmarkMeta",
    "BenchmarkResults",
    "Better",
    "ResultRow",
    "ResultsWriter",
    "Status",
    "load_results",
    "median_confidence_interval",
    "summarize",
]

# --- The format, declared once -----------------------------------------------------------------

FORMAT_VERSION: Final = 1
"""Bumped when a change to the files would make an old reader misread them."""

RESULTS_FILE: Final = "results.csv"
META_FILE: Final = "meta.json"

RUNTIMES: tuple[str, ...] = ("asyncio", "uvloop", "trio", "anyio-asyncio", "anyio-trio")
"""Every runtime the harness measures, in display order."""

BASELINE: Final = "asyncio"
"""The runtime every ratio is taken against (plain asyncio on the default event loop)."""

WORKLOADS: tuple[str, ...] = (
    "tcp_echo",
    "spawn",
    "timers",
    "channel",
    "cancel",
    "memory",
    "startup",
)
"""Every workload the harness runs, in display order."""

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
)
"""The columns of `results.csv`, in the order they are written."""

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

_METRIC_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


# --- One row ---------------------------------------------------------------------------------


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
    """What was measured, such as `round_trips_per_s` (lowercase, digits and underscores)."""
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

    def __post_init__(self) -> None:
        problem = _row_problem(self)
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
        }

    @classmethod
    def from_record(cls, record: Mapping[str, str]) -> ResultRow:
        """Parse one CSV record; raises ValueError with a one-sentence problem."""
        round_text = record["round"].strip()
        try:
            round_number = int(round_text)
        except ValueError:
            raise ValueError(f"round {round_text!r} is not a whole number") from None
        try:
            better = Better(record["better"])
        except ValueError:
            raise ValueError(
                f"better {record['better']!r} is not one of {_choices(Better)}"
            ) from None
        try:
            status = Status(record["status"])
        except ValueError:
            raise ValueError(
                f"status {record['status']!r} is not one of {_choices(Status)}"
            ) from None
        value_text = record["value"].strip()
        value: float | None
        if value_text == "":
            value = None
        else:
            try:
                value = float(value_text)
            except ValueError:
                raise ValueError(
                    f"metric {record['metric']!r}: value {value_text!r} is not a number"
                ) from None
        return cls(
            workload=record["workload"],
            case=record["case"],
            runtime=record["runtime"],
            round=round_number,
            metric=record["metric"],
            unit=record["unit"],
            better=better,
            value=value,
            status=status,
            detail=record["detail"],
        )


def _choices(values: Iterable[object]) -> str:
    return ", ".join(repr(str(value)) for value in values)


def _row_problem(row: ResultRow) -> str | None:
    """The first thing wrong with a row, as one sentence, or None."""
    if row.workload not in WORKLOADS:
        return f"workload {row.workload!r} is not one of {_choices(WORKLOADS)}"
    if row.runtime not in RUNTIMES:
        return f"runtime {row.runtime!r} is not one of {_choices(RUNTIMES)}"
    if not row.case or row.case != row.case.strip() or "\n" in row.case:
        return f"case {row.case!r} is empty or has surrounding whitespace"
    if row.round < 1:
        return f"round {row.round} is not a positive number"
    if not _METRIC_NAME.match(row.metric):
        return f"metric {row.metric!r} is not a lowercase name (letters, digits, underscores)"
    if row.unit not in UNITS:
        return f"metric {row.metric!r}: unit {row.unit!r} is not one of {_choices(UNITS)}"
    if "\n" in row.detail or "\r" in row.detail:
        return "detail spans several lines"
    if row.status is Status.OK:
        if row.value is None:
            return f"metric {row.metric!r}: an 'ok' row has no value"
        if not math.isfinite(row.value):
            return f"metric {row.metric!r}: value {row.value!r} is not a finite number"
        if row.detail:
            return f"metric {row.metric!r}: an 'ok' row has a detail ({row.detail!r})"
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
    """Implementation and version, e.g. `CPython 3.11.7`."""
    packages: Mapping[str, str]
    """Distribution name -> version of every runtime package involved."""
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

    def to_json(self) -> str:
        """The metadata as the text of `meta.json`."""
        data = asdict(self)
        data["packages"] = dict(self.packages)
        data["event_loops"] = dict(self.event_loops)
        return json.dumps(data, indent=2, sort_keys=False) + "\n"


def _load_meta(path: Path) -> BenchmarkMeta:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(path, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, None, f"cannot read the file ({exc})") from None
    except json.JSONDecodeError as exc:
        raise DataError(path, f"line {exc.lineno}", f"not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise DataError(path, None, "the top level is not a JSON object")
    reader = _MetaReader(path, data)
    version = reader.integer("format_version", default=FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise DataError(
            path,
            "key 'format_version'",
            f"format {version} is not the supported format {FORMAT_VERSION}",
        )
    return BenchmarkMeta(
        cpu=reader.text("cpu"),
        cores=reader.integer("cores", minimum=1),
        os=reader.text("os"),
        python=reader.text("python"),
        packages=reader.text_mapping("packages"),
        date=reader.text("date"),
        command=reader.text("command"),
        rounds=reader.integer("rounds", minimum=1),
        quick=reader.boolean("quick"),
        format_version=version,
        usable_cores=reader.integer("usable_cores", default=0),
        machine=reader.text("machine", default=""),
        workloads=reader.names("workloads", WORKLOADS),
        runtimes=reader.names("runtimes", RUNTIMES),
        timeout_s=reader.number("timeout_s", default=0.0),
        seed=reader.integer("seed", default=0),
        nice=reader.integer("nice", default=0, minimum=-20),
        load_start=reader.numbers("load_start"),
        load_end=reader.numbers("load_end"),
        duration_s=reader.optional_number("duration_s"),
        finished=reader.boolean("finished", default=False),
        event_loops=reader.text_mapping("event_loops", default={}),
    )


_MISSING: Final = object()


class _MetaReader:
    """Typed access to the keys of meta.json; every problem names the key."""

    def __init__(self, path: Path, data: Mapping[str, object]) -> None:
        self._path = path
        self._data = data

    def _get(self, key: str, default: object) -> object:
        value = self._data.get(key, default)
        if value is _MISSING:
            raise DataError(self._path, f"key {key!r}", "missing")
        return value

    def _fail(self, key: str, expected: str, value: object) -> DataError:
        return DataError(self._path, f"key {key!r}", f"expected {expected}, got {value!r}")

    def text(self, key: str, default: object = _MISSING) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self._fail(key, "a string", value)
        return value

    def integer(self, key: str, *, default: object = _MISSING, minimum: int = 0) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self._fail(key, f"a whole number of at least {minimum}", value)
        return value

    def number(self, key: str, *, default: object = _MISSING) -> float:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise self._fail(key, "a non-negative number", value)
        return float(value)

    def optional_number(self, key: str) -> float | None:
        if self._data.get(key) is None:
            return None
        return self.number(key)

    def boolean(self, key: str, *, default: object = _MISSING) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false", value)
        return value

    def numbers(self, key: str) -> tuple[float, ...]:
        value = self._get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(item, int | float) and not isinstance(item, bool) for item in value
        ):
            raise self._fail(key, "a list of numbers", value)
        return tuple(float(item) for item in value)

    def names(self, key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        value = self._get(key, list(allowed))
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self._fail(key, "a list of names", value)
        for item in value:
            if item not in allowed:
                raise DataError(
                    self._path, f"key {key!r}", f"{item!r} is not one of {_choices(allowed)}"
                )
        return tuple(value)

    def text_mapping(self, key: str, default: object = _MISSING) -> Mapping[str, str]:
        value = self._get(key, default)
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise self._fail(key, "an object of strings", value)
        return MappingProxyType(dict(value))


# --- Writing -----------------------------------------------------------------------------------


def _replace_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never a mix."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class ResultsWriter:
    """Writes a run's rows and metadata into a directory as they come.

    Every `append` rewrites `results.csv` through a temporary file and an atomic rename, so an
    interrupted or crashed run leaves every row measured so far and never a half-written file.
    The harness rewrites `meta.json` the same way at the start and at the end of a run.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        """Where `results.csv` and `meta.json` are written."""
        self._rows: list[ResultRow] = []
        directory.mkdir(parents=True, exist_ok=True)
        self._write_rows()

    @property
    def rows(self) -> Sequence[ResultRow]:
        """Every row written so far."""
        return tuple(self._rows)

    def append(self, rows: Iterable[ResultRow]) -> None:
        """Add rows and make them durable before returning."""
        self._rows.extend(rows)
        self._write_rows()

    def write_meta(self, meta: BenchmarkMeta) -> None:
        """Write (or rewrite) `meta.json`."""
        _replace_atomically(self.directory / META_FILE, meta.to_json())

    def _write_rows(self) -> None:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(row.to_record() for row in self._rows)
        _replace_atomically(self.directory / RESULTS_FILE, buffer.getvalue())


# --- Loading -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class BenchmarkResults:
    """Validated stored results: the rows as a tidy frame, and the metadata."""

    rows: pd.DataFrame
    """One row per measured value, with the columns in `COLUMNS`: `workload` and `runtime`
    are ordered categoricals (order of `WORKLOADS` and `RUNTIMES`), `round` is an integer,
    `value` a float (NaN for rows whose status is not `ok`), the rest strings."""
    meta: BenchmarkMeta
    """Machine, versions and command behind the rows."""


def load_results(directory: Path) -> BenchmarkResults:
    """Load and validate `results.csv` and `meta.json` from a directory.

    Raises `DataError` naming the file and the entry (`row N`, counted as a spreadsheet does
    with the header as row 1, or `key 'name'` in meta.json) and the problem.
    """
    meta = _load_meta(directory / META_FILE)
    rows = list(_read_rows(directory / RESULTS_FILE, meta))
    return BenchmarkResults(rows=_rows_frame(rows), meta=meta)


def _read_rows(path: Path, meta: BenchmarkMeta) -> Iterator[ResultRow]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(path, None, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, None, f"cannot read the file ({exc})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(path, None, "the file is empty (no header)") from None
    except csv.Error as exc:
        raise DataError(path, "row 1", f"not valid CSV ({exc})") from None
    missing = [column for column in COLUMNS if column not in header]
    unknown = [column for column in header if column not in COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        parts = []
        if missing:
            parts.append(f"missing {_choices(missing)}")
        if unknown:
            parts.append(f"unknown {_choices(unknown)}")
        if len(set(header)) != len(header):
            parts.append("repeated column names")
        raise DataError(path, "row 1", "bad header: " + "; ".join(parts))

    seen: dict[tuple[str, str, str, int, str], int] = {}
    units: dict[tuple[str, str], tuple[str, Better, int]] = {}
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataError(path, f"row {reader.line_num}", f"not valid CSV ({exc})") from None
        entry = f"row {reader.line_num}"
        if not fields:
            continue
        if len(fields) != len(header):
            raise DataError(
                path, entry, f"has {len(fields)} fields where the header has {len(header)}"
            )
        try:
            row = ResultRow.from_record(dict(zip(header, fields, strict=True)))
        except ValueError as exc:
            raise DataError(path, entry, str(exc)) from None
        if row.round > meta.rounds:
            raise DataError(
                path, entry, f"round {row.round} is beyond the {meta.rounds} rounds in meta.json"
            )
        key = (row.workload, row.case, row.runtime, row.round, row.metric)
        if key in seen:
            raise DataError(
                path,
                entry,
                f"repeats the measurement in row {seen[key]} "
                f"({row.workload} {row.case} {row.runtime} round {row.round} {row.metric})",
            )
        seen[key] = reader.line_num
        declared = units.setdefault((row.workload, row.metric), (row.unit, row.better, seen[key]))
        if declared[:2] != (row.unit, row.better):
            raise DataError(
                path,
                entry,
                f"metric {row.metric!r} of {row.workload!r} is in {row.unit!r} "
                f"({row.better.value} is better) but row {declared[2]} has {declared[0]!r} "
                f"({declared[1].value} is better)",
            )
        yield row


def _rows_frame(rows: Sequence[ResultRow]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "workload": pd.Categorical(
                [row.workload for row in rows], categories=WORKLOADS, ordered=True
            ),
            "case": pd.Series([row.case for row in rows], dtype="str"),
            "runtime": pd.Categorical(
                [row.runtime for row in rows], categories=RUNTIMES, ordered=True
            ),
            "round": pd.Series([row.round for row in rows], dtype="int64"),
            "metric": pd.Series([row.metric for row in rows], dtype="str"),
            "unit": pd.Series([row.unit for row in rows], dtype="str"),
            "better": pd.Series([row.better.value for row in rows], dtype="str"),
            "value": pd.Series(
                [math.nan if row.value is None else row.value for row in rows], dtype="float64"
            ),
            "status": pd.Series([row.status.value for row in rows], dtype="str"),
            "detail": pd.Series([row.detail for row in rows], dtype="str"),
        },
        columns=list(COLUMNS),
    )


# --- Statistics --------------------------------------------------------------------------------


def median_confidence_interval(
    values: Sequence[float], level: float = CONFIDENCE
) -> tuple[float, float, float]:
    """The median of `values` and a distribution-free confidence interval around it.

    The interval runs between two order statistics, chosen from the binomial distribution
    (each value falls below the true median with probability 1/2), as narrow as possible while
    covering the median with at least `level` probability. Below six values no pair reaches
    95%, and the interval is the full range (93.75% with five values). NaNs are dropped; with
    no values every result is NaN.
    """
    ordered = sorted(value for value in values if not math.isnan(value))
    n = len(ordered)
    if n == 0:
        return (math.nan, math.nan, math.nan)
    middle = n // 2
    median = ordered[middle] if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    tail = (1 - level) / 2
    # The largest k with P(Binomial(n, 1/2) < k) <= tail gives the interval
    # (ordered[k - 1], ordered[n - k]); k = 1 (the full range) when none qualifies.
    k = 1
    below = 0.0
    for candidate in range(1, middle + 1):
        below += math.comb(n, candidate - 1) / 2**n
        if below > tail:
            break
        k = candidate
    return (median, ordered[k - 1], ordered[n - k])


def _natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort `conns=10` after `conns=2`: digit runs compare as numbers."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part
    )


@dataclass(slots=True)
class _Cell:
    """What `summarize` gathers for one (workload, case, metric, runtime)."""

    unit: str
    better: str
    failed: int = 0
    values: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)


_FLOAT_COLUMNS: Final = (
    "median",
    "q1",
    "q3",
    "rel_iqr",
    "ratio",
    "ratio_low",
    "ratio_high",
    "speedup",
    "speedup_low",
    "speedup_high",
)


def summarize(results: BenchmarkResults) -> pd.DataFrame:
    """Medians, spread and ratios to `BASELINE`, one row per (workload, case, metric, runtime).

    Over the `ok` rows of each cell: `n`, `median`, quartiles `q1`/`q3` and
    `rel_iqr = (q3 - q1) / |median|`. The ratio pairs each round's value with the baseline's
    value in the same round (`value / baseline`); `ratio` is the median of those per-round
    ratios (`pairs` of them) and `ratio_low`/`ratio_high` its confidence interval
    (`median_confidence_interval`). `speedup` orients the same per-round ratios so that above
    1 always means better than the baseline (the ratio when higher is better, its inverse
    when lower is better). `failed` counts the cell's rows whose status is not `ok`; a cell
    with only such rows is kept, with `n` 0 and NaN statistics. Rows come in the order of
    `WORKLOADS`, natural case order, metric order of the file, and `RUNTIMES`.

    Ratios are meaningful for positive values; a round whose baseline value is zero gives no
    ratio (timer lateness, which can be near zero, is best read from the medians).
    """
    rows = results.rows
    cells: dict[tuple[str, str, str, str], _Cell] = {}
    metric_order: dict[tuple[str, str], int] = {}
    baseline: dict[tuple[str, str, str, int], float] = {}
    records = list(
        zip(
            rows["workload"].astype("str"),
            rows["case"],
            rows["metric"],
            rows["runtime"].astype("str"),
            rows["round"],
            rows["unit"],
            rows["better"],
            rows["value"],
            rows["status"],
            strict=True,
        )
    )
    for workload, case, metric, runtime, round_, unit, better, value, status in records:
        metric_order.setdefault((workload, metric), len(metric_order))
        cell = cells.setdefault((workload, case, metric, runtime), _Cell(unit, better))
        if status != Status.OK.value:
            cell.failed += 1
            continue
        cell.values.append(float(value))
        if runtime == BASELINE:
            baseline[(workload, case, metric, int(round_))] = float(value)
    for workload, case, metric, runtime, round_, _, _, value, status in records:
        base = baseline.get((workload, case, metric, int(round_)))
        if status == Status.OK.value and base is not None and base != 0:
            cells[(workload, case, metric, runtime)].ratios.append(float(value) / base)

    summary_rows = []
    for (workload, case, metric, runtime), cell in cells.items():
        values = pd.Series(cell.values, dtype="float64")
        median, q1, q3 = (float(values.quantile(q)) for q in (0.5, 0.25, 0.75))
        ratio, ratio_low, ratio_high = median_confidence_interval(cell.ratios)
        if cell.better == Better.HIGHER.value:
            oriented = cell.ratios
        else:
            oriented = [1 / ratio if ratio != 0 else math.inf for ratio in cell.ratios]
        speedup, speedup_low, speedup_high = median_confidence_interval(oriented)
        summary_rows.append(
            {
                "workload": workload,
                "case": case,
                "metric": metric,
                "unit": cell.unit,
                "better": cell.better,
                "runtime": runtime,
                "n": len(cell.values),
                "median": median,
                "q1": q1,
                "q3": q3,
                "rel_iqr": (q3 - q1) / abs(median) if median else math.nan,
                "pairs": len(cell.ratios),
                "ratio": ratio,
                "ratio_low": ratio_low,
                "ratio_high": ratio_high,
                "speedup": speedup,
                "speedup_low": speedup_low,
                "speedup_high": speedup_high,
                "failed": cell.failed,
            }
        )
    summary_rows.sort(
        key=lambda row: (
            WORKLOADS.index(str(row["workload"])),
            _natural_key(str(row["case"])),
            metric_order[(str(row["workload"]), str(row["metric"]))],
            RUNTIMES.index(str(row["runtime"])),
        )
    )
    summary = pd.DataFrame.from_records(summary_rows, columns=list(SUMMARY_COLUMNS))
    return summary.astype(
        {
            "workload": pd.CategoricalDtype(list(WORKLOADS), ordered=True),
            "case": "str",
            "metric": "str",
            "unit": "str",
            "better": "str",
            "runtime": pd.CategoricalDtype(list(RUNTIMES), ordered=True),
            "n": "int64",
            "pairs": "int64",
            "failed": "int64",
            **dict.fromkeys(_FLOAT_COLUMNS, "float64"),
        }
    )
