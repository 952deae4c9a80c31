"""Reading a project's own code: which concurrency APIs it uses, and what moving it would cost.

`scan(path)` walks a folder (or reads a `.zip` / `.tar.gz` in memory), parses each Python file
with `ast` (nothing is imported or executed), finds asyncio, Trio, AnyIO, sniffio and
thread/process-pool uses through each module's imports, classifies the code base, and builds a
porting plan to each runtime from `data/porting.toml`.

Modules, lowest first: `catalog` (the data file), `model` (result objects), `sources` (folder
walk, limits), `archive` (zip / tar.gz), `detect` (one module's uses), `classify`, `porting`,
`scanner` (ties them), `render` (text / Markdown), `cli` (the `scan` command). No Streamlit here.
"""

from advisor.scan.catalog import Catalog, Effort, Family, load_catalog
from advisor.scan.model import (
    CodeStyle,
    FamilyShare,
    FileProblem,
    KindUsage,
    Location,
    PortingItem,
    PortingPlan,
    ScanReport,
)
from advisor.scan.scanner import scan, scan_archive_bytes
from advisor.scan.sources import ScanInputError, ScanLimits

__all__ = [
    "Catalog",
    "CodeStyle",
    "Effort",
    "Family",
    "FamilyShare",
    "FileProblem",
    "KindUsage",
    "Location",
    "PortingItem",
    "PortingPlan",
    "ScanInputError",
    "ScanLimits",
    "ScanReport",
    "load_catalog",
    "scan",
    "scan_archive_bytes",
]
