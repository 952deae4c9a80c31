"""The library catalog: which PyPI projects run on asyncio, on Trio, through AnyIO or a bridge.

Facts live in `data/libraries.toml`; `loading` validates them into the shapes of `model`. Every
fact is dated (checked_version, checked_on) and has evidence at the decisive place, because
support changes with releases and the people reading a verdict will check it. `verify` and
`stale` are the maintainer's tools for keeping the facts true.
"""

from advisor.catalog.loading import load_catalog
from advisor.catalog.model import (
    AsyncioSupport,
    Catalog,
    Confidence,
    Library,
    LibraryRole,
    Maturity,
    TrioBefore,
    TrioSupport,
)

__all__ = [
    "AsyncioSupport",
    "Catalog",
    "Confidence",
    "Library",
    "LibraryRole",
    "Maturity",
    "TrioBefore",
    "TrioSupport",
    "load_catalog",
]
