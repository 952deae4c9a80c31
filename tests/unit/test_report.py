"""Text and Markdown reports: complete, and user-supplied names never become Markdown."""

from __future__ import annotations

import dataclasses
import re

from advisor import Answers, Flip, Runtime, recommend
from advisor.answers import Experience
from advisor.decisions import DecisionKind
from advisor.engine import Knowledge
from advisor.report import escape_markdown, format_effect, to_markdown, to_text
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
    """Each Markdown metacharacter gets a backslash; other text is unchanged."""
    special = "\\`*_{}[]()<>#+-.!|~"
    assert escape_markdown(special) == "".join("\\" + c for c in special)
    assert escape_markdown("plain words 123") == "plain words 123"


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
