"""data/porting.toml: loads, covers every runtime API, each mapping reaches a plan, errors named."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from advisor.errors import DataError
from advisor.rules.model import Runtime
from advisor.scan.catalog import (
    RUNTIME_FAMILIES,
    Catalog,
    Effort,
    PortMapping,
    load_catalog,
    runtime_of,
)
from advisor.scan.scanner import scan


@cache
def catalog() -> Catalog:
    return load_catalog()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "porting.toml"
    path.write_text(text, encoding="utf-8")
    return path


_KIND = '[[kind]]\nid = "asyncio.x"\nfamily = "asyncio"\nlabel = "X"\napis = ["asyncio.gather"]\n'
_MAPPING = (
    '[[mapping]]\napis = ["asyncio.gather"]\nto = "trio"\neffort = "mechanical"\n'
    'how = "a nursery"\nsource = "https://trio.readthedocs.io/en/stable/x.html#y"\n'
)


def test_the_real_catalog_loads_with_kinds_and_mappings() -> None:
    """The shipped data file loads, with kinds for every family and mappings to every runtime."""
    assert {k.family for k in catalog().kinds} >= set(RUNTIME_FAMILIES)
    assert {m.to for m in catalog().mappings} == set(Runtime)


def test_every_runtime_api_has_a_mapping_to_every_other_runtime() -> None:
    """No asyncio, Trio or AnyIO API is left without a way to each other runtime."""
    missing = []
    for kind in catalog().kinds:
        runtime = runtime_of(kind.family)
        if runtime is None:
            continue
        names = [*kind.apis, *(f"{kind.family}.loop.{m}" for m in kind.methods)]
        for api in names:
            probe = api[:-2] + ".example" if api.endswith(".*") else api
            for target in Runtime:
                if target is not runtime and catalog().mapping(probe, target) is None:
                    missing.append(f"{api} -> {target}")
    assert missing == []


def test_every_mapping_has_a_documentation_section_as_source() -> None:
    """Each source is an https URL into the target runtime's docs, at a #section (or page)."""
    homes = {
        Runtime.ASYNCIO: "https://docs.python.org/3/library/",
        Runtime.TRIO: "https://trio.readthedocs.io/en/stable/",
        Runtime.ANYIO: "https://anyio.readthedocs.io/en/stable/",
    }
    for mapping in catalog().mappings:
        home = homes[Runtime.ANYIO] if mapping.effort is Effort.NONE else homes[mapping.to]
        assert mapping.source.startswith(home), mapping.entry


def _mapping_cases() -> list[tuple[PortMapping, str]]:
    cases = []
    for mapping in catalog().mappings:
        for api in mapping.apis:
            cases.append((mapping, api))
    return cases


def _module_using(api: str) -> str:
    if ".loop." in api:
        return f"import asyncio\n\nloop.{api.rsplit('.', 1)[1]}()\n"
    name = api[:-2] + ".example" if api.endswith(".*") else api
    return f"import {name.split('.', 1)[0]}\n\nx = {name}\n"


@pytest.mark.parametrize(
    ("mapping", "api"), _mapping_cases(), ids=[f"{a}->{m.to}" for m, a in _mapping_cases()]
)
def test_each_mapping_reaches_the_porting_plan(
    tmp_path: Path, mapping: PortMapping, api: str
) -> None:
    """A project using the API gets this mapping's effort, advice and source in the plan."""
    (tmp_path / "mod.py").write_text(_module_using(api), encoding="utf-8")
    plan = scan(tmp_path).plan(mapping.to)
    assert len(plan.items) == 1
    item = plan.items[0]
    assert (item.effort, item.how, item.source, item.count) == (
        mapping.effort,
        mapping.how,
        mapping.source,
        1,
    )
    counted = {
        Effort.MECHANICAL: plan.mechanical_count,
        Effort.REDESIGN: plan.redesign_count,
        Effort.NONE: plan.unchanged_count,
    }
    assert counted[mapping.effort] == 1
    assert sum(counted.values()) == 1


def test_unknown_key_names_file_and_entry(tmp_path: Path) -> None:
    """A misspelt key in a kind is refused, naming the file, the kind and the allowed keys."""
    path = _write(tmp_path, _KIND.replace('label = "X"', 'label = "X"\nlabell = "Y"'))
    with pytest.raises(DataError) as caught:
        load_catalog(path)
    assert caught.value.path == path
    assert caught.value.entry == "kind 'asyncio.x'"
    assert "labell" in caught.value.problem


def test_unknown_key_in_a_mapping_is_refused(tmp_path: Path) -> None:
    """A mapping with an extra key is refused, naming the mapping."""
    path = _write(tmp_path, _KIND + _MAPPING.replace('to = "trio"', 'to = "trio"\nnote = "x"'))
    with pytest.raises(DataError, match=r"mapping 1: unknown key\(s\) note"):
        load_catalog(path)


def test_mapping_to_an_undeclared_api_is_refused(tmp_path: Path) -> None:
    """A mapping naming an API no kind declares is refused."""
    path = _write(tmp_path, _KIND + _MAPPING.replace('["asyncio.gather"]', '["asyncio.gathr"]'))
    with pytest.raises(DataError, match=r"'asyncio\.gathr' is not an API of any kind"):
        load_catalog(path)


def test_bad_effort_lists_the_allowed_values(tmp_path: Path) -> None:
    """An effort outside none/mechanical/redesign is refused with the allowed values."""
    path = _write(tmp_path, _KIND + _MAPPING.replace('"mechanical"', '"easy"'))
    with pytest.raises(DataError, match="'effort' is 'easy'; allowed: none, mechanical, redesign"):
        load_catalog(path)


def test_source_must_be_a_url(tmp_path: Path) -> None:
    """A source that is not an http(s) URL is refused."""
    path = _write(tmp_path, _KIND + _MAPPING.replace("https://", "ftp://"))
    with pytest.raises(DataError, match="'source' must be an http"):
        load_catalog(path)


def test_api_in_two_kinds_is_refused(tmp_path: Path) -> None:
    """The same API in two kinds is refused, naming the first."""
    path = _write(tmp_path, _KIND + _KIND.replace("asyncio.x", "asyncio.y"))
    with pytest.raises(DataError, match=r"already in kind 'asyncio\.x'"):
        load_catalog(path)


def test_duplicate_mapping_is_refused(tmp_path: Path) -> None:
    """Two mappings for the same API and target are refused."""
    path = _write(tmp_path, _KIND + _MAPPING + _MAPPING)
    with pytest.raises(DataError, match="already mapped by mapping 1"):
        load_catalog(path)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    """A syntax error in the file is a DataError naming it."""
    path = _write(tmp_path, "[[kind]\n")
    with pytest.raises(DataError) as caught:
        load_catalog(path)
    assert caught.value.path == path
