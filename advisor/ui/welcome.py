"""The empty page: a short welcome and a few example projects, before anything is answered."""

from __future__ import annotations

import streamlit as st

from advisor.answers import Answers
from advisor.ui.questionnaire import apply_answers, decide_defaults

EXAMPLES: tuple[tuple[str, str], ...] = (
    (
        "A FastAPI service on PostgreSQL and Redis",
        "v=1&deps=asyncpg,fastapi,redis,uvicorn&workload=server&exp_asyncio=2",
    ),
    ("A library other teams import", "v=1&deps=httpx&kind=library"),
    (
        "A Trio team's websocket client",
        "v=1&deps=httpx,trio-websocket&workload=client,streaming&exp_trio=2",
    ),
)
"""Example projects (title, share-link query) the welcome offers."""


def render_welcome() -> None:
    """What the advisor does, how to start, and example projects that open in place."""
    with st.container(key="welcome", border=True):
        st.markdown("### Which async runtime should this project build on?")
        st.markdown(
            "Describe the project in the sidebar: its dependencies (or paste a "
            "requirements.txt or pyproject.toml), what it does, and the team. The verdict, "
            "asyncio, Trio or AnyIO, appears here with every reason behind it, what would "
            "change it, and a link to share it."
        )
        st.markdown("Or start from an example:")
        for index, (title, query) in enumerate(EXAMPLES):
            st.button(
                title,
                key=f"example_{index}",
                on_click=apply_answers,
                args=(Answers.from_query(query),),
                kwargs={"keep_original": False},
                help=f"Answers: ?{query}",
            )
        st.button(
            "Show the verdict for the default answers",
            key="decide_defaults",
            on_click=decide_defaults,
            type="tertiary",
        )
