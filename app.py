"""Streamlit entry point: configure the page, then hand over to advisor.ui."""

import streamlit as st

from advisor.ui import main

st.set_page_config(page_title="Async Advisor", page_icon="⚖️", layout="wide")
main()
