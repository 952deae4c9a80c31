"""The public base URL: configured, or the address the request was served at, checked."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.public_url import (
    PublicUrlError,
    parse_configured,
    parse_host,
    parse_prefix,
    public_base_url,
)

from .strategies import FAST

HEADER_NAMES = (
    "host",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-forwarded-port",
    "x-forwarded-prefix",
    "forwarded",
    "Host",
    "X-Forwarded-Host",
)
SAFE_URL = re.compile(r"https?://[a-z0-9.\-\[\]:]+(?::[0-9]+)?/(?:[A-Za-z0-9._~-]+/)*")


def _base(headers: dict[str, str], base_url_path: str = "", configured: str | None = None) -> str:
    return public_base_url(
        configured=configured, headers=headers, base_url_path=base_url_path, server_port=8501
    )


def test_configured_url_wins_over_headers_and_gets_a_trailing_slash() -> None:
    """ADVISOR_PUBLIC_URL is used as given (ending with a slash), whatever the request."""
    url = _base({"host": "10.0.0.5:8501"}, "app", "https://Tools.Example.com/async-advisor")
    assert url == "https://tools.example.com/async-advisor/"


def test_without_headers_the_loopback_address_and_base_path_are_used() -> None:
    """With no request headers (AppTest) the base is the server's own loopback address."""
    assert _base({}) == "http://127.0.0.1:8501/"
    assert _base({}, "/async-advisor/") == "http://127.0.0.1:8501/async-advisor/"


def test_host_header_and_base_url_path_give_the_served_address() -> None:
    """Served directly, the Host header (with its port) and server.baseUrlPath make the base."""
    url = _base({"Host": "127.0.0.1:8601"}, "async-advisor")
    assert url == "http://127.0.0.1:8601/async-advisor/"


def test_x_forwarded_headers_describe_the_proxy_address() -> None:
    """Behind a proxy, X-Forwarded-Host/-Proto win over Host; the default port is dropped."""
    headers = {
        "host": "127.0.0.1:8601",
        "x-forwarded-host": "tools.example.com",
        "x-forwarded-proto": "https",
        "x-forwarded-port": "443",
    }
    assert _base(headers, "async-advisor") == "https://tools.example.com/async-advisor/"


def test_forwarded_port_is_kept_when_not_the_default() -> None:
    """A non-default X-Forwarded-Port is kept when the forwarded host has none."""
    headers = {"x-forwarded-host": "tools.example.com", "x-forwarded-port": "8443"}
    assert _base(headers) == "http://tools.example.com:8443/"


def test_forwarded_header_wins_and_its_first_element_is_read() -> None:
    """RFC 7239 Forwarded: the first element (the client-facing proxy's) names host and proto."""
    headers = {
        "forwarded": 'for=10.1.1.1;host="wiki-tools.example.org";proto=https, host=inner:8080',
        "x-forwarded-host": "other.example.com",
        "host": "127.0.0.1:8601",
    }
    assert _base(headers) == "https://wiki-tools.example.org/"


def test_x_forwarded_prefix_is_prepended_to_the_base_path() -> None:
    """A prefix the proxy stripped (X-Forwarded-Prefix) comes before server.baseUrlPath."""
    headers = {"host": "tools.example.com", "x-forwarded-prefix": "/team/"}
    assert _base(headers, "async-advisor") == "http://tools.example.com/team/async-advisor/"


def test_ipv6_host_keeps_its_brackets() -> None:
    """An IPv6 literal with a port stays bracketed."""
    assert _base({"host": "[::1]:8601"}) == "http://[::1]:8601/"


@pytest.mark.parametrize(
    "host",
    [
        'evil.example"><script>',
        "user@evil.example",
        "evil.example/path",
        "evil example",
        "evil.example:99999",
        "evil.example:0",
        "evil.example:80:80",
        "-evil.example",
        "evil..example",
        "[not-ipv6]",
        "",
        "x" * 300,
    ],
)
def test_hostile_host_values_are_ignored(host: str) -> None:
    """A host header that is not a DNS name or IP literal with a valid port is skipped."""
    assert parse_host(host) is None
    assert _base({"x-forwarded-host": host, "host": "127.0.0.1:8601"}) == "http://127.0.0.1:8601/"


@pytest.mark.parametrize("proto", ["javascript", "ftp", "https:evil", "", "data"])
def test_only_http_and_https_schemes_are_taken(proto: str) -> None:
    """A forwarded scheme other than http or https falls back to http."""
    assert _base({"host": "a.example", "x-forwarded-proto": proto}) == "http://a.example/"


@pytest.mark.parametrize(
    "prefix", ["/../etc", "/a b/", '/x"/', "/%2e%2e/", "/a?b", "/<b>/", "/a/./b"]
)
def test_hostile_prefixes_are_ignored(prefix: str) -> None:
    """A forwarded prefix with anything but plain path segments is ignored."""
    assert parse_prefix(prefix) is None
    headers = {"host": "a.example", "x-forwarded-prefix": prefix}
    assert _base(headers, "async-advisor") == "http://a.example/async-advisor/"


@pytest.mark.parametrize(
    "configured",
    [
        "javascript:alert(1)",
        "ftp://tools.example.com/",
        "tools.example.com",
        "https://user:pw@tools.example.com/",
        "https://tools.example.com/?a=1",
        "https://tools.example.com/#top",
        "https://tools.example.com:99999/",
        "https://tools example.com/",
        'https://tools.example.com/a"b/',
    ],
)
def test_unusable_configured_urls_are_refused_with_a_reason(configured: str) -> None:
    """ADVISOR_PUBLIC_URL that is not a plain http(s) URL raises PublicUrlError naming it."""
    with pytest.raises(PublicUrlError, match=re.escape(repr(configured.strip()))):
        parse_configured(configured)


@FAST
@given(
    headers=st.dictionaries(
        st.sampled_from(HEADER_NAMES),
        st.text(max_size=80),
    ),
    base_url_path=st.text(max_size=30),
)
def test_any_headers_give_a_safe_url_or_the_fallback(
    headers: dict[str, str], base_url_path: str
) -> None:
    """Whatever the headers hold, the base URL never raises and contains only safe characters."""
    url = _base(headers, base_url_path)
    assert SAFE_URL.fullmatch(url), url
