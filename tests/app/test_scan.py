"""AppTest: uploading a project archive shows its scan and fills the `codebase` answer."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TRIO_MODULE = b"import trio\n\nasync def main():\n    async with trio.open_nursery() as n: ...\n"


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _upload(name: str, data: bytes) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.selectbox(key="codebase").value == "new"
    at.file_uploader(key="code_archive").set_value((name, data, "application/zip")).run()
    assert not at.exception
    return at


def _all_markdown(at: AppTest) -> str:
    parts = [m.value for m in at.markdown]
    parts += [e.value for e in (*at.success, *at.error, *at.info, *at.warning)]
    return "\n".join(parts)


def test_uploaded_trio_project_sets_codebase_and_shows_the_scan() -> None:
    """A zip of Trio code sets 'What exists today' to trio, in the widget and the share link."""
    at = _upload("proj.zip", zip_bytes({"proj/app.py": TRIO_MODULE, "proj/util.py": b"x = 1\n"}))
    assert at.selectbox(key="codebase").value == "trio"
    assert at.query_params["codebase"] in ("trio", ["trio"])
    assert "a Trio code base" in " ".join(t.value for t in at.text)
    full_report = "\n".join(c.value for c in at.code)
    assert "proj/app.py:4 trio.open_nursery" in full_report
    assert "to asyncio: 1 mechanical and 0 redesign changes in 1 file" in full_report


def test_refused_archive_shows_why_and_keeps_the_answer() -> None:
    """A zip with a '..' member is refused with its message; the codebase answer is unchanged."""
    at = _upload("evil.zip", zip_bytes({"../escape.py": TRIO_MODULE}))
    assert at.selectbox(key="codebase").value == "new"
    assert any("The archive was not scanned" in e.value for e in at.error)
    assert "climbs out of the archive" in " ".join(t.value for t in at.text)


def test_names_from_the_upload_never_render_as_markdown() -> None:
    """A file named like a Markdown link appears only as plain text, never in Markdown output."""
    name = "[click me](https:evil.example)"
    at = _upload(f"{name}.zip", zip_bytes({f"{name}.py": TRIO_MODULE}))
    assert f"{name}.py:4 trio.open_nursery" in "\n".join(c.value for c in at.code)
    assert "evil.example" not in _all_markdown(at)
