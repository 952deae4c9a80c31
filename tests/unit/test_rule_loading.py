"""Loading rule files: every malformed rule fails naming the file, the rule and the problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.decisions import DecisionKind
from advisor.errors import DataError
from advisor.rules.loading import MAX_EFFECT, load_rules
from advisor.rules.model import Effect, Runtime

from .datafiles import OMIT, blocker, rule, tables

CATEGORIES = ("database", "http-client")
FACTORS = frozenset({"team", "dependencies"})


def write_rules(
    directory: Path,
    rules: list[dict[str, object]] | None = None,
    blockers: list[dict[str, object]] | None = None,
    name: str = "theme.toml",
) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(tables("rule", rules or []) + "\n" + tables("blocker", blockers or []), "utf-8")
    return path


def load_error(directory: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        load_rules(directory, CATEGORIES, FACTORS)
    return caught.value


def test_valid_rules_and_blockers_load(tmp_path: Path) -> None:
    """Well-formed entries become typed rules, with the file stem as theme."""
    write_rules(
        tmp_path,
        [rule("big", when="scale == 'large'", effect={"asyncio": 2, "trio": -1.5})],
        [blocker("no-trio", unless="you accept the bridge", when="n_deps > 0")],
    )
    book = load_rules(tmp_path, CATEGORIES, FACTORS)
    (loaded,) = book.rules
    assert loaded.id == "big"
    assert loaded.theme == "theme"
    assert loaded.effect == Effect(decision=DecisionKind.LOOP, asyncio=2.0, trio=-1.5)
    assert loaded.factor == "team"
    assert loaded.when.text == "scale == 'large'"
    (block,) = book.blockers
    assert block.blocks is Runtime.TRIO
    assert block.unless == "you accept the bridge"
    assert block.dependency.text == "trio == 'bridge'"
    assert book.files == (tmp_path / "theme.toml",)


def test_blocker_without_when_applies_always(tmp_path: Path) -> None:
    """A blocker's `when` defaults to True and its `unless` to none."""
    write_rules(tmp_path, blockers=[blocker("plain")])
    (block,) = load_rules(tmp_path, CATEGORIES, FACTORS).blockers
    assert block.when.text == "True"
    assert block.unless is None


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    """A rule file that is not TOML fails naming the file."""
    tmp_path.joinpath("broken.toml").write_text("[[rule]\nid = 'x'\n", "utf-8")
    error = load_error(tmp_path)
    assert error.path == tmp_path / "broken.toml"
    assert "not valid TOML" in error.problem


def test_unknown_name_in_when_suggests_the_closest(tmp_path: Path) -> None:
    """A typo in `when` fails at load with the rule id and a "did you mean"."""
    path = write_rules(tmp_path, [rule("many-connections", when="scal == 'large'")])
    error = load_error(tmp_path)
    assert error.path == path
    assert error.entry == 'rule "many-connections"'
    assert "unknown name 'scal'" in error.problem
    assert "did you mean 'scale'?" in error.problem
    assert str(error) == (
        f"{path}: rule \"many-connections\": 'when': unknown name 'scal' (did you mean 'scale'?)"
    )


def test_bad_dependency_condition_in_a_blocker(tmp_path: Path) -> None:
    """A blocker's per-dependency condition is checked against the dependency vocabulary."""
    path = write_rules(tmp_path, blockers=[blocker("my-blocker", dependency="trio == 'bridged'")])
    error = load_error(tmp_path)
    assert (error.path, error.entry) == (path, 'blocker "my-blocker"')
    assert "'dependency'" in error.problem
    assert "did you mean 'bridge'?" in error.problem


def test_effect_on_unknown_runtime(tmp_path: Path) -> None:
    """An effect on an option its decision does not have fails, listing the options."""
    path = write_rules(tmp_path, [rule("my-rule", effect={"curio": 1.0})])
    error = load_error(tmp_path)
    assert (error.path, error.entry) == (path, 'rule "my-rule"')
    assert "curio" in error.problem
    assert "asyncio, trio" in error.problem


@pytest.mark.parametrize("value", [0, 0.0, MAX_EFFECT + 0.5, -(MAX_EFFECT + 1), 1e9])
def test_effect_must_be_non_zero_and_at_most_ten(tmp_path: Path, value: float) -> None:
    """A zero effect, or one beyond ±10, is a data mistake."""
    assert MAX_EFFECT == 10.0
    path = write_rules(tmp_path, [rule("my-rule", effect={"trio": value})])
    error = load_error(tmp_path)
    assert (error.path, error.entry) == (path, 'rule "my-rule"')
    assert "non-zero" in error.problem


@pytest.mark.parametrize("value", [10, -10, 0.5])
def test_effects_at_the_limits_load(tmp_path: Path, value: float) -> None:
    """±10 and small effects are allowed."""
    write_rules(tmp_path, [rule("my-rule", effect={"trio": value})])
    (loaded,) = load_rules(tmp_path, CATEGORIES, FACTORS).rules
    assert loaded.effect.trio == value


@pytest.mark.parametrize("value", ["1", True, [1]])
def test_effect_must_be_a_number(tmp_path: Path, value: object) -> None:
    """A string, boolean or list as an effect fails."""
    write_rules(tmp_path, [rule("my-rule", effect={"trio": value})])
    assert "must be a number" in load_error(tmp_path).problem


@pytest.mark.parametrize("effect", [{}, "trio"])
def test_effect_must_be_a_non_empty_table(tmp_path: Path, effect: object) -> None:
    """An empty or non-table effect fails."""
    write_rules(tmp_path, [rule("my-rule", effect=effect)])
    assert "'effect' must be a table" in load_error(tmp_path).problem


@pytest.mark.parametrize("field", ["source", "rationale", "title", "when", "effect", "id"])
def test_missing_field_is_named(tmp_path: Path, field: str) -> None:
    """A rule without a required field fails naming the field."""
    path = write_rules(tmp_path, [rule("my-rule", **{field: OMIT})])
    error = load_error(tmp_path)
    assert error.path == path
    assert error.entry == ('rule "my-rule"' if field != "id" else "rule #1")
    assert error.problem == f"missing field(s): {field}"


@pytest.mark.parametrize("field", ["source", "rationale", "title", "dependency", "blocks"])
def test_missing_blocker_field_is_named(tmp_path: Path, field: str) -> None:
    """A blocker without a required field fails naming the field."""
    write_rules(tmp_path, blockers=[blocker("my-blocker", **{field: OMIT})])
    error = load_error(tmp_path)
    assert error.entry == 'blocker "my-blocker"'
    assert error.problem == f"missing field(s): {field}"


@pytest.mark.parametrize(
    "source", ["http://example.org/x", "example.org/x", "https://", "ftp://example.org", "  "]
)
def test_source_must_be_an_https_url(tmp_path: Path, source: str) -> None:
    """A source that is not an https URL with a host fails."""
    path = write_rules(tmp_path, [rule("my-rule", source=source)])
    error = load_error(tmp_path)
    assert (error.path, error.entry) == (path, 'rule "my-rule"')
    assert "source" in error.problem


def test_duplicate_id_across_two_files(tmp_path: Path) -> None:
    """Rule ids are unique across files: the second file fails naming the first."""
    write_rules(tmp_path, [rule("same")], name="a.toml")
    second = write_rules(tmp_path, [rule("same")], name="b.toml")
    error = load_error(tmp_path)
    assert (error.path, error.entry) == (second, 'rule "same"')
    assert "a.toml" in error.problem


def test_duplicate_id_between_a_rule_and_a_blocker(tmp_path: Path) -> None:
    """A blocker may not reuse a scoring rule's id."""
    path = write_rules(tmp_path, [rule("same")], [blocker("same")])
    error = load_error(tmp_path)
    assert (error.path, error.entry) == (path, 'rule "same"')


def test_unknown_field_is_named(tmp_path: Path) -> None:
    """A misspelt field fails naming it."""
    path = write_rules(tmp_path, [rule("my-rule", sources="https://example.org")])
    error = load_error(tmp_path)
    assert (error.path, error.entry) == (path, 'rule "my-rule"')
    assert error.problem == "unknown field(s): sources"


def test_unknown_table_is_named(tmp_path: Path) -> None:
    """A top-level table other than [[rule]] and [[blocker]] fails."""
    tmp_path.joinpath("x.toml").write_text(tables("rules", [rule("my-rule")]), "utf-8")
    error = load_error(tmp_path)
    assert "unknown table(s): rules" in error.problem


@pytest.mark.parametrize("blocks", ["curio", "Trio", 1])
def test_bad_blocks_value_lists_the_runtimes(tmp_path: Path, blocks: object) -> None:
    """`blocks` must name a runtime."""
    path = write_rules(tmp_path, blockers=[blocker("my-blocker", blocks=blocks)])
    error = load_error(tmp_path)
    assert (error.path, error.entry) == (path, 'blocker "my-blocker"')
    assert "'blocks'" in error.problem
    assert "asyncio, anyio, trio" in error.problem


@pytest.mark.parametrize(
    "rule_id", ["Upper", "has space", "-leading", "trailing-", "x", "snake_case"]
)
def test_ids_are_lower_case_words_joined_by_hyphens(tmp_path: Path, rule_id: str) -> None:
    """An id that is not kebab-case fails."""
    write_rules(tmp_path, [rule(rule_id)])
    assert "'id'" in load_error(tmp_path).problem


@pytest.mark.parametrize("when", [3, ["scale == 'large'"], ""])
def test_when_must_be_a_non_empty_string(tmp_path: Path, when: object) -> None:
    """A condition that is not text, or blank, fails."""
    write_rules(tmp_path, [rule("my-rule", when=when)])
    assert "'when'" in load_error(tmp_path).problem


def test_forbidden_syntax_in_a_rule_file_is_refused(tmp_path: Path) -> None:
    """A call in `when` fails the load: rule files cannot run code."""
    marker = tmp_path / "ran"
    write_rules(tmp_path, [rule("my-rule", when=f"__import__('os').system('touch {marker}') == 0")])
    assert "not allowed" in load_error(tmp_path).problem
    assert not marker.exists()


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    """A rules folder with no *.toml fails naming the folder."""
    error = load_error(tmp_path)
    assert error.path == tmp_path


def test_an_api_rule_cannot_speak_to_loop_options(tmp_path: Path) -> None:
    """An API rule's effect names native or anyio; a loop option there is refused."""
    write_rules(tmp_path, [rule("api-rule", decision="api", effect={"asyncio": 1.0})])
    error = load_error(tmp_path)
    assert "native, anyio" in error.problem


@pytest.mark.parametrize("value", ["runtime", 3, OMIT])
def test_a_rule_names_its_decision(tmp_path: Path, value: object) -> None:
    """`decision` is required and is loop or api."""
    write_rules(tmp_path, [rule("my-rule", decision=value)])
    error = load_error(tmp_path)
    assert error.entry == 'rule "my-rule"'
    assert "decision" in error.problem


def test_a_rule_without_a_factor_is_refused(tmp_path: Path) -> None:
    """Every scoring rule names the factor it speaks for (issue: one fact, one vote)."""
    write_rules(tmp_path, [rule("my-rule", factor=OMIT)])
    error = load_error(tmp_path)
    assert "factor" in error.problem


def test_an_unknown_factor_suggests_the_closest(tmp_path: Path) -> None:
    """A misspelt factor fails at load with a did-you-mean, naming the declared factors."""
    write_rules(tmp_path, [rule("my-rule", factor="teem")])
    error = load_error(tmp_path)
    assert "did you mean 'team'" in error.problem


def test_a_loop_rule_may_not_read_the_loop(tmp_path: Path) -> None:
    """The loop is decided first, so only API rules may condition on it."""
    write_rules(tmp_path, [rule("circular", when="loop == 'trio'")])
    error = load_error(tmp_path)
    assert "cannot read 'loop'" in error.problem
    write_rules(
        tmp_path, [rule("fine", decision="api", effect={"anyio": 1}, when="loop == 'trio'")]
    )
    assert load_rules(tmp_path, CATEGORIES, FACTORS).rules[0].id == "fine"


def test_a_top_level_key_instead_of_a_table_is_refused(tmp_path: Path) -> None:
    """`rule = 5` at the top of a file names the table, never a traceback."""
    (tmp_path / "theme.toml").write_text("rule = 5\n", "utf-8")
    error = load_error(tmp_path)
    assert error.entry == "rule"
    assert "[[rule]]" in error.problem


@pytest.mark.parametrize(
    "source", ["http://example.org/x", "https://x.org/a)](https://evil", "https://"]
)
def test_sources_must_be_safe_https_urls(tmp_path: Path, source: str) -> None:
    """A source that is not https, or could break out of a Markdown link, is refused."""
    write_rules(tmp_path, [rule("my-rule", source=source)])
    error = load_error(tmp_path)
    assert "source" in error.problem


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_non_finite_effects_are_refused(tmp_path: Path, value: str) -> None:
    """nan and inf effects cannot slip past the size check."""
    path = tmp_path / "theme.toml"
    text = tables("rule", [rule("my-rule")]).replace('"asyncio" = 1.0', f"asyncio = {value}")
    assert value in text
    path.write_text(text, "utf-8")
    error = load_error(tmp_path)
    assert "asyncio" in error.problem
