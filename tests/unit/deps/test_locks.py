"""Lock files: uv.lock, poetry.lock, pdm.lock and Pipfile.lock, told apart by content."""

from __future__ import annotations

import json

import pytest
from packaging.version import Version

from advisor.deps.detect import read_bytes, read_text
from advisor.deps.reading import DependencyFileError, FileFormat

UV_LOCK = """\
version = 1
requires-python = ">=3.11"

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [{ name = "aiobotocore" }, { name = "elasticsearch", extra = ["async"] }]

[package.optional-dependencies]
cli = [{ name = "click" }]

[package.dev-dependencies]
test = [{ name = "pytest" }]

[package.metadata]
requires-dist = [{ name = "elasticsearch", extras = ["async"], specifier = ">=8.15,<9" }]

[[package]]
name = "aiobotocore"
version = "2.13.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "aiohttp" }]

[[package]]
name = "aiohttp"
version = "3.9.5"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "elasticsearch"
version = "8.15.1"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "elastic-transport" }]

[package.optional-dependencies]
async = [{ name = "aiohttp" }]
requests = [{ name = "requests" }]

[[package]]
name = "elastic-transport"
version = "8.15.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "click"
version = "8.1.7"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.2.2"
source = { registry = "https://pypi.org/simple" }
"""


def test_uv_lock_gives_roles_ranges_versions_and_the_tree() -> None:
    """uv.lock: the project's own entry gives direct deps and roles; extras asked for are edges."""
    found = read_text(UV_LOCK)
    assert found.format is FileFormat.UV_LOCK
    assert found.project_name == "app"
    roles = {(d.name, d.role.value, d.group) for d in found.declared}
    assert roles == {
        ("aiobotocore", "runtime", None),
        ("elasticsearch", "runtime", None),
        ("click", "extra", "cli"),
        ("pytest", "dev", "test"),
    }
    elasticsearch = next(d for d in found.declared if d.name == "elasticsearch")
    assert str(elasticsearch.specifier) == "<9,>=8.15"
    assert elasticsearch.extras == ("async",)
    assert found.locked["elasticsearch"].requires == ("aiohttp", "elastic-transport")
    assert found.locked["aiobotocore"].version == Version("2.13.0")


POETRY_LOCK = """\
[[package]]
name = "gql"
version = "3.5.0"
optional = false
python-versions = "*"
groups = ["main"]

[package.dependencies]
aiohttp = {version = ">=3.8", optional = true}
graphql-core = ">=3.2"
httpx = {version = ">=0.23", optional = true}

[package.extras]
aiohttp = ["aiohttp (>=3.8)"]

[[package]]
name = "aiohttp"
version = "3.9.5"
optional = false
python-versions = ">=3.8"
groups = ["main"]

[[package]]
name = "graphql-core"
version = "3.2.3"
optional = false
python-versions = ">=3.6"
groups = ["main"]

[[package]]
name = "pytest"
version = "8.2.2"
optional = false
python-versions = ">=3.8"
category = "dev"

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "abc"
"""


def test_poetry_lock_roots_groups_and_optional_edges() -> None:
    """poetry.lock: roots are direct, groups/category give roles, locked optional deps are edges."""
    found = read_text(POETRY_LOCK)
    assert found.format is FileFormat.POETRY_LOCK
    assert {(d.name, d.role.value) for d in found.declared} == {
        ("gql", "runtime"),
        ("pytest", "dev"),
    }
    assert found.locked["gql"].requires == ("aiohttp", "graphql-core")
    assert any("does not record which packages are direct" in n for n in found.notices)


def test_pdm_lock_reads_dependency_strings_and_groups() -> None:
    """pdm.lock: dependency strings give the edges (markers and extras read past)."""
    found = read_text(
        '[metadata]\ngroups = ["default", "test"]\nlock_version = "4.5.0"\n'
        '[[package]]\nname = "httpx"\nversion = "0.27.0"\ngroups = ["default"]\n'
        'dependencies = ["anyio", "h2<5,>=3; extra == \\"http2\\"", "Sniffio"]\n'
        '[[package]]\nname = "anyio"\nversion = "4.4.0"\ngroups = ["default"]\n'
        '[[package]]\nname = "sniffio"\nversion = "1.3.1"\ngroups = ["default"]\n'
        '[[package]]\nname = "pytest-trio"\nversion = "0.8.0"\ngroups = ["test"]\n'
        'dependencies = ["trio[foo]>=0.22"]\n'
    )
    assert found.format is FileFormat.PDM_LOCK
    assert {(d.name, d.role.value, d.group) for d in found.declared} == {
        ("httpx", "runtime", None),
        ("pytest-trio", "dev", "test"),
    }
    assert found.locked["httpx"].requires == ("anyio", "h2", "sniffio")


def test_pipfile_lock_is_json_with_default_and_develop() -> None:
    """Pipfile.lock: default is runtime, develop development; versions are exact."""
    document = {
        "_meta": {"pipfile-spec": 6},
        "default": {"aiohttp": {"version": "==3.9.5"}, "yarl": {"version": "==1.9.4"}},
        "develop": {"pytest": {"version": "==8.2.2"}},
    }
    found = read_text(json.dumps(document, indent=4))
    assert found.format is FileFormat.PIPFILE_LOCK
    assert {(d.name, d.role.value) for d in found.declared} == {
        ("aiohttp", "runtime"),
        ("yarl", "runtime"),
        ("pytest", "dev"),
    }
    assert found.locked["aiohttp"].version == Version("3.9.5")


def test_a_lock_upload_is_read_by_content_whatever_its_name() -> None:
    """Issue 13 item 4: lock bytes are read as a lock (the file name plays no part)."""
    assert read_bytes(UV_LOCK.encode()).format is FileFormat.UV_LOCK
    assert read_bytes(POETRY_LOCK.encode()).format is FileFormat.POETRY_LOCK


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000, "not valid JSON|nested too deeply|not valid TOML"),
        ("{" + '"a":' * 10 + "}", "not valid JSON"),
        ('{"x": ' + "[" * 5000 + "]" * 5000 + "}", "nested too deeply"),
        ('{"default": {"a": {"version": ' + "1" * 5000 + "}}}", "not valid JSON"),
        ('{"name": "not a lock"}', "not a Pipfile.lock"),
    ],
)
def test_broken_lock_files_are_input_errors(text: str, message: str) -> None:
    """Invalid, deeply nested or huge-number JSON/TOML raise `DependencyFileError`, nothing else."""
    with pytest.raises(DependencyFileError, match=message):
        read_text(text)


def test_lock_entries_of_the_wrong_shape_are_problems() -> None:
    """A package without a name or with an unusable version is reported; the rest is read."""
    found = read_text(
        'version = 1\n[[package]]\nversion = "1.0"\n'
        f'[[package]]\nname = "big"\nversion = "{"1" * 5000}"\n'
        '[[package]]\nname = "ok"\nversion = "1.0"\ndependencies = "not a list"\n'
    )
    assert found.format is FileFormat.UV_LOCK
    assert set(found.locked) == {"big", "ok"}
    assert found.locked["big"].version is None
    assert len(found.problems) == 2
