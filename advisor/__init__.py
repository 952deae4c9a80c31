"""Async Advisor: should a Python project build on asyncio, Trio or AnyIO?

The public API is `Answers`, `recommend` and the value objects they return. Layering, lowest
first (a module imports only from layers below it):

1. `errors`, `decisions` (the two decisions and their options), `answers` (questionnaire and
   share-link codec), `benchmarks` (stored results): no imports from the rest of the package.
2. `catalog` (library facts), `deps` (every dependency file format, lock files and the
   installed environment: its readers import only `answers`; `deps.resolve` meets the
   catalog), then `facts` (what rules may ask about).
3. `rules` (model, condition language, loader), `recommendation` (result objects).
4. `scoring` (the two decisions), `policy` (scoring.toml), `confidence` (grades and caps),
   `flips`, then `engine` (`recommend`), `report`, `charts`.
5. `cli` (and `bench`, the harness, which only the CLI imports); `ui` is the only place that
   imports Streamlit.
"""

from advisor.answers import Answers, Notice, QueryReading, read_query
from advisor.decisions import ApiChoice, DecisionKind, LoopChoice
from advisor.engine import Knowledge, load_knowledge, recommend
from advisor.errors import DataError
from advisor.recommendation import (
    Blocker,
    Certainty,
    Decision,
    DependencyStatus,
    Flip,
    Reason,
    Recommendation,
    Scores,
)
from advisor.rules.model import Runtime

__all__ = [
    "Answers",
    "ApiChoice",
    "Blocker",
    "Certainty",
    "DataError",
    "Decision",
    "DecisionKind",
    "DependencyStatus",
    "Flip",
    "Knowledge",
    "LoopChoice",
    "Notice",
    "QueryReading",
    "Reason",
    "Recommendation",
    "Runtime",
    "Scores",
    "load_knowledge",
    "read_query",
    "recommend",
]
