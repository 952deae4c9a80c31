"""Real browser: uploading a project archive to the code scan sets the answer in the URL."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import OUTPUT

pytestmark = pytest.mark.browser

VERDICT = ".st-key-verdict"
TIMEOUT_MS = 45_000
TRIO_MODULE = "import trio\n\nasync def main():\n    async with trio.open_nursery() as n: ...\n"


def test_uploaded_archive_sets_codebase_and_shows_plain_text(
    app_url: str, page: Page, tmp_path: Path
) -> None:
    """A zip of Trio code puts codebase=trio in the share link; its file names stay text."""
    archive = tmp_path / "proj.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("proj/[x](https:evil.example).py", TRIO_MODULE)
    page.goto(f"{app_url}/?v=1")
    # Nothing answered yet: the welcome shows (with the code upload under it).
    expect(page.locator(".st-key-welcome")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_text("Read your code: upload").click()
    page.locator(
        '[data-testid="stMain"] [data-testid="stFileUploaderDropzoneInput"]'
    ).set_input_files(str(archive))
    page.wait_for_function("() => location.search.includes('codebase=trio')", timeout=TIMEOUT_MS)
    expect(page.get_by_text("a Trio code base", exact=False).first).to_be_visible(
        timeout=TIMEOUT_MS
    )
    assert page.locator('a[href*="evil.example"]').count() == 0
    page.screenshot(path=str(OUTPUT / "code-scan.png"), full_page=True)
