"""`catalog verify` and `catalog stale`: planted disagreements are found, true facts pass."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from advisor.catalog import load_catalog
from advisor.catalog.inspection import parse_metadata, read_wheel, scan_source
from advisor.catalog.stale import stale_facts
from advisor.catalog.verify import FindingKind, compare
from advisor.cli import main

from .datafiles import catalog_text, data_dir_with, library

CATEGORIES = {"web-framework": "Web frameworks", "http-client": "HTTP clients"}


def write_data(tmp_path: Path, *entries: dict[str, object]) -> Path:
    """A data folder whose libraries.toml holds `entries`."""
    (tmp_path / "libraries.toml").write_text(catalog_text(entries, CATEGORIES), "utf-8")
    return tmp_path


def build_wheel(tmp_path: Path, name: str, requires: list[str], modules: dict[str, str]) -> Path:
    """A minimal wheel: METADATA with the given Requires-Dist lines and the given modules."""
    path = tmp_path / f"{name}-1.0-py3-none-any.whl"
    metadata = ["Metadata-Version: 2.1", f"Name: {name}", "Version: 1.0"]
    extras = sorted({r.split('extra == "')[1].rstrip('"') for r in requires if "extra ==" in r})
    metadata += [f"Provides-Extra: {e}" for e in extras]
    metadata += [f"Requires-Dist: {r}" for r in requires]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}-1.0.dist-info/METADATA", "\n".join(metadata) + "\n")
        for module_path, source in modules.items():
            archive.writestr(module_path, source)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_verify_installed_finds_a_planted_false_fact(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A catalog claiming the installed starlette is asyncio-only and older is contradicted."""
    data = write_data(
        tmp_path,
        library(
            "starlette",
            category="web-framework",
            asyncio="native",
            trio="bridge",
            note="Planted falsehood.",
            checked_version="0.1",
        ),
    )
    code, out, _ = run(
        capsys,
        "catalog",
        "verify",
        "starlette",
        "--installed",
        "--format",
        "json",
        "--data",
        str(data),
    )
    report = json.loads(out)
    assert code == 1
    assert report["compared"] == 1
    kinds = {(f["library"], f["kind"]) for f in report["findings"]}
    assert ("starlette", "version") in kinds
    assert ("starlette", "dependency") in kinds
    dep = next(f for f in report["findings"] if f["kind"] == "dependency")
    assert "anyio" in dep["message"]
    assert "starlette/" in dep["message"]


def test_verify_installed_accepts_a_true_fact(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The installed starlette, catalogued as AnyIO-based at its own version, has no finding."""
    data = write_data(
        tmp_path,
        library(
            "starlette",
            category="web-framework",
            asyncio="anyio",
            trio="anyio",
            checked_version=version("starlette"),
        ),
    )
    code, out, _ = run(capsys, "catalog", "verify", "--installed", "--data", str(data))
    assert code == 0, out
    assert "1 distribution(s) compared, 0 finding(s)" in out


def test_verify_wheel_finds_asyncio_primitives_under_an_anyio_claim(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A wheel that depends on anyio but opens asyncio connections in its client is reported."""
    wheel = build_wheel(
        tmp_path,
        "fakeclient",
        ["anyio>=4", 'trio>=0.25; extra == "trio"'],
        {
            "fakeclient/__init__.py": "import anyio\n",
            "fakeclient/client.py": "import json\nimport asyncio\n\n"
            "async def get():\n    return await asyncio.open_connection('h', 1)\n",
            "fakeclient/tests/test_x.py": "import asyncio\nasyncio.run(None)\n",
        },
    )
    data = write_data(
        tmp_path,
        library(
            "fakeclient",
            category="http-client",
            asyncio="anyio",
            trio="anyio",
            extras={"trio": ["trio"], "http2": ["h2"]},
        ),
    )
    code, out, _ = run(capsys, "catalog", "verify", "--wheel", str(wheel), "--data", str(data))
    assert code == 1
    assert "[imports]" in out
    assert "fakeclient/client.py (open_connection)" in out
    assert "tests/test_x.py" not in out
    assert "extra 'http2' no longer exists" in out
    assert "extra 'trio'" not in out


def test_verify_reports_a_trio_import_the_catalog_does_not_know(tmp_path: Path) -> None:
    """A library catalogued as asyncio-only that now imports trio in its code is reported."""
    wheel = build_wheel(
        tmp_path,
        "fakeclient",
        [],
        {
            "fakeclient/net.py": "import asyncio\n\ntry:\n    import trio\n"
            "except ImportError:\n    pass\n"
        },
    )
    catalog = load_catalog(
        write_data(tmp_path, library("fakeclient", category="http-client")) / "libraries.toml"
    )
    entry = catalog.lookup("fakeclient")
    assert entry is not None
    findings = compare(entry, read_wheel(wheel))
    assert [f.kind for f in findings] == [FindingKind.IMPORTS]
    assert "fakeclient/net.py:4" in findings[0].message


def test_verify_of_a_file_that_is_not_a_wheel_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A broken wheel is an input error with a message, not a traceback."""
    bad = tmp_path / "broken-1.0-py3-none-any.whl"
    bad.write_bytes(b"not a zip")
    data = write_data(tmp_path, library("fakeclient", category="http-client"))
    code, _, err = run(capsys, "catalog", "verify", "--wheel", str(bad), "--data", str(data))
    assert code == 2
    assert "not a readable wheel" in err
    assert "Traceback" not in err


def test_metadata_extras_are_split_from_unconditional_dependencies() -> None:
    """Requires-Dist with an extra marker lands in that extra, environment markers stay base."""
    name, ver, deps, extras = parse_metadata(
        "Name: x\nVersion: 2\nProvides-Extra: trio\nProvides-Extra: standard\n"
        "Requires-Dist: idna\n"
        'Requires-Dist: exceptiongroup; python_version < "3.11"\n'
        'Requires-Dist: trio>=0.26; extra == "trio"\n'
        'Requires-Dist: uvicorn[standard]; extra == "standard"\n'
    )
    assert (name, ver) == ("x", "2")
    assert deps == {"idna", "exceptiongroup"}
    assert extras == {"trio": ("trio",), "standard": ("uvicorn",)}


def test_scan_source_finds_every_import_form_without_running_code() -> None:
    """Plain, dotted, from- and aliased imports are found with their lines; nothing runs."""
    sites, names = scan_source(
        "raise SystemExit\nimport trio.lowlevel\nfrom anyio import sleep\n"
        "import asyncio as aio\naio.get_running_loop()\nfrom asyncio import Lock\n",
        "pkg/mod.py",
    )
    assert [(s.module, s.line) for s in sites] == [
        ("trio", 2),
        ("anyio", 3),
        ("asyncio", 4),
        ("asyncio", 6),
    ]
    assert names == {"get_running_loop", "Lock"}


def test_stale_lists_old_and_experimental_facts_oldest_first(tmp_path: Path) -> None:
    """Old checks are due; experimental support is due sooner; fresh facts are not listed."""
    data = write_data(
        tmp_path,
        library("old", category="http-client", checked_on=dt.date(2026, 1, 1)),
        library("fresh", category="http-client", checked_on=dt.date(2026, 11, 20)),
        library(
            "trial", category="http-client", maturity="experimental", checked_on=dt.date(2026, 8, 1)
        ),
        library(
            "young",
            category="http-client",
            trio="native",
            trio_since="2.0",
            trio_since_date=dt.date(2026, 5, 1),
            checked_on=dt.date(2026, 8, 1),
        ),
    )
    catalog = load_catalog(data / "libraries.toml")
    due = stale_facts(catalog, dt.date(2026, 11, 29), 180)
    assert [fact.library.name for fact in due] == ["old", "trial", "young"]
    assert "experimental" in due[1].reason
    assert "Trio support 92 days old" in due[2].reason


def test_stale_command_exit_code_follows_what_is_due(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """stale exits 1 and names the entry when something is due, 0 when nothing is."""
    data = write_data(
        tmp_path, library("old", category="http-client", checked_on=dt.date(2026, 1, 1))
    )
    args = ("catalog", "stale", "--data", str(data), "--today", "2026-11-29")
    code, out, _ = run(capsys, *args)
    assert code == 1
    assert out.startswith("old 1.0 (checked 2026-01-01)")
    code, out, _ = run(capsys, *args, "--older-than", "400")
    assert code == 0
    assert "0 of 1 entries" in out


def test_verify_selects_a_wheel_by_its_catalog_entry_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Asking for an entry finds a wheel released under one of its aliases."""
    wheel = build_wheel(tmp_path, "fakeclient_slim", [], {"fakeclient/io.py": "import asyncio\n"})
    data = write_data(
        tmp_path, library("fakeclient", category="http-client", aliases=["fakeclient-slim"])
    )
    args = ("catalog", "verify", "--wheel", str(wheel), "--data", str(data))
    code, out, _ = run(capsys, *args[:2], "fakeclient", *args[2:])
    assert code == 0
    assert "1 distribution(s) compared" in out
    code, out, _ = run(capsys, *args[:2], "otherlib", *args[2:])
    assert "0 distribution(s) compared" in out


def test_libraries_json_shows_the_second_edition_fields(capsys: pytest.CaptureFixture[str]) -> None:
    """`libraries --format json` carries the new fields (role, maturity, dates, extras...)."""
    code, out, _ = run(capsys, "libraries", "--format", "json")
    rows = {row["name"]: row for row in json.loads(out)}
    assert code == 0
    websockets = rows["websockets"]
    assert websockets["maturity"] == "experimental"
    assert websockets["trio_since_date"] == "2026-07-31"
    assert rows["uvicorn"]["role"] == "server"
    assert rows["uvicorn"]["alternatives"] == ["hypercorn"]
    assert rows["fastapi"]["hosts_code"] is True
    assert "uvicorn" in rows["fastapi"]["extras"]["standard"]


def test_runtime_neutral_library_is_not_reported(tmp_path: Path) -> None:
    """A sans-I/O wheel with no runtime imports matches an entry saying it runs on both."""
    wheel = build_wheel(tmp_path, "sansio", [], {"sansio/__init__.py": "import socket\n"})
    data = write_data(
        tmp_path, library("sansio", category="http-client", asyncio="native", trio="native")
    )
    entry = load_catalog(data / "libraries.toml").lookup("sansio")
    assert entry is not None
    assert compare(entry, read_wheel(wheel)) == []


def test_native_trio_claim_with_only_asyncio_code_is_reported(tmp_path: Path) -> None:
    """An entry claiming Trio support for a wheel whose code imports only asyncio is reported."""
    wheel = build_wheel(tmp_path, "fakeclient", [], {"fakeclient/io.py": "import asyncio\n"})
    data = write_data(
        tmp_path, library("fakeclient", category="http-client", asyncio="native", trio="native")
    )
    entry = load_catalog(data / "libraries.toml").lookup("fakeclient")
    assert entry is not None
    (finding,) = compare(entry, read_wheel(wheel))
    assert finding.kind is FindingKind.IMPORTS
    assert "fakeclient/io.py:1" in finding.message


def test_catalog_commands_honour_advisor_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`catalog stale` reads the data folder ADVISOR_DATA_DIR names, like every entry point."""
    data = data_dir_with(tmp_path, libraries=[library("only-here", checked_on=dt.date(2020, 1, 1))])
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(data))
    code = main(["catalog", "stale", "--older-than", "30"])
    out = capsys.readouterr().out
    assert "only-here" in out
    assert code in (0, 1)
