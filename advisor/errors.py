"""The one error type for bad data files, carrying where the problem is as data."""

from __future__ import annotations

from pathlib import Path


class DataError(Exception):
    """A data file (catalog, rules, stored benchmarks) is malformed.

    The page and the CLI show `str(error)`; tests and tools read the attributes, so a message
    never has to be parsed to learn which file or entry was wrong.
    """

    def __init__(self, path: Path | str, entry: str | None, problem: str) -> None:
        self.path = Path(path)
        """The file that holds the problem."""
        self.entry = entry
        """The entry (library name, rule id, row number, key) or None for the whole file."""
        self.problem = problem
        """What is wrong, in one sentence."""
        where = f"{self.path}: {entry}: " if entry else f"{self.path}: "
        super().__init__(where + problem)
