"""Small stored-results directories written to tmp_path for the loader and statistics tests."""

from __future__ import annotations

import json
from pathlib import Path

HEADER = "workload,case,runtime,round,metric,unit,better,value,status,detail"


def write_meta(directory: Path, **overrides: object) -> None:
    """A valid meta.json, with any key replaced (or removed, given the value `...`)."""
    meta: dict[str, object] = {
        "cpu": "Test CPU",
        "cores": 2,
        "os": "Linux-test",
        "python": "CPython 3.11.7",
        "packages": {"trio": "0.35.0", "anyio": "4.16.0"},
        "date": "2026-11-25T08:00:00+00:00",
        "command": "python -m advisor bench",
        "rounds": 5,
        "quick": False,
    }
    meta.update(overrides)
    meta = {key: value for key, value in meta.items() if value is not ...}
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def write_csv(directory: Path, *lines: str, header: str = HEADER) -> Path:
    """results.csv with the header and the given data lines."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "results.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def throughput_rows(runtime: str, values: list[float], metric: str = "items_per_s") -> list[str]:
    """One `channel` row per round (1, 2, ...) for a higher-is-better metric."""
    return [
        f"channel,capacity=100,{runtime},{round_},{metric},ops/s,higher,{value},ok,"
        for round_, value in enumerate(values, start=1)
    ]


def time_rows(runtime: str, values: list[float]) -> list[str]:
    """One `spawn` wall_time row per round (1, 2, ...), lower is better."""
    return [
        f"spawn,tasks=10000,{runtime},{round_},wall_time,s,lower,{value},ok,"
        for round_, value in enumerate(values, start=1)
    ]
