"""Loading and validating the library catalog (small catalogs written to tmp_path)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from packaging.version import Version

from advisor.catalog import AsyncioSupport, Catalog, TrioSupport, load_catalog
from advisor.errors import DataError

from .datafiles import OMIT, catalog_text, library


def write_catalog(tmp_path: Path, *libraries: dict[str, object]) -> Path:
    path = tmp_path / "libraries.toml"
    path.write_text(catalog_text(libraries), "utf-8")
    return path


def load(tmp_path: Path, *libraries: dict[str, object]) -> Catalog:
    return load_catalog(write_catalog(tmp_path, *libraries))


def load_error(tmp_path: Path, *libraries: dict[str, object]) -> DataError:
    path = write_catalog(tmp_path, *libraries)
    with pytest.raises(DataError) as caught:
        load_catalog(path)
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    return caught.value


def test_valid_entry_loads_with_its_facts(tmp_path: Path) -> None:
    """A well-formed entry becomes a `Library` with typed fields."""
    catalog = load(tmp_path, library("Async_PG", trio_since="2.0", aliases=["old-name"]))
    (lib,) = catalog.libraries
    assert lib.name == "Async_PG"
    assert lib.key == "async-pg"
    assert lib.aliases == ("old-name",)
    assert lib.asyncio is AsyncioSupport.NATIVE
    assert lib.trio is TrioSupport.BRIDGE
    assert lib.trio_since == Version("2.0")
    assert lib.checked_on == dt.date(2026, 1, 2)
    assert catalog.names() == ("async-pg",)
    assert catalog.categories["database"] == "Database drivers"


@pytest.mark.parametrize("spelling", ["Async_PG", "async-pg", "ASYNC.PG", "async__pg"])
def test_lookup_matches_after_normalisation(tmp_path: Path, spelling: str) -> None:
    """Any PEP 503 spelling of a name finds its entry."""
    catalog = load(tmp_path, library("Async_PG"))
    found = catalog.lookup(spelling)
    assert found is not None
    assert found.name == "Async_PG"


@pytest.mark.parametrize("spelling", ["aioredis", "AIORedis", "aio_redis"])
def test_lookup_resolves_aliases(tmp_path: Path, spelling: str) -> None:
    """An alias (old name, import name) finds the entry it belongs to, in any spelling."""
    catalog = load(tmp_path, library("redis", aliases=["aioredis", "Aio_Redis"]))
    found = catalog.lookup(spelling)
    assert found is not None
    assert found.name == "redis"


def test_lookup_of_an_unknown_name_is_none(tmp_path: Path) -> None:
    """A name neither listed nor an alias is not found."""
    assert load(tmp_path, library("redis")).lookup("redis-py") is None


def test_missing_field_is_named(tmp_path: Path) -> None:
    """An entry without a required field fails naming the library and the field."""
    error = load_error(tmp_path, library("foo", evidence=OMIT))
    assert error.entry == "library 'foo'"
    assert error.problem == "missing field(s): evidence"


def test_unknown_field_is_named(tmp_path: Path) -> None:
    """A misspelt field is an error, not silently ignored."""
    error = load_error(tmp_path, library("foo", evidense="https://example.org"))
    assert error.entry == "library 'foo'"
    assert "evidense" in error.problem


def test_unknown_category_is_an_error(tmp_path: Path) -> None:
    """A category outside [categories] fails and lists the known ones."""
    error = load_error(tmp_path, library("foo", category="databse"))
    assert error.entry == "library 'foo'"
    assert "databse" in error.problem
    assert "database" in error.problem
    assert "http-client" in error.problem


@pytest.mark.parametrize(
    ("field", "allowed"),
    [
        ("asyncio", "native, anyio, thread, none"),
        ("trio", "native, anyio, bridge, thread, none"),
        ("confidence", "high, medium, low"),
    ],
)
def test_bad_enum_value_lists_allowed_values(tmp_path: Path, field: str, allowed: str) -> None:
    """A value outside a closed set fails naming the field, the value and the allowed values."""
    error = load_error(tmp_path, library("foo", **{field: "maybe"}))
    assert error.entry == "library 'foo'"
    assert f"'{field}' is 'maybe'" in error.problem
    assert allowed in error.problem


@pytest.mark.parametrize(
    "url",
    ["http://example.org/foo", "example.org/foo", "https://", "https://exa mple.org", "ftp://x"],
)
def test_evidence_must_be_a_well_formed_https_url(tmp_path: Path, url: str) -> None:
    """Evidence that is not an https URL with a host fails."""
    error = load_error(tmp_path, library("foo", evidence=url))
    assert error.entry == "library 'foo'"
    assert "https URL" in error.problem


@pytest.mark.parametrize("checked_on", ["2026-01-02", dt.datetime(2026, 1, 2, 3, 4), 20260102])
def test_checked_on_must_be_a_toml_date(tmp_path: Path, checked_on: object) -> None:
    """`checked_on` as a string, a date-time or a number fails: it must be a TOML date."""
    error = load_error(tmp_path, library("foo", checked_on=checked_on))
    assert error.entry == "library 'foo'"
    assert "checked_on" in error.problem


@pytest.mark.parametrize(
    ("field", "value"),
    [("checked_version", "not a version"), ("trio_since", "soon"), ("note", "  "), ("name", "a b")],
)
def test_malformed_text_fields_fail(tmp_path: Path, field: str, value: str) -> None:
    """Versions must parse, notes must not be blank, names must be PyPI names."""
    error = load_error(tmp_path, library("foo", **{field: value}))
    assert field in error.problem


def test_aliases_must_be_valid_names(tmp_path: Path) -> None:
    """An alias that is not a PyPI name fails."""
    error = load_error(tmp_path, library("foo", aliases=["ok", "not ok"]))
    assert error.entry == "library 'foo'"
    assert "aliases" in error.problem


def test_duplicate_after_normalisation_is_an_error(tmp_path: Path) -> None:
    """Two entries whose names normalise alike fail, naming the second and the first."""
    error = load_error(tmp_path, library("Foo_Bar"), library("foo.bar"))
    assert error.entry == "library 'foo.bar'"
    assert "foo-bar" in error.problem
    assert "Foo_Bar" in error.problem


def test_alias_colliding_with_a_name_is_an_error(tmp_path: Path) -> None:
    """An alias that is another entry's name fails."""
    error = load_error(tmp_path, library("redis", aliases=["aioredis"]), library("AioRedis"))
    assert error.entry == "library 'AioRedis'"
    assert "aioredis" in error.problem
    assert "redis" in error.problem


def test_alias_colliding_with_another_alias_is_an_error(tmp_path: Path) -> None:
    """Two entries may not claim the same alias."""
    error = load_error(
        tmp_path, library("one", aliases=["shared"]), library("two", aliases=["Shared"])
    )
    assert error.entry == "library 'two'"
    assert "shared" in error.problem


def test_entry_without_a_name_is_named_by_position(tmp_path: Path) -> None:
    """An entry missing its name is identified by its position in the file."""
    error = load_error(tmp_path, library("ok"), library("x", name=OMIT))
    assert error.entry == "library #2"
    assert "name" in error.problem


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    """A catalog that is not TOML fails for the whole file (no entry)."""
    path = tmp_path / "libraries.toml"
    path.write_text("[categories\n", "utf-8")
    with pytest.raises(DataError) as caught:
        load_catalog(path)
    assert caught.value.path == path
    assert caught.value.entry is None
    assert "not valid TOML" in caught.value.problem


def test_missing_file_is_a_data_error(tmp_path: Path) -> None:
    """A catalog file that does not exist fails with `DataError`, not `OSError`."""
    with pytest.raises(DataError, match="cannot be read"):
        load_catalog(tmp_path / "absent.toml")


def test_categories_and_entries_are_required(tmp_path: Path) -> None:
    """A catalog with no [categories] or no [[library]] fails naming what is missing."""
    path = tmp_path / "libraries.toml"
    path.write_text('[[library]]\nname = "x"\n', "utf-8")
    with pytest.raises(DataError) as caught:
        load_catalog(path)
    assert caught.value.entry == "[categories]"
    path.write_text('[categories]\ndatabase = "Databases"\n', "utf-8")
    with pytest.raises(DataError) as caught:
        load_catalog(path)
    assert caught.value.entry == "[[library]]"


@pytest.mark.parametrize(
    ("asyncio", "trio", "version", "expected"),
    [
        ("native", "anyio", None, TrioSupport.ANYIO),
        ("native", "anyio", "1.9", TrioSupport.BRIDGE),
        ("native", "anyio", "2.0", TrioSupport.ANYIO),
        ("native", "anyio", "2.0rc1", TrioSupport.BRIDGE),
        ("native", "anyio", "3.1", TrioSupport.ANYIO),
        ("none", "native", "1.0", TrioSupport.NONE),
        ("none", "native", "2.0.1", TrioSupport.NATIVE),
    ],
)
def test_trio_at_honours_trio_since(
    tmp_path: Path, asyncio: str, trio: str, version: str | None, expected: TrioSupport
) -> None:
    """Before `trio_since` a library is asyncio-only (bridge), or unusable if not on asyncio."""
    catalog = load(tmp_path, library("lib", asyncio=asyncio, trio=trio, trio_since="2.0"))
    (lib,) = catalog.libraries
    assert lib.trio_at(Version(version) if version else None) is expected


def test_trio_at_without_trio_since_ignores_the_version(tmp_path: Path) -> None:
    """A library with no `trio_since` has the same Trio support at every version."""
    (lib,) = load(tmp_path, library("lib", trio="native")).libraries
    assert lib.trio_at(Version("0.0.1")) is TrioSupport.NATIVE


def _before(**overrides: object) -> dict[str, object]:
    """A valid `trio_before` table, fields overridden (OMIT removes one)."""
    table: dict[str, object] = {
        "trio": "native",
        "note": "Pass sleep=trio.sleep.",
        "evidence": "https://example.org/lib/1.5/retry.py#line.3",
        "checked_version": "1.5",
    }
    return {k: v for k, v in {**table, **overrides}.items() if v is not OMIT}


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("1.5", TrioSupport.NATIVE),
        ("0.1", TrioSupport.NATIVE),
        ("2.0", TrioSupport.ANYIO),
        (None, TrioSupport.ANYIO),
    ],
)
def test_trio_at_uses_trio_before_below_trio_since(
    tmp_path: Path, version: str | None, expected: TrioSupport
) -> None:
    """Below `trio_since` a stated `trio_before` replaces the asyncio-only default."""
    entry = library("lib", trio="anyio", trio_since="2.0", trio_before=_before())
    (lib,) = load(tmp_path, entry).libraries
    assert lib.trio_before is not None
    assert lib.trio_before.note == "Pass sleep=trio.sleep."
    assert lib.trio_before.checked_version == "1.5"
    assert lib.trio_at(Version(version) if version else None) is expected


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        (_before(trio="sometimes"), "'trio_before.trio' is 'sometimes'; allowed: native"),
        (_before(note="  "), "'trio_before.note' must be a non-empty string"),
        (_before(evidence="http://example.org/x"), "'trio_before.evidence' must be an https"),
        (_before(checked_version=OMIT), "missing field(s) in 'trio_before': checked_version"),
        (_before(checked_version="2.0"), "is not older than trio_since 2.0"),
        (_before(since="1.0"), "unknown field(s) in 'trio_before': since"),
        ("native", "'trio_before' must be a table"),
    ],
)
def test_a_bad_trio_before_names_file_and_entry(
    tmp_path: Path, table: object, problem: str
) -> None:
    """A bad `trio_before` value fails at load with the file, the entry and the problem."""
    entry = library("lib", trio="anyio", trio_since="2.0", trio_before=table)
    error = load_error(tmp_path, entry)
    assert error.entry == "library 'lib'"
    assert problem in error.problem


def test_trio_before_needs_trio_since(tmp_path: Path) -> None:
    """`trio_before` without `trio_since` has no version to end at, so it fails."""
    error = load_error(tmp_path, library("lib", trio="native", trio_before=_before()))
    assert error.entry == "library 'lib'"
    assert "'trio_before' needs 'trio_since'" in error.problem


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/googleapis/google-cloud-python/tree/main/packages/google-cloud-storage",
        "https://github.com/owner/lib/blob/master/lib/io.py#L3",
        "https://github.com/owner/lib",
        "https://lib.readthedocs.io/en/stable/",
        "https://pypi.org/project/lib/",
    ],
)
def test_evidence_off_the_decisive_versioned_place_fails(tmp_path: Path, url: str) -> None:
    """A moving branch, a repository root, a docs front page or a PyPI page fails at load."""
    error = load_error(tmp_path, library("lib", evidence=url))
    assert error.entry == "library 'lib'"
    assert "'evidence'" in error.problem
    before = library(
        "lib",
        trio_since="2.0",
        trio_before={
            "trio": "native",
            "note": "n",
            "evidence": url,
            "checked_version": "1.0",
        },
    )
    assert "'trio_before.evidence'" in load_error(tmp_path, before).problem


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/owner/lib/blob/v1.0/lib/io.py#L3",
        "https://github.com/owner/lib/blob/0123456789abcdef0123456789abcdef01234567/io.py#L3",
        "https://lib.readthedocs.io/en/stable/async.html#trio",
        "https://github.com/owner/lib/issues/12",
    ],
)
def test_evidence_at_a_tag_commit_or_docs_section_loads(tmp_path: Path, url: str) -> None:
    """Tags, commit SHAs, issue threads and docs sections are accepted as evidence."""
    (lib,) = load(tmp_path, library("lib", evidence=url)).libraries
    assert lib.evidence == url
