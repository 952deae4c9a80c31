"""Rules as data: the model, the condition language and the loader of `data/rules/*.toml`."""

from advisor.rules.language import Condition, ConditionError, parse_condition
from advisor.rules.loading import load_rules
from advisor.rules.model import BlockerRule, Effect, Rule, RuleBook, Runtime

__all__ = [
    "BlockerRule",
    "Condition",
    "ConditionError",
    "Effect",
    "Rule",
    "RuleBook",
    "Runtime",
    "load_rules",
    "parse_condition",
]
