"""The public base URL that share links, the embed snippet and reports are built on.

People reach the app at an address the server cannot know by itself: behind a reverse proxy, on
a path prefix, over TLS terminated elsewhere. The base URL is, in order:

1. the configured one (`ADVISOR_PUBLIC_URL`), when it is a valid http(s) URL;
2. else the address the request was served at: the proxy's `Forwarded` header (RFC 7239), or its
   `X-Forwarded-Host` / `-Proto` / `-Port` / `-Prefix` headers, or the request's own `Host`, and
   Streamlit's `server.baseUrlPath`;
3. else the server's own loopback address (no request headers at all, as under `AppTest`).

Header values are checked before use: a scheme other than http or https, a host that is not a
DNS name or IP literal, a port out of range, or a prefix with anything but plain path segments
is ignored as if the header were absent, so nothing from a header can break out of a link or an
HTML attribute. Why the forwarded headers are trusted at all is written down in the README
("Serving it to a wiki"). This module imports no Streamlit; `advisor.ui.public_url` feeds it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
MAX_HEADER_LENGTH = 1024
"""Longer header values are ignored outright (no parsing work on junk)."""

_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")
_PORT = re.compile(r"[0-9]{1,5}")


class PublicUrlError(ValueError):
    """A configured public URL that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    """Where a client reached the app, before the path."""

    scheme: str
    """`http` or `https`."""
    host: str
    """A lower-case DNS name, an IPv4 address, or a bracketed IPv6 address."""
    port: int | None = None
    """The port, or None for the scheme's default."""

    def url(self, prefix: str = "") -> str:
        """`scheme://host[:port]/prefix/`: the base URL, always ending with a slash."""
        port = "" if self.port in (None, DEFAULT_PORTS[self.scheme]) else f":{self.port}"
        path = "/" + "".join(f"{segment}/" for segment in prefix.split("/") if segment)
        return f"{self.scheme}://{self.host}{port}{path}"


def parse_host(value: str) -> tuple[str, int | None] | None:
    """`host[:port]` checked and normalised (host lower-cased), or None when it is not one.

    Accepts DNS names (RFC 1123 labels), dotted IPv4 and bracketed IPv6 literals; a port must be
    1-65535. Anything else (spaces, quotes, `@`, `/`, a trailing dot, an empty label) is None.
    """
    value = value.strip().lower()
    if not value or len(value) > 260:
        return None
    if value.startswith("["):
        literal, _, rest = value[1:].partition("]")
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            return None
        host = f"[{literal}]"
    else:
        host, _, port_text = value.partition(":")
        rest = f":{port_text}" if ":" in value else ""
        if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in host.split(".")):
            return None
    if not rest:
        return host, None
    if not rest.startswith(":") or not _PORT.fullmatch(rest[1:]):
        return None
    port = int(rest[1:])
    return (host, port) if 0 < port < 65536 else None


def parse_prefix(value: str) -> str | None:
    """A path prefix as `seg/seg` (no slashes at the ends), or None when it is not plain.

    Segments may hold letters, digits and `. _ ~ -` only; `.` and `..` segments are refused.
    The empty prefix (`""` or `/`) is valid and returned as `""`.
    """
    segments = [segment for segment in value.strip().split("/") if segment]
    if len(value) > MAX_HEADER_LENGTH or any(
        not _SEGMENT.fullmatch(segment) or segment in (".", "..") for segment in segments
    ):
        return None
    return "/".join(segments)


def parse_configured(value: str) -> str:
    """The configured public URL (`ADVISOR_PUBLIC_URL`) as a base URL ending with a slash.

    Raises `PublicUrlError` when it is not an absolute http(s) URL with a valid host, or when
    it carries credentials, a query or a fragment, or a path that is not plain segments.
    """
    text = value.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise PublicUrlError(f"{text!r} is not a URL ({error})") from None
    if parts.scheme not in SCHEMES:
        raise PublicUrlError(f"{text!r} must start with http:// or https://")
    if parts.username is not None or parts.password is not None:
        raise PublicUrlError(f"{text!r} must not carry a user name or password")
    if parts.query or parts.fragment:
        raise PublicUrlError(f"{text!r} must not carry a query (?) or fragment (#)")
    host = parse_host(parts.netloc.rsplit(":", 1)[0] if port is not None else parts.netloc)
    if host is None:
        raise PublicUrlError(f"{text!r} does not name a valid host")
    prefix = parse_prefix(parts.path)
    if prefix is None:
        raise PublicUrlError(f"{text!r} has a path with characters other than A-Z a-z 0-9 . _ ~ -")
    return Origin(scheme=parts.scheme, host=host[0], port=port).url(prefix)


def _first(value: str | None) -> str | None:
    """The first of a comma-separated header list: the value the client-facing proxy set."""
    if value is None or len(value) > MAX_HEADER_LENGTH:
        return None
    return value.split(",", 1)[0].strip()


def _forwarded_pairs(value: str | None) -> dict[str, str]:
    """The first element of an RFC 7239 `Forwarded` header as lower-case keys to values."""
    element = _first(value)
    pairs: dict[str, str] = {}
    for pair in (element or "").split(";"):
        key, sep, raw = pair.partition("=")
        if sep:
            pairs[key.strip().lower()] = raw.strip().strip('"')
    return pairs


def _scheme(value: str | None) -> str | None:
    scheme = (value or "").strip().lower()
    return scheme if scheme in SCHEMES else None


def request_origin(headers: Mapping[str, str]) -> Origin | None:
    """Where the client reached us, from request headers (any key case), or None.

    `Forwarded` wins over `X-Forwarded-*`, which win over `Host`; each value that does not
    pass its check is skipped. The scheme is http unless a forwarded header says https.
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    forwarded = _forwarded_pairs(lowered.get("forwarded"))
    scheme = (
        _scheme(forwarded.get("proto"))
        or _scheme(_first(lowered.get("x-forwarded-proto")))
        or "http"
    )
    candidates = (
        forwarded.get("host"),
        _first(lowered.get("x-forwarded-host")),
        _first(lowered.get("host")),
    )
    host = next(
        (parsed for parsed in (parse_host(c) for c in candidates if c) if parsed is not None),
        None,
    )
    if host is None:
        return None
    port = host[1]
    if port is None:
        port_text = _first(lowered.get("x-forwarded-port")) or ""
        if _PORT.fullmatch(port_text) and 0 < int(port_text) < 65536:
            port = int(port_text)
    return Origin(scheme=scheme, host=host[0], port=port)


def request_prefix(headers: Mapping[str, str], base_url_path: str) -> str:
    """The path the app is served under: `X-Forwarded-Prefix` (a prefix the proxy stripped,
    when valid) followed by Streamlit's own `server.baseUrlPath`."""
    lowered = {key.lower(): value for key, value in headers.items()}
    forwarded = parse_prefix(_first(lowered.get("x-forwarded-prefix")) or "") or ""
    own = parse_prefix(base_url_path) or ""
    return "/".join(part for part in (forwarded, own) if part)


def public_base_url(
    *,
    configured: str | None,
    headers: Mapping[str, str],
    base_url_path: str,
    server_port: int,
) -> str:
    """The base URL for every link the app builds, ending with a slash (see the module doc).

    `configured` is `ADVISOR_PUBLIC_URL` (None or blank when unset; raises `PublicUrlError`
    when set but unusable), `headers` the request's headers, `base_url_path` Streamlit's
    `server.baseUrlPath`, and `server_port` its `server.port` (for the loopback fallback).
    """
    if configured and configured.strip():
        return parse_configured(configured)
    origin = request_origin(headers) or Origin(scheme="http", host="127.0.0.1", port=server_port)
    return origin.url(request_prefix(headers, base_url_path))
