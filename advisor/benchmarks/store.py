"""A store of runs (`data/benchmarks/`): finished runs served, one per Python version.

Layout::

    current.json          {"format_version": 2, "runs": {"3.11": "runs/3.11-20261129T2140Z-123"}}
    runs/<run id>/        one run folder each (results.csv, meta.json, summary.json)
    .lock                 held (flock) by the run writing into the store; not part of the data

A run writes into its own new folder under `runs/` and, only once it has finished, points
`current.json` at it with an atomic rename: a reader sees the previous finished run or the new
one, whole, never a mix and never an empty file. A second run on the same store is refused
while the first holds the lock (the operating system releases it when its holder dies, so a
killed run leaves no stale lock). Folders under `runs/` that `current.json` does not name are
unfinished (interrupted, or still running while the lock is held); `unfinished_runs` lists
them so the page can say so, and the next finished run removes them.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from advisor.benchmarks.format import (
    FORMAT_VERSION,
    META_FILE,
    PYTHON_VERSION,
    BenchmarkMeta,
    choices,
)
from advisor.benchmarks.loading import BenchmarkResults, load_meta, load_run, read_json_object
from advisor.errors import DataError

POINTER_FILE: Final = "current.json"
RUNS_DIR: Final = "runs"
LOCK_FILE: Final = ".lock"
_RUN_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}\Z")


class RunInProgress(Exception):
    """Another run holds the store's lock."""


def is_store(directory: Path) -> bool:
    """Whether `directory` is a store (has `current.json` or `runs/`), not a run folder."""
    return (directory / POINTER_FILE).exists() or (directory / RUNS_DIR).is_dir()


def read_pointer(store: Path) -> dict[str, str]:
    """Python version (`3.12`) -> served run folder name; {} when nothing is served yet."""
    path = store / POINTER_FILE
    if not path.exists():
        return {}
    data = read_json_object(path)
    unknown = sorted(set(data) - {"format_version", "runs"})
    if unknown:
        raise DataError(path, f"key {unknown[0][:60]!r}", "is not a key of current.json")
    if data.get("format_version") != FORMAT_VERSION:
        raise DataError(path, "key 'format_version'", f"must be {FORMAT_VERSION}")
    runs = data.get("runs")
    if not isinstance(runs, dict):
        raise DataError(path, "key 'runs'", "expected an object of Python version -> run")
    pointer: dict[str, str] = {}
    for minor, target in runs.items():
        name = target.removeprefix(f"{RUNS_DIR}/") if isinstance(target, str) else None
        if not PYTHON_VERSION.match(minor) or minor.count(".") != 1:
            raise DataError(path, f"runs.{minor[:20]}", "is not a Python version such as 3.12")
        if name is None or not _RUN_NAME.match(name) or name in (".", ".."):
            raise DataError(path, f"runs.{minor}", f"{target!r} is not a run folder name")
        pointer[minor] = name
    return pointer


def served_runs(store: Path) -> dict[str, Path]:
    """Python version -> folder of the served run, in the order of `current.json`."""
    return {minor: store / RUNS_DIR / name for minor, name in read_pointer(store).items()}


def load_store(store: Path) -> dict[str, BenchmarkResults]:
    """Every served run of a store, by Python version (`3.12`)."""
    runs = {}
    for minor, folder in served_runs(store).items():
        results = load_run(folder)
        if results.meta.minor != minor:
            raise DataError(
                store / POINTER_FILE,
                f"runs.{minor}",
                f"names a run on Python {results.meta.minor or 'unknown'}",
            )
        runs[minor] = results
    return runs


def choose_run(store: Path, python: str | None = None) -> Path:
    """The served run folder for `python` (`3.12`): that version's, else the running
    interpreter's, else the first; `DataError` if the store serves none."""
    runs = served_runs(store)
    current = f"{sys.version_info.major}.{sys.version_info.minor}"
    for wanted in (python, current):
        if wanted in runs:
            return runs[wanted]
    if not runs:
        raise DataError(store / POINTER_FILE, None, "names no finished run")
    return next(iter(runs.values()))


# --- Publishing --------------------------------------------------------------------------------


def _replace_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def publish(store: Path, run_folder: Path, meta: BenchmarkMeta) -> None:
    """Serve a finished run: point `current.json` at it (atomic rename), then remove the runs
    it replaces and the unfinished ones (the caller holds the lock, so none is running)."""
    if not meta.finished or not meta.minor:
        raise ValueError("only a finished run with a known interpreter can be served")
    pointer = read_pointer(store)
    pointer[meta.minor] = run_folder.name
    document = {
        "format_version": FORMAT_VERSION,
        "runs": {minor: f"{RUNS_DIR}/{name}" for minor, name in sorted(pointer.items())},
    }
    _replace_atomically(store / POINTER_FILE, json.dumps(document, indent=2) + "\n")
    keep = set(pointer.values())
    for folder in sorted((store / RUNS_DIR).iterdir()):
        if folder.is_dir() and folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)


def import_run(store: Path, run_folder: Path) -> Path:
    """Copy a finished run (from another store, another machine's `--out`) into `store` and
    serve it for its Python version; returns its new folder. The run is validated first
    (`DataError` if it is broken, `ValueError` if it did not finish); the caller holds the
    store's lock (`run_lock`)."""
    results = load_run(run_folder)
    meta = results.meta
    if not meta.finished or not meta.minor:
        raise ValueError(f"{run_folder} holds a run that did not finish")
    name = meta.run_id if meta.run_id and _RUN_NAME.match(meta.run_id) else run_folder.name
    target = store / RUNS_DIR / name
    if target.exists():
        raise ValueError(f"{store} already holds a run named {name}")
    staging = store / RUNS_DIR / f".importing-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    (store / RUNS_DIR).mkdir(parents=True, exist_ok=True)
    try:
        shutil.copytree(run_folder, staging)
        os.rename(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    publish(store, target, meta)
    return target


# --- The lock ----------------------------------------------------------------------------------


@contextlib.contextmanager
def run_lock(store: Path) -> Iterator[None]:
    """Hold the store's lock for a run; `RunInProgress` names the holder if another has it.

    Uses `fcntl.flock` (released by the operating system when the holder exits or is killed).
    Where there is no `fcntl` (Windows), runs are not protected against each other.
    """
    store.mkdir(parents=True, exist_ok=True)
    if sys.platform == "win32":
        yield
        return
    import fcntl

    path = store / LOCK_FILE
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read(200).strip() or "another process"
            raise RunInProgress(
                f"another benchmark run is writing to {store} ({holder}); wait for it to "
                "finish or choose another --out"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def lock_held(store: Path) -> bool:
    """Whether a run holds the store's lock now."""
    path = store / LOCK_FILE
    if sys.platform == "win32" or not path.exists():
        return False
    import fcntl

    try:
        with open(path, encoding="utf-8") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    except OSError:
        return False
    return False


# --- Unfinished runs ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class UnfinishedRun:
    """A run folder in the store that is not served."""

    name: str
    """Its folder name under `runs/`."""
    running: bool
    """True while a run holds the store's lock (it may still finish)."""
    date: str
    """When it started (empty if its meta.json is unreadable)."""
    python: str
    """Its interpreter's version (empty if unknown)."""


def unfinished_runs(store: Path) -> tuple[UnfinishedRun, ...]:
    """Run folders `current.json` does not name: interrupted runs, or the one running now."""
    runs_dir = store / RUNS_DIR
    if not runs_dir.is_dir():
        return ()
    served = set(read_pointer(store).values())
    running = lock_held(store)
    found = []
    for folder in sorted(runs_dir.iterdir()):
        if not folder.is_dir() or folder.name in served:
            continue
        try:
            meta: BenchmarkMeta | None = load_meta(folder / META_FILE)
        except DataError:
            meta = None
        found.append(
            UnfinishedRun(
                name=folder.name,
                running=running,
                date=meta.date if meta else "",
                python=meta.python_version if meta else "",
            )
        )
    return tuple(found)


def describe_unfinished(runs: tuple[UnfinishedRun, ...]) -> str:
    """One plain sentence about unfinished runs, or "" when there are none."""
    if not runs:
        return ""
    latest = runs[-1]
    started = f" (started {latest.date}, Python {latest.python or 'unknown'})"
    if latest.running:
        return (
            f"A benchmark run is in progress{started}; the figures shown are from the last "
            "finished run and will change when it finishes."
        )
    return (
        f"{len(runs)} benchmark run(s) did not finish{started}; the figures shown are from "
        "the last finished run."
    )


def mapping_names(runs: Mapping[str, object]) -> str:
    """`'3.11', '3.12'` for messages."""
    return choices(runs)
