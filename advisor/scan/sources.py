"""Where the Python files come from: a project folder, walked under limits.

What is skipped: version-control and cache folders, virtual environments (any folder holding a
`pyvenv.cfg`, and `.venv`/`venv` by name), `node_modules`, vendored code (`_vendor`, `vendor`,
`vendored`, `third_party`), `*.egg-info`, `build/` and `dist/` at the top of the project, and
whatever the project's `.gitignore` files exclude (each applies below its own folder, read with
`pathspec`'s Git semantics; the deepest file with a matching pattern decides). Symbolic links
are not followed. Only `*.py` files are read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

from advisor.scan.model import FileProblem

MiB = 1024 * 1024

EXCLUDED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".bzr", "__pycache__", "node_modules", ".tox", ".nox", ".venv",
        "venv", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".eggs", "_vendor", "vendor",
        "vendored", "third_party",
    }
)  # fmt: skip
"""Folder names skipped at any depth."""
EXCLUDED_TOP_DIRS = frozenset({"build", "dist"})
"""Folder names skipped at the top of the project only (a package may have a `build` module)."""
GITIGNORE_MAX_BYTES = MiB
"""A larger `.gitignore` is not read (and reported)."""


class ScanInputError(Exception):
    """The input cannot be scanned: missing, not a folder or archive, over a limit, or hostile.

    `str(error)` is a one-sentence message for the user; nothing was executed or written.
    """


@dataclass(frozen=True, slots=True, kw_only=True)
class ScanLimits:
    """Bounds on what one scan reads (every one reported by name when exceeded)."""

    max_files: int = 20_000
    """Python files in a folder, or members (of any type) in an archive."""
    max_total_bytes: int = 200 * MiB
    """Python source read from a folder; uncompressed size of all archive members."""
    max_file_bytes: int = 5 * MiB
    """One file; a larger one is skipped and reported."""
    max_archive_bytes: int = 100 * MiB
    """The archive itself (compressed)."""
    max_ratio: int = 100
    """Largest compression ratio accepted for a zip member over 1 MiB (zip bombs exceed it)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceFile:
    """One Python file's bytes and where it sits."""

    path: str
    """Relative path with `/` separators."""
    module: str
    """Dotted module name (for resolving relative imports)."""
    is_package: bool
    """True for a package's `__init__.py`."""
    data: bytes
    """The raw bytes (decoded later, as Python would)."""


def module_name(parts: list[str] | tuple[str, ...]) -> tuple[str, bool]:
    """Dotted module name and is-package flag for a `.py` file's path parts."""
    names = [*parts[:-1], parts[-1].removesuffix(".py")]
    if names[-1] == "__init__":
        return ".".join(names[:-1]), True
    return ".".join(names), False


def _package_prefix(root: Path) -> list[str]:
    prefix: list[str] = []
    folder = root
    while (folder / "__init__.py").is_file() and folder.name:
        prefix.insert(0, folder.name)
        folder = folder.parent
    return prefix


def _read_gitignore(path: Path) -> pathspec.GitIgnoreSpec | str:
    try:
        with path.open("rb") as handle:
            data = handle.read(GITIGNORE_MAX_BYTES + 1)
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if len(data) > GITIGNORE_MAX_BYTES:
        return f"larger than {GITIGNORE_MAX_BYTES // MiB} MiB: not applied"
    lines = data.decode("utf-8", errors="replace").splitlines()
    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except (ValueError, TypeError) as error:
        return f"not applied: {error}"


def _ignored(specs: list[tuple[str, pathspec.GitIgnoreSpec]], rel: str) -> bool:
    decision = False
    for base, spec in specs:
        sub = rel[len(base) + 1 :] if base else rel
        include = spec.check_file(sub).include
        if include is not None:
            decision = include
    return decision


def walk_folder(root: Path, limits: ScanLimits) -> Iterator[SourceFile | FileProblem]:
    """Every Python file under `root` that is not excluded, as bytes, in a stable order.

    Yields a `FileProblem` for a file skipped for its size, a link, or a read error. Raises
    `ScanInputError` when the file count or total size passes `limits`.
    """
    prefix = _package_prefix(root.resolve())
    count = 0
    total = 0
    stack: list[tuple[Path, str, list[tuple[str, pathspec.GitIgnoreSpec]]]] = [(root, "", [])]
    while stack:
        folder, rel, specs = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as error:
            yield FileProblem(path=rel or ".", problem=f"cannot be listed: {error.strerror}")
            continue
        names = {entry.name for entry in entries}
        if rel and "pyvenv.cfg" in names:
            continue
        if ".gitignore" in names:
            spec = _read_gitignore(folder / ".gitignore")
            where = f"{rel}/.gitignore" if rel else ".gitignore"
            if isinstance(spec, str):
                yield FileProblem(path=where, problem=spec)
            else:
                specs = [*specs, (rel, spec)]
        subfolders = []
        for entry in entries:
            path = f"{rel}/{entry.name}" if rel else entry.name
            try:
                if entry.is_symlink():
                    if entry.name.endswith(".py"):
                        yield FileProblem(path=path, problem="symbolic link: not followed")
                    continue
                if entry.is_dir(follow_symlinks=False):
                    skip = (
                        entry.name in EXCLUDED_DIRS
                        or entry.name.endswith(".egg-info")
                        or (not rel and entry.name in EXCLUDED_TOP_DIRS)
                        or (specs and _ignored(specs, path + "/"))
                    )
                    if not skip:
                        subfolders.append((Path(entry.path), path, specs))
                    continue
                if not entry.name.endswith(".py") or not entry.is_file(follow_symlinks=False):
                    continue
                if specs and _ignored(specs, path):
                    continue
                count += 1
                if count > limits.max_files:
                    raise ScanInputError(
                        f"more than {limits.max_files:,} Python files under {root}: scan a "
                        "subfolder, exclude generated code in .gitignore, or raise the limit "
                        "(--max-files)"
                    )
                size = entry.stat(follow_symlinks=False).st_size
                if size > limits.max_file_bytes:
                    yield FileProblem(path=path, problem=too_large(size, limits))
                    continue
                with open(entry.path, "rb") as handle:
                    data = handle.read(limits.max_file_bytes + 1)
            except OSError as error:
                yield FileProblem(path=path, problem=f"cannot be read: {error.strerror or error}")
                continue
            if len(data) > limits.max_file_bytes:
                yield FileProblem(path=path, problem=too_large(len(data), limits))
                continue
            total += len(data)
            if total > limits.max_total_bytes:
                raise ScanInputError(
                    f"more than {limits.max_total_bytes // MiB} MiB of Python source under "
                    f"{root}: scan a subfolder or raise the limit (--max-bytes)"
                )
            module, is_package = module_name([*prefix, *path.split("/")])
            yield SourceFile(path=path, module=module, is_package=is_package, data=data)
        stack.extend(reversed(subfolders))


def too_large(size: int, limits: ScanLimits) -> str:
    """The message for a file skipped for its size."""
    return (
        f"skipped: {size / MiB:.1f} MiB is over the {limits.max_file_bytes / MiB:g} MiB "
        "limit for one file (--max-file-size)"
    )
