"""A `ScanReport` as plain text or Markdown (JSON is `report.to_dict()`).

Paths and names come from the scanned project, so the Markdown form escapes them and shows
`file:line` entries as code spans: nothing from an upload renders as a link or HTML.
"""

from __future__ import annotations

from collections.abc import Sequence

from advisor.answers import Codebase
from advisor.report import RUNTIME_LABELS, escape_markdown
from advisor.scan.catalog import RUNTIME_FAMILIES, Effort, Family
from advisor.scan.model import CodeStyle, Location, PortingPlan, ScanReport

DEFAULT_SHOWN = 10
"""Locations shown per group in text and Markdown unless every one is asked for."""

FAMILY_LABELS = {
    Family.ASYNCIO: "asyncio",
    Family.TRIO: "Trio",
    Family.ANYIO: "AnyIO",
    Family.SNIFFIO: "sniffio",
    Family.THREADS: "threads",
    Family.PROCESSES: "processes",
}
STYLE_LABELS = {
    CodeStyle.ASYNCIO: "an asyncio code base",
    CodeStyle.TRIO: "a Trio code base",
    CodeStyle.ANYIO: "an AnyIO code base",
    CodeStyle.MIXED: "a mixed code base",
    CodeStyle.SYNC: "synchronous code (no asyncio, Trio or AnyIO use)",
    CodeStyle.EMPTY: "no Python code",
}


def summary(report: ScanReport) -> str:
    """One sentence: what the code base is, with the shares, and the answer it supports."""
    text = STYLE_LABELS[report.style]
    if report.backends:
        text += " with " + " and ".join(RUNTIME_LABELS[b] for b in report.backends) + " backends"
    shares = [
        f"{FAMILY_LABELS[s.family]} {s.share:.0%}"
        for s in report.families
        if s.family in RUNTIME_FAMILIES and s.primary_files
    ]
    async_files = sum(s.primary_files for s in report.families)
    if shares:
        text += f" ({', '.join(shares)} of {async_files} async files)"
    return f"{text}; questionnaire answer: codebase={report.codebase.value}{_why(report)}"


def _why(report: ScanReport) -> str:
    """Why a mixed or AnyIO code base gets its answer (the others map to themselves)."""
    if report.codebase is Codebase.NEW and report.style in (CodeStyle.MIXED, CodeStyle.ANYIO):
        lead = (
            "AnyIO leads the async files, ties included"
            if report.style is CodeStyle.MIXED
            else "AnyIO code"
        )
        return (
            f" ({lead}: AnyIO runs on either event loop, so the code ties the project to "
            "neither, as a new project's would)"
        )
    if report.style is CodeStyle.MIXED:
        return " (the runtime most async files are written against)"
    return ""


def plan_line(plan: PortingPlan) -> str:
    """'to AnyIO: 40 mechanical and 116 redesign changes in 23 files'."""
    files = "file" if len(plan.files) == 1 else "files"
    line = (
        f"to {RUNTIME_LABELS[plan.target]}: {plan.mechanical_count} mechanical and "
        f"{plan.redesign_count} redesign changes in {len(plan.files)} {files}"
    )
    if plan.unchanged_count:
        line += f" ({plan.unchanged_count} uses run unchanged)"
    return line


def _locations(locations: Sequence[Location], limit: int | None) -> tuple[list[str], int]:
    shown = locations if limit is None else locations[:limit]
    return [f"{loc.path}:{loc.line} {loc.api}" for loc in shown], len(locations) - len(shown)


def _apis(apis: Sequence[tuple[str, int]]) -> str:
    return ", ".join(f"{api} x{count}" for api, count in apis)


def to_text(report: ScanReport, *, limit: int | None = DEFAULT_SHOWN) -> str:
    """The report as plain text; `limit` locations per group (None: all)."""
    out = [
        f"Scanned {report.source}: {report.files} Python files, {report.lines:,} lines "
        f"({report.parsed_files} parsed; the rest name no concurrency package)",
        f"Code base: {summary(report)}",
        "",
        "Concurrency APIs used:",
    ]
    if not report.kinds:
        out.append("  none")
    for usage in report.kinds:
        out.append(f"  [{FAMILY_LABELS[usage.family]}] {usage.label}: {usage.count}")
        out.append(f"      {_apis(usage.apis)}")
        lines, more = _locations(usage.locations, limit)
        out.extend(f"      {line}" for line in lines)
        if more:
            out.append(f"      ... and {more} more")
    out += ["", "Porting effort:"]
    for plan in report.plans:
        out.append(f"  {plan_line(plan)}")
        for item in plan.items:
            if item.effort is Effort.NONE:
                continue
            sites = "site" if item.count == 1 else "sites"
            out.append(f"    {item.effort.value}: {_apis(item.apis)} ({item.count} {sites})")
            out.append(f"        how: {item.how}")
            if item.source:
                out.append(f"        source: {item.source}")
            lines, more = _locations(item.locations, limit)
            out.extend(f"        {line}" for line in lines)
            if more:
                out.append(f"        ... and {more} more")
    if report.problems:
        out += ["", f"Files not read ({len(report.problems)}):"]
        out.extend(f"  {problem}" for problem in report.problems)
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return escape_markdown(text)


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def to_markdown(report: ScanReport, *, limit: int | None = DEFAULT_SHOWN) -> str:
    """The report as Markdown, every project-supplied string escaped or in a code span."""
    out = [
        f"## Code scan: {_md(report.source)}",
        "",
        f"{report.files} Python files, {report.lines:,} lines. "
        f"**Code base:** {_md(summary(report))}.",
        "",
        "### Concurrency APIs used",
        "",
        "| family | kind | uses | APIs |",
        "|---|---|---:|---|",
    ]
    for usage in report.kinds:
        out.append(
            f"| {FAMILY_LABELS[usage.family]} | {_md(usage.label)} | {usage.count} | "
            f"{_md(_apis(usage.apis))} |"
        )
    out += ["", "### Porting effort", ""]
    for plan in report.plans:
        out += [f"#### {_md(plan_line(plan))}", ""]
        for item in plan.items:
            if item.effort is Effort.NONE:
                continue
            lines, more = _locations(item.locations, limit)
            where = ", ".join(_code(line) for line in lines) + (f" and {more} more" if more else "")
            source = f" ([source]({item.source}))" if item.source else ""
            out.append(
                f"- **{item.effort.value}** {_md(_apis(item.apis))}: {_md(item.how)}{source} "
                f"at {where}"
            )
        out.append("")
    if report.problems:
        out += ["### Files not read", ""]
        out.extend(f"- {_code(str(problem))}" for problem in report.problems)
        out.append("")
    return "\n".join(out)
