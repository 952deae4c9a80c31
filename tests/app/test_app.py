"""AppTest tests of the Streamlit app: widgets and links in, verdict and evidence out."""

from __future__ import annotations

import html.parser
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from advisor import Answers, recommend
from advisor.benchmarks import WORKLOADS, load_results, summarize
from advisor.benchmarks.figures import describe_figure, figures
from advisor.evidence import load_evidence_guide
from advisor.exports import chart_png, chart_svg, to_html, to_json
from advisor.report import RUNTIME_LABELS
from advisor.ui.share import EXPORT_FOLD_KEY, report_charts
from advisor.wording import flip_sentence, headline

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def _app(query: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if query:
        at.query_params.update(_pairs(query))
    return at.run()


def _pairs(query: str) -> dict[str, str | list[str]]:
    result: dict[str, str | list[str]] = {}
    for part in query.split("&"):
        key, _, value = part.partition("=")
        if key in result:
            existing = result[key]
            result[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            result[key] = value
    return result


def _verdict_heading(at: AppTest) -> str:
    headings = [m.value for m in at.markdown if m.value.startswith("## ")]
    assert headings, "no verdict heading rendered"
    return headings[0]


def _expected_label(query: str) -> str:
    return headline(recommend(Answers.from_query(query))).title


def test_empty_page_shows_a_welcome_not_a_verdict() -> None:
    """With nothing answered the page welcomes and offers examples instead of a verdict."""
    at = _app()
    assert not at.exception
    assert not [m.value for m in at.markdown if m.value.startswith("## ")]
    labels = [b.label for b in at.button]
    assert "A FastAPI service on PostgreSQL and Redis" in labels
    assert "Show the verdict for the default answers" in labels
    at.button(key="decide_defaults").click().run()
    assert _verdict_heading(at).startswith("## " + _expected_label("v=1"))
    assert at.get("vega_lite_chart"), "the reasons chart is missing"


def test_welcome_example_opens_in_place() -> None:
    """An example button fills the questionnaire and shows that example's verdict."""
    from advisor.ui.welcome import EXAMPLES

    _title, query = EXAMPLES[0]
    at = _app()
    at.button(key="example_0").click().run()
    assert not at.exception
    assert at.multiselect(key="deps").value == list(Answers.from_query(query).deps)
    assert _verdict_heading(at).startswith("## " + _expected_label(query))
    assert Answers.from_query(_query_of(at)) == Answers.from_query(query)


def test_widgets_change_the_verdict() -> None:
    """Choosing 'a library others import' changes the verdict to that link's verdict."""
    before, after = "v=1&deps=httpx&exp_asyncio=2", "v=1&deps=httpx&exp_asyncio=2&kind=library"
    assert _expected_label(before) != _expected_label(after)
    at = _app(before)
    assert _verdict_heading(at).startswith("## " + _expected_label(before))
    at.radio(key="kind").set_value("library").run()
    assert not at.exception
    assert _verdict_heading(at).startswith("## " + _expected_label(after))
    assert at.query_params["kind"] == ["library"] or at.query_params["kind"] == "library"


def test_share_link_sets_widgets_and_verdict() -> None:
    """Opening a share link puts every answer in its widget and shows that link's verdict."""
    query = (
        "v=1&deps=asyncpg,fastapi,uvicorn&workload=server,client&scale=large"
        "&exp_asyncio=2&team=large"
    )
    at = _app(query)
    assert not at.exception
    assert at.multiselect(key="deps").value == ["asyncpg", "fastapi", "uvicorn"]
    assert at.multiselect(key="workload").value == ["server", "client"]
    assert at.radio(key="scale").value == "large"
    assert at.select_slider(key="exp_asyncio").value == 2
    assert at.radio(key="team").value == "large"
    assert _verdict_heading(at).startswith("## " + _expected_label(query))
    blockers = _blockers_frame(at)
    assert {"asyncpg", "uvicorn"} <= set(blockers["dependency"])


def _blockers_frame(at: AppTest) -> Any:
    frames = [df.value for df in at.dataframe if "rules out" in df.value.columns]
    assert len(frames) == 1, "the blockers are not in one table"
    return frames[0]


def test_repeated_and_comma_separated_deps_both_read() -> None:
    """`deps=a&deps=b` and `deps=a,b` give the same dependencies."""
    repeated = _app("deps=httpx&deps=trio")
    commas = _app("deps=httpx,trio")
    assert repeated.multiselect(key="deps").value == commas.multiselect(key="deps").value
    assert commas.multiselect(key="deps").value == ["httpx", "trio"]


def test_bad_link_keeps_good_answers_and_names_the_bad_parameter() -> None:
    """A bad value gets one notice naming it and its allowed values; other answers survive."""
    at = _app("v=1&deps=httpx&scale=huge&exp_trio=2&colour=blue")
    assert not at.exception
    notice = " ".join(t.value for t in at.text)
    assert at.warning, "the notice box is missing"
    assert "scale=huge" in notice
    assert "small, medium, large" in notice
    assert "colour" in notice
    assert at.radio(key="scale").value == "medium"
    assert at.select_slider(key="exp_trio").value == 2
    assert at.multiselect(key="deps").value == ["httpx"]


def test_uploaded_requirements_fill_the_dependencies_and_list_bad_lines() -> None:
    """An uploaded requirements.txt adds its names; an unreadable line is listed with its number."""
    at = _app("deps=httpx")
    content = (
        b"# service deps\nasyncpg==0.30.0\nredis[hiredis]>=5 ; python_version >= '3.9'\n"
        b"not a requirement!!\n-r other.txt\n"
    )
    at.file_uploader(key="requirements_file").set_value(
        ("requirements.txt", content, "text/plain")
    ).run()
    assert not at.exception
    assert at.multiselect(key="deps").value == ["asyncpg", "httpx", "redis"]
    listed = " ".join(t.value for t in at.text)
    assert "line 4" in listed
    assert "line 5" in listed
    assert "other.txt" in listed


def test_pasted_pyproject_fills_the_dependencies() -> None:
    """Pasted pyproject.toml: runtime entries are weighed; a test group is listed, not weighed."""
    at = _app()
    at.text_area(key="requirements_text").set_value(
        '[project]\ndependencies = ["anyio>=4", "httpx"]\n'
        '[dependency-groups]\ntest = ["pytest-trio"]\n'
    )
    at.button(key="read_pasted").click().run()
    assert not at.exception
    assert at.multiselect(key="deps").value == ["anyio", "httpx"]
    listed = " ".join(t.value for t in at.text)
    assert "Development tooling, listed but not weighed: pytest-trio" in listed


def test_injection_shaped_names_are_shown_as_text() -> None:
    """Names shaped like HTML or Markdown links are left out and shown escaped, never as markup."""
    at = _app("deps=<img src=x onerror=alert(1)>,[x](http://evil),httpx")
    assert not at.exception
    # Quoted in st.text elements (never Markdown), so the text arrives exactly as typed.
    assert all("http://evil" not in m.value for m in at.markdown)
    assert all("http://evil" not in w.value for w in at.warning)
    notice = " ".join(t.value for t in at.text)
    assert "[x](http://evil)" in notice
    assert "<img src=x onerror=alert(1)>" in notice
    assert at.multiselect(key="deps").value == ["httpx"]


def test_unknown_dependencies_are_kept_and_flagged() -> None:
    """A name the catalog does not know stays in the answers and is flagged as unknown."""
    at = _app("deps=our-internal-client,httpx")
    assert at.multiselect(key="deps").value == ["httpx", "our-internal-client"]
    captions = " ".join(c.value for c in at.caption)
    assert "not in the catalog" in captions
    assert "our-internal-client" in captions


def test_reasons_chart_spec_lists_every_fired_rule() -> None:
    """The chart on the page holds one bar group per reason of the recommendation."""
    query = "deps=asyncpg&workload=server&exp_trio=3&exp_asyncio=0"
    at = _app(query)
    rec = recommend(Answers.from_query(query))
    charts = at.get("vega_lite_chart")
    reasons = next(
        c
        for c in charts
        if _chart_title(json.loads(c.proto.spec)) == "How each rule moved the scores"
    )
    frame = convert_arrow_bytes_to_pandas_df(reasons.proto.datasets[0].data.data)
    assert set(frame["rule_id"]) == {r.rule_id for r in rec.reasons}


def test_flips_are_sentences_applied_in_place_with_a_way_back() -> None:
    """A flip reads as a sentence; Apply switches this session to it; one click goes back."""
    query = "deps=httpx,hypercorn&exp_trio=2&exp_asyncio=2"
    at = _app(query)
    rec = recommend(Answers.from_query(query))
    assert rec.flips, "this scenario should have flips"
    labels = [b.label.replace("\\", "") for b in at.button]
    first = rec.flips[0]
    assert flip_sentence(first) in labels
    assert not any("=" in label and "→" in label for label in labels), "a raw parameter flip"
    at.button(key="flip_0").click().run()
    assert not at.exception
    assert _verdict_heading(at).startswith("## " + RUNTIME_LABELS[first.verdict])
    assert Answers.from_query(_query_of(at)) == Answers.from_query(first.query)
    at.button(key="restore_original").click().run()
    assert _verdict_heading(at).startswith("## " + _expected_label(query))
    assert Answers.from_query(_query_of(at)) == Answers.from_query(query)
    assert "restore_original" not in [b.key for b in at.button]


def _chart_title(spec: dict[str, Any]) -> str:
    title = spec.get("title")
    return str(title.get("text") if isinstance(title, dict) else title)


def _query_of(at: AppTest) -> str:
    """The query the app last wrote to the URL."""
    pairs = []
    for key, value in at.query_params.items():
        pairs.append(f"{key}={value[-1] if isinstance(value, list) else value}")
    return "&".join(pairs)


def test_share_link_and_embed_snippet_are_canonical() -> None:
    """The share code block holds the canonical link; the embed snippet allows clipboard-write."""
    query = "workload=cli&deps=trio,httpx"
    at = _app(query)
    assert not any(c.value.startswith("<iframe") for c in at.code)  # folded: not sent
    at.session_state[EXPORT_FOLD_KEY] = True
    at.run()
    codes = [c.value for c in at.code]
    canonical = Answers.from_query(query).to_query()
    assert any(code.endswith("?" + canonical) for code in codes)
    snippet = next(code for code in codes if code.startswith("<iframe"))
    assert "embed=true" in snippet
    assert 'allow="clipboard-write"' in snippet


def test_export_buttons_are_offered() -> None:
    """Markdown, HTML, JSON, PNG and SVG downloads are in the export fold, sent once opened."""
    at = _app("deps=httpx")
    assert len(at.download_button) == 0
    at.session_state[EXPORT_FOLD_KEY] = True
    at.run()
    labels = {button.label for button in at.download_button}
    assert labels == {"Markdown", "HTML report", "JSON", "Chart PNG", "Chart SVG"}


class _SvgCounter(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.svgs = 0
        self.figures: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            self.svgs += 1
        if tag == "script":
            self.scripts += 1
        if tag == "figure":
            self.figures.append(dict(attrs).get("data-chart") or "")


def test_exports_produce_valid_files() -> None:
    """The HTML export parses and inlines its charts as SVG; PNG is a PNG; JSON parses."""
    rec = recommend(Answers.from_query("deps=asyncpg,<b>x</b>,httpx&workload=server"))
    charts = report_charts(rec)
    assert [title for title, _ in charts][:3] == [
        "How each rule moved the scores",
        "Total scores",
        "An HTTP/1.1 service under open-loop load",
    ]
    document = to_html(rec, charts, "http://127.0.0.1:8501/?v=1")
    parser = _SvgCounter()
    parser.feed(document)
    assert parser.svgs >= len(charts)
    assert parser.figures == [title for title, _ in charts]
    assert parser.scripts == 0, "the offline report must not need JavaScript"
    png = chart_png(charts[0][1])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert chart_svg(charts[0][1]).lstrip().startswith("<svg")
    assert json.loads(to_json(rec))["verdict"] == rec.verdict.value


def test_methodology_page_lists_every_rule_and_the_catalog() -> None:
    """The second page shows one row per rule and one per catalog entry."""
    at = _app()
    at.switch_page("advisor/ui/methodology_page.py").run()
    assert not at.exception
    from advisor.engine import default_knowledge

    knowledge = default_knowledge()
    frames = [df.value for df in at.dataframe]
    rules = frames[0]
    assert len(rules) == len(knowledge.rules.rules) + len(knowledge.rules.blockers)
    catalog = frames[1]
    assert len(catalog) == len(knowledge.catalog.libraries)
    at.text_input(key="catalog_search").set_value("postgres").run()
    filtered = at.dataframe[1].value
    assert 0 < len(filtered) < len(catalog)


def test_methodology_page_says_what_changed_in_the_model() -> None:
    """A reader of an old link finds what changed in the model, with the reason for each."""
    from advisor.model_history import HISTORY
    from advisor.ui.text import plain

    at = _app()
    at.switch_page("advisor/ui/methodology_page.py").run()
    assert not at.exception
    assert any("How the decision model changed" in h.value for h in at.header)
    page = " ".join(m.value for m in at.markdown)
    for change in HISTORY[0].changes:
        assert plain(change.why) in page


def test_broken_data_file_stops_start_up_with_file_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken rule file gives a clear error naming the file and the rule, not a traceback."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    rule_file = data / "rules" / "workload.toml"
    rule_file.write_text(
        rule_file.read_text().replace("scale == 'large'", "scal == 'large'", 1), encoding="utf-8"
    )
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(data))
    at = _app()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "workload.toml" in message
    assert 'rule "large-server"' in message
    assert "did you mean 'scale'" in message


def _evidence_headings(at: AppTest) -> list[str]:
    guide = load_evidence_guide(ROOT / "data" / "evidence.toml", tuple(WORKLOADS))
    titles = {text.title for text in guide.workloads.values()}
    shown = [m.value.replace("\\", "") for m in at.markdown]
    return [text for text in shown if text.strip("*").split("**")[0] in titles]


@pytest.mark.parametrize(
    ("query", "first_title"),
    [
        ("workload=server", "An HTTP/1.1 service under open-loop load"),
        ("workload=cli", "Interpreter start-up with the runtime imported"),
        ("workload=pipeline", "Producer to consumer through a bounded channel"),
    ],
)
def test_evidence_shows_matching_benchmarks_first(query: str, first_title: str) -> None:
    """The first benchmark chart is the one the answers point at, marked as matching."""
    at = _app(query)
    headings = _evidence_headings(at)
    assert headings, "no benchmark sections rendered"
    assert headings[0] == f"**{first_title}** · matches your answers"
    assert len(at.get("vega_lite_chart")) >= 1 + 3  # the reasons chart and three benchmarks


def test_evidence_footnote_states_machine_date_and_versions_once() -> None:
    """The benchmark charts' machine, date and versions are stated once, not under each chart."""
    # The page shows the run on the answered Python version (3.12 by default).
    meta = load_results(ROOT / "data" / "benchmarks", "3.12").meta
    at = _app("workload=server")
    captions = [c.value.replace("\\", "") for c in at.caption if c.value.startswith("Measured ")]
    assert len(captions) == 1
    caption = captions[0]
    assert meta.cpu in caption
    assert meta.date in caption
    assert f"trio {meta.packages['trio']}" in caption
    assert meta.command in caption


def test_evidence_sentence_matches_the_stored_figures() -> None:
    """The sentence under a chart quotes the stored figure and its ratio in words."""
    summary = summarize(load_results(ROOT / "data" / "benchmarks", "3.12"))
    guide = load_evidence_guide(ROOT / "data" / "evidence.toml", tuple(WORKLOADS))
    trio = figures(summary, "startup", "-", "wall_time")["trio"]
    at = _app("workload=cli")
    sentence = next(
        m.value.replace("\\", "") for m in at.markdown if m.value.startswith("This measures")
    )
    assert describe_figure(trio) in sentence
    assert guide.workloads["startup"].meaning in sentence


def test_rerun_after_a_widget_change_reads_no_data_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Data loading and chart specs are cached: a rerun opens nothing under data/."""
    import builtins
    import io

    at = _app("deps=asyncpg,httpx&workload=server,cli")
    opened: list[str] = []
    real_open = io.open

    def recording_open(file: object, *args: object, **kwargs: object) -> object:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", recording_open)
    monkeypatch.setattr(io, "open", recording_open)
    at.radio(key="team").set_value("large").run()
    at.select_slider(key="exp_trio").set_value(2).run()
    assert not at.exception
    data = str(ROOT / "data")
    assert [path for path in opened if path.startswith(data)] == []
