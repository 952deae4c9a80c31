"""Scanning real code nobody here wrote: the trio, anyio and uvicorn packages installed here."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

import pytest

from advisor.answers import Codebase
from advisor.rules.model import Runtime
from advisor.scan import CodeStyle, Effort, ScanReport, scan


def installed(package: str) -> Path:
    """The folder of an installed package, found without importing (running) it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        pytest.fail(f"{package} is not installed in the test environment (requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def report(package: str) -> ScanReport:
    return scan(installed(package))


def _efforts(rep: ScanReport, target: Runtime) -> dict[str, Effort]:
    return {api: item.effort for item in rep.plan(target).items for api, _ in item.apis}


def test_trio_package_is_a_trio_code_base() -> None:
    """The installed trio package is classified Trio, answer codebase=trio, nurseries found."""
    rep = report("trio")
    assert (rep.style, rep.codebase) == (CodeStyle.TRIO, Codebase.TRIO)
    kinds = {k.kind: k.count for k in rep.kinds}
    assert kinds["trio.nurseries"] > 50
    assert kinds["trio.cancellation"] > 50
    assert rep.problems == ()


def test_trio_to_asyncio_plan_redesigns_cancel_scopes() -> None:
    """Moving trio to asyncio: cancel scopes are redesigns, nurseries map to TaskGroup."""
    efforts = _efforts(report("trio"), Runtime.ASYNCIO)
    assert efforts["trio.CancelScope"] is Effort.REDESIGN
    assert efforts["trio.open_nursery"] is Effort.MECHANICAL
    assert efforts["trio.fail_after"] is Effort.MECHANICAL


def test_anyio_package_is_anyio_with_asyncio_and_trio_backends() -> None:
    """The installed anyio package is AnyIO code with native asyncio and Trio backend modules."""
    rep = report("anyio")
    assert rep.style is CodeStyle.ANYIO
    assert rep.backends == (Runtime.ASYNCIO, Runtime.TRIO)
    backend_files = {
        loc.path for k in rep.kinds if k.family.value in ("asyncio", "trio") for loc in k.locations
    }
    assert {"_backends/_asyncio.py", "_backends/_trio.py"} <= backend_files


def test_uvicorn_is_asyncio_with_sensible_porting_lists() -> None:
    """uvicorn is asyncio; moving it to Trio redesigns its protocols and loop calls."""
    rep = report("uvicorn")
    assert (rep.style, rep.codebase) == (CodeStyle.ASYNCIO, Codebase.ASYNCIO)
    for target in (Runtime.TRIO, Runtime.ANYIO):
        efforts = _efforts(rep, target)
        assert efforts["asyncio.Protocol"] is Effort.REDESIGN
        assert efforts["asyncio.loop.run_until_complete"] is Effort.REDESIGN
        assert efforts["asyncio.Queue"] is Effort.MECHANICAL
        assert efforts["asyncio.wait_for"] is Effort.MECHANICAL
        plan = rep.plan(target)
        assert plan.redesign_count > 0
        assert plan.mechanical_count > 0
    assert rep.plan(Runtime.ASYNCIO).items == ()
