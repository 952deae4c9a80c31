"""Warm a freshly started replica before it counts as started (systemd's ExecStartPost).

    python deploy/warm_replica.py http://127.0.0.1:8601/async-advisor [--timeout 120]

Streamlit imports an app's modules and loads its data on the first session, so the first reader
after a (re)start waits for all of it. This opens that first session itself, over Streamlit's
websocket protocol on loopback: it waits for the health check, asks for a run of a share link
that touches every part of the page (dependencies, workloads, benchmark charts), and waits until
the whole page is drawn. Exit
status 0 when the page rendered, 1 (with the reason) when it did not, so systemd reports a
replica that cannot render as failed. Bounded by --timeout.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
import urllib.request

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect
from websockets.typing import Subprotocol

QUERY = "v=1&deps=asyncpg,fastapi,httpx,trio,uvicorn&workload=server,client,streaming&exp_trio=1"


class WarmUpFailed(Exception):
    """The replica did not become healthy, or its first run did not finish cleanly."""


def wait_healthy(base_url: str, deadline: float) -> None:
    """Poll `<base_url>/_stcore/health` until it answers 200 or the deadline passes."""
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(base_url + "/_stcore/health", timeout=2) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.2)
    raise WarmUpFailed(f"{base_url} did not answer its health check in time")


def first_run(base_url: str, deadline: float, query: str = QUERY) -> None:
    """One session: run the page for `query` as a browser does and wait until it is drawn.

    A browser session's first run draws the verdict, pauses so the browser paints it, then draws
    the rest of the page (charts, tables) (advisor/ui/first_paint.py), so the one run warms
    everything.
    """
    stream = base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
    message = BackMsg()
    message.rerun_script.query_string = query
    protocols = [Subprotocol("streamlit")]
    with connect(stream, subprotocols=protocols, max_size=None, open_timeout=30) as ws:
        ws.send(message.SerializeToString())
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WarmUpFailed("the first run did not finish in time")
            data = ws.recv(timeout=remaining)
            reply = ForwardMsg()
            reply.ParseFromString(data if isinstance(data, bytes) else data.encode())
            kind = reply.WhichOneof("type")
            if kind == "delta" and reply.delta.new_element.WhichOneof("type") == "exception":
                raise WarmUpFailed("the first run raised an exception (see the server log)")
            if kind == "script_finished":
                if reply.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return
                if reply.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    raise WarmUpFailed(f"the first run ended with status {reply.script_finished}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base_url", help="the replica's own URL, prefix included")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds in all")
    args = parser.parse_args()
    base_url = args.base_url.rstrip("/")
    if not base_url.startswith("http://127.") and not base_url.startswith("http://localhost"):
        print("warm_replica: only a replica on loopback can be warmed", file=sys.stderr)
        return 2
    deadline = time.monotonic() + min(args.timeout, 600.0)
    try:
        wait_healthy(base_url, deadline)
        first_run(base_url, deadline)
    except (WarmUpFailed, OSError, TimeoutError) as error:
        print(f"warm_replica: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
