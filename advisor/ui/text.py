"""Plain-text helpers: user-supplied text must never render as Markdown or HTML."""

from __future__ import annotations

from advisor.report import escape_markdown


def plain(text: object) -> str:
    """Text safe to put inside a Markdown-rendering element (st.warning, st.markdown, ...).

    Every Markdown metacharacter is backslash-escaped, so `[x](http://evil)` shows literally and
    `<img ...>` stays text (Streamlit never renders raw HTML without unsafe_allow_html).
    """
    return escape_markdown(str(text))
