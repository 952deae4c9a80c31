"""The page's words, the reports and the charts: truthful headline, plain flips, reports that
carry the answers and both decisions, benchmark charts in words with provenance."""

from __future__ import annotations

import dataclasses
import html.parser
import json
from pathlib import Path

import pandas as pd

from advisor import Answers, Flip, Runtime, recommend
from advisor.benchmarks import load_results, summarize
from advisor.charts import (
    BASELINE_LABEL,
    ERROR_BAR_NOTE,
    build_reasons_chart,
    build_speedup_chart,
    describe_case,
    format_quantity,
)
from advisor.engine import Knowledge
from advisor.exports import chart_png, chart_svg, to_html
from advisor.recommendation import Certainty, Decision, Recommendation, Scores
from advisor.report import escape_markdown, to_markdown, to_text
from advisor.wording import (
    HeadlineKind,
    answer_lines,
    decision_lines,
    flip_sentence,
    headline,
    https_url,
    link_label,
)

ROOT = Path(__file__).resolve().parents[2]


def _with(rec: Recommendation, **changes: object) -> Recommendation:
    return dataclasses.replace(rec, **changes)  # type: ignore[arg-type]


def test_headline_calls_a_tie_a_tie(knowledge: Knowledge) -> None:
    """Equal top scores among allowed runtimes: both named, the word 'tie', grade toss-up."""
    rec = _with(
        recommend(Answers(), knowledge),
        verdict=Runtime.ANYIO,
        scores=Scores(asyncio=2.0, trio=1.0, anyio=2.0),
        blocked=frozenset(),
    )
    head = headline(rec)
    assert head.kind is HeadlineKind.TIE
    assert head.title == "AnyIO or asyncio: a tie"
    assert head.grade == "toss-up"


def test_headline_never_names_a_ruled_out_runtime(knowledge: Knowledge) -> None:
    """With every runtime ruled out the title names none; otherwise the top allowed one."""
    rec = recommend(Answers(), knowledge)
    none = _with(rec, blocked=frozenset(Runtime))
    assert headline(none).kind is HeadlineKind.NONE_RUNS_ALL
    assert headline(none).runtimes == ()
    lower = _with(
        rec,
        verdict=Runtime.TRIO,
        scores=Scores(asyncio=5.0, trio=1.0, anyio=0.0),
        blocked=frozenset({Runtime.ASYNCIO}),
    )
    assert headline(lower).title == "Trio"
    wrong = _with(lower, verdict=Runtime.ANYIO)
    assert headline(wrong).title == "Trio", "the heading followed a lower-scored verdict"


def test_decision_lines_name_both_decisions_with_grades(knowledge: Knowledge) -> None:
    """Loop and API decisions read 'Event loop: asyncio on uvloop (clear): ...'."""
    rec = _with(
        recommend(Answers(), knowledge),
        loop=Decision(choice="asyncio", grade=Certainty.CLEAR, reason="asyncpg", uvloop=True),
        api=Decision(choice="anyio", grade=Certainty.LEAN, reason="portable"),
    )
    assert decision_lines(rec) == [
        "Event loop: asyncio on uvloop (clear): asyncpg",
        "Your code: AnyIO (lean): portable",
    ]


def test_flip_sentence_never_shows_raw_parameters() -> None:
    """Without a model sentence, a flip is still written in the questionnaire's words."""
    flip = Flip(param="exp_trio", change="exp_trio=2", verdict=Runtime.TRIO, query="v=1&exp_trio=2")
    sentence = flip_sentence(flip)
    assert "exp_trio" not in sentence
    assert "Team's Trio experience" in sentence
    assert "Experienced" in sentence
    assert sentence.endswith("the verdict would be Trio")
    given = dataclasses.replace(flip, sentence="If your team knew Trio, the verdict would be Trio")
    assert flip_sentence(given) == given.sentence


def test_only_https_urls_become_links() -> None:
    """http, javascript and whitespace-laden URLs are refused; a label drops the scheme."""
    assert https_url("https://docs.python.org/3/library/asyncio-task.html") is not None
    for bad in ("http://x.org", "javascript:alert(1)", "https://", "https://a b", None, ""):
        assert https_url(bad) is None, bad
    assert link_label("https://www.example.org/a/b/") == "example.org/a/b"


def test_escaped_markdown_cannot_autolink() -> None:
    """Colons, @ and $ are escaped so no bare URL, e-mail, emoji code or maths renders."""
    assert escape_markdown("http://evil.example") == "http\\://evil\\.example"
    assert escape_markdown("www.example.org main.py") == "www\\.example\\.org main\\.py"
    assert escape_markdown(":smile: :red[x]") == "\\:smile: \\:red\\[x\\]"
    assert "\\@" in escape_markdown("a@b.c")
    assert escape_markdown("$x$") == "\\$x\\$"


def test_text_report_uses_the_page_names_and_states_applied_pins(knowledge: Knowledge) -> None:
    """The CLI text writes AnyIO/Trio as the page does and flags pins the query cannot carry."""
    rec = recommend(Answers(deps=("httpx", "asyncpg"), kind="library"), knowledge)  # type: ignore[arg-type]
    text = to_text(rec, pinned=("asyncpg",))
    first = text.splitlines()[0]
    assert first.startswith("Verdict: ")
    assert "anyio" not in first
    assert "trio" not in first
    assert "Trio=" in text
    answers_line = next(line for line in text.splitlines() if line.startswith("Answers: "))
    assert "asyncpg" in answers_line
    assert "pins" in answers_line
    assert "pins" not in to_text(rec)


def test_markdown_report_carries_answers_flips_blockers_and_charts(knowledge: Knowledge) -> None:
    """The wiki export holds every answer in words, the flips as sentences, one row per blocker
    and the charts as images."""
    rec = recommend(Answers.from_query("deps=asyncpg,redis,uvicorn&workload=server"), knowledge)
    chart = build_reasons_chart(rec, ["Async Advisor, answers: ?v=1"])
    markdown = to_markdown(rec, "https://advisor.example/?v=1", [("Reasons", chart_png(chart))])
    for line in answer_lines(rec.answers):
        assert escape_markdown(line) in markdown
    for flip in rec.flips:
        assert escape_markdown(flip_sentence(flip)) in markdown
    blockers = markdown.split("### Blockers", 1)[1].split("###", 1)[0]
    rows = [row for row in blockers.splitlines() if row.startswith("| `")]
    assert len(rows) == len({b.dependency for b in rec.blockers})
    assert "![Reasons](data:image/png;base64," in markdown


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)


def test_html_report_carries_answers_flips_and_chart_provenance(knowledge: Knowledge) -> None:
    """The HTML export states the answers, the flips, and each chart's provenance."""
    rec = recommend(Answers.from_query("deps=httpx&kind=library"), knowledge)
    chart = build_reasons_chart(rec, ["Async Advisor, answers: ?v=1&deps=httpx&kind=library"])
    document = to_html(rec, [("Reasons", chart)], "https://advisor.example/?v=1")
    parser = _Text()
    parser.feed(document)
    text = " ".join(parser.chunks)
    for line in answer_lines(rec.answers):
        assert line in text
    assert rec.flips
    for flip in rec.flips:
        assert flip_sentence(flip) in text
    assert "answers: ?v=1&deps=httpx&kind=library" in text


def test_benchmark_labels_are_words_with_units() -> None:
    """Case ids and absolute values read as words and units."""
    assert describe_case("conns=100,size=65536") == "100 connections, 64 KiB messages"
    assert format_quantity(92877.4, "ops/s") == "92.9k/s"
    assert format_quantity(1644.7, "us") == "1.64 ms"
    assert format_quantity(0.0123, "s") == "12.3 ms"
    assert format_quantity(1536, "bytes") == "1.5 KiB"


def test_speedup_chart_explains_itself_and_fits_its_data() -> None:
    """Rows in words with absolute values, the baseline in the legend, the bars explained, the
    provenance in the subtitle, and a log axis that spans the data, not decades around it."""
    summary = summarize(load_results(ROOT / "data" / "benchmarks"))
    rows = summary[(summary["workload"] == "tcp_echo") & (summary["runtime"] != "asyncio")]
    rows = rows[rows["metric"].isin(["round_trips_per_s", "latency_p99"])]
    baseline = summary[(summary["workload"] == "tcp_echo") & (summary["runtime"] == "asyncio")]
    chart = build_speedup_chart(rows, "TCP echo", baseline=baseline, provenance=["Measured X"])
    spec = chart.to_dict()
    subtitle = spec["title"]["subtitle"]
    assert ERROR_BAR_NOTE in subtitle
    assert "Measured X" in subtitle
    data = pd.DataFrame(next(iter(spec["datasets"].values())))
    assert not data["measure_text"].str.contains("conns=|size=|_p99").any()
    assert data["measure_text"].str.contains(r"\d connections?, ").all()
    assert data["measure_text"].str.contains(r"\(asyncio ").all()
    assert data["label"].str.contains("x\\)").all()
    encoded = json.dumps(spec)
    assert BASELINE_LABEL in encoded
    low, high = spec["layer"][1]["encoding"]["x"]["scale"]["domain"]
    assert low >= rows["speedup_low"].min() / 2
    assert high <= rows["speedup_high"].max() * 2
    assert "Measured X" in chart_svg(chart)


def test_assumed_answers_are_worded_for_questions_that_end_in_a_question_mark() -> None:
    """The compact assumed list works for every question, including 'Is ...?' ones."""
    from advisor.wording import assumed_words, describe_answer

    rec = recommend(Answers.from_query("deps=trio-websocket,httpx&exp_trio=2"))
    assert "perf" in rec.assumed
    words = assumed_words(rec, short=True)
    assert any(w.endswith("Normal") for w in words)
    assert describe_answer(rec.answers, "perf").endswith("? Normal")
