"""Exports for wikis and scripts: JSON, a standalone HTML report, and charts as PNG or SVG.

Charts are rendered to SVG by vl-convert (no browser, no network), and the HTML report inlines
them, so it opens offline and can be attached to a wiki page as one file. Everything that came
from the user is HTML-escaped.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

import vl_convert as vlc

from advisor.recommendation import Recommendation
from advisor.report import (
    blocker_rows,
    format_effect,
    shared_unless,
    summary_lines,
    title_line,
    verdict_sentence,
)
from advisor.rules.model import Runtime
from advisor.wording import RUNTIME_LABELS, answer_lines, flip_sentence, https_url, link_label

STATIC_WIDTH = 640
"""Charts are drawn for the page's container width; a file needs a fixed one."""


def static_spec(chart: Any) -> dict[str, Any]:
    """The chart's Vega-Lite spec with a fixed width, ready for offline rendering."""
    spec: dict[str, Any] = chart.to_dict()
    if spec.get("width") == "container":
        spec["width"] = STATIC_WIDTH
    return spec


def chart_svg(chart: Any) -> str:
    """The chart as an SVG document."""
    return str(vlc.vegalite_to_svg(static_spec(chart)))


def chart_png(chart: Any, scale: float = 2.0) -> bytes:
    """The chart as a PNG image (2x scale by default, for sharp wiki screenshots)."""
    return bytes(vlc.vegalite_to_png(static_spec(chart), scale=scale))


def to_json(rec: Recommendation) -> str:
    """The Recommendation as pretty JSON."""
    return json.dumps(rec.to_dict(), indent=2)


_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #1f2933; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { border: 1px solid #d0d7de; padding: 0.35rem 0.5rem; text-align: left;
         vertical-align: top; }
.verdict { font-size: 1.15rem; padding: 0.8rem 1rem; background: #eef6ee; border-radius: 6px; }
figure { margin: 1.5rem 0; } figcaption { font-size: 0.85rem; color: #52606d; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(url: str | None, text: str) -> str:
    safe = https_url(url)
    if safe is None:
        return _e(text)
    return f'<a href="{_e(safe)}">{_e(text)}</a>'


def to_html(
    rec: Recommendation,
    charts: Sequence[tuple[str, Any]],
    link: str | None = None,
    caption: str | None = None,
) -> str:
    """A standalone HTML report: the verdict with both decisions and their grades, the answers,
    the blockers, the reasons with their sources, the flips, the dependencies, and the charts
    (each inlined as SVG with its provenance in its subtitle)."""
    title = title_line(rec)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Async Advisor: {_e(title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Async Advisor: {_e(title)}</h1>",
        f'<div class="verdict"><p>{_e(verdict_sentence(rec))}</p><ul>',
        *(f"<li>{_e(line)}</li>" for line in summary_lines(rec)),
        "</ul></div>",
    ]
    if link:
        parts.append(f'<p><a href="{_e(link)}">Open this recommendation in Async Advisor</a></p>')
    parts.append("<h2>Your answers</h2><ul>")
    parts += [f"<li>{_e(line)}</li>" for line in answer_lines(rec.answers)]
    parts.append(f"</ul><p>Share-link query: <code>{_e(rec.answers.to_query())}</code></p>")
    parts.append("<table><tr><th>runtime</th><th>score</th></tr>")
    parts += [
        f"<tr><td>{_e(RUNTIME_LABELS[r])}</td><td>{rec.scores.of(r):.1f}</td></tr>" for r in Runtime
    ]
    parts.append("</table>")
    if rec.blockers:
        parts.append("<h2>Blockers</h2><table><tr><th>dependency</th><th>rules out</th>")
        parts.append("<th>note</th><th>evidence</th></tr>")
        for name, runtimes, chain, note, evidence in blocker_rows(rec):
            via = f" (via {chain})" if chain else ""
            parts.append(
                f"<tr><td><code>{_e(name)}</code>{_e(via)}</td><td>{_e(runtimes)}</td>"
                f"<td>{_e(note)}</td><td>{_link(evidence, link_label(evidence))}</td></tr>"
            )
        parts.append("</table>")
        parts += [f"<p>{_e(line)}</p>" for line in shared_unless(rec)]
    parts.append("<h2>Reasons</h2>")
    parts.append("<table><tr><th>effect</th><th>reason</th><th>source</th></tr>")
    for reason in rec.reasons:
        parts.append(
            f"<tr><td>{_e(format_effect(reason.effect))}</td>"
            f"<td><strong>{_e(reason.title)}</strong>: {_e(reason.rationale)}"
            f"<br><code>{_e(reason.condition)}</code> ({_e(reason.rule_id)})</td>"
            f"<td>{_link(reason.source, link_label(reason.source))}</td></tr>"
        )
    parts.append("</table>")
    if rec.flips:
        parts.append("<h2>What would change this</h2><ul>")
        parts += [
            f"<li>{_e(flip_sentence(flip))} <small>(<code>?{_e(flip.query)}</code>)</small></li>"
            for flip in rec.flips
        ]
        parts.append("</ul>")
    if rec.dependencies:
        parts.append("<h2>Dependencies</h2><table><tr><th>dependency</th><th>asyncio</th>")
        parts.append("<th>Trio</th><th>checked</th><th>note</th></tr>")
        for dep in rec.dependencies:
            checked = (
                _link(
                    dep.evidence,
                    f"{dep.checked_version} on {dep.checked_on} ({dep.confidence} confidence)",
                )
                if dep.known
                else "not in the catalog"
            )
            parts.append(
                f"<tr><td>{_e(dep.name)}</td><td>{_e(dep.asyncio)}</td><td>{_e(dep.trio)}</td>"
                f"<td>{checked}</td><td>{_e(dep.note)}</td></tr>"
            )
        parts.append("</table>")
    if charts:
        parts.append("<h2>Charts</h2>")
        for chart_title, chart in charts:
            parts.append(f'<figure data-chart="{_e(chart_title)}">{chart_svg(chart)}')
            parts.append(f"<figcaption>{_e(chart_title)}</figcaption></figure>")
    if caption:
        parts.append(f"<p><small>{_e(caption)}</small></p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
