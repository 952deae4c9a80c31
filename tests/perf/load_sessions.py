"""N concurrent sessions over Streamlit's websocket protocol (a script, not a test).

    python tests/perf/load_sessions.py [--sessions 100] [--reruns 3] [--rounds 1]
                                       [--mode direct|proxy|both] [--max-seconds 600]
                                       [--file-watcher none|auto|poll]

Each session does what a reader's browser does when a link is posted: it opens the websocket
(`/_stcore/stream`), asks for a run with the share link's query (BackMsg `rerun_script`) and
waits for `script_finished`: the advisor's first run draws the verdict, pauses so the browser
paints it, then draws the rest (advisor/ui/first_paint.py), so "first render" is the time until
the whole page was drawn.
It then changes an answer (the `kind` radio, a WidgetState) `--reruns` times with a short
think time, timing each rerun. All sessions start together (a burst). An error is a refused or
dropped connection, an exception element, a run that does not finish successfully, or a session
over its time limit.

The same load runs, in the same run, against the advisor and against a trivial app (one radio
and a line of text, same config and flags), one after the other, so the ratio compares like
with like on a machine whose load we do not control:

- `direct`: one replica of each, started as the systemd unit starts it (deploy/systemd/);
- `proxy`: deploy/nginx in front of two replicas of each; each session carries its own
  affinity cookie, as a browser would after its first page load, so sessions spread over both.

Server memory (RSS of every replica) is read before the first round and after each round;
`--rounds 5` shows whether it stays flat across successive loads. Everything runs on
127.0.0.1; every session, round and the whole run are bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.deploy.stack import PREFIX, Replica, deployment, start_replica  # noqa: E402

QUERY = "v=1&deps=asyncpg,fastapi,httpx,uvicorn&workload=server,client&exp_trio=1"
TRIVIAL_APP = """
import streamlit as st
st.radio("Kind", ["An application or service", "A library others import"], key="kind")
with st.container(key="verdict"):
    st.write("hello")
"""
SESSION_TIMEOUT_S = 120.0
MAX_SESSIONS, MAX_RERUNS, MAX_ROUNDS, MAX_SECONDS = 100, 10, 10, 900


@dataclass(kw_only=True)
class SessionResult:
    """One session's timings (seconds) or its error."""

    first_render: float | None = None
    """Until the whole page was drawn (the first run finished)."""
    reruns: list[float] = field(default_factory=list)
    error: str | None = None


@dataclass(kw_only=True)
class Widget:
    """A widget seen in the deltas: its id, options and current value."""

    id: str
    options: list[str]
    value: str


class RunFailed(Exception):
    """The app's run showed an exception or did not finish successfully."""


def _rerun(query: str, page_hash: str, widget: Widget | None = None) -> bytes:
    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_script_hash = page_hash
    if widget is not None:
        state = WidgetState(id=widget.id, string_value=widget.value)
        message.rerun_script.widget_states.widgets.append(state)
    return message.SerializeToString()


async def _until_finished(ws: websockets.ClientConnection, widgets: dict[str, Widget]) -> str:
    """Read ForwardMsgs until the run finishes; note radios by key; return the page hash."""
    page_hash = ""
    while True:
        data = await ws.recv()
        message = ForwardMsg()
        message.ParseFromString(data if isinstance(data, bytes) else data.encode())
        kind = message.WhichOneof("type")
        if kind == "new_session":
            page_hash = message.new_session.page_script_hash
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                raise RunFailed(f"exception element: {element.exception.message[:200]}")
            if which == "radio":
                # The value is the client's to keep (as the browser does): a re-sent element
                # does not carry the value the client last set.
                key = element.radio.id.rsplit("-", 1)[-1]
                known = widgets.get(key)
                widgets[key] = Widget(
                    id=element.radio.id,
                    options=list(element.radio.options),
                    value=known.value if known else element.radio.raw_value,
                )
        elif kind == "script_finished":
            status = message.script_finished
            if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                return page_hash
            if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                raise RunFailed(f"script finished with status {status}")


async def run_session(url: str, reruns: int, think: float) -> SessionResult:
    """One reader: open the share link over the websocket, then change `kind` `reruns` times."""
    result = SessionResult()
    stream = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    cookie = {"Cookie": f"advisor_replica={secrets.token_hex(16)}"}
    start = time.perf_counter()
    try:
        async with (
            asyncio.timeout(SESSION_TIMEOUT_S),
            websockets.connect(
                stream,
                subprotocols=[websockets.Subprotocol("streamlit")],
                additional_headers=cookie,
                max_size=None,
                open_timeout=SESSION_TIMEOUT_S,
            ) as ws,
        ):
            widgets: dict[str, Widget] = {}
            await ws.send(_rerun(QUERY, ""))
            page_hash = await _until_finished(ws, widgets)
            result.first_render = time.perf_counter() - start
            for _ in range(reruns):
                await asyncio.sleep(think * random.uniform(0.5, 1.5))
                kind = widgets["kind"]
                kind.value = next(option for option in kind.options if option != kind.value)
                began = time.perf_counter()
                await ws.send(_rerun(QUERY, page_hash, kind))
                await _until_finished(ws, widgets)
                result.reruns.append(time.perf_counter() - began)
    except (OSError, TimeoutError, RunFailed, KeyError, websockets.WebSocketException) as error:
        result.error = f"{type(error).__name__}: {error}"[:200]
    return result


async def _burst(url: str, sessions: int, reruns: int, think: float) -> list[SessionResult]:
    return list(await asyncio.gather(*(run_session(url, reruns, think) for _ in range(sessions))))


@dataclass(kw_only=True)
class Load:
    """One app's results over the rounds."""

    name: str
    url: str
    replicas: Sequence[Replica]
    results: list[SessionResult] = field(default_factory=list)
    memory_mib: list[float] = field(default_factory=list)
    round_medians: list[float] = field(default_factory=list)

    def rss_mib(self) -> float:
        """Resident memory of all its replicas together (MiB)."""
        return sum(replica.rss_kib() for replica in self.replicas) / 1024


def _percentiles(values: Sequence[float]) -> str:
    if not values:
        return "n/a"
    if len(values) == 1:
        return f"p50 {values[0]:.2f} s"
    cuts = statistics.quantiles(values, n=20, method="inclusive")
    return f"p50 {statistics.median(values):.2f} s, p95 {cuts[18]:.2f} s"


def _report(mode: str, load: Load) -> float:
    firsts = [r.first_render for r in load.results if r.first_render is not None]
    reruns = [t for r in load.results for t in r.reruns]
    errors = [r.error for r in load.results if r.error]
    memory = " -> ".join(f"{m:.0f}" for m in load.memory_mib)
    print(
        f"  {mode:6} {load.name:8} sessions {len(load.results)}: first render "
        f"{_percentiles(firsts)}; "
        f"reruns {_percentiles(reruns)}; errors {len(errors)}; "
        f"RSS MiB {memory}"
    )
    if len(load.round_medians) > 1:
        rounds = " ".join(f"{m:.2f}" for m in load.round_medians)
        print(f"      first-render p50 per round (s): {rounds}")
    for error in sorted(set(errors))[:5]:
        print(f"      error: {error}")
    return statistics.median(firsts) if firsts else float("nan")


def _warm(url: str) -> None:
    """One session first, so the load meets a running server (not its very first run)."""
    result = asyncio.run(run_session(url, 1, 0.0))
    if result.error:
        raise SystemExit(f"warm-up session failed on {url}: {result.error}")


@contextlib.contextmanager
def _servers(mode: str, trivial: Path, env: dict[str, str]) -> Iterator[tuple[Load, Load]]:
    if mode == "proxy":
        with (
            deployment("http://127.0.0.1:9", env=env) as app,
            deployment("http://127.0.0.1:9", env=env, script=trivial) as hello,
        ):
            yield (
                Load(name="advisor", url=app.url, replicas=app.replicas),
                Load(name="trivial", url=hello.url, replicas=hello.replicas),
            )
        return
    with tempfile.TemporaryDirectory(prefix="advisor-load-") as tmp:
        folder, secret = Path(tmp), secrets.token_hex(32)
        app_replica = start_replica(folder, "advisor", secret, env)
        try:
            hello_replica = start_replica(folder, "trivial", secret, env, script=trivial)
            try:
                yield (
                    Load(name="advisor", url=app_replica.url, replicas=[app_replica]),
                    Load(name="trivial", url=hello_replica.url, replicas=[hello_replica]),
                )
            finally:
                hello_replica.stop()
        finally:
            app_replica.stop()


def run_mode(mode: str, args: argparse.Namespace, trivial: Path, deadline: float) -> None:
    """Start the servers for `mode`, run the rounds (app and trivial alternately), report."""
    print(f"== {mode} ({'nginx + 2 replicas' if mode == 'proxy' else '1 replica'} each)")
    env = {}
    if args.file_watcher:
        env["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] = args.file_watcher
    with _servers(mode, trivial, env) as loads:
        for load in loads:
            _warm(load.url)
            load.memory_mib.append(load.rss_mib())
        for round_index in range(args.rounds):
            if time.monotonic() > deadline:
                print(f"  time budget spent: stopped after {round_index} rounds")
                break
            order = loads if round_index % 2 == 0 else loads[::-1]
            for load in order:
                results = asyncio.run(_burst(load.url, args.sessions, args.reruns, args.think))
                load.results += results
                load.memory_mib.append(load.rss_mib())
                firsts = [r.first_render for r in results if r.first_render is not None]
                load.round_medians.append(statistics.median(firsts) if firsts else float("nan"))
        medians = [_report(mode, load) for load in loads]
        print(f"  {mode:6} first-render p50 ratio advisor/trivial: {medians[0] / medians[1]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=100, help=f"max {MAX_SESSIONS}")
    parser.add_argument("--reruns", type=int, default=3, help=f"per session, max {MAX_RERUNS}")
    parser.add_argument("--rounds", type=int, default=1, help=f"successive loads, max {MAX_ROUNDS}")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between reruns")
    parser.add_argument("--mode", choices=["direct", "proxy", "both"], default="both")
    parser.add_argument(
        "--file-watcher",
        choices=["none", "auto", "poll"],
        help="override server.fileWatcherType (default: the committed config's)",
    )
    parser.add_argument("--max-seconds", type=float, default=600, help=f"max {MAX_SECONDS}")
    args = parser.parse_args()
    args.sessions = max(1, min(args.sessions, MAX_SESSIONS))
    args.reruns = max(0, min(args.reruns, MAX_RERUNS))
    args.rounds = max(1, min(args.rounds, MAX_ROUNDS))
    args.think = max(0.0, min(args.think, 5.0))
    deadline = time.monotonic() + min(args.max_seconds, MAX_SECONDS)
    print(
        f"{args.sessions} concurrent sessions x {args.rounds} round(s), {args.reruns} reruns "
        f"each; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"{os.cpu_count()} CPUs; prefix /{PREFIX}/; file watcher "
        f"{args.file_watcher or 'as committed'}"
    )
    with tempfile.TemporaryDirectory(prefix="advisor-trivial-") as tmp:
        trivial = Path(tmp) / "trivial_app.py"
        trivial.write_text(TRIVIAL_APP, encoding="utf-8")
        for mode in ("direct", "proxy") if args.mode == "both" else (args.mode,):
            run_mode(mode, args, trivial, deadline)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
