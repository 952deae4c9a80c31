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
    blockers: frozenset[tuple[str, str]] = frozenset()
    """(dependency, runtime ruled out) from `recommend`."""
    pulled_in: tuple[str, ...] = ()
    """Transitive asyncio-only / Trio-only packages as "direct → ... → package"."""
    roles: dict[str, str] = field(default_factory=dict)
    """name -> role of its first declaration."""


CASES: dict[str, Expected] = {
    "requirements.txt": Expected(
        format=FileFormat.REQUIREMENTS,
        weighed=("asyncpg", "elasticsearch", "fastmcp", "httpx", "redis"),
        blockers=frozenset({("asyncpg", "trio"), ("elasticsearch", "trio"), ("redis", "trio")}),
        roles={"elasticsearch": "runtime"},
    ),
    "pip-freeze-powershell.txt": Expected(
        format=FileFormat.REQUIREMENTS,
        weighed=("aiohttp", "anyio", "httpx", "trio"),
        blockers=frozenset({("aiohttp", "trio"), ("trio", "asyncio")}),
    ),
    "requirements-compiled.txt": Expected(
        format=FileFormat.REQUIREMENTS,
        weighed=("httpx", "s3fs"),
        pulled_in=("s3fs → aiobotocore", "s3fs → aiohttp"),
    ),
    "uv-export.txt": Expected(format=FileFormat.REQUIREMENTS, weighed=("fastapi", "httpx")),
    "pyproject-pep621.toml": Expected(
        format=FileFormat.PYPROJECT,
        weighed=("advanced-alchemy", "anyio", "httpx", "redis", "typing-extensions"),
        dev=("mypy", "pytest", "pytest-asyncio", "ruff", "trio", "types-redis"),
        blockers=frozenset({("redis", "trio")}),
        roles={"redis": "extra", "anyio": "runtime", "ruff": "dev"},
    ),
    "pyproject-poetry.toml": Expected(
        format=FileFormat.PYPROJECT,
        weighed=("elasticsearch", "hypercorn", "orjson", "sentry-sdk", "starlette"),
        dev=("pytest", "pytest-asyncio", "ruff"),
        blockers=frozenset({("elasticsearch", "trio")}),
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
        blockers=frozenset({("aiohttp", "trio"), ("motor", "trio"), ("trio-websocket", "asyncio")}),
    ),
    "uv.lock": Expected(
        format=FileFormat.UV_LOCK,
        weighed=("fastmcp", "s3fs", "typer"),
        dev=("pytest", "pytest-asyncio"),
        pulled_in=(
            "s3fs → aiobotocore",
            "s3fs → aiohttp",
            "s3fs → aiobotocore → aioitertools",
        ),
        roles={"typer": "extra", "pytest": "dev"},
    ),
    "poetry.lock": Expected(
        format=FileFormat.POETRY_LOCK,
        weighed=("gql", "httpx"),
        dev=("pytest-asyncio",),
        pulled_in=("gql → aiohttp",),
    ),
    "pdm.lock": Expected(
        format=FileFormat.PDM_LOCK,
        weighed=("anyio", "trio-websocket"),
        dev=("pytest-trio",),
        blockers=frozenset({("trio-websocket", "asyncio")}),
        pulled_in=("trio-websocket → trio",),
    ),
    "Pipfile.lock": Expected(
        format=FileFormat.PIPFILE_LOCK,
        weighed=("aiohttp", "motor", "multidict", "yarl"),
        dev=("pytest", "pytest-aiohttp"),
        blockers=frozenset({("aiohttp", "trio"), ("motor", "trio")}),
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
    direct = {(b.dependency, b.runtime.value) for b in rec.blockers if not b.via}
    assert direct == expected.blockers
