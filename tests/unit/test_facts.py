"""Facts derived from the answers and the catalog: the counts rule conditions read."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.version import Version

from advisor.answers import Answers, Scale, Workload
from advisor.catalog import AsyncioSupport, Catalog, TrioSupport, load_catalog
from advisor.deps.model import ProjectDependencies, ResolvedSupport
from advisor.facts import dependency_facts, derive_facts, summarize_dependencies

from .datafiles import catalog_text, library

LIBRARIES = [
    library("native-both", asyncio="native", trio="native"),
    library("on-anyio", asyncio="anyio", trio="anyio", category="http-client"),
    library("asyncio-only", asyncio="native", trio="bridge"),
    library("loop-owner", asyncio="native", trio="none"),
    library("trio-only", asyncio="none", trio="native"),
    library("blocking", asyncio="thread", trio="thread"),
    library("late-anyio", asyncio="anyio", trio="anyio", trio_since="2.0"),
    library("late-native", asyncio="native", trio="native", trio_since="2.0", aliases=["old-late"]),
    library("async-api-on-asyncio", asyncio="native", trio="thread"),
    library("a-runtime", asyncio="native", trio="none", category="runtime", role="runtime"),
    library("a-test-plugin", asyncio="none", trio="native", category="testing", role="test-plugin"),
]


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    path = tmp_path / "libraries.toml"
    path.write_text(catalog_text(LIBRARIES), "utf-8")
    return load_catalog(path)


def test_dependencies_are_counted_by_support(catalog: Catalog) -> None:
    """Each dependency is counted once under its Trio support; unknown ones separately."""
    deps = ("native-both", "on-anyio", "asyncio-only", "loop-owner", "trio-only", "blocking", "xyz")
    summary = summarize_dependencies(dependency_facts(deps, catalog))
    assert summary.counts["n_deps"] == 7
    assert summary.counts["deps_unknown"] == 1
    assert summary.counts["deps_trio_native"] == 2
    assert summary.counts["deps_trio_anyio"] == 1
    assert summary.counts["deps_trio_bridge"] == 1
    assert summary.counts["deps_trio_none"] == 1
    assert summary.counts["deps_without_trio"] == 2
    assert summary.counts["deps_asyncio_none"] == 1
    assert summary.counts["deps_anyio_based"] == 1
    assert summary.counts["deps_blocking"] == 1
    assert summary.dep_categories == {"database", "http-client"}


def test_dependency_facts_keep_order_and_mark_unknowns(catalog: Catalog) -> None:
    """Facts come back in the order of the names, `None` for a name the catalog lacks."""
    facts = dependency_facts(("xyz", "old-late", "blocking"), catalog)
    assert facts[0] is None
    assert facts[1] is not None
    assert facts[1].library is not None
    assert facts[1].library.name == "late-native"
    assert facts[1].name == "old-late"
    assert facts[2] is not None
    assert facts[2].trio is TrioSupport.THREAD


@pytest.mark.parametrize(
    ("pin", "trio", "bridged", "anyio_based"),
    [(None, "anyio", 0, 1), ("1.5", "bridge", 1, 0), ("2.0", "anyio", 0, 1)],
)
def test_pins_before_trio_since_make_a_library_asyncio_only(
    catalog: Catalog, pin: str | None, trio: str, bridged: int, anyio_based: int
) -> None:
    """Pinned below `trio_since`, an AnyIO library counts as asyncio-only, not as AnyIO-based."""
    versions = {"late-anyio": Version(pin)} if pin else None
    (dep,) = dependency_facts(("late-anyio",), catalog, versions)
    assert dep is not None
    assert dep.trio.value == trio
    summary = summarize_dependencies((dep,))
    assert summary.counts["deps_trio_bridge"] == bridged
    assert summary.counts["deps_anyio_based"] == anyio_based


def test_pin_of_another_dependency_changes_nothing(catalog: Catalog) -> None:
    """A pin applies only to the dependency it names."""
    (dep,) = dependency_facts(("late-native",), catalog, {"late-anyio": Version("1.0")})
    assert dep is not None
    assert dep.trio is TrioSupport.NATIVE


def test_facts_carry_the_answers(catalog: Catalog) -> None:
    """Answer-derived facts equal the answers; `deps` becomes a set of the names."""
    answer = Answers(deps=("Blocking", "xyz"), scale=Scale.LARGE, workload={Workload.GUI})
    facts = derive_facts(answer, summarize_dependencies(dependency_facts(answer.deps, catalog)))
    assert facts.deps == {"blocking", "xyz"}
    assert facts.scale is Scale.LARGE
    assert facts.workload == {Workload.GUI}
    assert facts.n_deps == 2
    assert facts.deps_blocking == 1


def test_runtimes_and_test_plugins_are_listed_but_not_weighed(catalog: Catalog) -> None:
    """A runtime or a test plugin never counts as asyncio-only or Trio-only (issue 8)."""
    deps = dependency_facts(("a-runtime", "a-test-plugin", "native-both"), catalog)
    summary = summarize_dependencies(deps)
    assert summary.counts["n_deps"] == 3
    assert summary.counts["deps_weighed"] == 1
    assert summary.counts["deps_trio_none"] == 0
    assert summary.counts["deps_asyncio_none"] == 0
    assert [d.weighed for d in deps if d] == [False, False, True]


def test_an_async_api_trio_reaches_only_through_threads_is_not_trio_capable(
    catalog: Catalog,
) -> None:
    """asyncio-native with only a blocking route on Trio counts as thread-only, not capable."""
    summary = summarize_dependencies(dependency_facts(("async-api-on-asyncio",), catalog))
    assert summary.counts["deps_trio_thread_only"] == 1
    assert summary.counts["deps_trio_capable"] == 0
    blocking = summarize_dependencies(dependency_facts(("blocking",), catalog))
    assert blocking.counts["deps_trio_thread_only"] == 0


def test_dropping_or_adding_one_dependency_equals_a_recount(catalog: Catalog) -> None:
    """`without` and `plus` give what counting the changed list from scratch gives."""
    names = (*(str(lib["name"]) for lib in LIBRARIES), "unknown-x")
    deps = dependency_facts(names, catalog)
    whole = summarize_dependencies(deps)
    for position, dep in enumerate(deps):
        rest = deps[:position] + deps[position + 1 :]
        expected = summarize_dependencies(rest)
        dropped = whole.without(dep)
        assert +dropped.counts == +expected.counts, names[position]
        assert dropped.dep_categories == expected.dep_categories
        assert +dropped.plus(dep).counts == +whole.counts


def test_a_project_adds_transitive_packages_with_their_chain(catalog: Catalog) -> None:
    """A lock file's transitive packages follow the direct ones, carrying who pulls them in."""
    project = ProjectDependencies(
        transitive={"asyncio-only": ("native-both",), "orphan": ("not-direct",)}
    )
    deps = dependency_facts(("native-both",), catalog, project=project)
    assert [d.name for d in deps if d] == ["native-both", "asyncio-only"]
    transitive = deps[1]
    assert transitive is not None
    assert transitive.via == ("native-both",)
    assert summarize_dependencies(deps).counts["deps_trio_bridge"] == 1


def test_resolved_support_overrides_the_catalog_and_infers_unknowns(catalog: Catalog) -> None:
    """A range's support replaces the current-version fact; an inferred fact is low confidence."""
    project = ProjectDependencies(
        support={
            "late-anyio": ResolvedSupport(
                asyncio=AsyncioSupport.ANYIO, trio=TrioSupport.BRIDGE, note="range admits 1.x"
            ),
            "uncatalogued": ResolvedSupport(
                asyncio=AsyncioSupport.NATIVE,
                trio=TrioSupport.BRIDGE,
                note="depends on aiohttp",
                inferred_from="aiohttp",
            ),
        }
    )
    late, inferred = dependency_facts(("late-anyio", "uncatalogued"), catalog, project=project)
    assert late is not None
    assert late.trio is TrioSupport.BRIDGE
    assert late.note == "range admits 1.x"
    assert inferred is not None
    assert inferred.library is None
    assert inferred.confidence.value == "low"
    assert summarize_dependencies((late, inferred)).counts["deps_anyio_based"] == 0
