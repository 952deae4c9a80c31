"""Real-browser tests: Debian's headless Chromium against `streamlit run` on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from advisor import Answers, recommend
from advisor.report import RUNTIME_LABELS
from tests.browser.conftest import OUTPUT, static_server

pytestmark = pytest.mark.browser

VERDICT = ".st-key-verdict"
CHART = '[data-testid="stVegaLiteChart"]'
TIMEOUT_MS = 45_000


def _label(query: str) -> str:
    return RUNTIME_LABELS[recommend(Answers.from_query(query)).verdict]


def _first_runtime_named(text: str) -> str:
    positions = {label: text.find(label) for label in RUNTIME_LABELS.values() if label in text}
    return min(positions, key=positions.__getitem__)


def test_share_link_shows_its_verdict_and_a_chart(app_url: str, page: Page) -> None:
    """Opening a share link shows that link's verdict first in the verdict box, and a chart."""
    query = "v=1&deps=asyncpg,fastapi,uvicorn&workload=server&exp_asyncio=2"
    page.goto(f"{app_url}/?{query}")
    verdict = page.locator(VERDICT)
    expect(verdict).to_be_visible(timeout=TIMEOUT_MS)
    page.locator(CHART).first.wait_for(timeout=TIMEOUT_MS)
    expect(page.locator(CHART).first.locator("canvas, svg").first).to_be_visible()
    assert _first_runtime_named(verdict.inner_text()) == _label(query) == "asyncio"
    page.screenshot(path=str(OUTPUT / "share-link.png"), full_page=True)


# Counts the DOM's mutation batches and notes the batch in which each part of the page first
# appears: parts drawn in the same React render appear in the same batch.
FIRST_SEEN_SCRIPT = """
window.__firstSeen = {};
window.__batches = 0;
const watched = %s;
new MutationObserver(() => {
  window.__batches += 1;
  for (const [name, selector] of Object.entries(watched)) {
    if (!(name in window.__firstSeen) && document.querySelector(selector)) {
      window.__firstSeen[name] = window.__batches;
    }
  }
}).observe(document, {subtree: true, childList: true});
"""


def test_share_link_paints_its_verdict_before_the_rest(app_url: str, page: Page) -> None:
    """The verdict of a share link is drawn in an earlier render than the questionnaire, the
    share box and the charts, which all follow without any click."""
    watched = {
        "verdict": VERDICT,
        "questionnaire": '[data-testid="stSidebar"] .st-key-kind',
        "share": ".st-key-share",
        "chart": CHART,
    }
    page.add_init_script(FIRST_SEEN_SCRIPT % json.dumps(watched))
    page.goto(f"{app_url}/?v=1&deps=asyncpg,fastapi,httpx,uvicorn&workload=server,client")
    page.locator(CHART).first.wait_for(timeout=TIMEOUT_MS)
    expect(page.locator(watched["questionnaire"])).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator(".st-key-share")).to_be_visible(timeout=TIMEOUT_MS)
    seen = page.evaluate("window.__firstSeen")
    assert set(seen) == set(watched), seen
    assert all(seen["verdict"] < seen[name] for name in watched if name != "verdict"), seen


def test_changing_an_answer_updates_the_url_and_verdict(app_url: str, page: Page) -> None:
    """Picking 'A library others import' rewrites the URL (no reload) and the verdict."""
    page.goto(f"{app_url}/?v=1&deps=httpx&exp_asyncio=2")
    expect(page.locator(VERDICT)).to_contain_text("asyncio", timeout=TIMEOUT_MS)
    page.locator(".st-key-kind").get_by_text("A library others import").click()
    page.wait_for_function("() => location.search.includes('kind=library')", timeout=TIMEOUT_MS)
    assert "v=1" in page.evaluate("location.search")
    expect(page.locator(VERDICT)).to_contain_text("AnyIO", timeout=TIMEOUT_MS)
    assert _first_runtime_named(page.locator(VERDICT).inner_text()) == _label(
        "deps=httpx&exp_asyncio=2&kind=library"
    )
    page.screenshot(path=str(OUTPUT / "changed-answer.png"), full_page=True)


def test_embedded_in_a_wiki_page_iframe(app_url: str, page: Page, tmp_path: Path) -> None:
    """A page on another local server embeds the app with embed=true and shows its verdict."""
    query = "v=1&deps=trio-websocket,httpx&exp_trio=2"
    (tmp_path / "wiki.html").write_text(
        "<!doctype html><html><body><h1>Team wiki: our async runtime</h1>"
        f'<iframe id="advisor" src="{app_url}/?{query}&embed=true" width="800" height="600" '
        'style="border:0" allow="clipboard-write"></iframe></body></html>',
        encoding="utf-8",
    )
    with static_server(tmp_path) as wiki:
        page.set_viewport_size({"width": 900, "height": 760})
        page.goto(f"{wiki}/wiki.html")
        frame = page.frame_locator("#advisor")
        verdict = frame.locator(VERDICT)
        expect(verdict).to_be_visible(timeout=TIMEOUT_MS)
        assert _first_runtime_named(verdict.inner_text()) == _label(query) == "Trio"
        expect(frame.get_by_text("Open the full advisor")).to_be_visible(timeout=TIMEOUT_MS)
        # Embed mode shows the compact result: no questionnaire sidebar.
        expect(frame.locator('[data-testid="stSidebar"]')).to_have_count(0)
        page.screenshot(path=str(OUTPUT / "embedded.png"))


def test_injection_shaped_names_show_as_text_and_run_nothing(app_url: str, page: Page) -> None:
    """HTML- and Markdown-shaped names from a link render as text: no image, link or script."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{app_url}/?deps=<img src=x onerror=alert(1)>,[x](http://evil),httpx")
    expect(page.locator(VERDICT)).to_be_visible(timeout=TIMEOUT_MS)
    notice = page.locator(".st-key-notices")
    expect(notice.locator('[data-testid="stAlertContentWarning"]')).to_be_visible(
        timeout=TIMEOUT_MS
    )
    expect(notice).to_contain_text("<img src=x onerror=alert(1)>", timeout=TIMEOUT_MS)
    expect(notice).to_contain_text("[x](http://evil)")
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator('a[href^="http://evil"]').count() == 0
    assert notice.locator("a").count() == 0
    page.wait_for_timeout(500)
    assert dialogs == []
    page.screenshot(path=str(OUTPUT / "injection.png"), full_page=True)


def test_uploaded_file_lines_show_as_text(app_url: str, page: Page, tmp_path: Path) -> None:
    """An uploaded requirements file fills the answers; its bad lines are listed as plain text."""
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(
        "asyncpg==0.30.0\n[x](http://evil)\n<img src=x onerror=alert(1)>\n", encoding="utf-8"
    )
    page.goto(f"{app_url}/?v=1")
    # Nothing answered yet: the welcome shows instead of a verdict.
    expect(page.locator(".st-key-welcome")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_text("Paste or upload requirements.txt").click()
    # The sidebar's uploader: the page also has the code-scan uploader (advisor/ui/scan.py).
    page.locator(
        '[data-testid="stSidebar"] [data-testid="stFileUploaderDropzoneInput"]'
    ).set_input_files(str(requirements))
    page.wait_for_function("() => location.search.includes('asyncpg')", timeout=TIMEOUT_MS)
    expect(page.get_by_text("line 2", exact=False)).to_be_visible(timeout=TIMEOUT_MS)
    assert page.locator('a[href^="http://evil"]').count() == 0
    assert page.locator('img[src="x"]').count() == 0
    page.screenshot(path=str(OUTPUT / "upload.png"), full_page=True)
