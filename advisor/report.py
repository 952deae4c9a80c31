"""Text and Markdown renderings of a `Recommendation` (CLI output and wiki exports).

User-supplied text (dependency names) is escaped in Markdown so a pasted name can never turn
into a link or an image on a wiki page.
"""

from __future__ import annotations

import re

from advisor.recommendation import Recommendation
from advisor.rules.model import Effect, Runtime

RUNTIME_LABELS = {Runtime.ASYNCIO: "asyncio", Runtime.TRIO: "Trio", Runtime.ANYIO: "AnyIO"}
"""How each runtime is named in prose."""


def verdict_sentence(rec: Recommendation) -> str:
    """One sentence a manager can read."""
    name = RUNTIME_LABELS[rec.verdict]
    if rec.verdict in rec.blocked:
        # Every runtime is ruled out by some dependency; the verdict is only the least bad.
        return (
            f"No runtime runs every dependency as they stand: {name} comes closest, but only "
            "if the blockers below are lifted (for example by accepting the trio-asyncio "
            "bridge) or a dependency is replaced."
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
    blocked = sorted(RUNTIME_LABELS[r] for r in rec.blocked if r is not rec.verdict)
    if blocked:
        extra += f"; {' and '.join(blocked)} ruled out by a dependency"
    return f"{lead}{extra}."


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


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every Markdown metacharacter so text renders literally."""
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
