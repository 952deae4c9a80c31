"""The code-scan section: upload a .zip / .tar.gz of the project, read the scan, fill `codebase`.

The upload is scanned in its `on_change` callback, which runs before the script: it can set the
`codebase` widget's session state (key = share-link parameter) without Streamlit's "widget
already instantiated" error, and the questionnaire shows the new answer on the same rerun.
Everything taken from the upload (file names, paths, messages) goes through `st.text`,
`st.code` or a dataframe, never Markdown.
"""

from __future__ import annotations

import streamlit as st

from advisor.errors import DataError
from advisor.scan import ScanInputError, ScanLimits, ScanReport, scan_archive_bytes
from advisor.scan.render import FAMILY_LABELS, plan_line, summary, to_text

UPLOAD_KEY = "code_archive"
REPORT_KEY = "_code_scan"
CODEBASE_KEY = "codebase"
MiB = 1024 * 1024
UPLOAD_LIMITS = ScanLimits(
    max_files=20_000,
    max_total_bytes=100 * MiB,
    max_file_bytes=5 * MiB,
    max_archive_bytes=25 * MiB,
)
"""Limits for an upload (smaller than the CLI's: the server holds the upload in memory)."""


def scan_upload(data: bytes, name: str) -> ScanReport | str:
    """The scan of an uploaded archive, or the message saying why it was refused."""
    try:
        return scan_archive_bytes(data, name, limits=UPLOAD_LIMITS)
    except ScanInputError as error:
        return str(error)
    except DataError as error:
        return f"The porting catalog is broken, so nothing was scanned: {error}"


def _on_upload() -> None:
    uploaded = st.session_state.get(UPLOAD_KEY)
    if uploaded is None:
        st.session_state.pop(REPORT_KEY, None)
        return
    result = scan_upload(uploaded.getvalue(), uploaded.name)
    st.session_state[REPORT_KEY] = result
    if isinstance(result, ScanReport):
        st.session_state[CODEBASE_KEY] = result.codebase.value


def render_report(report: ScanReport) -> None:
    """The scan on the page: summary, uses by kind, porting counts, the full text report."""
    st.success(
        f"Scanned {report.files} Python files ({report.lines:,} lines). "
        f"'What exists today' is now set to: {report.codebase.value}."
    )
    st.text(summary(report))
    st.dataframe(
        [
            {
                "target": plan.target.value,
                "mechanical": plan.mechanical_count,
                "redesign": plan.redesign_count,
                "files": len(plan.files),
                "summary": plan_line(plan),
            }
            for plan in report.plans
        ],
        hide_index=True,
        key="code_scan_porting",
    )
    st.dataframe(
        [
            {
                "family": FAMILY_LABELS[usage.family],
                "kind": usage.label,
                "uses": usage.count,
                "APIs": ", ".join(f"{api} x{n}" for api, n in usage.apis),
            }
            for usage in report.kinds
        ],
        hide_index=True,
        key="code_scan_kinds",
    )
    with st.expander("Every use and every change, with file:line"):
        st.code(to_text(report, limit=None), language=None)


def render_code_scan() -> None:
    """The upload widget and, once something was uploaded, its scan or why it was refused."""
    with st.expander("Read your code: upload a .zip or .tar.gz of the sources"):
        st.file_uploader(
            "Project sources (.zip or .tar.gz)",
            type=["zip", "gz", "tgz"],
            key=UPLOAD_KEY,
            on_change=_on_upload,
            help="Read in memory with Python's ast module: nothing is extracted to disk, "
            "imported or run. Up to 25 MiB compressed, 20,000 files, 100 MiB uncompressed; "
            "links, '..' paths and zip bombs are refused.",
        )
        result = st.session_state.get(REPORT_KEY)
        if isinstance(result, str):
            st.error("The archive was not scanned:")
            st.text(result)
        elif isinstance(result, ScanReport):
            render_report(result)
