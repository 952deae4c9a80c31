"""Porting plans: for each target runtime, which uses change, how, and how much.

A use of a runtime family's API (asyncio, Trio, AnyIO) changes when the target is another
runtime; the catalog's mapping for (API, target) says how and with what effort. Uses of
sniffio, thread pools and process pools run under any runtime and are not part of a plan. A use
with no mapping is listed as a redesign ("no mapping in the catalog: review by hand"), so an
incomplete catalog overstates the work rather than hiding it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from advisor.rules.model import Runtime
from advisor.scan.catalog import Catalog, Effort, Kind, PortMapping, runtime_of
from advisor.scan.model import Location, PortingItem, PortingPlan

_UNMAPPED_HOW = "No mapping in the catalog for this API and target: review it by hand."
_EFFORT_ORDER = {Effort.REDESIGN: 0, Effort.MECHANICAL: 1, Effort.NONE: 2}
TARGETS: tuple[Runtime, ...] = (Runtime.ASYNCIO, Runtime.ANYIO, Runtime.TRIO)


def build_plans(catalog: Catalog, uses: Iterable[tuple[Location, Kind]]) -> tuple[PortingPlan, ...]:
    """One plan per target runtime for these use sites and their kinds (in `TARGETS` order)."""
    located = list(uses)
    plans = []
    for target in TARGETS:
        groups: dict[tuple[str, ...] | str, list[Location]] = defaultdict(list)
        mappings: dict[tuple[str, ...] | str, PortMapping | None] = {}
        for loc, kind in located:
            runtime = runtime_of(kind.family)
            if runtime is None or runtime is target:
                continue
            mapping = catalog.mapping(loc.api, target)
            key: tuple[str, ...] | str = mapping.apis if mapping else loc.api
            groups[key].append(loc)
            mappings[key] = mapping
        items = [_item(locs, mappings[key]) for key, locs in groups.items()]
        items.sort(key=lambda i: (_EFFORT_ORDER[i.effort], -i.count, i.apis[0][0]))
        counts = Counter[Effort]()
        for item in items:
            counts[item.effort] += item.count
        changed = sorted(
            {loc.path for i in items if i.effort is not Effort.NONE for loc in i.locations}
        )
        plans.append(
            PortingPlan(
                target=target,
                items=tuple(items),
                mechanical_count=counts[Effort.MECHANICAL],
                redesign_count=counts[Effort.REDESIGN],
                unchanged_count=counts[Effort.NONE],
                files=tuple(changed),
            )
        )
    return tuple(plans)


def _item(locations: list[Location], mapping: PortMapping | None) -> PortingItem:
    apis = Counter(loc.api for loc in locations)
    ordered = tuple(sorted(locations, key=lambda loc: (loc.path, loc.line)))
    return PortingItem(
        apis=tuple(sorted(apis.items(), key=lambda kv: (-kv[1], kv[0]))),
        effort=mapping.effort if mapping else Effort.REDESIGN,
        how=mapping.how if mapping else _UNMAPPED_HOW,
        source=mapping.source if mapping else "",
        count=len(locations),
        files=tuple(sorted({loc.path for loc in locations})),
        locations=ordered,
    )
