"""Fixtures for real-browser tests: a `streamlit run` server and Debian's headless Chromium.

The server is started on a free loopback port for the test session and stopped after it;
Chromium is Debian's (/usr/bin/chromium) driven by Playwright, never a downloaded build.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # the CI user is root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # otherwise it dials Google's hosts at start-up
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 60


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_health(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll Streamlit's health endpoint until it answers, the process dies, or time runs out."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text(errors='replace')}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.25)
    raise RuntimeError(f"streamlit did not become healthy in {START_TIMEOUT_S}s")


@contextlib.contextmanager
def streamlit_server(script: Path, log_name: str, *, preload: bool = False) -> Iterator[str]:
    """Run `streamlit run script` on a free loopback port; yield its base URL; stop it after.

    `preload`: start it the way the README does, `python -m advisor.ui.serve` (the app's
    modules and data loaded before the server accepts readers); `script` must be app.py."""
    port = free_port()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    log = OUTPUT / log_name
    env = {**os.environ, "ADVISOR_PUBLIC_URL": f"http://127.0.0.1:{port}/"}
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                *(("advisor.ui.serve",) if preload else ("streamlit", "run", str(script))),
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, process, log)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """The advisor served on 127.0.0.1 by the README's start command (`python -m
    advisor.ui.serve`: `streamlit run app.py` after loading the app's modules and data)."""
    with streamlit_server(ROOT / "app.py", "streamlit.log", preload=True) as url:
        yield url


# The `browser` fixture lives in tests/conftest.py: one Playwright per test session, shared with
# tests/deploy (a second sync Playwright cannot start while the first one runs).


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page (own context) that fails the test on any request off loopback."""
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    page = context.new_page()
    # The machine is shared and a cold server builds its caches on the first load.
    page.set_default_timeout(45_000)
    outside: list[str] = []

    def check(request: object) -> None:
        url = getattr(request, "url", "")
        if url.startswith(("http://", "https://", "ws://", "wss://")) and not url.split("//", 1)[
            1
        ].startswith(("127.0.0.1", "localhost")):
            outside.append(url)

    page.on("request", check)
    yield page
    context.close()
    assert not outside, f"the page made requests off loopback: {outside}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_server(directory: Path) -> Iterator[str]:
    """Serve `directory` over HTTP on a free loopback port (a stand-in for the wiki)."""
    port = free_port()
    handler = lambda *a, **k: _QuietHandler(*a, directory=str(directory), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()
