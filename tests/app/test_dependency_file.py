"""AppTest: the pasted or uploaded dependency file (formats, refusals, extras and groups)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
FIXTURES = ROOT / "tests" / "fixtures" / "deps"


def _app(query: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if query:
        at.query_params["deps"] = query
    return at.run()


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="requirements_file").set_value((name, content, "application/octet-stream"))
    return at.run()


def _texts(at: AppTest) -> str:
    return " ".join(t.value for t in at.text)


def test_a_binary_upload_is_refused_with_a_clear_message() -> None:
    """Issue 12 item 5: a PNG uploaded as requirements adds nothing and says why."""
    at = _upload(_app("httpx"), "requirements.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")
    assert not at.exception
    assert at.multiselect(key="deps").value == ["httpx"]
    assert at.error
    assert "binary file" in _texts(at)


def test_a_lock_upload_is_read_by_its_content() -> None:
    """Issue 13 item 4: a uv.lock upload is read as a lock with its tree, not as requirements."""
    at = _upload(_app(), "uv.lock", (FIXTURES / "uv.lock").read_bytes())
    assert not at.exception
    assert at.multiselect(key="deps").value == ["fastmcp", "s3fs", "typer"]
    success = " ".join(s.value for s in at.success)
    assert "Read as uv.lock" in success
    said = _texts(at)
    assert "s3fs → aiohttp" in said
    assert "Development tooling, listed but not weighed: pytest, pytest-asyncio" in said


def test_a_utf16_freeze_upload_keeps_every_requirement() -> None:
    """PowerShell's `pip freeze > file` (UTF-16 with a BOM) is decoded, nothing lost."""
    at = _upload(_app(), "freeze.txt", (FIXTURES / "pip-freeze-powershell.txt").read_bytes())
    assert not at.exception
    assert at.multiselect(key="deps").value == ["aiohttp", "anyio", "httpx", "trio"]


def test_extras_and_groups_can_be_included_or_excluded() -> None:
    """Each extra and group can be weighed or not; the dependencies follow the choice."""
    at = _upload(_app(), "pyproject.toml", (FIXTURES / "pyproject-pep621.toml").read_bytes())
    assert not at.exception
    assert "redis" in at.multiselect(key="deps").value
    at.multiselect(key="dependency_extras").set_value([]).run()
    assert at.multiselect(key="deps").value == ["anyio", "httpx", "typing-extensions"]
    at.multiselect(key="dependency_groups").set_value(["test"]).run()
    assert at.multiselect(key="deps").value == [
        "anyio",
        "httpx",
        "pytest",
        "pytest-asyncio",
        "trio",
        "typing-extensions",
    ]


def test_a_range_in_the_file_shapes_the_verdict_and_says_links_carry_names() -> None:
    """A range below `trio_since` rules Trio out on the page, as in the CLI; the page says why."""
    at = _app()
    at.text_area(key="requirements_text").set_value("elasticsearch[async]>=8.15,<9\n")
    at.button(key="read_pasted").click().run()
    assert not at.exception
    said = _texts(at)
    assert "every version your range" in said
    assert "a share link carries the names only" in said
    # Without the file's range, elasticsearch runs on Trio through AnyIO and blocks nothing.
    # The blockers are one table, one row per dependency (issue 12, item 8).
    blockers = [df.value for df in at.dataframe if "rules out" in df.value.columns]
    assert len(blockers) == 1
    rows = blockers[0].set_index("dependency")["rules out"]
    assert "Trio" in rows["elasticsearch"]
