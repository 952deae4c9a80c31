"""Real-browser tests of the page as a decision record (issue 12): truthful headline, Enter adds
one match, every URL change read, a compact layout, tables that fit, a phone-sized page, the
welcome, and the embed at 800 x 600 in an iframe served from another local port."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import FrameLocator, Locator, Page, expect

from advisor import Answers, recommend
from advisor.ui.welcome import EXAMPLES
from advisor.wording import RUNTIME_LABELS, headline
from tests.browser.conftest import OUTPUT, static_server

pytestmark = pytest.mark.browser

VERDICT = ".st-key-verdict"
HEADING = ".st-key-verdict h2"
CHART = '[data-testid="stVegaLiteChart"]'
TIMEOUT_MS = 45_000
HEAVY = "v=1&deps=aiobotocore,aiohttp,asyncpg,fastapi,redis,uvicorn&workload=server"
BASE = "v=1&deps=httpx&exp_asyncio=2"


def _title(query: str) -> str:
    return headline(recommend(Answers.from_query(query))).title


def _deps_in_url(page: Page) -> list[str]:
    search = str(page.evaluate("location.search")).lstrip("?")
    values = parse_qs(search).get("deps", [""])
    return [name for value in values for name in value.split(",") if name]


def _wait_for_query(page: Page, fragment: str) -> None:
    page.wait_for_function(
        f"() => decodeURIComponent(location.search).includes({fragment!r})", timeout=TIMEOUT_MS
    )


def test_heading_says_nothing_runs_every_dependency(app_url: str, page: Page) -> None:
    """uvicorn (asyncio only) with trio-websocket (Trio only): the heading names no runtime."""
    query = "v=1&deps=uvicorn,trio-websocket"
    page.goto(f"{app_url}/?{query}")
    heading = page.locator(HEADING)
    expect(heading).to_have_text(headline(recommend(Answers.from_query(query))).title)
    expect(heading).to_have_text("No runtime runs every dependency")
    expect(page.locator(VERDICT)).to_contain_text("trio-websocket")
    expect(page.locator(VERDICT)).to_contain_text("uvicorn")
    page.screenshot(path=str(OUTPUT / "heading-nothing-runs-all.png"))


def test_enter_adds_only_the_first_match_and_keeps_new_names(app_url: str, page: Page) -> None:
    """Typing "aiohtt" then Enter adds aiohttp alone; an unknown name is added as typed."""
    page.goto(f"{app_url}/?{BASE}")
    box = page.locator(".st-key-deps input")
    expect(box).to_be_visible(timeout=TIMEOUT_MS)
    box.click()
    box.press_sequentially("aiohtt")
    expect(page.get_by_role("option", name="aiohttp", exact=True)).to_be_visible()
    page.screenshot(path=str(OUTPUT / "enter-typed.png"))
    box.press("Enter")
    _wait_for_query(page, "aiohttp")
    page.wait_for_timeout(500)
    assert _deps_in_url(page) == ["aiohttp", "httpx"]
    box.click()
    box.press_sequentially("our-internal-client")
    box.press("Enter")
    _wait_for_query(page, "our-internal-client")
    assert _deps_in_url(page) == ["aiohttp", "httpx", "our-internal-client"]
    page.screenshot(path=str(OUTPUT / "enter-added.png"))


def test_back_and_forward_are_read_and_flips_apply_in_place(app_url: str, page: Page) -> None:
    """Browser back/forward restore the answers with the URL; a flip applies in this tab."""
    first, second = f"{BASE}", f"{BASE}&kind=library"
    assert _title(first) != _title(second)
    page.goto(f"{app_url}/?{first}")
    expect(page.locator(HEADING)).to_contain_text(_title(first), timeout=TIMEOUT_MS)
    page.locator(".st-key-kind").get_by_text("A library others import").click()
    _wait_for_query(page, "kind=library")
    expect(page.locator(HEADING)).to_contain_text(_title(second), timeout=TIMEOUT_MS)
    page.go_back()
    _wait_for_query_absent(page, "kind=library")
    expect(page.locator(HEADING)).to_contain_text(_title(first), timeout=TIMEOUT_MS)
    expect(page.locator(".st-key-kind input").first).to_be_checked()
    page.go_forward()
    _wait_for_query(page, "kind=library")
    expect(page.locator(HEADING)).to_contain_text(_title(second), timeout=TIMEOUT_MS)
    expect(page.locator(".st-key-kind input").nth(1)).to_be_checked()
    # A flip: Apply changes the answers here (no new tab), and one click goes back.
    rec = recommend(Answers.from_query(second))
    flip = rec.flips[0]
    pages_before = len(page.context.pages)
    page.locator(".st-key-flip_0 button").first.click()
    expect(page.locator(HEADING)).to_contain_text(RUNTIME_LABELS[flip.verdict], timeout=TIMEOUT_MS)
    page.wait_for_function(
        "(q) => location.search.slice(1) === q", arg=flip.query, timeout=TIMEOUT_MS
    )
    assert len(page.context.pages) == pages_before
    page.screenshot(path=str(OUTPUT / "flip-applied.png"))
    page.locator(".st-key-restore_original button").first.click()
    _wait_for_query(page, "kind=library")
    expect(page.locator(HEADING)).to_contain_text(_title(second), timeout=TIMEOUT_MS)


def _wait_for_query_absent(page: Page, fragment: str) -> None:
    page.wait_for_function(
        f"() => !decodeURIComponent(location.search).includes({fragment!r})", timeout=TIMEOUT_MS
    )


def _box(locator: Locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return box


def test_compact_layout_one_blocker_box_share_near_verdict(app_url: str, page: Page) -> None:
    """Six dependencies: one blocker box (no red stack), the share link right under the verdict."""
    page.goto(f"{app_url}/?{HEAVY}")
    expect(page.locator(VERDICT)).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator(".st-key-blockers")).to_have_count(1, timeout=TIMEOUT_MS)
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    share = page.locator(".st-key-share")
    expect(share).to_contain_text("?v=1&deps=aiobotocore", timeout=TIMEOUT_MS)
    verdict_box, share_box = _box(page.locator(VERDICT)), _box(share)
    gap = share_box["y"] - (verdict_box["y"] + verdict_box["height"])
    assert 0 <= gap < 100, f"the share link is {gap:.0f} px below the verdict"
    page.locator(CHART).first.wait_for(timeout=TIMEOUT_MS)
    page.screenshot(path=str(OUTPUT / "layout-1400.png"), full_page=True)


def test_tables_fit_at_1400_px(app_url: str, page: Page) -> None:
    """At 1,400 px no table scrolls sideways, so every source and evidence link is on screen."""
    page.goto(f"{app_url}/?{HEAVY}")
    expect(page.locator(VERDICT)).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_text("All ", exact=False).filter(has_text="reasons, with their sources").click()
    page.get_by_text("Support of each dependency").click()
    frames = page.locator('[data-testid="stDataFrame"]')
    expect(frames).to_have_count(3, timeout=TIMEOUT_MS)
    page.wait_for_timeout(1000)
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')]
              .map(s => s.scrollWidth - s.clientWidth)"""
    )
    assert len(overflow) == 3
    assert all(extra <= 1 for extra in overflow), overflow
    expect(page.locator(".st-key-blockers")).to_contain_text("evidence")
    page.locator(".st-key-blockers").screenshot(path=str(OUTPUT / "blockers-1400.png"))


def test_phone_width_page_and_scoring_chart(app_url: str, page: Page) -> None:
    """At 390 px the page does not scroll sideways and the scoring chart keeps its width."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{app_url}/?{HEAVY}")
    expect(page.locator(VERDICT)).to_be_visible(timeout=TIMEOUT_MS)
    chart = page.locator(CHART).first
    chart.scroll_into_view_if_needed(timeout=TIMEOUT_MS)
    expect(chart.locator("canvas, svg").first).to_be_visible(timeout=TIMEOUT_MS)
    assert _box(chart)["width"] >= 300
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"the page is {wide} px wide at a 390 px viewport"
    chart.screenshot(path=str(OUTPUT / "phone-scoring-chart.png"))
    page.screenshot(path=str(OUTPUT / "phone-top.png"))


def test_empty_page_welcomes_then_an_example_shows_a_verdict(app_url: str, page: Page) -> None:
    """No answers: a welcome and examples, no verdict; an example opens its verdict in place."""
    page.goto(f"{app_url}/")
    welcome = page.locator(".st-key-welcome")
    expect(welcome).to_be_visible(timeout=TIMEOUT_MS)
    assert page.locator(VERDICT).count() == 0
    page.screenshot(path=str(OUTPUT / "welcome.png"))
    title, query = EXAMPLES[1]
    welcome.get_by_role("button", name=title).click()
    expect(page.locator(HEADING)).to_contain_text(_title(query), timeout=TIMEOUT_MS)
    _wait_for_query(page, "kind=library")
    page.screenshot(path=str(OUTPUT / "welcome-example.png"))


def _inside(frame_box: dict[str, float], locator: Locator) -> bool:
    box = _box(locator)
    return (
        box["y"] >= frame_box["y"]
        and box["y"] + box["height"] <= frame_box["y"] + frame_box["height"]
        and box["x"] + box["width"] <= frame_box["x"] + frame_box["width"] + 1
    )


def _wiki(tmp_path: Path, app_url: str, query: str, width: int) -> None:
    (tmp_path / "wiki.html").write_text(
        '<!doctype html><html><body style="margin:0">'
        f'<iframe id="advisor" src="{app_url}/?{query}&embed=true" width="{width}" height="600" '
        'style="border:0" allow="clipboard-write"></iframe></body></html>',
        encoding="utf-8",
    )


def _embed_parts(frame: FrameLocator) -> list[Locator]:
    return [
        frame.get_by_text("Async Advisor", exact=True),
        frame.locator(".st-key-verdict h3"),
        frame.get_by_text("Top reasons:"),
        frame.get_by_role("link", name="Open the full advisor"),
    ]


def test_embed_fits_800_by_600_in_a_wiki_iframe(app_url: str, page: Page, tmp_path: Path) -> None:
    """In an 800 x 600 iframe on another port: name, verdict, grade, blockers, reasons, link."""
    query = HEAVY
    rec = recommend(Answers.from_query(query))
    _wiki(tmp_path, app_url, query, 800)
    with static_server(tmp_path) as wiki:
        page.set_viewport_size({"width": 800, "height": 600})
        page.goto(f"{wiki}/wiki.html")
        frame = page.frame_locator("#advisor")
        verdict = frame.locator(VERDICT)
        expect(verdict).to_be_visible(timeout=TIMEOUT_MS)
        frame.locator(CHART).first.wait_for(timeout=TIMEOUT_MS)
        head = headline(rec)
        expect(frame.locator(".st-key-verdict h3")).to_have_text(f"{head.title} · {head.grade}")
        for blocker in {b.dependency for b in rec.blockers}:
            expect(verdict).to_contain_text(blocker)
        frame_box = _box(page.locator("#advisor"))
        for part in _embed_parts(frame):
            expect(part).to_be_visible()
            assert _inside(frame_box, part), f"not within 800 x 600: {part}"
        chart_box = _box(frame.locator(CHART).first)
        assert chart_box["y"] > _box(frame.get_by_role("link", name="Open the full advisor"))["y"]
        page.screenshot(path=str(OUTPUT / "embed-800x600.png"))


def test_embed_in_a_phone_width_iframe(app_url: str, page: Page, tmp_path: Path) -> None:
    """In a 390 px wide iframe the embed shows its name, verdict and link without overflow."""
    _wiki(tmp_path, app_url, HEAVY, 390)
    with static_server(tmp_path) as wiki:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{wiki}/wiki.html")
        frame = page.frame_locator("#advisor")
        expect(frame.locator(VERDICT)).to_be_visible(timeout=TIMEOUT_MS)
        for part in _embed_parts(frame):
            expect(part).to_be_attached()
        frame_box = _box(page.locator("#advisor"))
        for part in _embed_parts(frame)[:2]:
            assert _inside(frame_box, part), f"not within the phone iframe: {part}"
        page.screenshot(path=str(OUTPUT / "embed-390.png"))


def test_methodology_and_back_keeps_the_answers(app_url: str, page: Page) -> None:
    """Switching to the methodology page and back is not a new link: the answers stay."""
    query = "v=1&deps=httpx&kind=library"
    page.goto(f"{app_url}/?{query}")
    expect(page.locator(HEADING)).to_contain_text(_title(query), timeout=TIMEOUT_MS)
    page.get_by_role("link", name="Methodology").click()
    page.wait_for_function("() => location.pathname.endsWith('/methodology')")
    page.get_by_role("link", name="Advisor").click()
    expect(page.locator(HEADING)).to_contain_text(_title(query), timeout=TIMEOUT_MS)
    _wait_for_query(page, "kind=library")
    assert _deps_in_url(page) == ["httpx"]


def test_url_and_widgets_settle_without_a_rerun_loop(app_url: str, page: Page) -> None:
    """One answer change pushes exactly one history entry, and the URL then stays put."""
    page.goto(f"{app_url}/?{BASE}")
    expect(page.locator(HEADING)).to_contain_text(_title(BASE), timeout=TIMEOUT_MS)
    page.wait_for_timeout(1500)
    before = page.evaluate("history.length")
    page.locator(".st-key-kind").get_by_text("A library others import").click()
    _wait_for_query(page, "kind=library")
    expect(page.locator(HEADING)).to_contain_text(_title(f"{BASE}&kind=library"))
    search = page.evaluate("location.search")
    page.wait_for_timeout(2500)
    assert page.evaluate("history.length") == before + 1
    assert page.evaluate("location.search") == search
