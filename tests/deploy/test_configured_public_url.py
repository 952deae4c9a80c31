"""ADVISOR_PUBLIC_URL, when set, is the base of every link the page builds (AppTest)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from advisor import Answers
from advisor.ui.share import EXPORT_FOLD_KEY
from tests.deploy.stack import ROOT

QUERY = "deps=httpx,trio&workload=cli"


def _codes(query: str) -> list[str]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (pair.split("=", 1) for pair in query.split("&")):
        at.query_params[key] = value
    at.run()
    at.session_state[EXPORT_FOLD_KEY] = True  # the embed snippet is sent once its fold is open
    at.run()
    assert not at.exception, at.exception
    return [code.value for code in at.code]


def test_configured_public_url_is_the_base_of_share_link_and_snippet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With ADVISOR_PUBLIC_URL set, the share link and the embed snippet start with it."""
    monkeypatch.setenv("ADVISOR_PUBLIC_URL", "https://tools.example.com/async-advisor")
    link = f"https://tools.example.com/async-advisor/?{Answers.from_query(QUERY).to_query()}"
    codes = _codes(QUERY)
    assert link in codes
    assert any(f'src="{link}&embed=true"' in code for code in codes)


def test_an_unusable_public_url_is_ignored_for_the_served_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A junk ADVISOR_PUBLIC_URL never reaches a link: the server's own address is used."""
    monkeypatch.setenv("ADVISOR_PUBLIC_URL", 'javascript:alert(1)//"><b>')
    codes = _codes(QUERY)
    assert f"http://127.0.0.1:8501/?{Answers.from_query(QUERY).to_query()}" in codes
    assert not any("javascript" in code for code in codes)
