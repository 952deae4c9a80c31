"""The deployment in deploy/ for real: nginx under /async-advisor/ in front of two replicas,
Debian's Chromium as the reader, two local wikis (one allowed to frame the app, one not)."""

from __future__ import annotations

import http.client
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from advisor import Answers, recommend
from advisor.report import RUNTIME_LABELS
from tests.browser.conftest import OUTPUT
from tests.deploy.conftest import Wikis
from tests.deploy.stack import Deployment, deployment

pytestmark = pytest.mark.browser

VERDICT = ".st-key-verdict"
CODE = '[data-testid="stCode"] code'
TIMEOUT_MS = 60_000
QUERY = "v=1&deps=asyncpg,fastapi,uvicorn&workload=server&exp_asyncio=2"


def _label(query: str) -> str:
    return RUNTIME_LABELS[recommend(Answers.from_query(query)).verdict]


def _first_runtime_named(text: str) -> str:
    positions = {label: text.find(label) for label in RUNTIME_LABELS.values() if label in text}
    return min(positions, key=positions.__getitem__)


def _open(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(VERDICT)).to_be_visible(timeout=TIMEOUT_MS)


def _wiki_page(wikis: Wikis, name: str, src: str) -> str:
    (wikis.folder / name).write_text(
        "<!doctype html><html><body><h1>Team wiki: our async runtime</h1>"
        f'<iframe id="advisor" src="{src}" width="800" height="600" style="border:0" '
        'allow="clipboard-write"></iframe></body></html>',
        encoding="utf-8",
    )
    return name


def _stream_upstreams(site: Deployment, cookie: str, count: int) -> list[str]:
    """The upstream address(es) nginx used for each closed websocket of the browser with
    `cookie` (nginx logs a websocket when it closes), waiting until there are `count`."""
    pattern = re.compile(rf"_stcore/stream .* upstream=(\S+(?:, \S+)*) cookie={cookie}$")
    found: list[str] = []
    for _ in range(200):  # at most 20 s
        lines = site.access_log.read_text(encoding="utf-8").splitlines()
        found = [match.group(1) for line in lines if (match := pattern.search(line))]
        if len(found) >= count:
            break
        time.sleep(0.1)
    return found


def test_share_link_through_the_proxy_shows_its_verdict(site: Deployment, page: Page) -> None:
    """A share link under the proxy's /async-advisor/ prefix opens with that link's verdict."""
    _open(page, f"{site.url}/?{QUERY}")
    assert _first_runtime_named(page.locator(VERDICT).inner_text()) == _label(QUERY) == "asyncio"
    page.screenshot(path=str(OUTPUT / "deploy-share-link.png"), full_page=True)


def test_links_carry_the_address_the_app_was_served_at(site: Deployment, page: Page) -> None:
    """Without ADVISOR_PUBLIC_URL, the share link, its copy button, the embed snippet and the
    downloaded reports all point at the proxy's address and prefix."""
    page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=f"http://127.0.0.1:{site.port}"
    )
    _open(page, f"{site.url}/?{QUERY}")
    expected = f"{site.url}/?{Answers.from_query(QUERY).to_query()}"
    # The embed snippet and the downloads sit in a fold right under the share link.
    # Opening the fold reruns the page, which then sends the snippet and the downloads.
    page.get_by_text("Embed in a wiki, or export").click()
    codes = page.locator(CODE)
    expect(codes.filter(has_text="<iframe")).to_have_count(1, timeout=TIMEOUT_MS)
    texts = codes.all_inner_texts()
    assert expected in texts
    snippet = next(text for text in texts if text.startswith("<iframe"))
    assert f'src="{expected}&embed=true"' in snippet

    blocks = page.locator('[data-testid="stCode"]').filter(has_text=expected)
    share_block = blocks.filter(has_not_text="<iframe")
    share_block.hover()
    share_block.get_by_role("button", name="Copy to clipboard").click()
    page.wait_for_function("async () => (await navigator.clipboard.readText()).length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == expected

    for label in ("Markdown", "HTML report"):
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            page.get_by_role("button", name=label, exact=True).click()
        report = Path(download.value.path()).read_text(encoding="utf-8")
        assert expected.replace("&", "&amp;") in report or expected in report, label
        assert "127.0.0.1:8501" not in report


def test_a_replica_reached_directly_links_to_its_own_address(site: Deployment, page: Page) -> None:
    """Opened on a replica's own port (no proxy), links use that port and the base path."""
    replica = site.replicas[0]
    _open(page, f"{replica.url}/?{QUERY}")
    expected = f"{replica.url}/?{Answers.from_query(QUERY).to_query()}"
    expect(page.locator(CODE).first).to_be_visible(timeout=TIMEOUT_MS)
    assert expected in page.locator(CODE).all_inner_texts()


def test_the_wiki_may_frame_the_app(site: Deployment, wikis: Wikis, page: Page) -> None:
    """A page on the allowed wiki origin embeds the app: the verdict shows inside the iframe,
    and its 'Open the full advisor' link points at the proxy's address."""
    query = "v=1&deps=trio-websocket,httpx&exp_trio=2"
    name = _wiki_page(wikis, "allowed.html", f"{site.url}/?{query}&embed=true")
    page.set_viewport_size({"width": 900, "height": 760})
    page.goto(f"{wikis.allowed}/{name}")
    frame = page.frame_locator("#advisor")
    verdict = frame.locator(VERDICT)
    expect(verdict).to_be_visible(timeout=TIMEOUT_MS)
    assert _first_runtime_named(verdict.inner_text()) == _label(query) == "Trio"
    link = frame.get_by_role("link", name="Open the full advisor")
    expect(link).to_be_visible(timeout=TIMEOUT_MS)
    assert link.get_attribute("href") == f"{site.url}/?{Answers.from_query(query).to_query()}"
    page.screenshot(path=str(OUTPUT / "deploy-embedded-allowed.png"))


def test_another_site_may_not_frame_the_app(site: Deployment, wikis: Wikis, page: Page) -> None:
    """A page on an origin the policy does not name gets the frame refused by the browser."""
    name = _wiki_page(wikis, "refused.html", f"{site.url}/?{QUERY}&embed=true")
    with page.expect_console_message(
        lambda message: "frame-ancestors" in message.text, timeout=TIMEOUT_MS
    ) as refusal:
        page.goto(f"{wikis.refused}/{name}")
    assert "has been blocked" in refusal.value.text
    (frame,) = page.main_frame.child_frames
    assert frame.url.startswith("chrome-error://"), frame.url
    assert page.frame_locator("#advisor").locator(VERDICT).count() == 0
    page.screenshot(path=str(OUTPUT / "deploy-embedded-refused.png"))


def test_a_new_session_gets_a_verdict_after_its_replica_stops(
    wikis: Wikis, browser: Browser
) -> None:
    """Stopping the replica a browser was routed to: its next session is served by the other."""
    with deployment(wikis.allowed) as own:
        context = browser.new_context(viewport={"width": 1400, "height": 1800})
        try:
            page = context.new_page()
            _open(page, f"{own.url}/?{QUERY}")
            cookie = next(c["value"] for c in context.cookies() if c["name"] == "advisor_replica")
            page.close()
            first = _stream_upstreams(own, cookie, 1)
            assert len(first) == 1, first
            serving = next(r for r in own.replicas if first[0].endswith(f":{r.port}"))
            other = next(r for r in own.replicas if r is not serving)
            serving.stop()

            page = context.new_page()
            query = "v=1&deps=httpx&kind=library"
            _open(page, f"{own.url}/?{query}")
            expect(page.locator(VERDICT)).to_contain_text(_label(query), timeout=TIMEOUT_MS)
            assert _first_runtime_named(page.locator(VERDICT).inner_text()) == _label(query)
            page.close()
            after = _stream_upstreams(own, cookie, 2)[1:]
            assert after, "the new session opened no websocket through the proxy"
            assert after[-1].split(", ")[-1] == f"127.0.0.1:{other.port}"
        finally:
            context.close()


def test_the_tls_site_serves_the_app_and_links_say_https(wikis: Wikis, browser: Browser) -> None:
    """deploy/nginx's whole TLS site file (self-signed certificate on loopback): the app opens
    over https, its links say https, and plain http is redirected to https."""
    with deployment(wikis.allowed, tls=True) as secure:
        assert secure.redirect_port is not None
        plain = http.client.HTTPConnection("127.0.0.1", secure.redirect_port, timeout=10)
        plain.request("GET", f"/async-advisor/?{QUERY}")
        response = plain.getresponse()
        assert response.status == 301
        assert (response.getheader("Location") or "").startswith("https://")
        plain.close()

        context = browser.new_context(
            ignore_https_errors=True, viewport={"width": 1400, "height": 1800}
        )
        try:
            page = context.new_page()
            _open(page, f"{secure.url}/?{QUERY}")
            assert secure.url.startswith("https://")
            expected = f"{secure.url}/?{Answers.from_query(QUERY).to_query()}"
            expect(page.locator(CODE).first).to_be_visible(timeout=TIMEOUT_MS)
            assert expected in page.locator(CODE).all_inner_texts()
        finally:
            context.close()
