"""Start a harness module in a fresh interpreter without importing the `advisor` package.

Children may run on another interpreter (`--python`), in a venv that holds only the runtimes
under test, so they must not import `advisor/__init__.py` (which loads the whole advisor). The
bootstrap registers `advisor` as a bare package whose path is this checkout, then runs the
module as `__main__`; `advisor.bench` and its workloads import only the standard library and
the runtimes.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
"""The `advisor` package directory of this checkout."""

_BOOTSTRAP = (
    "import runpy, sys, types\n"
    "package = types.ModuleType('advisor')\n"
    "package.__path__ = [sys.argv[1]]\n"
    "sys.modules['advisor'] = package\n"
    "module = sys.argv[2]\n"
    "sys.argv = [module, *sys.argv[3:]]\n"
    "runpy.run_module(module, run_name='__main__', alter_sys=True)\n"
)


def module_command(python: str, module: str, *arguments: str) -> list[str]:
    """`python -E -c <bootstrap> <package dir> <module> <arguments...>`."""
    return [python, "-E", "-c", _BOOTSTRAP, str(PACKAGE_DIR), module, *arguments]
