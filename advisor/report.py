"""Text and Markdown renderings of a `Recommendation` (CLI output and wiki exports).

User-supplied text (dependency names) is escaped in Markdown so a pasted name can never turn
into a link or an image on a wiki page.
"""

from __future__ import annotations

import re

from advisor.recommendation import Recommendation
from advisor.rules.model import Effect, Runtime
from advisor.wording import RUNTIME_LABELS, HeadlineKind, headline

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
        "toss-up": f"{name} comes out marginally ahead: this is a toss-up",
    }[rec.certainty.value]
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


def _blocking(rec: Recommendation, runtime: Runtime, shown: int = 4) -> str:
    """The dependencies that rule `runtime` out, by name ("a, b and 3 more")."""
    names = sorted({b.dependency for b in rec.blockers if b.runtime is runtime})
    if not names:
        return "a dependency"
    if len(names) > shown:
        return f"{', '.join(names[:shown])} and {len(names) - shown} more"
    return ", ".join(names)


def format_effect(effect: Effect) -> str:
    """`asyncio +2, trio -1` style summary."""
    parts = [f"{RUNTIME_LABELS[r]} {effect.on(r):+g}" for r in Runtime if effect.on(r)]
    return ", ".join(parts)


def to_text(rec: Recommendation) -> str:
    """A plain-text report for the terminal."""
    lines = [
        f"Verdict: {rec.verdict.value} ({rec.certainty.value}, margin {rec.margin:.1f})",
        verdict_sentence(rec),
        "Scores: " + ", ".join(f"{r.value} {rec.scores.of(r):.1f}" for r in Runtime),
        f"Answers: ?{rec.answers.to_query()}",
        "",
        "Reasons:",
    ]
    for reason in rec.reasons:
        lines.append(f"  [{format_effect(reason.effect)}] {reason.title} ({reason.rule_id})")
        lines.append(f"      {reason.rationale}")
        lines.append(f"      when: {reason.condition}   source: {reason.source}")
    if rec.blockers:
        lines += ["", "Blockers:"]
        for blocker in rec.blockers:
            unless = f" (unless {blocker.unless})" if blocker.unless else ""
            lines.append(f"  {blocker.dependency} rules out {blocker.runtime.value}{unless}")
            lines.append(f"      {blocker.note}  evidence: {blocker.evidence}")
    if rec.flips:
        lines += ["", "What would change the verdict:"]
        lines += [f"  {flip.change} -> {flip.verdict.value}" for flip in rec.flips]
    if rec.dependencies:
        lines += ["", "Dependencies:"]
        for dep in rec.dependencies:
            if dep.known:
                lines.append(
                    f"  {dep.name}: asyncio={dep.asyncio} trio={dep.trio} "
                    f"(checked {dep.checked_version} on {dep.checked_on}) {dep.evidence}"
                )
            else:
                lines.append(f"  {dep.name}: unknown (not in the catalog)")
    return "\n".join(lines) + "\n"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:@$&=\"'])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every Markdown metacharacter so text renders literally.

    Besides the CommonMark ones, `:` and `@` are escaped so that no bare URL or e-mail address
    becomes a live link (GFM autolinks) and no `:emoji:` or `:material/icon:` shortcode expands,
    `$` so that nothing renders as maths, and `&` so that no HTML entity is decoded.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def to_markdown(rec: Recommendation, link: str | None = None) -> str:
    """A Markdown report for wikis that take no iframes."""
    out = [
        f"## Async Advisor: **{RUNTIME_LABELS[rec.verdict]}** ({rec.certainty.value})",
        "",
        verdict_sentence(rec),
        "",
    ]
    if link:
        out += [f"[Open this recommendation in Async Advisor]({link})", ""]
    out += ["| runtime | score |", "|---|---|"]
    out += [f"| {RUNTIME_LABELS[r]} | {rec.scores.of(r):.1f} |" for r in Runtime]
    out += ["", "### Reasons", "", "| effect | reason | source |", "|---|---|---|"]
    for reason in rec.reasons:
        out.append(
            f"| {format_effect(reason.effect)} | **{reason.title}**: {reason.rationale} "
            f"| [{reason.rule_id}]({reason.source}) |"
        )
    if rec.blockers:
        out += ["", "### Blockers", ""]
        for blocker in rec.blockers:
            unless = f" Unless {blocker.unless}." if blocker.unless else ""
            out.append(
                f"- `{blocker.dependency}` rules out {RUNTIME_LABELS[blocker.runtime]}: "
                f"{blocker.note} ([evidence]({blocker.evidence})){unless}"
            )
    if rec.flips:
        out += ["", "### What would change this", ""]
        out += [
            f"- {escape_markdown(flip.change)} → {RUNTIME_LABELS[flip.verdict]}"
            for flip in rec.flips
        ]
    if rec.dependencies:
        out += ["", "### Dependencies", "", "| dependency | asyncio | Trio | evidence |"]
        out.append("|---|---|---|---|")
        for dep in rec.dependencies:
            evidence = f"[{dep.checked_version}]({dep.evidence})" if dep.evidence else "unknown"
            out.append(f"| {escape_markdown(dep.name)} | {dep.asyncio} | {dep.trio} | {evidence} |")
    return "\n".join(out) + "\n"
