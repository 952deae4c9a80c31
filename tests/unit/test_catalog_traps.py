"""The catalog's trap cases: facts a hasty reading of classifiers or framework docs gets wrong."""

from __future__ import annotations

import pytest

from advisor.catalog import TrioSupport
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


def test_aliases_resolve_to_the_current_project() -> None:
    """aioredis was merged into redis-py; its name resolves to the redis entry."""
    library = default_knowledge().catalog.lookup("aioredis")
    assert library is not None
    assert library.name == "redis"


def test_version_dependent_trio_support_is_recorded() -> None:
    """websockets added its Trio implementation in 17.0; earlier pins are asyncio-only."""
    from packaging.version import Version

    library = default_knowledge().catalog.lookup("websockets")
    assert library is not None
    assert library.trio_since == Version("17.0")
    assert library.trio_at(Version("16.0")) is TrioSupport.BRIDGE
    assert library.trio_at(Version("17.0")) is TrioSupport.NATIVE
