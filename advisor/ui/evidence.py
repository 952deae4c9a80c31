"""The evidence section: stored benchmark charts, the ones matching the answers first."""

from __future__ import annotations

from typing import Any

import streamlit as st

from advisor.answers import Answers
from advisor.evidence import matched_workloads, relevant_workloads
from advisor.ui import loaders
from advisor.ui.text import plain

SHOWN_FIRST = 3
"""How many workload charts are open on the page; the rest sit in an expander."""


def machine_caption(meta: dict[str, Any]) -> str:
    """Machine, date and versions, so every figure says where it was measured."""
    packages = ", ".join(f"{name} {version}" for name, version in sorted(meta["packages"].items()))
    mode = " (quick mode)" if meta.get("quick") else ""
    return (
        f"Measured {meta['date']} on {meta['cpu']} ({meta['cores']} cores), {meta['os']}, "
        f"Python {meta['python']}; {packages}; {meta['rounds']} rounds{mode}. "
        f"Reproduce: {meta['command']}"
    )


def provenance_lines(meta: dict[str, Any]) -> list[str]:
    """Machine, date and versions as short lines, for the subtitle of an exported chart."""
    packages = ", ".join(f"{name} {version}" for name, version in sorted(meta["packages"].items()))
    mode = " (quick mode)" if meta.get("quick") else ""
    return [
        f"Measured {meta['date']} on {meta['cpu']} ({meta['cores']} cores), "
        f"Python {meta['python']}",
        f"{packages}; {meta['rounds']} rounds{mode}; reproduce: {meta['command']}",
    ]


def _render_workload(workload: str, matched: bool) -> None:
    guide = loaders.evidence_guide()
    text = guide.workloads[workload]
    # Titles and sentences come from data/evidence.toml: escaped, never live Markdown.
    st.markdown(f"**{plain(text.title)}**" + (" · matches your answers" if matched else ""))
    st.markdown(plain(loaders.workload_sentence(workload)))
    spec = loaders.speedup_chart_spec(workload)
    if spec:
        st.vega_lite_chart(spec, width="stretch")


def render_evidence(answers: Answers, limit: int | None = None) -> None:
    """Benchmark charts relative to plain asyncio; `limit` shows only the first few (embed)."""
    st.subheader("The evidence: stored benchmarks")
    loaded = loaders.bench_summary()
    if isinstance(loaded, str):
        st.error("The stored benchmarks could not be read:")
        st.text(loaded)
        return
    meta = loaded[1]
    guide = loaders.evidence_guide()
    order = relevant_workloads(answers, guide)
    matched = matched_workloads(answers, guide)
    first = order[: limit or SHOWN_FIRST]
    # The machine, date and versions are the same for every chart: stated once, here.
    st.caption(plain(machine_caption(meta)))
    for workload in first:
        _render_workload(workload, workload in matched)
    rest = order[len(first) :]
    # A toggle, not an expander: an expander's charts are built and sent on every rerun.
    if (
        rest
        and limit is None
        and st.toggle(f"Show the other benchmarks ({len(rest)})", key="more_benchmarks")
    ):
        for workload in rest:
            _render_workload(workload, workload in matched)
