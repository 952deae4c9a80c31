"""The two decisions behind a verdict and their options (a bottom layer: imports nothing).

DESIGN.md, "The verdict": `loop` is the event loop the process runs, mostly fixed by the
dependencies; `api` is what the team's own code is written against, a judgement about
portability, cancellation and fluency. The verdict (asyncio, trio or anyio) is derived from
the two.
"""

from __future__ import annotations

from enum import StrEnum


class DecisionKind(StrEnum):
    """The two decisions behind a verdict."""

    LOOP = "loop"
    """Which event loop the process runs: options `asyncio` and `trio`."""
    API = "api"
    """What the team's own code is written against: options `native` and `anyio`."""

    @property
    def options(self) -> tuple[str, str]:
        """The two options, the default (a tie's winner) first."""
        return ("asyncio", "trio") if self is DecisionKind.LOOP else ("native", "anyio")


class LoopChoice(StrEnum):
    """The event loop the process runs."""

    ASYNCIO = "asyncio"
    TRIO = "trio"


class ApiChoice(StrEnum):
    """What the team's own code is written against."""

    NATIVE = "native"
    """The loop's own API (asyncio's TaskGroup and timeouts, or Trio's nurseries)."""
    ANYIO = "anyio"
    """AnyIO's task groups and cancel scopes, on whichever backend runs."""
