"""Plain-language wording shared by the page, the reports and the CLI.

Runtime names as prose writes them (asyncio, Trio, AnyIO), what the grades and the catalog's
support codes mean, each question's words and its answers' labels, and the truthful headline of
a verdict. One place, so the page, a wiki export and a terminal say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from advisor.answers import Answers, Workload, read_query
from advisor.recommendation import Decision, Flip, Recommendation
from advisor.rules.model import Runtime

RUNTIME_LABELS: Mapping[Runtime, str] = {
    Runtime.ASYNCIO: "asyncio",
    Runtime.TRIO: "Trio",
    Runtime.ANYIO: "AnyIO",
}
"""How each runtime is named in prose."""

API_LABELS: Mapping[str, str] = {"native": "the loop's own API", "anyio": "AnyIO"}
"""How each choice of the `api` decision is named."""

GRADE_LABELS: Mapping[str, str] = {"clear": "clear", "lean": "lean", "toss-up": "toss-up"}
"""The grade as the page writes it."""

GRADE_MEANINGS: Mapping[str, str] = {
    "clear": "the verdict wins by more than the uncertainty of the factors behind it; "
    "only a different answer or new facts would change it",
    "lean": "the verdict comes out ahead, but one answer, a default left unanswered or a "
    "single soft factor could change it",
    "toss-up": "a tie or a near tie: either choice is defensible, decide on what the team prefers",
}
"""What each grade means (the page's legend)."""

SUPPORT_MEANINGS: Mapping[str, str] = {
    "native": "written for this runtime; runs on it directly",
    "anyio": "written against AnyIO; runs on either runtime",
    "bridge": "runs under Trio only through the trio-asyncio bridge (an extra loop layer)",
    "thread": "usable only from a worker thread (to_thread / run_sync), not as async code",
    "none": "does not run on this runtime",
    "unknown": "not in the catalog, or not checked for this runtime",
}
"""What the catalog's support codes mean (the page's legend)."""

CATALOG_CONFIDENCE_MEANINGS: Mapping[str, str] = {
    "high": "the evidence link states the support outright at the version checked",
    "medium": "the evidence supports it but not outright; the note says what is missing",
    "low": "partly inferred; the note says why; check it before relying on it",
}
"""What the catalog's confidence levels mean (the page's legend)."""

QUESTIONS: Mapping[str, str] = {
    "deps": "Dependencies",
    "workload": "What the program mostly does",
    "scale": "Concurrent tasks or connections at peak",
    "perf": "Is raw throughput or latency a top requirement?",
    "exp_asyncio": "Team's asyncio experience",
    "exp_trio": "Team's Trio experience",
    "team": "Team size",
    "codebase": "What exists today",
    "kind": "What you are building",
    "python": "Oldest Python version to support",
    "cancel": "Are strict timeouts, cancellation and clean shutdown a top requirement?",
}
"""Each share-link parameter's question, in the questionnaire's order."""

SHORT_QUESTIONS: Mapping[str, str] = {
    "deps": "dependencies",
    "workload": "workload",
    "scale": "scale",
    "perf": "speed",
    "exp_asyncio": "asyncio experience",
    "exp_trio": "Trio experience",
    "team": "team size",
    "codebase": "existing code",
    "kind": "kind",
    "python": "Python",
    "cancel": "cancellation",
}
"""Each question in a word or two, for compact places (the embed)."""

WORKLOAD_LABELS: Mapping[str, str] = {
    "server": "Server (HTTP/API, sockets)",
    "client": "Client (calls many services)",
    "streaming": "Streaming (websockets, feeds)",
    "pipeline": "Data pipeline (stages, queues)",
    "cli": "Command-line tool",
    "gui": "Desktop GUI",
    "cpu": "CPU-heavy work",
}
EXPERIENCE_LABELS: Mapping[int, str] = {0: "None", 1: "Basic", 2: "Experienced", 3: "Expert"}
ANSWER_LABELS: Mapping[str, Mapping[Any, str]] = {
    "scale": {"small": "Under 100", "medium": "100 to 10,000", "large": "Over 10,000"},
    "perf": {"normal": "Normal", "critical": "Top requirement"},
    "exp_asyncio": EXPERIENCE_LABELS,
    "exp_trio": EXPERIENCE_LABELS,
    "team": {"solo": "Just me", "small": "2 to 10", "large": "More than 10"},
    "codebase": {
        "new": "Nothing yet (new project)",
        "asyncio": "An asyncio code base",
        "trio": "A Trio code base",
        "sync": "Synchronous code to port",
    },
    "kind": {"app": "An application or service", "library": "A library others import"},
    "cancel": {"normal": "Normal", "critical": "Top requirement"},
}
"""Plain labels of each single-choice answer's values (python versions label themselves)."""


def answer_text(answers: Answers, param: str) -> str:
    """One answer's value in words, e.g. "2 to 10"."""
    value = getattr(answers, param)
    if param == "deps":
        return ", ".join(value) or "none"
    if param == "workload":
        return ", ".join(WORKLOAD_LABELS[w.value] for w in Workload if w in value) or "not given"
    raw = value.value if isinstance(value, StrEnum) else int(value)
    return ANSWER_LABELS.get(param, {}).get(raw, str(raw))


def describe_answer(answers: Answers, param: str) -> str:
    """One answer in words, e.g. "Team size: 2 to 10" ("Question? answer" for a question)."""
    question, text = QUESTIONS.get(param, param), answer_text(answers, param)
    return f"{question} {text}" if question.endswith("?") else f"{question}: {text}"


def answer_lines(answers: Answers) -> list[str]:
    """Every answer in words, in the questionnaire's order."""
    return [describe_answer(answers, param) for param in QUESTIONS]


class HeadlineKind(StrEnum):
    """What the big words above a verdict say."""

    WINNER = "winner"
    """One allowed runtime scores highest and is the verdict."""
    TIE = "tie"
    """Two or more allowed runtimes share the highest score."""
    NONE_RUNS_ALL = "none-runs-all"
    """Every runtime is ruled out by some dependency."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Headline:
    """The verdict's big words, true to the scores and the blockers."""

    kind: HeadlineKind
    """Winner, tie, or nothing runs every dependency."""
    title: str
    """The words themselves, e.g. "AnyIO", "asyncio or AnyIO: a tie"."""
    grade: str
    """The grade as written (clear, lean, toss-up)."""
    runtimes: tuple[Runtime, ...]
    """The runtimes the title names (the verdict first)."""


TIE_TOLERANCE = 1e-9
"""Scores closer than this are equal (they are sums of a few decimal weights)."""


def headline(rec: Recommendation) -> Headline:
    """The big words for a verdict: never a ruled-out runtime, never one that scored lower.

    When every runtime is ruled out the title says so; when allowed runtimes share the top
    score it names them all and says it is a tie.
    """
    grade = GRADE_LABELS[rec.certainty.value]
    allowed = [r for r in Runtime if r not in rec.blocked]
    if not allowed:
        return Headline(
            kind=HeadlineKind.NONE_RUNS_ALL,
            title="No runtime runs every dependency",
            grade=grade,
            runtimes=(),
        )
    top = max(rec.scores.of(r) for r in allowed)
    leaders = [r for r in allowed if top - rec.scores.of(r) <= TIE_TOLERANCE]
    if rec.verdict in leaders:
        leaders.remove(rec.verdict)
        leaders.insert(0, rec.verdict)
    if len(leaders) > 1:
        names = [RUNTIME_LABELS[r] for r in leaders]
        return Headline(
            kind=HeadlineKind.TIE,
            title=f"{', '.join(names[:-1])} or {names[-1]}: a tie",
            grade=GRADE_LABELS["toss-up"],
            runtimes=tuple(leaders),
        )
    return Headline(
        kind=HeadlineKind.WINNER,
        title=RUNTIME_LABELS[leaders[0]],
        grade=grade,
        runtimes=(leaders[0],),
    )


def loop_words(decision: Decision) -> str:
    """The loop decision's choice in words ("asyncio on uvloop", "Trio")."""
    name = "Trio" if decision.choice == "trio" else "asyncio"
    return f"{name} on uvloop" if decision.uvloop else name


def api_words(decision: Decision, loop: Decision | None) -> str:
    """The API decision's choice in words ("AnyIO", "asyncio's own API")."""
    if decision.choice == "anyio":
        return "AnyIO"
    if loop is not None:
        return f"{'Trio' if loop.choice == 'trio' else 'asyncio'}'s own API"
    return API_LABELS.get(decision.choice, decision.choice)


def decision_lines(rec: Recommendation) -> list[str]:
    """Both decisions in one line each, e.g. "Event loop: asyncio (clear): <reason>".

    Empty when the model did not fill them in.
    """
    lines = []
    if rec.loop is not None:
        words = loop_words(rec.loop)
        lines.append(
            f"Event loop: {words} ({GRADE_LABELS[rec.loop.grade.value]})"
            + _reason_tail(rec.loop, words)
        )
    if rec.api is not None:
        words = api_words(rec.api, rec.loop)
        lines.append(
            f"Your code: {words} ({GRADE_LABELS[rec.api.grade.value]})"
            + _reason_tail(rec.api, words)
        )
    return lines


def _reason_tail(decision: Decision, words: str) -> str:
    """ ": <reason>", without the reason's own leading "<choice>: " (the line already says it)."""
    reason = decision.reason.strip()
    head, sep, rest = reason.partition(": ")
    if sep and head.lower() in {words.lower(), decision.choice.lower(), words.split()[0].lower()}:
        reason = rest
    return f": {reason}" if reason else ""


def flip_sentence(flip: Flip) -> str:
    """A flip in plain words: the model's sentence, or one made from the raw change."""
    if flip.sentence:
        return flip.sentence
    outcome = f"the verdict would be {RUNTIME_LABELS[flip.verdict]}"
    if flip.change.startswith("without "):
        return f"Without {flip.change.removeprefix('without ')}, {outcome}"
    if flip.param in QUESTIONS and flip.param not in ("deps", "workload"):
        changed = read_query(flip.query).answers
        answer = answer_text(changed, flip.param)
        return f"If the answer to “{QUESTIONS[flip.param]}” were “{answer}”, {outcome}"
    return f"With {flip.change}, {outcome}"


def assumed_words(rec: Recommendation, *, short: bool = False) -> list[str]:
    """The answers the verdict depends on that were left at their defaults, in words
    ("Team size: 2 to 10"; with `short`, "team size 2 to 10")."""
    if short:
        return [f"{SHORT_QUESTIONS.get(p, p)} {answer_text(rec.answers, p)}" for p in rec.assumed]
    return [describe_answer(rec.answers, param) for param in rec.assumed]


def https_url(url: str | None) -> str | None:
    """`url` if it is an absolute https URL with a host and no whitespace, else None.

    Data files and stored metadata are validated when loaded; this is the last check before a
    link is shown, so a bad entry shows as text instead of a live link.
    """
    if not url or any(ch.isspace() for ch in url) or len(url) > 2000:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme != "https" or not parts.hostname:
        return None
    return url


def link_label(url: str, limit: int = 48) -> str:
    """A readable short form of a source URL: host and path, without scheme or "www."."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    text = host + parts.path.rstrip("/")
    if parts.fragment:
        text += "#" + parts.fragment
    return text if len(text) <= limit else text[: limit - 1] + "…"
