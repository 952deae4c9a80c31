"""`scan(path)`: a folder or archive in, a `ScanReport` out."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from advisor.scan.archive import archive_kind, read_archive
from advisor.scan.catalog import Catalog, Family, Kind, load_catalog
from advisor.scan.classify import classify, codebase_answer, family_shares
from advisor.scan.detect import scan_module
from advisor.scan.model import FileProblem, KindUsage, Location, ScanReport
from advisor.scan.porting import build_plans
from advisor.scan.sources import ScanInputError, ScanLimits, SourceFile, walk_folder


@cache
def default_catalog() -> Catalog:
    """`data/porting.toml`, loaded once per process."""
    return load_catalog()


def scan(
    path: str | Path, *, limits: ScanLimits | None = None, catalog: Catalog | None = None
) -> ScanReport:
    """Scan a project folder, or a `.zip` / `.tar.gz` of one, without running any of it.

    Raises `ScanInputError` (one-sentence message) for a missing path, a file that is not an
    archive, a refused archive, or a limit exceeded; `DataError` if `data/porting.toml` is
    broken. Files that cannot be decoded or parsed are reported in `ScanReport.problems`.
    """
    limits = limits or ScanLimits()
    catalog = catalog or default_catalog()
    root = Path(path)
    if root.is_dir():
        return scan_sources(walk_folder(root, limits), str(root), catalog)
    if not root.exists():
        raise ScanInputError(f"{root}: no such file or folder")
    if not root.is_file():
        raise ScanInputError(f"{root}: not a folder, .zip or .tar.gz")
    try:
        with root.open("rb") as handle:
            if archive_kind(handle.read(4)) is None:
                raise ScanInputError(f"{root}: not a folder, .zip or .tar.gz archive")
            return scan_sources(read_archive(handle, root.name, limits), root.name, catalog)
    except OSError as error:
        raise ScanInputError(f"{root}: cannot be read: {error.strerror or error}") from None


def scan_archive_bytes(
    data: bytes, name: str, *, limits: ScanLimits | None = None, catalog: Catalog | None = None
) -> ScanReport:
    """Scan an uploaded `.zip` / `.tar.gz` held in memory (the app's upload); as `scan`."""
    limits = limits or ScanLimits()
    catalog = catalog or default_catalog()
    return scan_sources(read_archive(io.BytesIO(data), name, limits), name, catalog)


def scan_sources(
    sources: Iterable[SourceFile | FileProblem], source: str, catalog: Catalog
) -> ScanReport:
    """Build the report from files (and skipped-file problems) however they were found."""
    kinds = {kind.id: kind for kind in catalog.kinds}
    files = lines = parsed = 0
    problems: list[FileProblem] = []
    sites: list[tuple[Location, Kind]] = []
    per_file: dict[str, Counter[Family]] = {}
    for item in sources:
        if isinstance(item, FileProblem):
            problems.append(item)
            continue
        result = scan_module(
            item.data, module=item.module, is_package=item.is_package, catalog=catalog
        )
        files += 1
        lines += result.lines
        parsed += result.parsed
        if result.problem:
            problems.append(FileProblem(path=item.path, problem=result.problem))
        if result.uses:
            counts: Counter[Family] = Counter()
            unique = {(use.line, use.api): use for use in result.uses}  # one site per line
            for use in sorted(unique.values(), key=lambda u: (u.line, u.api)):
                kind = kinds[use.kind]
                sites.append((Location(path=item.path, line=use.line, api=use.api), kind))
                counts[kind.family] += 1
            per_file[item.path] = counts
    shares = family_shares(per_file)
    style, backends = classify(shares, files)
    return ScanReport(
        source=source,
        files=files,
        lines=lines,
        parsed_files=parsed,
        kinds=_kind_usages(catalog, sites),
        families=shares,
        style=style,
        backends=backends,
        codebase=codebase_answer(style, shares),
        plans=build_plans(catalog, sites),
        problems=tuple(problems),
    )


def _kind_usages(catalog: Catalog, sites: list[tuple[Location, Kind]]) -> tuple[KindUsage, ...]:
    by_kind: dict[str, list[Location]] = defaultdict(list)
    for loc, kind in sites:
        by_kind[kind.id].append(loc)
    usages = []
    for kind in catalog.kinds:
        locations = by_kind.get(kind.id)
        if not locations:
            continue
        apis = Counter(loc.api for loc in locations)
        usages.append(
            KindUsage(
                kind=kind.id,
                family=kind.family,
                label=kind.label,
                count=len(locations),
                apis=tuple(sorted(apis.items(), key=lambda kv: (-kv[1], kv[0]))),
                locations=tuple(sorted(locations, key=lambda loc: (loc.path, loc.line))),
            )
        )
    return tuple(usages)
