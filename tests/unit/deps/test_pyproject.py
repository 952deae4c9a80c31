"""pyproject.toml and Pipfile: every table, roles, own extras, Poetry constraints, notices."""

from __future__ import annotations

import pytest
from packaging.specifiers import SpecifierSet

from advisor.deps.detect import read_text
from advisor.deps.model import DependencyRole
from advisor.deps.reading import DependencyFileError, FileFormat, Reading


def by_scope(reading: Reading) -> dict[tuple[str, str | None], list[str]]:
    """Declared names grouped by (role, group)."""
    groups: dict[tuple[str, str | None], list[str]] = {}
    for item in reading.declared:
        groups.setdefault((item.role.value, item.group), []).append(item.name)
    return {key: sorted(names) for key, names in groups.items()}


def test_pep621_and_pep735_tables_have_roles() -> None:
    """Runtime, optional extras and dependency groups are read, each with its role and name."""
    found = read_text(
        '[project]\nname = "x"\ndependencies = ["httpx>=0.27", "Trio==0.25.1"]\n'
        '[project.optional-dependencies]\ndb = ["asyncpg"]\n'
        '[dependency-groups]\ntest = ["hypothesis==6.0"]\n'
        'dev = ["ruff", {include-group = "test"}]\n'
    )
    assert found.format is FileFormat.PYPROJECT
    assert by_scope(found) == {
        ("runtime", None): ["httpx", "trio"],
        ("extra", "db"): ["asyncpg"],
        ("dev", "test"): ["hypothesis"],
        ("dev", "dev"): ["hypothesis", "ruff"],
    }
    assert found.problems == ()


def test_pdm_uv_and_hatch_tables_are_read() -> None:
    """Issue 9 case 3: PDM, uv and Hatch development tables are all read, as development groups."""
    found = read_text(
        '[project]\ndependencies = ["httpx"]\n'
        '[tool.pdm.dev-dependencies]\ntest = ["pytest-asyncio"]\n'
        '[tool.uv]\ndev-dependencies = ["asyncpg"]\n'
        '[tool.hatch.envs.default]\ndependencies = ["uvicorn"]\n'
    )
    assert by_scope(found) == {
        ("runtime", None): ["httpx"],
        ("dev", "test"): ["pytest-asyncio"],
        ("dev", "dev"): ["asyncpg"],
        ("dev", "default"): ["uvicorn"],
    }


def test_tables_that_are_not_read_are_named() -> None:
    """A table that may hold dependencies but is not read is named in a notice."""
    found = read_text(
        '[build-system]\nrequires = ["setuptools"]\n'
        '[project]\nname = "x"\ndynamic = ["dependencies"]\n'
        '[tool.setuptools.dynamic]\ndependencies = {file = ["requirements.txt"]}\n'
        '[tool.uv]\nconstraint-dependencies = ["idna<4"]\n'
    )
    said = " ".join(found.notices)
    assert "build-system.requires" in said
    assert "project.dependencies is dynamic" in said
    assert "tool.setuptools.dynamic.dependencies" in said
    assert "tool.uv.constraint-dependencies" in said
    assert found.declared == ()


def test_own_extras_resolve_to_their_packages() -> None:
    """Issue 9 case 4: `full = ["litestar[redis]"]` in litestar means the redis extra's packages."""
    found = read_text(
        '[project]\nname = "Litestar"\ndependencies = ["anyio"]\n'
        '[project.optional-dependencies]\nredis = ["redis[hiredis]>=4.4"]\n'
        'cli = ["click"]\nfull = ["litestar[redis,cli]"]\n'
        '[dependency-groups]\ntest = ["litestar[cli]", "pytest"]\n'
    )
    scopes = by_scope(found)
    assert scopes[("extra", "full")] == ["click", "redis"]
    assert scopes[("dev", "test")] == ["click", "pytest"]
    assert "litestar" not in found.names


def test_poetry_table_pins_read_like_bare_pins() -> None:
    """Issue 9 case 2: a table-form or `==` pin is the same pin as the bare version."""
    found = read_text(
        "[tool.poetry.dependencies]\n"
        'python = "^3.11"\n'
        'elasticsearch = {version = "8.15.1", extras = ["async"]}\n'
        'aiohttp = "==3.9.5"\n'
        'redis = "5.0.1"\n'
    )
    specs = {d.name: d.specifier for d in found.declared}
    assert specs == {
        "elasticsearch": SpecifierSet("==8.15.1"),
        "aiohttp": SpecifierSet("==3.9.5"),
        "redis": SpecifierSet("==5.0.1"),
    }
    assert next(d for d in found.declared if d.name == "elasticsearch").extras == ("async",)


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        ("^1.2.3", ">=1.2.3,<2"),
        ("^0.2.3", ">=0.2.3,<0.3"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("~1.2.3", ">=1.2.3,<1.3"),
        ("~1", ">=1,<2"),
        (">=1.2, <2", ">=1.2,<2"),
        (">=1.2 <2", ">=1.2,<2"),
        ("1.2.*", "==1.2.*"),
        ("*", None),
    ],
)
def test_poetry_caret_and_tilde_are_ranges(constraint: str, expected: str | None) -> None:
    """Caret, tilde, spaced and wildcard constraints become the PEP 440 ranges Poetry means."""
    found = read_text(f'[tool.poetry.dependencies]\nfoo = "{constraint}"\n')
    (item,) = found.declared
    assert item.specifier == (SpecifierSet(expected) if expected else None)


def test_poetry_roles_extras_and_groups() -> None:
    """Optional dependencies named by an extra are that extra; groups are development groups."""
    found = read_text(
        '[tool.poetry]\nname = "svc"\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\nhttpx = "*"\n'
        'sentry-sdk = {version = "^2", optional = true}\n'
        'unused = {version = "*", optional = true}\n'
        '[tool.poetry.extras]\nmonitoring = ["sentry-sdk"]\n'
        '[tool.poetry.dev-dependencies]\npytest = "*"\n'
        '[tool.poetry.group.lint.dependencies]\nruff = "*"\n'
    )
    assert by_scope(found) == {
        ("runtime", None): ["httpx"],
        ("extra", "monitoring"): ["sentry-sdk"],
        ("dev", "dev"): ["pytest"],
        ("dev", "lint"): ["ruff"],
    }
    assert any("unused" in n and "never installed" in n for n in found.notices)


def test_poetry_alternatives_are_kept_without_a_range() -> None:
    """`||` alternatives keep the dependency, without a range, and say why."""
    found = read_text('[tool.poetry.dependencies]\nfoo = "^1.0 || ^2.0"\n')
    (item,) = found.declared
    assert item.specifier is None
    assert any("||" in n for n in found.notices)


def test_bad_entries_are_reported_with_their_lines() -> None:
    """Bad requirement strings and keys are problems at their line; good entries are kept."""
    found = read_text(
        '[project]\nname = "x"\ndependencies = [\n  "httpx",\n  "not valid !!",\n  3,\n]\n'
        '[tool.poetry.dependencies]\n"foo bar" = "1.0"\nbaz = "^not-a-version"\n'
    )
    assert found.names == ("httpx",)
    lines = sorted((p.line, p.text) for p in found.problems)
    assert lines == [(0, "3"), (5, "not valid !!"), (9, "foo bar"), (10, "baz")]


def test_toml_numbers_too_long_and_nesting_too_deep_are_input_errors() -> None:
    """A 5,000-digit integer or 1,000-level nesting is a clear error, never a traceback."""
    with pytest.raises(DependencyFileError, match="not valid TOML"):
        read_text(f"[project]\nversion = {'1' * 5000}\n")
    with pytest.raises(DependencyFileError, match="nested too deeply"):
        read_text("[project]\ndependencies = " + "[" * 1000 + "]" * 1000 + "\n")
    deep = read_text("[tool]\n" + "a." * 2000 + 'b = ["x"]\n')
    assert deep.declared == ()


def test_a_huge_version_in_a_pyproject_is_a_bad_entry() -> None:
    """A version pin over 4,300 digits is one bad entry; the rest is read."""
    found = read_text(f'[project]\ndependencies = ["httpx", "foo=={"9" * 5000}"]\n')
    assert found.names == ("httpx",)
    assert len(found.problems) == 1


def test_pipfile_packages_and_categories() -> None:
    """Pipfile: packages are runtime, dev-packages and custom categories development groups."""
    found = read_text(
        '[[source]]\nurl = "https://pypi.org/simple"\nname = "pypi"\n'
        '[packages]\naiohttp = "==3.9.5"\nmotor = {version = ">=3.4", extras = ["srv"]}\n'
        'sdk = {git = "https://git.example.com/sdk.git"}\n'
        '[dev-packages]\npytest = "*"\n[docs]\nsphinx = "*"\n[requires]\npython_version = "3.12"\n'
    )
    assert found.format is FileFormat.PIPFILE
    assert by_scope(found) == {
        ("runtime", None): ["aiohttp", "motor", "sdk"],
        ("dev", "dev"): ["pytest"],
        ("dev", "docs"): ["sphinx"],
    }
    motor = next(d for d in found.declared if d.name == "motor")
    assert (motor.specifier, motor.extras) == (SpecifierSet(">=3.4"), ("srv",))
    assert all(d.role is not DependencyRole.EXTRA for d in found.declared)


def test_tables_read_names_poetry_extras_when_an_extra_is_weighed() -> None:
    """An optional dependency weighed through [tool.poetry.extras]: the table is named as read."""
    reading = read_text(
        '[tool.poetry]\nname = "demo"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n'
        'redis = { version = "^5", optional = true }\n\n[tool.poetry.extras]\ncache = ["redis"]\n'
    )
    assert [(d.name, d.role.value, d.group) for d in reading.declared] == [
        ("redis", "extra", "cache")
    ]
    tables = next(n for n in reading.notices if n.startswith("Tables read:"))
    assert "tool.poetry.extras" in tables
