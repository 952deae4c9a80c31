"""`recommend()` and the `Recommendation` it returns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from packaging.version import Version

from advisor import Answers, Certainty, Runtime, load_knowledge, recommend
from advisor.answers import Experience, Kind, Workload
from advisor.engine import DATA_DIR, Knowledge
from advisor.errors import DataError
from advisor.facts import PortingCost
from advisor.model_history import HISTORY, MODEL_VERSION
from advisor.policy import load_policy

from .datafiles import data_dir_with, library

EXAMPLE = Answers(
    deps=("asyncpg", "httpx", "not-in-the-catalog-xyz"),
    workload=frozenset({Workload.SERVER, Workload.CLIENT}),
    exp_trio=Experience.EXPERIENCED,
)


def test_to_dict_is_json_ready_and_complete(knowledge: Knowledge) -> None:
    """`to_dict()` survives a JSON round trip and holds every part of the recommendation."""
    rec = recommend(EXAMPLE, knowledge)
    data = json.loads(json.dumps(rec.to_dict()))
    assert data["verdict"] == rec.verdict.value
    assert data["confidence"] == rec.confidence.value
    assert data["query"] == EXAMPLE.to_query()
    assert set(data["scores"]) == {"asyncio", "trio", "anyio"}
    for key in ("reasons", "blockers", "flips", "dependencies"):
        assert isinstance(data[key], list), key
    assert len(data["reasons"]) == len(rec.reasons) > 0
    for reason in data["reasons"]:
        assert {"id", "effect", "rationale", "source"} <= set(reason)
        assert reason["effect"]
        assert all(value != 0 for value in reason["effect"].values())
        assert reason["source"].startswith("https://")
    assert [d["name"] for d in data["dependencies"]] == list(EXAMPLE.deps)
    assert len(data["flips"]) == len(rec.flips)
    for blocker in data["blockers"]:
        assert {"dependency", "evidence", "runtime"} <= set(blocker)


def test_scores_are_the_sums_of_the_reasons(knowledge: Knowledge) -> None:
    """Every score is explained: asyncio and Trio are their loop's plus the native API's
    reasons, AnyIO its best allowed loop's plus the AnyIO reasons (no cap binds here)."""
    rec = recommend(EXAMPLE, knowledge)
    for runtime in (Runtime.ASYNCIO, Runtime.TRIO):
        assert rec.scores.of(runtime) == pytest.approx(
            sum(r.effect.on(runtime) for r in rec.reasons)
        )
    loops = {
        option: sum(r.effect.option(option) for r in rec.reasons)
        for option in ("asyncio", "trio")
        if Runtime(option) not in rec.blocked
    }
    anyio_api = sum(r.effect.anyio for r in rec.reasons)
    assert rec.scores.anyio == pytest.approx(max(loops.values()) + anyio_api)


def test_every_reason_names_its_factor_and_decision(knowledge: Knowledge) -> None:
    """A reason says which factor it speaks for and which decision it moves."""
    rec = recommend(EXAMPLE, knowledge)
    assert all(r.factor in knowledge.policy.factors for r in rec.reasons)
    data = rec.to_dict()
    assert data["loop"]["choice"] == "asyncio"
    assert data["api"]["choice"] in {"native", "anyio"}
    assert data["confidence_reason"]
    assert all(reason["factor"] for reason in data["reasons"])


def test_reasons_are_ordered_by_weight(knowledge: Knowledge) -> None:
    """The heaviest reasons come first; equal weights are ordered by rule id."""
    rec = recommend(EXAMPLE.with_value("kind", Kind.LIBRARY), knowledge)
    keys = [(-r.effect.weight, r.rule_id) for r in rec.reasons]
    assert len(keys) > 2
    assert keys == sorted(keys)


def test_unknown_dependencies_are_marked_unknown(knowledge: Knowledge) -> None:
    """A dependency the catalog lacks is listed with known=False and no evidence."""
    rec = recommend(EXAMPLE, knowledge)
    statuses = {d.name: d for d in rec.dependencies}
    unknown = statuses["not-in-the-catalog-xyz"]
    assert not unknown.known
    assert unknown.trio == unknown.asyncio == "unknown"
    assert unknown.evidence is None
    known = statuses["httpx"]
    assert known.known
    lib = knowledge.catalog.lookup("httpx")
    assert lib is not None
    assert known.evidence == lib.evidence
    assert known.trio == lib.trio.value


def test_alias_matches_report_the_catalog_name(knowledge: Knowledge) -> None:
    """A dependency matched through an alias names the catalog entry it matched."""
    aliased = next((lib, alias) for lib in knowledge.catalog.libraries for alias in lib.aliases)
    lib, alias = aliased
    (status,) = recommend(Answers(deps=(alias,)), knowledge).dependencies
    assert status.known
    assert status.name == alias
    assert status.catalog_name == lib.name


def test_asyncio_only_dependency_blocks_trio_naming_it(knowledge: Knowledge) -> None:
    """An asyncio-only dependency gives a blocker on Trio with its evidence, and Trio cannot win."""
    answer = Answers(deps=("asyncpg",), exp_trio=Experience.EXPERT, exp_asyncio=Experience.NONE)
    rec = recommend(answer, knowledge)
    lib = knowledge.catalog.lookup("asyncpg")
    assert lib is not None
    trio_blocks = [b for b in rec.blockers if b.runtime is Runtime.TRIO]
    assert [b.dependency for b in trio_blocks] == ["asyncpg"]
    assert trio_blocks[0].evidence == lib.evidence
    assert Runtime.TRIO in rec.blocked
    assert rec.verdict is not Runtime.TRIO


def test_trio_only_and_asyncio_only_dependencies_leave_no_clear_verdict(
    knowledge: Knowledge,
) -> None:
    """A Trio-only and an asyncio-only dependency together rule out AnyIO too: a toss-up."""
    for other in ("uvicorn", "asyncpg"):
        rec = recommend(Answers(deps=("trio-websocket", other)), knowledge)
        assert rec.blocked == set(Runtime)
        assert rec.certainty is Certainty.TOSS_UP
        assert {b.dependency for b in rec.blockers} == {"trio-websocket", other}


def test_confidence_is_the_certainty(knowledge: Knowledge) -> None:
    """DESIGN.md's `confidence` is the same value as `certainty`."""
    rec = recommend(EXAMPLE, knowledge)
    assert rec.confidence is rec.certainty
    assert isinstance(rec.confidence, Certainty)


def test_default_knowledge_is_the_data_folder(knowledge: Knowledge) -> None:
    """Without a knowledge argument, `recommend` uses the project's own data."""
    assert recommend(EXAMPLE).to_dict() == recommend(EXAMPLE, knowledge).to_dict()


def test_recommendation_is_deterministic(knowledge: Knowledge) -> None:
    """The same answers give the same recommendation every time."""
    assert recommend(EXAMPLE, knowledge) == recommend(EXAMPLE, knowledge)


@pytest.fixture(scope="module")
def versioned_knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    """The real rules with a catalog whose one library gained AnyIO (Trio) support in 2.0."""
    root: Path = tmp_path_factory.mktemp("versioned")
    libraries = [library("examplelib", asyncio="native", trio="anyio", trio_since="2.0")]
    return load_knowledge(data_dir_with(root, libraries=libraries))


@pytest.mark.parametrize(
    ("pin", "trio", "blocked"),
    [
        (None, "anyio", False),
        ("1.9", "bridge", True),
        ("2.0", "anyio", False),
        ("3.0", "anyio", False),
    ],
)
def test_a_pin_below_trio_since_changes_trio_support(
    versioned_knowledge: Knowledge, pin: str | None, trio: str, blocked: bool
) -> None:
    """A version pinned below `trio_since` counts as asyncio-only and blocks plain Trio."""
    versions = {"examplelib": Version(pin)} if pin else None
    rec = recommend(Answers(deps=("examplelib",)), versioned_knowledge, versions=versions)
    (status,) = rec.dependencies
    assert status.trio == trio
    assert status.trio_since == "2.0"
    assert (Runtime.TRIO in rec.blocked) is blocked
    assert bool([b for b in rec.blockers if b.dependency == "examplelib"]) is blocked


def test_broken_data_folder_raises_data_error(tmp_path: Path) -> None:
    """A data folder with a bad policy fails with `DataError` naming the file."""
    data = data_dir_with(tmp_path)
    text = (
        (data / "scoring.toml").read_text("utf-8").replace("lean_margin = 1.0", "lean_margin = 9.0")
    )
    assert "lean_margin = 9.0" in text
    (data / "scoring.toml").write_text(text)
    with pytest.raises(DataError) as caught:
        load_knowledge(data)
    assert caught.value.path == data / "scoring.toml"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[verdict]\nclear_margin = 3.0\n",
        "[verdict]\nclear_margin = 'x'\nlean_margin = 1\n",
        "[verdict]\nclear_margin = 3\nlean_margin = 0\n",
        "[verdict]\nclear_margin = true\nlean_margin = 1\n",
        "[verdict",
        "[verdict]\nclear_margin = nan\n",
        "[extra]\n",
        "[factor.team]\nlabel = 'x'\nuncertainty = 0.5\ncap = 2\ntypo = 1\n",
        "[factor.team]\nlabel = 'x'\nuncertainty = inf\ncap = 2\n",
    ],
)
def test_malformed_policy_is_a_data_error(tmp_path: Path, text: str) -> None:
    """The policy is a closed schema: positive finite numbers, lean below clear, no unknown
    tables or keys (a real scoring.toml with the broken part put in its place)."""
    path = tmp_path / "scoring.toml"
    real = (DATA_DIR / "scoring.toml").read_text("utf-8")
    if text.startswith("[factor.team]"):
        start = real.index("[factor.team]")
        text = real[:start] + text
    elif text.startswith("[verdict]\nclear_margin = nan"):
        text = real.replace("clear_margin = 2.5", "clear_margin = nan")
    elif text == "[extra]\n":
        text = real + text
    path.write_text(text)
    with pytest.raises(DataError) as caught:
        load_policy(path)
    assert caught.value.path == path


def test_the_model_history_explains_the_current_version() -> None:
    """The JSON names the model version, and the history explains it with reasons."""
    rec = recommend(EXAMPLE)
    assert rec.to_dict()["model_version"] == MODEL_VERSION == HISTORY[0].version
    assert all(change.what and change.why for change in HISTORY[0].changes)
    assert [v.version for v in HISTORY] == sorted((v.version for v in HISTORY), reverse=True)


def test_a_scan_sizes_the_existing_code_factor(knowledge: Knowledge) -> None:
    """With a scan, the existing-code factor follows the redesign count, not the answer alone:
    Trio code that would move mechanically weighs less than Trio code full of Trio-only APIs."""
    answers = Answers.from_query("deps=httpx,asyncpg&workload=server&codebase=trio&exp_trio=1")
    easy = PortingCost(redesign={"asyncio": 0, "anyio": 0}, mechanical={"asyncio": 40})
    hard = PortingCost(redesign={"asyncio": 60, "anyio": 0}, mechanical={"asyncio": 40})
    by_answer = recommend(answers, knowledge)
    with_easy = recommend(answers, knowledge, porting=easy)
    with_hard = recommend(answers, knowledge, porting=hard)
    ids = {r.rule_id for r in with_hard.reasons}
    assert "scanned-trio-code-hard-to-move" in ids
    assert "existing-trio-codebase" not in ids
    assert "scanned-trio-code-easy-to-move" in {r.rule_id for r in with_easy.reasons}
    assert "existing-trio-codebase" in {r.rule_id for r in by_answer.reasons}
    assert with_hard.scores.trio > with_easy.scores.trio


def test_recommend_refuses_a_query_string_with_a_pointer_to_the_codec(
    knowledge: Knowledge,
) -> None:
    """A share-link query passed as is gets a clear TypeError, not an AttributeError."""
    with pytest.raises(TypeError, match=r"Answers\.from_query"):
        recommend("deps=httpx", knowledge)  # type: ignore[arg-type]
