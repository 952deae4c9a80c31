"""A browser session's first run: the verdict is sent alone, the rest of the page follows.

Streamlit's front end applies every delta that has arrived before it renders, then renders them
in one React pass. A share link's whole page (charts, tables, download buttons, the sidebar's
widgets) arrives within a few milliseconds, so the verdict used to be painted only when that
whole pass was done: about 0.7 s after a hello-world page's one element on the perf machine
(tests/perf/bench_app.py), although the verdict is computed and sent first.

So the first run of a session that is served to a browser ends right after the verdict, leaving
behind an empty fragment with a short `run_every`. The browser renders and paints the verdict,
then its timer asks for that fragment; the fragment asks for a full rerun, which draws the whole
page as every later run does (a full run also clears the browser's auto-rerun timers, so the
timer fires for one rerun only). Later runs of the session never stop early: they replace a page
that is already on screen.

A session with no HTTP request behind it (`AppTest`, which has no headers and never runs
timers) has nothing to paint and gets the whole page on its first run.
"""

from __future__ import annotations

import streamlit as st

STATE_KEY = "_first_paint"
"""The session's place in the first-paint sequence (absent before its first run)."""
FIRST = "first"
"""This run is the session's first."""
WAITING = "waiting"
"""The first run stopped after the verdict; the follow-up fragment was registered."""
ARMED = "armed"
"""The follow-up fragment has run once (inside the first run): its next run is the timer's."""
LATER = "later"
"""The session is past its first run."""

FOLLOW_UP_SECONDS = 0.05
"""How long after the browser has the verdict it asks for the rest. The browser renders the
verdict before the timer fires (its render is queued first); a longer wait only delays the
rest of the page."""


def begin_run() -> None:
    """Called at the start of every full run: records whether it is the session's first."""
    state = st.session_state
    state[STATE_KEY] = FIRST if state.get(STATE_KEY) is None else LATER


def may_stop_after_verdict() -> bool:
    """Whether this run is a browser session's first: one that ends after the verdict when
    there is a verdict to show."""
    return st.session_state.get(STATE_KEY) == FIRST and bool(st.context.headers)


def stop_after_verdict() -> bool:
    """Whether this run should end after the verdict (the session's first run, in a browser).

    When it returns True the follow-up has been scheduled: the caller returns without drawing
    anything more, and a full rerun draws the whole page moments later.
    """
    if not may_stop_after_verdict():
        return False
    state = st.session_state
    state[STATE_KEY] = WAITING
    _follow_up()
    return True


@st.fragment(run_every=FOLLOW_UP_SECONDS)
def _follow_up() -> None:
    """Draws nothing. Inside the first run it only arms itself; on the browser's timer it asks
    for the full rerun that draws the rest of the page."""
    state = st.session_state
    if state.get(STATE_KEY) == WAITING:
        state[STATE_KEY] = ARMED
    elif state.get(STATE_KEY) == ARMED:
        st.rerun()
