"""Realistic dependency files, one per format, read end to end: names, roles and blockers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from advisor.answers import Answers
from advisor.deps.detect import read_bytes
from advisor.deps.reading import FileFormat
from advisor.deps.resolve import resolve
from advisor.engine import Knowledge, recommend

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "deps"


@dataclass(frozen=True, slots=True, kw_only=True)
class Expected:
    """What one fixture must give."""

    format: FileFormat
    weighed: tuple[str, ...]
    dev: tuple[str, ...] = ()
    blockers: frozenset[tuple[str, str, str]] = frozenset()
    """(dependency, runtime ruled out, chain "a → b" or "" if direct) from `recommend`."""
    pulled_in: tuple[str, ...] = ()
    """Transitive asyncio-only / Trio-only packages as "direct → ... → package"."""
    roles: dict[str, str] = field(default_factory=dict)
    """name -> role of its first declaration."""


def blocks(*items: str) -> frozenset[tuple[str, str, str]]:
    """Blockers written "dependency:runtime" or "dependency:runtime:a → b" (the chain)."""
    found = set()
    for item in items:
        dependency, runtime, *via = item.split(":")
        found.add((dependency, runtime, via[0] if via else ""))
    return frozenset(found)


CASES: dict[str, Expected] = {
    "requirements.txt": Expected(
        format=FileFormat.REQUIREMENTS,
        # elasticsearch[async] pulls in aiohttp (catalog extras data): transitive, with its
        # chain, never one of the names the file gives.
        weighed=("asyncpg", "elasticsearch", "fastmcp", "httpx", "redis"),
        blockers=blocks(
            "aiohttp:trio:elasticsearch",
            "asyncpg:trio",
            "elasticsearch:trio",
            "fastmcp:trio",
            "redis:trio",
        ),
        pulled_in=("elasticsearch[async] → aiohttp",),
        roles={"elasticsearch": "runtime"},
    ),
    "pip-freeze-powershell.txt": Expected(
        format=FileFormat.REQUIREMENTS,
        weighed=("aiohttp", "anyio", "httpx", "trio"),
        blockers=blocks("aiohttp:trio"),
    ),
    "requirements-compiled.txt": Expected(
        format=FileFormat.REQUIREMENTS,
        weighed=("httpx", "s3fs"),
        blockers=blocks(
            "s3fs:trio", "aiobotocore:trio:s3fs", "aiohttp:trio:s3fs", "fsspec:trio:s3fs"
        ),
        pulled_in=("s3fs → aiobotocore", "s3fs → aiohttp", "s3fs → fsspec"),
    ),
    "uv-export.txt": Expected(format=FileFormat.REQUIREMENTS, weighed=("fastapi", "httpx")),
    "pyproject-pep621.toml": Expected(
        format=FileFormat.PYPROJECT,
        weighed=("advanced-alchemy", "anyio", "httpx", "redis", "typing-extensions"),
        dev=("mypy", "pytest", "pytest-asyncio", "ruff", "trio", "types-redis"),
        blockers=blocks("redis:trio"),
        roles={"redis": "extra", "anyio": "runtime", "ruff": "dev"},
    ),
    "pyproject-poetry.toml": Expected(
        format=FileFormat.PYPROJECT,
        weighed=("elasticsearch", "hypercorn", "orjson", "sentry-sdk", "starlette"),
        dev=("pytest", "pytest-asyncio", "ruff"),
        blockers=blocks("aiohttp:trio:elasticsearch", "elasticsearch:trio"),
        pulled_in=("elasticsearch[async] → aiohttp",),
        roles={"sentry-sdk": "extra", "pytest": "dev"},
    ),
    "pyproject-tools.toml": Expected(
        format=FileFormat.PYPROJECT,
        weighed=("httpx",),
        dev=("asyncpg", "mkdocs-material", "pytest-asyncio", "uvicorn"),
    ),
    "Pipfile": Expected(
        format=FileFormat.PIPFILE,
        weighed=("aiohttp", "internal-sdk", "motor", "trio-websocket"),
        dev=("pytest-aiohttp",),
        blockers=blocks("aiohttp:trio", "motor:trio", "trio-websocket:asyncio"),
    ),
    "uv.lock": Expected(
        format=FileFormat.UV_LOCK,
        weighed=("fastmcp", "s3fs", "typer"),
        dev=("pytest", "pytest-asyncio"),
        blockers=blocks(
            "fastmcp:trio",
            "s3fs:trio",
            "aiobotocore:trio:s3fs",
            "aiohttp:trio:s3fs",
            "aioitertools:trio:s3fs → aiobotocore",
            "fsspec:trio:s3fs",
        ),
        pulled_in=(
            "s3fs → aiobotocore",
            "s3fs → aiohttp",
            "s3fs → aiobotocore → aioitertools",
            "s3fs → fsspec",
        ),
        roles={"typer": "extra", "pytest": "dev"},
    ),
    "poetry.lock": Expected(
        format=FileFormat.POETRY_LOCK,
        weighed=("gql", "httpx"),
        dev=("pytest-asyncio",),
        blockers=blocks("aiohttp:trio:gql", "graphql-core:trio:gql"),
        pulled_in=("gql → aiohttp", "gql → graphql-core"),
    ),
    "pdm.lock": Expected(
        format=FileFormat.PDM_LOCK,
        weighed=("anyio", "trio-websocket"),
        dev=("pytest-trio",),
        blockers=blocks("trio-websocket:asyncio"),
        pulled_in=("trio-websocket → trio",),
    ),
    "Pipfile.lock": Expected(
        format=FileFormat.PIPFILE_LOCK,
        weighed=("aiohttp", "motor", "multidict", "yarl"),
        dev=("pytest", "pytest-aiohttp"),
        blockers=blocks("aiohttp:trio", "motor:trio"),
    ),
}


def test_every_fixture_has_expectations() -> None:
    """Each file under tests/fixtures/deps is checked, and there is one per format at least."""
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(CASES)
    assert {case.format for case in CASES.values()} == set(FileFormat) - {FileFormat.INSTALLED}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_reads_as_expected(name: str, knowledge: Knowledge) -> None:
    """The format, weighed names, development tooling, roles and blockers are as expected."""
    expected = CASES[name]
    reading = read_bytes((FIXTURES / name).read_bytes())
    assert reading.format is expected.format
    assert reading.problems == ()
    resolution = resolve(reading, knowledge.catalog)
    assert resolution.deps == expected.weighed
    assert resolution.project.dev == expected.dev
    roles = {d.name: d.role.value for d in reversed(reading.declared)}
    for dep, role in expected.roles.items():
        assert roles[dep] == role, dep
    assert tuple(p.path for p in resolution.pulled_in) == expected.pulled_in
    rec = recommend(
        Answers(deps=resolution.deps),
        knowledge,
        versions=resolution.versions,
        project=resolution.project,
    )
    found = {(b.dependency, b.runtime.value, " → ".join(b.via)) for b in rec.blockers}
    assert found == expected.blockers
