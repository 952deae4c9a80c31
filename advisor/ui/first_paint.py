"""A browser session's first run: the verdict is sent and painted before the rest of the page.

Streamlit's front end applies every delta that has arrived before it renders, then renders them
in one React pass. A share link's whole page (charts, tables, download buttons, the sidebar's
widgets) arrives within a few milliseconds, so the verdict used to be painted only when that
whole pass was done: about 0.7 s after a hello-world page's one element on the perf machine
(tests/perf/bench_app.py), although the verdict is computed and sent first.

So the first run of a session that is served to a browser pauses for a moment right after the
verdict: the server flushes the verdict to the browser while the script sleeps (the sleep holds
no lock, so other sessions run meanwhile), the browser paints it alone, and the same run then
draws the rest of the page. One run per session: under many concurrent sessions the whole page
costs no second run. Later runs never pause: they replace a page that is already on screen.

A session with no HTTP request behind it (`AppTest`, which has no headers) has nothing to paint
and never pauses.
"""

from __future__ import annotations

import time

import streamlit as st

STATE_KEY = "_first_paint"
"""The session's place in the first-paint sequence (absent before its first run)."""
FIRST = "first"
"""This run is a browser session's first."""
LATER = "later"
"""Any other run: a later one, one with no browser behind it, or a first run that has paused
already."""

PAUSE_SECONDS = 0.2
"""How long the first run waits after the verdict: long enough for the server to flush the
verdict and the browser to render it alone, short against the rest of the page."""


def begin_run() -> None:
    """Called at the start of every full run: records whether it is a browser session's first
    (the request headers are read once, here)."""
    state = st.session_state
    first = state.get(STATE_KEY) is None and bool(st.context.headers)
    state[STATE_KEY] = FIRST if first else LATER


def may_pause_after_verdict() -> bool:
    """Whether this run is a browser session's first: one that pauses after the verdict."""
    return st.session_state.get(STATE_KEY) == FIRST


def pause_after_verdict() -> bool:
    """On a browser session's first run, wait `PAUSE_SECONDS` so the verdict is painted alone,
    and say so (the caller then checks what the rest of the page needs before drawing it)."""
    if not may_pause_after_verdict():
        return False
    st.session_state[STATE_KEY] = LATER
    time.sleep(PAUSE_SECONDS)
    return True
