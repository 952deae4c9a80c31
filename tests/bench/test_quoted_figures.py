"""Rule rationales that quote benchmark figures match the stored data.

The performance and workload rules quote stored figures; when a rerun moves them, this test
fails until each rationale is rewritten with the figures `advisor.benchmarks.quotes` computes
(the figures and suggested sentences are in the bench notes for the rules' owner).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from advisor.benchmarks import load_summary_for
from advisor.benchmarks.quotes import QUOTING_RULES, figure_problems, quoted_figures
from tests.bench.stored import throughput_rows, write_csv, write_meta

ROOT = Path(__file__).resolve().parents[2]
APP_PYTHON = "3.11"
"""The interpreter the app is pinned to: its run is the one the rules quote."""


def _rationales() -> dict[str, str]:
    found = {}
    for path in sorted((ROOT / "data" / "rules").glob("*.toml")):
        with path.open("rb") as handle:
            for rule in tomllib.load(handle).get("rule", []):
                if isinstance(rule, dict) and "id" in rule:
                    found[str(rule["id"])] = str(rule.get("rationale", ""))
    return found


def test_rule_rationales_quote_the_stored_figures() -> None:
    """Every figure a quoting rule states is the one the stored run gives."""
    summary, meta = load_summary_for(ROOT / "data" / "benchmarks", APP_PYTHON)
    assert meta.minor == APP_PYTHON
    assert figure_problems(_rationales(), summary) == []


def test_a_moved_figure_is_reported(tmp_path: Path) -> None:
    """The check names the rule and the figure when a rationale quotes an old number."""
    write_meta(tmp_path)
    write_csv(
        tmp_path,
        *throughput_rows("asyncio", [100.0, 100.0]),
        *throughput_rows("trio", [50.0, 50.0]),
    )
    summary, _ = load_summary_for(tmp_path)
    assert quoted_figures(summary)["perf-critical-uvloop"]["trio channel"] == "2x less"
    rationales = dict.fromkeys(QUOTING_RULES, "")
    rationales["perf-critical-uvloop"] = "Trio moved 3x less items."
    problems = figure_problems(rationales, summary)
    assert "rule 'perf-critical-uvloop': trio channel should read '2x less'" in problems
    rationales["perf-critical-uvloop"] = "Trio moved 2x less items."
    assert not any("trio channel" in problem for problem in figure_problems(rationales, summary))


@pytest.mark.parametrize("rule", QUOTING_RULES)
def test_every_quoting_rule_exists(rule: str) -> None:
    """The rules the figures are computed for are real rule ids."""
    assert rule in _rationales()
