"""The catalog's second-edition schema: new fields, bad files and hostile URLs are rejected."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from advisor.catalog import Catalog, LibraryRole, Maturity, load_catalog
from advisor.errors import DataError

from .datafiles import OMIT, catalog_text, library


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "libraries.toml"
    if isinstance(text, str):
        path.write_text(text, "utf-8")
    else:
        path.write_bytes(text)
    return path


def load(tmp_path: Path, *entries: dict[str, object]) -> Catalog:
    return load_catalog(write(tmp_path, catalog_text(entries)))


def error_of(tmp_path: Path, text: str | bytes) -> DataError:
    path = write(tmp_path, text)
    with pytest.raises(DataError) as caught:
        load_catalog(path)
    assert caught.value.path == path
    return caught.value


def test_new_fields_load_with_their_types(tmp_path: Path) -> None:
    """role, maturity, trio_since_date, alternatives, hosts_code and extras become typed fields."""
    catalog = load(
        tmp_path,
        library("other"),
        library(
            "Main_Lib",
            role="server",
            maturity="experimental",
            trio_since_date=dt.date(2026, 3, 4),
            alternatives=["Other"],
            hosts_code=True,
            extras={"Standard": ["Uvicorn", "httpx"]},
        ),
    )
    lib = catalog.libraries[1]
    assert lib.role is LibraryRole.SERVER
    assert lib.maturity is Maturity.EXPERIMENTAL
    assert lib.trio_since_date == dt.date(2026, 3, 4)
    assert lib.alternatives == ("other",)
    assert lib.hosts_code is True
    assert lib.extras == {"standard": ("uvicorn", "httpx")}
    assert lib.trio_support_age_days(dt.date(2026, 3, 14)) == 10
    plain = catalog.libraries[0]
    assert (plain.hosts_code, plain.alternatives, dict(plain.extras)) == (False, (), {})


@pytest.mark.parametrize("field", ["role", "maturity"])
def test_role_and_maturity_are_required(tmp_path: Path, field: str) -> None:
    """An entry without role or maturity names the missing field."""
    error = error_of(tmp_path, catalog_text([library("foo", **{field: OMIT})]))
    assert error.entry == "library 'foo'"
    assert field in error.problem


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"role": "plugin"}, "runtime, library, server, test-plugin, tooling"),
        ({"maturity": "beta"}, "stable, experimental, unmaintained"),
        ({"hosts_code": "yes"}, "'hosts_code' must be true or false"),
        ({"trio_since_date": "2024-01-01"}, "'trio_since_date' must be a TOML date"),
        ({"alternatives": "httpx"}, "'alternatives' must be a list"),
        ({"alternatives": ["foo"]}, "names the project itself"),
        ({"alternatives": ["nowhere"]}, "alternative 'nowhere' is not a catalogued project"),
        ({"extras": ["trio"]}, "'extras' must be a table"),
        ({"extras": {"trio": "trio"}}, "'extras.trio' must be a list"),
        ({"checked_version": "1" * 5000}, "is not a version"),
    ],
)
def test_bad_new_field_values_are_named(
    tmp_path: Path, overrides: dict[str, object], words: str
) -> None:
    """Each malformed new field is rejected with the entry named and the rule stated."""
    error = error_of(tmp_path, catalog_text([library("foo", **overrides)]))
    assert error.entry == "library 'foo'"
    assert words in error.problem


def test_misspelt_library_table_is_rejected_with_a_suggestion(tmp_path: Path) -> None:
    """A `[[libary]]` typo is not silently ignored: the table is named, 'library' suggested."""
    text = catalog_text([library("foo")]) + '\n[[libary]]\nname = "bar"\n'
    error = error_of(tmp_path, text)
    assert error.entry == "[libary]"
    assert "did you mean 'library'" in error.problem


def test_unknown_top_level_key_is_rejected(tmp_path: Path) -> None:
    """A stray top-level key such as `rule = 5` is an error, not ignored."""
    error = error_of(tmp_path, "rule = 5\n" + catalog_text([library("foo")]))
    assert error.entry == "[rule]"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files_are_named_as_such(tmp_path: Path, encoding: str) -> None:
    """A catalog saved as UTF-16/32 gets a message saying so, not a decoding traceback."""
    error = error_of(tmp_path, catalog_text([library("foo")]).encode(encoding))
    assert "UTF-16 or UTF-32" in error.problem


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    """A UTF-8 BOM (what some editors write) does not break loading."""
    path = write(tmp_path, b"\xef\xbb\xbf" + catalog_text([library("foo")]).encode())
    assert load_catalog(path).libraries[0].name == "foo"


def test_non_utf8_bytes_name_the_line(tmp_path: Path) -> None:
    """A Latin-1 byte in a note is reported with its line number."""
    text = (
        catalog_text([library("foo", note="cafe")]).replace("cafe", "caf\u00e9").encode("latin-1")
    )
    line = text[: text.index(b"caf")].count(b"\n") + 1
    error = error_of(tmp_path, text)
    assert error.entry == f"line {line}"
    assert "not UTF-8" in error.problem


def test_deep_nesting_is_a_data_error(tmp_path: Path) -> None:
    """Arrays nested thousands deep give a DataError, not a RecursionError."""
    error = error_of(tmp_path, "x = " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested too deeply" in error.problem or "not valid TOML" in error.problem


def test_huge_integer_is_a_data_error(tmp_path: Path) -> None:
    """An integer past Python's digit limit gives a DataError, not a ValueError."""
    error = error_of(tmp_path, "x = " + "9" * 5000 + "\n")
    assert "cannot read" in error.problem


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "https://ok.example/a)![x](https://evil.example/i.png",
        "https://ok.example/a]",
        "https://ok.example/<script>",
        'https://ok.example/"onmouseover',
        "https://ok.example/a\\b",
        "https:///no-host",
        "https://ok.example/a\u0007",
        "data:text/html,hi",
    ],
)
def test_evidence_urls_that_could_break_out_of_markdown_are_rejected(
    tmp_path: Path, url: str
) -> None:
    """Evidence must be a plain https URL with a host: no scheme tricks or breakout characters."""
    error = error_of(tmp_path, catalog_text([library("foo", evidence=url)]))
    assert error.entry == "library 'foo'"
    assert "https URL" in error.problem
