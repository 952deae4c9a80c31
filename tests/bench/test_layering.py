"""The stored-results package stays the lowest layer, and the harness's children stay light."""

from __future__ import annotations

import ast
import json
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.bench.boot import module_command

PACKAGE = Path(__file__).resolve().parents[2] / "advisor"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "benchmarks").glob("*.py")), ids=lambda path: path.name
)
def test_the_benchmarks_package_imports_only_itself_and_errors(path: Path) -> None:
    """advisor.benchmarks (format, loading, statistics...) imports no other advisor module."""
    internal = {name for name in _imports(path) if name.split(".")[0] == "advisor"}
    assert all(
        name == "advisor.errors" or name.startswith("advisor.benchmarks") for name in internal
    ), internal


def test_the_bootstrap_runs_a_harness_module_without_the_advisor_package() -> None:
    """`module_command` starts a harness module in a fresh interpreter (as children on another
    Python's venv are started), and it reports that interpreter's description."""
    completed = subprocess.run(
        module_command(sys.executable, "advisor.bench.environment"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    described = json.loads(completed.stdout)
    assert described["python_version"] == platform.python_version()
    assert described["packages"]["h11"] != "not installed"


def test_a_child_imports_neither_the_whole_advisor_nor_pandas() -> None:
    """Under the bootstrap, importing the child loads only the harness's light modules."""
    program = (
        "import sys, types\n"
        "package = types.ModuleType('advisor')\n"
        f"package.__path__ = [{str(PACKAGE)!r}]\n"
        "sys.modules['advisor'] = package\n"
        "import advisor.bench.child, advisor.bench.workloads.http_service\n"
        "print('pandas' in sys.modules, 'advisor.engine' in sys.modules)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-E", "-c", program],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert completed.stdout.split() == ["False", "False"]
