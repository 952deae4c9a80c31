"""Cold start: share link to verdict on a freshly started server (a script, not a test).

    python tests/perf/cold_start.py [--starts 5]

Each round starts fresh servers of the advisor and of a hello-world app (one element in the
same `verdict` container, same config), waits until each is started, and opens a share link on
each in headless Chromium (a new browser context each time, so no cached files): the time from
`goto` to the verdict visible is that server's first page. Two ways of starting, both measured:

- `plain`: `streamlit run` as on a laptop; started = healthy. The first reader pays for the
  app's imports and data loads.
- `preloaded`: the README's start command, `python -m advisor.ui.serve` (advisor/ui/serve.py:
  the app's modules and data loaded before `streamlit run` starts serving); started = healthy.
  The hello-world app, with nothing to load, is started with `streamlit run`.
- `deployed`: as deploy/systemd/ starts a replica; started = healthy and warmed up
  (deploy/warm_replica.py, the unit's ExecStartPost).

Servers are stopped after each load; the order alternates. Reports medians and the ratio
advisor / hello-world per way. Goal: at most 1.3x.

Every loop is bounded in count; everything runs on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402
from tests.deploy.stack import start_replica  # noqa: E402

HELLO_APP = """
import streamlit as st
with st.container(key="verdict"):
    st.write("hello")
"""
QUERY = "v=1&deps=asyncpg,fastapi,httpx,uvicorn&workload=server,client&exp_trio=1"
MAX_STARTS = 20
WAYS = ("plain", "preloaded", "deployed")


def _time_page(browser: Browser, url: str) -> float:
    context = browser.new_context()
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url)
        page.locator(".st-key-verdict").wait_for(state="visible", timeout=120_000)
        return time.perf_counter() - start
    finally:
        context.close()


def _first_load(browser: Browser, way: str, script: Path, query: str, log: str) -> float:
    """Start a fresh server for `script` (`way`: plain or deployed); time its first page."""
    if way in ("plain", "preloaded"):
        # The hello-world app has nothing to preload: it is always started with streamlit run.
        preload = way == "preloaded" and script.name == "app.py"
        with streamlit_server(script, log, preload=preload) as url:
            return _time_page(browser, f"{url}/?{query}")
    with tempfile.TemporaryDirectory(prefix="advisor-cold-") as tmp:
        replica = start_replica(Path(tmp), log, "cold-start-secret", script=script)
        try:
            return _time_page(browser, f"{replica.url}/?{query}")
        finally:
            replica.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--starts", type=int, default=5, help=f"fresh servers each, max {MAX_STARTS}"
    )
    args = parser.parse_args()
    starts = max(1, min(args.starts, MAX_STARTS))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    times: dict[tuple[str, str], list[float]] = {
        (way, name): [] for way in WAYS for name in ("advisor", "hello")
    }
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        hello = Path(tmp) / "hello.py"
        hello.write_text(HELLO_APP, encoding="utf-8")
        targets = {"advisor": (ROOT / "app.py", QUERY), "hello": (hello, "")}
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        _first_load(browser, "plain", hello, "", "cold-warmup.log")  # the browser's first page
        for i in range(starts):
            for way in WAYS:
                for name in ("advisor", "hello") if i % 2 == 0 else ("hello", "advisor"):
                    script, query = targets[name]
                    elapsed = _first_load(browser, way, script, query, f"cold-{way}-{name}.log")
                    times[way, name].append(elapsed)
        browser.close()
    for way in WAYS:
        app, hello_s = (statistics.median(times[way, name]) for name in ("advisor", "hello"))
        for name in ("advisor", "hello"):
            print(f"  {way:8} {name:7}", " ".join(f"{t:.2f}" for t in times[way, name]))
        print(
            f"{way}: cold share link to verdict: advisor {app:.2f} s, hello-world "
            f"{hello_s:.2f} s, ratio {app / hello_s:.2f}x (goal <= 1.3x)"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
