"""How a child picks the repetitions it reports: the least disturbed by other processes."""

from __future__ import annotations

import time

import pytest

from advisor.bench.measure import (
    ATTEMPTS_PER_REPETITION,
    Attempt,
    enough_attempts,
    least_disturbed,
    percentile,
    wait_share,
)


def _attempt(value: float, share: float) -> Attempt:
    return Attempt({"wall_time": value}, share)


def test_the_least_disturbed_attempts_are_kept_whatever_their_values() -> None:
    """Selection looks at the wait share only: a fast but disturbed attempt is still dropped."""
    attempts = [
        _attempt(1.0, 0.30),  # disturbed
        _attempt(5.0, 0.00),
        _attempt(3.0, 0.01),
        _attempt(0.5, 0.50),  # disturbed, and the fastest
        _attempt(4.0, 0.02),
    ]
    result = least_disturbed(attempts, repeats=3)
    assert result["wall_time"] == 4.0
    assert result["cpu_wait"] == pytest.approx(1.0)


def test_measuring_stops_once_enough_attempts_were_undisturbed() -> None:
    """Three clean attempts of three needed: done; two clean: keep trying, within limits."""
    now = time.perf_counter()
    clean = [_attempt(1.0, 0.0)] * 3
    assert enough_attempts(clean, 3, now)
    assert not enough_attempts(clean[:2], 3, now)
    assert not enough_attempts([*clean[:2], _attempt(1.0, 0.5)], 3, now)
    disturbed = [_attempt(1.0, 0.5)] * (ATTEMPTS_PER_REPETITION * 3)
    assert enough_attempts(disturbed, 3, now)
    assert enough_attempts(disturbed[:3], 3, now - 3600)
    assert not enough_attempts(disturbed[:2], 3, now - 3600)


def test_wait_share_is_zero_when_unknown() -> None:
    """Without /proc/self/schedstat every attempt counts as undisturbed."""
    assert wait_share(None, 1.0) == 0.0
    assert wait_share(0.25, 1.0) == 0.25


def test_percentile_interpolates_between_ranks() -> None:
    """The same definition as pandas' default quantile."""
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert percentile(values, 0.5) == 3.0
    assert percentile(values, 0.99) == pytest.approx(4.96)
    assert percentile([7.0], 0.99) == 7.0
