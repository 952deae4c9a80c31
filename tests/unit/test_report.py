"""Text and Markdown reports: complete, and user-supplied names never become Markdown."""

from __future__ import annotations

import dataclasses
import html as htmllib
import re

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from advisor import Answers, Flip, Runtime, recommend
from advisor.answers import Experience
from advisor.decisions import DecisionKind
from advisor.engine import Knowledge
from advisor.report import (
    escape_link_text,
    escape_markdown,
    format_effect,
    to_markdown,
    to_text,
)
from advisor.rules.model import Effect

HOSTILE = (
    "[click](https://evil.example/x)",
    "![img](https://evil.example/i.png)",
    "<script>alert(1)</script>",
    "a|b",
    "*bold* _em_ `code`",
)
UNESCAPED_LINK = re.compile(r"(?<!\\)\[(?P<text>(?:[^\]\\]|\\.)*)(?<!\\)\]\((?P<url>[^)]*)\)")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def hostile_recommendation(knowledge: Knowledge) -> tuple[Answers, str]:
    answer = Answers(deps=(*HOSTILE, "asyncpg"), exp_trio=Experience.EXPERT)
    rec = recommend(answer, knowledge)
    hostile_flip = Flip(
        param="deps",
        change=f"without {answer.deps[0]}",
        verdict=Runtime.TRIO,
        query=answer.to_query(),
    )
    rec = dataclasses.replace(rec, flips=(*rec.flips, hostile_flip))
    return answer, to_markdown(rec, link="https://advisor.example/?v=1")


def test_markdown_escapes_dependency_names(knowledge: Knowledge) -> None:
    """A dependency name shows as literal text: brackets, angle brackets, pipes are escaped."""
    answer, markdown = hostile_recommendation(knowledge)
    for name in answer.deps:
        if name != "asyncpg":
            assert escape_markdown(name) in markdown, name
    assert "<script>" not in markdown
    assert "](https://evil" not in markdown.replace("\\]\\(", "")


def test_markdown_links_come_only_from_the_report_itself(knowledge: Knowledge) -> None:
    """Every link in the export points at a rule source, catalog evidence or the share link."""
    _, markdown = hostile_recommendation(knowledge)
    allowed = {r.source for r in knowledge.rules.rules} | {
        b.source for b in knowledge.rules.blockers
    }
    allowed |= {lib.evidence for lib in knowledge.catalog.libraries}
    allowed.add("https://advisor.example/?v=1")
    links = [m.group("url") for m in UNESCAPED_LINK.finditer(markdown)]
    assert links
    assert [url for url in links if url not in allowed] == []
    assert "evil" not in "".join(links)


def test_markdown_dependency_table_keeps_its_columns(knowledge: Knowledge) -> None:
    """A '|' in a name cannot add a column to the dependency table."""
    answer, markdown = hostile_recommendation(knowledge)
    table = markdown.split("### Dependencies", 1)[1].strip().splitlines()
    rows = table[2:]
    assert len(rows) == len(answer.deps)
    for row in rows:
        assert len(UNESCAPED_PIPE.findall(row)) == 5, row


def test_flip_change_text_is_escaped(knowledge: Knowledge) -> None:
    """A flip naming a dependency shows the name escaped, never as a link."""
    answer, markdown = hostile_recommendation(knowledge)
    flips = markdown.split("### What would change this", 1)[1].split("###", 1)[0]
    assert escape_markdown(f"without {answer.deps[0]}") in flips
    assert answer.deps[0] not in flips
    assert not UNESCAPED_LINK.search(flips)


def test_escape_markdown_escapes_every_metacharacter() -> None:
    """Each character that starts markup anywhere gets a backslash; prose is unchanged, so
    an exported .md file reads as plain text."""
    special = "\\`*_{}[]<>#|~$&@"
    assert escape_markdown(special) == "".join("\\" + c for c in special)
    prose = (
        "Build on asyncio: it is the clear choice (Trio is ruled out by asyncpg's loop); "
        'Python 3.12, 100 to 10,000 tasks. Don\'t "guess" - check!'
    )
    assert escape_markdown(prose) == prose
    assert escape_markdown("- a\n+ b\n12. c\n3) d\n===") == "\\- a\n\\+ b\n12\\. c\n3\\) d\n\\==="


_MARKUP_TAGS = re.compile(r"<(?!/?(p|br)\b)[a-z]", re.IGNORECASE)


_MARKUP_PIECES = (
    *("www.example.com", "main.py", "http://x.org/a", "https://y.io", "a@b.org", "mailto:c@d.io"),
    *("- ", "+ ", "* ", "1. ", "2) ", "===", "---", "***", "___", "# h", "> q", "    "),
    *("*a*", "_b_", "**c**", "`d`", "~~s~~", "| a | b |", "|---|", "[x](y)", "![i](j)"),
    *("<b>", "<http://z.org>", "&amp;", "&#60;", "\\", ":smile:", ":red[x]", "$x$"),
    *(" ", "word", "3.12", "e.g.", "x.", "(p)", "it's", '"q"', "!", "\t"),
)
"""Pieces of every kind of Markdown markup (and prose around it), for building hostile text."""


@given(
    st.lists(st.lists(st.sampled_from(_MARKUP_PIECES), max_size=6).map("".join), max_size=4).map(
        "\n".join
    )
)
def test_escaped_text_renders_as_itself_in_a_gfm_renderer(text: str) -> None:
    """Rendered by a CommonMark + GFM renderer that also links bare domains (markdown-it's
    gfm-like preset with linkify, as wikis use), escaped text yields no markup at all (no
    link, emphasis, code, heading, list, quote, table, rule, HTML or entity) and shows every
    character of the original."""
    text = "\n".join(line.lstrip(" \t") for line in text.split("\n"))  # no indented code
    html = MarkdownIt("gfm-like").render(escape_markdown(text))
    assert not _MARKUP_TAGS.search(html), (text, html)
    shown = htmllib.unescape(re.sub(r"<[^>]*>", "", html))
    assert shown.split() == text.split(), (text, html)  # the same words, every character kept


def test_text_report_holds_verdict_reasons_blockers_and_dependencies(knowledge: Knowledge) -> None:
    """The terminal report states the verdict, each reason with its source, blockers and deps."""
    answer = Answers(deps=("asyncpg", "unknown-xyz"))
    rec = recommend(answer, knowledge)
    text = to_text(rec)
    assert text.startswith(f"Verdict: {rec.verdict.value} ({rec.certainty.value}")
    assert f"?{answer.to_query()}" in text
    for reason in rec.reasons:
        assert reason.rule_id in text
        assert reason.source in text
    assert rec.blockers
    for blocker in rec.blockers:
        assert blocker.evidence in text
    assert "unknown-xyz: unknown" in text


def test_an_effect_is_named_by_its_decisions_options() -> None:
    """A loop rule reads as votes for an event loop; an API rule as a vote for the native
    API or AnyIO (not as "asyncio +2, Trio +2", which reads as two votes)."""
    loop = Effect(decision=DecisionKind.LOOP, asyncio=4, trio=-1)
    api = Effect(decision=DecisionKind.API, native=2)
    assert format_effect(loop) == "asyncio loop +4, Trio loop -1"
    assert format_effect(api) == "native API +2"
    assert format_effect(Effect(decision=DecisionKind.API, anyio=0.5)) == "AnyIO +0.5"


@given(st.lists(st.sampled_from(_MARKUP_PIECES), max_size=6).map("".join))
def test_a_link_text_renders_as_itself_inside_its_one_link(text: str) -> None:
    """A link's text is escaped only where markup can still form inside a link, and renders
    as one link showing every character (URL labels keep their dots, colons and #)."""
    text = " ".join(text.split())  # link text is one line
    html = MarkdownIt("gfm-like").render(f"[{escape_link_text(text)}](https://example.org/x)")
    tags = re.findall(r"<(/?[a-z]+)", html)
    assert tags.count("a") == 1, (text, html)
    assert set(tags) <= {"p", "/p", "a", "/a"}, (text, html)
    shown = htmllib.unescape(re.sub(r"<[^>]*>", "", html))
    assert shown.split() == text.split(), (text, html)
    assert escape_link_text("trio.readthedocs.io/en/stable/design.html#x") == (
        "trio.readthedocs.io/en/stable/design.html#x"
    )
