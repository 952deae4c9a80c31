"""The Streamlit front end: the only part of `advisor` that imports Streamlit.

It is a thin mapping: widgets -> `Answers` -> `recommend()` -> `Recommendation` -> page, one
small `render_*` function per section. Each widget's `key` is its share-link parameter, so the
URL sync and the tests address widgets the same way.
"""

from advisor.ui.app import main

__all__ = ["main"]
