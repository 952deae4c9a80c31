"""AppTest tests of the page as a decision record: truthful headline, explained confidence,
URL changes read, the cancel question, grouped blockers, links only from https URLs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Element

from advisor import Answers, recommend
from advisor.rules.model import Runtime
from advisor.ui.share import EXPORT_FOLD_KEY
from advisor.wording import (
    CATALOG_CONFIDENCE_MEANINGS,
    GRADE_MEANINGS,
    RUNTIME_LABELS,
    SUPPORT_MEANINGS,
    assumed_words,
    decision_lines,
    headline,
)

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")

HEAVY = "v=1&deps=aiobotocore,aiohttp,asyncpg,fastapi,redis,uvicorn&workload=server"


def _app(query: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for part in (query or "").split("&"):
        if part:
            key, _, value = part.partition("=")
            at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _heading(at: AppTest) -> str:
    headings = [m.value for m in at.markdown if m.value.startswith("## ")]
    assert headings, "no verdict heading rendered"
    return headings[0].removeprefix("## ")


def _title(query: str) -> str:
    return headline(recommend(Answers.from_query(query))).title


def _plain(markdown: str) -> str:
    return markdown.replace("\\", "")


def _walk(node: Block | Element) -> Iterator[Block | Element]:
    yield node
    if isinstance(node, Block):
        for child in node.children.values():
            yield from _walk(child)


def test_heading_says_when_no_runtime_runs_every_dependency() -> None:
    """uvicorn needs asyncio and trio-websocket needs Trio: the heading names no runtime."""
    query = "v=1&deps=uvicorn,trio-websocket"
    rec = recommend(Answers.from_query(query))
    assert set(rec.blocked) >= {Runtime.ASYNCIO, Runtime.TRIO}
    at = _app(query)
    assert not at.exception
    heading = _heading(at)
    assert heading.startswith("No runtime runs every dependency")
    assert not any(label in heading for label in RUNTIME_LABELS.values())
    verdict = " ".join(_plain(m.value) for m in at.markdown)
    assert "trio-websocket" in verdict
    assert "uvicorn" in verdict


def test_heading_never_names_a_ruled_out_or_lower_scored_runtime() -> None:
    """Across varied projects the big word is an allowed runtime with the top score."""
    queries = [
        "v=1&deps=httpx",
        "v=1&deps=httpx&kind=library",
        "v=1&deps=trio-websocket,httpx&exp_trio=2",
        HEAVY,
        "v=1&deps=anyio,trio,httpx&kind=library",
        "v=1&workload=cli&python=3.9",
        "v=1&deps=httpx,hypercorn&exp_trio=2&exp_asyncio=2",
        "v=1&exp_asyncio=0&codebase=sync",
    ]
    for query in queries:
        rec = recommend(Answers.from_query(query))
        allowed = [r for r in Runtime if r not in rec.blocked]
        top = max(rec.scores.of(r) for r in allowed)
        heading = _heading(_app(query))
        named = [r for r in Runtime if heading.startswith(RUNTIME_LABELS[r])]
        assert len(named) == 1, (query, heading)
        assert named[0] in allowed, (query, heading)
        assert rec.scores.of(named[0]) == top, (query, heading)
        ties = [r for r in allowed if rec.scores.of(r) == top]
        if len(ties) > 1:
            assert "a tie" in heading, (query, heading)
            assert all(RUNTIME_LABELS[r] in heading for r in ties), (query, heading)
        else:
            assert "tie" not in heading, (query, heading)


def test_verdict_box_explains_the_grade_and_both_decisions() -> None:
    """The verdict box shows both decisions, the grade's reason, the assumed answers and the
    question that would firm the verdict up; the legend explains grades and codes."""
    query = "v=1&deps=httpx&exp_asyncio=2&kind=library"
    rec = recommend(Answers.from_query(query))
    assert rec.loop
    assert rec.api
    assert rec.confidence_reason
    assert rec.assumed
    assert rec.firm_up
    at = _app(query)
    shown = [part for m in at.markdown for part in _plain(m.value).split("\n\n")]
    lines = decision_lines(rec)
    assert lines[0].startswith("Event loop: ")
    assert lines[1].startswith("Your code: ")
    for line in lines:
        assert f"- {line}" in shown
    assert any(rec.confidence_reason in text and text.startswith("**Why") for text in shown)
    for words in assumed_words(rec):
        assert any(text.startswith("**Assumed") and words in text for text in shown), words
    assert any(text.startswith("**To firm this up") and rec.firm_up in text for text in shown)
    legend = " ".join(shown)
    for code in (*GRADE_MEANINGS, *SUPPORT_MEANINGS, *CATALOG_CONFIDENCE_MEANINGS):
        assert f"**{code}**" in legend, f"the legend does not explain {code!r}"


def test_a_changed_url_is_read_again_in_the_same_session() -> None:
    """Back/forward or a link opened in the same tab: the new query sets widgets and verdict."""
    first, second = "v=1&deps=httpx&exp_asyncio=2", "v=1&deps=httpx&exp_asyncio=2&kind=library"
    assert _title(first) != _title(second)
    at = _app(first)
    assert _heading(at).startswith(_title(first))
    at.query_params.clear()
    for part in (second + "&scale=huge").split("&"):
        key, _, value = part.partition("=")
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert at.radio(key="kind").value == "library"
    assert _heading(at).startswith(_title(second))
    notice = " ".join(t.value for t in at.text)
    assert "scale=huge" in notice, "the new link's notices are not shown"
    # A widget change afterwards wins over the URL it came from, and is written back.
    at.radio(key="team").set_value("large").run()
    assert at.radio(key="kind").value == "library"
    assert at.query_params["team"] in ("large", ["large"])


def test_cancel_question_reads_and_writes_the_link() -> None:
    """The cancel question is asked, filled from `cancel=critical`, and written to the link."""
    at = _app("v=1&deps=httpx&cancel=critical")
    radio = at.radio(key="cancel")
    assert radio.value == "critical"
    assert "orphaned tasks" in (radio.help or "")
    radio.set_value("normal").run()
    assert "cancel" not in at.query_params  # the default is left out of the canonical link
    at.radio(key="cancel").set_value("critical").run()
    assert at.query_params["cancel"] in ("critical", ["critical"])


def test_dependency_box_adds_one_match_and_keeps_new_names() -> None:
    """The dependency box offers no "select all matches" on Enter and accepts unknown names."""
    at = _app("v=1&deps=our-internal-client")
    box = at.multiselect(key="deps")
    assert box.proto.select_all == 0
    assert box.proto.accept_new_options
    assert box.value == ["our-internal-client"]


def test_blockers_are_one_box_with_one_row_per_dependency() -> None:
    """Many blockers: one box, one row per dependency, each shared 'unless' sentence once."""
    rec = recommend(Answers.from_query(HEAVY))
    at = _app(HEAVY)
    assert not at.error, "blockers must not be a stack of red boxes"
    frames = [df.value for df in at.dataframe if "rules out" in df.value.columns]
    assert len(frames) == 1
    assert sorted(frames[0]["dependency"]) == sorted({b.dependency for b in rec.blockers})
    unless = [line for c in at.caption for line in c.value.split("  \n") if "unless" in line]
    assert len(unless) == len({(b.runtime, b.unless) for b in rec.blockers if b.unless})


def test_share_link_and_exports_come_right_after_the_verdict() -> None:
    """The share link sits between the verdict and the first explanation section."""
    at = _app(HEAVY)
    order: list[str] = []
    for node in _walk(at.main):
        if node.type == "markdown" and str(getattr(node, "value", "")).startswith("## "):
            order.append("verdict")
        elif node.type == "code" and "?v=1" in str(getattr(node, "value", "")):
            order.append("share")
        elif node.type == "subheader" or (
            node.type == "markdown" and "#### Ruled out" in str(getattr(node, "value", ""))
        ):
            order.append("section")
    assert order.index("verdict") < order.index("share") < order.index("section")
    at.session_state[EXPORT_FOLD_KEY] = True  # the exports sit in the fold under the link
    at.run()
    labels = {button.label for button in at.download_button}
    assert {"Markdown", "HTML report"} <= labels


def test_data_text_is_never_markup_and_links_are_https() -> None:
    """Catalog notes, rationales and sources reach the page as table cells or escaped text."""
    at = _app(HEAVY)
    at.session_state["reasons_fold"] = True
    at.session_state["dependencies_fold"] = True
    at.run()
    assert len(at.dataframe) == 3
    for element in at.markdown:
        assert "://" not in element.value, f"a URL in Markdown: {element.value[:80]}"
        assert "](" not in element.value, f"a Markdown link: {element.value[:80]}"
    linked = 0
    for frame in (df.value for df in at.dataframe):
        for column in ("source", "evidence"):
            if column in frame.columns:
                for url in frame[column]:
                    assert url == "" or str(url).startswith("https://"), url
                    linked += bool(url)
    assert linked > 0


def test_long_tables_are_folded_and_built_only_when_opened() -> None:
    """The reasons and (long) dependency tables start folded and are sent only once opened."""
    at = _app(HEAVY)
    expanders: list[Any] = list(at.expander)
    labels = [e.label for e in expanders]
    assert any(label.startswith("All ") and "reasons" in label for label in labels)
    deps = next(e for e in expanders if e.label.startswith("Support of each dependency"))
    assert not deps.proto.expanded
    assert len(at.dataframe) == 1  # only the blockers table
    at.session_state["dependencies_fold"] = True
    at.run()
    assert len(at.dataframe) == 2
    assert "checked" in at.dataframe[1].value.columns
