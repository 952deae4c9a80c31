"""The catalog's trap cases: facts a hasty reading of classifiers or framework docs gets wrong."""

from __future__ import annotations

import datetime as dt

import pytest

from advisor.catalog import Maturity, TrioSupport
from advisor.engine import default_knowledge


def _trio(name: str) -> TrioSupport:
    library = default_knowledge().catalog.lookup(name)
    assert library is not None, f"{name} should be catalogued"
    return library.trio


def test_trio_capable_framework_does_not_make_its_usual_stack_trio_capable() -> None:
    """FastAPI runs on Trio via AnyIO, but uvicorn cannot serve Trio and asyncpg needs a bridge."""
    assert _trio("fastapi") is TrioSupport.ANYIO
    assert _trio("uvicorn") is TrioSupport.NONE
    assert _trio("asyncpg") is TrioSupport.BRIDGE
    assert _trio("hypercorn") is TrioSupport.NATIVE


@pytest.mark.parametrize("name", ["openai", "anthropic", "httpx"])
def test_asyncio_classifier_only_but_built_on_anyio(name: str) -> None:
    """SDKs that declare only the AsyncIO classifier but run on Trio through AnyIO."""
    assert _trio(name) is TrioSupport.ANYIO


@pytest.mark.parametrize("name", ["google-genai", "pydantic-ai", "faststream"])
def test_depends_on_anyio_but_calls_asyncio_directly(name: str) -> None:
    """Packages that depend on AnyIO yet use asyncio in their I/O layer: asyncio-only."""
    assert _trio(name) is TrioSupport.BRIDGE


def test_separately_released_former_names_have_their_own_entries() -> None:
    """aioredis (merged into redis-py, abandoned) and psycopg-pool have their own versions."""
    catalog = default_knowledge().catalog
    aioredis = catalog.lookup("aioredis")
    assert aioredis is not None
    assert aioredis.name == "aioredis"
    assert aioredis.maturity is Maturity.UNMAINTAINED
    assert "redis" in aioredis.alternatives
    pool = catalog.lookup("psycopg_pool")
    psycopg = catalog.lookup("psycopg")
    assert pool is not None
    assert psycopg is not None
    assert pool.name == "psycopg-pool"
    assert pool.checked_version != psycopg.checked_version


@pytest.mark.parametrize(
    "name", ["openai", "anthropic", "mcp", "pydantic-ai", "google-genai", "respx", "pytest-httpx"]
)
def test_httpx2_mocking_gap_is_noted(name: str) -> None:
    """SDKs on the httpx2 fork, and the httpx mocking plugins, say that the mocks miss httpx2."""
    library = default_knowledge().catalog.lookup(name)
    assert library is not None
    assert "httpx2" in library.note
    assert "respx" in library.note or "intercept" in library.note


def test_version_dependent_trio_support_is_recorded() -> None:
    """websockets' Trio code crashed under backpressure in 17.0: support counts from 17.0.1."""
    from packaging.version import Version

    library = default_knowledge().catalog.lookup("websockets")
    assert library is not None
    assert library.trio_since == Version("17.0.1")
    assert library.trio_since_date == dt.date(2026, 7, 31)
    assert library.maturity is Maturity.EXPERIMENTAL
    assert library.trio_at(Version("17.0")) is TrioSupport.BRIDGE
    assert library.trio_at(Version("17.0.1")) is TrioSupport.NATIVE


def test_websocket_client_that_moved_to_anyio_later_is_versioned() -> None:
    """httpx-ws used asyncio primitives until 0.4.x and runs on AnyIO only since 0.5.0."""
    from packaging.version import Version

    library = default_knowledge().catalog.lookup("httpx-ws")
    assert library is not None
    assert library.trio_at(Version("0.4.1")) is TrioSupport.BRIDGE
    assert library.trio_at(Version("0.5.0")) is TrioSupport.ANYIO
