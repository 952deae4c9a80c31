"""From a reading to what the verdict weighs: roles, ranges, extras, the tree and inference."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from advisor.answers import Answers
from advisor.catalog import Catalog, TrioSupport, load_catalog
from advisor.deps.detect import read_text
from advisor.deps.installed import read_installed
from advisor.deps.model import DependencyRole
from advisor.deps.ranges import GradeBy, support_in_range
from advisor.deps.reading import MAX_DECLARED, Declared, FileFormat, LockedPackage, Reading
from advisor.deps.resolve import combine, expand_extras, resolve
from advisor.deps.tree import MAX_CHAIN, find_chains
from advisor.engine import Knowledge, load_knowledge, recommend
from advisor.report import to_text

from ..datafiles import data_dir_with, library


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    """A small catalog: Trio support from 2.0, asyncio-only, Trio-only and AnyIO libraries."""
    data = data_dir_with(
        tmp_path,
        libraries=[
            library("searchlib", asyncio="native", trio="anyio", trio_since="2.0"),
            library("aiolib", asyncio="native", trio="bridge"),
            library("triolib", asyncio="none", trio="native"),
            library("anyiolib", asyncio="anyio", trio="anyio"),
        ],
    )
    return load_catalog(data / "libraries.toml")


@pytest.mark.parametrize(
    ("spec", "trio", "graded_at", "note"),
    [
        (">=1.5,<2", TrioSupport.BRIDGE, "1.5", "every version your range"),
        ("==1.5", TrioSupport.BRIDGE, "1.5", "every version your range"),
        (">=1.5", TrioSupport.BRIDGE, "1.5", "Trio from 2.0; your range"),
        ("<3", TrioSupport.BRIDGE, "0", "Trio from 2.0; your range"),
        (">=2.1", None, None, None),
        ("~=2.0", None, None, None),
    ],
)
def test_ranges_are_graded_against_trio_since(
    catalog: Catalog, spec: str, trio: TrioSupport | None, graded_at: str | None, note: str | None
) -> None:
    """Issue 9 case 1: a range below `trio_since` is asyncio-only; one across it says so."""
    searchlib = catalog.lookup("searchlib")
    assert searchlib is not None
    support, at = support_in_range(searchlib, SpecifierSet(spec))
    if trio is None:
        assert support is None
        return
    assert support is not None
    assert support.trio is trio
    assert note in support.note
    assert at == Version(graded_at)


def test_a_straddling_range_can_be_graded_by_its_newest_version(catalog: Catalog) -> None:
    """Told to, a range across `trio_since` is graded by its newest version, and still says so."""
    searchlib = catalog.lookup("searchlib")
    assert searchlib is not None
    support, at = support_in_range(searchlib, SpecifierSet(">=1.5"), GradeBy.NEWEST)
    assert support is not None
    assert support.trio is TrioSupport.ANYIO
    assert "also admits older versions" in support.note
    assert at is None


def test_a_range_below_trio_since_blocks_trio_through_recommend(tmp_path: Path) -> None:
    """`elasticsearch[async]>=8.15,<9`: every admitted version predates 9.2.0, so Trio is out."""
    data = data_dir_with(
        tmp_path, libraries=[library("elasticsearch", trio="anyio", trio_since="9.2.0")]
    )
    knowledge = load_knowledge(data)
    resolution = resolve(read_text("elasticsearch[async]>=8.15,<9\n"), knowledge.catalog)
    rec = recommend(
        Answers(deps=resolution.deps),
        knowledge,
        versions=resolution.versions,
        project=resolution.project,
    )
    assert [(b.dependency, b.runtime.value) for b in rec.blockers] == [("elasticsearch", "trio")]
    assert "predates Trio support (9.2.0)" in resolution.project.support["elasticsearch"].note


def test_development_tooling_is_listed_never_weighed(catalog: Catalog) -> None:
    """Dev groups are listed in `project.dev` and left out of the weighed names unless chosen."""
    reading = read_text(
        '[project]\ndependencies = ["anyiolib"]\n[dependency-groups]\ntest = ["triolib"]\n'
    )
    plain = resolve(reading, catalog)
    assert plain.deps == ("anyiolib",)
    assert plain.project.dev == ("triolib",)
    chosen = resolve(reading, catalog, groups=["test"])
    assert chosen.deps == ("anyiolib", "triolib")
    assert chosen.project.dev == ()


def test_type_stubs_are_tooling_wherever_declared(catalog: Catalog) -> None:
    """`types-*` and `*-stubs` packages are listed as tooling, never weighed or unknown."""
    resolution = resolve(read_text("anyiolib\ntypes-redis\npandas-stubs\n"), catalog)
    assert resolution.deps == ("anyiolib",)
    assert resolution.project.dev == ("pandas-stubs", "types-redis")
    assert resolution.unknown == ()


def test_extras_are_weighed_by_default_and_can_be_chosen(catalog: Catalog) -> None:
    """All of the project's extras are weighed unless a choice names some (or none)."""
    reading = read_text(
        '[project]\ndependencies = ["anyiolib"]\n'
        '[project.optional-dependencies]\ntrio = ["triolib"]\nasyncio = ["aiolib"]\n'
    )
    assert resolve(reading, catalog).deps == ("aiolib", "anyiolib", "triolib")
    assert resolve(reading, catalog, extras=["trio"]).deps == ("anyiolib", "triolib")
    none = resolve(reading, catalog, extras=[])
    assert none.deps == ("anyiolib",)
    assert none.extras == ("asyncio", "trio")
    assert none.chosen_extras == ()


def test_requested_extras_of_dependencies_pull_in_their_packages() -> None:
    """`elasticsearch[async]` pulls in aiohttp, `anyio[trio]` trio, per the catalog's data."""
    provided = {
        "elasticsearch": {"async": ("aiohttp",), "requests": ("requests",)},
        "anyio": {"trio": ("trio",)},
    }
    weighed = [
        Declared(name="elasticsearch", role=DependencyRole.RUNTIME, extras=("async",)),
        Declared(name="anyio", role=DependencyRole.RUNTIME, extras=("trio",)),
        Declared(name="httpx", role=DependencyRole.RUNTIME),
    ]
    pulled = expand_extras(weighed, lambda name: provided.get(name, {}))
    assert pulled == {"aiohttp": ("elasticsearch[async]",), "trio": ("anyio[trio]",)}


def lock(edges: dict[str, tuple[str, ...]]) -> dict[str, LockedPackage]:
    """A locked tree from name -> children (every package at version 1.0)."""
    return {
        name: LockedPackage(name=name, version=Version("1.0"), requires=children)
        for name, children in edges.items()
    }


def test_chains_name_the_direct_dependency_that_pulls_each_package_in() -> None:
    """The shortest chain from a direct dependency is found for every transitive package."""
    locked = lock({"a": ("b",), "b": ("c",), "c": (), "d": ("c",)})
    assert find_chains(locked, ["a", "d"]) == {"b": ("a",), "c": ("d",)}


def test_a_very_deep_chain_keeps_both_ends_and_stays_bounded() -> None:
    """A 5,000-deep chain is shortened around '…' and costs linear time and memory."""
    edges = {f"p{i}": (f"p{i + 1}",) for i in range(5000)}
    edges["p5000"] = ()
    chains = find_chains(lock(edges), ["p0"])
    assert len(chains) == 5000
    deepest = chains["p5000"]
    assert len(deepest) <= MAX_CHAIN + 2
    assert deepest[0] == "p0"
    assert deepest[-1] == "p4999"
    assert "…" in deepest


def test_uncatalogued_packages_are_inferred_from_their_tree(catalog: Catalog) -> None:
    """An uncatalogued package pulling in asyncio-only code is at best asyncio-only, inferred."""
    reading = Reading(
        format=FileFormat.UV_LOCK,
        declared=(
            Declared(name="wrapper", role=DependencyRole.RUNTIME),
            Declared(name="portable", role=DependencyRole.RUNTIME),
            Declared(name="plain", role=DependencyRole.RUNTIME),
        ),
        locked=lock(
            {
                "wrapper": ("middle",),
                "middle": ("aiolib",),
                "aiolib": (),
                "portable": ("anyiolib",),
                "anyiolib": (),
                "plain": (),
            }
        ),
    )
    resolution = resolve(reading, catalog)
    wrapper = resolution.project.support["wrapper"]
    assert wrapper.trio is TrioSupport.BRIDGE
    assert wrapper.inferred_from == "middle"
    assert resolution.project.support["middle"].inferred_from == "aiolib"
    assert resolution.project.support["portable"].trio is TrioSupport.ANYIO
    assert resolution.unknown == ("plain",)
    assert [p.path for p in resolution.pulled_in] == [
        "wrapper → middle → aiolib",
        "wrapper → middle",
    ]
    assert resolution.project.transitive["aiolib"] == ("wrapper", "middle")


def test_locked_versions_below_trio_since_count(catalog: Catalog) -> None:
    """A transitive package locked below `trio_since` is asyncio-only at that version."""
    reading = Reading(
        format=FileFormat.UV_LOCK,
        declared=(Declared(name="app-client", role=DependencyRole.RUNTIME),),
        locked={
            "app-client": LockedPackage(
                name="app-client", version=Version("1"), requires=("searchlib",)
            ),
            "searchlib": LockedPackage(name="searchlib", version=Version("1.5")),
        },
    )
    resolution = resolve(reading, catalog)
    assert resolution.project.versions["searchlib"] == Version("1.5")
    assert resolution.project.support["searchlib"].trio is TrioSupport.BRIDGE
    assert [p.path for p in resolution.pulled_in] == ["app-client → searchlib"]


def test_weighed_names_are_cut_at_the_one_limit(catalog: Catalog) -> None:
    """However many names a reading holds, at most the limit are weighed, with a notice."""
    reading = Reading(
        format=FileFormat.REQUIREMENTS,
        declared=tuple(
            Declared(name=f"pkg{i}", role=DependencyRole.RUNTIME) for i in range(MAX_DECLARED + 50)
        ),
    )
    resolution = resolve(reading, catalog)
    assert len(resolution.deps) == MAX_DECLARED
    assert resolution.notices


def test_a_file_and_the_environment_combine(knowledge: Knowledge) -> None:
    """With a file, the environment gives the tree and versions; the file names the direct deps."""
    combined = combine([read_text("streamlit\n"), read_installed()])
    resolution = resolve(combined, knowledge.catalog)
    assert resolution.deps == ("streamlit",)
    assert "anyio" in resolution.project.transitive
    assert "streamlit" in resolution.project.versions


def test_a_pin_below_trio_since_with_trio_before_is_graded_by_it(tmp_path: Path) -> None:
    """Below `trio_since`, a library whose older versions ran on Trio does not block Trio."""
    before = {
        "trio": "native",
        "note": "pass sleep=trio.sleep",
        "evidence": "https://example.org/retrylib/1.0/retry.py#line.3",
        "checked_version": "1.0",
    }
    data = data_dir_with(
        tmp_path,
        libraries=[
            library("retrylib", trio="native", trio_since="2.0", trio_before=before),
        ],
    )
    knowledge = load_knowledge(data)
    resolution = resolve(read_text("retrylib==1.5\n"), knowledge.catalog)
    rec = recommend(
        Answers(deps=resolution.deps),
        knowledge,
        versions=resolution.versions,
        project=resolution.project,
    )
    assert rec.blockers == ()
    support = resolution.project.support["retrylib"]
    assert support.trio is TrioSupport.NATIVE
    assert support.note == "1.5 is older than 2.0: pass sleep=trio.sleep"
    ranged = resolve(read_text("retrylib>=1.0,<2\n"), knowledge.catalog)
    assert ranged.project.support["retrylib"].note == (
        "every version your range (<2,>=1.0) admits is older than 2.0: pass sleep=trio.sleep"
    )


def test_an_old_tenacity_lock_no_longer_rules_trio_out() -> None:
    """Real catalog: tenacity 8.2.3 runs on Trio given sleep=trio.sleep, so it blocks nothing."""
    knowledge = load_knowledge()
    resolution = resolve(read_text("tenacity==8.2.3\n"), knowledge.catalog)
    rec = recommend(
        Answers(deps=resolution.deps),
        knowledge,
        versions=resolution.versions,
        project=resolution.project,
    )
    assert rec.blockers == ()
    (tenacity,) = [d for d in rec.dependencies if d.name == "tenacity"]
    assert tenacity.trio == "native"
    support = resolution.project.support["tenacity"]
    assert support.trio is TrioSupport.NATIVE
    assert "sleep=trio.sleep" in support.note
    assert "predates" not in support.note


def test_packages_an_extra_pulls_in_are_transitive_with_their_chain(knowledge: Knowledge) -> None:
    """`uvicorn[standard]` weighs uvloop and websockets as packages uvicorn pulls in: not in
    `deps` (so not in the share link, and no rule about *listing* uvloop fires), with the chain
    from uvicorn, and the extra named where the pulled-in packages are reported."""
    resolution = resolve(read_text("uvicorn[standard]\n"), knowledge.catalog)
    assert resolution.deps == ("uvicorn",)
    assert resolution.project.transitive["uvloop"] == ("uvicorn",)
    assert resolution.project.transitive["websockets"] == ("uvicorn",)
    assert resolution.by_extra == {
        "uvloop": "uvicorn[standard]",
        "websockets": "uvicorn[standard]",
    }
    assert [p.path for p in resolution.pulled_in] == ["uvicorn[standard] → uvloop"]
    rec = recommend(Answers(deps=resolution.deps), knowledge, project=resolution.project)
    assert "asyncio-loop-listed" not in {r.rule_id for r in rec.reasons}
    rows = {d.name: d.via for d in rec.dependencies}
    assert rows == {"uvicorn": (), "uvloop": ("uvicorn",), "websockets": ("uvicorn",)}
    assert "  uvloop (via uvicorn): asyncio=native" in to_text(rec)


def test_an_extras_blocker_is_transitive_via_the_dependency_asking_for_it(
    knowledge: Knowledge,
) -> None:
    """`elasticsearch[async]` in an optional extra: aiohttp rules Trio out *via* elasticsearch,
    and the link carries elasticsearch, never aiohttp."""
    text = (
        '[project]\nname = "demo"\ndependencies = ["httpx"]\n\n'
        '[project.optional-dependencies]\nsearch = ["elasticsearch[async]>=9.2"]\n'
    )
    resolution = resolve(read_text(text), knowledge.catalog)
    assert resolution.deps == ("elasticsearch", "httpx")
    rec = recommend(Answers(deps=resolution.deps), knowledge, project=resolution.project)
    aiohttp = [b for b in rec.blockers if b.dependency == "aiohttp"]
    assert aiohttp
    assert {b.via for b in aiohttp} == {("elasticsearch",)}
    assert "aiohttp" not in rec.answers.to_query()
