"""The methodology page: every rule, the whole catalog, and how the benchmarks were made."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from advisor.model_history import HISTORY
from advisor.report import format_effect
from advisor.ui import loaders, page_data
from advisor.ui.evidence import machine_caption
from advisor.ui.tables import LINK_DISPLAY
from advisor.ui.text import plain
from advisor.wording import https_url


def render_rules() -> None:
    """Every scoring and blocker rule with its condition, effect, rationale and source."""
    book = loaders.knowledge().rules
    st.header(f"Rules ({len(book.rules)} scoring, {len(book.blockers)} blockers)")
    st.write(
        "Rules are data (data/rules/*.toml), one file per theme. Conditions are a small "
        "declarative language, parsed and type-checked when the app starts. A verdict is the "
        "runtime with the highest total among those no dependency rules out."
    )
    rows = [
        {
            "id": rule.id,
            "theme": rule.theme,
            "title": rule.title,
            "condition": rule.when.text,
            "effect": format_effect(rule.effect),
            "rationale": rule.rationale,
            "source": rule.source,
        }
        for rule in book.rules
    ] + [
        {
            "id": rule.id,
            "theme": rule.theme,
            "title": rule.title,
            "condition": f"{rule.when.text} and a dependency with {rule.dependency.text}",
            "effect": f"rules out {rule.blocks.value}",
            "rationale": rule.rationale,
            "source": rule.source,
        }
        for rule in book.blockers
    ]
    frame = pd.DataFrame(rows)
    frame["source"] = frame["source"].map(lambda url: https_url(url) or "")
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={"source": st.column_config.LinkColumn("source", display_text=LINK_DISPLAY)},
    )


def render_catalog() -> None:
    """The library catalog, searchable and filterable by Trio support."""
    catalog = loaders.knowledge().catalog
    st.header(f"Library catalog ({len(catalog.libraries)} projects)")
    frame = pd.DataFrame(
        [
            {
                "name": lib.name,
                "category": catalog.categories[lib.category],
                "asyncio": lib.asyncio.value,
                "Trio": lib.trio.value,
                "Trio since": str(lib.trio_since) if lib.trio_since else "",
                "Trio since (date)": str(lib.trio_since_date or ""),
                "Trio before": (
                    f"{lib.trio_before.trio.value}: {lib.trio_before.note}"
                    if lib.trio_before
                    else ""
                ),
                "role": lib.role.value,
                "maturity": lib.maturity.value,
                "hosts your code": "yes" if lib.hosts_code else "",
                "alternatives": ", ".join(lib.alternatives),
                "extras": "; ".join(f"[{e}] {', '.join(p)}" for e, p in lib.extras.items()),
                "note": lib.note,
                "checked": f"{lib.checked_version} on {lib.checked_on}",
                "confidence": lib.confidence.value,
                "evidence": lib.evidence,
            }
            for lib in catalog.libraries
        ]
    )
    search = st.text_input("Search the catalog", key="catalog_search")
    support = st.multiselect(
        "Trio support",
        options=["native", "anyio", "bridge", "thread", "none"],
        key="catalog_trio",
    )
    shown = frame
    if search:
        needle = search.strip().lower()
        shown = shown[
            shown["name"].str.lower().str.contains(needle, regex=False)
            | shown["note"].str.lower().str.contains(needle, regex=False)
            | shown["category"].str.lower().str.contains(needle, regex=False)
        ]
    if support:
        shown = shown[shown["Trio"].isin(support)]
    st.caption(f"{len(shown)} of {len(frame)} shown.")
    st.dataframe(
        shown.assign(evidence=shown["evidence"].map(lambda url: https_url(url) or "")),
        hide_index=True,
        width="stretch",
        column_config={
            "evidence": st.column_config.LinkColumn("evidence", display_text=LINK_DISPLAY)
        },
    )


def render_benchmark_method() -> None:
    """How the stored benchmarks were made."""
    st.header("How the benchmarks were made")
    st.write(
        "Every sample runs in a fresh `python -E` process. The runtimes (asyncio, asyncio on "
        "uvloop, Trio, and AnyIO on asyncio, on asyncio + uvloop and on Trio) run the same "
        "workloads, from an HTTP/1.1 service under open-loop load to echo, task spawn, "
        "timers, channels, cancellation, memory per idle task and start-up, each written "
        "idiomatically for its runtime and interleaved in a freshly shuffled order every "
        "round, so drift on a shared machine hits all alike. Ratios are taken against plain "
        "asyncio within the same round; charts show the median ratio and a distribution-free "
        "interval around it (with the 4 rounds stored, the full range of the paired ratios: "
        "87.5% coverage). Traffic stays on 127.0.0.1 and every loop is bounded in count and "
        "time. The stored runs were measured on a busy shared machine: absolute times are "
        "inflated, ratios with narrow intervals hold, memory is unaffected."
    )
    loaded = page_data.bench_summary()
    if isinstance(loaded, str):
        st.error("The stored benchmarks could not be read:")
        st.text(loaded)
        return
    summary, meta = loaded
    st.caption(plain(machine_caption(meta)))
    st.dataframe(summary, hide_index=True, width="stretch")


def render_model_history() -> None:
    """What changed in the decision model and why, for readers of an old share link."""
    st.header("How the decision model changed")
    st.write(
        "A share link keeps its answers across versions (schema v1), but the model that turns "
        "them into a verdict improves; this is what changed, newest first, and why."
    )
    for version in HISTORY:
        st.subheader(f"Model {version.version} ({version.date.isoformat()})")
        st.text(version.summary)
        for change in version.changes:
            st.markdown(f"- {plain(change.what)}  \n  *Why:* {plain(change.why)}")


def render_methodology() -> None:
    """The whole methodology page."""
    st.title("Methodology")
    render_model_history()
    render_rules()
    render_catalog()
    render_benchmark_method()
