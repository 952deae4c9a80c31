"""The pasted or uploaded dependency file: reading it, the extras/groups choice, the report.

Any supported format is read (told from the content, as the CLI does): requirements and
pip-compile output, pyproject.toml, Pipfile and the uv/poetry/pdm/Pipfile lock files. Uploads
are decoded as pip decodes them (BOMs, UTF-16) and binaries are refused. The names weighed go
into the `deps` widget (so the share link carries them); what the file says beyond names
(ranges, locked versions, the tree, inferred facts) is kept in session state and given to
`recommend()` for this session's page, which says that a share link carries names only.

A Python floor the file states becomes the `python` answer (so the share link carries it),
unless the person chose one: by changing the widget, or through the link or an applied
suggestion (a value other than the default that no file set). A later file that states no floor
puts back the answer the previous file replaced, if nobody changed it since.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

import streamlit as st

from advisor.answers import Answers, PythonVersion
from advisor.deps.detect import read_bytes, read_text
from advisor.deps.python_floor import named_file, python_answer
from advisor.deps.reading import DependencyFileError, Reading
from advisor.deps.resolve import Resolution, extras_notes, resolve
from advisor.engine import recommend
from advisor.recommendation import Recommendation
from advisor.ui import loaders

REPORT_KEY = "_requirements_report"
READING_KEY = "_dependency_reading"
RESOLUTION_KEY = "_dependency_resolution"
ADDED_KEY = "_dependency_added"
REC_KEY = "_dependency_recommendation"
EXTRAS_KEY = "dependency_extras"
GROUPS_KEY = "dependency_groups"
PYTHON_SET_KEY = "_dependency_python"
"""(the python answer a file set, the answer before it) while a file's floor is applied."""
PYTHON_CHOSEN_KEY = "_python_chosen"
"""Set once the person changes the python widget: a file's floor no longer replaces it."""
PASTED = "pasted text"
"""The source named for a paste (an upload is named by its file name)."""
MAX_SHOWN_PROBLEMS = 200
"""Unreadable lines listed on the page (a hostile paste can have tens of thousands)."""


def on_python_chosen() -> None:
    """The python widget's callback: the person's answer wins over any file's floor."""
    st.session_state[PYTHON_CHOSEN_KEY] = True


def _apply_python(reading: Reading) -> str | None:
    """Set the `python` widget from the file's floor (see the module docstring); the note to
    show, or None when the file states no floor."""
    state = st.session_state
    current = PythonVersion(state.get("python", PythonVersion.PY312.value))
    set_by_file: tuple[PythonVersion, PythonVersion] | None = state.get(PYTHON_SET_KEY)
    files_answer = set_by_file is not None and current == set_by_file[0]
    before = set_by_file[1] if set_by_file is not None and files_answer else current
    resolution: Resolution = state[RESOLUTION_KEY]
    choice = resolution.python_floor
    if choice is None:
        if files_answer:
            state["python"] = before.value
        state.pop(PYTHON_SET_KEY, None)
        return None
    chosen = bool(state.get(PYTHON_CHOSEN_KEY)) or (
        not files_answer and current != Answers().python
    )
    answer = python_answer(choice, current if chosen else None)
    if answer.from_file:
        state["python"] = answer.value.value
        state[PYTHON_SET_KEY] = (answer.value, before)
        return f"{answer.message}: the oldest Python to support is set to it."
    state.pop(PYTHON_SET_KEY, None)
    return answer.message[:1].upper() + answer.message[1:] + "."


def _apply(reading: Reading, source: str) -> None:
    """Resolve with the current choices and put the weighed names into the `deps` widget."""
    extras = st.session_state.get(EXTRAS_KEY)
    groups = st.session_state.get(GROUPS_KEY, [])
    file = f"the pasted {reading.format.label}" if source == PASTED else source
    reading = dataclasses.replace(reading, python_floors=named_file(reading.python_floors, file))
    resolution = resolve(
        reading,
        loaders.knowledge().catalog,
        extras=extras,
        groups=groups,
        tools=loaders.dev_tools(),
    )
    previous = set(st.session_state.get(ADDED_KEY, ()))
    current = [n for n in st.session_state.get("deps", []) if n not in previous]
    added = [n for n in resolution.deps if n not in current]
    st.session_state["deps"] = sorted(set(current) | set(resolution.deps))
    st.session_state[ADDED_KEY] = added
    st.session_state[RESOLUTION_KEY] = resolution
    st.session_state[READING_KEY] = (reading, source)
    st.session_state.pop(REC_KEY, None)
    st.session_state[REPORT_KEY] = {
        "source": source,
        "added": added,
        "python": _apply_python(reading),
    }


def _read(read: Any, payload: Any, source: str) -> None:
    try:
        reading = read(payload)
    except DependencyFileError as error:
        st.session_state[REPORT_KEY] = {"error": str(error), "source": source}
        return
    # A new file starts with every extra weighed and no group.
    st.session_state.pop(EXTRAS_KEY, None)
    st.session_state.pop(GROUPS_KEY, None)
    _apply(reading, source)


def on_upload() -> None:
    """Read the uploaded file (bytes, decoded as pip does)."""
    uploaded = st.session_state.get("requirements_file")
    if uploaded is not None:
        _read(read_bytes, uploaded.getvalue(), uploaded.name)


def on_paste() -> None:
    """Read the pasted text."""
    _read(read_text, st.session_state.get("requirements_text", ""), PASTED)


def _on_choice() -> None:
    stored = st.session_state.get(READING_KEY)
    if stored:
        _apply(*stored)


def _lines(report: Reading) -> list[str]:
    return [
        f"line {p.line}: {p.problem}: {p.text}" if p.line else f"{p.problem}: {p.text}"
        for p in (*report.problems, *report.not_followed)
    ]


def render_report() -> None:
    """What the last file gave: format, names, choices, problems, tooling, transitive blockers."""
    report = st.session_state.get(REPORT_KEY)
    if not report:
        return
    if "error" in report:
        st.error("The file could not be read:")
        st.text(report["error"])
        return
    reading, source = st.session_state[READING_KEY]
    resolution: Resolution = st.session_state[RESOLUTION_KEY]
    # The file name is the user's text: plain text only (Markdown would autolink a URL in it).
    st.success(
        f"Read as {reading.format.label}: {len(resolution.deps)} dependencies weighed "
        f"({len(report['added'])} new) from:"
    )
    st.text(source)
    if resolution.extras:
        st.multiselect(
            "The project's extras to weigh",
            options=list(resolution.extras),
            default=list(resolution.chosen_extras),
            key=EXTRAS_KEY,
            on_change=_on_choice,
        )
    if resolution.groups:
        st.multiselect(
            "Development groups to weigh as run-time dependencies",
            options=list(resolution.groups),
            default=list(resolution.chosen_groups),
            key=GROUPS_KEY,
            on_change=_on_choice,
        )
    said: list[str] = [report["python"]] if report.get("python") else []
    said += list(reading.notices) + list(resolution.notices)
    if resolution.project.dev:
        said.append(
            "Development tooling, listed but not weighed: " + ", ".join(resolution.project.dev)
        )
    said += [
        f"{p.path}: {p.support.note or 'constrains the runtime'}" for p in resolution.pulled_in
    ]
    said += [note[:1].upper() + note[1:] + "." for note in extras_notes(resolution)]
    said += [
        f"{name}: {s.note}" for name, s in sorted(resolution.project.support.items()) if s.note
    ]
    if resolution.project.support or resolution.project.transitive:
        said.append(
            "Versions, ranges and the tree from this file shape this page's verdict; "
            "a share link carries the names only."
        )
    if said:
        st.text("\n".join(said))
    problems = _lines(reading)
    if problems:
        st.warning("Some lines were not read:")
        shown = problems[:MAX_SHOWN_PROBLEMS]
        if len(problems) > MAX_SHOWN_PROBLEMS:
            shown.append(f"…and {len(problems) - MAX_SHOWN_PROBLEMS:,} more.")
        st.text("\n".join(shown))


def recommendation(answers: Answers) -> Recommendation | None:
    """This session's verdict with the file's context, or None when no file applies."""
    resolution: Resolution | None = st.session_state.get(RESOLUTION_KEY)
    if resolution is None or not set(resolution.deps) & set(answers.deps):
        return None
    query = answers.to_query()
    digest = hashlib.sha256(repr((query, id(resolution))).encode()).hexdigest()
    cached = st.session_state.get(REC_KEY)
    if cached and cached[0] == digest:
        return cached[1]  # type: ignore[no-any-return]
    rec = recommend(
        answers,
        loaders.knowledge(),
        versions=resolution.versions,
        project=resolution.project,
    )
    st.session_state[REC_KEY] = (digest, rec)
    return rec
