"""Writing a run folder as the run goes: the header first, then each sample's rows appended.

A run writes only into its own new folder (see `advisor.benchmarks.store`), which nobody serves
until the run has finished, so rows are appended and flushed to disk as each sample ends: an
interrupted run keeps everything it measured, and no temporary file is ever left behind.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from advisor.benchmarks.format import COLUMNS, META_FILE, RESULTS_FILE, BenchmarkMeta, ResultRow


def write_durably(path: Path, text: str, *, append: bool = False) -> None:
    """Write (or append) `text` to `path` and flush it to the disk before returning."""
    with open(path, "a" if append else "w", encoding="utf-8", newline="") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())


class ResultsWriter:
    """Writes a run's rows and metadata into its own folder as they come."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        """Where `results.csv` and `meta.json` are written (created if missing)."""
        self._rows: list[ResultRow] = []
        directory.mkdir(parents=True, exist_ok=True)
        self._write_records([], append=False, header=True)

    @property
    def rows(self) -> Sequence[ResultRow]:
        """Every row written so far."""
        return tuple(self._rows)

    def append(self, rows: Iterable[ResultRow]) -> None:
        """Add rows and make them durable before returning."""
        new = list(rows)
        self._rows.extend(new)
        self._write_records(new, append=True, header=False)

    def write_meta(self, meta: BenchmarkMeta) -> None:
        """Write (or rewrite) `meta.json`."""
        write_durably(self.directory / META_FILE, meta.to_json())

    def _write_records(self, rows: Sequence[ResultRow], *, append: bool, header: bool) -> None:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
        if header:
            writer.writeheader()
        writer.writerows(row.to_record() for row in rows)
        write_durably(self.directory / RESULTS_FILE, buffer.getvalue(), append=append)
