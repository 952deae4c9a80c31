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


PYPROJECT_39 = b'[project]\nname = "svc"\nrequires-python = ">=3.9"\ndependencies = ["httpx"]\n'
PYPROJECT_NO_FLOOR = b'[project]\nname = "svc"\ndependencies = ["httpx"]\n'


def _verdict_heading(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("## "))


def _app_with(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    return at.run()


def test_a_pyproject_floor_sets_the_python_answer_and_changes_the_verdict() -> None:
    """requires-python ">=3.9" sets the python answer to 3.9 (the link carries it) and the
    verdict moves from Trio to asyncio; the same file without it leaves 3.12 and Trio."""
    at = _upload(_app_with(exp_trio="1"), "pyproject.toml", PYPROJECT_39)
    assert not at.exception
    assert at.selectbox(key="python").value == "3.9"
    assert at.query_params["python"] in ("3.9", ["3.9"])
    assert _verdict_heading(at).startswith("## asyncio")
    assert (
        "Python floor 3.9 from pyproject.toml [project] requires-python (>=3.9): the oldest "
        "Python to support is set to it." in _texts(at)
    )
    plain = _upload(_app_with(exp_trio="1"), "pyproject.toml", PYPROJECT_NO_FLOOR)
    assert plain.selectbox(key="python").value == "3.12"
    assert _verdict_heading(plain).startswith("## Trio")
    assert "Python floor" not in _texts(plain)


def test_a_python_answer_from_the_link_is_kept_with_a_note() -> None:
    """A link that sets python=3.11 keeps it; the note says the file states another floor."""
    at = _upload(_app_with(exp_trio="1", python="3.11"), "pyproject.toml", PYPROJECT_39)
    assert at.selectbox(key="python").value == "3.11"
    assert "The python answer given (3.11) was kept, although the files say otherwise" in (
        _texts(at)
    )


def test_a_python_answer_chosen_on_the_page_is_kept() -> None:
    """Choosing 3.12 in the widget after a file set 3.9 keeps 3.12 when a file is read again."""
    at = _upload(_app_with(exp_trio="1"), "pyproject.toml", PYPROJECT_39)
    at.selectbox(key="python").set_value("3.12").run()
    at = _upload(at, "pyproject2.toml", PYPROJECT_39.replace(b"svc", b"svc2"))
    assert at.selectbox(key="python").value == "3.12"
    assert "The python answer given (3.12) was kept" in _texts(at)


def test_a_file_without_a_floor_puts_back_the_answer_a_file_replaced() -> None:
    """A second file that states no floor restores the python answer from before the first."""
    at = _upload(_app_with(exp_trio="1"), "pyproject.toml", PYPROJECT_39)
    assert at.selectbox(key="python").value == "3.9"
    at = _upload(at, "requirements.txt", b"httpx\n")
    assert at.selectbox(key="python").value == "3.12"
