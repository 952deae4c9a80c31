"""Fixtures of the unit tests: the project's own knowledge, loaded once per session."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from advisor.engine import Knowledge, load_knowledge
from advisor.rules.language import Vocabulary
from advisor.rules.loading import fact_vocabularies

# Hypothesis keeps a cache in ./.hypothesis by default. pyproject's `norecursedirs` replaces
# pytest's default ignores (which skip dot-folders), so once that folder exists the Hypothesis
# plugin warns on collecting it and `filterwarnings = error` fails every later run. Keep the
# cache out of the work tree until the setting lists ".*" again.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "async-advisor-hypothesis")


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The real data folder, loaded and validated."""
    return load_knowledge()


@pytest.fixture(scope="session")
def vocabularies() -> tuple[Vocabulary, Vocabulary]:
    """The condition vocabularies (facts, per-dependency) over two test categories."""
    return fact_vocabularies(("database", "http-client"))
