"""The questionnaire: widgets keyed by share-link parameter, turned into `Answers`.

URL sync is done here, by hand rather than with `bind="query-params"` (a bound multiselect would
drop unknown dependency names, and bound widgets leave `v=1` out of the URL):

- Every run compares the URL's query with the one the page last read or wrote. When it differs,
  the URL changed from outside (first open, browser back/forward, a link opened in this tab):
  it is read with `read_query` (which produces the notices) and every widget is set from it.
- Otherwise the widgets hold the answers, and after the run the canonical
  `answers.to_query()` (with `v=1`) is written to `st.query_params` when it differs.

Writing query params does not trigger a rerun, and a rerun caused by history navigation makes
Streamlit replace (not push) the history entry, so there is no loop and no trapped back button.
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
    Cancel,
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
from advisor.wording import ANSWER_LABELS, QUESTIONS, WORKLOAD_LABELS

READING_KEY = "_incoming_reading"
ANSWERS_KEY = "_answers"

URL_KEY = "_url_params"
"""The query (parsed) the page last read from or wrote to the URL."""
PAGE_KEY = "_last_page"
"""Which page ran last ("advisor" or another), to tell a page switch from a new link."""
ORIGINAL_KEY = "_original_answers"
"""The answers before the first applied flip, while they differ from the current ones."""
DECIDED_KEY = "_decided"
"""Set once the answers differ from the defaults (or the user asked for the defaults' verdict)."""

SCALE_LABELS = ANSWER_LABELS["scale"]
PERF_LABELS = ANSWER_LABELS["perf"]
EXPERIENCE_LABELS = ANSWER_LABELS["exp_asyncio"]
TEAM_LABELS = ANSWER_LABELS["team"]
CODEBASE_LABELS = ANSWER_LABELS["codebase"]
KIND_LABELS = ANSWER_LABELS["kind"]
CANCEL_LABELS = ANSWER_LABELS["cancel"]

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
        label=QUESTIONS["scale"],
        enum=Scale,
        widget="radio",
        labels=SCALE_LABELS,
        horizontal=True,
        help="Tasks or connections alive at the same moment at the busiest time, per process. "
        "Above 10,000, memory per task and loop speed start to matter.",
    ),
    Choice(
        key="perf",
        label=QUESTIONS["perf"],
        enum=Perf,
        widget="radio",
        labels=PERF_LABELS,
        horizontal=True,
        help="Choose 'Top requirement' only if measured speed would change the design.",
    ),
    Choice(
        key="exp_asyncio",
        label=QUESTIONS["exp_asyncio"],
        enum=Experience,
        widget="select_slider",
        labels=EXPERIENCE_LABELS,
        help=_EXPERIENCE_HELP,
    ),
    Choice(
        key="exp_trio",
        label=QUESTIONS["exp_trio"],
        enum=Experience,
        widget="select_slider",
        labels=EXPERIENCE_LABELS,
        help=_EXPERIENCE_HELP,
    ),
    Choice(
        key="team",
        label=QUESTIONS["team"],
        enum=Team,
        widget="radio",
        labels=TEAM_LABELS,
        horizontal=True,
        help="Everyone who will write or review the async code. Large teams hire and onboard "
        "often, which favours the runtime most candidates already know.",
    ),
    Choice(
        key="codebase",
        label=QUESTIONS["codebase"],
        enum=Codebase,
        widget="selectbox",
        labels=CODEBASE_LABELS,
        help="The code this project starts from. An existing async code base is expensive to "
        "move to the other runtime; synchronous code is ported piece by piece.",
    ),
    Choice(
        key="kind",
        label=QUESTIONS["kind"],
        enum=Kind,
        widget="radio",
        labels=KIND_LABELS,
        help="A library is imported by other teams' programs, which may use either runtime.",
    ),
    Choice(
        key="python",
        label=QUESTIONS["python"],
        enum=PythonVersion,
        widget="selectbox",
        labels=None,
        help="asyncio.TaskGroup and asyncio.timeout() need 3.11; current Trio and AnyIO "
        "releases need 3.10.",
    ),
    Choice(
        key="cancel",
        label=QUESTIONS["cancel"],
        enum=Cancel,
        widget="radio",
        labels=CANCEL_LABELS,
        horizontal=True,
        help="Choose 'Top requirement' if strict timeouts, cancellation and clean shutdown are "
        "a top requirement, or if the team has had hangs and orphaned tasks. Trio's and "
        "AnyIO's cancel scopes are level-triggered: a cancelled scope stays cancelled, so "
        "cleanup code cannot wait forever by accident.",
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
        "cancel": answers.cancel.value,
    }


def _incoming_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _set_widgets(answers: Answers) -> None:
    """Put `answers` into every widget (only before the widgets are drawn, or in a callback)."""
    st.session_state.update(_widget_values(answers))
    st.session_state[ANSWERS_KEY] = answers


def read_incoming() -> QueryReading:
    """Read the URL when it changed from outside, and seed every widget from it.

    From outside means: the session's first run, browser back/forward, or another link opened
    in this tab. An empty query right after another page ran is a page switch (Streamlit drops
    the query then), so the last answers are kept.
    """
    params = _incoming_params()
    switched_page = st.session_state.get(PAGE_KEY, "advisor") != "advisor"
    st.session_state[PAGE_KEY] = "advisor"
    changed = params != st.session_state.get(URL_KEY)
    state = st.session_state
    if state.get(READING_KEY) is None or (changed and not (switched_page and not params)):
        reading = read_query(params)
        st.session_state[READING_KEY] = reading
        st.session_state[URL_KEY] = params
        st.session_state.pop(ORIGINAL_KEY, None)
        _set_widgets(reading.answers)
    reading_now: QueryReading = st.session_state[READING_KEY]
    # Re-seed after a page switch dropped widget state.
    # (`get` rather than `in`: a membership test copies the whole session state.)
    for key, value in _widget_values(state[ANSWERS_KEY]).items():
        if state.get(key) is None:
            state[key] = value
    return reading_now


def leave_advisor_page() -> None:
    """Called by the other pages: the next advisor run is a page switch, not a new link."""
    st.session_state[PAGE_KEY] = "other"


def write_url(answers: Answers) -> None:
    """Put the canonical share link's query in the address bar, if it is not there already."""
    wanted = parse_qs(answers.to_query())
    if _incoming_params() != wanted:
        st.query_params.from_dict({key: values[-1] for key, values in wanted.items()})
    st.session_state[URL_KEY] = wanted


def apply_answers(answers: Answers, *, keep_original: bool = True) -> None:
    """A button callback: switch this session to `answers` (a flip or an example).

    With `keep_original`, the answers before the first switch are kept so that
    `restore_original` is one click away.
    """
    current: Answers = st.session_state[ANSWERS_KEY]
    if keep_original and ORIGINAL_KEY not in st.session_state:
        st.session_state[ORIGINAL_KEY] = current
    _set_widgets(answers)
    st.session_state[DECIDED_KEY] = True


def restore_original() -> None:
    """A button callback: go back to the answers before the first applied flip."""
    original = st.session_state.pop(ORIGINAL_KEY, None)
    if original is not None:
        _set_widgets(original)


def original_answers(current: Answers) -> Answers | None:
    """The answers before an applied flip, while they differ from `current`."""
    original: Answers | None = st.session_state.get(ORIGINAL_KEY)
    if original is None or original == current:
        st.session_state.pop(ORIGINAL_KEY, None)
        return None
    return original


def has_something_to_decide(answers: Answers) -> bool:
    """Whether to show a verdict: some answer differs from the defaults, or one did before."""
    if answers != Answers() or st.session_state.get(DECIDED_KEY):
        st.session_state[DECIDED_KEY] = True
        return True
    return False


def decide_defaults() -> None:
    """A button callback: show the verdict for the default answers."""
    st.session_state[DECIDED_KEY] = True


def render_questionnaire(catalog_names: tuple[str, ...]) -> None:
    """Draw the questionnaire (its values are read by `answers_from_state`)."""
    current = list(st.session_state.get("deps", []))
    st.multiselect(
        "Dependencies",
        options=sorted(set(catalog_names) | set(current)),
        key="deps",
        accept_new_options=True,
        # No "Select N matches" entry: Enter adds the highlighted (exact or best) match, or
        # the typed name itself when nothing in the catalog matches it.
        select_all=False,
        placeholder="Type a PyPI name, then Enter",
        help="The async libraries the project uses or will use. Enter adds the exact match, or "
        "else the first suggestion; a name the catalog does not know is added as typed, kept "
        "and flagged as unknown.",
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
        if choice.key == "python":  # the person's answer wins over a file's Python floor
            common["on_change"] = dependency_file.on_python_chosen
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
        cancel=Cancel(st.session_state["cancel"]),
    )
    st.session_state[ANSWERS_KEY] = answers
    return answers, invalid
