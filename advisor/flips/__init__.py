"""Counterfactuals: the smallest changes to the answers that would change the verdict.

`candidates` lists the changes worth trying, `find_flips` keeps those that change the verdict
(and, for a lean verdict, the one that would make it clear), and `IncrementalJudge` scores a
candidate by re-testing only the rules that read what it changes.
"""

from advisor.flips.candidates import Candidate, candidates, one_step, sentence
from advisor.flips.judge import IncrementalJudge
from advisor.flips.search import FIRM_UP_RANK, Judge, Judgement, find_flips

__all__ = [
    "FIRM_UP_RANK",
    "Candidate",
    "IncrementalJudge",
    "Judge",
    "Judgement",
    "candidates",
    "find_flips",
    "one_step",
    "sentence",
]
