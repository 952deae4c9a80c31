"""Fixtures for deployment tests: deploy/'s nginx in front of two replicas, and two wikis.

The browser comes from tests/conftest.py, the loopback-only page from tests/browser/conftest.py;
the deployment is started once per test session (tests that stop a replica start their own).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.conftest import OUTPUT, page, static_server  # noqa: F401 (page: a fixture)
from tests.deploy.stack import Deployment, deployment


@dataclass(frozen=True, slots=True, kw_only=True)
class Wikis:
    """Two static sites on loopback: one the deployment lets frame the app, one it does not."""

    folder: Path
    allowed: str
    refused: str


@pytest.fixture(scope="session")
def wikis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wikis]:
    """Two wiki stand-ins serving the same folder from two origins (two loopback ports)."""
    folder = tmp_path_factory.mktemp("wiki")
    with static_server(folder) as allowed, static_server(folder) as refused:
        yield Wikis(folder=folder, allowed=allowed, refused=refused)


@pytest.fixture(scope="session")
def site(wikis: Wikis) -> Iterator[Deployment]:
    """nginx under /async-advisor/ in front of two replicas, ADVISOR_PUBLIC_URL unset."""
    OUTPUT.mkdir(parents=True, exist_ok=True)  # screenshots
    with deployment(wikis.allowed) as running:
        yield running
