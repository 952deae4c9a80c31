"""The methodology page as a file, so `st.navigation` and AppTest's `switch_page` both find it."""

from advisor.ui.methodology import render_methodology
from advisor.ui.questionnaire import leave_advisor_page

leave_advisor_page()

render_methodology()
