"""The layering of the core: what each module may import, and the public API."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import advisor

PACKAGE = Path(advisor.__file__).resolve().parent
CORE_FILES = sorted(
    p for p in PACKAGE.rglob("*.py") if "ui" not in p.relative_to(PACKAGE).parts[:1]
)


def imported_modules(source: str, package: str) -> set[str]:
    """Every module an `import` or `from ... import` in the source names, relative ones resolved.

    `package` is the dotted package the source lives in (for resolving `from . import x`).
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0]
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def imports_of(path: Path) -> set[str]:
    package = ".".join(("advisor", *path.relative_to(PACKAGE).parts[:-1]))
    return imported_modules(path.read_text("utf-8"), package)


def test_the_walk_sees_the_core() -> None:
    """The architecture tests look at the real package files, subpackages included."""
    names = {p.relative_to(PACKAGE).as_posix() for p in CORE_FILES}
    assert {"answers.py", "engine.py", "cli.py", "rules/language.py"} <= names
    assert not any(name.startswith("ui/") for name in names)


def test_import_scanner_sees_every_form_of_import() -> None:
    """Plain, from-, aliased, nested and relative imports are all found."""
    source = (
        "import a.b as ab\n"
        "from c import d\n"
        "def f():\n"
        "    import streamlit.components.v1 as components\n"
        "    from streamlit import session_state\n"
        "from . import language\n"
        "from ..answers import Answers\n"
    )
    found = imported_modules(source, "advisor.rules")
    assert {"a.b", "c", "c.d", "streamlit.components.v1", "streamlit"} <= found
    assert {"advisor.rules.language", "advisor.answers", "advisor.answers.Answers"} <= found


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_core_does_not_import_streamlit(path: Path) -> None:
    """Nothing in advisor/ outside advisor/ui imports Streamlit, even inside a function."""
    streamlit = [m for m in imports_of(path) if m == "streamlit" or m.startswith("streamlit.")]
    assert streamlit == []


@pytest.mark.parametrize("name", ["answers.py", "benchmarks"])
def test_lowest_layer_imports_only_errors_from_the_package(name: str) -> None:
    """answers and benchmarks (a subpackage) import nothing from advisor but
    advisor.errors (and, inside the subpackage, its own modules)."""
    path = PACKAGE / name
    files = sorted(path.glob("*.py")) if path.is_dir() else [path]
    assert files, f"advisor/{name} is missing"
    assert all(file.exists() for file in files), f"advisor/{name} is missing"
    own = f"advisor.{name}"
    internal = {
        m
        for file in files
        for m in imports_of(file)
        if (m == "advisor" or m.startswith("advisor.")) and not m.startswith(own)
    }
    assert internal <= {"advisor.errors", "advisor.errors.DataError"}, internal


DEPS_READERS = sorted(
    p.name
    for p in (PACKAGE / "deps").glob("*.py")
    if p.name not in ("__init__.py", "model.py", "resolve.py", "ranges.py", "infer.py", "tools.py")
)


@pytest.mark.parametrize("name", DEPS_READERS)
def test_dependency_readers_know_nothing_of_the_catalog_or_the_verdict(name: str) -> None:
    """The file readers in advisor/deps import only answers, errors and each other.

    Only `model`, `ranges`, `infer`, `resolve` and `tools` (development tools, told by the
    catalog's roles and a data file) meet the catalog; nothing in advisor/deps imports the
    rules, scoring or the engine.
    """
    internal = {m for m in imports_of(PACKAGE / "deps" / name) if m.startswith("advisor.")}
    allowed = ("advisor.deps.", "advisor.answers", "advisor.errors")
    assert all(m.startswith(allowed) for m in internal), internal


def test_public_api_is_pinned() -> None:
    """`advisor.__all__` is the documented public API; changing it is a deliberate act."""
    assert advisor.__all__ == [
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
    for name in advisor.__all__:
        assert getattr(advisor, name) is not None


def test_the_first_paint_imports_no_dataframe_or_chart_library() -> None:
    """Importing the page (all a browser's first run, the verdict alone, needs) loads neither
    pandas, pyarrow nor altair: a cold server's first reader does not wait for them."""
    probe = (
        "import sys\n"
        "import advisor.ui.app, advisor.ui.verdict, advisor.ui.loaders, advisor.ui.first_paint\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'altair', 'numpy') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
