"""The terminal display of a run: what runs now, how far along, and an estimate of time left.

Plain lines on stderr (no terminal control codes, no extra packages), so the display reads the
same in a terminal, a CI log or a file. The estimate sums, over the samples still to run, the
mean duration seen so far for the same workload case on the same runtime (or for the case, or
for any sample, before that is known): after the first round it is usually close.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedSample:
    """One child process the runner will start."""

    round: int
    """1-based round."""
    workload: str
    """Workload name."""
    case: str
    """Case name."""
    runtime: str
    """Runtime name."""


def format_duration(seconds: float) -> str:
    """`1:02:03`, `2:03` or `0:05` for a number of seconds."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Prints one line per finished sample, with elapsed time and the estimate of time left."""

    def __init__(
        self, plan: Sequence[PlannedSample], rounds: int, stream: TextIO | None = None
    ) -> None:
        self._plan = plan
        self._rounds = rounds
        self._stream = stream if stream is not None else sys.stderr
        self._started = time.monotonic()
        self._done = 0
        self._by_sample: defaultdict[tuple[str, str, str], list[float]] = defaultdict(list)
        self._by_case: defaultdict[tuple[str, str], list[float]] = defaultdict(list)
        self._all: list[float] = []

    def say(self, text: str) -> None:
        """Print a line of its own."""
        print(text, file=self._stream, flush=True)

    def _expected(self, sample: PlannedSample) -> float:
        for seen in (
            self._by_sample.get((sample.workload, sample.case, sample.runtime)),
            self._by_case.get((sample.workload, sample.case)),
            self._all,
        ):
            if seen:
                return sum(seen) / len(seen)
        return 0.0

    def estimate_left(self) -> float:
        """Seconds the samples not yet run should take."""
        return sum(self._expected(sample) for sample in self._plan[self._done :])

    def sample_done(self, sample: PlannedSample, seconds: float, status: str, note: str) -> None:
        """Record a finished sample and print its line."""
        self._done += 1
        self._by_sample[sample.workload, sample.case, sample.runtime].append(seconds)
        self._by_case[sample.workload, sample.case].append(seconds)
        self._all.append(seconds)
        width = len(str(len(self._plan)))
        elapsed = time.monotonic() - self._started
        left = self.estimate_left()
        line = (
            f"[{self._done:>{width}}/{len(self._plan)}] round {sample.round}/{self._rounds}  "
            f"{sample.workload} {sample.case} on {sample.runtime}: {status} in {seconds:.1f}s"
            f"  | elapsed {format_duration(elapsed)}, left ~{format_duration(left)}"
        )
        if note:
            line += f"\n    {note}"
        self.say(line)
