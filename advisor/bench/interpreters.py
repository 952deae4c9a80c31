"""Other interpreters for the children (`--python PATH`): each in its own venv with the pins.

The children of a run on another interpreter need the runtimes under test installed for that
interpreter, at the versions this checkout pins (`requirements.txt`). The first use of an
interpreter builds a venv for it under the user's cache directory (named for the interpreter's
path and the pins, so changing either builds a new one) with `pip install` of exactly those
pins; later runs reuse it. The venv is built in a temporary folder and renamed into place, so
an interrupted build is never mistaken for a finished one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from advisor.bench.boot import PACKAGE_DIR, module_command

RUNTIME_PACKAGES = ("trio", "anyio", "uvloop", "h11", "sniffio")
"""What the children import; their own dependencies come with them."""
BUILD_TIMEOUT_S = 600.0


class InterpreterError(Exception):
    """The interpreter cannot be used (missing, not Python, venv or install failed)."""


def cache_root() -> Path:
    """Where the venvs live: `$XDG_CACHE_HOME/async-advisor/bench-venvs` (or ~/.cache/...)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "async-advisor" / "bench-venvs"


def pinned_requirements() -> list[str]:
    """The `name==version` pins of `RUNTIME_PACKAGES` from requirements.txt (markers kept);
    packages it does not pin (h11's helpers, sniffio) at this interpreter's installed version."""
    pins: dict[str, str] = {}
    requirements = PACKAGE_DIR.parent / "requirements.txt"
    if requirements.exists():
        for line in requirements.read_text(encoding="utf-8").splitlines():
            text = line.split("#", 1)[0].strip()
            name = text.split("==", 1)[0].strip().lower()
            if "==" in text and name in RUNTIME_PACKAGES:
                pins[name] = text
    from importlib import metadata

    for name in RUNTIME_PACKAGES:
        if name not in pins:
            try:
                pins[name] = f"{name}=={metadata.version(name)}"
            except metadata.PackageNotFoundError:
                pins[name] = name
    return [pins[name] for name in RUNTIME_PACKAGES]


def _same_interpreter(python: str) -> bool:
    try:
        return Path(python).resolve() == Path(sys.executable).resolve()
    except OSError:
        return False


def venv_python(venv: Path) -> Path:
    """The interpreter inside a venv."""
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def prepare(python: str, say: object = None) -> str:
    """The interpreter the children should run for `python`: this one as it is, or the
    venv built (on first use) from `python` with the pinned runtimes. Raises
    `InterpreterError` with a one-line reason."""
    if _same_interpreter(python):
        return sys.executable
    path = Path(python)
    if not path.exists():
        raise InterpreterError(f"--python {python}: no such file")
    pins = pinned_requirements()
    key = hashlib.sha256(json.dumps([str(path.resolve()), pins]).encode()).hexdigest()[:12]
    venv = cache_root() / f"{path.resolve().parent.parent.name or 'python'}-{key}"
    if venv_python(venv).exists():
        return str(venv_python(venv))
    building = venv.with_name(venv.name + f".building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.parent.mkdir(parents=True, exist_ok=True)
    if callable(say):
        say(f"Building a venv for {python} with {', '.join(pins)} (first use) ...")
    try:
        _run([python, "-m", "venv", str(building)], "create a venv")
        _run(
            [
                str(venv_python(building)),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                *pins,
            ],
            "install the pinned runtimes",
        )
        building.rename(venv)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    # A venv's scripts name their own folder; the venv interpreter itself is location-free.
    return str(venv_python(venv))


def _run(command: list[str], what: str) -> None:
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise InterpreterError(f"could not {what}: {error}") from None
    if completed.returncode != 0:
        last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        raise InterpreterError(f"could not {what}: {last}")


def describe(python: str) -> dict[str, object]:
    """`environment.describe_interpreter()` as run by `python` (version, build, packages)."""
    try:
        completed = subprocess.run(
            module_command(python, "advisor.bench.environment"),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        described = json.loads(completed.stdout.strip().splitlines()[-1])
    except (OSError, subprocess.TimeoutExpired, ValueError, IndexError) as error:
        raise InterpreterError(f"{python} cannot describe itself: {error}") from None
    if not isinstance(described, dict):
        raise InterpreterError(f"{python} cannot describe itself")
    return described
