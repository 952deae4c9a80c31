"""Streamlit glue for `advisor.public_url`: this request's headers and the server's settings in,
the base URL of every link the page builds out.

Never `st.context.url`: it is None under `AppTest`, and inside a same-origin iframe it is the
wiki page's own address.
"""

from __future__ import annotations

import functools
import logging
import os

import streamlit as st

from advisor.public_url import PublicUrlError, parse_configured, public_base_url

PUBLIC_URL_ENV = "ADVISOR_PUBLIC_URL"

_log = logging.getLogger(__name__)


@functools.cache
def _warn_once(problem: str) -> None:
    _log.warning("%s is ignored: %s", PUBLIC_URL_ENV, problem)


def base_url() -> str:
    """Where people reach the app, ending with a slash: `ADVISOR_PUBLIC_URL` when set, else the
    address this session was served at (a bad setting is logged once and ignored)."""
    configured = os.environ.get(PUBLIC_URL_ENV)
    if configured and configured.strip():
        try:
            return parse_configured(configured)
        except PublicUrlError as error:
            _warn_once(str(error))
    headers = st.context.headers
    return public_base_url(
        configured=None,
        # Repeated headers joined, so the first value (the client-facing proxy's) is read.
        headers={key: ", ".join(headers.get_all(key)) for key in headers},
        base_url_path=str(st.get_option("server.baseUrlPath") or ""),
        server_port=int(st.get_option("server.port")),
    )
