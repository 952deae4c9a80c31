"""Start the event loop a runtime names, and prove at run time that it is the one running.

A figure labelled `uvloop` that was measured on the standard loop would be a lie, so every
sample first checks what is actually running: the loop's class for asyncio and uvloop (directly
or under AnyIO), and `sniffio` (which Trio and AnyIO set) for the async library.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import anyio
import sniffio
import trio

from advisor.bench.spec import Flavour

T = TypeVar("T")

FLAVOURS: dict[str, Flavour] = {
    "asyncio": "asyncio",
    "uvloop": "asyncio",
    "trio": "trio",
    "anyio-asyncio": "anyio",
    "anyio-uvloop": "anyio",
    "anyio-trio": "anyio",
}
"""Runtime -> which implementation it runs (the keys are `advisor.benchmarks.RUNTIMES`)."""


class WrongEventLoop(RuntimeError):
    """The event loop running is not the one the runtime names."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Implementations(Generic[T]):
    """One sample of a workload written once per flavour, each a zero-argument coroutine
    function (bind parameters with `functools.partial`)."""

    asyncio: Callable[[], Awaitable[T]]
    """Plain asyncio code: streams, `TaskGroup`, `asyncio.timeout`, `asyncio.Queue`."""
    trio: Callable[[], Awaitable[T]]
    """Trio code: nurseries, `open_tcp_stream`/`serve_tcp`, cancel scopes, memory channels."""
    anyio: Callable[[], Awaitable[T]]
    """AnyIO code: task groups, TCP streams, cancel scopes, memory object streams."""


def describe_event_loop() -> str:
    """What is running now: `trio`, or `asyncio:<module>.<class>` of the running loop."""
    library = sniffio.current_async_library()
    if library == "asyncio":
        loop = type(asyncio.get_running_loop())
        return f"asyncio:{loop.__module__}.{loop.__qualname__}"
    return library


def loop_matches(runtime: str, running: str) -> bool:
    """Whether `running` (as `describe_event_loop` puts it) is the loop `runtime` means.

    The runner applies the same test again to what each child reports.
    """
    if runtime in ("trio", "anyio-trio"):
        return running == "trio"
    if runtime in ("uvloop", "anyio-uvloop"):
        return running.startswith("asyncio:uvloop.")
    if runtime in ("asyncio", "anyio-asyncio"):
        return running.startswith("asyncio:asyncio.")
    return False


def verify_event_loop(runtime: str) -> str:
    """Describe the running loop; raise `WrongEventLoop` unless it is the one `runtime` means."""
    running = describe_event_loop()
    if not loop_matches(runtime, running):
        raise WrongEventLoop(f"runtime {runtime!r} is running on {running!r}")
    return running


def run(runtime: str, implementations: Implementations[T]) -> tuple[T, str]:
    """Run the runtime's implementation on a new event loop of that runtime.

    Returns its result and the description of the loop that ran it (checked first).
    """
    main = getattr(implementations, FLAVOURS[runtime])

    async def checked() -> tuple[T, str]:
        running = verify_event_loop(runtime)
        result: T = await main()
        return result, running

    if runtime == "asyncio":
        return asyncio.run(checked())
    if runtime == "uvloop":
        import uvloop

        result: tuple[T, str] = uvloop.run(checked())
        return result
    if runtime == "trio":
        return trio.run(checked)
    if runtime == "anyio-uvloop":
        # AnyIO's asyncio backend on uvloop (`use_uvloop`); checked() proves the loop is uvloop's.
        return anyio.run(checked, backend="asyncio", backend_options={"use_uvloop": True})
    backend = {"anyio-asyncio": "asyncio", "anyio-trio": "trio"}[runtime]
    # AnyIO's asyncio backend uses the standard loop unless asked for uvloop; checked() proves it.
    return anyio.run(checked, backend=backend)
