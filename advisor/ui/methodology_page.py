"""The methodology page as a file, so `st.navigation` and AppTest's `switch_page` both find it."""

from advisor.ui.methodology import render_methodology

render_methodology()
