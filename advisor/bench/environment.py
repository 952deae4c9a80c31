"""What the results depend on besides the code: machine, operating system, versions, load.

Captured by the runner at the start and end of a run and stored in `meta.json`, so that a
reader of the figures knows what produced them (and on what kind of machine they may hold).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from importlib import metadata

PACKAGES = ("trio", "anyio", "uvloop", "h11", "sniffio", "outcome", "sortedcontainers")
"""Distributions whose versions matter to the figures (the runtimes and what they run on)."""


def cpu_model() -> str:
    """The CPU's model name, or the best the platform offers."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Hardware", "Processor") and value.strip():
                    return value.strip()
    except OSError:
        pass
    if sys.platform == "darwin":
        try:
            completed = subprocess.run(
                ["sysctl", "-n", "machdep.cpu.brand_string"],
                capture_output=True,
                text=True,
                timeout=5,
                check=True,
            )
            return completed.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    return platform.processor() or platform.machine() or "unknown"


def logical_cores() -> int:
    """Logical CPUs in the machine."""
    return os.cpu_count() or 1


def usable_cores() -> int:
    """CPUs this process may run on (affinity), where the platform says so."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return logical_cores()


def load_average() -> tuple[float, ...]:
    """1-, 5- and 15-minute load averages, or () where there are none."""
    try:
        return tuple(round(load, 2) for load in os.getloadavg())
    except (AttributeError, OSError):
        return ()


def niceness() -> int:
    """This process's scheduling niceness (0 where the platform has none)."""
    try:
        return os.nice(0)
    except (AttributeError, OSError):
        return 0


def python_description() -> str:
    """Implementation, version and build, e.g. `CPython 3.11.7 (main, GCC 12.2.0)`."""
    build = ", ".join(part for part in (platform.python_build()[0], platform.python_compiler()))
    return f"{platform.python_implementation()} {platform.python_version()} ({build})"


def package_versions() -> dict[str, str]:
    """Installed version of each of `PACKAGES` (`not installed` if absent)."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def python_version() -> str:
    """This interpreter's version, e.g. `3.12.1`."""
    return platform.python_version()


def describe_interpreter() -> dict[str, object]:
    """What the runner stores about the children's interpreter (run in that interpreter)."""
    return {
        "python": python_description(),
        "python_version": python_version(),
        "packages": package_versions(),
    }


if __name__ == "__main__":
    print(json.dumps(describe_interpreter()))
