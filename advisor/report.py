"""Text and Markdown renderings of a `Recommendation` (CLI output and wiki exports).

Both say what the page says, in the same words (`advisor.wording`): the truthful headline, both
decisions with their grades, why the grade, what was assumed, the blockers once per dependency,
the reasons with their sources, and the flips as sentences. Every text from the user or the data
files is escaped in Markdown, so a pasted name or a catalog note can never turn into a link or an
image on a wiki page; links are only validated https URLs and the share link.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence

from advisor.decisions import DecisionKind
from advisor.recommendation import Blocker, DependencyStatus, Flip, Recommendation
from advisor.rules.model import Effect, Runtime
from advisor.wording import (
    RUNTIME_LABELS,
    HeadlineKind,
    answer_lines,
    assumed_words,
    decision_lines,
    flip_sentence,
    headline,
    https_url,
    link_label,
)

__all__ = [
    "RUNTIME_LABELS",
    "escape_markdown",
    "format_effect",
    "to_markdown",
    "to_text",
    "verdict_sentence",
]


def verdict_sentence(rec: Recommendation) -> str:
    """One sentence a manager can read."""
    name = RUNTIME_LABELS[rec.verdict]
    head = headline(rec)
    if head.kind is HeadlineKind.NONE_RUNS_ALL:
        # Every runtime is ruled out by some dependency; the verdict is only the least bad.
        return (
            f"No runtime runs every dependency as they stand: {name} comes closest, but only "
            "if the blockers below are lifted (for example by accepting the trio-asyncio "
            "bridge) or a dependency is replaced."
        )
    if head.kind is HeadlineKind.TIE:
        names = [RUNTIME_LABELS[r] for r in head.runtimes]
        return (
            f"{' and '.join(names)} score exactly the same: this is a tie, so choose on what "
            "the team prefers (the reasons below show what each side rests on)."
        )
    lead = {
        "clear": f"Build on {name}: it is the clear choice for this project",
        "lean": f"Lean towards {name}: it comes out ahead, but not by much",
        "toss-up": f"{name} is only just ahead: this is a toss-up",
    }[rec.certainty.value]
    if rec.certainty.value == "toss-up" and "tie" in rec.confidence_reason:
        lead = f"It is a tie: {name} is named only because nothing separates the options"
    extra = ""
    if rec.verdict is Runtime.ANYIO:
        if Runtime.TRIO in rec.blocked and Runtime.ASYNCIO not in rec.blocked:
            extra = " (write against AnyIO and run it on its asyncio backend)"
        elif Runtime.ASYNCIO in rec.blocked and Runtime.TRIO not in rec.blocked:
            extra = " (write against AnyIO and run it on its Trio backend)"
        else:
            extra = " (write against AnyIO and choose asyncio or Trio as the backend at run time)"
    for runtime in Runtime:
        if runtime in rec.blocked and runtime is not rec.verdict:
            extra += f"; {RUNTIME_LABELS[runtime]} is ruled out by {_blocking(rec, runtime)}"
    return f"{lead}{extra}."


def _blocking(rec: Recommendation, runtime: Runtime, shown: int = 6) -> str:
    """The dependencies that rule `runtime` out, by name ("a, b and 3 more")."""
    names = sorted({b.dependency for b in rec.blockers if b.runtime is runtime})
    if not names:
        return "a dependency"
    if len(names) > shown:
        return f"{', '.join(names[:shown])} and {len(names) - shown} more"
    return ", ".join(names)


def format_effect(effect: Effect) -> str:
    """What a rule adds, named by its decision's options: `asyncio loop +4, Trio loop -1`
    for a loop rule, `native API +2` or `AnyIO +0.5` for an API rule (a native-API effect
    counts for whichever loop is decided, so naming both runtimes would read as two votes)."""
    if effect.decision is DecisionKind.LOOP:
        pairs = (("asyncio loop", effect.asyncio), ("Trio loop", effect.trio))
    else:
        pairs = (("native API", effect.native), ("AnyIO", effect.anyio))
    return ", ".join(f"{label} {value:+g}" for label, value in pairs if value)


def summary_lines(rec: Recommendation) -> list[str]:
    """The verdict's explanation in plain lines: both decisions, why the grade, what was
    assumed, what would firm it up (the same lines the page's verdict box shows)."""
    head = headline(rec)
    lines = decision_lines(rec)
    if rec.confidence_reason:
        lines.append(f"Why {head.grade}: {rec.confidence_reason}")
    assumed = assumed_words(rec)
    if assumed:
        lines.append("Assumed (left at the default): " + "; ".join(assumed) + ".")
    if rec.firm_up:
        lines.append(f"To firm this up, answer: {rec.firm_up}")
    return lines


def title_line(rec: Recommendation) -> str:
    """ "AnyIO (lean)", "asyncio or AnyIO: a tie (toss-up)", "No runtime runs every dependency"."""
    head = headline(rec)
    if head.kind is HeadlineKind.NONE_RUNS_ALL:
        return f"{head.title} (closest: {RUNTIME_LABELS[rec.verdict]})"
    return f"{head.title} ({head.grade})"


def blocker_rows(rec: Recommendation) -> list[tuple[str, str, str, str, str]]:
    """One row per blocking dependency: (name, runtimes it rules out, chain, note, evidence)."""
    first: dict[str, Blocker] = {}
    ruled: dict[str, list[str]] = {}
    for blocker in rec.blockers:
        first.setdefault(blocker.dependency, blocker)
        labels = ruled.setdefault(blocker.dependency, [])
        if RUNTIME_LABELS[blocker.runtime] not in labels:
            labels.append(RUNTIME_LABELS[blocker.runtime])
    return [
        (name, ", ".join(ruled[name]), " -> ".join(b.via), b.note, b.evidence)
        for name, b in first.items()
    ]


def shared_unless(rec: Recommendation) -> list[str]:
    """Each distinct "unless ..." of the blockers, once: "Trio: unless you accept ..."."""
    pairs = sorted({(b.runtime, b.unless) for b in rec.blockers if b.unless})
    return [f"{RUNTIME_LABELS[runtime]}: unless {unless}." for runtime, unless in pairs]


def _note(text: str | None) -> str:
    return f" ({text})" if text else ""


def link_note(flip: Flip, verdict: Runtime, certainty: str) -> str | None:
    """What a flip's link opens as (`verdict`, `certainty`), said when it differs from what
    the flip promises: its verdict, and for a firm-up a clear one (the link carries answers
    only, not the version pins, transitive facts or scan behind the recommendation)."""
    keeps = verdict is flip.verdict and (flip.kind != "firm-up" or certainty == "clear")
    if keeps:
        return None
    return (
        f"its link carries answers only, not your files' versions or scan, and opens as "
        f"{RUNTIME_LABELS[verdict]} ({certainty})"
    )


def dependency_label(dep: DependencyStatus) -> str:
    """A dependency as listed: its name, and for a transitive one the chain that pulls it in
    ("aiohttp (via elasticsearch)"), as the blockers are written."""
    return f"{dep.name} (via {' -> '.join(dep.via)})" if dep.via else dep.name


def pins_note(pinned: Sequence[str]) -> str:
    """Why the printed query may give another verdict: it carries names, not the pins."""
    if not pinned:
        return ""
    return (
        " (names only: the version pins read from your files for "
        + ", ".join(sorted(pinned))
        + " were applied to this verdict, but a link carries no versions, so opening it "
        "may give a different verdict)"
    )


def to_text(
    rec: Recommendation,
    *,
    pinned: Sequence[str] = (),
    sources: Sequence[str] = (),
    flip_notes: Mapping[str, str] | None = None,
) -> str:
    """A plain-text report for the terminal.

    `pinned`: the dependencies whose versions (from --requirements files) were applied; the
    printed query says it does not carry them. `sources`: sentences saying where answers were
    taken from (e.g. the Python floor a file states), printed under the answers' query.
    `flip_notes`: flip query -> a note printed after that flip (see `link_notes`).
    """
    notes = flip_notes or {}
    lines = [
        f"Verdict: {title_line(rec)}",
        verdict_sentence(rec),
        *summary_lines(rec),
        "Scores: "
        + ", ".join(f"{RUNTIME_LABELS[r]} {rec.scores.of(r):.1f}" for r in Runtime)
        + f" (margin {rec.margin:.1f})",
        f"Answers: ?{rec.answers.to_query()}{pins_note(pinned)}",
        *(f"From your files: {source}" for source in sources),
        "",
        "Your answers:",
        *(f"  {line}" for line in answer_lines(rec.answers)),
        "",
        "Reasons:",
    ]
    for reason in rec.reasons:
        lines.append(f"  [{format_effect(reason.effect)}] {reason.title} ({reason.rule_id})")
        lines.append(f"      {reason.rationale}")
        lines.append(f"      when: {reason.condition}   source: {reason.source}")
    if rec.blockers:
        lines += ["", "Blockers:"]
        for name, runtimes, chain, note, evidence in blocker_rows(rec):
            via = f" (via {chain})" if chain else ""
            lines.append(f"  {name}{via} rules out {runtimes}")
            lines.append(f"      {note}  evidence: {evidence}")
        lines += [f"  {line}" for line in shared_unless(rec)]
    if rec.flips:
        lines += ["", "What would change the verdict:"]
        lines += [
            f"  - {flip_sentence(flip)}  [?{flip.query}]{_note(notes.get(flip.query))}"
            for flip in rec.flips
        ]
    if rec.dependencies:
        lines += ["", "Dependencies:"]
        for dep in rec.dependencies:
            if dep.known:
                lines.append(
                    f"  {dependency_label(dep)}: asyncio={dep.asyncio} Trio={dep.trio} "
                    f"(checked {dep.checked_version} on {dep.checked_on}, confidence "
                    f"{dep.confidence}) {dep.evidence}"
                )
            elif dep.role == "dev":
                lines.append(f"  {dep.name}: development tooling, not weighed (not in the catalog)")
            else:
                lines.append(f"  {dep.name}: unknown (not in the catalog)")
    return "\n".join(lines) + "\n"


_MARKDOWN_ALWAYS = re.compile(r"([\\`*_{}\[\]<>#|~$&@])")
"""Characters that can start markup anywhere in a line: escaped wherever they appear."""
_MARKDOWN_AUTOLINK = re.compile(r"(?<=\w)\.(?=[^\W\d_])|:(?=[/\w])")
"""A dot between a word and a letter (`www.example.org`, `main.py`: renderers with fuzzy
links make a link of any `name.tld`) and a colon before a letter or slash (`http://`,
`:emoji:`, Streamlit's `:red[...]` and `:material/icon:`)."""
_MARKDOWN_LINE_START = re.compile(
    r"(?m)^([ \t]*)([-+]|\d+[.)])(?=[ \t]|$)|^([ \t]*)([-=])(?=[-= \t]*$)"
)
"""A list marker (`-`, `+`, `1.`, `1)` then a space or the line's end) or a line of only `-`
and `=` (setext underline, rule): markup only at a line's start."""


def escape_markdown(text: str) -> str:
    """Backslash-escape what Markdown would read as markup, so text renders literally, and
    nothing else, so an exported `.md` file stays readable as plain text.

    Escaped: `\\ ` * _ { } [ ] < > # | ~ $ & @` everywhere (`$` is maths and `@` an e-mail
    autolink in some renderers, `&` an HTML entity); a dot between a word and a letter and a
    colon before a letter or a slash (bare URLs and domains, `:emoji:`, Streamlit's colour
    and icon directives); `-`, `+`, `=` and `1.` or `1)` at the start of a line (lists,
    headings, rules). Apostrophes, quotes, parentheses, sentence-ending full stops, version
    numbers and colons in prose are left alone: with `[` escaped no link can form. The test
    suite checks the result with a CommonMark + GFM renderer that links bare domains.
    """
    escaped = _MARKDOWN_ALWAYS.sub(r"\\\1", text)
    escaped = _MARKDOWN_AUTOLINK.sub(r"\\\g<0>", escaped)
    return _MARKDOWN_LINE_START.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = (match.group(1), match.group(2)) if match.group(2) else match.group(3, 4)
    if marker[-1] in ".)":
        return f"{indent}{marker[:-1]}\\{marker[-1]}"
    return f"{indent}\\{marker}"


_LINK_TEXT_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~$&])")
"""What can still be markup inside a link's text: no link, autolink or block forms there."""


def escape_link_text(text: str) -> str:
    """Escape a link's text: emphasis, code, brackets, HTML, entities and maths only (no
    link can nest in a link, so the dots, colons and `#` of a URL label stay readable)."""
    return _LINK_TEXT_SPECIAL.sub(r"\\\1", text)


def _md_link(url: str | None, text: str) -> str:
    """A Markdown link for a validated https URL, else the text alone (escaped)."""
    safe = https_url(url)
    if safe is None:
        return escape_markdown(text)
    return f"[{escape_link_text(text)}]({_md_url(safe)})"


def _md_url(url: str) -> str:
    """A URL safe inside a Markdown link's parentheses."""
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def to_markdown(
    rec: Recommendation,
    link: str | None = None,
    charts: Sequence[tuple[str, bytes]] = (),
    *,
    pinned: Sequence[str] = (),
    sources: Sequence[str] = (),
    flip_notes: Mapping[str, str] | None = None,
) -> str:
    """A Markdown report for wikis that take no iframes.

    It carries the answers, the verdict with both decisions and their grades, the blockers, the
    reasons with their sources, the flips and, when given, the charts as inline PNG images
    (`charts`: title and PNG bytes; each image carries its own provenance). All text from data
    files or the user is escaped; links are only validated https URLs and the share link.
    `pinned`, `sources` and `flip_notes` as for `to_text` (all escaped like user text).
    """
    notes = flip_notes or {}
    e = escape_markdown
    out = [f"## Async Advisor: {e(title_line(rec))}", "", e(verdict_sentence(rec)), ""]
    out += [f"- {e(line)}" for line in summary_lines(rec)]
    out.append("")
    if link:
        out += [f"[Open this recommendation in Async Advisor]({_md_url(link)})", ""]
    out += ["### Your answers", ""]
    out += [f"- {e(line)}" for line in answer_lines(rec.answers)]
    out += ["", f"Share-link query: `{rec.answers.to_query()}`{e(pins_note(pinned))}", ""]
    out += [f"From your files: {e(source)}" for source in sources]
    out += [""] if sources else []
    out += ["| runtime | score |", "|---|---|"]
    out += [f"| {RUNTIME_LABELS[r]} | {rec.scores.of(r):.1f} |" for r in Runtime]
    out += ["", "### Reasons", "", "| effect | reason | source |", "|---|---|---|"]
    for reason in rec.reasons:
        source = _md_link(reason.source, link_label(reason.source) if reason.source else "")
        out.append(
            f"| {e(format_effect(reason.effect))} | **{e(reason.title)}**: "
            f"{e(reason.rationale)} ({e(reason.rule_id)}) | {source} |"
        )
    if rec.blockers:
        out += ["", "### Blockers", "", "| dependency | rules out | note | evidence |"]
        out.append("|---|---|---|---|")
        for name, runtimes, chain, note, evidence in blocker_rows(rec):
            via = f" (via {chain})" if chain else ""
            out.append(
                f"| `{e(name)}`{e(via)} | {e(runtimes)} | {e(note)} | "
                f"{_md_link(evidence, 'evidence')} |"
            )
        out += [""] + [f"- {e(line)}" for line in shared_unless(rec)]
    if rec.flips:
        out += ["", "### What would change this", ""]
        out += [
            f"- {e(flip_sentence(flip))} ({e(flip.change)}){e(_note(notes.get(flip.query)))}"
            for flip in rec.flips
        ]
    if rec.dependencies:
        out += ["", "### Dependencies", "", "| dependency | asyncio | Trio | evidence |"]
        out.append("|---|---|---|---|")
        for dep in rec.dependencies:
            evidence = (
                _md_link(dep.evidence, f"{dep.checked_version}, {dep.checked_on}")
                if dep.evidence
                else "development tooling, not weighed"
                if dep.role == "dev"
                else "unknown"
            )
            out.append(f"| {e(dependency_label(dep))} | {dep.asyncio} | {dep.trio} | {evidence} |")
    if charts:
        out += ["", "### Charts", ""]
        for title, png in charts:
            data = base64.b64encode(png).decode("ascii")
            out += [f"![{e(title)}](data:image/png;base64,{data})", ""]
    return "\n".join(out) + "\n"
