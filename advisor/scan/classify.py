"""What a code base is written against, and which questionnaire answer that supports.

The classification counts files, not uses, so one large backend module cannot outvote the rest:
each file with any asyncio, Trio or AnyIO use has a *primary* family (the one it uses most; ties
go to AnyIO, then asyncio, then Trio). Then:

- no such file: `sync` when there is Python code, `empty` when there is none;
- AnyIO is primary in at least half of those files: `anyio`, and the native runtimes that other
  files use are its `backends` (the `anyio` package itself: AnyIO with asyncio and Trio backends);
- one family is primary in at least 80% of them: that family;
- otherwise `mixed`.

The questionnaire's `codebase` answer has four values (DESIGN.md: new, asyncio, trio, sync):
asyncio, trio and sync map to themselves; `empty` maps to `new`; `anyio` maps to `new`, because
AnyIO code already runs on either event loop, so it ties the project to neither (the porting
plans show its cost, zero changes, to the decision model); `mixed` maps to the family primary
in the most files (AnyIO again giving `new`), since that is the code a move would rewrite.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from advisor.answers import Codebase
from advisor.rules.model import Runtime
from advisor.scan.catalog import RUNTIME_FAMILIES, Family
from advisor.scan.model import CodeStyle, FamilyShare

DOMINANT_SHARE = 0.8
"""Share of async files a runtime must be primary in for the code base to be that runtime's."""
ANYIO_SHARE = 0.5
"""Share of async files AnyIO must be primary in for an AnyIO code base (backends beside it)."""

_TIE_ORDER = (Family.ANYIO, Family.ASYNCIO, Family.TRIO)


def family_shares(
    per_file: Mapping[str, Counter[Family]],
) -> tuple[FamilyShare, ...]:
    """Uses, files and primary-file shares for every family, from each file's use counts."""
    uses: Counter[Family] = Counter()
    files: Counter[Family] = Counter()
    primary: Counter[Family] = Counter()
    async_files = 0
    for counts in per_file.values():
        uses.update(counts)
        files.update(family for family, n in counts.items() if n)
        runtime_counts = {f: counts[f] for f in _TIE_ORDER if counts[f]}
        if runtime_counts:
            async_files += 1
            best = max(runtime_counts.values())
            primary[next(f for f in _TIE_ORDER if runtime_counts.get(f) == best)] += 1
    return tuple(
        FamilyShare(
            family=family,
            uses=uses[family],
            files=files[family],
            primary_files=primary[family],
            share=primary[family] / async_files if async_files else 0.0,
        )
        for family in Family
    )


def classify(
    shares: Iterable[FamilyShare], python_files: int
) -> tuple[CodeStyle, tuple[Runtime, ...]]:
    """The code style and, for AnyIO code, the native backends it also has code for."""
    by_family = {s.family: s for s in shares}
    if not any(by_family[f].primary_files for f in RUNTIME_FAMILIES):
        return (CodeStyle.SYNC if python_files else CodeStyle.EMPTY), ()
    anyio = by_family[Family.ANYIO]
    if anyio.share >= ANYIO_SHARE:
        backends = tuple(
            Runtime(f.value) for f in (Family.ASYNCIO, Family.TRIO) if by_family[f].files
        )
        return CodeStyle.ANYIO, backends
    for family in RUNTIME_FAMILIES:
        if by_family[family].share >= DOMINANT_SHARE:
            return CodeStyle(family.value), ()
    return CodeStyle.MIXED, ()


def codebase_answer(style: CodeStyle, shares: Iterable[FamilyShare]) -> Codebase:
    """The questionnaire's `codebase` value for a code style (see the module docstring)."""
    if style is CodeStyle.MIXED:
        by_family = {s.family: s for s in shares}
        leader = max(_TIE_ORDER, key=lambda f: by_family[f].primary_files)
        style = CodeStyle(leader.value)
    return {
        CodeStyle.ASYNCIO: Codebase.ASYNCIO,
        CodeStyle.TRIO: Codebase.TRIO,
        CodeStyle.SYNC: Codebase.SYNC,
        CodeStyle.ANYIO: Codebase.NEW,
        CodeStyle.EMPTY: Codebase.NEW,
    }[style]
