"""`python -m advisor.ui.serve`: the README's start command loads the app before serving."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from advisor.engine import DATA_DIR_ENV
from advisor.ui import loaders, serve


def test_preload_loads_the_data_into_the_shared_cache() -> None:
    """After preloading, the knowledge every session asks for is the one already loaded (the
    first reader does not load it again), and the page's first-run modules are imported."""
    loaders._knowledge.cache_clear()  # type: ignore[attr-defined]  # the memo's lru_cache
    assert loaders._knowledge.cache_info().currsize == 0  # type: ignore[attr-defined]
    assert serve.preload() is None
    assert loaders._knowledge.cache_info().currsize == 1  # type: ignore[attr-defined]
    hits = loaders._knowledge.cache_info().hits  # type: ignore[attr-defined]
    loaders.knowledge()  # what a session's run asks for: served from the cache
    assert loaders._knowledge.cache_info().hits == hits + 1  # type: ignore[attr-defined]
    assert "advisor.ui.app" in sys.modules


def test_preload_reports_a_broken_data_folder_and_still_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken data file is named (the page says so too), not raised: the server still starts."""
    (tmp_path / "libraries.toml").write_text("[[library]\n", encoding="utf-8")
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    problem = serve.preload()
    assert problem is not None
    assert "libraries.toml" in problem
