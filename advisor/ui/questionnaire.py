"""The questionnaire: widgets keyed by share-link parameter, turned into `Answers`.

URL sync is done here, by hand rather than with `bind="query-params"`: the incoming query is
read once per session with `read_query` (which produces the notices and keeps unknown
dependency names that a bound multiselect would drop), widget values live in session state,
and after every run the canonical `answers.to_query()` (with `v=1`) is written to
`st.query_params` only when it differs. Writing query params does not trigger a rerun, so
there is no loop, and the address bar always holds the canonical share link.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal
from urllib.parse import parse_qs

import streamlit as st

from advisor.answers import (
    Answers,
    Codebase,
    Experience,
    Kind,
    Perf,
    PythonVersion,
    QueryReading,
    Scale,
    Team,
    Workload,
    is_valid_name,
    normalize_name,
    read_query,
)
from advisor.ui import dependency_file

READING_KEY = "_incoming_reading"
ANSWERS_KEY = "_answers"

WORKLOAD_LABELS: Mapping[str, str] = {
    "server": "Server (HTTP/API, sockets)",
    "client": "Client (calls many services)",
    "streaming": "Streaming (websockets, feeds)",
    "pipeline": "Data pipeline (stages, queues)",
    "cli": "Command-line tool",
    "gui": "Desktop GUI",
    "cpu": "CPU-heavy work",
}
SCALE_LABELS = {"small": "Under 100", "medium": "100 to 10,000", "large": "Over 10,000"}
PERF_LABELS = {"normal": "Normal", "critical": "Top requirement"}
EXPERIENCE_LABELS = {0: "None", 1: "Basic", 2: "Experienced", 3: "Expert"}
TEAM_LABELS = {"solo": "Just me", "small": "2 to 10", "large": "More than 10"}
CODEBASE_LABELS = {
    "new": "Nothing yet (new project)",
    "asyncio": "An asyncio code base",
    "trio": "A Trio code base",
    "sync": "Synchronous code to port",
}
KIND_LABELS = {"app": "An application or service", "library": "A library others import"}

_EXPERIENCE_HELP = (
    "None: never used it. Basic: has written some async code with it. Experienced: has shipped "
    "and debugged production code with it, including cancellation and timeouts. Expert: knows "
    "its internals and failure modes and could teach them."
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    """One single-choice question: its share-link key, widget, labels and help."""

    key: str
    """The share-link parameter (and widget key)."""
    label: str
    """The question."""
    enum: type[Enum]
    """The answer's closed set, in display order."""
    widget: Literal["radio", "select_slider", "selectbox"]
    """How it is asked."""
    labels: Mapping[Any, str] | None
    """Plain-language option labels (None: show the values themselves)."""
    help: str
    """What the options mean."""
    horizontal: bool = False
    """Radio buttons on one line."""


CHOICES: tuple[Choice, ...] = (
    Choice(
        key="scale",
        label="Concurrent tasks or connections at peak",
        enum=Scale,
        widget="radio",
        labels=SCALE_LABELS,
        horizontal=True,
        help="Tasks or connections alive at the same moment at the busiest time, per process. "
        "Above 10,000, memory per task and loop speed start to matter.",
    ),
    Choice(
        key="perf",
        label="Is raw throughput or latency a top requirement?",
        enum=Perf,
        widget="radio",
        labels=PERF_LABELS,
        horizontal=True,
        help="Choose 'Top requirement' only if measured speed would change the design.",
    ),
    Choice(
        key="exp_asyncio",
        label="Team's asyncio experience",
        enum=Experience,
        widget="select_slider",
        labels=EXPERIENCE_LABELS,
        help=_EXPERIENCE_HELP,
    ),
    Choice(
        key="exp_trio",
        label="Team's Trio experience",
        enum=Experience,
        widget="select_slider",
        labels=EXPERIENCE_LABELS,
        help=_EXPERIENCE_HELP,
    ),
    Choice(
        key="team",
        label="Team size",
        enum=Team,
        widget="radio",
        labels=TEAM_LABELS,
        horizontal=True,
        help="Everyone who will write or review the async code. Large teams hire and onboard "
        "often, which favours the runtime most candidates already know.",
    ),
    Choice(
        key="codebase",
        label="What exists today",
        enum=Codebase,
        widget="selectbox",
        labels=CODEBASE_LABELS,
        help="The code this project starts from. An existing async code base is expensive to "
        "move to the other runtime; synchronous code is ported piece by piece.",
    ),
    Choice(
        key="kind",
        label="What you are building",
        enum=Kind,
        widget="radio",
        labels=KIND_LABELS,
        help="A library is imported by other teams' programs, which may use either runtime.",
    ),
    Choice(
        key="python",
        label="Oldest Python version to support",
        enum=PythonVersion,
        widget="selectbox",
        labels=None,
        help="asyncio.TaskGroup and asyncio.timeout() need 3.11; current Trio and AnyIO "
        "releases need 3.10.",
    ),
)
"""The single-choice questions in display order (the share-link order of DESIGN.md)."""


def _widget_values(answers: Answers) -> dict[str, Any]:
    """Session-state values of every questionnaire widget for `answers`."""
    return {
        "deps": list(answers.deps),
        "workload": [w.value for w in Workload if w in answers.workload],
        "scale": answers.scale.value,
        "perf": answers.perf.value,
        "exp_asyncio": int(answers.exp_asyncio),
        "exp_trio": int(answers.exp_trio),
        "team": answers.team.value,
        "codebase": answers.codebase.value,
        "kind": answers.kind.value,
        "python": answers.python.value,
    }


def _incoming_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def read_incoming() -> QueryReading:
    """Read the opening URL once per session and seed every widget from it."""
    if READING_KEY not in st.session_state:
        reading = read_query(_incoming_params())
        st.session_state[READING_KEY] = reading
        st.session_state[ANSWERS_KEY] = reading.answers
    reading: QueryReading = st.session_state[READING_KEY]
    # Seed (or re-seed after a page switch dropped widget state) from the last answers.
    for key, value in _widget_values(st.session_state[ANSWERS_KEY]).items():
        if key not in st.session_state:
            st.session_state[key] = value
    return reading


def write_url(answers: Answers) -> None:
    """Put the canonical share link's query in the address bar, if it is not there already."""
    wanted = parse_qs(answers.to_query())
    if _incoming_params() != wanted:
        st.query_params.from_dict({key: values[-1] for key, values in wanted.items()})


def render_questionnaire(catalog_names: tuple[str, ...]) -> None:
    """Draw the questionnaire (its values are read by `answers_from_state`)."""
    current = list(st.session_state.get("deps", []))
    st.multiselect(
        "Dependencies",
        options=sorted(set(catalog_names) | set(current)),
        key="deps",
        accept_new_options=True,
        placeholder="Type a PyPI name (suggestions from the catalog)",
        help="The async libraries the project uses or will use. Names the catalog does not "
        "know are kept and flagged as unknown.",
    )
    with st.expander("Paste or upload requirements.txt, pyproject.toml or pip freeze"):
        st.file_uploader(
            "Upload a dependency file",
            key="requirements_file",
            on_change=dependency_file.on_upload,
            help="requirements.txt, pip freeze / pip-compile / uv export output, pyproject.toml, "
            "Pipfile, uv.lock, poetry.lock, pdm.lock or Pipfile.lock (at most 1 MB), told "
            "apart by content. Read as text only; nothing in it is executed or followed.",
        )
        st.text_area("…or paste it here", key="requirements_text", height=120)
        st.button("Read pasted text", on_click=dependency_file.on_paste, key="read_pasted")
        dependency_file.render_report()
    st.multiselect(
        "What the program mostly does",
        options=[w.value for w in Workload],
        format_func=WORKLOAD_LABELS.__getitem__,
        key="workload",
        help="Pick all that apply; they decide which rules and benchmarks matter.",
    )
    for choice in CHOICES:
        options = [m.value for m in choice.enum]
        labels = choice.labels
        common: dict[str, Any] = {
            "options": options,
            "format_func": (lambda v, labels=labels: labels[v]) if labels else str,
            "key": choice.key,
            "help": choice.help,
        }
        if choice.widget == "radio":
            st.radio(choice.label, horizontal=choice.horizontal, **common)
        elif choice.widget == "select_slider":
            st.select_slider(choice.label, **common)
        else:
            st.selectbox(choice.label, **common)


def answers_from_state() -> tuple[Answers, list[str]]:
    """The answers the widgets hold, and any invalid dependency names typed.

    Widget values are in session state before the script reruns, so the verdict can be
    computed (and sent to the browser) before the questionnaire is drawn: a share link shows
    its verdict sooner.
    """
    names = [str(n).strip() for n in st.session_state.get("deps", [])]
    invalid = [n for n in names if not is_valid_name(n)]
    answers = Answers(
        deps=tuple(normalize_name(n) for n in names if is_valid_name(n)),
        workload=frozenset(Workload(w) for w in st.session_state["workload"]),
        scale=Scale(st.session_state["scale"]),
        perf=Perf(st.session_state["perf"]),
        exp_asyncio=Experience(st.session_state["exp_asyncio"]),
        exp_trio=Experience(st.session_state["exp_trio"]),
        team=Team(st.session_state["team"]),
        codebase=Codebase(st.session_state["codebase"]),
        kind=Kind(st.session_state["kind"]),
        python=PythonVersion(st.session_state["python"]),
    )
    st.session_state[ANSWERS_KEY] = answers
    return answers, invalid
